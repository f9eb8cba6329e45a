"""Sign-in and profile forms."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, RadioField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Email, InputRequired, Length, Optional

from coordination.auth.models import DigestFrequency


def strip(value):
    return value.strip() if isinstance(value, str) else value


class SignInForm(FlaskForm):
    email = EmailField(
        _l("Email address"),
        filters=[strip],
        validators=[InputRequired(), Email(), Length(max=254)],
    )
    password = PasswordField(_l("Password"), validators=[InputRequired(), Length(max=200)])


class LoginLinkForm(FlaskForm):
    # Its own id: the sign-in page shows this form beside the password form.
    email = EmailField(
        _l("Email address"),
        id="link-email",
        filters=[strip],
        validators=[InputRequired(), Email(), Length(max=254)],
    )


class ConfirmLinkForm(FlaskForm):
    """Only a CSRF token: the link is spent by a POST, so mail scanners cannot spend it."""


class ProfileForm(FlaskForm):
    name = StringField(_l("Name"), validators=[Optional(), Length(max=200)])
    locale = SelectField(
        _l("Language"), choices=[SelectChoice("fr", "Français"), SelectChoice("en", "English")]
    )
    digest_frequency = RadioField(
        _l("Email digest"),
        choices=[
            SelectChoice(DigestFrequency.OFF.value, _l("None")),
            SelectChoice(DigestFrequency.DAILY.value, _l("Daily")),
            SelectChoice(DigestFrequency.WEEKLY.value, _l("Weekly (Mondays)")),
        ],
        default=DigestFrequency.OFF.value,
    )
    new_password = PasswordField(
        _l("New password (leave empty to keep the current one)"),
        validators=[Optional(), Length(min=12, max=200)],
    )
