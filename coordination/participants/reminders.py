"""Participants' reminder before a stop, planned for the agenda of messages and queued by
its job from the same plan (one rule: `_moment`)."""

from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from coordination.core.clock import to_local
from coordination.extensions import db
from coordination.notifications.agenda import (
    PlannedMessage,
    Recipient,
    SentMessage,
    active_holds,
    is_held,
    register_planner,
    sent_between,
)
from coordination.notifications.services import queue_planned
from coordination.participants.models import Registration
from coordination.stops.models import Stop, StopStatus

KIND = "participant_reminder"


def _moment(stop: Stop) -> datetime | None:
    """When a stop's participants are reminded, or None if they are not (confirmed late)."""
    from coordination.participants.services import reminder_due_at

    moment = reminder_due_at(stop)
    if stop.confirmed_at is not None and stop.confirmed_at > moment:
        return None
    return moment


def _stops(edition_ids, now: datetime, until: datetime) -> list[Stop]:
    # A day's margin in SQL (daylight saving); the exact Paris-time rule is _moment.
    query = select(Stop).where(
        Stop.status == StopStatus.CONFIRMED,
        Stop.starts_at > now,
        Stop.starts_at <= until + timedelta(days=3),
    )
    if edition_ids is not None:
        query = query.where(Stop.edition_id.in_(edition_ids))
    return list(db.session.scalars(query.order_by(Stop.starts_at, Stop.id)))


def _planned(stops_moments: list[tuple[Stop, datetime]]) -> list[PlannedMessage]:
    """One planned message per stop, its registrations loaded in one query for all."""
    from coordination.participants.services import REMINDER_DAYS, manage_url, reminder_key

    by_stop: dict[int, list[Registration]] = {}
    if stops_moments:
        for registration in db.session.scalars(
            select(Registration)
            .where(
                Registration.stop_id.in_([stop.id for stop, _m in stops_moments]),
                Registration.cancelled_at.is_(None),
            )
            .order_by(Registration.id)
        ):
            by_stop.setdefault(registration.stop_id, []).append(registration)
    items = []
    for stop, moment in stops_moments:
        # Who registered inside the reminder window just had a confirmation.
        registrations = {
            reminder_key(stop, r, REMINDER_DAYS): r
            for r in by_stop.get(stop.id, [])
            if r.registered_at <= moment
        }

        def context(recipient, now, stop=stop, registrations=registrations):
            registration = registrations[recipient.key]
            return {
                "registration": registration,
                "stop": stop,
                "days_left": (to_local(stop.starts_at).date() - to_local(now).date()).days,
                "url": manage_url(registration),
            }

        items.append(
            PlannedMessage(
                kind=KIND,
                audience="participants",
                planned_at=moment,
                edition_id=stop.edition_id,
                stop_id=stop.id,
                item=f"participants:P{REMINDER_DAYS}D",
                template="participants/reminder",
                label=stop.title,
                recipients=[
                    Recipient(email=r.email, name=r.name, locale=r.locale, key=key)
                    for key, r in registrations.items()
                ],
                context=context,
            )
        )
    return items


def plan_participant_reminders(edition_ids, start, end, now) -> list[PlannedMessage]:
    """Participants' reminders planned in (start, end] (agenda planner; read only)."""
    wanted = []
    for stop in _stops(edition_ids, now, end):
        moment = _moment(stop)
        if moment is not None and (start is None or moment > start) and moment <= end:
            wanted.append((stop, moment))
    return _planned(wanted)


def send_reminders(now: datetime) -> int:
    """Remind registered participants of confirmed stops starting within two days, unless
    held (no commit)."""
    due = []
    for stop in _stops(None, now, now):
        moment = _moment(stop)
        if moment is not None and moment <= now:
            due.append((stop, moment))
    planned = _planned(due)
    holds = active_holds({item.stop_id for item in planned})
    return queue_planned([item for item in planned if not is_held(item, holds)], now)


def sent_participant_reminders(edition_ids, since, until) -> list[SentMessage]:
    """The participants' reminders of these editions queued in (since, until]."""
    stops = {
        stop.id: stop
        for stop in db.session.scalars(select(Stop).where(Stop.edition_id.in_(edition_ids)))
    }
    rows = []
    for message, parts in sent_between("reminder:stop:", since, until):
        # reminder:stop:<stop>:participant:<registration>:P<days>D:<start>
        if len(parts) < 6 or parts[3] != "participant" or not parts[2].isdigit():
            continue  # the stop reminders share the prefix; theirs is another kind
        if int(parts[2]) not in stops:
            continue
        stop = stops[int(parts[2])]
        rows.append(
            SentMessage(
                KIND, "participants", stop.id, f"participants:{parts[5]}", stop.title, message
            )
        )
    return rows


def register_planners() -> None:
    """Declare participants' reminders to the agenda of messages."""
    register_planner(
        KIND,
        _l("Participants' reminders"),
        plan_participant_reminders,
        sent_participant_reminders,
        {"participants": _l("Participants")},
    )
