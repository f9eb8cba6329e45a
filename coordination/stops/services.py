"""State changes of stops: create from applications, edit, confirm, reschedule, cancel.

Every service flushes and never commits (the view or job does). Every change that
calendars care about raises the stop's sequence and sends `stop_changed` inside the
transaction, so invitations are written (or rolled back) with the change itself.
"""

from datetime import date, datetime, time, timedelta

from flask_babel import gettext as _
from sqlalchemy import select

from coordination.auth.models import Role, User
from coordination.campaigns.models import Edition
from coordination.core.clock import local_datetime, to_local
from coordination.core.signals import stop_changed
from coordination.extensions import db
from coordination.forums.models import Speaker
from coordination.stops.models import (
    CALENDAR_FIELDS,
    AgendaItem,
    SessionKind,
    Stop,
    StopChange,
    StopRules,
    StopStatus,
    WarningAcknowledgement,
)
from coordination.stops.warnings import CODES
from coordination.territories.models import Commune

#: A stop's day when nothing else is known (Paris time).
DEFAULT_START = time(9, 0)
DEFAULT_END = time(17, 0)

#: Fields a territory contact may change on their own stop (not the date, not the status).
LOCAL_FIELDS = ("venue_name", "venue_address", "description", "capacity")
#: Fields staff may change through the edit form (dates go through reschedule_stop).
STAFF_FIELDS = (
    "title",
    "description",
    "venue_name",
    "venue_address",
    "city",
    "commune_insee",
    "latitude",
    "longitude",
    "host_contacts",
    "partners",
    "capacity",
)


class StopError(Exception):
    """A change the rules refuse; the message is shown to the user."""


# --- Permissions ------------------------------------------------------------------------


def is_staff(user) -> bool:
    return bool(user and user.is_authenticated and user.has_role(Role.STAFF))


def is_local_host(user, stop: Stop) -> bool:
    """A territory contact named among the stop's hosts, or a member of its application;
    or an approved partner contact of an organiser of the programme event it came from."""
    if not (user and user.is_authenticated):
        return False
    if user.has_role(Role.PARTNER_CONTACT):
        # Imported here: the programmes import this module.
        from coordination.programmes.queries import organises_stop

        if organises_stop(user.id, stop.id):
            return True
    if not user.has_role(Role.TERRITORY_CONTACT):
        return False
    if user.email.lower() in stop.host_emails:
        return True
    return bool(stop.application and any(m.id == user.id for m in stop.application.members))


def can_edit_local_details(user, stop: Stop) -> bool:
    """Staff, or the stop's own hosts: venue and agenda."""
    return is_staff(user) or is_local_host(user, stop)


def can_see(user, stop: Stop) -> bool:
    """The public sees confirmed and held stops, and cancelled ones that had been confirmed;
    the others only staff and the stop's hosts."""
    announced = stop.status in (StopStatus.CONFIRMED, StopStatus.HELD) or (
        stop.status == StopStatus.CANCELLED and stop.confirmed_at is not None
    )
    return announced or can_edit_local_details(user, stop)


# --- Helpers ----------------------------------------------------------------------------


def _as_text(value) -> object:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, time | date):
        return value.isoformat()
    return value


def record_change(
    stop: Stop, action: str, changes: dict, by: User | None, now: datetime, note: str = ""
) -> None:
    """Add a line to the stop's history (who, when, what changed: old and new values)."""
    stop.changes.append(
        StopChange(
            action=action,
            changes={k: [_as_text(old), _as_text(new)] for k, (old, new) in changes.items()},
            note=note,
            by_id=by.id if by else None,
            at=now,
        )
    )


def _apply(stop: Stop, fields: dict) -> dict:
    """Set the fields that differ; return {field: (old, new)}."""
    changed = {}
    for name, value in fields.items():
        old = getattr(stop, name)
        if old != value:
            changed[name] = (old, value)
            setattr(stop, name, value)
    return changed


def _announce(stop: Stop, change: str, changed: dict, by: User | None, now: datetime) -> None:
    if any(name in CALENDAR_FIELDS for name in changed):
        stop.sequence = (stop.sequence or 0) + 1
    # TimestampMixin's onupdate uses the wall clock; calendars need the service's `now`.
    stop.updated_at = now
    db.session.flush()
    stop_changed.send(stop, now=now, change=change, by=by, fields=frozenset(changed))


