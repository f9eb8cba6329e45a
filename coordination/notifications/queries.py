"""Reused reads about the outbox."""

from sqlalchemy import func, select

from coordination.extensions import db
from coordination.notifications.models import MessageStatus, OutboxMessage


def failed_count() -> int:
    """How many messages gave up and wait for staff to retry them."""
    return db.session.scalar(
        select(func.count(OutboxMessage.id)).where(OutboxMessage.status == MessageStatus.FAILED)
    )
