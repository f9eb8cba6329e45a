"""Forms of stops: staff editing, the hosts' local details, agenda, moves, rules."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    FieldList,
    FloatField,
    FormField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    Email,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from coordination.core.clock import to_local
from coordination.core.forms import SubForm
from coordination.core.validators import WithinPlatformYears
from coordination.extensions import db
from coordination.stops.models import SESSION_KIND_LABELS, SessionKind
from coordination.territories.models import Commune

CONTACT_ROWS = 3
AGENDA_ROWS = 6
#: A forum's day: up to this many sessions, each with up to MAX_SPEAKERS speakers.
MAX_AGENDA_ROWS = 40
MAX_SPEAKERS = 12


def strip(value):
    return value.strip() if isinstance(value, str) else value


class ContactForm(SubForm):
    name = StringField(_l("Name"), filters=[strip], validators=[Length(max=200)])
    function = StringField(_l("Function"), filters=[strip], validators=[Length(max=200)])
    email = EmailField(
        _l("Email"), filters=[strip], validators=[Optional(), Email(), Length(max=254)]
    )
    phone = StringField(_l("Phone"), filters=[strip], validators=[Length(max=40)])

    def validate_email(self, field):
        if self.name.data and not field.data:
            raise ValidationError(_l("Give this contact's email."))


class SpeakerForm(SubForm):
    name = StringField(_l("Speaker's name"), filters=[strip], validators=[Length(max=200)])
    organisation = StringField(_l("Organisation"), filters=[strip], validators=[Length(max=200)])
    role = StringField(_l("Role"), filters=[strip], validators=[Length(max=200)])

    def validate_name(self, field):
        if not field.data and (self.organisation.data or self.role.data):
            raise ValidationError(_l("Give the speaker's name."))


class AgendaItemForm(SubForm):
    title = StringField(_l("Workshop-debate"), filters=[strip], validators=[Length(max=300)])
    kind = SelectField(
        _l("Kind of session"),
        choices=[SelectChoice(k.value, label) for k, label in SESSION_KIND_LABELS.items()],
        default=SessionKind.WORKSHOP.value,
    )
    starts_on = TimeField(_l("Time"), validators=[Optional()])
    ends_on = TimeField(_l("End time"), validators=[Optional()])
    room = StringField(_l("Room"), filters=[strip], validators=[Length(max=200)])
    speaker_rows = FieldList(
        FormField(SpeakerForm), min_entries=1, max_entries=MAX_SPEAKERS, label=_l("Speakers")
    )
    #: Older rows' speakers, free text: shown (and kept) only where there is some.
    speakers = TextAreaField(_l("Speakers (free text)"), validators=[Length(max=2000)])

    def validate_title(self, field):
        named = any(e.form.name.data for e in self.speaker_rows.entries)
        if not field.data and (
            self.room.data or self.speakers.data or self.starts_on.data or named
        ):
            raise ValidationError(_l("Give the workshop-debate a title."))

    def validate_ends_on(self, field):
        if field.data and not self.starts_on.data:
            raise ValidationError(_l("Give the start time too."))
        if field.data and self.starts_on.data and field.data <= self.starts_on.data:
            raise ValidationError(_l("The session must end after it starts."))

    def fill_from(self, item) -> None:
        """Show an agenda item's stored values, its speakers and one empty row."""
        self.title.data, self.kind.data = item.title, item.kind
        self.starts_on.data, self.ends_on.data = item.starts_on, item.ends_on
        self.room.data, self.speakers.data = item.room, item.speakers
        while len(self.speaker_rows.entries) < min(len(item.speaker_list) + 1, MAX_SPEAKERS):
            self.speaker_rows.append_entry()
        for entry, person in zip(self.speaker_rows.entries, item.speaker_list, strict=False):
            entry.form.name.data = person.name
            entry.form.organisation.data = person.organisation
            entry.form.role.data = person.role

    def item(self) -> dict:
        return {
            "title": self.title.data,
            "kind": self.kind.data or SessionKind.WORKSHOP.value,
            "starts_on": self.starts_on.data,
            "ends_on": self.ends_on.data,
            "room": self.room.data or "",
            "speakers": (self.speakers.data or "").strip(),
            "speaker_list": [
                {
                    "name": e.form.name.data,
                    "organisation": e.form.organisation.data or "",
                    "role": e.form.role.data or "",
                }
                for e in self.speaker_rows.entries
                if e.form.name.data
            ],
        }


