"""Reminders before each stop, by audience; lead times are stored relative to the stop,
so a moved stop reminds again for its new date and a cancelled one reminds nobody."""

from collections import defaultdict
from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, select
from sqlalchemy.orm import selectinload

from coordination.auth.models import User
from coordination.calendar import queries
from coordination.calendar.models import ReminderRule
from coordination.calendar.services import host_accounts
from coordination.campaigns.models import Application
from coordination.core.clock import shift_local_days, to_local
from coordination.core.urls import external_url
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
from coordination.stops.models import Stop, StopStatus

AUDIENCES = ("partners", "hosts")
KIND = "stop_reminder"
DEFAULT_DAYS = {"partners": (14, 2), "hosts": (30, 7)}


def lead_times(edition_id: int) -> dict[str, tuple[int, ...]]:
    """An edition's reminder lead times per audience, in days, largest first."""
    return lead_times_for([edition_id])[edition_id]


def lead_times_for(edition_ids: list[int]) -> dict[int, dict[str, tuple[int, ...]]]:
    """Lead times of several editions in one query (defaults where none are set)."""
    stored: dict[int, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    for rule in db.session.scalars(
        select(ReminderRule).where(ReminderRule.edition_id.in_(edition_ids))
    ):
        stored[rule.edition_id][rule.audience].append(rule.days_before)
    return {
        edition_id: {
            audience: tuple(
                sorted(stored[edition_id].get(audience, DEFAULT_DAYS[audience]), reverse=True)
            )
            for audience in AUDIENCES
        }
        for edition_id in edition_ids
    }


def save_lead_times(edition_id: int, audience: str, days: list[int]) -> None:
    """Replace one audience's lead times for an edition (staff setting)."""
    if audience not in AUDIENCES:
        raise ValueError(f"unknown audience {audience!r}")
    if any(day < 0 or day > 365 for day in days):
        raise ValueError("lead times are between 0 and 365 days")
    db.session.execute(
        delete(ReminderRule).where(
            ReminderRule.edition_id == edition_id, ReminderRule.audience == audience
        )
    )
    for day in sorted(set(days), reverse=True):
        db.session.add(ReminderRule(edition_id=edition_id, audience=audience, days_before=day))
    db.session.flush()


def recipients(stop: Stop, audience: str) -> list:
    """Who one audience of a stop is: its hosts and applicants, or its clubs' partners."""
    if audience == "hosts":
        return list(dict.fromkeys([*host_accounts(stop), *queries.stop_recipients_by_email(stop)]))
    return queries.stop_club_recipients(stop)


def reminder_key(stop: Stop, user_id: int, days: int) -> str:
    """One reminder per stop, person, lead time and start: a moved stop reminds again."""
    start = to_local(stop.starts_at).strftime("%Y-%m-%dT%H:%M")
    return f"reminder:stop:{stop.id}:user:{user_id}:P{days}D:{start}"


def due_at(stop: Stop, days: int) -> datetime:
    """When the "`days` days before" reminder of a stop leaves: the same Paris time."""
    return shift_local_days(stop.starts_at, -days)


def _moments(stop: Stop, rules) -> list[tuple[str, int, datetime]]:
    """(audience, lead, time) of every reminder a stop has, the one rule of when they go."""
    moments = []
    for audience, days in rules[stop.edition_id].items():
        for lead in days:
            moment = due_at(stop, lead)
            # A reminder whose time had passed when the stop was confirmed is no catch-up:
            # the invitation just told them. One missed while the scheduler was down goes.
            if moment < stop.starts_at and (
                stop.confirmed_at is None or moment >= stop.confirmed_at
            ):
                moments.append((audience, lead, moment))
    return moments


def _coming_stops(edition_ids: list[int] | None, now: datetime) -> list[Stop]:
    """Confirmed stops still ahead (within a year), with what their audiences need."""
    query = (
        select(Stop)
        .options(
            selectinload(Stop.agenda_items),
            selectinload(Stop.application).selectinload(Application.members),
        )
        .where(
            Stop.status == StopStatus.CONFIRMED,
            Stop.starts_at > now,
            Stop.starts_at <= now + timedelta(days=366),
        )
        .order_by(Stop.starts_at, Stop.id)
    )
    if edition_ids is not None:
        query = query.where(Stop.edition_id.in_(edition_ids))
    return list(db.session.scalars(query))


def _planned(stop: Stop, audience: str, lead: int, moment: datetime, users) -> PlannedMessage:
    by_id = {user.id: user for user in users}

    def context(recipient: Recipient, now: datetime) -> dict:
        return {
            "user": by_id[recipient.user_id],
            "stop": stop,
            "days_left": (to_local(stop.starts_at).date() - to_local(now).date()).days,
            "url": external_url("stops.stop_page", stop_id=stop.id),
        }

    return PlannedMessage(
        kind=KIND,
        audience=audience,
        planned_at=moment,
        edition_id=stop.edition_id,
        stop_id=stop.id,
        item=f"{audience}:P{lead}D",
        template="calendar/reminder",
        label=stop.title,
        recipients=[
            Recipient(
                email=user.email,
                name=user.name or "",
                locale=user.locale,
                key=reminder_key(stop, user.id, lead),
                user_id=user.id,
            )
            for user in users
            if user.is_active
        ],
        context=context,
    )


def plan_stop_reminders(
    edition_ids: list[int] | None, start: datetime | None, end: datetime, now: datetime
) -> list[PlannedMessage]:
    """The stop reminders planned in (start, end] (agenda planner; read only)."""
    stops = _coming_stops(edition_ids, now)
    rules = lead_times_for(sorted({stop.edition_id for stop in stops}))
    wanted = [
        (stop, audience, lead, moment)
        for stop in stops
        for audience, lead, moment in _moments(stop, rules)
        if (start is None or moment > start) and moment <= end
    ]
    audiences = queries.stops_audiences(list(dict.fromkeys(row[0] for row in wanted)))
    return [
        _planned(stop, audience, lead, moment, audiences[(stop.id, audience)])
        for stop, audience, lead, moment in wanted
    ]


def due_reminders(now: datetime) -> list[PlannedMessage]:
    """The reminders the job queues at `now`: per stop and audience, the nearest reached."""
    stops = _coming_stops(None, now)
    rules = lead_times_for(sorted({stop.edition_id for stop in stops}))
    chosen = []
    for stop in stops:
        nearest: dict[str, tuple[int, datetime]] = {}
        for audience, lead, moment in _moments(stop, rules):
            # After a long outage only the nearest reminder goes: no burst of stale ones.
            if moment <= now and (audience not in nearest or lead < nearest[audience][0]):
                nearest[audience] = (lead, moment)
        chosen += [(stop, audience, *pick) for audience, pick in nearest.items()]
    stops_needed = list(dict.fromkeys(row[0] for row in chosen))
    _make_host_accounts(stops_needed)
    audiences = queries.stops_audiences(stops_needed)
    return [
        _planned(stop, audience, lead, moment, audiences[(stop.id, audience)])
        for stop, audience, lead, moment in chosen
    ]


def _make_host_accounts(stops: list[Stop]) -> None:
    """Accounts for hosts still without one (made at confirmation: rarely any left)."""
    emails = {email for stop in stops for email in stop.host_emails}
    if not emails:
        return
    known = set(
        db.session.scalars(select(func.lower(User.email)).where(func.lower(User.email).in_(emails)))
    )
    for stop in stops:
        if stop.host_emails - known:
            host_accounts(stop)
            known |= stop.host_emails


def send_due_reminders(now: datetime) -> int:
    """Queue the reminders due at `now` for confirmed stops still ahead, unless held (no
    commit)."""
    planned = due_reminders(now)
    holds = active_holds({item.stop_id for item in planned})
    return queue_planned([item for item in planned if not is_held(item, holds)], now)


def sent_stop_reminders(
    edition_ids: list[int], since: datetime, until: datetime
) -> list[SentMessage]:
    """The stop reminders of these editions queued in (since, until], from the outbox."""
    stops = {
        stop.id: stop
        for stop in db.session.scalars(select(Stop).where(Stop.edition_id.in_(edition_ids)))
    }
    rules = lead_times_for(list(edition_ids))
    rows = []
    for message, parts in sent_between("reminder:stop:", since, until):
        # reminder:stop:<stop>:user:<user>:P<days>D:<start>
        if len(parts) < 6 or parts[3] != "user" or not parts[2].isdigit():
            continue  # participants' reminders share the prefix; theirs is another kind
        stop = stops.get(int(parts[2]))
        if stop is None:
            continue
        lead = int(parts[5][1:-1]) if parts[5][1:-1].isdigit() else -1
        audiences = [a for a, days in rules[stop.edition_id].items() if lead in days]
        audience = audiences[0] if len(audiences) == 1 else ""
        rows.append(
            SentMessage(KIND, audience, stop.id, f"{audience}:{parts[5]}", stop.title, message)
        )
    return rows


def register_planners() -> None:
    """Declare the stop reminders to the agenda of messages."""
    register_planner(
        KIND,
        _l("Stop reminders"),
        plan_stop_reminders,
        sent_stop_reminders,
        {"hosts": _l("Hosts and applicants"), "partners": _l("Partners of the clubs")},
    )
