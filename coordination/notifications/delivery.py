"""Outbox delivery: claim due messages, hold each claim while it is sent, pause on a rate limit.

A worker claims a batch (status "sending", its token, a lease), then for each message
checks and extends its claim in one conditional UPDATE right before sending, and writes
the outcome only where the claim is still its own. A lease longer than the send timeout
means no other worker can take a message while it is on the wire. A 429 records a pause
(a row every worker reads) and hands the rest of the batch back until the reset.
"""

import logging
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import and_, exists, inspect, or_, select, update
from sqlalchemy.exc import IntegrityError

from coordination.extensions import db
from coordination.notifications.backends import (
    MailBackend,
    PermanentDeliveryError,
    RateLimited,
    TemporaryDeliveryError,
    get_backend,
)
from coordination.notifications.models import MessageStatus, OutboxMessage, OutboxPause

log = logging.getLogger(__name__)

#: The pause after a 429 that names no reset time (the first backoff step).
DEFAULT_PAUSE = timedelta(seconds=30)
#: The pause after a 429 whose reset time has already passed (clocks differ).
MINIMUM_PAUSE = timedelta(seconds=1)
#: UPDATE … WHERE statements below change rows the session may hold; the commit after
#: each one expires them, so the ORM need not guess.
NO_SYNC = {"synchronize_session": False}

Clock = Callable[[], datetime]


def running_clock(now: datetime) -> Clock:
    """A clock that starts at `now` and runs in real time: each send is stamped when it happens."""
    started = time.monotonic()
    return lambda: now + timedelta(seconds=time.monotonic() - started)


@dataclass
class DeliveryReport:
    sent: list[int] = field(default_factory=list)
    retrying: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)
    #: Claimed but not sent in this pass: handed back for a pause, or taken by another worker.
    deferred: list[int] = field(default_factory=list)
    #: Set when this pass stopped for a provider pause.
    paused_until: datetime | None = None

    @property
    def total(self) -> int:
        return len(self.sent) + len(self.retrying) + len(self.failed) + len(self.deferred)


def lease_length() -> timedelta:
    """OUTBOX_LEASE_SECONDS, refused unless longer than the send timeout."""
    config = current_app.config
    lease, timeout = config["OUTBOX_LEASE_SECONDS"], config["OUTBOX_SEND_TIMEOUT_SECONDS"]
    if lease <= timeout:
        raise RuntimeError(
            f"OUTBOX_LEASE_SECONDS ({lease}) must be longer than "
            f"OUTBOX_SEND_TIMEOUT_SECONDS ({timeout})"
        )
    return timedelta(seconds=lease)


def _pause_key() -> str:
    return current_app.config["MAIL_BACKEND"]


def _pause_running(moment: datetime):
    """SQL: a pause of this backend is running at `moment`."""
    return exists().where(OutboxPause.backend == _pause_key(), OutboxPause.paused_until > moment)


def paused_until(moment: datetime) -> datetime | None:
    """The end of the provider pause running at `moment`, if any."""
    return db.session.scalar(
        select(OutboxPause.paused_until).where(
            OutboxPause.backend == _pause_key(), OutboxPause.paused_until > moment
        )
    )


def record_pause(until: datetime, reason: str, moment: datetime) -> None:
    """Announce a provider pause to every worker; a later end already recorded is kept."""
    values = {"paused_until": until, "reason": reason, "updated_at": moment}
    extend = (
        update(OutboxPause)
        .where(OutboxPause.backend == _pause_key(), OutboxPause.paused_until < until)
        .values(**values)
    )
    if db.session.execute(extend, execution_options=NO_SYNC).rowcount:
        return
    if db.session.scalar(select(OutboxPause.backend).where(OutboxPause.backend == _pause_key())):
        return  # a pause ending later is already announced
    try:
        with db.session.begin_nested():
            db.session.add(OutboxPause(backend=_pause_key(), **values))
    except IntegrityError:
        # Another worker announced the first pause at the same moment: keep the later end.
        db.session.execute(extend, execution_options=NO_SYNC)


