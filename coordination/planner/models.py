"""The planner's own tables (locks)."""

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coordination.auth.models import User
from coordination.extensions import db
from coordination.stops.models import Stop


class PlannerLock(db.Model):
    """A stop staff fixed on its day: the planner never moves it (launch, closing, …)."""

    __tablename__ = "planner_locks"

    id: Mapped[int] = mapped_column(primary_key=True)
    stop_id: Mapped[int] = mapped_column(
        ForeignKey("stops.id", ondelete="CASCADE"), unique=True, index=True
    )
    #: Why it is fixed, e.g. "national launch" (free text, optional).
    reason: Mapped[str] = mapped_column(String(200), default="")
    by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    at: Mapped[datetime]

    stop: Mapped[Stop] = relationship()
    by: Mapped[User | None] = relationship()
