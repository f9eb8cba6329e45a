"""Cold build of a calendar feed, in-process: 200 stops + 500 club meetings by default.

    .venv/bin/python benchmarks/feed_build.py [--stops 200] [--meetings 500] [--repeat 3]
    .venv/bin/python benchmarks/feed_build.py --profile      # needs pyinstrument

Creates the same rows as `feeds.py` (a throw-away SQLite file unless BENCH_DATABASE_URL is
set), then asks the app (test client, no cookie) for the staff member's personal feed
`--repeat` times, emptying the feed cache before each request: every request builds the
feed from the database. Prints each build's time and the body's size.

`--profile` wraps the last build in pyinstrument and prints its call tree. pyinstrument
is an optional tool, not a dependency: `pip install pyinstrument` in a throw-away place
and put it on PYTHONPATH.
"""

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.feeds import build_data  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stops", type=int, default=200)
    parser.add_argument("--meetings", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="bench-feed-build-"))
    database_url = os.environ.get("BENCH_DATABASE_URL", f"sqlite:///{workdir / 'bench.db'}")
    path = build_data(database_url, args.stops, args.meetings)

    from sqlalchemy import delete

    from config import Config
    from coordination import create_app
    from coordination.calendar import cache
    from coordination.calendar.models import FeedCache
    from coordination.extensions import db

    config = Config()
    config.SQLALCHEMY_DATABASE_URI = database_url
    app = create_app(config)
    client = app.test_client()
    times = []
    for attempt in range(args.repeat):
        with app.app_context():
            db.session.execute(delete(FeedCache))
            db.session.commit()
        with cache._memory_lock:
            cache._memory.clear()
        profiler = None
        if args.profile and attempt == args.repeat - 1:
            from pyinstrument import Profiler

            profiler = Profiler(interval=0.0005)
            profiler.start()
        started = time.perf_counter()
        response = client.get(path)
        elapsed = time.perf_counter() - started
        if profiler is not None:
            profiler.stop()
        assert response.status_code == 200, response.status_code
        times.append(elapsed)
        print(
            f"cold build {attempt + 1}: {elapsed * 1000:.0f} ms, "
            f"{len(response.data) / 1024:.0f} KiB, {response.data.count(b'BEGIN:VEVENT')} events"
        )
    print(
        f"feed: {args.stops} stops + {args.meetings} meetings; best {min(times) * 1000:.0f} ms "
        f"(target < 500 ms) on {database_url.split(':', 1)[0]}"
    )
    if profiler is not None:
        print(profiler.output_text(unicode=True, color=False, show_all=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
