from datetime import timedelta

import pytest
from sqlalchemy import func, select

from coordination.notifications.backends import MemoryBackend, TemporaryDeliveryError
from coordination.notifications.models import MessageStatus, OutboxMessage
from coordination.notifications.services import (
    claim_due_messages,
    deliver_due_messages,
    queue_email,
    retry_message,
)


def queue_test(key="test:1", to="someone@example.org", now=None, **kwargs):
    kwargs.setdefault("context", {"backend": "memory", "now": now})
    return queue_email(key=key, template="notifications/test", to_email=to, now=now, **kwargs)


def count_messages(db_session) -> int:
    return db_session.scalar(select(func.count()).select_from(OutboxMessage))


def test_queue_email_twice_with_one_key_yields_one_message(db_session, now):
    first = queue_test(now=now)
    second = queue_test(now=now)
    assert first.id == second.id
    assert count_messages(db_session) == 1


def test_queue_email_is_from_the_platform_with_reply_to_the_person(db_session, now):
    message = queue_test(now=now, reply_to="organiser@cci.example")
    assert message.from_email == "plateforme@innovent-e.example"
    assert message.from_name == "InnovENT-E"
    assert message.reply_to == "organiser@cci.example"
    assert message.status == MessageStatus.PENDING
    assert message.next_attempt_at == now


def test_queue_email_renders_in_the_recipients_language(db_session, now):
    french = queue_test("test:fr", now=now, locale="fr")
    english = queue_test("test:en", now=now, locale="en")
    assert english.subject == "Test message from the InnovENT-E platform"
    assert french.subject == "Message d’essai de la plateforme InnovENT-E"
    assert "lundi 2 mars 2026 à 11\u00a0h" in french.text_body  # Paris time, French words
    assert "Monday, March 2, 2026, 11:00" in english.text_body or "Monday 2 March 2026" in (
        english.text_body
    )
    assert english.html_body.startswith("<!doctype html>")


def test_nothing_is_queued_when_the_change_is_rolled_back(db_session, now):
    queue_test(now=now)
    db_session.rollback()
    assert count_messages(db_session) == 0


def test_claim_takes_due_messages_once(db_session, now):
    due = queue_test("due", now=now)
    later = queue_test("later", now=now + timedelta(hours=1))
    _, first = claim_due_messages(now, limit=10, worker="a")
    _, second = claim_due_messages(now, limit=10, worker="b")
    assert first == [due.id]
    assert second == []
    assert later.status == MessageStatus.PENDING


def test_claim_takes_back_a_message_whose_lease_expired(db_session, now, app):
    message = queue_test(now=now)
    claim_due_messages(now, limit=10, worker="dead")
    lease = timedelta(seconds=app.config["OUTBOX_LEASE_SECONDS"])
    _, before_expiry = claim_due_messages(now + lease - timedelta(seconds=1), 10, "b")
    _, after_expiry = claim_due_messages(now + lease + timedelta(seconds=1), 10, "b")
    assert before_expiry == []
    assert after_expiry == [message.id]


def test_deliver_sends_each_due_message_and_records_it(db_session, now):
    backend = MemoryBackend()
    ids = [queue_test(f"k{i}", to=f"p{i}@example.org", now=now).id for i in range(3)]
    report = deliver_due_messages(now, backend=backend, clock=lambda: now)
    assert report.sent == ids
    assert [m.to_email for m in backend.outbox] == [f"p{i}@example.org" for i in range(3)]
    message = db_session.get(OutboxMessage, ids[0])
    assert (message.status, message.sent_at, message.attempts) == (MessageStatus.SENT, now, 1)
    assert message.provider_message_id == f"memory-{ids[0]}"
    # A second pass has nothing left to send.
    assert deliver_due_messages(now, backend=backend).total == 0
    assert len(backend.outbox) == 3


class FlakyBackend:
    def __init__(self, failures):
        self.failures = failures
        self.calls = 0

    def send(self, message):
        self.calls += 1
        if self.calls <= self.failures:
            raise TemporaryDeliveryError("503 try later")
        return "ok"


def deliver_at(moment, backend):
    """One pass whose clock stands still at `moment` (sends take no time)."""
    return deliver_due_messages(moment, backend=backend, clock=lambda: moment)


def test_temporary_failures_back_off_exponentially_then_succeed(db_session, now):
    message = queue_test(now=now)
    backend = FlakyBackend(failures=2)
    deliver_at(now, backend)
    assert message.next_attempt_at == now + timedelta(seconds=30)
    assert deliver_at(now + timedelta(seconds=29), backend).total == 0
    deliver_at(now + timedelta(seconds=30), backend)
    assert message.next_attempt_at == now + timedelta(seconds=30 + 60)
    deliver_at(now + timedelta(seconds=90), backend)
    assert (message.status, message.attempts, message.last_error) == ("sent", 3, None)


def test_temporary_failures_give_up_by_age_not_by_count(db_session, now, app):
    message = queue_test(now=now)
    backend = FlakyBackend(failures=100)
    max_age = timedelta(hours=app.config["OUTBOX_MAX_AGE_HOURS"])
    moment = now
    # Twenty attempts within 48 hours: still waiting for the provider to come back.
    for _ in range(20):
        assert deliver_at(moment, backend).retrying == [message.id]
        moment = message.next_attempt_at
        if moment - now >= max_age:
            break
    assert message.status == MessageStatus.PENDING
    assert message.attempts == backend.calls
    deliver_at(now + max_age, backend)
    assert message.status == MessageStatus.FAILED
    assert message.last_error == "503 try later (still failing 48 h after queueing)"


def test_retry_puts_a_failed_message_back_due_now(db_session, now):
    message = queue_test(now=now)
    message.status = MessageStatus.FAILED
    retry_message(message, now + timedelta(days=1))
    assert (message.status, message.next_attempt_at) == ("pending", now + timedelta(days=1))
    with pytest.raises(ValueError):
        retry_message(message, now)


class BrokenBackend:
    def send(self, message):
        raise ValueError("unknown url type: 'api.sendgrid.example'")


def test_an_unexpected_backend_error_counts_as_an_attempt_and_backs_off(db_session, now):
    message = queue_test(now=now)
    report = deliver_at(now, BrokenBackend())
    assert report.retrying == [message.id]
    assert (message.status, message.attempts) == ("pending", 1)
    assert message.last_error == "ValueError: unknown url type: 'api.sendgrid.example'"
    assert message.next_attempt_at == now + timedelta(seconds=30)
