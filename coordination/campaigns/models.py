"""Editions (of the tour or another programme) and their calls for applications."""

import enum
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    JSON,
    CheckConstraint,
    Column,
    ForeignKey,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coordination.auth.models import User
from coordination.core.models import QuestionMixin, TimestampMixin
from coordination.core.types import UTCDateTime
from coordination.extensions import db
from coordination.territories.models import Territory


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
    #: Reviewers are not given applications from their own région.
    is_same_region_review_excluded: Mapped[bool] = mapped_column(default=False)
    #: How many reviewers automatic assignment gives each application.
    reviews_per_application: Mapped[int] = mapped_column(default=2)
    #: When staff last released decisions (all decided applications at once).
    decisions_released_at: Mapped[datetime | None]

    edition: Mapped[Edition] = relationship(back_populates="calls")
    questions: Mapped[list["CallQuestion"]] = relationship(
        back_populates="call",
        cascade="all, delete-orphan",
        order_by="(CallQuestion.position, CallQuestion.id)",
    )
    applications: Mapped[list["Application"]] = relationship(
        back_populates="call", cascade="all, delete-orphan"
    )
    #: Review criteria, each scored 0-5; retired ones stay for the scores they have.
    criteria: Mapped[list["CallCriterion"]] = relationship(
        back_populates="call",
        cascade="all, delete-orphan",
        order_by="(CallCriterion.position, CallCriterion.id)",
    )

    @property
    def active_criteria(self) -> list["CallCriterion"]:
        """The criteria reviewers score now (retired ones excluded)."""
        return [c for c in self.criteria if not c.is_retired]


class CallCriterion(db.Model):
    """A review criterion of a call; scores are keyed by its id, never by its position."""

    __tablename__ = "call_criteria"

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"), index=True)
    #: Order on the review form, smallest first.
    position: Mapped[int] = mapped_column(default=0)
    label_fr: Mapped[str] = mapped_column(String(300))
    #: Empty: the French label is shown to English readers too.
    label_en: Mapped[str] = mapped_column(String(300), default="")
    #: Hidden from new reviews, kept (with its scores) in results.
    is_retired: Mapped[bool] = mapped_column(default=False)

    call: Mapped[Call] = relationship(back_populates="criteria")

    @property
    def key(self) -> str:
        """The key of this criterion in a review's scores."""
        return str(self.id)

    def label(self, locale: str) -> str:
        return self.label_en if locale == "en" and self.label_en else self.label_fr


class QuestionKind(enum.StrEnum):
    SHORT_TEXT = "short_text"
    LONG_TEXT = "long_text"
    SINGLE_CHOICE = "single_choice"
    MULTIPLE_CHOICE = "multiple_choice"
    NUMBER = "number"
    DATE = "date"
    FILE = "file"


class CallQuestion(QuestionMixin, db.Model):
    """An extra question staff add to a call's form, after the fixed core."""

    __tablename__ = "call_questions"

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"), index=True)

    call: Mapped[Call] = relationship(back_populates="questions")


