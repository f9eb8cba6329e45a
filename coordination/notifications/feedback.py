"""SendGrid's Event Webhook: check the signature, record each event on its outbox message."""

import base64
import binascii
import json
import logging
from datetime import UTC, datetime

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from coordination.extensions import db
from coordination.notifications.models import DeliveryEvent, MailSuppression, OutboxMessage

log = logging.getLogger(__name__)

SIGNATURE_HEADER = "X-Twilio-Email-Event-Webhook-Signature"
TIMESTAMP_HEADER = "X-Twilio-Email-Event-Webhook-Timestamp"
#: Events that say where a message stands, weakest first: a later, weaker one
#: (a late "deferred" after "delivered") does not overwrite a stronger one.
STATUS_RANK = {"processed": 0, "deferred": 1, "delivered": 2, "dropped": 3, "bounce": 4}
STATUS_RANK["spamreport"] = 5

#: What staff read for each delivery status SendGrid reports.
DELIVERY_LABELS = {
    "processed": _l("accepted by SendGrid"),
    "deferred": _l("deferred"),
    "delivered": _l("delivered"),
    "dropped": _l("dropped"),
    "bounce": _l("bounced"),
    "spamreport": _l("reported as spam"),
}
#: Recorded on the message's history but not its status.
OTHER_EVENTS = {"open", "click", "unsubscribe", "group_unsubscribe", "group_resubscribe"}
MAX_EVENTS = 5000


class BadPayload(ValueError):
    """The body is not a JSON array of events."""


def load_public_key(text: str) -> ec.EllipticCurvePublicKey:
    """The webhook's public key, as SendGrid shows it (base64 DER) or as PEM."""
    text = (text or "").strip()
    if text.startswith("-----BEGIN"):
        key = serialization.load_pem_public_key(text.encode())
    else:
        key = serialization.load_der_public_key(base64.b64decode(text, validate=False))
    if not isinstance(key, ec.EllipticCurvePublicKey):
        raise ValueError("the SendGrid webhook key must be an ECDSA public key")
    return key


def signature_is_valid(public_key: str, signature: str, timestamp: str, payload: bytes) -> bool:
    """SendGrid's check: ECDSA (SHA-256) over the timestamp header followed by the raw body."""
    if not (public_key and signature and timestamp):
        return False
    try:
        key = load_public_key(public_key)
        key.verify(
            base64.b64decode(signature, validate=True),
            timestamp.encode() + payload,
            ec.ECDSA(hashes.SHA256()),
        )
    except (InvalidSignature, ValueError, binascii.Error, TypeError):
        return False
    return True


def parse_events(payload: bytes) -> list[dict]:
    """The list of event objects in a webhook body (BadPayload if it is not one)."""
    try:
        events = json.loads(payload)
    except (ValueError, UnicodeDecodeError) as error:
        raise BadPayload("not JSON") from error
    if not isinstance(events, list) or len(events) > MAX_EVENTS:
        raise BadPayload("not an array of events")
    return [e for e in events if isinstance(e, dict)]


def _occurred_at(event: dict, now: datetime) -> datetime:
    try:
        seconds = int(event.get("timestamp"))
        if 0 < seconds < 2**33:
            return datetime.fromtimestamp(seconds, UTC)
    except (TypeError, ValueError, OverflowError):
        pass
    return now


def _message_for(event: dict) -> OutboxMessage | None:
    """The outbox message an event is about: our custom arg first, else SendGrid's id."""
    email = str(event.get("email") or "").strip().lower()
    outbox_id = str(event.get("outbox_id") or "")
    if outbox_id.isdigit() and len(outbox_id) < 12:
        message = db.session.get(OutboxMessage, int(outbox_id))
        if message is not None and (not email or message.to_email == email):
            return message
    # sg_message_id is "<X-Message-Id>.<filter>.<n>"; we stored X-Message-Id at send.
    provider_id = str(event.get("sg_message_id") or "").split(".")[0]
    if provider_id:
        return db.session.scalar(
            select(OutboxMessage).where(OutboxMessage.provider_message_id == provider_id).limit(1)
        )
    return None


def _is_hard(event: dict) -> bool:
    """A hard bounce (not a "blocked" one) or a spam report: the address is suppressed."""
    kind = event.get("event")
    return kind == "spamreport" or (kind == "bounce" and event.get("type", "bounce") == "bounce")


def record_events(events: list[dict], now: datetime) -> int:
    """Record each new event once (by sg_event_id); return how many were new (no commit)."""
    recorded = 0
    for event in events:
        kind, event_id = event.get("event"), event.get("sg_event_id")
        if not isinstance(kind, str) or not isinstance(event_id, str) or not event_id:
            continue
        if kind not in STATUS_RANK and kind not in OTHER_EVENTS:
            continue
        if db.session.scalar(select(DeliveryEvent.id).where(DeliveryEvent.sg_event_id == event_id)):
            continue
        message = _message_for(event)
        email = str(event.get("email") or "").strip().lower()[:254]
        detail = str(event.get("reason") or event.get("response") or event.get("type") or "")
        row = DeliveryEvent(
            sg_event_id=event_id[:100],
            outbox_message_id=message.id if message else None,
            event=kind[:20],
            email=email,
            detail=detail[:1000],
            occurred_at=_occurred_at(event, now),
            received_at=now,
        )
        try:
            with db.session.begin_nested():
                db.session.add(row)
        except IntegrityError:
            continue  # the same event, recorded by a concurrent request
        recorded += 1
        if message is not None and kind in STATUS_RANK:
            current = STATUS_RANK.get(message.delivery_status or "", -1)
            if STATUS_RANK[kind] >= current:
                message.delivery_status = kind
        if email and _is_hard(event):
            suppress(email, kind, detail, now)
    return recorded


def suppress(email: str, reason: str, detail: str, now: datetime) -> MailSuppression:
    """Stop optional messages to an address; a lifted suppression comes back (no commit)."""
    row = db.session.scalar(select(MailSuppression).where(MailSuppression.email == email))
    if row is None:
        row = MailSuppression(email=email, reason=reason, detail=detail[:1000], created_at=now)
        db.session.add(row)
    elif row.lifted_at is not None:
        row.reason, row.detail, row.created_at = reason, detail[:1000], now
        row.lifted_at = row.lifted_by_id = None
    db.session.flush()
    return row


def lift_suppression(row: MailSuppression, staff, now: datetime) -> None:
    """Staff lift the flag: optional messages go to the address again (no commit)."""
    row.lifted_at = now
    row.lifted_by_id = staff.id


def events_of(message: OutboxMessage) -> list[DeliveryEvent]:
    """A message's delivery events, oldest first."""
    return db.session.scalars(
        select(DeliveryEvent)
        .where(DeliveryEvent.outbox_message_id == message.id)
        .order_by(DeliveryEvent.occurred_at, DeliveryEvent.id)
    ).all()
