"""Personal data (RGPD): what the platform holds about a person, and erasing an account.

Erasing keeps what must be kept without the person (applications, reviews, memberships,
participation counts and observatory answers stay; the account row stays as an
anonymous shell so history still adds up) and deletes the rest.
"""

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, or_, select

from coordination.auth import accounts
from coordination.auth.models import (
    AccountAction,
    AccountEvent,
    DigestFrequency,
    LoginToken,
    User,
)
from coordination.extensions import db


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def personal_data(user: User) -> dict:
    """Everything the platform holds about one person, as plain JSON-ready data."""
    from coordination.campaigns.models import Application, application_members
    from coordination.clubs.models import Membership, PartnerContact
    from coordination.notifications.models import OutboxMessage
    from coordination.participants.models import NeedResponse, Registration
    from coordination.stops.privacy import hosted_contacts

    applications = db.session.scalars(
        select(Application)
        .where(
            or_(
                Application.created_by_id == user.id,
                Application.id.in_(
                    select(application_members.c.application_id).where(
                        application_members.c.user_id == user.id
                    )
                ),
            )
        )
        .order_by(Application.id)
    ).all()
    contacts = db.session.scalars(
        select(PartnerContact).where(PartnerContact.user_id == user.id).order_by(PartnerContact.id)
    ).all()
    memberships = db.session.scalars(
        select(Membership)
        .where(Membership.organisation_id.in_([c.organisation_id for c in contacts]))
        .order_by(Membership.id)
    ).all()
    registrations = db.session.scalars(
        select(Registration).where(Registration.email == user.email).order_by(Registration.id)
    ).all()
    responses = db.session.scalars(
        select(NeedResponse)
        .where(NeedResponse.registration_id.in_([r.id for r in registrations]))
        .order_by(NeedResponse.id)
    ).all()
    messages = db.session.scalars(
        select(OutboxMessage)
        .where(or_(OutboxMessage.user_id == user.id, OutboxMessage.to_email == user.email))
        .order_by(OutboxMessage.id)
    ).all()
    territories = {a.territory.id: a.territory.name for a in applications if a.territory}
    return {
        "account": {
            "email": user.email,
            "name": user.name,
            "language": user.locale,
            "active": user.is_active,
            "created_at": _iso(user.created_at),
            "last_sign_in_at": _iso(user.last_sign_in_at),
            "digest": user.digest_frequency,
            "has_password": bool(user.password_hash),
            "erasure_requested_at": _iso(user.erasure_requested_at),
        },
        "roles": sorted(user.roles),
        "applications": [
            {
                "id": a.id,
                "call": a.call.title,
                "territory": a.territory.name if a.territory else None,
                "status": a.status,
                "submitted_at": _iso(a.submitted_at),
                "form": a.form_data,
            }
            for a in applications
        ],
        "territories": sorted(territories.values()),
        "organisations": [
            {"name": c.organisation.name, "approved": c.is_approved} for c in contacts
        ],
        "club_memberships": [
            {
                "club": m.club.name,
                "organisation": m.organisation.name,
                "status": m.status,
                "requested_at": _iso(m.requested_at),
            }
            for m in memberships
        ],
        "registrations": [
            {
                "stop": r.stop.title,
                "first_name": r.first_name,
                "last_name": r.last_name,
                "email": r.email,
                "phone": r.phone,
                "role": r.role,
                "company": r.company_name,
                "registered_at": _iso(r.registered_at),
                "cancelled_at": _iso(r.cancelled_at),
                "checked_in_at": _iso(r.checked_in_at),
            }
            for r in registrations
        ],
        "questionnaire_answers": [
            {
                "stop": a.registration.stop.title,
                "submitted_at": _iso(a.submitted_at),
                "answers": a.answers,
            }
            for a in responses
        ],
        "host_contacts": [
            {"stop": stop.title, **contact} for stop, contact in hosted_contacts(user.email)
        ],
        "messages": [
            {"subject": m.subject, "created_at": _iso(m.created_at), "status": m.status}
            for m in messages
        ],
    }


def request_erasure(user: User, now: datetime) -> bool:
    """Record a person's wish to have their account erased (staff carry it out)."""
    if user.erasure_requested_at is not None or user.erased_at is not None:
        return False
    user.erasure_requested_at = now
    accounts.record(AccountAction.ERASURE_REQUESTED, user, now, actor=user, before=user.roles)
    db.session.flush()
    return True


def erasure_requests_query():
    """Accounts waiting for their erasure, oldest request first."""
    return (
        select(User)
        .where(User.erasure_requested_at.is_not(None), User.erased_at.is_(None))
        .order_by(User.erasure_requested_at, User.id)
    )


def erase_account(user: User, now: datetime, actor: User | None, via: str = accounts.VIA_WEB):
    """Erase a person: anonymise what is kept, delete the rest, and log it."""
    from coordination.calendar.models import FeedToken
    from coordination.campaigns.models import application_members
    from coordination.clubs.models import PartnerContact, club_leads
    from coordination.notifications.models import OutboxMessage
    from coordination.participants.models import Registration
    from coordination.participants.retention import anonymise_registration
    from coordination.participants.services import cancel_registration
    from coordination.stops.privacy import forget_host_contact

    if user.erased_at is not None:
        return False
    if actor is not None and actor.id == user.id:
        raise accounts.AccountError(_l("Another staff member must carry out your erasure."))
    if user.is_active:
        accounts.deactivate(user, now, actor, via)
    old_email, roles = user.email, sorted(user.roles)
    for registration in db.session.scalars(
        select(Registration).where(Registration.email == old_email)
    ).all():
        # Places at stops still to come go to the waiting lists (the CANCEL email is
        # deleted below with the rest of the person's emails).
        if registration.stop.starts_at > now:
            cancel_registration(registration, now)
        anonymise_registration(registration, now)
    forget_host_contact(old_email)
    db.session.execute(
        delete(OutboxMessage).where(
            or_(OutboxMessage.user_id == user.id, OutboxMessage.to_email == old_email)
        )
    )
    for table_delete in (
        delete(LoginToken).where(LoginToken.user_id == user.id),
        delete(FeedToken).where(FeedToken.user_id == user.id),
        delete(PartnerContact).where(PartnerContact.user_id == user.id),
        delete(application_members).where(application_members.c.user_id == user.id),
        delete(club_leads).where(club_leads.c.user_id == user.id),
    ):
        db.session.execute(table_delete)
    db.session.execute(
        AccountEvent.__table__.update()
        .where(AccountEvent.target_id == user.id)
        .values(target_email="")
    )
    user.email = f"erased-{user.id}@erased.invalid"
    user.name = ""
    user.password_hash = None
    user.digest_frequency = DigestFrequency.OFF
    user.role_rows = []
    user.erased_at = now
    db.session.flush()
    accounts.record(AccountAction.ERASED, user, now, actor, via, before=roles)
    db.session.flush()
    return True
