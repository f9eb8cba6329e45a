"""Clubs: registration with email confirmation, decisions, self-service and meetings."""

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import select, update

from coordination.auth.models import Role, User
from coordination.auth.services import ensure_user
from coordination.clubs.errors import ClubRuleError
from coordination.clubs.models import (
    Club,
    ClubMeeting,
    Membership,
    MembershipStatus,
    PartnerContact,
    PartnerOrganisation,
    Registration,
)
from coordination.clubs.organisations import (
    add_contact,
    find_matching_organisation,
    update_organisation,
)
from coordination.core.signals import meeting_changed
from coordination.core.urls import external_url
from coordination.extensions import db
from coordination.notifications.services import queue_email, queue_email_to
from coordination.territories.models import Territory

#: How long a registration's confirmation link works.
REGISTRATION_MAX_AGE = timedelta(days=3)


# --- Clubs -------------------------------------------------------------------------------


def save_club(club: Club | None, fields: dict) -> Club:
    """Create or update a club with its territories and leads (staff)."""
    if club is None:
        club = Club()
        db.session.add(club)
    club.name = fields["name"]
    club.slug = fields["slug"]
    club.description = fields.get("description", "")
    club.is_open = fields.get("is_open", True)
    club.territories = list(
        db.session.scalars(select(Territory).where(Territory.id.in_(fields["territory_ids"])))
    )
    club.leads = list(fields["leads"])
    db.session.flush()
    return club


def can_manage_club(user, club: Club) -> bool:
    """Staff manage every club; a lead manages only their own."""
    if not getattr(user, "is_authenticated", False):
        return False
    return user.has_role(Role.STAFF) or any(lead.id == user.id for lead in club.leads)


def is_club_member(user, club: Club) -> bool:
    """Whether a user is an approved contact of an approved member of the club, a lead or
    staff: who may see what is for members only (a meeting's online link)."""
    if can_manage_club(user, club):
        return True
    if not getattr(user, "is_authenticated", False):
        return False
    return (
        db.session.scalar(
            select(Membership.id)
            .join(PartnerContact, PartnerContact.organisation_id == Membership.organisation_id)
            .where(
                Membership.club_id == club.id,
                Membership.status == MembershipStatus.APPROVED,
                PartnerContact.user_id == user.id,
                PartnerContact.is_approved.is_(True),
            )
            .limit(1)
        )
        is not None
    )


