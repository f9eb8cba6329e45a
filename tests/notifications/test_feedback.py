"""SendGrid's Event Webhook, signed with a real ECDSA key pair as SendGrid does."""

import base64
import json

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from sqlalchemy import func, select

from coordination.extensions import db
from coordination.notifications import preferences
from coordination.notifications.feedback import lift_suppression
from coordination.notifications.models import DeliveryEvent, MailSuppression
from coordination.notifications.services import queue_email

URL = "/courriels/sendgrid/evenements"


@pytest.fixture
def key_pair(app):
    private = ec.generate_private_key(ec.SECP256R1())
    public = private.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    app.config["SENDGRID_WEBHOOK_PUBLIC_KEY"] = base64.b64encode(public).decode()
    yield private
    app.config["SENDGRID_WEBHOOK_PUBLIC_KEY"] = ""


def post(client, private, events, timestamp="1764650000", body=None):
    raw = body if body is not None else json.dumps(events).encode()
    signature = private.sign(timestamp.encode() + raw, ec.ECDSA(hashes.SHA256()))
    return client.post(
        URL,
        data=raw,
        content_type="application/json",
        headers={
            "X-Twilio-Email-Event-Webhook-Signature": base64.b64encode(signature).decode(),
            "X-Twilio-Email-Event-Webhook-Timestamp": timestamp,
        },
    )


@pytest.fixture
def sent(app):
    with app.test_request_context():
        message = queue_email(
            key="feedback:test",
            template="notifications/test",
            to_email="dest@example.org",
            context={"backend": "sendgrid", "now": None},
        )
    message.provider_message_id = "abcXYZ123"
    db.session.commit()
    return message


def event(kind, n, message, **extra):
    return {
        "email": message.to_email,
        "timestamp": 1764650000 + n,
        "event": kind,
        "sg_event_id": f"ev-{kind}-{n}",
        "sg_message_id": f"{message.provider_message_id}.filter0001.1.0",
        "outbox_id": str(message.id),
        **extra,
    }


def test_signed_events_update_the_message_once_each(client, key_pair, sent):
    events = [event("processed", 1, sent), event("delivered", 2, sent), event("open", 3, sent)]
    answer = post(client, key_pair, events)
    assert answer.status_code == 200 and answer.json == {"recorded": 3}
    assert post(client, key_pair, events).json == {"recorded": 0}  # SendGrid's retry
    db.session.refresh(sent)
    assert sent.delivery_status == "delivered"
    assert db.session.scalar(select(func.count(DeliveryEvent.id))) == 3
    # A late "deferred" does not hide the delivery.
    post(client, key_pair, [event("deferred", 4, sent)])
    db.session.refresh(sent)
    assert sent.delivery_status == "delivered"


def test_matched_by_sendgrid_id_without_custom_args(client, key_pair, sent):
    only_id = event("dropped", 1, sent, reason="Bounced Address")
    del only_id["outbox_id"]
    assert post(client, key_pair, [only_id]).status_code == 200
    db.session.refresh(sent)
    assert sent.delivery_status == "dropped"


def test_hard_bounce_and_spam_report_suppress_optional_messages(client, key_pair, sent, staff, now):
    soft = event("bounce", 1, sent, type="blocked", reason="451 try later")
    post(client, key_pair, [soft])
    assert preferences.wants("dest@example.org", "group")
    post(client, key_pair, [event("bounce", 2, sent, type="bounce", reason="550 no such user")])
    assert not preferences.wants("dest@example.org", "group")
    flag = db.session.scalar(select(MailSuppression))
    assert flag.reason == "bounce" and "550" in flag.detail
    lift_suppression(flag, staff, now)
    db.session.commit()
    assert preferences.wants("dest@example.org", "group")
    post(client, key_pair, [event("spamreport", 3, sent)])
    assert preferences.active_suppression("dest@example.org").reason == "spamreport"


def test_bad_signature_is_403_and_malformed_body_400(client, key_pair, sent):
    other = ec.generate_private_key(ec.SECP256R1())
    assert post(client, other, [event("delivered", 1, sent)]).status_code == 403
    tampered = json.dumps([event("delivered", 1, sent)]).encode()
    good = post(client, key_pair, [], body=tampered)
    assert good.status_code == 200
    signature = key_pair.sign(b"1764650000" + tampered, ec.ECDSA(hashes.SHA256()))
    answer = client.post(
        URL,
        data=tampered.replace(b"delivered", b"bounce"),
        headers={
            "X-Twilio-Email-Event-Webhook-Signature": base64.b64encode(signature).decode(),
            "X-Twilio-Email-Event-Webhook-Timestamp": "1764650000",
        },
    )
    assert answer.status_code == 403
    assert client.post(URL, data=b"[]").status_code == 403  # no signature at all
    assert post(client, key_pair, None, body=b"{not json").status_code == 400
    assert post(client, key_pair, None, body=b'{"event": "x"}').status_code == 400
    assert post(client, key_pair, ["junk", {"event": 3}]).status_code == 200


def test_no_configured_key_refuses_everything(app, client, sent):
    app.config["SENDGRID_WEBHOOK_PUBLIC_KEY"] = ""
    private = ec.generate_private_key(ec.SECP256R1())
    assert post(client, private, [event("delivered", 1, sent)]).status_code == 403
    app.config["SENDGRID_WEBHOOK_PUBLIC_KEY"] = "not base64 at all!"
    assert post(client, private, [event("delivered", 1, sent)]).status_code == 403
    app.config["SENDGRID_WEBHOOK_PUBLIC_KEY"] = ""


ODD_BODIES = [
    [],
    [None, 1, "x", [], {}],
    [{"event": "bounce", "sg_event_id": 7, "email": "a@b.c"}],
    [{"event": "bounce", "sg_event_id": "x" * 500, "email": ["a"], "timestamp": "soon"}],
    [{"event": "delivered", "sg_event_id": "big", "outbox_id": "9" * 40, "timestamp": 10**30}],
    [{"event": "spamreport", "sg_event_id": "nomail", "email": None, "sg_message_id": {}}],
    [{"event": {"nested": 1}, "sg_event_id": "odd"}],
    {"event": "delivered"},
    "text",
    12,
    None,
]


@pytest.mark.parametrize("body", ODD_BODIES)
def test_any_signed_body_is_answered_without_a_500(client, key_pair, sent, body):
    answer = post(client, key_pair, None, body=json.dumps(body).encode())
    assert answer.status_code == (200 if isinstance(body, list) else 400)
