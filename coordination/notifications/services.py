"""The outbox: queue messages with the change that causes them, deliver them once each."""

import logging
from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from coordination.extensions import db

# Delivery lives in delivery.py; these names stay importable from here for callers.
from coordination.notifications.delivery import (  # noqa: F401
    DeliveryReport,
    claim_due_messages,
    deliver_due_messages,
)
from coordination.notifications.mime import encode_attachment
from coordination.notifications.models import MessageStatus, OutboxMessage
from coordination.notifications.preferences import kind_of, wants
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
    headers: dict | None = None,
    now: datetime | None = None,
) -> OutboxMessage | None:
    """Render a message and add it to the outbox once per idempotency key (no commit).

    An optional message (reminders, group messages) to someone who turned it off, or whose
    address bounced or reported spam, is not queued: the answer is then None.
    """
    existing = _message_by_key(key)
    if existing is not None:
        return existing
    kind = kind_of(template)
    if kind is not None and not wants(to_email, kind):
        log.info("Optional %s message %s not queued: %s does not want it", kind, key, to_email)
        return None
    locale = locale or current_app.config["BABEL_DEFAULT_LOCALE"]
    rendered = render_email(template, locale, context or {})
    if calendar_ics:
        attachments = with_ics_copy(attachments, calendar_ics)
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
        headers=headers or {},
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


ICS_FILENAME = "invite.ics"


def with_ics_copy(attachments: list[Attachment] | None, calendar_ics: str) -> list[Attachment]:
    """The attachments plus an invite.ics copy of the calendar part, as the invitations say."""
    attachments = list(attachments or [])
    # A caller that attaches its own .ics copy (any name) keeps it alone: never two files.
    if not any(a.filename.lower().endswith(".ics") for a in attachments):
        # Clients that ignore the text/calendar alternative (webmail, some phones) still
        # offer the file; application/ics keeps them from showing the event twice.
        data = encode_attachment(calendar_ics.encode("utf-8"))
        attachments.append(Attachment(ICS_FILENAME, "application/ics", data))
    return attachments


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


def retry_message(message: OutboxMessage, now: datetime) -> None:
    """Put a failed message back in the queue, due now (staff action)."""
    if message.status != MessageStatus.FAILED:
        raise ValueError("only a failed message can be retried")
    message.status = MessageStatus.PENDING
    message.next_attempt_at = now
    message.attempts = 0


def queue_planned(items, now: datetime, **fields) -> int:
    """Queue planned messages (see agenda.py), one per recipient and key (no commit), and
    return how many were added: a key already in the outbox, or an optional message its
    recipient turned off, counts nothing; `fields` go to every message (reply_to)."""
    keys = [recipient.key for item in items for recipient in item.recipients]
    existing = set()
    for chunk in range(0, len(keys), 500):
        existing |= set(
            db.session.scalars(
                select(OutboxMessage.idempotency_key).where(
                    OutboxMessage.idempotency_key.in_(keys[chunk : chunk + 500])
                )
            )
        )
    queued = 0
    for item in items:
        for recipient in item.recipients:
            if recipient.key in existing:
                continue
            message = queue_email(
                key=recipient.key,
                template=item.template,
                to_email=recipient.email,
                to_name=recipient.name,
                locale=recipient.locale,
                user_id=recipient.user_id,
                context=item.context(recipient, now),
                now=now,
                **fields,
            )
            existing.add(recipient.key)
            if message is not None:
                queued += 1
    return queued