class LocalDetailsForm(FlaskForm):
    """What a territory contact may change on their own stop."""

    venue_name = StringField(_l("Venue"), filters=[strip], validators=[Optional(), Length(max=300)])
    venue_address = StringField(
        _l("Venue address"), filters=[strip], validators=[Optional(), Length(max=300)]
    )
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=10000)])
    capacity = IntegerField(
        _l("Capacity (people)"), validators=[Optional(), NumberRange(0, 100000)]
    )
    agenda = FieldList(
        FormField(AgendaItemForm), min_entries=AGENDA_ROWS, max_entries=MAX_AGENDA_ROWS
    )

    def fill_from(self, stop) -> None:
        """Show a stop's stored values."""
        self.venue_name.data, self.venue_address.data = stop.venue_name, stop.venue_address
        self.description.data, self.capacity.data = stop.description, stop.capacity
        # Every item, and two empty rows to add more.
        wanted = min(max(AGENDA_ROWS, len(stop.agenda_items) + 2), MAX_AGENDA_ROWS)
        while len(self.agenda.entries) < wanted:
            self.agenda.append_entry()
        for entry, item in zip(self.agenda.entries, stop.agenda_items, strict=False):
            entry.form.fill_from(item)

    def local_fields(self) -> dict:
        return {
            "venue_name": self.venue_name.data or "",
            "venue_address": self.venue_address.data or "",
            "description": self.description.data or "",
            "capacity": self.capacity.data,
        }

    def agenda_items(self) -> list[dict]:
        return [e.form.item() for e in self.agenda.entries if e.form.title.data]

    def add_speaker_row(self, index: int) -> None:
        """One more empty speaker row on agenda item `index` (the page without JavaScript)."""
        if 0 <= index < len(self.agenda.entries):
            rows = self.agenda.entries[index].form.speaker_rows
            if len(rows.entries) < MAX_SPEAKERS:
                rows.append_entry()


class StopForm(LocalDetailsForm):
    """Everything staff may change, the date included."""

    title = StringField(_l("Title"), filters=[strip], validators=[InputRequired(), Length(max=200)])
    day = DateField(_l("Date"), validators=[InputRequired(), WithinPlatformYears()])
    starts = TimeField(_l("Start time (Paris)"), validators=[InputRequired()])
    ends = TimeField(_l("End time (Paris)"), validators=[InputRequired()])
    city = StringField(_l("City"), filters=[strip], validators=[Optional(), Length(max=200)])
    commune_insee = StringField(
        _l("Commune INSEE code"), filters=[strip], validators=[Optional(), Length(max=5)]
    )
    latitude = FloatField(_l("Latitude"), validators=[Optional(), NumberRange(-90, 90)])
    longitude = FloatField(_l("Longitude"), validators=[Optional(), NumberRange(-180, 180)])
    host_contacts = FieldList(
        FormField(ContactForm), min_entries=CONTACT_ROWS, max_entries=CONTACT_ROWS
    )
    partners = TextAreaField(
        _l("Partners involved, one per line"), validators=[Optional(), Length(max=5000)]
    )

    def validate_ends(self, field):
        if self.starts.data and field.data and field.data <= self.starts.data:
            raise ValidationError(_l("The stop must end after it starts."))

    def validate_commune_insee(self, field):
        if field.data and db.session.get(Commune, field.data) is None:
            raise ValidationError(_l("No commune has this INSEE code."))

    def fill_from(self, stop) -> None:
        super().fill_from(stop)
        starts, ends = to_local(stop.starts_at), to_local(stop.ends_at)
        self.title.data, self.day.data = stop.title, starts.date()
        self.starts.data, self.ends.data = starts.time(), ends.time()
        self.city.data, self.commune_insee.data = stop.city, stop.commune_insee or ""
        self.latitude.data, self.longitude.data = stop.latitude, stop.longitude
        self.partners.data = stop.partners
        for entry, contact in zip(
            self.host_contacts.entries, stop.host_contacts or [], strict=False
        ):
            for key in ("name", "function", "email", "phone"):
                getattr(entry.form, key).data = contact.get(key, "")

    def staff_fields(self) -> dict:
        return {
            **self.local_fields(),
            "title": self.title.data,
            "city": self.city.data or "",
            "commune_insee": self.commune_insee.data or None,
            "latitude": self.latitude.data,
            "longitude": self.longitude.data,
            "partners": (self.partners.data or "").strip(),
            "host_contacts": [
                {
                    key: getattr(e.form, key).data or ""
                    for key in ("name", "function", "email", "phone")
                }
                for e in self.host_contacts.entries
                if e.form.name.data or e.form.email.data
            ],
        }


class MoveForm(FlaskForm):
    day = DateField(_l("New date"), validators=[InputRequired(), WithinPlatformYears()])


class CancelForm(FlaskForm):
    reason = TextAreaField(_l("Reason (shown to hosts)"), validators=[Optional(), Length(max=2000)])


class ActionForm(FlaskForm):
    """Only a CSRF token, for buttons that change something."""


class RulesForm(FlaskForm):
    max_stops_per_week = IntegerField(
        _l("Most stops in one week"), validators=[InputRequired(), NumberRange(1, 7)]
    )
    max_km_per_day = IntegerField(
        _l("Most kilometres a day between stops"),
        validators=[InputRequired(), NumberRange(1, 2000)],
    )
    is_august_break = BooleanField(_l("Warn about stops in August"))
    is_parallel_allowed = BooleanField(_l("Several stops may share a day"))
