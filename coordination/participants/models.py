"""Participants of stops, workshops, waiting lists, questionnaires and answers."""

import enum
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    JSON,
    CheckConstraint,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coordination.campaigns.models import Edition
from coordination.core.models import QuestionMixin
from coordination.extensions import db
from coordination.stops.models import AgendaItem, Stop
from coordination.territories.models import Commune


class SeatStatus(enum.StrEnum):
    CONFIRMED = "confirmed"
    WAITING = "waiting"
    #: A freed place held for this person until offer_expires_at.
    OFFERED = "offered"
    CANCELLED = "cancelled"
    EXPIRED = "expired"
    DECLINED = "declined"


SEAT_STATUS_LABELS = {
    SeatStatus.CONFIRMED: _l("Place confirmed"),
    SeatStatus.WAITING: _l("On the waiting list"),
    SeatStatus.OFFERED: _l("Place offered"),
    SeatStatus.CANCELLED: _l("Cancelled"),
    SeatStatus.EXPIRED: _l("Offer expired"),
    SeatStatus.DECLINED: _l("Offer declined"),
}

#: Statuses that hold one of the workshop's places (counted in seats_taken).
HOLDING = (SeatStatus.CONFIRMED, SeatStatus.OFFERED)


class CompanySize(enum.StrEnum):
    MICRO = "micro"
    SMALL = "small"
    MEDIUM = "medium"
    INTERMEDIATE = "intermediate"
    LARGE = "large"


COMPANY_SIZE_LABELS = {
    CompanySize.MICRO: _l("1 to 9 employees"),
    CompanySize.SMALL: _l("10 to 49 employees"),
    CompanySize.MEDIUM: _l("50 to 249 employees"),
    CompanySize.INTERMEDIATE: _l("250 to 4,999 employees"),
    CompanySize.LARGE: _l("5,000 employees or more"),
}


