"""Staff forms of editions: create, edit, prepare the next one."""

import re

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from coordination.campaigns.forms import options, strip
from coordination.campaigns.models import EditionKind
from coordination.core.validators import WithinPlatformYears
from coordination.editions import queries

#: Lower-case words joined by single hyphens, as they appear in addresses.
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")

KIND_LABELS = {
    EditionKind.TOUR: _l("The tour (Tournée de l'innovation)"),
    EditionKind.INNOVATION_WEEK: _l("Innovation week"),
    EditionKind.FORUM: _l("Forum"),
}


class EditionForm(FlaskForm):
    kind = SelectField(
        _l("Programme"),
        choices=options((kind.value, label) for kind, label in KIND_LABELS.items()),
        default=EditionKind.TOUR.value,
    )
    name = StringField(_l("Name"), filters=[strip], validators=[DataRequired(), Length(max=200)])
    slug = StringField(
        _l("Short name in addresses"),
        filters=[strip],
        validators=[DataRequired(), Length(max=80)],
        description=_l("Lower-case letters, digits and hyphens, e.g. tournee-2027."),
    )
    starts_on = DateField(_l("First day"), validators=[InputRequired(), WithinPlatformYears()])
    ends_on = DateField(_l("Last day"), validators=[InputRequired(), WithinPlatformYears()])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=20000)])
    is_public = BooleanField(_l("Public: shown in the list of editions"))

    def __init__(self, *args, edition_id: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        #: The edition being edited, whose own slug is not taken.
        self.edition_id = edition_id

    def validate_slug(self, field):
        if not SLUG.fullmatch(field.data or ""):
            raise ValidationError(
                _l("Use lower-case letters, digits and single hyphens only (e.g. tournee-2027).")
            )
        if queries.slug_taken(field.data, self.edition_id):
            raise ValidationError(_l("Another edition already has this short name."))

    def validate_ends_on(self, field):
        if self.starts_on.data and field.data and field.data < self.starts_on.data:
            raise ValidationError(_l("The last day comes before the first."))
