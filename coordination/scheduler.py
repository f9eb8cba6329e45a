"""The scheduler process: one leader runs the jobs; a second copy waits as a hot standby."""

import fcntl
import logging
import os
import signal
import threading
from contextlib import contextmanager

from apscheduler.events import EVENT_JOB_ERROR, EVENT_JOB_EXECUTED
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from flask import Flask
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.serving import is_running_from_reloader

from coordination.core.clock import utcnow
from coordination.extensions import db

log = logging.getLogger(__name__)

#: PostgreSQL advisory lock key held by the leader ("coordination scheduler").
ADVISORY_LOCK_KEY = 0x636F6F7264
STANDBY_POLL_SECONDS = 5
#: How often the leader checks it still holds the lock (and stops within this if not).
LEADER_CHECK_SECONDS = 1


class _OverlapsOnce(logging.Filter):
    """APScheduler warns "maximum number of running instances" at every interval a long
    run spans: let one through per job and run, the next after that run has ended."""

    def __init__(self):
        super().__init__()
        self.reported: set[str] = set()

    def filter(self, record: logging.LogRecord) -> bool:
        if "maximum number of running instances" not in str(record.msg):
            return True
        job_id = getattr(record.args[0], "id", None) if record.args else None
        if job_id in self.reported:
            return False
        self.reported.add(job_id)
        return True

    def job_ended(self, event) -> None:
        self.reported.discard(event.job_id)


_OVERLAPS = _OverlapsOnce()


def build_scheduler(app: Flask) -> BackgroundScheduler:
    """A scheduler with every domain's jobs, each run in an app context with the current time."""
    scheduler = BackgroundScheduler(
        timezone=app.config["TIMEZONE"],
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": None},
    )
    _log_overlaps_once(scheduler)

    def add_job(func, job_id: str, every_minutes: int | None = None, **interval):
        def run():
            with app.app_context():
                try:
                    func(now=utcnow())
                except Exception:
                    db.session.rollback()
                    log.exception("job %s failed; it will run again at its next turn", job_id)
                finally:
                    db.session.remove()

        # A job that sends what falls due at a given minute runs on the clock's marks
        # (:00, :05, …), so it leaves within minutes of its time whenever the process started.
        trigger = (
            CronTrigger(minute=f"*/{every_minutes}", timezone=app.config["TIMEZONE"])
            if every_minutes
            else IntervalTrigger(**interval)
        )
        scheduler.add_job(run, trigger, id=job_id, name=job_id, next_run_time=utcnow())

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


def _log_overlaps_once(scheduler: BackgroundScheduler) -> None:
    """Filter APScheduler's repeated overlap warning (see _OverlapsOnce)."""
    scheduler_log = logging.getLogger("apscheduler.scheduler")
    if _OVERLAPS not in scheduler_log.filters:
        scheduler_log.addFilter(_OVERLAPS)
    scheduler.add_listener(_OVERLAPS.job_ended, EVENT_JOB_EXECUTED | EVENT_JOB_ERROR)


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
    """Run the jobs while leader, stand by while another copy leads; return once `stop` is set.

    A leader that loses its lock (its database connection cut) stops its jobs and goes
    back to standby; a database that cannot be reached is waited for, not a crash.
    """
    stop = stop or threading.Event()
    if threading.current_thread() is threading.main_thread():
        # systemctl stop: finish the running job, release the lock, exit 0.
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
    with app.app_context():
        while not stop.is_set():
            try:
                with leadership(app, stop) as lock:
                    if lock is None:
                        return
                    lost = _lead(app, lock, stop)
                if lost:
                    # Leave the lock to the standby (it polls every STANDBY_POLL_SECONDS)
                    # rather than take it straight back: whatever cut us off may recur.
                    log.info("scheduler: waiting as standby")
                    stop.wait(2 * STANDBY_POLL_SECONDS)
            except SQLAlchemyError as error:
                log.warning(
                    "scheduler: database unreachable (%s); trying again in %s s",
                    error.__class__.__name__,
                    STANDBY_POLL_SECONDS,
                )
                stop.wait(STANDBY_POLL_SECONDS)


def _lead(app: Flask, lock, stop: threading.Event) -> bool:
    """Run the jobs until `stop` is set or the lock is lost; return True if it was lost."""
    scheduler = build_scheduler(app)
    scheduler.start()
    try:
        while not stop.wait(LEADER_CHECK_SECONDS):
            if not _still_leader(lock):
                log.warning("scheduler: lost the leader lock; jobs stopped, back to standby")
                return True
        return False
    finally:
        # Lost: no job starts from now on, and we do not wait for one still running (its
        # outbox claims keep it from doubling the new leader's work). Stopping: let it end.
        scheduler.shutdown(wait=stop.is_set())


def _still_leader(lock) -> bool:
    """Whether this process still holds the leader lock (a file lock cannot be lost)."""
    if not hasattr(lock, "execute"):
        return True
    try:
        held = lock.execute(
            text(
                "SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted"
                " AND pid = pg_backend_pid() AND classid = :high AND objid = :low"
            ),
            {"high": ADVISORY_LOCK_KEY >> 32, "low": ADVISORY_LOCK_KEY & 0xFFFFFFFF},
        ).first()
        lock.commit()
    except SQLAlchemyError as error:
        log.warning("scheduler: the leader lock's connection failed: %s", error.__class__.__name__)
        return False
    return held is not None


def start_in_app(app: Flask) -> None:
    """Run the scheduler in a thread of the development server (its serving process only)."""
    if not is_running_from_reloader():
        return
    thread = threading.Thread(target=run_scheduler, args=(app,), daemon=True, name="scheduler")
    thread.start()
