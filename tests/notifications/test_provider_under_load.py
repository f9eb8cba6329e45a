"""Real concurrent workers against a slow, then a rate-limited SendGrid stand-in.

Each worker is a thread with its own app context and connection, committing for real, on
SQLite and PostgreSQL; time is the real clock, as in production.
"""

import threading
import time
from collections import Counter

import pytest
from sqlalchemy import func, select

from coordination.core.clock import utcnow
from coordination.extensions import db
from coordination.notifications.backends import SendGridBackend
from coordination.notifications.delivery import deliver_due_messages
from coordination.notifications.models import MessageStatus, OutboxMessage
from tests.notifications.sendgrid_standin import API_KEY, SendGridStandIn
from tests.notifications.test_workers import queue_many


def waiting() -> int:
    """Messages not yet sent nor failed."""
    return db.session.scalar(
        select(func.count()).where(
            OutboxMessage.status.in_([MessageStatus.PENDING, MessageStatus.SENDING])
        )
    )


def run_workers(app, backend, count: int, batch: int, timeout: float = 120) -> list:
    """Two workers looping delivery passes until nothing waits; return every pass's report."""
    reports, errors = [], []

    def worker(name):
        try:
            with app.app_context():
                deadline = time.monotonic() + timeout
                while time.monotonic() < deadline:
                    report = deliver_due_messages(
                        utcnow(), backend=backend, worker=name, limit=batch
                    )
                    reports.append(report)
                    if report.total:
                        continue
                    left = waiting()
                    db.session.commit()
                    if not left:
                        break
                    time.sleep(0.05)  # a pause or another worker's claims: look again soon
                db.session.remove()
        except Exception as error:  # surfaced below: a thread's exception is otherwise lost
            errors.append(error)

    threads = [threading.Thread(target=worker, args=(f"w{i}",)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout + 10)
    assert errors == []
    return reports


def statuses() -> Counter:
    return Counter(db.session.scalars(select(OutboxMessage.status)).all())


@pytest.fixture
def slow_standin():
    standin = SendGridStandIn(delay=(0.5, 0.8)).start()
    yield standin
    standin.stop()


def test_a_batch_outliving_its_lease_sends_nothing_twice(app, committed, monkeypatch, slow_standin):
    # Batches of 20 at 0.5-0.8 s each take 10-16 s; the lease is 2 s.
    monkeypatch.setitem(app.config, "OUTBOX_LEASE_SECONDS", 2)
    monkeypatch.setitem(app.config, "OUTBOX_SEND_TIMEOUT_SECONDS", 1.5)
    ids = queue_many(30, utcnow())
    backend = SendGridBackend(API_KEY, slow_standin.url, timeout=1.5)

    reports = run_workers(app, backend, count=2, batch=20)

    accepted = Counter(slow_standin.received_outbox_ids())
    assert sorted(int(i) for i in accepted) == ids  # nothing lost
    assert set(accepted.values()) == {1}  # nothing sent twice
    assert len(slow_standin.requests) == 30
    assert statuses() == {MessageStatus.SENT: 30}
    # The situation did arise: a worker found claims of its batch taken by the other.
    assert sum(len(r.deferred) for r in reports) > 0
    attempts = db.session.scalars(select(OutboxMessage.attempts)).all()
    assert set(attempts) == {1}


def test_a_sustained_rate_limit_pauses_every_worker_and_fails_nothing(app, committed):
    limited = SendGridStandIn(rate_limit=4).start()
    try:
        ids = queue_many(24, utcnow())
        backend = SendGridBackend(API_KEY, limited.url, timeout=5)
        started = time.monotonic()

        run_workers(app, backend, count=2, batch=10)

        elapsed = time.monotonic() - started
        accepted = Counter(limited.received_outbox_ids())
        assert sorted(int(i) for i in accepted) == ids
        assert set(accepted.values()) == {1}
        assert statuses() == {MessageStatus.SENT: 24}
        # A refused request is not an attempt.
        assert set(db.session.scalars(select(OutboxMessage.attempts)).all()) == {1}
        assert limited.refused_by_limit() > 0  # the limit was hit…
        assert limited.requests_inside_pauses(grace=0.5) == 0  # …and no one sent into a pause
        # At most one refusal per worker and per one-second window.
        assert limited.refused_by_limit() <= 2 * (int(elapsed) + 2)
    finally:
        limited.stop()
