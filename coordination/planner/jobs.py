"""The planner's job: run queued solves outside the web request.

The solver runs in a thread of its own (pure: it never touches the database); this
thread owns the session, and every `PLANNER_HEARTBEAT_SECONDS` writes the progress, the
best plan so far and a heartbeat, and asks the solver to stop if the run was taken
back (restarted by staff after it looked stuck)."""

import logging
import threading
import time
from datetime import datetime

from flask import current_app

from coordination.campaigns.models import Edition
from coordination.core.clock import utcnow
from coordination.extensions import db
from coordination.planner import runs, services, solver

log = logging.getLogger(__name__)


class _Latest:
    """The best plan the solver has reported, handed from its thread to this one."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.plan: tuple | None = None
        self.changed = False
        self.stop = threading.Event()

    def update(self, seconds: float, days: dict, unplaced: list[int]) -> None:
        with self.lock:
            self.plan = (seconds, dict(days), list(unplaced))
            self.changed = True

    def take(self) -> tuple | None:
        with self.lock:
            if not self.changed:
                return None
            self.changed = False
            return self.plan


def execute(run, now: datetime) -> None:
    """Solve one claimed run to the end, storing progress as it goes."""
    edition = db.session.get(Edition, run.edition_id)
    weights = services.Weights(**run.settings)
    prepared = services.prepare(edition, weights, now)
    db.session.commit()
    latest = _Latest()
    outcome: dict = {}

    def work() -> None:
        try:
            outcome["solution"] = solver.solve(
                prepared.tasks, prepared.settings, latest.update, latest.stop.is_set
            )
        except Exception as error:  # reported by the run, not lost in a thread
            outcome["error"] = error

    thread = threading.Thread(target=work, name=f"planner-run-{run.id}", daemon=True)
    started = time.monotonic()
    thread.start()
    every = current_app.config["PLANNER_HEARTBEAT_SECONDS"]
    while thread.is_alive():
        thread.join(every)
        plan = latest.take()
        stored = None
        if plan is not None:
            stored = runs.plan_json(prepared.tasks, plan[1], plan[2], plan[0])
        progress = int((time.monotonic() - started) / max(weights.time_limit, 1) * 100)
        if not runs.record_progress(run, progress, stored, utcnow()):
            latest.stop.set()
        db.session.commit()
    if "error" in outcome:
        raise outcome["error"]
    if latest.stop.is_set():
        log.info("planner: run %s was taken back; its result is dropped", run.id)
        return
    solution = outcome["solution"]
    plan = runs.plan_json(prepared.tasks, solution.days, solution.unplaced, solution.seconds)
    plan.update(status=solution.status, objective=solution.objective, bound=solution.bound)
    db.session.refresh(run)
    runs.finish(run, plan, utcnow())
    db.session.commit()


def run_planner(now: datetime) -> int:
    """Run every queued planner run, oldest first; returns how many were run."""
    count = 0
    while (run := runs.claim_next(now)) is not None:
        db.session.commit()
        count += 1
        try:
            execute(run, now)
        except Exception as error:
            db.session.rollback()
            log.exception("planner: run %s failed", run.id)
            runs.fail(
                db.session.get(type(run), run.id), str(error) or type(error).__name__, utcnow()
            )
            db.session.commit()
        now = utcnow()
    return count


def register_jobs(add_job, config) -> None:
    """Add this domain's jobs to the scheduler."""
    add_job(run_planner, "planner_runs", seconds=config["PLANNER_POLL_SECONDS"])
