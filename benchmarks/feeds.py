"""Feed serving speed: a personal feed with 200 stops and 500 club meetings, served by
gunicorn, compared with a 304 answer and a trivial endpoint on the same server.

    .venv/bin/python benchmarks/feeds.py [--stops 200] [--meetings 500] [--seconds 5]

Uses a throw-away SQLite file unless BENCH_DATABASE_URL is set (its tables are dropped and
recreated). Prints requests per second for each case and their ratios to the trivial one.
"""

import argparse
import http.client
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SECRET = "benchmark-secret-key"  # noqa: S105 (a throw-away server)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def build_data(database_url: str, stops: int, meetings: int) -> str:
    """Create the rows; return the path of the staff member's personal feed."""
    os.environ.update(SECRET_KEY=SECRET, DATABASE_URL=database_url, SCHEDULER_IN_APP="false")
    from config import Config
    from coordination import create_app
    from coordination.calendar.services import PERSONAL, active_feed_token, feed_url
    from coordination.campaigns.models import Edition
    from coordination.clubs.models import Club, ClubMeeting
    from coordination.extensions import db
    from coordination.stops.models import Stop

    config = Config()
    config.SQLALCHEMY_DATABASE_URI = database_url
    app = create_app(config)
    with app.app_context():
        db.drop_all()
        db.create_all()
        from coordination.auth.services import create_user

        staff = create_user("bench@example.org", "Bench", ("staff",))
        edition = Edition(
            slug="bench", name="Bench", starts_on=date(2027, 1, 1), ends_on=date(2027, 12, 31)
        )
        club = Club(slug="bench", name="Club bench")
        db.session.add_all([edition, club])
        db.session.flush()
        start = datetime(2027, 3, 1, 8, tzinfo=UTC)
        changed = datetime(2026, 11, 1, tzinfo=UTC)
        db.session.add_all(
            Stop(
                edition_id=edition.id,
                title=f"Étape {i}",
                starts_at=start + timedelta(days=i),
                ends_at=start + timedelta(days=i, hours=8),
                status="confirmed",
                city="Saint-Quentin",
                venue_name="Palais de Fervaques",
                latitude=49.84642,
                longitude=3.2884,
                created_at=changed,
                updated_at=changed,
            )
            for i in range(stops)
        )
        db.session.add_all(
            ClubMeeting(
                club_id=club.id,
                title=f"Réunion {i}",
                starts_at=start + timedelta(hours=10 * i),
                ends_at=start + timedelta(hours=10 * i + 2),
                place="CCI",
                status="confirmed",
                created_at=changed,
                updated_at=changed,
            )
            for i in range(meetings)
        )
        url = feed_url(active_feed_token(staff, PERSONAL, changed))
        db.session.commit()
        return "/" + url.split("/", 3)[3]


def stale(database_url: str) -> None:
    """Raise the feed generation, as any committed change does."""
    from sqlalchemy import create_engine, text

    engine = create_engine(database_url)
    with engine.begin() as connection:
        connection.execute(text("UPDATE feed_generation SET value = value + 1 WHERE id = 1"))
    engine.dispose()


def measure(port: int, path: str, seconds: float, headers: dict, threads: int) -> tuple[float, int]:
    """Requests per second over keep-alive connections; returns (rate, last status)."""
    counts, statuses = [0] * threads, [0] * threads
    deadline = time.monotonic() + seconds

    def loop(index: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while time.monotonic() < deadline and counts[index] < 1_000_000:
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            response.read()
            statuses[index] = response.status
            counts[index] += 1
        connection.close()

    workers = [threading.Thread(target=loop, args=(i,)) for i in range(threads)]
    started = time.monotonic()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return sum(counts) / (time.monotonic() - started), statuses[0]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stops", type=int, default=200)
    parser.add_argument("--meetings", type=int, default=500)
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="bench-feeds-"))
    database_url = os.environ.get("BENCH_DATABASE_URL", f"sqlite:///{workdir / 'bench.db'}")
    path = build_data(database_url, args.stops, args.meetings)
    port = free_port()
    env = dict(
        os.environ,
        SECRET_KEY=SECRET,
        DATABASE_URL=database_url,
        INSTANCE_PATH=str(workdir),
        SCHEDULER_IN_APP="false",
        APP_ENV="production",
    )
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "-w",
            str(args.workers),
            "-b",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            "--timeout",
            "120",
            "wsgi:app",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        for _ in range(100):
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                time.sleep(0.2)
        probe = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        # Workers import the app after the port opens (seconds on a loaded machine): wait
        # for them, so the first feed request measures the build, not the start-up.
        booted = time.monotonic()
        for _ in range(4 * args.workers):
            warm = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
            warm.request("GET", "/healthz")
            warm.getresponse().read()
            warm.close()
        boot_ms = (time.monotonic() - booted) * 1000
        cold_started = time.monotonic()
        probe.request("GET", path)
        first = probe.getresponse()
        body = first.read()
        cold_ms = (time.monotonic() - cold_started) * 1000
        rebuilds = []
        for _ in range(2 * args.workers):
            # A change elsewhere: every cached feed goes stale, the next fetch rebuilds it.
            stale(database_url)
            started = time.monotonic()
            probe.request("GET", path)
            again = probe.getresponse()
            again.read()
            assert again.status == 200, again.status
            rebuilds.append((time.monotonic() - started) * 1000)
        etag = again.getheader("ETag")
        print(
            f"feed: {args.stops} stops + {args.meetings} meetings, {len(body) / 1024:.0f} KiB, "
            f"status {first.status}; workers up after {boot_ms:.0f} ms; "
            f"first (cold) build {cold_ms:.0f} ms; "
            f"rebuilds after a change {', '.join(f'{ms:.0f}' for ms in rebuilds)} ms; "
            f"gunicorn workers={args.workers}, client threads={args.threads}"
        )
        full, full_status = measure(port, path, args.seconds, {}, args.threads)
        cached, cached_status = measure(
            port, path, args.seconds, {"If-None-Match": etag}, args.threads
        )
        trivial, _ = measure(port, "/healthz", args.seconds, {}, args.threads)
        rows = [
            ("full answer", full, f"status {full_status}"),
            ("304 unchanged", cached, f"status {cached_status}"),
            ("trivial", trivial, "/healthz"),
        ]
        for label, rate, note in rows:
            print(f"{label:<14}{rate:8.1f} req/s  ({note})  ratio to trivial {rate / trivial:.3f}")
    finally:
        server.terminate()
        server.wait(timeout=10)
    return 0


if __name__ == "__main__":
    sys.exit(main())