class ApplicationStatus(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    WITHDRAWN = "withdrawn"


class Decision(enum.StrEnum):
    ACCEPTED = "accepted"
    WAITLISTED = "waitlisted"
    REJECTED = "rejected"


#: What people read for each application status and decision (staff wording; the
#: applicant's own badge, in campaigns/_status.html, says "Not selected" once released).
APPLICATION_STATUS_LABELS = {
    ApplicationStatus.DRAFT: _l("Draft"),
    ApplicationStatus.SUBMITTED: _l("Submitted"),
    ApplicationStatus.WITHDRAWN: _l("Withdrawn"),
}
DECISION_LABELS = {
    Decision.ACCEPTED: _l("Accepted"),
    Decision.WAITLISTED: _l("Waiting list"),
    Decision.REJECTED: _l("Rejected"),
}


application_members = Table(
    "application_members",
    db.metadata,
    Column("application_id", ForeignKey("applications.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    #: When the person began the draft or was invited to it (reminders due before that
    #: moment are not theirs); empty for rows older than the column.
    Column("joined_at", UTCDateTime(), nullable=True),
)


class Application(TimestampMixin, db.Model):
    """A territory's application to a call, from first draft to decision."""

    __tablename__ = "applications"
    __table_args__ = (
        CheckConstraint("status IN ('draft', 'submitted', 'withdrawn')", name="status"),
        CheckConstraint(
            "decision IS NULL OR decision IN ('accepted', 'waitlisted', 'rejected')",
            name="decision",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"), index=True)
    #: Chosen in the form; empty while a draft has not picked it yet.
    territory_id: Mapped[int | None] = mapped_column(ForeignKey("territories.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), default=ApplicationStatus.DRAFT, index=True)
    #: The form exactly as typed (field name -> list of values), so a draft keeps everything.
    form_data: Mapped[dict] = mapped_column(JSON, default=dict)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    last_saved_at: Mapped[datetime | None]
    submitted_at: Mapped[datetime | None] = mapped_column(index=True)
    withdrawn_at: Mapped[datetime | None]
    #: A later deadline staff granted to this application only.
    extended_until: Mapped[datetime | None]
    #: Set by staff; applicants see it only once released.
    decision: Mapped[str | None] = mapped_column(String(20))
    decision_released_at: Mapped[datetime | None]
    #: Staff's personal note to this applicant, shown (escaped) in the decision email.
    decision_note: Mapped[str] = mapped_column(Text, default="")

    call: Mapped[Call] = relationship(back_populates="applications")
    territory: Mapped[Territory | None] = relationship()
    members: Mapped[list[User]] = relationship(secondary=application_members, order_by=User.id)
    files: Mapped[list["ApplicationFile"]] = relationship(
        back_populates="application", cascade="all, delete-orphan", order_by="ApplicationFile.id"
    )
    reviews: Mapped[list["Review"]] = relationship(
        back_populates="application", cascade="all, delete-orphan", order_by="Review.id"
    )

    @property
    def deadline(self) -> datetime:
        """The deadline for this application: the call's, or the later one staff granted."""
        if self.extended_until and self.extended_until > self.call.closes_at:
            return self.extended_until
        return self.call.closes_at

    def value(self, name: str) -> str:
        """The first typed value of a form field ('' if none)."""
        values = (self.form_data or {}).get(name) or [""]
        return values[0]

    def values(self, name: str) -> list[str]:
        return list((self.form_data or {}).get(name) or [])

    def rows(self, prefix: str, parts: tuple[str, ...]) -> list[dict[str, str]]:
        """The "add another" rows typed as `prefix-N-part`, in row order, empty ones left out."""
        found = set()
        for key in self.form_data or {}:
            head, _sep, rest = key.partition("-")
            index, _sep, _part = rest.partition("-")
            if head == prefix and index.isascii() and index.isdecimal() and len(index) < 4:
                found.add(int(index))
        rows = [{p: self.value(f"{prefix}-{i}-{p}").strip() for p in parts} for i in sorted(found)]
        return [row for row in rows if any(row.values())]


class ApplicationFile(db.Model):
    """An attachment, stored under instance/uploads with a random name."""

    __tablename__ = "application_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("applications.id", ondelete="CASCADE"), index=True
    )
    #: The file question it answers; empty for the core's general attachments.
    question_id: Mapped[int | None] = mapped_column(
        ForeignKey("call_questions.id", ondelete="SET NULL")
    )
    original_name: Mapped[str] = mapped_column(String(255))
    #: Random name on disk (never derived from what the user sent).
    stored_name: Mapped[str] = mapped_column(String(64), unique=True)
    #: Detected from the content, not the name.
    content_type: Mapped[str] = mapped_column(String(100))
    size_bytes: Mapped[int]
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime]

    application: Mapped[Application] = relationship(back_populates="files")


class CallReviewer(db.Model):
    """A reviewer on a call's panel, with the région they belong to (for exclusion)."""

    __tablename__ = "call_reviewers"
    __table_args__ = (UniqueConstraint("call_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    region_code: Mapped[str | None] = mapped_column(ForeignKey("regions.code"))

    user: Mapped[User] = relationship()


class Review(db.Model):
    """A reviewer's assignment to an application, then their scores and comment."""

    __tablename__ = "reviews"
    __table_args__ = (UniqueConstraint("application_id", "reviewer_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("applications.id", ondelete="CASCADE"), index=True
    )
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    assigned_at: Mapped[datetime]
    #: Criterion id (as text) -> score 0..5; empty until the reviewer scores.
    scores: Mapped[dict] = mapped_column(JSON, default=dict)
    comment: Mapped[str] = mapped_column(Text, default="")
    #: Empty while the review is waiting.
    reviewed_at: Mapped[datetime | None]

    application: Mapped[Application] = relationship(back_populates="reviews")
    reviewer: Mapped[User] = relationship()

    @property
    def total(self) -> float | None:
        """The mean of this reviewer's criterion scores."""
        values = [int(v) for v in (self.scores or {}).values()]
        return sum(values) / len(values) if values and self.reviewed_at else None
