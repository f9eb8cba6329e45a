"""Review and publication of proposed events: send back, publish as a stop, withdraw,
and organisers' edits of a published event (through the stops' own services).

Callers keep using programmes.services (it re-exports these), as the contract says.
"""

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select

from coordination.auth.models import User
from coordination.core.clock import to_local
from coordination.core.urls import external_url
from coordination.extensions import db
from coordination.notifications.services import queue_email_to
from coordination.participants import services as participants
from coordination.participants.models import Workshop
from coordination.programmes.models import EventStatus, ProgrammeEvent
from coordination.programmes.services import EventError, _check_fields, _check_organisers
from coordination.stops import services as stops
from coordination.stops.models import AgendaItem, Stop, StopStatus
from coordination.territories.models import Commune


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
