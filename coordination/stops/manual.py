"""Stops added by hand by staff: the form's commune resolved to its official name."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, FieldList, FormField, SelectField, StringField, TimeField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from coordination.core.validators import WithinPlatformYears
from coordination.extensions import db
from coordination.stops.forms import CONTACT_ROWS, ContactForm, strip
from coordination.stops.services import DEFAULT_END, DEFAULT_START
from coordination.territories.models import Commune
from coordination.territories.services import commune_search_key, search_communes


def find_commune(name: str, insee: str) -> Commune:
    """The commune picked (by INSEE code) or typed (one exact name); ValueError with why."""
    if insee:
        commune = db.session.get(Commune, insee)
        if commune is None:
            raise ValueError(_l("No commune has this INSEE code."))
        return commune
    key = commune_search_key(name)
    same = [c for c in search_communes(name, limit=50) if commune_search_key(c.name) == key]
    if not same:
        raise ValueError(_l("No commune has this name: choose one from the suggestions."))
    if len(same) > 1:
        raise ValueError(
            _l(
                "Several communes have this name: choose one from the suggestions"
                " or give its INSEE code."
            )
        )
    return same[0]


class ManualStopForm(FlaskForm):
    """A stop staff add by hand: territory, host commune, venue, a date or none, contacts."""

    territory_id = SelectField(_l("Territory"), validators=[InputRequired()])
    commune_name = StringField(
        _l("Host commune"), filters=[strip], validators=[DataRequired(), Length(max=200)]
    )
    commune_insee = StringField(
        _l("Commune INSEE code (if the search does not find it)"),
        filters=[strip],
        validators=[Optional(), Length(max=5)],
    )
    venue_name = StringField(_l("Venue"), filters=[strip], validators=[Optional(), Length(max=300)])
    venue_address = StringField(
        _l("Venue address"), filters=[strip], validators=[Optional(), Length(max=300)]
    )
    day = DateField(_l("Date (optional)"), validators=[Optional(), WithinPlatformYears()])
    starts = TimeField(
        _l("Start time (Paris)"), default=DEFAULT_START, validators=[InputRequired()]
    )
    ends = TimeField(_l("End time (Paris)"), default=DEFAULT_END, validators=[InputRequired()])
    host_contacts = FieldList(
        FormField(ContactForm), min_entries=CONTACT_ROWS, max_entries=CONTACT_ROWS
    )

    #: Set by validation: the commune the host commune fields name.
    commune: Commune | None = None

    def validate_commune_name(self, field):
        try:
            self.commune = find_commune(field.data or "", self.commune_insee.data or "")
        except ValueError as error:
            raise ValidationError(str(error.args[0])) from None

    def validate_ends(self, field):
        if self.starts.data and field.data and field.data <= self.starts.data:
            raise ValidationError(_l("The stop must end after it starts."))

    def contacts(self) -> list[dict]:
        return [
            {key: getattr(e.form, key).data or "" for key in ("name", "function", "email", "phone")}
            for e in self.host_contacts.entries
            if e.form.name.data or e.form.email.data
        ]
