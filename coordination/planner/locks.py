"""Stops fixed on their day: the planner does not move a locked stop."""

from datetime import datetime

from sqlalchemy import select

from coordination.extensions import db
from coordination.planner.models import PlannerLock
from coordination.stops.models import Stop


def locked_stop_ids(edition_id: int) -> set[int]:
    """Ids of the edition's locked stops."""
    return set(
        db.session.scalars(
            select(PlannerLock.stop_id).join(Stop).where(Stop.edition_id == edition_id)
        )
    )


def lock_stop(stop: Stop, by, now: datetime, reason: str = "") -> PlannerLock:
    """Fix a stop on its day: the planner will not move it (idempotent)."""
    lock = db.session.scalar(select(PlannerLock).where(PlannerLock.stop_id == stop.id))
    if lock is None:
        lock = PlannerLock(stop_id=stop.id, by_id=by.id if by else None, at=now)
        db.session.add(lock)
    lock.reason = reason.strip()[:200]
    db.session.flush()
    return lock


def unlock_stop(stop: Stop) -> bool:
    """Let the planner move a stop again; whether it was locked."""
    lock = db.session.scalar(select(PlannerLock).where(PlannerLock.stop_id == stop.id))
    if lock is None:
        return False
    db.session.delete(lock)
    db.session.flush()
    return True
