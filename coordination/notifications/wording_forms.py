"""The form of a message's wording (staff)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField
from wtforms.validators import InputRequired, Length

from coordination.notifications.overrides import MAX_BODY, MAX_SUBJECT


class WordingForm(FlaskForm):
    subject = StringField(_l("Subject"), validators=[InputRequired(), Length(max=MAX_SUBJECT)])
    body = TextAreaField(_l("Message"), validators=[InputRequired(), Length(max=MAX_BODY)])
