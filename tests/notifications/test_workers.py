"""Several delivery workers at once, and a worker that dies: nothing lost, nothing doubled.

These tests commit for real (each worker has its own connection), on SQLite and PostgreSQL.
"""

import contextlib
import threading
from collections import Counter
from datetime import timedelta

from sqlalchemy import func, select

from coordination.extensions import db
from coordination.notifications.models import MessageStatus, OutboxMessage
from coordination.notifications.services import build_message, deliver_due_messages


class RecordingBackend:
    """Counts sends per message, from any thread."""

    def __init__(self, crash_after: int | None = None):
        self.sent = Counter()
        self.lock = threading.Lock()
        self.crash_after = crash_after

    def send(self, message):
        with self.lock:
            if self.crash_after is not None and sum(self.sent.values()) >= self.crash_after:
                raise SystemExit("worker killed mid-batch")
            self.sent[message.id] += 1
        return f"rec-{message.id}"


def queue_many(count: int, now) -> list[int]:
    messages = [
        build_message(
            key=f"bulk:{i}",
            template="notifications/test",
            to_email=f"p{i}@example.org",
            subject=f"Message {i}",
            text_body="text",
            html_body="<p>html</p>",
        )
        for i in range(count)
    ]
    for message in messages:
        message.created_at = message.next_attempt_at = now
    db.session.add_all(messages)
    db.session.commit()
    ids = [m.id for m in messages]
    # End the read transaction: on SQLite it would hold the write lock the workers need.
    db.session.commit()
    return ids


def test_two_workers_deliver_each_message_exactly_once(app, committed, now):
    ids = queue_many(300, now)
    backend = RecordingBackend()
    errors = []

    def worker(name):
        try:
            with app.app_context():
                while deliver_due_messages(now, backend=backend, worker=name, limit=20).total:
                    pass
                db.session.remove()
        except Exception as error:  # surfaced below: a thread's exception is otherwise lost
            errors.append(error)

    threads = [threading.Thread(target=worker, args=(f"w{i}",)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    assert sorted(backend.sent) == ids
    assert set(backend.sent.values()) == {1}
    sent = db.session.scalar(select(func.count()).where(OutboxMessage.status == MessageStatus.SENT))
    assert sent == 300


def test_a_worker_killed_mid_batch_loses_nothing(app, committed, now):
    ids = queue_many(10, now)
    dying = RecordingBackend(crash_after=4)
    with contextlib.suppress(SystemExit):
        deliver_due_messages(now, backend=dying, worker="dying", limit=10)
    db.session.rollback()
    assert len(dying.sent) == 4

    survivor = RecordingBackend()
    # Before the lease runs out, the dead worker's claimed messages are left alone.
    assert deliver_due_messages(now + timedelta(seconds=1), backend=survivor).total == 0
    lease = timedelta(seconds=app.config["OUTBOX_LEASE_SECONDS"] + 1)
    deliver_due_messages(now + lease, backend=survivor)
    assert sorted(set(dying.sent) | set(survivor.sent)) == ids
    assert set(dying.sent).isdisjoint(survivor.sent)
    statuses = db.session.scalars(select(OutboxMessage.status)).all()
    assert Counter(statuses) == {MessageStatus.SENT: 10}
