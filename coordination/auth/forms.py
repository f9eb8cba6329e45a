"""Sign-in and profile forms."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    EmailField,
    PasswordField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Email, InputRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from coordination.auth.models import DigestFrequency, Role
from coordination.notifications.preferences import OPTIONAL_KINDS

ROLE_LABELS = {
    Role.STAFF: _l("Staff (InnovENT-E team)"),
    Role.REVIEWER: _l("Reviewer"),
    Role.TERRITORY_CONTACT: _l("Territory contact"),
    Role.PARTNER_CONTACT: _l("Partner contact"),
}


def strip(value):
    return value.strip() if isinstance(value, str) else value


def drop_nul(value):
    """NUL cannot be stored in PostgreSQL text: drop it from free text."""
    return value.replace("\x00", "") if isinstance(value, str) else value


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
    #: The optional messages the person receives (the others are turned off).
    optional_messages = SelectMultipleField(
        _l("Optional messages I receive"),
        choices=[SelectChoice(kind, label) for kind, (_templates, label) in OPTIONAL_KINDS.items()],
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
    )


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def role_choices() -> list[SelectChoice]:
    """The roles, labelled in the reader's language."""
    return [SelectChoice(role.value, label) for role, label in ROLE_LABELS.items()]


class InviteForm(FlaskForm):
    email = EmailField(
        _l("Email address"),
        id="invite-email",
        filters=[strip],
        validators=[InputRequired(), Email(), Length(max=254)],
    )
    name = StringField(
        _l("Name"), id="invite-name", filters=[drop_nul, strip], validators=[Length(max=200)]
    )
    roles = MultiCheckboxField(_l("Roles"), id="invite-roles", choices=role_choices)
    locale = SelectField(
        _l("Language of the email"),
        id="invite-locale",
        choices=[SelectChoice("fr", "Français"), SelectChoice("en", "English")],
    )


class RolesForm(FlaskForm):
    roles = MultiCheckboxField(_l("Roles"), choices=role_choices)


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(
        _l("Current password"), validators=[Optional(), Length(max=200)]
    )
    new_password = PasswordField(
        _l("New password"), validators=[InputRequired(), Length(min=12, max=200)]
    )
