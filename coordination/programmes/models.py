"""Open programmes: events that partner organisations propose into an edition.

A published event *is* a stop of its edition (``ProgrammeEvent.stop``): registration,
waiting lists, check-in, exports, reminders, questionnaires, calendars and the map all
work on stops, so an event gets them without a copy. The proposal keeps what only an
open programme has: its organisers, format, audience and review.
"""

import enum
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, Column, ForeignKey, Integer, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coordination.auth.models import User
from coordination.campaigns.models import Edition
from coordination.clubs.models import PartnerOrganisation
from coordination.core.models import TimestampMixin
from coordination.extensions import db
from coordination.stops.models import Stop
from coordination.territories.models import Commune, Region


class EventFormat(enum.StrEnum):
    CONFERENCE = "conference"
    ROUND_TABLE = "round_table"
    OPEN_DOORS = "open_doors"
    WORKSHOP = "workshop"
    BUSINESS_MEETING = "business_meeting"
    EXHIBITION = "exhibition"


FORMAT_LABELS = {
    EventFormat.CONFERENCE: _l("Conference"),
    EventFormat.ROUND_TABLE: _l("Round table"),
    EventFormat.OPEN_DOORS: _l("Open doors"),
    EventFormat.WORKSHOP: _l("Workshop"),
    EventFormat.BUSINESS_MEETING: _l("Business meeting"),
    EventFormat.EXHIBITION: _l("Exhibition"),
}


class EventStatus(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    #: Sent back to the organisers with a comment; they edit and submit again.
    RETURNED = "returned"
    PUBLISHED = "published"
    WITHDRAWN = "withdrawn"


EVENT_STATUS_LABELS = {
    EventStatus.DRAFT: _l("Draft"),
    EventStatus.SUBMITTED: _l("Submitted for review"),
    EventStatus.RETURNED: _l("Sent back"),
    EventStatus.PUBLISHED: _l("Published"),
    EventStatus.WITHDRAWN: _l("Withdrawn from the programme"),
}


class EventCall(TimestampMixin, db.Model):
    """The call for events of an open programme: when organisations may propose events."""

    __tablename__ = "programme_calls"
    __table_args__ = (CheckConstraint("closes_at > opens_at", name="closes_after_open"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    edition_id: Mapped[int] = mapped_column(
        ForeignKey("editions.id", ondelete="CASCADE"), unique=True
    )
    opens_at: Mapped[datetime]
    #: Paris-time deadline, stored in UTC: drafts can no longer be submitted after it.
    closes_at: Mapped[datetime]
    instructions: Mapped[str] = mapped_column(Text, default="")
    #: The programme's région (the week of innovation of Hauts-de-France, say).
    region_code: Mapped[str | None] = mapped_column(ForeignKey("regions.code"))

    edition: Mapped[Edition] = relationship()
    region: Mapped[Region | None] = relationship()


#: An event's co-organisers (one or several partner organisations).
event_organisers = Table(
    "programme_event_organisers",
    db.metadata,
    Column(
        "event_id",
        Integer,
        ForeignKey("programme_events.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column(
        "organisation_id",
        Integer,
        ForeignKey("partner_organisations.id", ondelete="CASCADE"),
        primary_key=True,
        index=True,
    ),
)


class ProgrammeEvent(TimestampMixin, db.Model):
    """An event proposed by partner organisations into an open programme."""

    __tablename__ = "programme_events"
    __table_args__ = (
        CheckConstraint(
            "status IN ('draft', 'submitted', 'returned', 'published', 'withdrawn')",
            name="status",
        ),
        CheckConstraint(
            "format IN ('conference', 'round_table', 'open_doors', 'workshop', "
            "'business_meeting', 'exhibition')",
            name="format",
        ),
        CheckConstraint("capacity IS NULL OR capacity >= 0", name="capacity"),
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    edition_id: Mapped[int] = mapped_column(ForeignKey("editions.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), default=EventStatus.DRAFT, index=True)
    title: Mapped[str] = mapped_column(String(200))
    format: Mapped[str] = mapped_column(String(30), default=EventFormat.CONFERENCE)
    #: Who it is for, in the organisers' words (SME heads, students, the public...).
    audience: Mapped[str] = mapped_column(String(300), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    venue_name: Mapped[str] = mapped_column(String(300), default="")
    venue_address: Mapped[str] = mapped_column(String(300), default="")
    commune_insee: Mapped[str | None] = mapped_column(ForeignKey("communes.insee_code"))
    #: NULL: no limit.
    capacity: Mapped[int | None]
    #: False: open to all without registering (the page says so, no form).
    is_registration_required: Mapped[bool] = mapped_column(default=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    submitted_at: Mapped[datetime | None]
    #: The staff comment that came with the last sending back (or publication).
    review_comment: Mapped[str] = mapped_column(Text, default="")
    reviewed_at: Mapped[datetime | None]
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    published_at: Mapped[datetime | None]
    #: The stop the event became when published (set once; edits then go to the stop).
    stop_id: Mapped[int | None] = mapped_column(
        ForeignKey("stops.id", ondelete="SET NULL"), unique=True
    )

    edition: Mapped[Edition] = relationship()
    commune: Mapped[Commune | None] = relationship()
    stop: Mapped[Stop | None] = relationship()
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    reviewed_by: Mapped[User | None] = relationship(foreign_keys=[reviewed_by_id])
    organisers: Mapped[list[PartnerOrganisation]] = relationship(
        secondary=event_organisers, order_by=PartnerOrganisation.name
    )

    @property
    def status_label(self):
        return EVENT_STATUS_LABELS.get(self.status, self.status)

    @property
    def format_label(self):
        return FORMAT_LABELS.get(self.format, self.format)
