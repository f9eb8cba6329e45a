"""The SendGrid backend against a local stand-in that checks the official contract."""

import json
import socket
import threading
import urllib.request
from datetime import timedelta

import pytest

from coordination.notifications.backends import SendGridBackend
from coordination.notifications.delivery import paused_until
from coordination.notifications.mime import encode_attachment
from coordination.notifications.models import MessageStatus
from coordination.notifications.services import Attachment, deliver_due_messages, queue_email
from tests.notifications import sendgrid_standin as standin_module
from tests.notifications.sendgrid_standin import API_KEY, AUTH_ERROR, closed_port_url

# The stand-in's fixture lives beside it; bring it into this module.
sendgrid_standin = standin_module.sendgrid_standin

ICS = (
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//InnovENT-E//Tests//FR\r\nMETHOD:REQUEST\r\n"
    "BEGIN:VEVENT\r\nUID:stop-42@innovent-e.example\r\nDTSTAMP:20260302T100000Z\r\n"
    "DTSTART:20260605T070000Z\r\nSEQUENCE:0\r\nSUMMARY:Étape à Besançon\r\n"
    "ORGANIZER:mailto:organisatrice@partenaire.example\r\n"
    "ATTENDEE;CN=Léa Dupont;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:"
    "mailto:lea@example.org\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
)
PDF = b"%PDF-1.4\n% not a real document\n"


def queue(now, key="test:sendgrid:1", to_email="Lea@Example.org", **fields):
    """Queue the platform's test message to one recipient, due at `now`."""
    fields.setdefault("to_name", "Léa Dupont")
    return queue_email(
        key=key,
        template="notifications/test",
        to_email=to_email,
        context={"backend": "sendgrid", "now": now},
        now=now,
        **fields,
    )


def epoch(moment) -> int:
    return int(moment.timestamp())


@pytest.fixture
def backend(sendgrid_standin):
    return SendGridBackend(API_KEY, sendgrid_standin.url, timeout=5)


def test_sendgrid_invitation_payload_passes_the_contract(
    app, db_session, now, sendgrid_standin, backend
):
    message = queue(
        now,
        reply_to="organisatrice@partenaire.example",
        calendar_method="REQUEST",
        calendar_ics=ICS,
        attachments=[
            Attachment(
                "invitation.ics",
                "text/calendar; method=REQUEST; charset=utf-8",
                encode_attachment(ICS.encode()),
            ),
            Attachment("programme.pdf", "application/pdf", encode_attachment(PDF)),
        ],
    )

    report = deliver_due_messages(now, backend=backend)

    assert report.sent == [message.id]
    [request] = sendgrid_standin.requests
    assert request.validation_errors == []
    assert request.status == 202
    assert request.path == "/v3/mail/send"
    assert request.headers["authorization"] == f"Bearer {API_KEY}"
    assert request.headers["content-type"] == "application/json"
    body = request.body
    assert body["personalizations"] == [
        {
            "to": [{"email": "lea@example.org", "name": "Léa Dupont"}],
            "custom_args": {"outbox_id": str(message.id), "idempotency_key": "test:sendgrid:1"},
        }
    ]
    assert "custom_args" not in body
    assert body["from"] == {"email": "plateforme@innovent-e.example", "name": "InnovENT-E"}
    assert body["reply_to"] == {"email": "organisatrice@partenaire.example"}
    assert body["subject"] == message.subject
    assert body["content"] == [
        {"type": "text/plain", "value": message.text_body},
        {"type": "text/html", "value": message.html_body},
        {"type": "text/calendar; method=REQUEST", "value": ICS},
    ]
    assert body["attachments"] == [
        {
            "content": encode_attachment(ICS.encode()),
            "type": "text/calendar",
            "filename": "invitation.ics",
            "disposition": "attachment",
        },
        {
            "content": encode_attachment(PDF),
            "type": "application/pdf",
            "filename": "programme.pdf",
            "disposition": "attachment",
        },
    ]
    assert body["categories"] == ["notifications-test"]
    assert body["headers"] == {"Auto-Submitted": "auto-generated"}
    assert "mail_settings" not in body
    assert message.status == MessageStatus.SENT
    assert message.provider_message_id == request.message_id
    assert message.provider_message_id.startswith("standin-")


