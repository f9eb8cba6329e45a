"""Staff digests: sections registered by each domain, sent at a local hour, once per slot."""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import func, insert, select

from coordination.auth.models import DigestFrequency, Role, User, UserRole
from coordination.core.clock import local_datetime, parse_hour, to_local
from coordination.extensions import db
from coordination.notifications.models import DigestRun, OutboxMessage
from coordination.notifications.rendering import render_email
from coordination.notifications.services import build_message

KEY_PREFIX = "digest:"
PERIODS = {DigestFrequency.DAILY: timedelta(days=1), DigestFrequency.WEEKLY: timedelta(days=7)}


@dataclass(frozen=True)
class DigestItem:
    text: str
    url: str | None = None


@dataclass(frozen=True)
class DigestSection:
    #: Stable identifier, e.g. "notifications.failed".
    name: str
    #: A lazy translatable title, rendered in each recipient's language.
    title: object
    #: (since, until) -> items; must not query per recipient.
    build: Callable[[datetime, datetime], list[DigestItem]]


@dataclass
class DigestRegistry:
    sections: dict[str, DigestSection] = field(default_factory=dict)

    def register(self, section: DigestSection) -> None:
        self.sections[section.name] = section


def registry() -> DigestRegistry:
    """The app's digest sections (each domain registers its own in create_app)."""
    return current_app.extensions.setdefault("digest_sections", DigestRegistry())


def register_section(name: str, title, build) -> None:
    """Add a section to every staff digest."""
    registry().register(DigestSection(name, title, build))


def slots_between(frequency: str, start: datetime, end: datetime) -> list[datetime]:
    """The digest times in (start, end], oldest first: the local hour, Mondays for weekly
    (the one rule of when digests leave)."""
    hour = parse_hour(current_app.config["DIGEST_HOUR"])
    day = to_local(start).date()
    slots = []
    while (slot := local_datetime(day, hour)) <= end:
        if slot > start and (frequency != DigestFrequency.WEEKLY or day.weekday() == 0):
            slots.append(slot)
        day += timedelta(days=1)
    return slots


def latest_slot(now: datetime, frequency: str) -> datetime:
    """The most recent digest time at or before `now` (local hour; Mondays for weekly)."""
    return slots_between(frequency, now - timedelta(days=8), now)[-1]


def start_from_next_slot(user: User, now: datetime) -> None:
    """After a digest is turned on or its frequency changed, the first goes at the next
    slot, not at once: the slot just passed is recorded as done, with nothing sent."""
    if user.digest_frequency not in PERIODS:
        return
    slot = latest_slot(now, user.digest_frequency)
    done = db.session.scalar(
        select(DigestRun.id).where(DigestRun.user_id == user.id, DigestRun.slot_at == slot)
    )
    if done is None:
        db.session.add(
            DigestRun(
                user_id=user.id,
                frequency=user.digest_frequency,
                slot_at=slot,
                period_start_at=slot,
                message_key=None,
                created_at=now,
            )
        )
        db.session.flush()


@dataclass(frozen=True)
class DueDigest:
    """One staff member's digest at one slot, covering the time since `period_start`."""

    user: User
    slot: datetime
    period_start: datetime


def due_digests(start: datetime | None, end: datetime) -> list[DueDigest]:
    """Each staff member's digests due in (start, end] and not done yet, each covering the
    time since the one before (their last digest, for the first). Without `start`, only the
    latest slot reached by `end`: what the job queues, so a digest missed while the
    scheduler was down goes once, covering the gap. The job and the agenda both ask this."""
    recipients = db.session.scalars(
        select(User)
        .join(UserRole)
        .where(
            UserRole.role == Role.STAFF,
            User.is_active.is_(True),
            User.digest_frequency.in_(list(PERIODS)),
        )
        .distinct()
        .order_by(User.id)
    ).all()
    if not recipients:
        return []
    if start is None:
        wanted = {freq: [latest_slot(end, freq)] for freq in PERIODS}
    else:
        wanted = {freq: slots_between(freq, start, end) for freq in PERIODS}
    every_slot = sorted({slot for slots in wanted.values() for slot in slots})
    if not every_slot:
        return []
    done = set(
        db.session.execute(
            select(DigestRun.user_id, DigestRun.slot_at).where(DigestRun.slot_at.in_(every_slot))
        ).all()
    )
    last_slot_by_user = dict(
        db.session.execute(
            select(DigestRun.user_id, func.max(DigestRun.slot_at)).group_by(DigestRun.user_id)
        ).all()
    )
    due = []
    for user in recipients:
        period = PERIODS[DigestFrequency(user.digest_frequency)]
        previous = last_slot_by_user.get(user.id)
        for slot in wanted[user.digest_frequency]:
            if (user.id, slot) not in done:
                # A digest missed while the scheduler was down covers everything since the
                # last one.
                begin = previous if previous and previous < slot else slot - period
                due.append(DueDigest(user, slot, begin))
            previous = slot
    return due


@dataclass
class DigestReport:
    sent: int = 0
    empty: int = 0


def send_due_digests(now: datetime) -> DigestReport:
    """Queue each staff member's digest for their latest slot, if not done yet (no commit)."""
    report = DigestReport()
    # Users sharing a period share one build of the sections: queries stay flat with N.
    groups: dict[tuple[datetime, datetime], list[User]] = defaultdict(list)
    for due in due_digests(None, now):
        groups[(due.period_start, due.slot)].append(due.user)

    runs, messages = [], []
    for (start, slot), users in groups.items():
        sections = build_sections(start, now)
        for user in users:
            message = digest_message(user, sections, start, slot, now) if sections else None
            runs.append(
                {
                    "user_id": user.id,
                    "frequency": user.digest_frequency,
                    "slot_at": slot,
                    "period_start_at": start,
                    "message_key": message.idempotency_key if message else None,
                    "created_at": now,
                }
            )
            if message is None:
                report.empty += 1
            else:
                messages.append(as_row(message))
                report.sent += 1
    # Two multi-row inserts whatever the number of recipients.
    if messages:
        db.session.execute(insert(OutboxMessage), messages)
    if runs:
        db.session.execute(insert(DigestRun), runs)
    return report


def as_row(message: OutboxMessage) -> dict:
    """The column values of an unsaved outbox row, for a multi-row insert."""
    return {
        column.key: getattr(message, column.key)
        for column in OutboxMessage.__table__.columns
        if getattr(message, column.key) is not None
    }


def build_sections(since: datetime, until: datetime) -> list[tuple[DigestSection, list]]:
    """Each registered section's items for a period, leaving out those with nothing to say."""
    built = []
    for section in registry().sections.values():
        items = section.build(since, until)
        if items:
            built.append((section, items))
    return built


def digest_key(user: User, slot: datetime) -> str:
    """One digest per staff member and slot."""
    return f"{KEY_PREFIX}{user.digest_frequency}:user:{user.id}:{slot.isoformat()}"


def digest_message(user: User, sections, start: datetime, slot: datetime, now: datetime):
    """Render one staff member's digest as an unsaved outbox row."""
    rendered = render_email(
        "notifications/digest",
        user.locale,
        {"user": user, "sections": sections, "period_start": start, "period_end": now},
    )
    message: OutboxMessage = build_message(
        key=digest_key(user, slot),
        template="notifications/digest",
        to_email=user.email,
        to_name=user.name,
        subject=rendered.subject,
        text_body=rendered.text,
        html_body=rendered.html,
        user_id=user.id,
        locale=user.locale,
    )
    message.created_at = message.next_attempt_at = now
    return message
