"""Optional messages: who wants which kind, opt-outs, suppressions, the unsubscribe token."""

from flask import current_app
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import delete, select

from coordination.extensions import db
from coordination.notifications.models import MailOptOut, MailSuppression

#: Optional kinds, the templates they cover and their label in the profile. Everything
#: else (invitations, sign-in links, decisions, confirmations) is a service message.
OPTIONAL_KINDS = {
    "stop_reminders": (("calendar/reminder",), _l("Reminders before a stop")),
    "participant_reminders": (("participants/reminder",), _l("Reminders before a workshop")),
    "draft_reminders": (("campaigns/draft_reminder",), _l("Reminders about a draft application")),
    "group": (("notifications/group",), _l("Messages from the team to a group")),
}
_KIND_OF_TEMPLATE = {t: kind for kind, (templates, _) in OPTIONAL_KINDS.items() for t in templates}


def kind_of(template: str) -> str | None:
    """The optional kind a template belongs to, or None for a service message."""
    return _KIND_OF_TEMPLATE.get(template)


def _address(person) -> str:
    return (person if isinstance(person, str) else person.email).strip().lower()


def who_wants(emails, kind: str) -> set[str]:
    """The addresses among `emails` that accept `kind` (not opted out, not suppressed)."""
    wanted = {_address(e) for e in emails}
    if not wanted:
        return set()
    opted_out = set(
        db.session.scalars(
            select(MailOptOut.email).where(MailOptOut.kind == kind, MailOptOut.email.in_(wanted))
        )
    )
    return wanted - opted_out - suppressed_among(wanted)


def wants(person, kind: str) -> bool:
    """Whether one person (a user or an address) accepts optional messages of `kind`."""
    return bool(who_wants([_address(person)], kind))


def suppressed_among(emails) -> set[str]:
    """The addresses among `emails` under an active suppression (bounce, spam report)."""
    return set(
        db.session.scalars(
            select(MailSuppression.email).where(
                MailSuppression.email.in_(list(emails)), MailSuppression.lifted_at.is_(None)
            )
        )
    )


def active_suppression(email: str) -> MailSuppression | None:
    """The address's suppression if it is in force."""
    return db.session.scalar(
        select(MailSuppression).where(
            MailSuppression.email == _address(email), MailSuppression.lifted_at.is_(None)
        )
    )


def unwanted_kinds(person) -> set[str]:
    """The optional kinds a person turned off."""
    return set(
        db.session.scalars(select(MailOptOut.kind).where(MailOptOut.email == _address(person)))
    )


def set_wanted_kinds(person, wanted: set[str], now, source: str = "profile") -> None:
    """Record which optional kinds a person receives; the others are turned off (no commit)."""
    email = _address(person)
    db.session.execute(
        delete(MailOptOut).where(MailOptOut.email == email, MailOptOut.kind.in_(wanted))
    )
    for kind in set(OPTIONAL_KINDS) - set(wanted) - unwanted_kinds(email):
        db.session.add(MailOptOut(email=email, kind=kind, source=source, created_at=now))
    db.session.flush()


def opt_out(email: str, kind: str, now, source: str = "unsubscribe") -> None:
    """Turn one optional kind off for an address; doing it twice changes nothing (no commit)."""
    email = _address(email)
    if kind not in unwanted_kinds(email):
        db.session.add(MailOptOut(email=email, kind=kind, source=source, created_at=now))
        db.session.flush()


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="mail-unsubscribe")


def unsubscribe_token(email: str, kind: str = "group") -> str:
    """A signed token naming an address and a kind, for the one-click unsubscribe link."""
    return _serializer().dumps({"e": _address(email), "k": kind})


def read_unsubscribe_token(token: str) -> tuple[str, str] | None:
    """(address, kind) from a token, or None if it is forged or malformed."""
    try:
        data = _serializer().loads(token)
        email, kind = data["e"], data["k"]
    except (BadSignature, KeyError, TypeError):
        return None
    if not isinstance(email, str) or kind not in OPTIONAL_KINDS:
        return None
    return email, kind