def rules_row(edition: Edition) -> StopRules:
    """The edition's rules row, created with the defaults when missing."""
    rules = db.session.scalar(select(StopRules).where(StopRules.edition_id == edition.id))
    if rules is None:
        rules = StopRules(
            edition_id=edition.id,
            max_stops_per_week=3,
            max_km_per_day=400,
            is_august_break=True,
            is_parallel_allowed=False,
        )
        db.session.add(rules)
        db.session.flush()
    return rules


# --- Changes ----------------------------------------------------------------------------


def _check_times(starts_at: datetime, ends_at: datetime) -> None:
    if ends_at <= starts_at:
        raise StopError(_("The stop must end after it starts."))


def _check_open(stop: Stop) -> None:
    if stop.status == StopStatus.CANCELLED:
        raise StopError(_("This stop is cancelled."))


def _update(stop: Stop, fields: dict, by: User | None, now: datetime, local_only: bool) -> dict:
    allowed = LOCAL_FIELDS if local_only else STAFF_FIELDS
    refused = set(fields) - set(allowed)
    if refused:
        raise StopError(_("You may not change these details: %(names)s.", names=sorted(refused)))
    if "commune_insee" in fields and fields["commune_insee"] != stop.commune_insee:
        commune = (
            db.session.get(Commune, fields["commune_insee"]) if fields["commune_insee"] else None
        )
        if commune is not None and fields.get("latitude") is None:
            fields = {**fields, "latitude": commune.latitude, "longitude": commune.longitude}
    changed = _apply(stop, fields)
    if changed:
        record_change(stop, "updated", changed, by, now)
    return changed


def _reschedule(
    stop: Stop, starts_at: datetime, ends_at: datetime, by: User | None, now: datetime
) -> dict:
    if (starts_at, ends_at) == (stop.starts_at, stop.ends_at):
        return {}
    _check_open(stop)
    _check_times(starts_at, ends_at)
    changed = _apply(stop, {"starts_at": starts_at, "ends_at": ends_at})
    record_change(stop, "rescheduled", changed, by, now)
    return changed


def update_stop(
    stop: Stop, fields: dict, by: User | None, now: datetime, *, local_only: bool = False
) -> dict:
    """Change a stop's details (staff: every detail; hosts: `local_only`, venue and capacity)."""
    changed = _update(stop, fields, by, now, local_only)
    if changed:
        _announce(stop, "updated", changed, by, now)
    return changed


def reschedule_stop(
    stop: Stop, starts_at: datetime, ends_at: datetime, by: User | None, now: datetime
) -> dict:
    """Move a stop to new times (staff only); recorded, sequence raised, announced."""
    changed = _reschedule(stop, starts_at, ends_at, by, now)
    if changed:
        _announce(stop, "rescheduled", changed, by, now)
    return changed


def save_stop(
    stop: Stop,
    by: User | None,
    now: datetime,
    *,
    fields: dict,
    times: tuple[datetime, datetime] | None = None,
    agenda: list[dict] | None = None,
    local_only: bool = False,
) -> dict:
    """One edit form saved: details, times (staff) and agenda, announced once with one new
    sequence, as "rescheduled" when the times moved."""
    if local_only and times is not None:
        raise StopError(_("Only the InnovENT-E team changes the date."))
    changed = _update(stop, fields, by, now, local_only)
    moved = _reschedule(stop, *times, by, now) if times else {}
    agenda_changed = _agenda(stop, agenda, by, now) if agenda is not None else {}
    everything = {**changed, **moved, **agenda_changed}
    if everything:
        _announce(stop, "rescheduled" if moved else "updated", everything, by, now)
    return everything


def move_to_day(stop: Stop, day: date, by: User | None, now: datetime) -> dict:
    """Move a stop to another Paris day, keeping its wall-clock times (across DST too)."""
    starts, ends = to_local(stop.starts_at), to_local(stop.ends_at)
    span_days = (ends.date() - starts.date()).days
    return reschedule_stop(
        stop,
        local_datetime(day, starts.time()),
        local_datetime(day + timedelta(days=span_days), ends.time()),
        by,
        now,
    )


def confirm_stop(stop: Stop, by: User | None, now: datetime) -> None:
    """Confirm a tentative stop's date; calendars then invite its audiences."""
    if stop.status != StopStatus.TENTATIVE:
        raise StopError(_("Only a tentative stop can be confirmed."))
    changed = _apply(stop, {"status": StopStatus.CONFIRMED})
    stop.confirmed_at = now
    record_change(stop, "confirmed", changed, by, now)
    _announce(stop, "confirmed", changed, by, now)


