"""Form bases shared by every domain."""

from flask_wtf.i18n import translations
from wtforms import Form


class SubForm(Form):
    """A form nested in a FlaskForm (a row of contacts, a date range, an agenda item).

    WTForms' own messages ("Invalid email address.") follow the FlaskForm's language only
    in the FlaskForm itself: a nested form has its own Meta, English by default.
    """

    class Meta:
        def get_translations(self, form):
            return translations
