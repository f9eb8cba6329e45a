"""Account administration: create, invite, change roles, deactivate, with an audit log.

Every change writes its AccountEvent in the same transaction (the caller commits), so
the log never misses a change nor records one that was rolled back.
"""

from datetime import datetime, timedelta

from email_validator import EmailNotValidError, validate_email
from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from coordination.auth.models import AccountAction, AccountEvent, Role, User, UserRole
from coordination.auth.services import (
    create_login_link,
    create_user,
    find_user_by_email,
    normalise_email,
)
from coordination.extensions import db
from coordination.notifications.services import queue_email_to

#: `via` of the changes made by `flask users …`.
VIA_CLI = "cli"
VIA_WEB = "web"


class AccountError(ValueError):
    """A change the rules refuse; its message is shown to the person (translated)."""

    def __init__(self, message) -> None:
        super().__init__(str(message))
        self.message = message


def checked_email(email: str) -> str:
    """A normalised address, or AccountError if it is not a valid email address."""
    try:
        validate_email(email.strip(), check_deliverability=False)
    except EmailNotValidError as error:
        raise AccountError(_l("This is not a valid email address.")) from error
    return normalise_email(email)


def checked_roles(roles) -> list[str]:
    """The roles, known and in a stable order, or AccountError for an unknown one."""
    known = [role.value for role in Role]
    for role in roles:
        if role not in known:
            raise AccountError(
                _l(
                    "Unknown role %(role)s (known roles: %(known)s).",
                    role=role,
                    known=", ".join(known),
                )
            )
    return [role for role in known if role in set(roles)]


def record(
    action: str,
    target: User,
    now: datetime,
    actor: User | None = None,
    via: str = VIA_WEB,
    before=(),
    after=(),
) -> AccountEvent:
    """Add one audit line about `target` (no commit)."""
    event = AccountEvent(
        action=action,
        created_at=now,
        actor_id=actor.id if actor is not None else None,
        via=via,
        target_id=target.id,
        target_email=target.email if target.erased_at is None else "",
        roles_before=sorted(before),
        roles_after=sorted(after),
    )
    db.session.add(event)
    return event


def _set_roles(user: User, roles: list[str]) -> None:
    wanted = set(roles)
    user.role_rows = [row for row in user.role_rows if row.role in wanted] + [
        UserRole(role=Role(role)) for role in roles if role not in user.roles
    ]


def active_staff_count() -> int:
    """How many active accounts hold the staff role."""
    return db.session.scalar(
        select(func.count(User.id))
        .join(UserRole, UserRole.user_id == User.id)
        .where(UserRole.role == Role.STAFF, User.is_active.is_(True))
    )


def _check_keeps_a_staff(user: User, actor: User | None, losing_staff: bool, deactivating: bool):
    if not user.has_role(Role.STAFF) or not user.is_active:
        return
    if actor is not None and actor.id == user.id:
        if deactivating:
            raise AccountError(_l("You cannot deactivate your own account."))
        if losing_staff:
            raise AccountError(_l("You cannot remove your own staff role."))
    if (losing_staff or deactivating) and active_staff_count() <= 1:
        raise AccountError(
            _l("This is the last active staff account: give the staff role to someone else first.")
        )


def add_account(
    email: str,
    name: str,
    roles,
    now: datetime,
    actor: User | None = None,
    via: str = VIA_WEB,
    locale: str = "fr",
) -> tuple[User, bool]:
    """Create an account with roles, or add the roles to an existing one; (user, created)."""
    address = checked_email(email)
    roles = checked_roles(roles)
    user = find_user_by_email(address)
    if user is None:
        user = create_user(address, name, tuple(roles), locale=locale)
        record(AccountAction.CREATED, user, now, actor, via, after=roles)
        return user, True
    if user.erased_at is not None:
        raise AccountError(_l("This account was erased; it cannot be used again."))
    before = sorted(user.roles)
    if name.strip() and not user.name:
        user.name = name.strip()
    if not set(roles) <= user.roles:
        _set_roles(user, checked_roles(user.roles | set(roles)))
        db.session.flush()
        record(AccountAction.ROLES_CHANGED, user, now, actor, via, before, user.roles)
    return user, False


def invite(
    email: str, name: str, roles, now: datetime, actor: User, locale: str = "fr"
) -> tuple[User, bool]:
    """Create (or complete) an account and email the person a sign-in link to it."""
    user, created = add_account(email, name, roles, now, actor, VIA_WEB, locale)
    if not user.is_active:
        raise AccountError(_l("This account is deactivated: reactivate it first."))
    hours = current_app.config["INVITATION_LINK_MAX_AGE_HOURS"]
    url = create_login_link(user, now, max_age=timedelta(hours=hours))
    event = record(AccountAction.INVITED, user, now, actor, VIA_WEB, after=user.roles)
    db.session.flush()
    queue_email_to(
        user,
        key=f"account-invitation:{event.id}",
        template="auth/invitation",
        context={"user": user, "url": url, "hours": hours, "inviter": actor, "roles": user.roles},
        now=now,
    )
    return user, created


def change_roles(user: User, roles, now: datetime, actor: User | None, via: str = VIA_WEB):
    """Give an account exactly these roles, keeping at least one active staff account."""
    if user.erased_at is not None:
        raise AccountError(_l("This account was erased; it cannot be used again."))
    roles = checked_roles(roles)
    before = sorted(user.roles)
    if set(roles) == set(before):
        return False
    _check_keeps_a_staff(user, actor, Role.STAFF not in roles, deactivating=False)
    _set_roles(user, roles)
    db.session.flush()
    record(AccountAction.ROLES_CHANGED, user, now, actor, via, before, roles)
    return True


def deactivate(user: User, now: datetime, actor: User | None, via: str = VIA_WEB) -> bool:
    """Stop an account from signing in (its feeds stop too); its history stays."""
    if not user.is_active:
        return False
    _check_keeps_a_staff(user, actor, losing_staff=False, deactivating=True)
    user.is_active = False
    record(AccountAction.DEACTIVATED, user, now, actor, via, user.roles, user.roles)
    db.session.flush()
    return True


def reactivate(user: User, now: datetime, actor: User | None, via: str = VIA_WEB) -> bool:
    """Let a deactivated account sign in again."""
    if user.is_active:
        return False
    if user.erased_at is not None:
        raise AccountError(_l("This account was erased; it cannot be used again."))
    user.is_active = True
    record(AccountAction.REACTIVATED, user, now, actor, via, user.roles, user.roles)
    db.session.flush()
    return True
