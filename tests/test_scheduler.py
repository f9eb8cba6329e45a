"""The scheduler process: its jobs, and a standby that takes over when the leader dies."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from coordination.scheduler import build_scheduler

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


def start_scheduler(database_url: str, instance: Path, log: Path) -> subprocess.Popen:
    env = dict(
        os.environ,
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


def wait_for(log: Path, text: str, timeout: float = 30) -> bool:
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
            if process is not None and process.poll() is None:
                process.terminate()
                process.wait(timeout=10)