def is_approved_contact(user, organisation: PartnerOrganisation) -> bool:
    """Whether a user may manage an organisation (approved contact) — staff always may."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.has_role(Role.STAFF):
        return True
    return any(c.user_id == user.id and c.is_approved for c in organisation.contacts)


# --- Registration ------------------------------------------------------------------------


def _hash_token(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def start_registration(payload: dict, email: str, locale: str, now: datetime) -> str:
    """Keep a registration and queue the email whose one-time link confirms it; return the URL."""
    secret = secrets.token_urlsafe(32)
    registration = Registration(
        token_hash=_hash_token(secret),
        email=email.strip().lower(),
        locale=locale,
        payload=payload,
        created_at=now,
        expires_at=now + REGISTRATION_MAX_AGE,
    )
    db.session.add(registration)
    db.session.flush()
    url = external_url("clubs.confirm_registration", token=secret)
    clubs = db.session.scalars(
        select(Club).where(Club.id.in_(payload["club_ids"])).order_by(Club.name)
    ).all()
    queue_email(
        key=f"club-registration:{registration.id}",
        template="clubs/confirm_registration",
        to_email=registration.email,
        to_name=payload["contact_name"],
        locale=locale,
        context={
            "name": payload["contact_name"],
            "organisation_name": payload["organisation"]["name"],
            "clubs": clubs,
            "url": url,
            "days": REGISTRATION_MAX_AGE.days,
        },
        now=now,
    )
    return url


def find_pending_registration(secret: str, now: datetime) -> Registration | None:
    """The unconfirmed, unexpired registration of a link secret, else None."""
    registration = db.session.scalar(
        select(Registration).where(Registration.token_hash == _hash_token(secret))
    )
    if registration is None or registration.confirmed_at is not None:
        return None
    if registration.expires_at <= now:
        return None
    return registration


def confirm_registration(secret: str, now: datetime) -> list[Membership] | None:
    """Spend a confirmation link once: create the account, organisation and requests.

    Returns the requests now waiting for staff (possibly none), or None for a link that is
    unknown, expired or already used.
    """
    registration = find_pending_registration(secret, now)
    if registration is None:
        return None
    # A conditional update, so two clicks racing each other confirm only once.
    spent = db.session.execute(
        update(Registration)
        .where(Registration.id == registration.id, Registration.confirmed_at.is_(None))
        .values(confirmed_at=now)
        .execution_options(synchronize_session=False)
    )
    if spent.rowcount != 1:
        return None
    db.session.refresh(registration)
    data = registration.payload
    user = ensure_user(
        registration.email, Role.PARTNER_CONTACT, data["contact_name"], registration.locale
    )
    fields = data["organisation"]
    organisation = find_matching_organisation(fields["name"], fields.get("siret"))
    if organisation is None:
        organisation = PartnerOrganisation(interests=[])
        db.session.add(organisation)
        update_organisation(organisation, fields | {"interests": data.get("interests", [])})
    else:
        organisation.interests = sorted(
            set(organisation.interests or []) | set(data.get("interests", []))
        )
        if not organisation.siret and fields.get("siret"):
            organisation.siret = fields["siret"]
    add_contact(organisation, user, now, is_approved=False)
    clubs = db.session.scalars(
        select(Club).where(Club.id.in_(data["club_ids"]), Club.is_open.is_(True))
    ).all()
    return [request_membership(club, organisation, user, now) for club in clubs]


def request_membership(
    club: Club, organisation: PartnerOrganisation, user: User, now: datetime
) -> Membership:
    """Ask for an organisation to join a club; a rejected or left membership is reopened."""
    membership = db.session.scalar(
        select(Membership).where(
            Membership.club_id == club.id, Membership.organisation_id == organisation.id
        )
    )
    if membership is None:
        membership = Membership(
            club=club,
            organisation=organisation,
            status=MembershipStatus.PENDING,
            version=1,
            requested_by=user,
            requested_at=now,
            consented_at=now,
        )
        db.session.add(membership)
    elif membership.status in (MembershipStatus.REJECTED, MembershipStatus.LEFT):
        membership.status = MembershipStatus.PENDING
        membership.version += 1
        membership.requested_by = user
        membership.requested_at = membership.consented_at = now
        membership.decided_at = membership.decided_by_id = membership.left_at = None
        membership.rejection_reason = ""
    db.session.flush()
    return membership


def purge_expired_registrations(now: datetime) -> int:
    """Delete registrations never confirmed whose link expired (the consent wording says so)."""
    rows = db.session.scalars(
        select(Registration).where(
            Registration.confirmed_at.is_(None), Registration.expires_at <= now
        )
    ).all()
    for row in rows:
        db.session.delete(row)
    db.session.flush()
    return len(rows)


# --- Decisions ---------------------------------------------------------------------------


def _decide(
    membership: Membership, version: int, status: str, decider: User, now: datetime
) -> None:
    # The version in the WHERE makes an old or replayed form a no-op, even under a race.
    changed = db.session.execute(
        update(Membership)
        .where(
            Membership.id == membership.id,
            Membership.version == version,
            Membership.status == MembershipStatus.PENDING,
        )
        .values(status=status, version=Membership.version + 1, decided_at=now)
        .execution_options(synchronize_session=False)
    )
    if changed.rowcount != 1:
        db.session.refresh(membership)
        raise ClubRuleError("stale")
    db.session.refresh(membership)
    membership.decided_by = decider


def _tell_requester(membership: Membership, decider: User, now: datetime, **context) -> None:
    """The decision email to whoever asked; Reply-To is the person who decided."""
    recipient = membership.requested_by
    if recipient is None:
        return
    queue_email_to(
        recipient,
        key=f"club-membership:{membership.id}:v{membership.version}:{membership.status}",
        template=f"clubs/membership_{membership.status}",
        reply_to=decider.email,
        context={
            "user": recipient,
            "membership": membership,
            "club": membership.club,
            "organisation": membership.organisation,
            **context,
        },
        now=now,
    )


def approve_membership(membership: Membership, version: int, decider: User, now: datetime) -> None:
    """Approve a waiting request shown at `version`; the contact gets the welcome email."""
    _decide(membership, version, MembershipStatus.APPROVED, decider, now)
    contact = _requesting_contact(membership)
    already_managed = any(
        c.is_approved for c in membership.organisation.contacts if c is not contact
    )
    # Anyone can type an existing organisation's name: approving their club request must
    # not hand them an organisation that already has approved contacts (they can add them).
    if contact is not None and not already_managed:
        contact.is_approved = True
    _tell_requester(membership, decider, now, **welcome_links(membership))
    db.session.flush()


def welcome_links(membership: Membership) -> dict:
    """The links of the welcome email: the club's page, the partner space, sign-in."""
    return {
        "club_url": external_url("clubs.club_page", slug=membership.club.slug),
        "partner_url": external_url("clubs.my_partner"),
        "sign_in_url": external_url("auth.request_link"),
    }


