"""Territorial clubs, partner organisations, memberships and club meetings."""

import enum
import uuid
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    JSON,
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coordination.auth.models import User
from coordination.core.models import TimestampMixin
from coordination.extensions import db
from coordination.territories.models import Region, SearchKey, Territory


class PartnerKind(enum.StrEnum):
    UNIVERSITY = "university"
    ENGINEERING_SCHOOL = "engineering_school"
    CHAMBER_OF_COMMERCE = "chamber_of_commerce"
    BPIFRANCE = "bpifrance"
    INNOVATION_AGENCY = "innovation_agency"
    EMPLOYERS_BODY = "employers_body"
    ASSOCIATION = "association"
    COMPANY = "company"
    LOCAL_AUTHORITY = "local_authority"
    OTHER = "other"


PARTNER_KIND_LABELS = {
    PartnerKind.UNIVERSITY: _l("University"),
    PartnerKind.ENGINEERING_SCHOOL: _l("Engineering school"),
    PartnerKind.CHAMBER_OF_COMMERCE: _l("Chamber of commerce (CCI)"),
    PartnerKind.BPIFRANCE: _l("Bpifrance"),
    PartnerKind.INNOVATION_AGENCY: _l("Regional innovation agency"),
    PartnerKind.EMPLOYERS_BODY: _l("Employers' body"),
    PartnerKind.ASSOCIATION: _l("Association or foundation"),
    PartnerKind.COMPANY: _l("Company"),
    PartnerKind.LOCAL_AUTHORITY: _l("Local authority"),
    PartnerKind.OTHER: _l("Other"),
}


class Interest(enum.StrEnum):
    INNOVATION = "innovation"
    INTERNATIONAL = "international"
    SKILLS = "skills_recruitment"
    TRAINING = "training"
    RESEARCH = "research"
    FUNDING = "funding"


INTEREST_LABELS = {
    Interest.INNOVATION: _l("Innovation"),
    Interest.INTERNATIONAL: _l("International development"),
    Interest.SKILLS: _l("Skills and recruitment"),
    Interest.TRAINING: _l("Training"),
    Interest.RESEARCH: _l("Research partnerships"),
    Interest.FUNDING: _l("Funding"),
}