def test_sendgrid_one_request_per_recipient(app, db_session, now, sendgrid_standin, backend):
    first = queue(now, key="test:sendgrid:a", to_email="a@example.org")
    second = queue(now, key="test:sendgrid:b", to_email="b@example.org")

    report = deliver_due_messages(now, backend=backend)

    assert report.sent == [first.id, second.id]
    assert [r.validation_errors for r in sendgrid_standin.requests] == [[], []]
    assert [[p["to"] for p in r.body["personalizations"]] for r in sendgrid_standin.requests] == [
        [[{"email": "a@example.org", "name": "Léa Dupont"}]],
        [[{"email": "b@example.org", "name": "Léa Dupont"}]],
    ]
    assert sendgrid_standin.received_outbox_ids() == [str(first.id), str(second.id)]


def test_sendgrid_backend_chosen_by_app_config_in_sandbox(
    app, db_session, now, sendgrid_standin, monkeypatch
):
    monkeypatch.setitem(app.config, "MAIL_BACKEND", "sendgrid")
    monkeypatch.setitem(app.config, "SENDGRID_API_KEY", API_KEY)
    monkeypatch.setitem(app.config, "SENDGRID_API_HOST", sendgrid_standin.url)
    monkeypatch.setitem(app.config, "SENDGRID_SANDBOX", True)
    message = queue(now)

    report = deliver_due_messages(now)

    assert report.sent == [message.id]
    [request] = sendgrid_standin.requests
    assert request.validation_errors == []
    assert request.body["mail_settings"] == {"sandbox_mode": {"enable": True}}
    # Sandbox mode answers 200 and no message id.
    assert request.status == 200
    assert message.provider_message_id == ""


def test_sendgrid_contract_400_fails_with_the_providers_message(
    app, db_session, now, sendgrid_standin, backend
):
    # Not a valid address: the stand-in's checks answer 400 as SendGrid would.
    message = queue(now, to_email="lea.example.org")

    report = deliver_due_messages(now, backend=backend)

    assert report.failed == [message.id]
    assert message.status == MessageStatus.FAILED
    assert message.attempts == 1
    assert message.last_error == (
        "SendGrid 400: personalizations.0.to.0.email: 'lea.example.org' is not a 'email'; "
        "personalizations.0.to: Does not contain a valid address."
    )
    assert sendgrid_standin.requests[0].status == 400


def test_sendgrid_programmed_400_fails_with_field_and_message(
    app, db_session, now, sendgrid_standin, backend
):
    message = queue(now)
    sendgrid_standin.answer(
        400, message="The from email does not contain a valid address.", field_name="from.email"
    )

    deliver_due_messages(now, backend=backend)

    assert message.status == MessageStatus.FAILED
    assert message.last_error == (
        "SendGrid 400: from.email: The from email does not contain a valid address."
    )


def test_sendgrid_401_wrong_key_fails(app, db_session, now, sendgrid_standin):
    message = queue(now)

    report = deliver_due_messages(now, backend=SendGridBackend("SG.wrong", sendgrid_standin.url))

    assert report.failed == [message.id]
    assert message.status == MessageStatus.FAILED
    assert message.last_error == f"SendGrid 401: -: {AUTH_ERROR}"
    assert sendgrid_standin.requests[0].headers["authorization"] == "Bearer SG.wrong"


def test_sendgrid_413_fails(app, db_session, now, sendgrid_standin, backend):
    message = queue(now)
    sendgrid_standin.answer(413)

    deliver_due_messages(now, backend=backend)

    assert message.status == MessageStatus.FAILED
    assert message.last_error == (
        "SendGrid 413: -: The JSON payload you have included in your request is too large."
    )


