"""Editions (of the tour or another programme) and their calls for applications."""

import enum
from datetime import date, datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coordination.core.models import TimestampMixin
from coordination.extensions import db


class EditionKind(enum.StrEnum):
    TOUR = "tour"
    INNOVATION_WEEK = "innovation_week"
    FORUM = "forum"


class EditionStatus(enum.StrEnum):
    DRAFT = "draft"
    PLANNED = "planned"
    RUNNING = "running"
    CLOSED = "closed"


class Edition(TimestampMixin, db.Model):
    __tablename__ = "editions"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20), default=EditionKind.TOUR)
    status: Mapped[str] = mapped_column(String(20), default=EditionStatus.DRAFT)
    description: Mapped[str] = mapped_column(Text, default="")
    #: Local (Europe/Paris) calendar dates of the first and last day.
    starts_on: Mapped[date]
    ends_on: Mapped[date]

    calls: Mapped[list["Call"]] = relationship(back_populates="edition", order_by="Call.opens_at")


class Call(TimestampMixin, db.Model):
    """A call for applications: territories apply to host a stop of the edition."""

    __tablename__ = "calls"

    id: Mapped[int] = mapped_column(primary_key=True)
    edition_id: Mapped[int] = mapped_column(ForeignKey("editions.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    opens_at: Mapped[datetime]
    #: The Paris-time deadline, stored in UTC.
    closes_at: Mapped[datetime]
    #: Only territoires d'industrie may apply (else any territory).
    is_industry_only: Mapped[bool] = mapped_column(default=True)

    edition: Mapped[Edition] = relationship(back_populates="calls")
