"""Every page each role reaches, on the full-size demo: p50 and p95 time and SQL queries.

    DATABASE_URL=sqlite:////tmp/bench_pages.db .venv/bin/python benchmarks/pages.py
    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/bench_pages \\
        .venv/bin/python benchmarks/pages.py --repeat 20

The database is created and loaded (reference data, `demo load --size large`) when it is
empty, topped up otherwise (the load is idempotent). Pages come from the layout browser
test's list per role (`tests/browser/test_layout.py`), so a page added there is measured
here. Each page is asked once to warm up, then `--repeat` times through the Flask test
client, signed in as the role's demo account; the queries are counted with a SQLAlchemy
event on the engine. Exit status 1 when a page misses a target (or does not answer 200).
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import event, inspect  # noqa: E402

from config import Config  # noqa: E402
from coordination import create_app  # noqa: E402
from coordination.core.clock import utcnow  # noqa: E402
from coordination.core.warmup import warm_up  # noqa: E402
from coordination.demo import DEMO_PASSWORD  # noqa: E402
from coordination.demo_large import load_large_demo  # noqa: E402
from coordination.extensions import db  # noqa: E402
from coordination.participants.models import Registration  # noqa: E402
from coordination.territories.services import load_reference_data  # noqa: E402
from tests.browser.test_layout import ACCOUNTS, _pages, demo_ids  # noqa: E402

TARGET_P95_MS = 300
TARGET_QUERIES = 25


class BenchConfig(Config):
    SCHEDULER_IN_APP = False
    RATELIMIT_ENABLED = False
    MAIL_BACKEND = "memory"


def _prepare() -> None:
    if "users" not in inspect(db.engine).get_table_names():
        db.create_all()
        load_reference_data()
        db.session.commit()
    started = time.perf_counter()
    added = load_large_demo(utcnow())
    db.session.commit()
    print(f"demo load --size large: {time.perf_counter() - started:.1f}s, added {added}")


def _ids() -> dict:
    """The layout test's own ids (one list of pages and ids for both), on the large demo."""
    return demo_ids()


def _measure(app, role: str, paths: list[str], repeat: int, counter: list[int]) -> list[tuple]:
    client = app.test_client()
    if role != "anonymous":
        response = client.post(
            "/connexion", data={"email": ACCOUNTS[role], "password": DEMO_PASSWORD}
        )
        assert response.status_code == 302, f"{role} could not sign in"
    rows = []
    for path in paths:
        client.get(path)  # warm-up: templates compiled, caches filled
        times, queries, status = [], [], None
        for _ in range(repeat):
            counter[0] = 0
            started = time.perf_counter()
            response = client.get(path)
            times.append((time.perf_counter() - started) * 1000)
            queries.append(counter[0])
            status = response.status_code
        p50 = statistics.median(times)
        p95 = statistics.quantiles(times, n=20)[-1] if len(times) > 1 else times[0]
        rows.append((role, path, status, p50, p95, max(queries)))
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=10, help="timed requests per page")
    parser.add_argument("--roles", default=",".join(["anonymous", *ACCOUNTS]))
    parser.add_argument("--only", default="", help="measure only paths containing this text")
    args = parser.parse_args()
    config = BenchConfig()
    config.WTF_CSRF_ENABLED = False
    app = create_app(config)
    counter = [0]
    with app.app_context():
        _prepare()
        ids = _ids()
        event.listen(
            db.engine,
            "before_cursor_execute",
            lambda *a: counter.__setitem__(0, counter[0] + 1),
        )
        registrations = db.session.query(Registration).filter_by(stop_id=ids["stop"]).count()
        db.session.remove()
    warm_up(app)  # what gunicorn.conf.py does at each worker's start
    print(
        f"database: {app.config['SQLALCHEMY_DATABASE_URI']}"
        f" (the measured stop has {registrations} registrations), {args.repeat} requests per page"
    )
    rows = []
    for role in args.roles.split(","):
        paths = [path for path in _pages(role, ids) if args.only in path]
        rows += _measure(app, role, paths, args.repeat, counter)
    print("\n| role | page | status | p50 ms | p95 ms | queries |\n|---|---|---|---|---|---|")
    misses = 0
    for role, path, status, p50, p95, queries in rows:
        flag = []
        if status != 200:
            flag.append(f"status {status}")
        if p95 >= TARGET_P95_MS:
            flag.append("slow")
        if queries > TARGET_QUERIES:
            flag.append("queries")
        misses += bool(flag)
        mark = f" **{', '.join(flag)}**" if flag else ""
        print(f"| {role} | `{path}` | {status} | {p50:.0f} | {p95:.0f} | {queries}{mark} |")
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"\nload average at the end: {load} (on {os.cpu_count()} CPUs)")
    print(
        f"{misses} of {len(rows)} pages miss a target (p95 < {TARGET_P95_MS} ms, "
        f"≤ {TARGET_QUERIES} queries, status 200)"
    )
    return 1 if misses else 0


if __name__ == "__main__":
    sys.exit(main())