def test_sendgrid_429_waits_until_the_rate_limit_reset(
    app, db_session, now, sendgrid_standin, backend
):
    message = queue(now)
    sendgrid_standin.answer(429, reset_at=epoch(now + timedelta(seconds=95)))

    report = deliver_due_messages(now, backend=backend, clock=lambda: now)

    # A pause, not an attempt: the message waits for the reset, and so does every worker.
    assert report.deferred == [message.id]
    assert report.paused_until == now + timedelta(seconds=95)
    assert (message.status, message.attempts) == (MessageStatus.PENDING, 0)
    assert message.next_attempt_at == now + timedelta(seconds=95)
    assert message.last_error == "SendGrid 429: -: too many requests"
    assert paused_until(now) == now + timedelta(seconds=95)


def test_sendgrid_429_reset_far_away_is_capped(app, db_session, now, sendgrid_standin, backend):
    message = queue(now)
    sendgrid_standin.answer(429, reset_at=epoch(now + timedelta(hours=5)))

    deliver_due_messages(now, backend=backend, clock=lambda: now)

    assert message.status == MessageStatus.PENDING
    assert message.next_attempt_at == now + timedelta(
        seconds=app.config["OUTBOX_BACKOFF_CAP_SECONDS"]
    )


def test_sendgrid_429_reset_in_the_past_waits_one_second(
    app, db_session, now, sendgrid_standin, backend
):
    message = queue(now)
    sendgrid_standin.answer(429, reset_at=epoch(now - timedelta(minutes=1)))

    deliver_due_messages(now, backend=backend, clock=lambda: now)

    assert message.next_attempt_at == now + timedelta(seconds=1)


def test_sendgrid_429_without_reset_header_backs_off(
    app, db_session, now, sendgrid_standin, backend
):
    message = queue(now)
    sendgrid_standin.answer(429)

    deliver_due_messages(now, backend=backend, clock=lambda: now)

    assert message.status == MessageStatus.PENDING
    assert message.next_attempt_at == now + timedelta(seconds=30)


def test_sendgrid_500_backs_off_then_fails_once_too_old(
    app, db_session, now, sendgrid_standin, backend
):
    message = queue(now)
    sendgrid_standin.answer(500, times=3)
    too_old = now + timedelta(hours=app.config["OUTBOX_MAX_AGE_HOURS"])

    first = deliver_due_messages(now, backend=backend, clock=lambda: now)
    assert first.retrying == [message.id]
    assert message.next_attempt_at == now + timedelta(seconds=30)
    later = now + timedelta(seconds=30)
    second = deliver_due_messages(later, backend=backend, clock=lambda: later)
    assert second.retrying == [message.id]
    assert message.next_attempt_at == now + timedelta(seconds=30 + 60)
    third = deliver_due_messages(too_old, backend=backend, clock=lambda: too_old)

    assert third.failed == [message.id]
    assert message.status == MessageStatus.FAILED
    assert message.attempts == 3
    assert message.last_error == (
        "SendGrid 500: -: Internal server error (still failing 48 h after queueing)"
    )
    assert [r.status for r in sendgrid_standin.requests] == [500, 500, 500]


def test_sendgrid_500_then_202_is_sent(app, db_session, now, sendgrid_standin, backend):
    message = queue(now)
    sendgrid_standin.answer(500)

    deliver_due_messages(now, backend=backend, clock=lambda: now)
    later = now + timedelta(seconds=30)
    deliver_due_messages(later, backend=backend, clock=lambda: later)

    assert message.status == MessageStatus.SENT
    assert message.attempts == 2
    assert message.last_error is None
    assert message.provider_message_id == sendgrid_standin.requests[1].message_id


