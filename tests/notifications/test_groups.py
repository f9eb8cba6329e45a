"""Messages to a group: who receives them, headers, one-click unsubscribe, preferences."""

from email import message_from_bytes

import pytest
from sqlalchemy import select

from coordination.core.clock import utcnow
from coordination.extensions import db
from coordination.notifications import groups, preferences
from coordination.notifications.backends import ConsoleBackend, SendGridBackend
from coordination.notifications.delivery import deliver_due_messages
from coordination.notifications.mime import build_mime, sendgrid_payload
from coordination.notifications.models import GroupMessage, MailOptOut, OutboxMessage
from coordination.notifications.services import queue_email
from coordination.participants.services import cancel_registration
from tests.notifications import sendgrid_standin as standin_module
from tests.participants.conftest import workshops_of


def _group_outbox(message_id=None):
    query = select(OutboxMessage).where(OutboxMessage.template == "notifications/group")
    return list(db.session.scalars(query.order_by(OutboxMessage.to_email)))


def test_stop_group_by_workshop_and_presence(stop, register, now):
    first, second = workshops_of(stop)
    a = register(stop, 1, workshops=[first])
    register(stop, 2, workshops=[second])
    c = register(stop, 3, workshops=[first, second])
    c.checked_in_at = now
    cancelled = register(stop, 4, workshops=[first])
    cancelled.cancelled_at = now
    db.session.flush()

    def emails(**params):
        return [r.email for r in groups.recipients("stop", {"stop_id": stop.id, **params})]

    assert emails() == ["p1@example.org", "p2@example.org", "p3@example.org"]
    assert emails(workshop_id=first.id) == [a.email, c.email]
    assert emails(workshop_id=first.id, presence="present") == [c.email]
    assert emails(presence="absent") == ["p1@example.org", "p2@example.org"]
    with pytest.raises(groups.GroupError):
        groups.recipients("stop", {"stop_id": 999_999})


