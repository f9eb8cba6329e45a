"""The outbox: queue messages with the change that causes them, deliver them once each."""

import logging
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import and_, or_, select, update
from sqlalchemy.exc import IntegrityError

from coordination.extensions import db
from coordination.notifications.backends import (
    MailBackend,
    PermanentDeliveryError,
    TemporaryDeliveryError,
    get_backend,
)
from coordination.notifications.models import MessageStatus, OutboxMessage
from coordination.notifications.rendering import render_email

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Attachment:
    filename: str
    content_type: str
    content_b64: str


def queue_email(
    *,
    key: str,
    template: str,
    to_email: str,
    to_name: str = "",
    locale: str | None = None,
    context: dict | None = None,
    user_id: int | None = None,
    reply_to: str | None = None,
    calendar_method: str | None = None,
    calendar_ics: str | None = None,
    attachments: list[Attachment] | None = None,
    now: datetime | None = None,
) -> OutboxMessage:
    """Render a message and add it to the outbox once per idempotency key (no commit)."""
    existing = _message_by_key(key)
    if existing is not None:
        return existing
    locale = locale or current_app.config["BABEL_DEFAULT_LOCALE"]
    rendered = render_email(template, locale, context or {})
    message = build_message(
        key=key,
        template=template,
        to_email=to_email,
        to_name=to_name,
        locale=locale,
        subject=rendered.subject,
        text_body=rendered.text,
        html_body=rendered.html,
        user_id=user_id,
        reply_to=reply_to,
        calendar_method=calendar_method,
        calendar_ics=calendar_ics,
        attachments=attachments,
    )
    if now is not None:
        message.created_at = message.next_attempt_at = now
    try:
        # A concurrent transaction may insert the same key: keep theirs, not an error.
        with db.session.begin_nested():
            db.session.add(message)
    except IntegrityError:
        return _message_by_key(key)
    return message


def queue_email_to(user, *, key: str, template: str, context: dict | None = None, **fields):
    """queue_email for a platform user: their address, name and language."""
    return queue_email(
        key=key,
        template=template,
        to_email=user.email,
        to_name=user.name,
        locale=user.locale,
        user_id=user.id,
        context=context,
        **fields,
    )


def build_message(*, key, template, to_email, subject, text_body, html_body, **fields):
    """Return an unsaved outbox row from the platform's address to one recipient."""
    attachments = fields.pop("attachments", None) or []
    return OutboxMessage(
        idempotency_key=key,
        template=template,
        to_email=to_email.strip().lower(),
        to_name=fields.pop("to_name", "") or "",
        from_email=current_app.config["MAIL_FROM"],
        from_name=current_app.config["MAIL_FROM_NAME"],
        subject=subject,
        text_body=text_body,
        html_body=html_body,
        attachments=[a.__dict__ for a in attachments],
        status=MessageStatus.PENDING,
        attempts=0,
        **fields,
    )


def _message_by_key(key: str) -> OutboxMessage | None:
    return db.session.scalar(select(OutboxMessage).where(OutboxMessage.idempotency_key == key))


@dataclass
class DeliveryReport:
    sent: list[int] = field(default_factory=list)
    retrying: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.sent) + len(self.retrying) + len(self.failed)


def claim_due_messages(now: datetime, limit: int, worker: str = "") -> tuple[str, list[int]]:
    """Claim up to `limit` due messages for this pass and commit, so other workers skip them."""
    token = f"{worker or 'worker'}:{uuid.uuid4().hex[:12]}"
    due = or_(
        and_(OutboxMessage.status == MessageStatus.PENDING, OutboxMessage.next_attempt_at <= now),
        # A worker that died mid-send: its lease ran out, the message is due again.
        and_(
            OutboxMessage.status == MessageStatus.SENDING,
            OutboxMessage.lease_expires_at < now,
        ),
    )
    candidates = db.session.scalars(
        select(OutboxMessage.id)
        .where(due)
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    ).all()
    if candidates:
        lease = timedelta(seconds=current_app.config["OUTBOX_LEASE_SECONDS"])
        # Repeating `due` makes the claim safe where SKIP LOCKED does not exist (SQLite).
        db.session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id.in_(candidates), due)
            .values(status=MessageStatus.SENDING, claimed_by=token, lease_expires_at=now + lease),
            execution_options={"synchronize_session": False},
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
    now: datetime, backend: MailBackend | None = None, worker: str = "", limit: int | None = None
) -> DeliveryReport:
    """Run one delivery pass: claim due messages, send each, record each outcome."""
    backend = backend or get_backend()
    limit = limit or current_app.config["OUTBOX_BATCH_SIZE"]
    token, message_ids = claim_due_messages(now, limit, worker)
    report = DeliveryReport()
    for message_id in message_ids:
        outcome = deliver_message(message_id, token, backend, now)
        getattr(report, outcome).append(message_id)
    return report


def deliver_message(message_id: int, token: str, backend: MailBackend, now: datetime) -> str:
    """Send one claimed message and commit its outcome: "sent", "retrying" or "failed"."""
    message = db.session.get(OutboxMessage, message_id)
    if message is None or message.claimed_by != token or message.status != MessageStatus.SENDING:
        db.session.rollback()
        return "retrying"
    message.attempts += 1
    recipient = message.to_email
    try:
        provider_id = backend.send(message)
    except PermanentDeliveryError as error:
        outcome = _fail(message, str(error))
    except TemporaryDeliveryError as error:
        outcome = _retry_later(message, str(error), now, error.retry_at)
    except Exception as error:
        # A bug or a bad setting (e.g. a malformed SENDGRID_API_HOST): count the attempt and
        # back off like a temporary failure, so the message neither vanishes nor loops hot.
        log.exception("outbox message %s: unexpected error from the mail backend", message_id)
        outcome = _retry_later(message, f"{type(error).__name__}: {error}", now)
    else:
        message.status = MessageStatus.SENT
        message.sent_at = now
        message.provider_message_id = provider_id
        message.last_error = None
        outcome = "sent"
    message.lease_expires_at = None
    db.session.commit()
    log.info("outbox message %s to %s: %s", message_id, recipient, outcome)
    return outcome


def _fail(message: OutboxMessage, reason: str) -> str:
    message.status = MessageStatus.FAILED
    message.last_error = reason
    return "failed"


def _retry_later(
    message: OutboxMessage, reason: str, now: datetime, requested: datetime | None = None
) -> str:
    if message.attempts >= current_app.config["OUTBOX_MAX_ATTEMPTS"]:
        return _fail(message, reason)
    message.status = MessageStatus.PENDING
    message.last_error = reason
    message.next_attempt_at = retry_time(now, message.attempts, requested)
    return "retrying"


def retry_time(now: datetime, attempts: int, requested: datetime | None = None) -> datetime:
    """When to try again: the provider's reset time if given, else exponential backoff, capped."""
    cap = timedelta(seconds=current_app.config["OUTBOX_BACKOFF_CAP_SECONDS"])
    if requested is not None:
        return min(max(requested, now + timedelta(seconds=1)), now + cap)
    return now + min(timedelta(seconds=30 * 2 ** (attempts - 1)), cap)


def retry_message(message: OutboxMessage, now: datetime) -> None:
    """Put a failed message back in the queue, due now (staff action)."""
    if message.status != MessageStatus.FAILED:
        raise ValueError("only a failed message can be retried")
    message.status = MessageStatus.PENDING
    message.next_attempt_at = now
    message.attempts = 0
