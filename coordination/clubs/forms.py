"""Forms of the clubs: club editing, public registration, decisions, meetings, self-service."""

import re
from datetime import datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    URL,
    Email,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)
from wtforms.widgets import CheckboxInput, ListWidget

from coordination.auth.services import find_user_by_email
from coordination.clubs.models import (
    INTEREST_LABELS,
    MEETING_STATUS_LABELS,
    PARTNER_KIND_LABELS,
    PartnerOrganisation,
)
from coordination.clubs.organisations import clean_siret
from coordination.clubs.queries import find_clubs, slug_in_use
from coordination.core.clock import local_datetime, to_local
from coordination.core.text import MAX_ID, MAX_SEARCH_LENGTH
from coordination.core.validators import WithinPlatformYears
from coordination.extensions import db
from coordination.territories.queries import all_territories, region_choices

_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def _kind_choices():
    return [SelectChoice(kind.value, label) for kind, label in PARTNER_KIND_LABELS.items()]


def _interest_choices():
    return [SelectChoice(interest.value, label) for interest, label in INTEREST_LABELS.items()]


def _region_choices(empty_label):
    return [SelectChoice("", empty_label)] + [
        SelectChoice(code, name) for code, name in region_choices()
    ]


class ActionForm(FlaskForm):
    """Only a CSRF token, for one-button actions (leave a club, remove a contact)."""


