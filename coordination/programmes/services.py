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
from coordination.core.urls import external_url
from coordination.extensions import db
from coordination.notifications.services import queue_email_to
from coordination.participants import services as participants
from coordination.participants.models import Workshop
from coordination.programmes.models import EventCall, EventStatus, ProgrammeEvent
from coordination.stops import services as stops
from coordination.stops.models import AgendaItem, Stop, StopStatus
from coordination.territories.models import Commune

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


def _lock(event: ProgrammeEvent) -> None:
    """Take the event's row (PostgreSQL) and read it again: two staff acting at once on one
    event act one after the other, and the second sees the first's status."""
    db.session.execute(
        select(ProgrammeEvent.id).where(ProgrammeEvent.id == event.id).with_for_update()
    )
    db.session.refresh(event)


# --- Review -----------------------------------------------------------------------------


def _tell_organisers(event: ProgrammeEvent, template: str, by: User, now: datetime) -> None:
    """An email to every approved contact of the event's organisers (Reply-To: staff)."""
    users = {
        c.user.id: c.user for o in event.organisers for c in o.contacts if c.is_approved and c.user
    }
    for user in users.values():
        queue_email_to(
            user,
            key=f"programme-event:{event.id}:{template}:{now.isoformat()}:{user.id}",
            template=f"programmes/{template}",
            reply_to=by.email if by else None,
            context={
                "user": user,
                "event": event,
                "edition": event.edition,
                "comment": event.review_comment,
                "url": external_url("programmes.edit_event", event_id=event.id),
                "stop_url": (
                    external_url("stops.stop_page", stop_id=event.stop_id)
                    if event.stop_id
                    else None
                ),
            },
            now=now,
        )


def return_event(event: ProgrammeEvent, comment: str, by: User, now: datetime) -> None:
    """Send a submitted event back to its organisers with a comment (they get an email)."""
    _lock(event)
    if event.status != EventStatus.SUBMITTED:
        raise EventError(_("Only a submitted event can be sent back."))
    comment = (comment or "").strip()
    if not comment:
        raise EventError(_("Say what the organisers should change."))
    event.status = EventStatus.RETURNED
    event.review_comment = comment
    event.reviewed_at = event.updated_at = now
    event.reviewed_by_id = by.id
    db.session.flush()
    _tell_organisers(event, "returned", by, now)


def _stop_fields(event: ProgrammeEvent) -> dict:
    commune = db.session.get(Commune, event.commune_insee) if event.commune_insee else None
    return {
        "title": event.title,
        "description": event.description,
        "venue_name": event.venue_name,
        "venue_address": event.venue_address,
        "commune_insee": event.commune_insee,
        "city": commune.name if commune else "",
        "latitude": commune.latitude if commune else None,
        "longitude": commune.longitude if commune else None,
        "capacity": event.capacity,
        "partners": "\n".join(o.name for o in event.organisers),
    }


def _agenda(event: ProgrammeEvent) -> list[dict]:
    if not event.is_registration_required:
        return []
    return [{"title": event.title, "starts_on": to_local(event.starts_at).time()}]


def _workshop(stop: Stop) -> Workshop | None:
    workshops = [w for w in participants.sync_workshops(stop) if w.agenda_item_id is not None]
    return workshops[0] if workshops else None


def publish_event(event: ProgrammeEvent, by: User | None, now: datetime, comment: str = "") -> Stop:
    """Publish a submitted event: it becomes a confirmed stop of its edition (with one
    workshop holding its capacity when registration is needed); organisers are told."""
    _lock(event)
    if event.status != EventStatus.SUBMITTED or event.stop_id is not None:
        raise EventError(_("Only a submitted event can be published."))
    stop = stops.create_stop(
        event.edition,
        {
            **_stop_fields(event),
            "territory_id": None,
            "starts_at": event.starts_at,
            "ends_at": event.ends_at,
            "status": StopStatus.TENTATIVE,
        },
        by,
        now,
    )
    for position, item in enumerate(_agenda(event)):
        stop.agenda_items.append(AgendaItem(position=position, **item))
    db.session.flush()
    # Confirming announces the stop once (calendars, feeds), as any confirmed stop.
    stops.confirm_stop(stop, by, now)
    if event.is_registration_required:
        workshop = _workshop(stop)
        if workshop is not None:
            participants.set_capacity(workshop, event.capacity, True, now)
    event.stop_id = stop.id
    event.stop = stop
    event.status = EventStatus.PUBLISHED
    event.published_at = event.reviewed_at = event.updated_at = now
    event.reviewed_by_id = by.id if by else None
    event.review_comment = (comment or "").strip()
    db.session.flush()
    _tell_organisers(event, "published", by, now)
    return stop


def withdraw_event(event: ProgrammeEvent, by: User, now: datetime, reason: str = "") -> None:
    """Withdraw an event from the programme; a published one's stop is cancelled (its
    registrants are told by the stops' cancellation)."""
    _lock(event)
    if event.status == EventStatus.WITHDRAWN:
        raise EventError(_("This event is already withdrawn."))
    if event.stop is not None and event.stop.status in (StopStatus.TENTATIVE, StopStatus.CONFIRMED):
        try:
            stops.cancel_stop(event.stop, by, now, reason=reason)
        except stops.StopError as error:
            raise EventError(str(error)) from None
    event.status = EventStatus.WITHDRAWN
    event.reviewed_at = event.updated_at = now
    event.reviewed_by_id = by.id
    if reason:
        event.review_comment = reason
    db.session.flush()
    _tell_organisers(event, "withdrawn", by, now)


# --- Edits of published events ------------------------------------------------------------


def update_published_event(
    event: ProgrammeEvent, fields: dict, organisers: list, by: User, now: datetime
) -> dict:
    """Change a published event: the stop changes through the stops' save service (new
    SEQUENCE, registrants told of a new date), and the event row follows it."""
    if event.status != EventStatus.PUBLISHED or event.stop is None:
        raise EventError(_("Only a published event can be changed this way."))
    _check_fields(fields)
    _check_organisers(by, organisers)
    stop = event.stop
    if stop.status not in (StopStatus.CONFIRMED, StopStatus.TENTATIVE):
        raise EventError(_("This event has taken place or is cancelled: it can no longer change."))
    if fields["is_registration_required"] != event.is_registration_required:
        raise EventError(_("Ask the InnovENT-E team to change whether registration is needed."))
    for name, value in fields.items():
        setattr(event, name, value)
    event.organisers = list(organisers)
    workshop = _workshop(stop) if event.is_registration_required else None
    if workshop is not None and workshop.title != event.title:
        # Renamed with its agenda line, so registrations stay on the same workshop.
        workshop.title = event.title
    stop_fields = _stop_fields(event)
    if event.commune_insee == stop.commune_insee:
        # Same commune: keep the coordinates staff may have refined.
        for name in ("city", "latitude", "longitude"):
            stop_fields.pop(name)
    try:
        changed = stops.save_stop(
            stop,
            by,
            now,
            fields=stop_fields,
            times=(event.starts_at, event.ends_at),
            agenda=_agenda(event),
        )
    except stops.StopError as error:
        raise EventError(str(error)) from None
    if workshop is not None:
        participants.sync_workshops(stop)
        if workshop.capacity != event.capacity:
            participants.set_capacity(workshop, event.capacity, workshop.is_open, now)
    event.updated_at = now
    db.session.flush()
    return changed
