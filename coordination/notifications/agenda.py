"""The agenda of an edition's automated messages: each domain registers a planner, the
one rule of what is due when; its job and the staff agenda page both ask it."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select

from coordination.extensions import db
from coordination.notifications.models import MessageHold, OutboxMessage


@dataclass(frozen=True)
class Recipient:
    """One person a planned message goes to, with its idempotency key."""

    email: str
    name: str
    locale: str
    key: str
    user_id: int | None = None


@dataclass
class PlannedMessage:
    """One automated message to a group of recipients at one time."""

    kind: str
    audience: str
    #: None for a message waiting for a staff action (a decision release): no time yet.
    planned_at: datetime | None
    #: None for a staff-wide message (a digest): the same on every edition's agenda.
    edition_id: int | None
    stop_id: int | None
    #: The item's reference within its stop and kind ("hosts:P7D"): what a hold names.
    item: str
    template: str
    label: str
    recipients: list[Recipient] = field(default_factory=list)
    #: context(recipient, now) -> the template context for one recipient.
    context: Callable[[Recipient, datetime], dict] | None = None


#: planner(edition_ids, start, end, now) -> planned messages with start < planned_at <= end,
#: and those waiting for staff (planned_at None) whatever the window.
Planner = Callable[[list[int], datetime | None, datetime, datetime], list[PlannedMessage]]
#: sent(edition_ids, since, until) -> SentMessage of the messages already queued.
Sent = Callable[[list[int], datetime, datetime], list["SentMessage"]]
_PLANNERS: dict[str, Planner] = {}
_SENT: dict[str, Sent] = {}
KINDS: dict[str, object] = {}
AUDIENCES: dict[str, object] = {}
#: Kinds that are not an edition's (digests): shown on every agenda, marked as such.
STAFF_WIDE: set[str] = set()


@dataclass(frozen=True)
class SentMessage:
    """One message of a kind already in the outbox, with what the agenda shows of it."""

    kind: str
    audience: str
    stop_id: int | None
    item: str
    label: str
    message: OutboxMessage


def register_planner(
    kind: str, label, planner: Planner, sent: Sent, audiences: dict, staff_wide: bool = False
) -> None:
    """Declare a kind of automated message, the function that plans it and the one that
    finds those already queued; `audiences` names its audiences; a staff-wide kind is
    planned the same whatever the edition."""
    _PLANNERS[kind] = planner
    _SENT[kind] = sent
    KINDS[kind] = label
    AUDIENCES.update(audiences)
    if staff_wide:
        STAFF_WIDE.add(kind)


def sent_between(prefix: str, since: datetime, until: datetime):
    """(message, key parts) of the outbox messages whose key starts with `prefix`, queued
    in (since, until], by time: what each planner's `sent` maps back to its items."""
    messages = db.session.scalars(
        select(OutboxMessage)
        .where(
            OutboxMessage.idempotency_key.startswith(prefix),
            OutboxMessage.created_at > since,
            OutboxMessage.created_at <= until,
        )
        .order_by(OutboxMessage.created_at)
    )
    return [(message, message.idempotency_key.split(":")) for message in messages]


def sent_messages(edition_id: int, since: datetime, until: datetime) -> list[SentMessage]:
    """An edition's automated messages queued in (since, until], by time."""
    rows = [row for sent in _SENT.values() for row in sent([edition_id], since, until)]
    return sorted(rows, key=lambda row: row.message.created_at)


def planned_and_pending(
    edition_id: int, start: datetime | None, end: datetime, now: datetime
) -> tuple[list[PlannedMessage], list[PlannedMessage]]:
    """An edition's automated messages planned in (start, end], by time, and those waiting
    for a staff action (no time), by kind."""
    items = [
        item
        for kind, planner in _PLANNERS.items()
        for item in planner([edition_id], start, end, now)
    ]
    timed = [item for item in items if item.planned_at is not None]
    pending = [item for item in items if item.planned_at is None]
    return (
        sorted(timed, key=lambda item: (item.planned_at, item.kind, item.audience)),
        sorted(pending, key=lambda item: (item.kind, item.label, item.item)),
    )


def planned_messages(
    edition_id: int, start: datetime | None, end: datetime, now: datetime
) -> list[PlannedMessage]:
    """Every automated message of an edition planned in (start, end], by time."""
    return planned_and_pending(edition_id, start, end, now)[0]


def active_holds(stop_ids) -> dict[tuple[int, str], set[str]]:
    """Holds in force for these stops: (stop, kind) -> items held ("" for the whole kind)."""
    stop_ids = list(stop_ids)
    held: dict[tuple[int, str], set[str]] = {}
    if not stop_ids:
        return held
    for hold in db.session.scalars(
        select(MessageHold).where(
            MessageHold.stop_id.in_(stop_ids), MessageHold.released_at.is_(None)
        )
    ):
        held.setdefault((hold.stop_id, hold.kind), set()).add(hold.item)
    return held


def is_held(item: PlannedMessage, holds: dict[tuple[int, str], set[str]]) -> bool:
    """Whether a hold in force covers this planned message."""
    items = holds.get((item.stop_id, item.kind), set())
    return "" in items or item.item in items


def hold(
    *, edition_id: int, stop_id: int, kind: str, item: str, reason: str, by, now: datetime
) -> MessageHold:
    """Hold one planned message (or the whole kind, item "") of one stop (no commit)."""
    reason = (reason or "").strip()
    if not reason:
        raise ValueError("a hold needs a reason")
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}")
    row = MessageHold(
        edition_id=edition_id,
        stop_id=stop_id,
        kind=kind,
        item=item[:100],
        reason=reason[:2000],
        held_by_id=by.id if by else None,
        held_at=now,
    )
    db.session.add(row)
    db.session.flush()
    return row


def release(row: MessageHold, by, now: datetime) -> None:
    """Release a hold: its messages are due again at the job's next run (no commit)."""
    if row.released_at is None:
        row.released_at = now
        row.released_by_id = by.id if by else None
        db.session.flush()


def holds_of(edition_id: int) -> list[MessageHold]:
    """An edition's holds, those in force first, newest first."""
    return list(
        db.session.scalars(
            select(MessageHold)
            .where(MessageHold.edition_id == edition_id)
            .order_by(MessageHold.released_at.is_not(None), MessageHold.held_at.desc())
        )
    )


def preview(item: PlannedMessage, now: datetime | None = None):
    """The message as its first recipient will get it, in their language (or None)."""
    from coordination.notifications.rendering import render_email

    if not item.recipients or item.context is None:
        return None
    recipient = item.recipients[0]
    return render_email(
        item.template, recipient.locale, item.context(recipient, item.planned_at or now)
    )