class ClubForm(FlaskForm):
    name = StringField(_l("Name"), validators=[InputRequired(), Length(max=200)], filters=[_strip])
    slug = StringField(
        _l("Web address"), validators=[InputRequired(), Length(max=80)], filters=[_strip]
    )
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=5000)])
    is_open = BooleanField(_l("Open to registration"), default=True)
    territory_ids = MultiCheckboxField(_l("Territories"), coerce=int)
    #: One email address per line, of existing accounts.
    lead_emails = TextAreaField(_l("Leads (one email address per line)"))

    def __init__(self, *args, club_id: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.club_id = club_id
        self.territory_ids.choices = [SelectChoice(t.id, t.name) for t in all_territories()]
        self.leads = []

    def validate_slug(self, field):
        if not _SLUG.match(field.data or ""):
            raise ValidationError(
                _("Lower-case letters, digits and hyphens only, e.g. club-pithiverais.")
            )
        if slug_in_use(field.data, self.club_id):
            raise ValidationError(_("Another club already has this address."))

    def validate_territory_ids(self, field):
        if not field.data:
            raise ValidationError(_("Choose at least one territory."))

    def validate_lead_emails(self, field):
        emails = [line.strip() for line in (field.data or "").splitlines() if line.strip()]
        unknown = []
        self.leads = []
        for email in dict.fromkeys(emails):
            user = find_user_by_email(email)
            if user is None:
                unknown.append(email)
            else:
                self.leads.append(user)
        if unknown:
            raise ValidationError(
                _("No account has the address %(emails)s.", emails=", ".join(unknown))
            )

    def club_fields(self) -> dict:
        """The validated input, as save_club() takes it."""
        return {
            "name": self.name.data,
            "slug": self.slug.data,
            "description": self.description.data or "",
            "is_open": self.is_open.data,
            "territory_ids": self.territory_ids.data,
            "leads": self.leads,
        }


class OrganisationFieldsMixin:
    """The organisation's own fields, shared by the registration and self-service forms."""

    organisation_name = StringField(
        _l("Organisation name"), validators=[InputRequired(), Length(max=200)], filters=[_strip]
    )
    kind = SelectField(_l("Kind of organisation"), validators=[InputRequired()])
    siret = StringField(
        _l("SIRET number (optional)"), validators=[Optional(), Length(max=20)], filters=[_strip]
    )
    website = StringField(
        _l("Website"),
        validators=[Optional(), URL(require_tld=True), Length(max=300)],
        filters=[_strip],
    )
    address = TextAreaField(_l("Address"), validators=[Optional(), Length(max=1000)])
    region_code = SelectField(_l("Région"))
    interests = MultiCheckboxField(_l("Interests"))

    def _setup_organisation_fields(self):
        self.kind.choices = _kind_choices()
        self.region_code.choices = _region_choices(_("Choose a région"))
        self.interests.choices = _interest_choices()
        self.clean_siret_value = None

    def validate_siret(self, field):
        try:
            self.clean_siret_value = clean_siret(field.data)
        except ValueError:
            raise ValidationError(
                _("This is not a valid SIRET number: 14 digits with a valid check digit.")
            ) from None

    def organisation_fields(self) -> dict:
        """The organisation's validated fields, as update_organisation() takes them."""
        return {
            "name": self.organisation_name.data,
            "kind": self.kind.data,
            "siret": self.clean_siret_value,
            "website": self.website.data or "",
            "address": (self.address.data or "").strip(),
            "region_code": self.region_code.data or None,
        }


class RegistrationForm(OrganisationFieldsMixin, FlaskForm):
    contact_name = StringField(
        _l("Your name"), validators=[InputRequired(), Length(max=200)], filters=[_strip]
    )
    email = EmailField(
        _l("Your email address"),
        validators=[InputRequired(), Email(), Length(max=254)],
        filters=[_strip],
    )
    club_query = StringField(
        _l("Find clubs by territory, city or département"),
        validators=[Optional()],
        # Cut as the GET search is: a longer pattern is too complex for SQLite's LIKE.
        filters=[_strip, lambda value: value[:MAX_SEARCH_LENGTH] if value else value],
    )
    club_region = SelectField(_l("Région of the clubs"), validators=[Optional()])
    club_ids = MultiCheckboxField(_l("Clubs to join"), coerce=int)
    consent = BooleanField(
        _l("I agree that my data is used as described above."), validators=[InputRequired()]
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._setup_organisation_fields()
        self.club_region.choices = _region_choices(_("All régions"))
        self.open_clubs = find_clubs(only_open=True)
        self.club_ids.choices = [SelectChoice(club.id, club.name) for club in self.open_clubs]

    def shown_clubs(self):
        """The open clubs matching the search, and those already ticked."""
        if not (self.club_query.data or self.club_region.data):
            return self.open_clubs
        found = {
            club.id
            for club in find_clubs(
                self.club_query.data or "", self.club_region.data or "", only_open=True
            )
        }
        ticked = set(self.club_ids.data or [])
        return [club for club in self.open_clubs if club.id in found or club.id in ticked]

    def validate_club_ids(self, field):
        if not field.data:
            raise ValidationError(_("Choose at least one club."))

    def registration_payload(self) -> dict:
        """What is kept until the email is confirmed (JSON)."""
        return {
            "organisation": self.organisation_fields(),
            "contact_name": self.contact_name.data,
            "club_ids": list(self.club_ids.data),
            "interests": list(self.interests.data or []),
        }


class OrganisationForm(OrganisationFieldsMixin, FlaskForm):
    def __init__(self, *args, organisation_id: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self._setup_organisation_fields()
        self.organisation_id = organisation_id

    def validate_siret(self, field):
        super().validate_siret(field)
        if self.clean_siret_value:
            other = db.session.scalar(
                select(PartnerOrganisation.id).where(
                    PartnerOrganisation.siret == self.clean_siret_value,
                    PartnerOrganisation.id != self.organisation_id,
                )
            )
            if other is not None:
                raise ValidationError(_("Another organisation already has this SIRET number."))


class ContactForm(FlaskForm):
    name = StringField(_l("Name"), validators=[InputRequired(), Length(max=200)], filters=[_strip])
    email = EmailField(
        _l("Email address"),
        validators=[InputRequired(), Email(), Length(max=254)],
        filters=[_strip],
    )


class DecisionForm(FlaskForm):
    #: The request's version when the page was shown: an old form cannot act on a newer state.
    version = IntegerField(validators=[InputRequired(), NumberRange(min=1, max=MAX_ID)])
    decision = HiddenField(validators=[InputRequired()])
    reason = TextAreaField(_l("Reason (sent to the contact)"), validators=[Length(max=2000)])

    def validate_decision(self, field):
        if field.data not in ("approve", "reject"):
            raise ValidationError(_("Unknown decision."))

    def validate_reason(self, field):
        if self.decision.data == "reject" and not (field.data or "").strip():
            raise ValidationError(_("Say why the request is rejected."))


class MeetingForm(FlaskForm):
    title = StringField(
        _l("Title"), validators=[InputRequired(), Length(max=200)], filters=[_strip]
    )
    day = DateField(_l("Date"), validators=[InputRequired(), WithinPlatformYears()])
    starts = TimeField(_l("Start time"), validators=[InputRequired()])
    ends = TimeField(_l("End time"), validators=[InputRequired()])
    place = StringField(_l("Place"), validators=[Optional(), Length(max=300)], filters=[_strip])
    online_url = StringField(
        _l("Online meeting link"),
        validators=[Optional(), URL(require_tld=False), Length(max=500)],
        filters=[_strip],
    )
    agenda = TextAreaField(_l("Agenda"), validators=[Optional(), Length(max=10000)])
    status = SelectField(
        _l("Status"),
        choices=[
            SelectChoice(status.value, label) for status, label in MEETING_STATUS_LABELS.items()
        ],
    )

    def fill_from(self, meeting) -> None:
        """Show a meeting's stored values in Paris time."""
        starts, ends = to_local(meeting.starts_at), to_local(meeting.ends_at)
        self.title.data, self.day.data = meeting.title, starts.date()
        self.starts.data, self.ends.data = starts.time(), ends.time()
        self.place.data, self.online_url.data = meeting.place, meeting.online_url
        self.agenda.data, self.status.data = meeting.agenda, meeting.status

    def validate_ends(self, field):
        if self.starts.data and field.data and field.data <= self.starts.data:
            raise ValidationError(_("The meeting must end after it starts."))

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        # Both fields are optional on their own (an Optional() field skips inline checks).
        if not self.place.data and not self.online_url.data and not self.online_url.errors:
            self.place.errors = [*self.place.errors, _("Give a place or an online meeting link.")]
            valid = False
        return valid

    def meeting_fields(self) -> dict:
        """The validated input in aware UTC, as save_meeting() takes it."""
        starts_at: datetime = local_datetime(self.day.data, self.starts.data)
        return {
            "title": self.title.data,
            "starts_at": starts_at,
            "ends_at": local_datetime(self.day.data, self.ends.data),
            "place": self.place.data or "",
            "online_url": self.online_url.data or "",
            "agenda": (self.agenda.data or "").strip(),
            "status": self.status.data,
        }


class MergeForm(FlaskForm):
    duplicate_id = SelectField(_l("Duplicate to fold into this organisation"), coerce=int)


class BulkDecisionForm(FlaskForm):
    """Approve or reject many waiting requests at once (ids and versions come beside it)."""

    decision = SelectField(
        _l("With the selection"),
        choices=[SelectChoice("approve", _l("Approve")), SelectChoice("reject", _l("Reject"))],
        validators=[InputRequired()],
    )
    reason = TextAreaField(
        _l("Reason for a rejection (sent to each contact)"), validators=[Length(max=2000)]
    )

    def validate_reason(self, field):
        if self.decision.data == "reject" and not (field.data or "").strip():
            raise ValidationError(_("Say why the request is rejected."))


class SelectionForm(FlaskForm):
    """A staff list's bulk form: the chosen ids come as `ids`, the filters as `back`."""

    back = HiddenField()
