"""Time the commune search: median and p95 of 200 searches on random name prefixes.

Usage:
    .venv/bin/python benchmarks/communes.py                    # a fresh SQLite file
    .venv/bin/python benchmarks/communes.py postgresql+psycopg://postgres@127.0.0.1/bench

The database given must be empty or hold the reference data; the schema is created and
the reference data loaded if missing. A script, not a test: it prints and asserts nothing.
"""

import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import func, select

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from config import TestConfig  # noqa: E402
from coordination import create_app  # noqa: E402
from coordination.extensions import db  # noqa: E402
from coordination.territories.models import Commune  # noqa: E402
from coordination.territories.services import load_reference_data, search_communes  # noqa: E402

SEARCHES = 200
SEED = 2026


def main(database_url: str | None) -> None:
    workdir = Path(tempfile.mkdtemp(prefix="bench-communes-"))
    config = TestConfig()
    config.SQLALCHEMY_DATABASE_URI = database_url or f"sqlite:///{workdir / 'bench.db'}"
    config.INSTANCE_DIR = workdir
    app = create_app(config)
    with app.app_context():
        db.create_all()
        if not db.session.scalar(select(func.count()).select_from(Commune)):
            started = time.perf_counter()
            load_reference_data()
            db.session.commit()
            print(f"reference data loaded in {time.perf_counter() - started:.1f} s")

        names = list(db.session.scalars(select(Commune.name)))
        chooser = random.Random(SEED)
        # What people type: the first 2 to 8 letters of a real name, sometimes with accents
        # dropped or in capitals.
        prefixes = []
        for _ in range(SEARCHES):
            name = chooser.choice(names)
            prefix = name[: chooser.randint(2, 8)]
            prefixes.append(prefix.upper() if chooser.random() < 0.2 else prefix)

        search_communes("warm up")
        timings, found = [], []
        for prefix in prefixes:
            started = time.perf_counter()
            found.append(len(search_communes(prefix)))
            timings.append((time.perf_counter() - started) * 1000)

        timings.sort()
        p95 = timings[int(len(timings) * 0.95) - 1]
        print(f"database: {db.engine.dialect.name}, {len(names)} communes")
        print(
            f"{SEARCHES} searches: median {statistics.median(timings):.2f} ms, "
            f"p95 {p95:.2f} ms, max {timings[-1]:.2f} ms, "
            f"{statistics.mean(found):.1f} results on average (limit 20)"
        )


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else None)