def pause_end(moment: datetime, reset: datetime | None) -> datetime:
    """When a 429 answered at `moment` lets sending resume: the provider's reset, capped."""
    cap = timedelta(seconds=current_app.config["OUTBOX_BACKOFF_CAP_SECONDS"])
    if reset is None:
        until = moment + DEFAULT_PAUSE
    else:
        until = reset if reset > moment else moment + MINIMUM_PAUSE
    return min(until, moment + cap)


def retry_time(moment: datetime, attempts: int) -> datetime:
    """When to try again after the `attempts`-th failure at `moment`: 30 s doubling, capped."""
    cap = timedelta(seconds=current_app.config["OUTBOX_BACKOFF_CAP_SECONDS"])
    return moment + min(timedelta(seconds=30 * 2 ** (attempts - 1)), cap)


def claim_due_messages(now: datetime, limit: int, worker: str = "") -> tuple[str, list[int]]:
    """Claim up to `limit` due messages for this pass and commit, so other workers skip them."""
    token = f"{worker or 'worker'}:{uuid.uuid4().hex[:12]}"
    lease = lease_length()
    due = and_(
        or_(
            and_(
                OutboxMessage.status == MessageStatus.PENDING,
                OutboxMessage.next_attempt_at <= now,
            ),
            # A worker that died mid-send, or is too slow: its lease ran out, the message is
            # due again (its own check before sending will then fail).
            and_(
                OutboxMessage.status == MessageStatus.SENDING,
                OutboxMessage.lease_expires_at < now,
            ),
        ),
        ~_pause_running(now),
    )
    candidates = db.session.scalars(
        select(OutboxMessage.id)
        .where(due)
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    ).all()
    if candidates:
        # Repeating `due` makes the claim safe where SKIP LOCKED does not exist (SQLite).
        db.session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id.in_(candidates), due)
            .values(status=MessageStatus.SENDING, claimed_by=token, lease_expires_at=now + lease),
            execution_options=NO_SYNC,
        )
    db.session.commit()
    if not candidates:
        return token, []
    claimed = db.session.scalars(
        select(OutboxMessage.id)
        .where(OutboxMessage.claimed_by == token, OutboxMessage.status == MessageStatus.SENDING)
        .order_by(OutboxMessage.id)
    ).all()
    return token, list(claimed)


def deliver_due_messages(
    now: datetime,
    backend: MailBackend | None = None,
    worker: str = "",
    limit: int | None = None,
    clock: Clock | None = None,
) -> DeliveryReport:
    """Run one delivery pass: claim due messages, send each while its claim holds, record it."""
    backend = backend or get_backend()
    clock = clock or running_clock(now)
    limit = limit or current_app.config["OUTBOX_BATCH_SIZE"]
    token, message_ids = claim_due_messages(now, limit, worker)
    report = DeliveryReport()
    if not message_ids:
        report.paused_until = paused_until(now)
        db.session.commit()
    for position, message_id in enumerate(message_ids):
        outcome = deliver_message(message_id, token, backend, clock)
        if outcome == "paused":
            report.deferred.extend(message_ids[position:])
            report.paused_until = _hand_back(token, clock())
            break
        getattr(report, outcome).append(message_id)
    return report


