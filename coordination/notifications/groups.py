"""Messages from staff to a group: who is in the group, the preview, the sending."""

from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from coordination.auth.models import User
from coordination.campaigns.models import Application, Call, Edition, application_members
from coordination.clubs.models import (
    Club,
    Membership,
    MembershipStatus,
    PartnerContact,
    club_territories,
)
from coordination.core.urls import external_url
from coordination.extensions import db
from coordination.notifications.models import GroupMessage
from coordination.notifications.preferences import unsubscribe_token, who_wants
from coordination.notifications.rendering import RenderedEmail, render_email
from coordination.notifications.services import queue_email
from coordination.participants.models import HOLDING, Registration, Seat, Workshop
from coordination.stops.models import Stop

TEMPLATE = "notifications/group"
GROUP_KINDS = {
    "stop": _l("Participants of a stop"),
    "call": _l("Applicants of a call"),
    "club": _l("Members of a club"),
    "hosts": _l("Hosts of an edition"),
    "partners": _l("Partners of an edition"),
}
#: Application filters for "call": a status, or a decision once taken.
CALL_FILTERS = ("draft", "submitted", "withdrawn", "accepted", "waitlisted", "rejected")
PRESENCE = ("present", "absent")


class GroupError(ValueError):
    """The group named does not exist (a stale or hand-made form)."""


@dataclass(frozen=True)
class Recipient:
    email: str
    name: str
    locale: str
    user_id: int | None = None


def recipients(kind: str, params: dict) -> list[Recipient]:
    """Everyone in a group, once per address, sorted by address."""
    finder = {
        "stop": _stop_participants,
        "call": _call_applicants,
        "club": _club_members,
        "hosts": _edition_hosts,
        "partners": _edition_partners,
    }.get(kind)
    if finder is None:
        raise GroupError(kind)
    people: dict[str, Recipient] = {}
    for person in finder(params):
        email = (person.email or "").strip().lower()
        if email and email not in people:
            people[email] = Recipient(email, person.name, person.locale or "fr", person.user_id)
    return [people[e] for e in sorted(people)]


def _get(model, params: dict, name: str):
    row = db.session.get(model, params.get(name) or 0)
    if row is None:
        raise GroupError(name)
    return row


def _stop_participants(params: dict):
    stop = _get(Stop, params, "stop_id")
    query = select(Registration).where(
        Registration.stop_id == stop.id,
        Registration.cancelled_at.is_(None),
        Registration.anonymised_at.is_(None),
    )
    if params.get("workshop_id"):
        workshop = _get(Workshop, params, "workshop_id")
        if workshop.stop_id != stop.id:
            raise GroupError("workshop_id")
        query = query.where(
            Registration.id.in_(
                select(Seat.registration_id).where(
                    Seat.workshop_id == workshop.id, Seat.status.in_(HOLDING)
                )
            )
        )
    if params.get("presence") == "present":
        query = query.where(Registration.checked_in_at.is_not(None))
    elif params.get("presence") == "absent":
        query = query.where(Registration.checked_in_at.is_(None))
    for registration in db.session.scalars(query):
        yield Recipient(registration.email, registration.name, registration.locale)


def _users(query):
    for user in db.session.scalars(query):
        if user.is_active and user.erased_at is None:
            yield Recipient(user.email, user.name, user.locale, user.id)


def _call_applicants(params: dict):
    call = _get(Call, params, "call_id")
    query = (
        select(User)
        .join(application_members, application_members.c.user_id == User.id)
        .join(Application, Application.id == application_members.c.application_id)
        .where(Application.call_id == call.id)
    )
    status = params.get("status") or ""
    if status in ("draft", "submitted", "withdrawn"):
        query = query.where(Application.status == status)
    elif status in ("accepted", "waitlisted", "rejected"):
        query = query.where(Application.decision == status)
    return _users(query.distinct())


def _approved_contacts(membership_filter):
    return _users(
        select(User)
        .join(PartnerContact, PartnerContact.user_id == User.id)
        .join(Membership, Membership.organisation_id == PartnerContact.organisation_id)
        .where(
            PartnerContact.is_approved.is_(True),
            Membership.status == MembershipStatus.APPROVED,
            membership_filter,
        )
        .distinct()
    )


def _club_members(params: dict):
    club = _get(Club, params, "club_id")
    return _approved_contacts(Membership.club_id == club.id)


def _edition_partners(params: dict):
    """Contacts of organisations in a club that covers one of the edition's territories."""
    edition = _get(Edition, params, "edition_id")
    clubs = select(club_territories.c.club_id).where(
        club_territories.c.territory_id.in_(
            select(Stop.territory_id).where(Stop.edition_id == edition.id)
        )
    )
    return _approved_contacts(Membership.club_id.in_(clubs))


def _edition_hosts(params: dict):
    edition = _get(Edition, params, "edition_id")
    stops = db.session.scalars(select(Stop).where(Stop.edition_id == edition.id)).all()
    emails = {email for stop in stops for email in stop.host_emails}
    users = {u.email: u for u in db.session.scalars(select(User).where(User.email.in_(emails)))}
    for stop in stops:
        for contact in stop.host_contacts or []:
            email = (contact.get("email") or "").strip().lower()
            if not email:
                continue
            user = users.get(email)
            yield Recipient(
                email,
                contact.get("name") or (user.name if user else ""),
                user.locale if user else "fr",
                user.id if user else None,
            )


