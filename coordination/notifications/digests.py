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


def latest_slot(now: datetime, frequency: str) -> datetime:
    """The most recent digest time at or before `now` (local hour; Mondays for weekly)."""
    hour = parse_hour(current_app.config["DIGEST_HOUR"])
    day = to_local(now).date()
    while True:
        slot = local_datetime(day, hour)
        if slot <= now and (frequency != DigestFrequency.WEEKLY or day.weekday() == 0):
            return slot
        day -= timedelta(days=1)


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


@dataclass
class DigestReport:
    sent: int = 0
    empty: int = 0


def send_due_digests(now: datetime) -> DigestReport:
    """Queue each staff member's digest for their latest slot, if not done yet (no commit)."""
    report = DigestReport()
    recipients = db.session.scalars(
        select(User)
        .join(UserRole)
        .where(
            UserRole.role == Role.STAFF,
            User.is_active.is_(True),
            User.digest_frequency.in_(list(PERIODS)),
        )
        .distinct()
    ).all()
    if not recipients:
        return report
    slots = {freq: latest_slot(now, freq) for freq in PERIODS}
    done = set(
        db.session.execute(
            select(DigestRun.user_id, DigestRun.slot_at).where(
                DigestRun.slot_at.in_(list(slots.values()))
            )
        ).all()
    )
    last_slot_by_user = dict(
        db.session.execute(
            select(DigestRun.user_id, func.max(DigestRun.slot_at)).group_by(DigestRun.user_id)
        ).all()
    )
    # Users sharing a period share one build of the sections: queries stay flat with N.
    groups: dict[tuple[datetime, datetime], list[User]] = defaultdict(list)
    for user in recipients:
        slot = slots[user.digest_frequency]
        if (user.id, slot) in done:
            continue
        period = PERIODS[DigestFrequency(user.digest_frequency)]
        previous = last_slot_by_user.get(user.id)
        # A digest missed while the scheduler was down covers everything since the last one.
        start = previous if previous and previous < slot else slot - period
        groups[(start, slot)].append(user)

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


def digest_message(user: User, sections, start: datetime, slot: datetime, now: datetime):
    """Render one staff member's digest as an unsaved outbox row."""
    rendered = render_email(
        "notifications/digest",
        user.locale,
        {"user": user, "sections": sections, "period_start": start, "period_end": now},
    )
    message: OutboxMessage = build_message(
        key=f"digest:{user.digest_frequency}:user:{user.id}:{slot.isoformat()}",
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
