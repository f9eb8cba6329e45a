"""Users, their roles and their one-time sign-in links."""

import enum
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coordination.core.models import TimestampMixin
from coordination.extensions import db


class Role(enum.StrEnum):
    STAFF = "staff"
    REVIEWER = "reviewer"
    TERRITORY_CONTACT = "territory_contact"
    PARTNER_CONTACT = "partner_contact"


class DigestFrequency(enum.StrEnum):
    OFF = "off"
    DAILY = "daily"
    WEEKLY = "weekly"


class User(UserMixin, TimestampMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Stored lower-cased, so one address is one account.
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    #: Empty for people who only ever sign in by link.
    password_hash: Mapped[str | None] = mapped_column(String(255))
    locale: Mapped[str] = mapped_column(String(5), default="fr")
    is_active: Mapped[bool] = mapped_column(default=True)
    digest_frequency: Mapped[str] = mapped_column(String(10), default=DigestFrequency.OFF)
    #: Set at every sign-in, by password or by link.
    last_sign_in_at: Mapped[datetime | None]
    #: When the person asked for their account to be erased (staff carry it out).
    erasure_requested_at: Mapped[datetime | None]
    #: When the account was erased: its personal data is gone, the row keeps history.
    erased_at: Mapped[datetime | None]

    role_rows: Mapped[list["UserRole"]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin"
    )

    @property
    def roles(self) -> set[str]:
        return {row.role for row in self.role_rows}

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))

    @property
    def display_name(self) -> str:
        return self.name or self.email


class UserRole(db.Model):
    __tablename__ = "user_roles"
    __table_args__ = (UniqueConstraint("user_id", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(30))

    user: Mapped[User] = relationship(back_populates="role_rows")


class LoginToken(db.Model):
    """A one-time sign-in link; only the SHA-256 of its secret is kept."""

    __tablename__ = "login_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    #: Where to land after signing in (a path on this site).
    next_path: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()


class AccountAction(enum.StrEnum):
    CREATED = "created"
    INVITED = "invited"
    ROLES_CHANGED = "roles_changed"
    DEACTIVATED = "deactivated"
    REACTIVATED = "reactivated"
    ERASURE_REQUESTED = "erasure_requested"
    ERASED = "erased"


class AccountEvent(db.Model):
    """One line of the audit log of accounts and roles, written with the change itself."""

    __tablename__ = "account_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(index=True)
    action: Mapped[str] = mapped_column(String(30))
    #: Who acted; empty for the command line (see `via`) or an erased account.
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    #: "web" or "cli".
    via: Mapped[str] = mapped_column(String(10), default="web")
    target_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    #: The target's address at the time; blanked when the account is erased.
    target_email: Mapped[str] = mapped_column(String(254), default="")
    roles_before: Mapped[list] = mapped_column(JSON, default=list)
    roles_after: Mapped[list] = mapped_column(JSON, default=list)

    actor: Mapped[User | None] = relationship(foreign_keys=[actor_id])
    target: Mapped[User | None] = relationship(foreign_keys=[target_id])