def group_label(kind: str, params: dict) -> str:
    """The group in words, as staff chose it ("Participants of a stop — Pithiviers")."""
    names = {
        "stop": (Stop, "stop_id", "title"),
        "call": (Call, "call_id", "title"),
        "club": (Club, "club_id", "name"),
        "hosts": (Edition, "edition_id", "name"),
        "partners": (Edition, "edition_id", "name"),
    }
    model, key, attribute = names[kind]
    label = f"{GROUP_KINDS[kind]} — {getattr(_get(model, params, key), attribute)}"
    if kind == "stop" and params.get("workshop_id"):
        label += f" — {_get(Workshop, params, 'workshop_id').title}"
    if kind == "stop" and params.get("presence") in PRESENCE:
        label += " — " + (_("present") if params["presence"] == "present" else _("absent"))
    if kind == "call" and params.get("status"):
        label += f" — {params['status']}"
    return label[:300]


def _wording(message: GroupMessage, locale: str) -> tuple[str, str]:
    if locale == "en" and message.subject_en.strip() and message.body_en.strip():
        return message.subject_en, message.body_en
    return message.subject, message.body


def unsubscribe_headers(email: str) -> dict[str, str]:
    """List-Unsubscribe (mailto and one-click https) and List-Unsubscribe-Post (RFC 8058)."""
    token = unsubscribe_token(email, "group")
    url = external_url("notifications_public.unsubscribe", token=token)
    mailto = f"mailto:{current_app.config['MAIL_FROM']}?subject=unsubscribe"
    return {
        "List-Unsubscribe": f"<{mailto}>, <{url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def _context(message: GroupMessage, recipient: Recipient) -> dict:
    subject, body = _wording(message, recipient.locale)
    paragraphs = [p.splitlines() for p in body.replace("\r\n", "\n").split("\n\n") if p.strip()]
    return {
        "group_subject": subject,
        "body": body.strip(),
        "paragraphs": paragraphs,
        "recipient": recipient,
        "unsubscribe_url": external_url(
            "notifications_public.unsubscribe", token=unsubscribe_token(recipient.email)
        ),
    }


def preview(message: GroupMessage, recipient: Recipient) -> RenderedEmail:
    """The message as one recipient will read it, in their language."""
    return render_email(TEMPLATE, recipient.locale, _context(message, recipient))


def draft(kind: str, params: dict, subject: str, body: str, **english) -> GroupMessage:
    """An unsaved group message, for the preview (raises GroupError for an unknown group)."""
    return GroupMessage(
        group_kind=kind,
        group_params=params,
        group_label=group_label(kind, params),
        subject=subject.strip(),
        body=body.strip(),
        subject_en=(english.get("subject_en") or "").strip(),
        body_en=(english.get("body_en") or "").strip(),
    )


def send(message: GroupMessage, sender: User, now: datetime) -> GroupMessage:
    """Record the message and queue one outbox message per person who accepts it (no commit)."""
    people = recipients(message.group_kind, message.group_params)
    accepting = who_wants([p.email for p in people], "group")
    message.sender_id = sender.id
    message.created_at = message.sent_at = now
    db.session.add(message)
    db.session.flush()
    count = 0
    for person in people:
        if person.email not in accepting:
            continue
        queued = queue_email(
            key=f"group:{message.id}:{person.email}",
            template=TEMPLATE,
            to_email=person.email,
            to_name=person.name,
            locale=person.locale,
            user_id=person.user_id,
            reply_to=sender.email,
            context=_context(message, person),
            headers=unsubscribe_headers(person.email),
            now=now,
        )
        count += queued is not None
    message.recipient_count = count
    return message


def sent_messages(limit: int = 50) -> list[GroupMessage]:
    """The latest group messages, newest first."""
    return db.session.scalars(
        select(GroupMessage).order_by(GroupMessage.id.desc()).limit(limit)
    ).all()


def group_choices() -> dict[str, list[tuple[str, str]]]:
    """Every group staff can write to, by kind, as (value, label) pairs ("stop:12")."""
    stops = db.session.scalars(select(Stop).order_by(Stop.starts_at.desc()).limit(500)).all()
    calls = db.session.scalars(select(Call).order_by(Call.opens_at.desc()).limit(200)).all()
    clubs = db.session.scalars(select(Club).order_by(Club.name).limit(200)).all()
    editions = db.session.scalars(select(Edition).order_by(Edition.id.desc()).limit(50)).all()
    return {
        str(GROUP_KINDS["stop"]): [(f"stop:{s.id}", s.title) for s in stops],
        str(GROUP_KINDS["call"]): [(f"call:{c.id}", c.title) for c in calls],
        str(GROUP_KINDS["club"]): [(f"club:{c.id}", c.name) for c in clubs],
        str(GROUP_KINDS["hosts"]): [(f"hosts:{e.id}", e.name) for e in editions],
        str(GROUP_KINDS["partners"]): [(f"partners:{e.id}", e.name) for e in editions],
    }


def parse_group(value: str, workshop_id: int = 0, presence: str = "", status: str = ""):
    """(kind, params) from the form's group value and filters; GroupError if unknown."""
    kind, _, raw_id = (value or "").partition(":")
    if kind not in GROUP_KINDS or not raw_id.isdigit() or len(raw_id) > 9:
        raise GroupError(value)
    key = {"stop": "stop_id", "call": "call_id", "club": "club_id"}.get(kind, "edition_id")
    params = {key: int(raw_id)}
    if kind == "stop":
        if workshop_id:
            params["workshop_id"] = workshop_id
        if presence in PRESENCE:
            params["presence"] = presence
    if kind == "call" and status in CALL_FILTERS:
        params["status"] = status
    return kind, params


def workshops_of(stop_id: int) -> list[Workshop]:
    """The workshops of a stop, in programme order."""
    return db.session.scalars(
        select(Workshop).where(Workshop.stop_id == stop_id).order_by(Workshop.position)
    ).all()
