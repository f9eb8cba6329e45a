"""Who a stop action will notify, before staff act: the action is run for real inside a
savepoint, the messages it queued are read, then everything is rolled back. The
recipients are therefore computed by the very code that queues the messages."""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from coordination.extensions import db
from coordination.notifications.models import OutboxMessage
from coordination.stops.models import Stop

#: What each message template is, in the staff's words.
KINDS = {
    "calendar/invitation": _l("Calendar invitation (or update)"),
    "calendar/cancellation": _l("Calendar cancellation"),
    "participants/stop_changed": _l("Participant's calendar update or cancellation"),
}
AUDIENCES = {
    "hosts": _l("Hosts and applicants"),
    "partners": _l("Partners of the territory's clubs"),
    "participants": _l("Registered participants"),
}


@dataclass(frozen=True)
class Recipient:
    audience: str
    name: str
    email: str
    kind: str


def _audience(stop: Stop, message: OutboxMessage) -> str:
    if message.template.startswith("participants/"):
        return "participants"
    members = {m.email.lower() for m in stop.application.members} if stop.application else set()
    email = (message.to_email or "").lower()
    return "hosts" if email in stop.host_emails or email in members else "partners"


def preview(stop: Stop, action) -> dict[str, list[Recipient]]:
    """The messages `action(stop)` would queue, by audience; nothing is kept."""
    last = db.session.scalar(select(func.max(OutboxMessage.id))) or 0
    savepoint = db.session.begin_nested()
    try:
        action(stop)
        db.session.flush()
        queued = list(
            db.session.scalars(
                select(OutboxMessage).where(OutboxMessage.id > last).order_by(OutboxMessage.id)
            )
        )
        found = [
            Recipient(
                _audience(stop, m),
                m.to_name or "",
                m.to_email,
                str(KINDS.get(m.template, m.template)),
            )
            for m in queued
        ]
    finally:
        savepoint.rollback()
    by_audience: dict[str, list[Recipient]] = {}
    for recipient in found:
        by_audience.setdefault(recipient.audience, []).append(recipient)
    return by_audience
