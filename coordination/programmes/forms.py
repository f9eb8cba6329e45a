"""Forms of open programmes: the call for events (staff), a proposal, a review comment."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    DateTimeLocalField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from coordination.campaigns.forms import MultiCheckboxField, options, strip
from coordination.core.clock import local_datetime
from coordination.core.validators import WithinPlatformYears
from coordination.programmes.models import FORMAT_LABELS
from coordination.stops.manual import find_commune
from coordination.territories.models import Commune


class CallForm(FlaskForm):
    """The call for events of an edition: when partners may propose, and what to say."""

    opens_at = DateTimeLocalField(
        _l("Opens on (Paris time)"),
        format="%Y-%m-%dT%H:%M",
        validators=[InputRequired(), WithinPlatformYears()],
    )
    closes_at = DateTimeLocalField(
        _l("Deadline (Paris time)"),
        format="%Y-%m-%dT%H:%M",
        validators=[InputRequired(), WithinPlatformYears()],
    )
    region_code = SelectField(_l("Région"), validators=[Optional()])
    instructions = TextAreaField(
        _l("Instructions to the organisers"), validators=[Optional(), Length(max=10000)]
    )

    def validate_closes_at(self, field):
        if self.opens_at.data and field.data and field.data <= self.opens_at.data:
            raise ValidationError(_l("The deadline must come after the opening."))


class EventForm(FlaskForm):
    """An event organisers propose (a draft needs a title and its times; the rest on
    submission, see services.missing_details)."""

    title = StringField(_l("Title"), filters=[strip], validators=[InputRequired(), Length(max=200)])
    format = SelectField(
        _l("Format"), choices=options(FORMAT_LABELS.items()), validators=[InputRequired()]
    )
    audience = StringField(
        _l("Who it is for"), filters=[strip], validators=[Optional(), Length(max=300)]
    )
    day = DateField(_l("Date"), validators=[InputRequired(), WithinPlatformYears()])
    starts = TimeField(_l("Start time (Paris)"), validators=[InputRequired()])
    ends = TimeField(_l("End time (Paris)"), validators=[InputRequired()])
    venue_name = StringField(_l("Venue"), filters=[strip], validators=[Optional(), Length(max=300)])
    venue_address = StringField(
        _l("Venue address"), filters=[strip], validators=[Optional(), Length(max=300)]
    )
    commune_name = StringField(
        _l("Commune"), filters=[strip], validators=[Optional(), Length(max=200)]
    )
    commune_insee = StringField(
        _l("Commune INSEE code (if the search does not find it)"),
        filters=[strip],
        validators=[Optional(), Length(max=5)],
    )
    capacity = IntegerField(
        _l("Capacity (leave empty for no limit)"),
        validators=[Optional(), NumberRange(min=1, max=100000)],
    )
    is_registration_required = RadioField(
        _l("Registration"),
        choices=options(
            [("1", _l("Visitors register (capacity and waiting list)")), ("0", _l("Open to all"))]
        ),
        default="1",
    )
    description = TextAreaField(
        _l("Description"), filters=[strip], validators=[Optional(), Length(max=10000)]
    )
    organisation_ids = MultiCheckboxField(_l("Organisers"), coerce=int)

    #: Set by validation: the commune the commune fields name, or None when empty.
    commune: Commune | None = None

    def validate_commune_name(self, field):
        if not field.data and not self.commune_insee.data:
            self.commune = None
            return
        try:
            self.commune = find_commune(field.data or "", self.commune_insee.data or "")
        except ValueError as error:
            raise ValidationError(str(error.args[0])) from None

    def validate_ends(self, field):
        if self.starts.data and field.data and field.data <= self.starts.data:
            raise ValidationError(_l("The event must end after it starts."))

    def validate_organisation_ids(self, field):
        if not field.data:
            raise ValidationError(_l("Choose at least one organiser."))

    def fields(self) -> dict:
        """The event's fields, times in UTC from the Paris date and times typed."""
        return {
            "title": self.title.data,
            "format": self.format.data,
            "audience": self.audience.data or "",
            "description": self.description.data or "",
            "starts_at": local_datetime(self.day.data, self.starts.data),
            "ends_at": local_datetime(self.day.data, self.ends.data),
            "venue_name": self.venue_name.data or "",
            "venue_address": self.venue_address.data or "",
            "commune_insee": self.commune.insee_code if self.commune else None,
            "capacity": self.capacity.data,
            "is_registration_required": self.is_registration_required.data == "1",
        }


class ReviewForm(FlaskForm):
    """A staff decision on an event, with a comment (required to send it back)."""

    comment = TextAreaField(
        _l("Comment to the organisers"), filters=[strip], validators=[Length(max=5000)]
    )


class ConfirmForm(FlaskForm):
    """Only a CSRF token."""
