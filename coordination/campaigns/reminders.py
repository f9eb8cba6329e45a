"""Draft reminders before a call's deadline, planned for the agenda of messages and queued
by their job from the same plan (one rule: `_moments`)."""

from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from coordination.campaigns.models import (
    Application,
    ApplicationStatus,
    Call,
    application_members,
)
from coordination.core.clock import shift_local_days
from coordination.core.urls import external_url
from coordination.extensions import db
from coordination.notifications.agenda import (
    PlannedMessage,
    Recipient,
    SentMessage,
    register_planner,
    sent_between,
)
from coordination.notifications.services import queue_planned

KIND = "draft_reminder"
AUDIENCE = "draft_members"
TEMPLATE = "campaigns/draft_reminder"
KEY_PREFIX = "campaigns:draft-reminder:"
#: Lead times of the draft reminders in calendar days, nearest first, as in their keys.
REMINDER_LEADS = {"P1D": 1, "P7D": 7}


def _moments(call: Call) -> list[tuple[str, datetime]]:
    """(lead, time) of a call's draft reminders, nearest first: the same Paris time N days
    before its deadline."""
    return [
        (lead, shift_local_days(call.closes_at, -days)) for lead, days in REMINDER_LEADS.items()
    ]


def draft_reminder_due(call: Call, now: datetime) -> tuple[str, datetime] | None:
    """The nearest draft reminder of a call reached at `now` (its lead and time), if any."""
    for lead, moment in _moments(call):
        if moment <= now:
            return lead, moment
    return None


def draft_reminder_key(application_id: int, user_id: int, lead: str) -> str:
    """One draft reminder per application, member and lead time."""
    return f"{KEY_PREFIX}{application_id}:user:{user_id}:{lead}"


def _calls(edition_ids, now: datetime, until: datetime) -> list[Call]:
    # A day's margin in SQL (daylight saving); _moments has the exact Paris-time rule.
    query = select(Call).where(Call.closes_at > now, Call.closes_at <= until + timedelta(days=8))
    if edition_ids is not None:
        query = query.where(Call.edition_id.in_(edition_ids))
    return list(db.session.scalars(query.order_by(Call.closes_at, Call.id)))


def _planned(calls_moments: list[tuple[Call, str, datetime]]) -> list[PlannedMessage]:
    """One planned message per call and lead, drafts and members loaded in two queries."""
    call_ids = list({call.id for call, _lead, _moment in calls_moments})
    drafts: dict[int, list[Application]] = {}
    joined: dict[tuple[int, int], datetime | None] = {}
    if call_ids:
        for application in db.session.scalars(
            select(Application)
            .options(selectinload(Application.members))
            .where(Application.call_id.in_(call_ids), Application.status == ApplicationStatus.DRAFT)
            .order_by(Application.id)
        ):
            drafts.setdefault(application.call_id, []).append(application)
        joined = {
            (row.application_id, row.user_id): row.joined_at
            for row in db.session.execute(
                select(application_members)
                .join(Application, Application.id == application_members.c.application_id)
                .where(Application.call_id.in_(call_ids))
            )
        }
    items = []
    for call, lead, moment in calls_moments:
        users = {}
        recipients = []
        for application in drafts.get(call.id, []):
            for member in application.members:
                # Who began or joined the draft after the reminder's time had no need of it.
                joined_at = joined.get((application.id, member.id))
                if joined_at is not None and joined_at > moment:
                    continue
                key = draft_reminder_key(application.id, member.id, lead)
                users[key] = member
                recipients.append(
                    Recipient(
                        email=member.email,
                        name=member.name or "",
                        locale=member.locale,
                        key=key,
                        user_id=member.id,
                    )
                )

        def context(recipient, now, call=call, lead=lead, users=users):
            return {
                "user": users[recipient.key],
                "call": call,
                "lead": lead,
                "url": external_url("campaigns.call_detail", call_id=call.id),
            }

        items.append(
            PlannedMessage(
                kind=KIND,
                audience=AUDIENCE,
                planned_at=moment,
                edition_id=call.edition_id,
                stop_id=None,
                item=f"{AUDIENCE}:{lead}",
                template=TEMPLATE,
                label=call.title,
                recipients=recipients,
                context=context,
            )
        )
    return items


def plan_draft_reminders(edition_ids, start, end, now) -> list[PlannedMessage]:
    """Draft reminders planned in (start, end] (agenda planner; read only)."""
    wanted = [
        (call, lead, moment)
        for call in _calls(edition_ids, now, end)
        for lead, moment in _moments(call)
        if (start is None or moment > start) and moment <= end and moment < call.closes_at
    ]
    return _planned(sorted(wanted, key=lambda row: (row[2], row[0].id)))


def due_draft_reminders(now: datetime) -> list[PlannedMessage]:
    """The draft reminders the job queues at `now`: per call, the nearest lead reached (a
    draft begun 3 days out gets no "7 days" mail)."""
    due = []
    for call in _calls(None, now, now):
        reached = draft_reminder_due(call, now)
        if reached is not None:
            due.append((call, *reached))
    return _planned(due)


def send_draft_reminders(now: datetime) -> int:
    """Remind the members of drafts 7 days and 1 day before the deadline, each once; the
    count is of messages newly queued (no commit)."""
    count = queue_planned(due_draft_reminders(now), now)
    db.session.flush()
    return count


def sent_draft_reminders(edition_ids, since, until) -> list[SentMessage]:
    """The draft reminders of these editions queued in (since, until], from the outbox."""
    calls = {
        application_id: (call_id, title)
        for application_id, call_id, title in db.session.execute(
            select(Application.id, Call.id, Call.title)
            .join(Call, Call.id == Application.call_id)
            .where(Call.edition_id.in_(edition_ids))
        )
    }
    rows = []
    for message, parts in sent_between(KEY_PREFIX, since, until):
        # campaigns:draft-reminder:<application>:user:<user>:<lead>
        if len(parts) < 6 or not parts[2].isdigit() or int(parts[2]) not in calls:
            continue
        _call_id, title = calls[int(parts[2])]
        rows.append(SentMessage(KIND, AUDIENCE, None, f"{AUDIENCE}:{parts[5]}", title, message))
    return rows


def register_planners() -> None:
    """Declare the draft reminders to the agenda of messages."""
    register_planner(
        KIND,
        _l("Draft reminders"),
        plan_draft_reminders,
        sent_draft_reminders,
        {AUDIENCE: _l("Members of draft applications")},
    )
