"""What the forum's demo adds to `make run`: the whole demo's load time with and without it.

    .venv/bin/python benchmarks/forum_demo.py --repeat 3

Each run loads the reference data and the demo into a fresh SQLite file (a temporary
folder), as `flask setup` does, timing `load_demo_data` and, inside it, the forum's part
(`coordination.forums.demo.load_demo`: its edition, stop, programme and 120 registrations
through `participants.services.register`). Exit status 1 when the forum's median passes
the target (2 s: it must not slow `make run` by more than 1–2 s).
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

TARGET_SECONDS = 2.0


def one_run(folder: Path, n: int) -> tuple[float, float]:
    os.environ["SCHEDULER_IN_APP"] = "0"
    from flask_migrate import upgrade

    from config import Config
    from coordination import create_app
    from coordination import demo as demo_module
    from coordination.core.clock import utcnow
    from coordination.extensions import db
    from coordination.territories.services import load_reference_data

    config = Config()
    config.SQLALCHEMY_DATABASE_URI = f"sqlite:///{folder / f'demo-{n}.db'}"
    config.SCHEDULER_IN_APP = False
    config.MAIL_CONSOLE_DIR = str(folder / "outbox")
    app = create_app(config)
    with app.app_context():
        upgrade()
        load_reference_data()
        db.session.commit()
        forum = demo_module.forums_demo.load_demo
        spent = {}

        def timed(now):
            start = time.perf_counter()
            forum(now)
            spent["forum"] = time.perf_counter() - start

        demo_module.forums_demo.load_demo = timed
        try:
            start = time.perf_counter()
            demo_module.load_demo_data(utcnow())
            db.session.commit()
            total = time.perf_counter() - start
        finally:
            demo_module.forums_demo.load_demo = forum
        db.session.remove()
    return total, spent["forum"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        runs = [one_run(Path(folder), n) for n in range(args.repeat)]
    totals, forums = zip(*runs, strict=True)
    forum = statistics.median(forums)
    print(
        f"demo total median={statistics.median(totals):.2f}s "
        f"forum median={forum:.2f}s runs={[f'{f:.2f}' for f in forums]} target={TARGET_SECONDS}s"
    )
    return 0 if forum <= TARGET_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
