"""Outbox delivery throughput on PostgreSQL, through the SendGrid backend and a local stand-in.

Queues N messages, then delivers them with 1 worker process and again with 2, each worker
looping deliver_due_messages() until nothing waits. Prints messages/s, and the number of
duplicates (an outbox id accepted twice by the stand-in) and losses (queued but never
accepted, or not marked sent). Exits 0 after printing, 1 if a run lost, duplicated or failed.

Modes (--mode): `fast` (the stand-in answers at once), `slow` (answers take 0.5-0.8 s,
batches of 20, a 3 s lease and a 2 s send timeout: batches outlive their lease) and
`limited` (the stand-in accepts 4 requests per second and answers 429 with
X-RateLimit-Reset beyond that). Each prints sent, sent twice, failed, requests refused by
the limit, requests sent inside an announced pause, and the time to drain.

    BENCH_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/bench_outbox \
        .venv/bin/python benchmarks/outbox.py --messages 3000 --workers 1,2
    .venv/bin/python benchmarks/outbox.py --mode slow --messages 200 --workers 2
    .venv/bin/python benchmarks/outbox.py --mode limited --messages 400 --workers 2
"""

import argparse
import logging
import multiprocessing
import os
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
# Config() wants a secret outside development and writes one into instance/ inside it.
os.environ.setdefault("SECRET_KEY", "benchmark-only-secret")

DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/bench_outbox"


def ensure_database(url: str) -> None:
    """Create the benchmark database if it does not exist (via the `postgres` database)."""
    import psycopg
    from psycopg import sql
    from sqlalchemy.engine import make_url

    target = make_url(url)
    maintenance = target.set(drivername="postgresql", database="postgres")
    with psycopg.connect(maintenance.render_as_string(hide_password=False)) as connection:
        connection.autocommit = True
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", (target.database,)
        ).fetchone()
        if not exists:
            connection.execute(
                sql.SQL("CREATE DATABASE {}").format(sql.Identifier(target.database))
            )


#: Stand-in behaviour and delivery settings per mode.
MODES = {
    "fast": {"standin": {}, "lease": 300, "timeout": 30},
    "slow": {"standin": {"delay": (0.5, 0.8)}, "lease": 3, "timeout": 2, "batch": 20},
    "limited": {"standin": {"rate_limit": 4}, "lease": 300, "timeout": 30},
}


def make_app(url: str, sendgrid_host: str, api_key: str, batch_size: int, mode: str = "fast"):
    """An app on the benchmark database whose mail goes to the stand-in."""
    from config import Config
    from coordination import create_app

    class BenchConfig(Config):
        APP_ENV = "benchmark"
        SQLALCHEMY_DATABASE_URI = url
        SCHEDULER_IN_APP = False
        MAIL_BACKEND = "sendgrid"
        SENDGRID_API_KEY = api_key
        SENDGRID_API_HOST = sendgrid_host
        SENDGRID_SANDBOX = False
        OUTBOX_BATCH_SIZE = batch_size
        OUTBOX_LEASE_SECONDS = MODES[mode]["lease"]
        OUTBOX_SEND_TIMEOUT_SECONDS = MODES[mode]["timeout"]

    return create_app(BenchConfig())


def reset_and_queue(app, count: int) -> list[int]:
    """Recreate the schema and queue `count` messages due now; return their ids."""
    from coordination.core.clock import utcnow
    from coordination.extensions import db
    from coordination.notifications.models import OutboxMessage
    from coordination.notifications.rendering import render_email
    from coordination.notifications.services import build_message

    with app.app_context():
        db.drop_all()
        db.create_all()
        now = utcnow()
        # Rendering is not what we measure: render once, queue many.
        rendered = render_email("notifications/test", "fr", {"backend": "sendgrid", "now": now})
        for index in range(count):
            message = build_message(
                key=f"bench:{index}",
                template="notifications/test",
                to_email=f"person{index}@example.org",
                subject=rendered.subject,
                text_body=rendered.text,
                html_body=rendered.html,
            )
            message.created_at = message.next_attempt_at = now
            db.session.add(message)
        db.session.commit()
        ids = list(db.session.scalars(db.select(OutboxMessage.id).order_by(OutboxMessage.id)))
        db.session.remove()
        db.engine.dispose()
    return ids