def test_sendgrid_nothing_listening_retries(app, db_session, now):
    message = queue(now)

    report = deliver_due_messages(
        now, backend=SendGridBackend(API_KEY, closed_port_url()), clock=lambda: now
    )

    assert report.retrying == [message.id]
    assert message.status == MessageStatus.PENDING
    assert message.next_attempt_at == now + timedelta(seconds=30)
    assert message.last_error.startswith("SendGrid unreachable: URLError(ConnectionRefusedError")


def test_sendgrid_garbled_answer_retries(app, db_session, now):
    message = queue(now)
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()

        def answer_garbage():
            connection, _ = listener.accept()
            with connection:
                connection.recv(65536)
                connection.sendall(b"garbage\r\n\r\n")

        thread = threading.Thread(target=answer_garbage, daemon=True)
        thread.start()
        url = f"http://127.0.0.1:{listener.getsockname()[1]}"
        report = deliver_due_messages(now, backend=SendGridBackend(API_KEY, url, timeout=5))
        thread.join(5)

    assert report.retrying == [message.id]
    assert message.status == MessageStatus.PENDING
    assert message.last_error == "SendGrid unreachable: BadStatusLine('garbage\\r\\n')"


def post(standin, body, key=API_KEY):
    """POST a raw body to the stand-in; return (status, decoded JSON answer or None)."""
    request = urllib.request.Request(
        f"{standin.url}/v3/mail/send",
        data=json.dumps(body).encode(),
        headers={"Authorization": f"Bearer {key}", "Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, None
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def test_standin_refuses_what_sendgrid_refuses(sendgrid_standin):
    body = {
        "personalizations": [{"to": [{"email": "Léa <lea@example.org>"}]}],
        "from": {"email": "plateforme@innovent-e.example"},
        "content": [
            {"type": "text/html", "value": "<p>Bonjour</p>"},
            {"type": "text/plain", "value": "Bonjour"},
        ],
        "attachments": [
            {"content": "QQ==", "filename": "a.ics", "type": "text/calendar; method=REQUEST"}
        ],
        "headers": {"From": "someone@else.example"},
    }

    status, answer = post(sendgrid_standin, body)

    assert status == 400
    assert [(e["field"], e["message"]) for e in answer["errors"]] == [
        (None, "'subject' is a required property"),
        ("personalizations.0.to", "Does not contain a valid address."),
        ("content", "If present, text/plain must be first, followed by text/html."),
        ("content", "If present, text/plain must be first, followed by text/html."),
        ("attachments.0.type", "The attachment type cannot contain ';', or CRLF characters."),
        ("headers.From", "The From header is reserved."),
    ]


def test_standin_checks_limits_and_the_custom_args_flaw(sendgrid_standin):
    body = {
        "personalizations": [{"to": [{"email": f"p{i}@example.org"}]} for i in range(1001)],
        "from": {"email": "plateforme@innovent-e.example"},
        "subject": "Trop",
        "content": [{"type": "text/plain", "value": "x"}],
        "categories": [f"c{i}" for i in range(11)],
        # An object, as the API takes it: the contract's string type is not enforced.
        "custom_args": {"outbox_id": "1"},
    }

    status, answer = post(sendgrid_standin, body)

    assert status == 400
    errors = [(e["field"], e["message"]) for e in answer["errors"]]
    assert len(errors) == 4
    assert errors[0][0] == "categories"
    assert errors[0][1].startswith("['c0', 'c1'")
    assert errors[0][1].endswith("'c10'] is too long")
    assert errors[1][0] == "personalizations"
    assert errors[1][1].startswith("[{'to': [{'email': 'p0@example.org'}]}")
    assert errors[1][1].endswith("is too long")
    assert [message for _, message in errors[2:]] == [
        "The personalizations field cannot have more than 1000 items.",
        "A request may have at most 1000 recipients.",
    ]


def test_standin_requires_the_bearer_key(sendgrid_standin):
    status, answer = post(sendgrid_standin, {}, key="SG.other")

    assert status == 401
    assert answer == {"errors": [{"message": AUTH_ERROR, "field": None, "help": None}]}
