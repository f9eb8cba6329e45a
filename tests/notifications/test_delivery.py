"""Delivery on a simulated clock: claims checked before each send, backoff and pauses exact."""

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from config import TestConfig
from coordination.core.clock import utcnow
from coordination.extensions import db
from coordination.notifications.backends import RateLimited, TemporaryDeliveryError
from coordination.notifications.delivery import (
    _hand_back,
    claim_due_messages,
    deliver_due_messages,
    deliver_message,
    lease_length,
    paused_until,
    record_pause,
)
from coordination.notifications.models import MessageStatus, OutboxMessage
from coordination.notifications.services import queue_email


class SimulatedClock:
    """A clock that moves only when told to."""

    def __init__(self, start):
        self.moment = start

    def __call__(self):
        return self.moment

    def advance(self, seconds: float) -> None:
        self.moment += timedelta(seconds=seconds)


class ScriptedBackend:
    """Each send takes `duration` simulated seconds, then does what the script says."""

    def __init__(self, clock, script, duration=3):
        self.clock, self.script, self.duration = clock, list(script), duration
        self.calls = []

    def send(self, message):
        self.calls.append(message.id)
        self.clock.advance(self.duration)
        action = self.script.pop(0) if self.script else "ok"
        if isinstance(action, Exception):
            raise action
        if callable(action):
            action(message)
        return f"id-{message.id}"


def queue_several(count, now):
    return [
        queue_email(
            key=f"delivery:{i}",
            template="notifications/test",
            to_email=f"p{i}@example.org",
            context={"backend": "memory", "now": now},
            now=now,
        )
        for i in range(count)
    ]


def test_backoff_counts_from_each_messages_own_attempt(db_session, now):
    messages = queue_several(3, now)
    clock = SimulatedClock(now)
    backend = ScriptedBackend(clock, [TemporaryDeliveryError("503")] * 3)

    report = deliver_due_messages(now, backend=backend, clock=clock)

    assert report.retrying == [m.id for m in messages]
    # Each 503 came 3 s after the one before: each waits 30 s from its own answer.
    assert [m.next_attempt_at for m in messages] == [
        now + timedelta(seconds=3 + 30),
        now + timedelta(seconds=6 + 30),
        now + timedelta(seconds=9 + 30),
    ]
    assert [m.attempts for m in messages] == [1, 1, 1]


def test_a_429_stops_the_pass_and_hands_the_rest_back_until_the_reset(db_session, now):
    first, limited, *rest = queue_several(4, now)
    clock = SimulatedClock(now)
    reset = now + timedelta(seconds=10)
    backend = ScriptedBackend(clock, ["ok", RateLimited("SendGrid 429", retry_at=reset)])

    report = deliver_due_messages(now, backend=backend, clock=clock)

    assert backend.calls == [first.id, limited.id]  # nothing sent after the 429
    assert report.sent == [first.id]
    assert report.deferred == [limited.id] + [m.id for m in rest]
    assert report.paused_until == reset
    assert paused_until(now) == reset
    for message in [limited, *rest]:
        assert (message.status, message.next_attempt_at) == (MessageStatus.PENDING, reset)
        assert message.attempts == 0  # a 429 is not an attempt
    assert limited.last_error == "SendGrid 429"

    # No worker claims anything before the reset; at the reset, everything goes.
    before = reset - timedelta(seconds=1)
    assert deliver_due_messages(before, backend=backend, clock=lambda: before).total == 0
    assert len(backend.calls) == 2
    after = deliver_due_messages(reset, backend=backend, clock=SimulatedClock(reset))
    assert after.sent == [limited.id] + [m.id for m in rest]
    assert limited.attempts == 1


def test_a_pause_announced_by_another_worker_stops_this_pass_before_its_next_send(db_session, now):
    messages = queue_several(3, now)
    clock = SimulatedClock(now)
    until = now + timedelta(seconds=20)

    def other_worker_hits_the_limit(message):
        record_pause(until, "SendGrid 429 (other worker)", clock())
        db.session.commit()

    backend = ScriptedBackend(clock, [other_worker_hits_the_limit])

    report = deliver_due_messages(now, backend=backend, clock=clock)

    assert backend.calls == [messages[0].id]
    assert report.sent == [messages[0].id]
    assert report.deferred == [messages[1].id, messages[2].id]
    assert report.paused_until == until
    assert [m.next_attempt_at for m in messages[1:]] == [until, until]
    assert [m.status for m in messages[1:]] == [MessageStatus.PENDING] * 2