class MembershipStatus(enum.StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"
    LEFT = "left"


MEMBERSHIP_STATUS_LABELS = {
    MembershipStatus.PENDING: _l("Waiting for approval"),
    MembershipStatus.APPROVED: _l("Member"),
    MembershipStatus.REJECTED: _l("Rejected"),
    MembershipStatus.LEFT: _l("Left"),
}


class MeetingStatus(enum.StrEnum):
    PLANNED = "planned"
    CONFIRMED = "confirmed"
    CANCELLED = "cancelled"


MEETING_STATUS_LABELS = {
    MeetingStatus.PLANNED: _l("Planned"),
    MeetingStatus.CONFIRMED: _l("Confirmed"),
    MeetingStatus.CANCELLED: _l("Cancelled"),
}


club_territories = Table(
    "club_territories",
    db.metadata,
    Column("club_id", ForeignKey("clubs.id", ondelete="CASCADE"), primary_key=True),
    Column("territory_id", ForeignKey("territories.id", ondelete="CASCADE"), primary_key=True),
)

club_leads = Table(
    "club_leads",
    db.metadata,
    Column("club_id", ForeignKey("clubs.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
)


class Club(TimestampMixin, db.Model):
    """A territorial club: partners gathered around one or more territories."""

    __tablename__ = "clubs"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The club's address in URLs (/clubs/<slug>).
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    #: Partners may ask to join through the public form.
    is_open: Mapped[bool] = mapped_column(default=True)

    territories: Mapped[list[Territory]] = relationship(
        secondary=club_territories, order_by=Territory.search_name
    )
    leads: Mapped[list[User]] = relationship(secondary=club_leads, order_by=User.email)
    memberships: Mapped[list["Membership"]] = relationship(
        back_populates="club", cascade="all, delete-orphan"
    )
    meetings: Mapped[list["ClubMeeting"]] = relationship(
        back_populates="club", cascade="all, delete-orphan", order_by="ClubMeeting.starts_at"
    )


class PartnerOrganisation(TimestampMixin, db.Model):
    """A partner: university, school, CCI, agency, employers' body, company…"""

    __tablename__ = "partner_organisations"
    __table_args__ = (CheckConstraint("length(siret) = 14", name="siret_length"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    #: The name folded (accents, case, punctuation, legal forms) to find duplicates.
    search_name: Mapped[str] = mapped_column(SearchKey, index=True)
    kind: Mapped[str] = mapped_column(String(30), default=PartnerKind.OTHER)
    #: 14 digits with a valid check digit; empty when unknown.
    siret: Mapped[str | None] = mapped_column(String(14), unique=True)
    website: Mapped[str] = mapped_column(String(300), default="")
    address: Mapped[str] = mapped_column(Text, default="")
    region_code: Mapped[str | None] = mapped_column(ForeignKey("regions.code"), index=True)
    #: Interest codes (Interest values) declared by the organisation.
    interests: Mapped[list] = mapped_column(JSON, default=list)

    region: Mapped[Region | None] = relationship()
    contacts: Mapped[list["PartnerContact"]] = relationship(
        back_populates="organisation", cascade="all, delete-orphan"
    )
    memberships: Mapped[list["Membership"]] = relationship(
        back_populates="organisation", cascade="all, delete-orphan"
    )

    @property
    def kind_label(self):
        return PARTNER_KIND_LABELS.get(self.kind, self.kind)


class PartnerContact(db.Model):
    """A person (a user with the partner role) acting for an organisation."""

    __tablename__ = "partner_contacts"
    __table_args__ = (UniqueConstraint("organisation_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("partner_organisations.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    #: False until staff or a lead approves one of their requests (anyone can type a name
    #: of an existing organisation); only approved contacts manage the organisation.
    is_approved: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime]

    organisation: Mapped[PartnerOrganisation] = relationship(back_populates="contacts")
    user: Mapped[User] = relationship()


class Membership(TimestampMixin, db.Model):
    """An organisation's request to join a club, and then its membership."""

    __tablename__ = "club_memberships"
    __table_args__ = (
        UniqueConstraint("club_id", "organisation_id"),
        Index("ix_club_memberships_status", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    club_id: Mapped[int] = mapped_column(ForeignKey("clubs.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("partner_organisations.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[str] = mapped_column(String(20), default=MembershipStatus.PENDING)
    #: Raised on every status change; decision forms carry it, so an old form cannot act
    #: on a request that has moved on since it was shown.
    version: Mapped[int] = mapped_column(default=1)
    #: The contact who asked (and who hears of the decision).
    requested_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    requested_at: Mapped[datetime]
    #: When the contact accepted the data-use wording of the registration form.
    consented_at: Mapped[datetime | None]
    decided_at: Mapped[datetime | None]
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    rejection_reason: Mapped[str] = mapped_column(Text, default="")
    left_at: Mapped[datetime | None]

    club: Mapped[Club] = relationship(back_populates="memberships")
    organisation: Mapped[PartnerOrganisation] = relationship(back_populates="memberships")
    requested_by: Mapped[User | None] = relationship(foreign_keys=[requested_by_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])

    @property
    def status_label(self):
        return MEMBERSHIP_STATUS_LABELS.get(self.status, self.status)


def _new_meeting_uid() -> str:
    return f"club-meeting-{uuid.uuid4()}@innovent-e"


class ClubMeeting(TimestampMixin, db.Model):
    """A club meeting; calendar feeds and invitations follow its uid and sequence."""

    __tablename__ = "club_meetings"
    __table_args__ = (
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        Index("ix_club_meetings_club_starts", "club_id", "starts_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    club_id: Mapped[int] = mapped_column(ForeignKey("clubs.id", ondelete="CASCADE"))
    #: The iCalendar UID: set once at creation, never changes.
    uid: Mapped[str] = mapped_column(String(100), unique=True, default=_new_meeting_uid)
    title: Mapped[str] = mapped_column(String(200))
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    place: Mapped[str] = mapped_column(String(300), default="")
    online_url: Mapped[str] = mapped_column(String(500), default="")
    agenda: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default=MeetingStatus.PLANNED)
    #: The iCalendar SEQUENCE: raised by the service on every change a calendar shows.
    sequence: Mapped[int] = mapped_column(default=0)

    club: Mapped[Club] = relationship(back_populates="meetings")

    @property
    def status_label(self):
        return MEETING_STATUS_LABELS.get(self.status, self.status)


class Registration(db.Model):
    """A registration sent from the public form, waiting for its email to be confirmed.

    Nothing reaches the partner tables before the address is confirmed; only the SHA-256
    of the link's secret is kept.
    """

    __tablename__ = "club_registrations"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    email: Mapped[str] = mapped_column(String(254))
    locale: Mapped[str] = mapped_column(String(5), default="fr")
    #: The form's fields: organisation, contact name, club ids, interests.
    payload: Mapped[dict] = mapped_column(JSON)
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    confirmed_at: Mapped[datetime | None]
