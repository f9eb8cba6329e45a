"""The needs questionnaire after a stop and its one reminder, planned for the agenda of
messages and queued by their job from the same plan (one rule: `_steps`)."""

from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from coordination.core.clock import shift_local_days
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
from coordination.participants.identifiers import make_token
from coordination.participants.models import NeedResponse, Questionnaire, Registration
from coordination.participants.questionnaires import (
    QUESTIONNAIRE_REMINDER_DAYS,
    QUESTIONNAIRE_WINDOW_DAYS,
    _due_at,
)
from coordination.stops.models import Stop, StopStatus

KIND = "needs_questionnaire"
AUDIENCE = "attendees"
TEMPLATE = "participants/questionnaire"
KEY_PREFIX = "participant:questionnaire:"
FIRST, REMINDER = "questionnaire", "reminder"


def questionnaire_key(questionnaire_id: int, registration_id: int, step: str) -> str:
    """One questionnaire and one reminder per registration."""
    suffix = ":reminder" if step == REMINDER else ""
    return f"{KEY_PREFIX}{questionnaire_id}:registration:{registration_id}{suffix}"


def _steps(registration: Registration) -> list[tuple[str, datetime]]:
    """(step, time) of a registration's messages still to go: the questionnaire the day after
    the stop at 9:00 Paris time, then the reminder N days after it was (or will be) sent at
    the same Paris time. The first is the next one the job sends."""
    if registration.questionnaire_sent_at is None:
        due = _due_at(registration.stop)
        return [(FIRST, due), (REMINDER, shift_local_days(due, QUESTIONNAIRE_REMINDER_DAYS))]
    if registration.questionnaire_reminded_at is None:
        return [
            (
                REMINDER,
                shift_local_days(registration.questionnaire_sent_at, QUESTIONNAIRE_REMINDER_DAYS),
            )
        ]
    return []


def _rows(edition_ids, now: datetime, until: datetime) -> list[tuple[Registration, int]]:
    """Who came to a stop ended in the window and has not answered nor had the reminder."""
    query = (
        select(Registration, Questionnaire.id)
        .join(Stop, Stop.id == Registration.stop_id)
        .join(Questionnaire, Questionnaire.edition_id == Stop.edition_id)
        .outerjoin(NeedResponse, NeedResponse.registration_id == Registration.id)
        .options(selectinload(Registration.stop))
        .where(
            Questionnaire.is_active.is_(True),
            Stop.status.in_((StopStatus.CONFIRMED, StopStatus.HELD)),
            Stop.ends_at > now - timedelta(days=QUESTIONNAIRE_WINDOW_DAYS),
            Stop.ends_at <= until,
            Registration.cancelled_at.is_(None),
            # Blanked people (erased, or past retention) are not asked.
            Registration.anonymised_at.is_(None),
            Registration.checked_in_at.is_not(None),
            Registration.questionnaire_reminded_at.is_(None),
            NeedResponse.id.is_(None),
        )
        .order_by(Registration.id)
    )
    if edition_ids is not None:
        query = query.where(Stop.edition_id.in_(edition_ids))
    return list(db.session.execute(query).tuples())


def _planned(wanted: list[tuple[Registration, int, str, datetime]]) -> list[PlannedMessage]:
    """One planned message per stop, step and time, with its registrations."""
    groups: dict[tuple, list[tuple[Registration, int]]] = {}
    for registration, questionnaire_id, step, moment in wanted:
        key = (moment, registration.stop_id, step)
        groups.setdefault(key, []).append((registration, questionnaire_id))
    items = []
    for (moment, _stop_id, step), rows in groups.items():
        stop = rows[0][0].stop
        registrations = {questionnaire_key(q, r.id, step): r for r, q in rows}

        def context(recipient, now, stop=stop, step=step, registrations=registrations):
            registration = registrations[recipient.key]
            return {
                "registration": registration,
                "stop": stop,
                "is_reminder": step == REMINDER,
                "url": external_url(
                    "participants.answer", token=make_token("answer", registration.id)
                ),
            }

        items.append(
            PlannedMessage(
                kind=KIND,
                audience=AUDIENCE,
                planned_at=moment,
                edition_id=stop.edition_id,
                stop_id=stop.id,
                item=f"{AUDIENCE}:{step}",
                template=TEMPLATE,
                label=stop.title,
                recipients=[
                    Recipient(email=r.email, name=r.name, locale=r.locale, key=key)
                    for key, r in registrations.items()
                ],
                context=context,
            )
        )
    return items


def plan_questionnaires(edition_ids, start, end, now) -> list[PlannedMessage]:
    """Questionnaires and their reminders planned in (start, end] (agenda planner; read
    only): to who came, as long as the stop ended less than the window before."""
    wanted = [
        (registration, questionnaire_id, step, moment)
        for registration, questionnaire_id in _rows(edition_ids, now, end)
        for step, moment in _steps(registration)
        if (start is None or moment > start)
        and moment <= end
        and registration.stop.ends_at > moment - timedelta(days=QUESTIONNAIRE_WINDOW_DAYS)
    ]
    return _planned(sorted(wanted, key=lambda row: (row[3], row[0].id)))


def send_questionnaires(now: datetime) -> int:
    """Send the questionnaire the day after the stop to who came, once; remind once;
    unless held (no commit)."""
    due = []
    for registration, questionnaire_id in _rows(None, now, now):
        step, moment = _steps(registration)[0]
        if moment <= now:
            due.append((registration, questionnaire_id, step, moment))
    planned = _planned(due)
    holds = active_holds({item.stop_id for item in planned})
    planned = [item for item in planned if not is_held(item, holds)]
    by_key = {questionnaire_key(q, r.id, step): r for r, q, step, _m in due}
    count = queue_planned(planned, now)
    for item in planned:
        for recipient in item.recipients:
            registration = by_key[recipient.key]
            if item.item.endswith(REMINDER):
                registration.questionnaire_reminded_at = now
            else:
                registration.questionnaire_sent_at = now
    db.session.flush()
    return count


def sent_questionnaires(edition_ids, since, until) -> list[SentMessage]:
    """The questionnaires and reminders of these editions queued in (since, until]."""
    stops = {
        registration_id: (stop_id, title)
        for registration_id, stop_id, title in db.session.execute(
            select(Registration.id, Stop.id, Stop.title)
            .join(Stop, Stop.id == Registration.stop_id)
            .where(Stop.edition_id.in_(edition_ids))
        )
    }
    rows = []
    for message, parts in sent_between(KEY_PREFIX, since, until):
        # participant:questionnaire:<questionnaire>:registration:<registration>[:reminder]
        if len(parts) < 5 or not parts[4].isdigit() or int(parts[4]) not in stops:
            continue
        stop_id, title = stops[int(parts[4])]
        step = REMINDER if parts[-1] == REMINDER else FIRST
        rows.append(SentMessage(KIND, AUDIENCE, stop_id, f"{AUDIENCE}:{step}", title, message))
    return rows


def register_planners() -> None:
    """Declare the needs questionnaires to the agenda of messages."""
    register_planner(
        KIND,
        _l("Needs questionnaires"),
        plan_questionnaires,
        sent_questionnaires,
        {AUDIENCE: _l("Participants who came")},
    )