def test_a_shorter_pause_does_not_cut_a_longer_one(db_session, now):
    record_pause(now + timedelta(seconds=60), "first", now)
    record_pause(now + timedelta(seconds=5), "second", now)
    assert paused_until(now) == now + timedelta(seconds=60)
    record_pause(now + timedelta(seconds=90), "third", now)
    assert paused_until(now + timedelta(seconds=61)) == now + timedelta(seconds=90)


def test_a_claim_taken_over_is_not_sent_by_its_first_holder(db_session, now, app):
    [message] = queue_several(1, now)
    token, [claimed] = claim_due_messages(now, 10, "slow")
    expired = now + lease_length() + timedelta(seconds=1)
    other_token, taken = claim_due_messages(expired, 10, "other")
    assert taken == [claimed]
    clock = SimulatedClock(expired)
    backend = ScriptedBackend(clock, [])

    assert deliver_message(claimed, token, backend, clock) == "deferred"

    assert backend.calls == []
    assert (message.status, message.claimed_by) == (MessageStatus.SENDING, other_token)


def test_an_outcome_is_written_only_while_the_claim_holds(db_session, now):
    [message] = queue_several(1, now)
    token, [claimed] = claim_due_messages(now, 10, "first")

    def claim_stolen(sent):
        db.session.execute(
            update(OutboxMessage).where(OutboxMessage.id == sent.id).values(claimed_by="thief")
        )
        db.session.commit()

    clock = SimulatedClock(now)
    backend = ScriptedBackend(clock, [claim_stolen])

    assert deliver_message(claimed, token, backend, clock) == "deferred"
    assert (message.status, message.claimed_by, message.attempts) == ("sending", "thief", 0)


def test_the_lease_is_extended_from_the_moment_of_each_send(db_session, now):
    messages = queue_several(2, now)
    clock = SimulatedClock(now)
    leases = []

    def read_lease(message):
        leases.append(
            db.session.scalar(
                select(OutboxMessage.lease_expires_at).where(OutboxMessage.id == message.id)
            )
        )

    backend = ScriptedBackend(clock, [read_lease, read_lease])
    clock.advance(100)  # the pass reaches its sends 100 s after the claim

    deliver_due_messages(now, backend=backend, clock=clock)

    # While on the wire, each message's lease runs from its own send, not from the claim.
    lease = lease_length()
    assert leases == [now + timedelta(seconds=100) + lease, now + timedelta(seconds=103) + lease]
    assert [m.lease_expires_at for m in messages] == [None, None]
    assert [m.sent_at for m in messages] == [
        now + timedelta(seconds=103),
        now + timedelta(seconds=106),
    ]


def test_a_lease_not_longer_than_the_send_timeout_is_refused(app, monkeypatch):
    class ShortLease(TestConfig):
        OUTBOX_LEASE_SECONDS = 30
        OUTBOX_SEND_TIMEOUT_SECONDS = 30

    with pytest.raises(RuntimeError, match="OUTBOX_LEASE_SECONDS must be longer"):
        ShortLease()
    monkeypatch.setitem(app.config, "OUTBOX_LEASE_SECONDS", 10)
    monkeypatch.setitem(app.config, "OUTBOX_SEND_TIMEOUT_SECONDS", 10)
    with pytest.raises(RuntimeError, match=r"OUTBOX_LEASE_SECONDS \(10\) must be longer"):
        lease_length()


def test_outbox_deliver_says_sending_is_paused(app, db_session):
    now = utcnow()
    queue_several(1, now)
    record_pause(now + timedelta(minutes=5), "SendGrid 429", now)
    db.session.commit()

    result = app.test_cli_runner().invoke(args=["outbox", "deliver"])

    until = now + timedelta(minutes=5)
    assert result.output == (
        f"0 sent, 0 to retry, 0 failed\n"
        f"provider rate limit: sending paused until {until:%H:%M:%S} UTC\n"
    )


def test_claims_go_back_even_when_the_pause_is_over_before_they_are_released(db_session, now):
    messages = queue_several(3, now)
    token, claimed = claim_due_messages(now, 10, "slow")
    # A one-second pause, over by the time a loaded machine gets to hand the batch back.
    record_pause(now + timedelta(seconds=1), "SendGrid 429", now)
    later = now + timedelta(seconds=2)

    assert _hand_back(token, later) is None

    for message in messages:
        assert (message.status, message.next_attempt_at) == (MessageStatus.PENDING, later)
        assert message.lease_expires_at is None
    assert claim_due_messages(later, 10, "next")[1] == claimed
