"""The outbox as staff filter it: recipient, kind (template), status, days; bulk retry."""

import re
from datetime import datetime, time, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, select

from coordination.core import listing
from coordination.core.clock import local_datetime
from coordination.extensions import db
from coordination.notifications import services
from coordination.notifications.models import MessageStatus, OutboxMessage

_TEMPLATE = re.compile(r"[a-z0-9_/.-]{1,100}")

OUTBOX = listing.ListSpec(
    sorts=("id", "to", "subject", "status", "attempts"),
    default_sort="-id",
    filters={
        "q": listing.search_text,
        "kind": lambda raw: raw if _TEMPLATE.fullmatch(raw) else None,
        "status": listing.choice(*(s.value for s in MessageStatus)),
        "since": listing.day,
        "until": listing.day,
    },
)

_COLUMNS = {
    "id": OutboxMessage.id,
    "to": OutboxMessage.to_email,
    "subject": OutboxMessage.subject,
    "status": OutboxMessage.status,
    "attempts": OutboxMessage.attempts,
}


def outbox_query(state: listing.ListState) -> Select:
    """Messages as the state filters and sorts them (created day taken in Paris time)."""
    query = select(OutboxMessage)
    filters = state.filters
    if "q" in filters:
        query = query.where(OutboxMessage.to_email.icontains(filters["q"], autoescape=True))
    if "kind" in filters:
        query = query.where(OutboxMessage.template == filters["kind"])
    if "status" in filters:
        query = query.where(OutboxMessage.status == filters["status"])
    if "since" in filters:
        query = query.where(OutboxMessage.created_at >= local_datetime(filters["since"], time()))
    if "until" in filters:
        end = local_datetime(filters["until"] + timedelta(days=1), time())
        query = query.where(OutboxMessage.created_at < end)
    column = _COLUMNS[state.sort]
    order = column.desc() if state.descending else column.asc()
    return query.order_by(order, OutboxMessage.id.desc())


#: What staff read for each kind of message (its template), in the outbox's kind filter.
KIND_LABELS = {
    "auth/invitation": _l("Account invitation"),
    "auth/login_link": _l("Sign-in link"),
    "calendar/cancellation": _l("Stop cancelled"),
    "calendar/invitation": _l("Stop invitation"),
    "calendar/reminder": _l("Stop reminder"),
    "campaigns/decision_accepted": _l("Decision: accepted"),
    "campaigns/decision_rejected": _l("Decision: not retained"),
    "campaigns/decision_waitlisted": _l("Decision: waiting list"),
    "campaigns/draft_reminder": _l("Draft reminder"),
    "campaigns/submitted": _l("Application received"),
    "clubs/confirm_registration": _l("Club registration to confirm"),
    "clubs/meeting_invitation": _l("Club meeting invitation"),
    "clubs/contact_added": _l("Contact added to an organisation"),
    "clubs/membership_approved": _l("Club membership approved"),
    "clubs/membership_rejected": _l("Club membership refused"),
    "notifications/digest": _l("Digest"),
    "notifications/group": _l("Message to a group"),
    "notifications/test": _l("Test message"),
    "participants/cancelled": _l("Registration cancelled"),
    "participants/confirmation": _l("Registration confirmed"),
    "participants/offer": _l("Seat offered"),
    "participants/questionnaire": _l("Needs questionnaire"),
    "participants/reminder": _l("Participant reminder"),
    "participants/stop_changed": _l("Stop changed"),
}


def kinds() -> list[tuple[str, str]]:
    """The templates the outbox holds, with the name staff read, for the kind filter."""
    templates = db.session.scalars(
        select(OutboxMessage.template).distinct().order_by(OutboxMessage.template)
    )
    return [(template, str(KIND_LABELS.get(template, template))) for template in templates]


def bulk_retry(ids: list[int], now: datetime) -> int:
    """Put the chosen failed messages back in the queue; others are left as they are."""
    messages = db.session.scalars(
        select(OutboxMessage).where(
            OutboxMessage.id.in_(ids), OutboxMessage.status == MessageStatus.FAILED
        )
    )
    count = 0
    for message in messages:
        services.retry_message(message, now)
        count += 1
    return count