def worker(index, url, sendgrid_host, api_key, batch_size, mode, start):
    """One delivery process: its own app and connections, passes until nothing waits."""
    from coordination.core.clock import utcnow
    from coordination.extensions import db
    from coordination.notifications.delivery import deliver_due_messages
    from coordination.notifications.models import MessageStatus, OutboxMessage

    app = make_app(url, sendgrid_host, api_key, batch_size, mode)
    # One INFO line per message would measure the terminal, not the outbox.
    logging.getLogger("coordination").setLevel(logging.WARNING)
    waiting = (
        db.select(db.func.count())
        .select_from(OutboxMessage)
        .where(OutboxMessage.status.in_([MessageStatus.PENDING, MessageStatus.SENDING]))
    )
    passes = 0
    with app.app_context():
        start.wait()
        while True:
            report = deliver_due_messages(utcnow(), worker=f"bench-{index}")
            passes += 1
            if report.total:
                continue
            left = db.session.scalar(waiting)
            db.session.commit()
            if not left:
                break
            time.sleep(0.05)  # a provider pause, or the other worker's claims
    return passes


def outcome(app) -> Counter:
    """How many messages ended in each status."""
    from coordination.extensions import db
    from coordination.notifications.models import OutboxMessage

    with app.app_context():
        rows = db.session.execute(
            db.select(OutboxMessage.status, db.func.count()).group_by(OutboxMessage.status)
        ).all()
        db.session.remove()
    return Counter({status: total for status, total in rows})


def run(url: str, count: int, workers: int, batch_size: int, mode: str) -> bool:
    """Queue, deliver with `workers` processes, print the figures; True if nothing was off."""
    from tests.notifications.sendgrid_standin import API_KEY, SendGridStandIn

    standin = SendGridStandIn(**MODES[mode]["standin"]).start()
    try:
        app = make_app(url, standin.url, API_KEY, batch_size, mode)
        queued = reset_and_queue(app, count)
        # spawn, not fork: the parent runs the stand-in's threads.
        context = multiprocessing.get_context("spawn")
        # Every worker and this process meet here once the apps are built: under load,
        # importing and building an app takes seconds, which is not what is measured.
        start = context.Manager().Barrier(workers + 1)
        with context.Pool(workers) as pool:
            results = [
                pool.apply_async(worker, (i, url, standin.url, API_KEY, batch_size, mode, start))
                for i in range(workers)
            ]
            start.wait(timeout=300)
            began = time.perf_counter()
            passes = [result.get(timeout=1200) for result in results]
            elapsed = time.perf_counter() - began
        accepted = Counter(standin.received_outbox_ids())
        statuses = outcome(app)
        invalid = sum(1 for request in standin.requests if request.validation_errors)
        refused = standin.refused_by_limit()
        inside_pause = standin.requests_inside_pauses()
    finally:
        standin.stop()
    duplicates = sum(n - 1 for n in accepted.values() if n > 1)
    never_received = sum(1 for i in queued if str(i) not in accepted)
    not_sent = count - statuses.get("sent", 0)
    failed = statuses.get("failed", 0)
    print(
        f"mode={mode} workers={workers} messages={count} batch={batch_size} "
        f"sent={statuses.get('sent', 0)} sent_twice={duplicates} failed={failed} "
        f"refused_by_limit={refused} requests_inside_pause={inside_pause} "
        f"drain={elapsed:.2f}s rate={count / elapsed:.1f} messages/s "
        f"requests={len(standin.requests)} invalid_payloads={invalid} "
        f"lost_never_received={never_received} lost_not_sent={not_sent} "
        f"passes={passes} statuses={dict(statuses)}"
    )
    return duplicates == 0 and never_received == 0 and not_sent == 0 and invalid == 0


def main() -> int:
    """Parse the arguments, make sure the database exists, run once per worker count."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=3000)
    parser.add_argument("--workers", default="1,2", help="comma-separated process counts")
    parser.add_argument("--batch", type=int, help="OUTBOX_BATCH_SIZE (50; 20 in slow mode)")
    parser.add_argument("--mode", choices=sorted(MODES), default="fast")
    args = parser.parse_args()
    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    if not url.startswith("postgresql"):
        parser.error("BENCH_DATABASE_URL must be a PostgreSQL URL (SKIP LOCKED is measured)")
    ensure_database(url)
    clean = True
    for workers in (int(w) for w in args.workers.split(",")):
        batch = args.batch or MODES[args.mode].get("batch", 50)
        clean = run(url, args.messages, workers, batch, args.mode) and clean
    return 0 if clean else 1


if __name__ == "__main__":
    sys.exit(main())
