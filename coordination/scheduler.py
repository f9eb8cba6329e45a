"""The scheduler process: one leader runs the jobs; a second copy waits as a hot standby."""

import fcntl
import logging
import os
import threading
from contextlib import contextmanager

from apscheduler.schedulers.background import BackgroundScheduler
from flask import Flask
from sqlalchemy import text
from werkzeug.serving import is_running_from_reloader

from coordination.core.clock import utcnow
from coordination.extensions import db

log = logging.getLogger(__name__)

#: PostgreSQL advisory lock key held by the leader ("coordination scheduler").
ADVISORY_LOCK_KEY = 0x636F6F7264
STANDBY_POLL_SECONDS = 5


def build_scheduler(app: Flask) -> BackgroundScheduler:
    """A scheduler with every domain's jobs, each run in an app context with the current time."""
    scheduler = BackgroundScheduler(
        timezone=app.config["TIMEZONE"],
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": None},
    )

    def add_job(func, job_id: str, **interval):
        def run():
            with app.app_context():
                try:
                    func(now=utcnow())
                except Exception:
                    db.session.rollback()
                    log.exception("job %s failed; it will run again at its next turn", job_id)
                finally:
                    db.session.remove()

        scheduler.add_job(
            run, "interval", id=job_id, name=job_id, next_run_time=utcnow(), **interval
        )

    from coordination.calendar.jobs import register_jobs as calendar_jobs
    from coordination.campaigns.jobs import register_jobs as campaign_jobs
    from coordination.clubs.jobs import register_jobs as club_jobs
    from coordination.notifications.jobs import register_jobs as notification_jobs
    from coordination.participants.jobs import register_jobs as participant_jobs
    from coordination.planner.jobs import register_jobs as planner_jobs
    from coordination.stops.jobs import register_jobs as stop_jobs

    for register_jobs in (
        notification_jobs,
        campaign_jobs,
        club_jobs,
        stop_jobs,
        calendar_jobs,
        participant_jobs,
        planner_jobs,
    ):
        register_jobs(add_job, app.config)
    return scheduler


@contextmanager
def leadership(app: Flask, stop: threading.Event):
    """Wait until this process is the leader; hold leadership until the block ends."""
    if db.engine.dialect.name == "postgresql":
        with db.engine.connect() as connection:
            while not connection.execute(
                text("SELECT pg_try_advisory_lock(:key)"), {"key": ADVISORY_LOCK_KEY}
            ).scalar():
                connection.commit()
                log.info("scheduler: another copy leads; waiting as standby")
                if stop.wait(STANDBY_POLL_SECONDS):
                    yield None
                    return
            connection.commit()
            log.info("scheduler: leader (PostgreSQL advisory lock)")
            yield connection
    else:
        path = os.path.join(app.instance_path, "scheduler.lock")
        os.makedirs(app.instance_path, exist_ok=True)
        with open(path, "w") as lock_file:
            while True:
                try:
                    fcntl.flock(lock_file, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    log.info("scheduler: another copy leads; waiting as standby")
                    if stop.wait(STANDBY_POLL_SECONDS):
                        yield None
                        return
            log.info("scheduler: leader (lock file %s)", path)
            yield lock_file


def run_scheduler(app: Flask, stop: threading.Event | None = None) -> None:
    """Run the jobs while leader; return when `stop` is set or leadership is lost."""
    stop = stop or threading.Event()
    with app.app_context(), leadership(app, stop) as lock:
        if lock is None:
            return
        scheduler = build_scheduler(app)
        scheduler.start()
        try:
            while not stop.wait(STANDBY_POLL_SECONDS):
                if hasattr(lock, "execute"):
                    # The lock lives as long as this connection: if it drops, step down.
                    lock.execute(text("SELECT 1"))
                    lock.commit()
        except Exception:
            log.exception("scheduler: lost the leader lock; stopping")
            raise
        finally:
            scheduler.shutdown(wait=True)


def start_in_app(app: Flask) -> None:
    """Run the scheduler in a thread of the development server (its serving process only)."""
    if not is_running_from_reloader():
        return
    thread = threading.Thread(target=run_scheduler, args=(app,), daemon=True, name="scheduler")
    thread.start()