class Workshop(db.Model):
    """A workshop-debate of a stop people register for, with its own capacity."""

    __tablename__ = "participant_workshops"
    __table_args__ = (
        CheckConstraint("capacity IS NULL OR capacity >= 0", name="capacity"),
        CheckConstraint("seats_taken >= 0", name="seats_taken"),
        UniqueConstraint("stop_id", "agenda_item_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    stop_id: Mapped[int] = mapped_column(ForeignKey("stops.id", ondelete="CASCADE"), index=True)
    #: The agenda line it came from; the agenda is rewritten on edit, so it may go NULL
    #: and is matched again by title (see services.sync_workshops).
    agenda_item_id: Mapped[int | None] = mapped_column(
        ForeignKey("stop_agenda_items.id", ondelete="SET NULL")
    )
    position: Mapped[int] = mapped_column(default=0)
    title: Mapped[str] = mapped_column(String(300))
    #: NULL: no limit.
    capacity: Mapped[int | None]
    #: Places held (confirmed or offered): raised by a conditional UPDATE so two people
    #: taking the last place at once get one place and one waiting-list entry.
    seats_taken: Mapped[int] = mapped_column(default=0)
    is_open: Mapped[bool] = mapped_column(default=True)

    stop: Mapped[Stop] = relationship()
    agenda_item: Mapped[AgendaItem | None] = relationship()

    @property
    def places_left(self) -> int | None:
        if self.capacity is None:
            return None
        return max(self.capacity - self.seats_taken, 0)


class Registration(db.Model):
    """A person registered to a stop (no account: the email is the identity)."""

    __tablename__ = "participant_registrations"
    __table_args__ = (
        UniqueConstraint("stop_id", "email"),
        CheckConstraint(
            "company_size IN ('micro', 'small', 'medium', 'intermediate', 'large')",
            name="company_size",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    stop_id: Mapped[int] = mapped_column(ForeignKey("stops.id", ondelete="CASCADE"), index=True)
    first_name: Mapped[str] = mapped_column(String(100))
    last_name: Mapped[str] = mapped_column(String(100))
    #: Folded "last first" for the check-in search.
    search_name: Mapped[str] = mapped_column(String(220), default="")
    email: Mapped[str] = mapped_column(String(254))
    phone: Mapped[str] = mapped_column(String(30), default="")
    #: Job title in the company (head, HR manager...).
    role: Mapped[str] = mapped_column(String(150), default="")
    company_name: Mapped[str] = mapped_column(String(200))
    siret: Mapped[str | None] = mapped_column(String(14))
    company_size: Mapped[str] = mapped_column(String(20))
    #: NAF rev. 2 code, "NN.NNX".
    naf_code: Mapped[str] = mapped_column(String(6))
    #: NAF section letter (A..U), derived from the code, for the observatory.
    sector: Mapped[str] = mapped_column(String(1))
    commune_insee: Mapped[str | None] = mapped_column(ForeignKey("communes.insee_code"))
    locale: Mapped[str] = mapped_column(String(5), default="fr")
    consented_at: Mapped[datetime]
    registered_at: Mapped[datetime]
    cancelled_at: Mapped[datetime | None]
    checked_in_at: Mapped[datetime | None]
    questionnaire_sent_at: Mapped[datetime | None]
    questionnaire_reminded_at: Mapped[datetime | None]
    #: When the person's details were blanked (retention period over, or account erased).
    anonymised_at: Mapped[datetime | None]

    stop: Mapped[Stop] = relationship()
    commune: Mapped[Commune | None] = relationship()
    seats: Mapped[list["Seat"]] = relationship(
        back_populates="registration", cascade="all, delete-orphan", order_by="Seat.id"
    )

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def is_active(self) -> bool:
        return self.cancelled_at is None


class Seat(db.Model):
    """One person's place (or place in the queue) in one workshop."""

    __tablename__ = "participant_seats"
    __table_args__ = (
        UniqueConstraint("registration_id", "workshop_id"),
        CheckConstraint(
            "status IN ('confirmed', 'waiting', 'offered', 'cancelled', 'expired', 'declined')",
            name="status",
        ),
        Index("ix_participant_seats_queue", "workshop_id", "status", "queued_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(
        ForeignKey("participant_registrations.id", ondelete="CASCADE"), index=True
    )
    workshop_id: Mapped[int] = mapped_column(
        ForeignKey("participant_workshops.id", ondelete="CASCADE")
    )
    status: Mapped[str] = mapped_column(String(20))
    #: Order on the waiting list: first come, first offered.
    queued_at: Mapped[datetime]
    offered_at: Mapped[datetime | None]
    offer_expires_at: Mapped[datetime | None]
    updated_at: Mapped[datetime]

    registration: Mapped[Registration] = relationship(back_populates="seats")
    workshop: Mapped[Workshop] = relationship()

    @property
    def status_label(self):
        return SEAT_STATUS_LABELS.get(self.status, self.status)


class QuestionKind(enum.StrEnum):
    SHORT_TEXT = "short_text"
    LONG_TEXT = "long_text"
    SINGLE_CHOICE = "single_choice"
    MULTIPLE_CHOICE = "multiple_choice"
    NUMBER = "number"
    DATE = "date"
    SCALE = "scale"


QUESTION_KIND_LABELS = {
    QuestionKind.SHORT_TEXT: _l("Short text"),
    QuestionKind.LONG_TEXT: _l("Long text"),
    QuestionKind.SINGLE_CHOICE: _l("Single choice"),
    QuestionKind.MULTIPLE_CHOICE: _l("Multiple choice"),
    QuestionKind.NUMBER: _l("Number"),
    QuestionKind.DATE: _l("Date"),
    QuestionKind.SCALE: _l("Scale from 1 to 5"),
}


class Theme(enum.StrEnum):
    INNOVATION = "innovation"
    INTERNATIONAL = "international"
    RECRUITMENT = "recruitment"
    TRAINING = "training"
    OTHER = "other"


THEME_LABELS = {
    Theme.INNOVATION: _l("Innovation"),
    Theme.INTERNATIONAL: _l("International development"),
    Theme.RECRUITMENT: _l("Recruitment"),
    Theme.TRAINING: _l("Training"),
    Theme.OTHER: _l("Other"),
}


class Questionnaire(db.Model):
    """The needs questionnaire of an edition, sent the day after each stop."""

    __tablename__ = "participant_questionnaires"

    id: Mapped[int] = mapped_column(primary_key=True)
    edition_id: Mapped[int] = mapped_column(
        ForeignKey("editions.id", ondelete="CASCADE"), unique=True
    )
    intro: Mapped[str] = mapped_column(Text, default="")
    #: Sent to participants only when active.
    is_active: Mapped[bool] = mapped_column(default=True)

    edition: Mapped[Edition] = relationship()
    questions: Mapped[list["NeedQuestion"]] = relationship(
        back_populates="questionnaire",
        cascade="all, delete-orphan",
        order_by="(NeedQuestion.position, NeedQuestion.id)",
    )


class NeedQuestion(QuestionMixin, db.Model):
    """A question of a needs questionnaire; scale questions measure a theme's need."""

    __tablename__ = "participant_questions"
    __table_args__ = (
        CheckConstraint(
            "kind IN ('short_text', 'long_text', 'single_choice', 'multiple_choice', "
            "'number', 'date', 'scale')",
            name="kind",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    questionnaire_id: Mapped[int] = mapped_column(
        ForeignKey("participant_questionnaires.id", ondelete="CASCADE"), index=True
    )
    #: The need it measures, for the observatory.
    theme: Mapped[str] = mapped_column(String(20), default=Theme.OTHER)

    questionnaire: Mapped[Questionnaire] = relationship(back_populates="questions")


class NeedResponse(db.Model):
    """One participant's answers to the questionnaire (once per registration)."""

    __tablename__ = "participant_responses"

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(
        ForeignKey("participant_registrations.id", ondelete="CASCADE"), unique=True
    )
    questionnaire_id: Mapped[int] = mapped_column(
        ForeignKey("participant_questionnaires.id", ondelete="CASCADE"), index=True
    )
    #: {question id (text): value}; lists for multiple choices, ints for scales.
    answers: Mapped[dict] = mapped_column(JSON, default=dict)
    submitted_at: Mapped[datetime]

    registration: Mapped[Registration] = relationship()
    questionnaire: Mapped[Questionnaire] = relationship()
