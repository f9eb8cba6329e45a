"""Stops (étapes) of an edition: one day in one city of a territory."""

import enum
import uuid
from datetime import datetime, time

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    JSON,
    CheckConstraint,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    Time,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coordination.auth.models import User
from coordination.campaigns.models import Application, Edition
from coordination.core.clock import local_datetime, to_local
from coordination.core.models import TimestampMixin
from coordination.extensions import db
from coordination.territories.models import Commune, Territory


class StopStatus(enum.StrEnum):
    TENTATIVE = "tentative"
    CONFIRMED = "confirmed"
    CANCELLED = "cancelled"
    HELD = "held"


STATUS_LABELS = {
    StopStatus.TENTATIVE: _l("Tentative"),
    StopStatus.CONFIRMED: _l("Confirmed"),
    StopStatus.CANCELLED: _l("Cancelled"),
    StopStatus.HELD: _l("Held"),
}

#: Fields whose change calendars must see (a new SEQUENCE): what the calendar event shows
#: (summary, times, location, geo, status, description; the agenda too, see set_agenda).
CALENDAR_FIELDS = (
    "title",
    "starts_at",
    "ends_at",
    "venue_name",
    "venue_address",
    "city",
    "latitude",
    "longitude",
    "status",
    "description",
)


def _new_stop_uid() -> str:
    return f"stop-{uuid.uuid4()}@innovent-e"


