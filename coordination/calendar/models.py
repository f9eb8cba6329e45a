"""Feed tokens, invitation replies and reminder lead times."""

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Index, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coordination.auth.models import User
from coordination.extensions import db


class FeedToken(db.Model):
    """The secret in a private feed's URL. Only its SHA-256 is stored; the secret itself is
    derived from SECRET_KEY, the owner, the scope and the version, so the owner's page can
    show the URL again, and renewing (a new version) makes the old URL fail."""

    __tablename__ = "feed_tokens"
    __table_args__ = (
        UniqueConstraint("user_id", "scope", "version"),
        Index("ix_feed_tokens_owner_scope", "user_id", "scope"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    #: "personal", or "club:<id>" for a club's feed.
    scope: Mapped[str] = mapped_column(String(40))
    version: Mapped[int] = mapped_column(default=1)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]
    #: Last time a calendar client fetched it (shown to the owner).
    last_used_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()


class InvitationReply(db.Model):
    """A person's answer to an invitation, recorded from a signed link without signing in."""

    __tablename__ = "invitation_replies"
    __table_args__ = (UniqueConstraint("event_uid", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The calendar UID of the stop or meeting.
    event_uid: Mapped[str] = mapped_column(String(100), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    #: accepted | tentative | declined (iCalendar PARTSTAT words)
    answer: Mapped[str] = mapped_column(String(20))
    answered_at: Mapped[datetime]

    user: Mapped[User] = relationship()


class ReminderRule(db.Model):
    """How long before a stop an audience is reminded; editions without rows use defaults."""

    __tablename__ = "reminder_rules"
    __table_args__ = (UniqueConstraint("edition_id", "audience", "days_before"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    edition_id: Mapped[int] = mapped_column(
        ForeignKey("editions.id", ondelete="CASCADE"), index=True
    )
    #: "partners" or "hosts"
    audience: Mapped[str] = mapped_column(String(20))
    days_before: Mapped[int]


class FeedGeneration(db.Model):
    """One row: raised by every transaction that changes what any feed may show. A cached
    feed is served only while the generation it was built at is still the current one."""

    __tablename__ = "feed_generation"

    id: Mapped[int] = mapped_column(primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger, default=0)


class FeedCache(db.Model):
    """A feed's built text, keyed by what identifies it (locale and path)."""

    __tablename__ = "feed_cache"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    generation: Mapped[int] = mapped_column(BigInteger)
    etag: Mapped[str] = mapped_column(String(64))
    body: Mapped[bytes] = mapped_column(LargeBinary)
    filename: Mapped[str] = mapped_column(String(100))
    cache_control: Mapped[str] = mapped_column(String(40))
    #: Served as Last-Modified (the feed as built then).
    built_at: Mapped[datetime]
