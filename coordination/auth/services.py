"""Accounts, passwords and one-time sign-in links."""

import hashlib
import secrets
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from flask import current_app
from sqlalchemy import select, update
from werkzeug.security import check_password_hash, generate_password_hash

from coordination.auth.models import LoginToken, Role, User, UserRole
from coordination.core.urls import external_url
from coordination.extensions import db
from coordination.notifications.services import queue_email_to


def normalise_email(email: str) -> str:
    """Lower-case and trim an address, so one address is one account."""
    return email.strip().lower()


def find_user_by_email(email: str) -> User | None:
    """Return the account of an address, if any."""
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def create_user(
    email: str,
    name: str = "",
    roles: tuple[str, ...] = (),
    password: str | None = None,
    locale: str = "fr",
) -> User:
    """Create an account with its roles (no commit)."""
    user = User(email=normalise_email(email), name=name.strip(), locale=locale)
    if password:
        set_password(user, password)
    user.role_rows = [UserRole(role=Role(role)) for role in dict.fromkeys(roles)]
    db.session.add(user)
    db.session.flush()
    return user


def ensure_user(email: str, role: str, name: str = "", locale: str = "fr") -> User:
    """The account of an address, made if missing, holding `role` (no commit)."""
    user = find_user_by_email(email)
    if user is None:
        return create_user(email, name, (role,), locale=locale)
    grant_role(user, role)
    return user


def grant_role(user: User, role: str) -> None:
    """Give a user a role they may not have yet."""
    if role not in user.roles:
        user.role_rows.append(UserRole(role=Role(role)))


def set_password(user: User, password: str) -> None:
    """Store a salted hash of a new password."""
    user.password_hash = generate_password_hash(password)


def authenticate(email: str, password: str, now: datetime) -> User | None:
    """Return the active user matching an email and password, else None."""
    user = find_user_by_email(email)
    if user is None or not user.is_active or not user.password_hash:
        # Hash anyway so the answer takes as long whether the account exists or not.
        check_password_hash(_DUMMY_HASH, password)
        return None
    if not check_password_hash(user.password_hash, password):
        return None
    user.last_sign_in_at = now
    return user


_DUMMY_HASH = generate_password_hash("not a real password")


def _hash_token(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def create_login_link(
    user: User, now: datetime, next_path: str | None = None, max_age: timedelta | None = None
) -> str:
    """Create a one-time sign-in link (no email) and return its URL."""
    secret = secrets.token_urlsafe(32)
    max_age = max_age or login_link_max_age()
    token = LoginToken(
        user_id=user.id,
        token_hash=_hash_token(secret),
        next_path=safe_next_path(next_path),
        created_at=now,
        expires_at=now + max_age,
    )
    db.session.add(token)
    db.session.flush()
    return external_url("auth.link_sign_in", token=secret)


def login_link_max_age() -> timedelta:
    """How long a sign-in link works (LOGIN_LINK_MAX_AGE_MINUTES)."""
    return timedelta(minutes=current_app.config["LOGIN_LINK_MAX_AGE_MINUTES"])


def issue_login_link(user: User, now: datetime, next_path: str | None = None) -> str:
    """Create a one-time sign-in link, queue the email carrying it, return the URL."""
    url = create_login_link(user, now, next_path)
    max_age = login_link_max_age()
    queue_email_to(
        user,
        key=f"login-link:{_hash_token(url)[:32]}",
        template="auth/login_link",
        context={"user": user, "url": url, "minutes": int(max_age.total_seconds() // 60)},
        now=now,
    )
    return url


def find_valid_login_token(secret: str, now: datetime) -> LoginToken | None:
    """Return the unused, unexpired token for a link secret, else None."""
    token = db.session.scalar(
        select(LoginToken).where(LoginToken.token_hash == _hash_token(secret))
    )
    if token is None or token.used_at is not None or token.expires_at <= now:
        return None
    if not token.user.is_active:
        return None
    return token


def use_login_token(secret: str, now: datetime) -> LoginToken | None:
    """Spend a one-time link: return its token once, None if unknown, used or expired."""
    token = find_valid_login_token(secret, now)
    if token is None:
        return None
    # A conditional update, so two clicks racing each other sign in only once.
    spent = db.session.execute(
        update(LoginToken)
        .where(LoginToken.id == token.id, LoginToken.used_at.is_(None))
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    if spent.rowcount != 1:
        return None
    db.session.refresh(token)
    token.user.last_sign_in_at = now
    return token


def safe_next_path(path: str | None) -> str | None:
    """Keep a redirect target only if it is a plain path on this site."""
    if not path or not path.startswith("/") or path.startswith("//") or "\\" in path:
        return None
    # Browsers drop tabs and newlines from URLs ("/\t/evil.com" is "//evil.com"), and a
    # newline in a header is refused outright: a path with any of them is not kept.
    if any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in path):
        return None
    parts = urlsplit(path)
    if parts.scheme or parts.netloc:
        return None
    return path


def is_recent(iso_moment: str | None, now: datetime, minutes: int) -> bool:
    """Whether an ISO timestamp (from the session) lies within the last `minutes`."""
    try:
        moment = datetime.fromisoformat(iso_moment) if iso_moment else None
    except (TypeError, ValueError):
        return False
    return (
        moment is not None
        and moment.tzinfo is not None
        and now - moment <= timedelta(minutes=minutes)
        and moment <= now
    )


def may_change_password(user: User, current_password: str | None, by_recent_link: bool) -> bool:
    """A new password needs the current one, or a sign-in by one-time link just before."""
    if by_recent_link:
        return True
    return bool(
        user.password_hash
        and current_password
        and check_password_hash(user.password_hash, current_password)
    )