def test_send_queues_one_message_each_with_unsubscribe_headers(stop, register, staff, now):
    register(stop, 1)
    register(stop, 2, email="P2@Example.org")
    english = register(stop, 3)
    english.locale = "en"
    draft = groups.draft(
        "stop",
        {"stop_id": stop.id},
        "Rappel du parking",
        "Bonjour,\n\nLe parking est rue Haute.",
        subject_en="Parking",
        body_en="Hello,\n\nParking is on rue Haute.",
    )
    message = groups.send(draft, staff, now)
    groups.send(message, staff, now)  # sending again queues nothing new
    db.session.flush()
    sent = _group_outbox()
    assert [m.to_email for m in sent] == ["p1@example.org", "p2@example.org", "p3@example.org"]
    assert message.recipient_count == 3 and message.sender_id == staff.id
    assert {m.idempotency_key for m in sent} == {
        f"group:{message.id}:p{n}@example.org" for n in (1, 2, 3)
    }
    by_email = {m.to_email: m for m in sent}
    assert by_email["p1@example.org"].subject == "Rappel du parking"
    assert by_email["p3@example.org"].subject == "Parking"
    assert "Parking is on rue Haute." in by_email["p3@example.org"].text_body
    assert by_email["p1@example.org"].reply_to == staff.email
    headers = by_email["p1@example.org"].headers
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    mailto, https = [part.strip(" <>") for part in headers["List-Unsubscribe"].split(",")]
    assert mailto.startswith("mailto:") and https.startswith("http")
    assert "/courriels/desabonnement/" in https
    # SMTP and console carry them in the MIME form; SendGrid in its headers field.
    mime = build_mime(by_email["p1@example.org"])
    assert mime["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert mime["List-Unsubscribe"] == headers["List-Unsubscribe"]
    payload = sendgrid_payload(by_email["p1@example.org"])
    assert payload["headers"]["List-Unsubscribe"] == headers["List-Unsubscribe"]
    assert payload["headers"]["Auto-Submitted"] == "auto-generated"
    recorded = db.session.get(GroupMessage, message.id)
    assert recorded.group_label.startswith("Participants")


def test_console_backend_writes_the_headers(stop, register, staff, now, tmp_path):
    register(stop, 1)
    groups.send(groups.draft("stop", {"stop_id": stop.id}, "Sujet", "Corps"), staff, now)
    db.session.flush()
    (message,) = _group_outbox()
    name = ConsoleBackend(str(tmp_path)).send(message)
    parsed = message_from_bytes((tmp_path / name).read_bytes())
    assert parsed["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "<mailto:" in parsed["List-Unsubscribe"]


def test_one_click_unsubscribe_stops_group_messages_not_service_ones(
    app, client, stop, register, staff, now
):
    registration = register(stop, 1)
    groups.send(groups.draft("stop", {"stop_id": stop.id}, "Un", "Premier"), staff, now)
    db.session.commit()
    (first,) = _group_outbox()
    url = first.headers["List-Unsubscribe"].split(",")[1].strip(" <>")
    path = url.split("://", 1)[1].split("/", 1)[1]
    page = client.get(f"/{path}")
    assert page.status_code == 200 and b"unsubscribe-form" in page.data
    assert preferences.wants("p1@example.org", "group")  # a GET changes nothing
    # The mail client's one-click POST: no session, no CSRF token (RFC 8058).
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        answer = client.post(f"/{path}", data={"List-Unsubscribe": "One-Click"})
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert answer.status_code == 200
    assert not preferences.wants("p1@example.org", "group")
    assert client.post(f"/{path}").status_code == 200  # twice: still fine
    assert db.session.scalars(select(MailOptOut)).all()[0].source == "unsubscribe"

    second = groups.send(groups.draft("stop", {"stop_id": stop.id}, "Deux", "Second"), staff, now)
    assert second.recipient_count == 0
    # A service message (the cancellation with its calendar CANCEL) still goes out.
    cancel_registration(registration, now)
    assert db.session.scalar(
        select(OutboxMessage).where(
            OutboxMessage.template == "participants/cancelled",
            OutboxMessage.to_email == "p1@example.org",
        )
    )
    assert client.get("/courriels/desabonnement/forged").status_code == 404


def test_optional_kinds_respect_preferences_at_enqueue(app, make_user, now):
    user = make_user("pref@example.org")
    preferences.set_wanted_kinds(user, {"group"}, now)
    assert not preferences.wants(user, "stop_reminders")
    assert preferences.who_wants(["pref@example.org", "other@example.org"], "group") == {
        "pref@example.org",
        "other@example.org",
    }
    with app.test_request_context():
        skipped = queue_email(
            key="reminder:test",
            template="calendar/reminder",
            to_email=user.email,
            context={"user": user, "stop": None, "days_left": 1, "url": "x"},
        )
    assert skipped is None
    assert (
        db.session.scalar(
            select(OutboxMessage).where(OutboxMessage.idempotency_key == "reminder:test")
        )
        is None
    )


def test_unsubscribe_token_is_signed():
    token = preferences.unsubscribe_token("A@Example.org")
    assert preferences.read_unsubscribe_token(token) == ("a@example.org", "group")
    assert preferences.read_unsubscribe_token(token[:-2] + "xx") is None
    assert utcnow()


sendgrid_standin = standin_module.sendgrid_standin


def test_sendgrid_stand_in_accepts_the_unsubscribe_headers(
    stop, register, staff, now, sendgrid_standin
):
    register(stop, 1)
    groups.send(groups.draft("stop", {"stop_id": stop.id}, "Sujet", "Corps"), staff, now)
    db.session.flush()
    backend = SendGridBackend(standin_module.API_KEY, sendgrid_standin.url, timeout=5)
    report = deliver_due_messages(now, backend=backend)
    assert len(report.sent) == 2  # the confirmation of the registration, and the group one
    group_request = next(r for r in sendgrid_standin.requests if r.body["subject"] == "Sujet")
    assert group_request.validation_errors == [] and group_request.status == 202
    headers = group_request.body["headers"]
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert headers["List-Unsubscribe"].startswith("<mailto:")
    (message,) = _group_outbox()
    assert message.provider_message_id == group_request.message_id