def cancel_stop(stop: Stop, by: User | None, now: datetime, reason: str = "") -> None:
    """Cancel a stop (it stays in calendars, marked cancelled)."""
    if stop.status in (StopStatus.CANCELLED, StopStatus.HELD):
        raise StopError(_("This stop can no longer be cancelled."))
    changed = _apply(stop, {"status": StopStatus.CANCELLED})
    stop.cancelled_at = now
    stop.cancel_reason = reason
    record_change(stop, "cancelled", changed, by, now, note=reason)
    _announce(stop, "cancelled", changed, by, now)


def mark_held(stop: Stop, by: User | None, now: datetime) -> None:
    """Record that a confirmed stop took place."""
    if stop.status != StopStatus.CONFIRMED:
        raise StopError(_("Only a confirmed stop can be marked as held."))
    changed = _apply(stop, {"status": StopStatus.HELD})
    record_change(stop, "held", changed, by, now)
    _announce(stop, "updated", changed, by, now)


def _agenda_row(item) -> list:
    """An agenda item (a dict or a row) as comparable text, its speakers included."""
    get = item.get if isinstance(item, dict) else lambda key, default=None: getattr(item, key)
    people = get("speaker_list", None) or []
    return [
        get("title"),
        _as_text(get("starts_on", None)),
        _as_text(get("ends_on", None)),
        get("kind", None) or SessionKind.WORKSHOP.value,
        get("room", "") or "",
        get("speakers", "") or "",
        [
            [p["name"], p.get("organisation", ""), p.get("role", "")]
            if isinstance(p, dict)
            else [p.name, p.organisation, p.role]
            for p in people
        ],
    ]


def _agenda(stop: Stop, items: list[dict], by: User | None, now: datetime) -> dict:
    old = [_agenda_row(i) for i in stop.agenda_items]
    new = [_agenda_row(r) for r in items]
    if old == new:
        return {}
    stop.agenda_items.clear()
    db.session.flush()
    for position, item in enumerate(items):
        stop.agenda_items.append(
            AgendaItem(
                position=position,
                title=item["title"],
                starts_on=item.get("starts_on"),
                ends_on=item.get("ends_on"),
                kind=item.get("kind") or SessionKind.WORKSHOP,
                room=item.get("room", ""),
                speakers=item.get("speakers", ""),
                speaker_list=[
                    Speaker(
                        position=n,
                        name=p["name"],
                        organisation=p.get("organisation", ""),
                        role=p.get("role", ""),
                    )
                    for n, p in enumerate(item.get("speaker_list") or [])
                ],
            )
        )
    record_change(stop, "agenda", {"agenda": (old, new)}, by, now)
    # The agenda travels in the calendar event's description: a change calendars must see.
    return {"agenda": (old, new), "description": (None, None)}


def set_agenda(stop: Stop, items: list[dict], by: User | None, now: datetime) -> bool:
    """Replace the stop's agenda (workshop-debates); True if anything changed."""
    changed = _agenda(stop, items, by, now)
    if changed:
        _announce(stop, "updated", changed, by, now)
    return bool(changed)


def acknowledge_warning(stop: Stop, code: str, by: User | None, now: datetime):
    """Accept a planning warning on a stop (recorded with who and when)."""
    if code not in CODES:
        raise StopError(_("Unknown warning."))
    for ack in stop.acknowledgements:
        if ack.code == code:
            return ack
    ack = WarningAcknowledgement(code=code, by_id=by.id if by else None, at=now)
    stop.acknowledgements.append(ack)
    db.session.flush()
    return ack


def withdraw_acknowledgement(stop: Stop, code: str) -> None:
    """Show an acknowledged warning again."""
    for ack in list(stop.acknowledgements):
        if ack.code == code:
            stop.acknowledgements.remove(ack)
    db.session.flush()


def save_rules(edition: Edition, **fields) -> StopRules:
    """Change an edition's planning rules."""
    rules = rules_row(edition)
    for name, value in fields.items():
        setattr(rules, name, value)
    db.session.flush()
    return rules


def mark_past_stops_held(now: datetime) -> int:
    """Mark as held every confirmed stop that has ended (by the platform, not a person)."""
    stops = db.session.scalars(
        select(Stop).where(Stop.status == StopStatus.CONFIRMED, Stop.ends_at <= now)
    ).all()
    for stop in stops:
        mark_held(stop, None, now)
    return len(stops)


from coordination.stops.creation import (  # noqa: E402, F401  (moved; callers keep services.x)
    accepted_without_stop,
    create_manual_stop,
    create_stop,
    create_stop_from_application,
    create_stops_from_accepted,
    link_application,
    pending_from_applications,
    territory_stops,
)
