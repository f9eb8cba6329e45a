"""The rules of open programmes: the call for events, proposals, review, publication.

A published event is a stop of its edition (see models.py): publishing creates the stop,
and later edits go through the stops' own services, so calendars and registrants follow.
Every service flushes and never commits (the view does).
"""

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select

from coordination.auth.models import Role, User
from coordination.campaigns.models import Edition
from coordination.clubs.models import PartnerContact, PartnerOrganisation
from coordination.core.clock import to_local
from coordination.extensions import db
from coordination.programmes.models import EventCall, EventStatus, ProgrammeEvent

#: What organisers may write on their event (the review fields and status are staff's).
EVENT_FIELDS = (
    "title",
    "format",
    "audience",
    "description",
    "starts_at",
    "ends_at",
    "venue_name",
    "venue_address",
    "commune_insee",
    "capacity",
    "is_registration_required",
)


class EventError(Exception):
    """A change the rules refuse; the message is shown to the user."""


# --- Permissions ------------------------------------------------------------------------


def approved_organisations(user) -> list[PartnerOrganisation]:
    """The organisations a user is an approved contact of, by name."""
    if not (user and user.is_authenticated):
        return []
    return list(
        db.session.scalars(
            select(PartnerOrganisation)
            .join(PartnerContact, PartnerContact.organisation_id == PartnerOrganisation.id)
            .where(PartnerContact.user_id == user.id, PartnerContact.is_approved.is_(True))
            .order_by(PartnerOrganisation.search_name)
        )
    )


def is_organiser(user, event: ProgrammeEvent) -> bool:
    """An approved contact (with the partner role) of one of the event's organisations."""
    if not (user and user.is_authenticated and user.has_role(Role.PARTNER_CONTACT)):
        return False
    return any(c.user_id == user.id and c.is_approved for o in event.organisers for c in o.contacts)


def can_propose(user) -> bool:
    """Partner contacts with at least one approved organisation propose events."""
    return bool(
        user
        and user.is_authenticated
        and user.has_role(Role.PARTNER_CONTACT)
        and approved_organisations(user)
    )


# --- The call for events ----------------------------------------------------------------


def call_of(edition: Edition) -> EventCall | None:
    """The edition's call for events, if staff opened one."""
    return db.session.scalar(select(EventCall).where(EventCall.edition_id == edition.id))


def save_call(edition: Edition, fields: dict) -> EventCall:
    """Create or change the edition's call for events (opening, deadline, instructions)."""
    if fields["closes_at"] <= fields["opens_at"]:
        raise EventError(_("The deadline must come after the opening."))
    call = call_of(edition)
    if call is None:
        call = EventCall(edition_id=edition.id)
        db.session.add(call)
    for name, value in fields.items():
        setattr(call, name, value)
    db.session.flush()
    return call


def is_call_open(call: EventCall | None, now: datetime) -> bool:
    """Between the opening and the deadline."""
    return call is not None and call.opens_at <= now < call.closes_at


# --- Proposals --------------------------------------------------------------------------


def _check_fields(fields: dict) -> None:
    unknown = set(fields) - set(EVENT_FIELDS)
    if unknown:
        raise EventError(_("You may not change these details: %(names)s.", names=sorted(unknown)))
    if fields["ends_at"] <= fields["starts_at"]:
        raise EventError(_("The event must end after it starts."))


def _check_organisers(user: User, organisers: list[PartnerOrganisation]) -> None:
    if user.has_role(Role.STAFF):
        if not organisers:
            raise EventError(_("Choose at least one organiser."))
        return
    own = {o.id for o in approved_organisations(user)}
    if not any(o.id in own for o in organisers):
        raise EventError(_("Keep at least one of your organisations among the organisers."))


def create_draft(
    edition: Edition, fields: dict, organisers: list, by: User, now: datetime
) -> ProgrammeEvent:
    """A new proposal, saved as a draft, while the edition's call is open."""
    if not is_call_open(call_of(edition), now):
        raise EventError(_("The call for events of this edition is not open."))
    _check_fields(fields)
    _check_organisers(by, organisers)
    event = ProgrammeEvent(
        edition_id=edition.id, status=EventStatus.DRAFT, created_by_id=by.id, **fields
    )
    event.organisers = list(organisers)
    event.created_at = event.updated_at = now
    db.session.add(event)
    db.session.flush()
    return event


def save_draft(
    event: ProgrammeEvent, fields: dict, organisers: list, by: User, now: datetime
) -> None:
    """Change a draft or a sent-back event (kept as it is: draft or sent back)."""
    if event.status not in (EventStatus.DRAFT, EventStatus.RETURNED):
        raise EventError(_("Only a draft or an event sent back can be changed this way."))
    _check_fields(fields)
    _check_organisers(by, organisers)
    for name, value in fields.items():
        setattr(event, name, value)
    event.organisers = list(organisers)
    event.updated_at = now
    db.session.flush()


def missing_details(event: ProgrammeEvent) -> list[str]:
    """What a proposal still lacks before it can be submitted (labels for the user)."""
    missing = []
    if not event.audience:
        missing.append(_("audience"))
    if not event.description:
        missing.append(_("description"))
    if not event.venue_name:
        missing.append(_("venue"))
    if not event.venue_address:
        missing.append(_("venue address"))
    if not event.commune_insee:
        missing.append(_("commune"))
    if not event.organisers:
        missing.append(_("organisers"))
    return missing


def submit_event(event: ProgrammeEvent, by: User, now: datetime) -> None:
    """Send a complete draft (or a sent-back event) to staff, before the call's deadline."""
    if event.status not in (EventStatus.DRAFT, EventStatus.RETURNED):
        raise EventError(_("This event has already been submitted."))
    call = call_of(event.edition)
    if call is None or now < call.opens_at:
        raise EventError(_("The call for events of this edition is not open."))
    # A sent-back event may come back after the deadline: staff asked for it.
    if now >= call.closes_at and event.status == EventStatus.DRAFT:
        raise EventError(
            _(
                "The deadline for proposing events has passed: your draft is kept, "
                "but it can no longer be submitted."
            )
        )
    missing = missing_details(event)
    if missing:
        raise EventError(
            _("Complete the proposal before submitting it: %(names)s.", names=", ".join(missing))
        )
    day = to_local(event.starts_at).date()
    edition = event.edition
    if not edition.starts_on <= day <= edition.ends_on:
        raise EventError(_("The event must take place during the edition's dates."))
    event.status = EventStatus.SUBMITTED
    event.submitted_at = event.updated_at = now
    db.session.flush()


from coordination.programmes.publishing import (  # noqa: E402, F401  (callers keep services.x)
    publish_event,
    return_event,
    update_published_event,
    withdraw_event,
)