def deliver_message(message_id: int, token: str, backend: MailBackend, clock: Clock) -> str:
    """Send one claimed message, commit its outcome: sent, retrying, failed, deferred or paused."""
    lease = lease_length()
    attempt_at = clock()
    if not _extend_claim(message_id, token, attempt_at, lease):
        db.session.commit()
        return "paused" if paused_until(attempt_at) else "deferred"
    message = _detached_copy(db.session.get(OutboxMessage, message_id))
    # Committed before sending: no other worker can take the message now, and no
    # transaction (on SQLite, the write lock) stays open while the provider answers.
    db.session.commit()
    recipient = message.to_email
    try:
        provider_id = backend.send(message)
    except RateLimited as error:
        answered_at = clock()
        record_pause(pause_end(answered_at, error.retry_at), str(error), answered_at)
        # Not an attempt: the message waits for the reset with the rest of the batch.
        _write_if_held(message_id, token, {"last_error": str(error)})
        db.session.commit()
        log.info("outbox message %s to %s: rate limited, pausing", message_id, recipient)
        return "paused"
    except PermanentDeliveryError as error:
        outcome, values = "failed", {"status": MessageStatus.FAILED, "last_error": str(error)}
    except TemporaryDeliveryError as error:
        outcome, values = _retry_later(message, str(error), clock())
    except Exception as error:
        # A bug or a bad setting (e.g. a malformed SENDGRID_API_HOST): count the attempt and
        # back off like a temporary failure, so the message neither vanishes nor loops hot.
        log.exception("outbox message %s: unexpected error from the mail backend", message_id)
        outcome, values = _retry_later(message, f"{type(error).__name__}: {error}", clock())
    else:
        outcome = "sent"
        values = {
            "status": MessageStatus.SENT,
            "sent_at": clock(),
            "provider_message_id": provider_id,
            "last_error": None,
        }
    values.update(attempts=OutboxMessage.attempts + 1, lease_expires_at=None)
    held = _write_if_held(message_id, token, values)
    db.session.commit()
    if not held:
        # Only if the send outlived the lease (clocks apart, a process frozen): say so.
        log.warning("outbox message %s: claim lost while sending; outcome %s", message_id, outcome)
        return "deferred"
    log.info("outbox message %s to %s: %s", message_id, recipient, outcome)
    return outcome


def _detached_copy(message: OutboxMessage) -> OutboxMessage:
    """The message's columns in an object outside the session, to hand to the backend."""
    columns = inspect(OutboxMessage).column_attrs
    return OutboxMessage(**{column.key: getattr(message, column.key) for column in columns})


def _extend_claim(message_id: int, token: str, moment: datetime, lease: timedelta) -> bool:
    """Atomically: still ours, lease not run out, no pause running? Then extend the lease."""
    result = db.session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.id == message_id,
            OutboxMessage.claimed_by == token,
            OutboxMessage.status == MessageStatus.SENDING,
            OutboxMessage.lease_expires_at > moment,
            ~_pause_running(moment),
        )
        .values(lease_expires_at=moment + lease),
        execution_options=NO_SYNC,
    )
    return result.rowcount == 1


def _write_if_held(message_id: int, token: str, values: dict) -> bool:
    """Write an outcome only if this worker's claim on the message still holds."""
    result = db.session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.id == message_id,
            OutboxMessage.claimed_by == token,
            OutboxMessage.status == MessageStatus.SENDING,
        )
        .values(**values),
        execution_options=NO_SYNC,
    )
    return result.rowcount == 1


def _hand_back(token: str, moment: datetime) -> datetime | None:
    """Release this pass's unsent claims until the running pause ends; commit; return its end."""
    until = paused_until(moment)
    # A short pause may be over already (a slow machine): the claims are then due now,
    # never left held until their lease runs out.
    db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.claimed_by == token, OutboxMessage.status == MessageStatus.SENDING)
        .values(
            status=MessageStatus.PENDING, next_attempt_at=until or moment, lease_expires_at=None
        ),
        execution_options=NO_SYNC,
    )
    db.session.commit()
    return until


def _retry_later(message: OutboxMessage, reason: str, attempt_at: datetime) -> tuple[str, dict]:
    """Back off from this attempt's own time; give up only once the message is too old."""
    max_age = timedelta(hours=current_app.config["OUTBOX_MAX_AGE_HOURS"])
    if attempt_at - message.created_at >= max_age:
        reason = f"{reason} (still failing {max_age.total_seconds() / 3600:g} h after queueing)"
        return "failed", {"status": MessageStatus.FAILED, "last_error": reason}
    values = {
        "status": MessageStatus.PENDING,
        "last_error": reason,
        "next_attempt_at": retry_time(attempt_at, message.attempts + 1),
    }
    return "retrying", values