def reject_membership(
    membership: Membership, version: int, reason: str, decider: User, now: datetime
) -> None:
    """Reject a waiting request shown at `version`, with a reason the contact receives."""
    _decide(membership, version, MembershipStatus.REJECTED, decider, now)
    membership.rejection_reason = reason
    _tell_requester(membership, decider, now, reason=reason)
    db.session.flush()


def _requesting_contact(membership: Membership) -> PartnerContact | None:
    return db.session.scalar(
        select(PartnerContact).where(
            PartnerContact.organisation_id == membership.organisation_id,
            PartnerContact.user_id == membership.requested_by_id,
        )
    )


def leave_club(membership: Membership, now: datetime) -> None:
    """An organisation leaves a club it belongs to (or withdraws its waiting request)."""
    if membership.status not in (MembershipStatus.APPROVED, MembershipStatus.PENDING):
        raise ClubRuleError("not a member")
    membership.status = MembershipStatus.LEFT
    membership.version += 1
    membership.left_at = now
    db.session.flush()


# --- Meetings ----------------------------------------------------------------------------

#: The fields a calendar shows: a change to any of them raises the sequence.
CALENDAR_FIELDS = ("title", "starts_at", "ends_at", "place", "online_url", "agenda", "status")


def save_meeting(
    club: Club, meeting: ClubMeeting | None, fields: dict, now: datetime
) -> ClubMeeting:
    """Create or change a club meeting; every change a calendar shows raises its sequence."""
    if fields["ends_at"] <= fields["starts_at"]:
        raise ClubRuleError("ends before start")
    if meeting is None:
        meeting = ClubMeeting(club=club, sequence=0, created_at=now, updated_at=now, **fields)
        db.session.add(meeting)
        db.session.flush()
        announce_meeting_change(meeting, now)
        return meeting
    changed = [name for name in CALENDAR_FIELDS if getattr(meeting, name) != fields[name]]
    if not changed:
        return meeting
    for name in changed:
        setattr(meeting, name, fields[name])
    meeting.sequence += 1
    meeting.updated_at = now
    db.session.flush()
    announce_meeting_change(meeting, now)
    return meeting


def announce_meeting_change(meeting: ClubMeeting, now: datetime) -> None:
    """Tell the rest of the platform a meeting was created or changed (same transaction).

    The calendar answers with invitations (REQUEST, or CANCEL for a cancelled meeting)
    keyed on meeting.uid and meeting.sequence, so a re-run sends nothing twice.
    """
    meeting_changed.send(meeting, now=now)
