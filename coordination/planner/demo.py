"""Demo planner settings: the coming edition's national launch is locked."""

from datetime import datetime

from sqlalchemy import select

from coordination.auth.services import find_user_by_email
from coordination.extensions import db
from coordination.planner.locks import lock_stop
from coordination.stops.models import Stop, StopStatus


def load_demo(now: datetime) -> None:
    """Lock the first confirmed coming stop (the national launch) so the planner keeps it."""
    launch = db.session.scalar(
        select(Stop)
        .where(Stop.status == StopStatus.CONFIRMED, Stop.starts_at > now)
        .order_by(Stop.starts_at)
        .limit(1)
    )
    staff = find_user_by_email("equipe@demo.innovent-e.fr")
    if launch is not None:
        lock_stop(launch, staff, now, "lancement national")
