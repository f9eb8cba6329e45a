"""Planner runs: staff queue a solve, the scheduler (or `flask planner work`) runs it and
stores its progress and best plan so far, the page polls them. One active run per
edition, held by a partial unique index so that two staff clicking at once cannot both
start one; a run whose worker stopped sending heartbeats is stale and may be restarted."""

from dataclasses import asdict
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from coordination.campaigns.models import Edition
from coordination.core.formatting import local_time
from coordination.extensions import db
from coordination.planner import solver
from coordination.planner.models import PlannerRun, RunStatus
from coordination.planner.services import Weights

ACTIVE = (RunStatus.QUEUED, RunStatus.RUNNING)


class RunRefused(Exception):
    """A run staff may not start now (the message is for them)."""


def active_run(edition_id: int) -> PlannerRun | None:
    """The edition's queued or running run, if any."""
    return db.session.scalar(
        select(PlannerRun).where(PlannerRun.edition_id == edition_id, PlannerRun.status.in_(ACTIVE))
    )


def latest_run(edition_id: int) -> PlannerRun | None:
    """The edition's most recent run."""
    return db.session.scalar(
        select(PlannerRun)
        .where(PlannerRun.edition_id == edition_id)
        .order_by(PlannerRun.created_at.desc(), PlannerRun.id.desc())
        .limit(1)
    )


def is_stale(run: PlannerRun, now: datetime) -> bool:
    """A running run whose worker has not written a heartbeat for too long (it died)."""
    if run.status != RunStatus.RUNNING or run.heartbeat_at is None:
        return False
    limit = timedelta(seconds=current_app.config["PLANNER_STALE_SECONDS"])
    return now - run.heartbeat_at > limit


def _refusal(run: PlannerRun) -> str:
    who = run.by.name if run.by is not None else _("someone")
    return _(
        "A plan for this edition is already being computed (asked by %(who)s at %(time)s). "
        "Wait for it to finish, or restart it if it is stuck.",
        who=who,
        time=local_time(run.created_at),
    )


def start_run(edition: Edition, weights: Weights, by, now: datetime) -> PlannerRun:
    """Queue a solve of the edition; refused while another is queued or running."""
    existing = active_run(edition.id)
    if existing is not None:
        raise RunRefused(_refusal(existing))
    run = PlannerRun(
        edition_id=edition.id,
        by_id=by.id if by is not None else None,
        status=RunStatus.QUEUED,
        settings=asdict(weights),
        created_at=now,
    )
    try:
        # Two staff at the same instant: the partial unique index refuses the second.
        with db.session.begin_nested():
            db.session.add(run)
    except IntegrityError:
        existing = active_run(edition.id)
        raise RunRefused(_refusal(existing) if existing else _("Please try again.")) from None
    return run


def restart_run(run: PlannerRun, now: datetime) -> bool:
    """Put a stale or failed run back in the queue (its settings kept); False when it is
    neither, or when another run of the edition is active."""
    if run.status == RunStatus.FAILED:
        if active_run(run.edition_id) is not None:
            return False
    elif not is_stale(run, now):
        return False
    run.status = RunStatus.QUEUED
    run.progress = 0
    run.started_at = run.finished_at = run.heartbeat_at = None
    run.error = ""
    run.created_at = now
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError:
        return False
    return True


def claim_next(now: datetime) -> PlannerRun | None:
    """Take the oldest queued run for this worker (a conditional update, so two workers
    never take the same one)."""
    candidates = db.session.scalars(
        select(PlannerRun.id)
        .where(PlannerRun.status == RunStatus.QUEUED)
        .order_by(PlannerRun.created_at, PlannerRun.id)
        .limit(5)
    ).all()
    for run_id in candidates:
        taken = db.session.execute(
            update(PlannerRun)
            .where(PlannerRun.id == run_id, PlannerRun.status == RunStatus.QUEUED)
            .values(status=RunStatus.RUNNING, started_at=now, heartbeat_at=now)
            .execution_options(synchronize_session=False)
        )
        if taken.rowcount == 1:
            run = db.session.get(PlannerRun, run_id)
            db.session.refresh(run)
            return run
    return None


def plan_json(tasks: list[solver.Task], days: dict, unplaced: list[int], seconds: float) -> dict:
    """A plan as a run stores it."""
    return {
        "days": {str(key): day.isoformat() for key, day in sorted(days.items())},
        "unplaced": sorted(unplaced),
        "km": round(solver.travel_km(tasks, days), 1),
        "seconds": round(seconds, 1),
    }


def record_progress(run: PlannerRun, progress: int, plan: dict | None, now: datetime) -> bool:
    """Store the progress, the best plan so far and a heartbeat; False when the run is no
    longer this worker's (restarted by staff after it looked stuck)."""
    values = {"progress": max(0, min(progress, 99)), "heartbeat_at": now}
    if plan is not None:
        values["best_plan"] = plan
    done = db.session.execute(
        update(PlannerRun)
        .where(
            PlannerRun.id == run.id,
            PlannerRun.status == RunStatus.RUNNING,
            PlannerRun.started_at == run.started_at,
        )
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    return done.rowcount == 1


def finish(run: PlannerRun, plan: dict, now: datetime) -> None:
    """The run is done: its final plan stored."""
    run.status = RunStatus.DONE
    run.progress = 100
    run.best_plan = plan
    run.finished_at = run.heartbeat_at = now
    db.session.flush()


def fail(run: PlannerRun, error: str, now: datetime) -> None:
    """The run failed: why, in a line."""
    run.status = RunStatus.FAILED
    run.error = error[:500]
    run.finished_at = now
    db.session.flush()
