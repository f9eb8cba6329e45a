"""The scheduler process: its jobs, and a standby that takes over when the leader dies."""

import logging
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from coordination.scheduler import ADVISORY_LOCK_KEY, build_scheduler

ROOT = Path(__file__).resolve().parents[1]


def test_scheduler_has_the_platforms_jobs(app):
    scheduler = build_scheduler(app)
    jobs = {
        job.id: job.trigger.interval.total_seconds()
        for job in scheduler.get_jobs()
        if hasattr(job.trigger, "interval")
    }
    assert jobs["deliver_outbox"] == app.config["DELIVERY_INTERVAL_SECONDS"]
    assert jobs["purge_club_registrations"] == 3600
    assert all(interval > 0 for interval in jobs.values())


def test_jobs_that_send_at_a_given_minute_run_on_the_clocks_five_minute_marks(app):
    from datetime import UTC, datetime

    scheduler = build_scheduler(app)
    triggers = {job.id: job.trigger for job in scheduler.get_jobs()}
    # Whenever the process started (here 07:26:41 Paris), the next turns are 07:30, 07:35.
    started = datetime(2026, 3, 30, 5, 26, 41, tzinfo=UTC)
    for job_id in (
        "send_digests",
        "send_stop_reminders",
        "campaigns_draft_reminders",
        "participants_reminders",
        "participants_questionnaires",
        "participants_expire_offers",
    ):
        first = triggers[job_id].get_next_fire_time(None, started)
        second = triggers[job_id].get_next_fire_time(first, first)
        assert (first.astimezone(UTC), second.astimezone(UTC)) == (
            datetime(2026, 3, 30, 5, 30, tzinfo=UTC),
            datetime(2026, 3, 30, 5, 35, tzinfo=UTC),
        ), job_id


def start_scheduler(database_url: str, instance: Path, log: Path, **extra) -> subprocess.Popen:
    env = dict(
        os.environ,
        **extra,
        DATABASE_URL=database_url,
        INSTANCE_PATH=str(instance),
        SECRET_KEY="scheduler-test",
        APP_ENV="test",
        MAIL_BACKEND="console",
        SCHEDULER_IN_APP="false",
    )
    return subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "wsgi", "scheduler", "run"],
        cwd=ROOT,
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )


def stop_process(process: subprocess.Popen | None) -> None:
    """SIGTERM (the scheduler lets a running job finish), then SIGKILL if it takes long."""
    if process is None or process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


def wait_for(log: Path, text: str, timeout: float = 90) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if text in log.read_text():
            return True
        time.sleep(0.2)
    return False


def test_a_second_scheduler_waits_and_takes_over_when_the_leader_dies(
    database_url, committed, tmp_path
):
    first_log, second_log = tmp_path / "first.log", tmp_path / "second.log"
    first = start_scheduler(database_url, tmp_path, first_log)
    second = None
    try:
        assert wait_for(first_log, "scheduler: leader"), first_log.read_text()
        second = start_scheduler(database_url, tmp_path, second_log)
        assert wait_for(second_log, "waiting as standby"), second_log.read_text()
        assert "scheduler: leader" not in second_log.read_text()
        first.send_signal(signal.SIGKILL)  # dies without a chance to clean up
        first.wait(timeout=10)
        assert wait_for(second_log, "scheduler: leader"), second_log.read_text()
    finally:
        for process in (first, second):
            stop_process(process)


def leader_lock_pid(connection) -> int | None:
    """The server process holding the leader's advisory lock in this database."""
    return connection.execute(
        text(
            "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted"
            " AND classid = :high AND objid = :low"
            " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
        ),
        {"high": ADVISORY_LOCK_KEY >> 32, "low": ADVISORY_LOCK_KEY & 0xFFFFFFFF},
    ).scalar()


def test_a_leader_cut_from_the_database_stops_and_stands_by(database_url, committed, tmp_path):
    if not database_url.startswith("postgresql"):
        pytest.skip("the leader's lock is a PostgreSQL session lock; SQLite's is a file lock")
    first_log, second_log = tmp_path / "first.log", tmp_path / "second.log"
    # Jobs every second, so a leader that kept running them would show it.
    fast = {"DELIVERY_INTERVAL_SECONDS": "1"}
    first = start_scheduler(database_url, tmp_path, first_log, **fast)
    second = None
    engine = create_engine(database_url, isolation_level="AUTOCOMMIT")
    try:
        assert wait_for(first_log, "scheduler: leader"), first_log.read_text()
        second = start_scheduler(database_url, tmp_path, second_log, **fast)
        assert wait_for(second_log, "waiting as standby"), second_log.read_text()
        with engine.connect() as connection:
            pid = leader_lock_pid(connection)
            assert pid is not None
            connection.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        cut_at = time.monotonic()

        assert wait_for(first_log, "lost the leader lock", timeout=10), first_log.read_text()
        stopped_after = time.monotonic() - cut_at
        assert wait_for(second_log, "scheduler: leader", timeout=15), first_log.read_text()
        before, after = first_log.read_text().split("lost the leader lock", 1)
        assert wait_for(first_log, "waiting as standby", timeout=10)
        time.sleep(2)
        after = first_log.read_text().split("lost the leader lock", 1)[1]

        assert stopped_after < 3
        assert first.poll() is None  # still running, as a standby now
        assert "Traceback" not in first_log.read_text()
        assert 'Running job "deliver_outbox' in before  # it did run jobs while leading…
        assert "Running job" not in after  # …and none once cut off
        assert "waiting as standby" in after
    finally:
        engine.dispose()
        for process in (first, second):
            stop_process(process)


def test_the_overlap_warning_is_logged_once_per_run(app, caplog):
    scheduler = build_scheduler(app)
    scheduler.remove_all_jobs()
    scheduler.add_job(time.sleep, "interval", args=[1.5], seconds=0.2, id="slow", name="slow")
    with caplog.at_level(logging.WARNING, logger="apscheduler.scheduler"):
        scheduler.start()
        time.sleep(1.2)  # five intervals inside one run
        during_first_run = [r for r in caplog.records if "running instances" in r.getMessage()]
        scheduler.shutdown(wait=True)
    assert len(during_first_run) == 1
