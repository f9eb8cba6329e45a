"""The planner's own tables: locks, and the runs of the solver outside the web request."""

import enum
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coordination.auth.models import User
from coordination.campaigns.models import Edition
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


class RunStatus(enum.StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


#: A run still to finish: at most one per edition (the partial unique index below).
ACTIVE_WHERE = "status IN ('queued', 'running')"


class PlannerRun(db.Model):
    """One solve of an edition, queued by staff and run by the scheduler or a worker."""

    __tablename__ = "planner_runs"
    __table_args__ = (
        # Two staff cannot start two solves of one edition: the database refuses the second.
        Index(
            "uq_planner_runs_active_edition",
            "edition_id",
            unique=True,
            sqlite_where=text(ACTIVE_WHERE),
            postgresql_where=text(ACTIVE_WHERE),
        ),
        Index("ix_planner_runs_status_created", "status", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    edition_id: Mapped[int] = mapped_column(
        ForeignKey("editions.id", ondelete="CASCADE"), index=True
    )
    by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    status: Mapped[str] = mapped_column(String(20), default=RunStatus.QUEUED)
    #: The weights and time limit staff chose (services.Weights as a dict).
    settings: Mapped[dict] = mapped_column(JSON, default=dict)
    #: 0 to 100: the share of the time limit spent.
    progress: Mapped[int] = mapped_column(default=0)
    #: The best plan so far: {"days": {stop id: ISO day}, "unplaced": [ids], "km": …}.
    best_plan: Mapped[dict | None] = mapped_column(JSON)
    #: Why it failed (for staff), empty otherwise.
    error: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime]
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    #: Written by the worker at least every few seconds while it runs.
    heartbeat_at: Mapped[datetime | None]

    edition: Mapped[Edition] = relationship()
    by: Mapped[User | None] = relationship()

    def settings_form_data(self) -> dict:
        """The run's settings as the propose form's fields."""
        return {
            "first_window_weight": self.settings.get("first_window"),
            "region_weight": self.settings.get("region"),
            "time_limit": self.settings.get("time_limit"),
        }
