"""Staff forms of the notifications domain: a message to a group, lifting a flag."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from coordination.campaigns.forms import options, strip


class GroupMessageForm(FlaskForm):
    group = SelectField(_l("Group"), validators=[DataRequired()], validate_choice=True)
    workshop_id = SelectField(_l("Workshop"), coerce=int, default=0, validate_choice=False)
    presence = SelectField(
        _l("Presence"),
        choices=options(
            [("", _l("Present or not")), ("present", _l("Present")), ("absent", _l("Absent"))]
        ),
        default="",
    )
    status = SelectField(
        _l("Applications"),
        choices=options(
            [
                ("", _l("All")),
                ("draft", _l("Drafts")),
                ("submitted", _l("Submitted")),
                ("withdrawn", _l("Withdrawn")),
                ("accepted", _l("Accepted")),
                ("waitlisted", _l("Waiting list")),
                ("rejected", _l("Not selected")),
            ]
        ),
        default="",
    )
    subject = StringField(
        _l("Subject"), filters=[strip], validators=[DataRequired(), Length(max=300)]
    )
    body = TextAreaField(
        _l("Message"),
        filters=[strip],
        validators=[DataRequired(), Length(max=20000)],
        description=_l("Plain text; an empty line starts a new paragraph."),
    )
    subject_en = StringField(
        _l("Subject in English (optional)"),
        filters=[strip],
        validators=[Optional(), Length(max=300)],
    )
    body_en = TextAreaField(
        _l("Message in English (optional)"),
        filters=[strip],
        validators=[Optional(), Length(max=20000)],
        description=_l("Sent to people who read English; without it, everyone reads French."),
    )
