"""Reminders before each stop, by audience; lead times are stored relative to the stop,
so a moved stop reminds again for its new date and a cancelled one reminds nobody."""

from collections import defaultdict
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import selectinload

from coordination.calendar import queries
from coordination.calendar.models import ReminderRule
from coordination.calendar.services import host_accounts
from coordination.core.clock import shift_local_days, to_local
from coordination.core.urls import external_url
from coordination.extensions import db
from coordination.notifications.services import queue_email_to
from coordination.stops.models import Stop, StopStatus

AUDIENCES = ("partners", "hosts")
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


def _is_due(stop: Stop, days: int, now: datetime) -> bool:
    # A reminder whose time had passed when the stop was confirmed is no catch-up: the
    # invitation just told them. One missed while the scheduler was down still goes.
    moment = due_at(stop, days)
    return moment <= now and (stop.confirmed_at is None or moment >= stop.confirmed_at)


def send_due_reminders(now: datetime) -> int:
    """Queue the reminders due at `now` for confirmed stops still ahead (no commit)."""
    horizon = now + timedelta(days=366)
    stops = list(
        db.session.scalars(
            select(Stop)
            .options(selectinload(Stop.agenda_items))
            .where(
                Stop.status == StopStatus.CONFIRMED,
                Stop.starts_at > now,
                Stop.starts_at <= horizon,
            )
            .order_by(Stop.starts_at)
        )
    )
    rules = lead_times_for(sorted({stop.edition_id for stop in stops}))
    queued = 0
    for stop in stops:
        for audience, days in rules[stop.edition_id].items():
            due = [d for d in days if _is_due(stop, d, now)]
            if not due:
                continue
            # After a long outage only the nearest reminder goes: no burst of stale ones.
            lead = min(due)
            for user in recipients(stop, audience):
                if not user.is_active:
                    continue
                queue_email_to(
                    user,
                    key=reminder_key(stop, user.id, lead),
                    template="calendar/reminder",
                    context={
                        "user": user,
                        "stop": stop,
                        "days_left": (to_local(stop.starts_at).date() - to_local(now).date()).days,
                        "url": external_url("stops.stop_page", stop_id=stop.id),
                    },
                    now=now,
                )
                queued += 1
    return queued
