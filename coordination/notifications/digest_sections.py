"""The notifications' own section of the staff digest: deliveries that failed."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from coordination.core.urls import external_url
from coordination.extensions import db
from coordination.notifications.digests import DigestItem, register_section
from coordination.notifications.models import MessageStatus, OutboxMessage
from coordination.notifications.secrets import staff_copy


def failed_deliveries(since, until) -> list[DigestItem]:
    """Messages that failed for good during the period."""
    messages = db.session.scalars(
        select(OutboxMessage)
        .where(
            OutboxMessage.status == MessageStatus.FAILED,
            OutboxMessage.created_at >= since,
            OutboxMessage.created_at < until,
        )
        .order_by(OutboxMessage.id)
        .limit(20)
    ).all()
    return [
        DigestItem(
            text=f"{m.to_email} — {c.subject} ({c.last_error or ''})"[:300],
            url=external_url("notifications.message", message_id=m.id),
        )
        for m in messages
        for c in [staff_copy(m)]
    ]


def register_digest_sections() -> None:
    """Register the notifications' digest sections."""
    register_section(
        "notifications.failed", _l("Emails that could not be delivered"), failed_deliveries
    )