class StopRules(db.Model):
    """An edition's planning rules, read by the warnings service."""

    __tablename__ = "stop_rules"
    __table_args__ = (
        CheckConstraint("max_stops_per_week >= 1", name="max_stops_per_week"),
        CheckConstraint("max_km_per_day >= 1", name="max_km_per_day"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    edition_id: Mapped[int] = mapped_column(
        ForeignKey("editions.id", ondelete="CASCADE"), unique=True
    )
    #: Stops allowed in one ISO week (Monday to Sunday, Paris time).
    max_stops_per_week: Mapped[int] = mapped_column(default=3)
    #: Distance the team can travel per day between consecutive stops (as the crow flies).
    max_km_per_day: Mapped[int] = mapped_column(default=400)
    #: Warn about stops in August, when little happens in France.
    is_august_break: Mapped[bool] = mapped_column(default=True)
    #: Several stops may share a day (else a warning).
    is_parallel_allowed: Mapped[bool] = mapped_column(default=False)


class Stop(TimestampMixin, db.Model):
    """One day in one city: workshop-debates with SMEs, universities and local actors."""

    __tablename__ = "stops"
    __table_args__ = (
        CheckConstraint("status IN ('tentative', 'confirmed', 'cancelled', 'held')", name="status"),
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        CheckConstraint("capacity IS NULL OR capacity >= 0", name="capacity"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Calendar UID, set once at creation and never changed (feeds and invitations).
    uid: Mapped[str] = mapped_column(String(100), unique=True, default=_new_stop_uid)
    edition_id: Mapped[int] = mapped_column(ForeignKey("editions.id"), index=True)
    territory_id: Mapped[int | None] = mapped_column(ForeignKey("territories.id"), index=True)
    #: The accepted application the stop was created from (one stop per application).
    application_id: Mapped[int | None] = mapped_column(
        ForeignKey("applications.id", ondelete="SET NULL"), unique=True
    )
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    starts_at: Mapped[datetime] = mapped_column(index=True)
    ends_at: Mapped[datetime]
    status: Mapped[str] = mapped_column(String(20), default=StopStatus.TENTATIVE, index=True)
    #: Raised on every change calendars care about (dates, venue, status, title).
    sequence: Mapped[int] = mapped_column(Integer, default=0)
    venue_name: Mapped[str] = mapped_column(String(300), default="")
    venue_address: Mapped[str] = mapped_column(String(300), default="")
    #: The host city as shown; the commune gives the département (holidays) and coordinates.
    city: Mapped[str] = mapped_column(String(200), default="")
    commune_insee: Mapped[str | None] = mapped_column(ForeignKey("communes.insee_code"))
    #: The venue's WGS84 coordinates (the commune's town hall unless staff refine them).
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    #: [{"name", "function", "email", "phone"}]: the people on site.
    host_contacts: Mapped[list] = mapped_column(JSON, default=list)
    #: Partners involved, free text, one per line.
    partners: Mapped[str] = mapped_column(Text, default="")
    capacity: Mapped[int | None]
    #: [[start, end], ...] ISO dates the territory said it could host (from its application).
    availability: Mapped[list] = mapped_column(JSON, default=list)
    confirmed_at: Mapped[datetime | None]
    cancelled_at: Mapped[datetime | None]
    cancel_reason: Mapped[str] = mapped_column(Text, default="")

    edition: Mapped[Edition] = relationship()
    territory: Mapped[Territory | None] = relationship()
    application: Mapped[Application | None] = relationship()
    commune: Mapped[Commune | None] = relationship()
    agenda_items: Mapped[list["AgendaItem"]] = relationship(
        back_populates="stop",
        cascade="all, delete-orphan",
        order_by="(AgendaItem.starts_on, AgendaItem.position, AgendaItem.id)",
    )
    changes: Mapped[list["StopChange"]] = relationship(
        back_populates="stop",
        cascade="all, delete-orphan",
        order_by="StopChange.id",
    )
    acknowledgements: Mapped[list["WarningAcknowledgement"]] = relationship(
        back_populates="stop", cascade="all, delete-orphan"
    )

    @property
    def status_label(self):
        return STATUS_LABELS.get(self.status, self.status)

    @property
    def host_emails(self) -> set[str]:
        return {
            (contact.get("email") or "").strip().lower()
            for contact in (self.host_contacts or [])
            if contact.get("email")
        }


class SessionKind(enum.StrEnum):
    """What an agenda item is (a forum's programme mixes them)."""

    WORKSHOP = "workshop"
    TALK = "talk"
    PLENARY = "plenary"
    ROUND_TABLE = "round_table"
    PITCH = "pitch"
    NETWORKING = "networking"
    BREAK = "break"


SESSION_KIND_LABELS = {
    SessionKind.WORKSHOP: _l("Workshop"),
    SessionKind.TALK: _l("Talk"),
    SessionKind.PLENARY: _l("Plenary session"),
    SessionKind.ROUND_TABLE: _l("Round table"),
    SessionKind.PITCH: _l("Pitches"),
    SessionKind.NETWORKING: _l("Networking"),
    SessionKind.BREAK: _l("Break"),
}


class AgendaItem(db.Model):
    """A workshop-debate (or any item) of a stop's day; a forum's session."""

    __tablename__ = "stop_agenda_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    stop_id: Mapped[int] = mapped_column(ForeignKey("stops.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    title: Mapped[str] = mapped_column(String(300))
    #: Paris wall-clock time on the stop's day, so the agenda moves with the stop.
    starts_on: Mapped[time | None] = mapped_column(Time)
    #: Paris wall-clock end, optional (sessions overlap when their times cross).
    ends_on: Mapped[time | None] = mapped_column(Time)
    kind: Mapped[str] = mapped_column(
        String(20), default=SessionKind.WORKSHOP, server_default=SessionKind.WORKSHOP.value
    )
    room: Mapped[str] = mapped_column(String(200), default="")
    #: Speakers, free text (older rows; new ones use `speaker_list`).
    speakers: Mapped[str] = mapped_column(Text, default="")

    stop: Mapped[Stop] = relationship(back_populates="agenda_items")
    #: Structured speakers (coordination/forums/models.py).
    speaker_list: Mapped[list["Speaker"]] = relationship(  # noqa: F821
        back_populates="agenda_item",
        cascade="all, delete-orphan",
        order_by="(Speaker.position, Speaker.id)",
    )

    @property
    def kind_label(self):
        return SESSION_KIND_LABELS.get(self.kind, self.kind)

    def times_on(self, stop: "Stop") -> tuple[datetime | None, datetime | None]:
        """Start and end as UTC datetimes on the stop's Paris day (they move with it)."""
        day = to_local(stop.starts_at).date()
        starts = local_datetime(day, self.starts_on) if self.starts_on else None
        ends = local_datetime(day, self.ends_on) if self.ends_on else None
        return starts, ends


class StopChange(db.Model):
    """The history of a stop: who did what, when, and which values changed."""

    __tablename__ = "stop_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    stop_id: Mapped[int] = mapped_column(ForeignKey("stops.id", ondelete="CASCADE"), index=True)
    #: created, confirmed, rescheduled, cancelled, updated, held, agenda.
    action: Mapped[str] = mapped_column(String(20))
    #: Field -> [old, new], as text (datetimes in ISO UTC).
    changes: Mapped[dict] = mapped_column(JSON, default=dict)
    note: Mapped[str] = mapped_column(Text, default="")
    by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    at: Mapped[datetime]

    stop: Mapped[Stop] = relationship(back_populates="changes")
    by: Mapped[User | None] = relationship()


class WarningAcknowledgement(db.Model):
    """Staff saw a planning warning on a stop and accept it."""

    __tablename__ = "stop_warning_acknowledgements"
    __table_args__ = (UniqueConstraint("stop_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    stop_id: Mapped[int] = mapped_column(ForeignKey("stops.id", ondelete="CASCADE"), index=True)
    #: The warning's code (e.g. "weekend"), see coordination.stops.warnings.
    code: Mapped[str] = mapped_column(String(40))
    by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    at: Mapped[datetime]

    stop: Mapped[Stop] = relationship(back_populates="acknowledgements")
    by: Mapped[User | None] = relationship()
