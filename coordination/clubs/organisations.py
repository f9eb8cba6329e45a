"""Partner organisations: SIRET, duplicate detection, contacts and merges."""

import re
from datetime import datetime

from sqlalchemy import select
from stdnum.fr import siret as stdnum_siret

from coordination.auth.models import Role, User
from coordination.auth.services import ensure_user, grant_role
from coordination.clubs.errors import ClubRuleError
from coordination.clubs.models import MembershipStatus, PartnerContact, PartnerOrganisation
from coordination.core.text import search_key
from coordination.core.urls import external_url
from coordination.extensions import db
from coordination.notifications.services import queue_email_to

#: Legal forms and filler words left out when comparing organisation names.
_NAME_NOISE = {"sa", "sas", "sasu", "sarl", "eurl", "sci", "scop", "gie", "the", "la", "le", "l"}


# --- Organisations and SIRET ---------------------------------------------------------------


def clean_siret(value: str | None) -> str | None:
    """Digits only, or None when empty; raise ValueError when not a valid SIRET."""
    digits = re.sub(r"[\s.-]", "", value or "")
    if not digits:
        return None
    if not stdnum_siret.is_valid(digits):
        raise ValueError(digits)
    return digits


def organisation_key(name: str) -> str:
    """Fold an organisation's name for duplicate detection (accents, case, legal forms)."""
    words = [word for word in search_key(name).split() if word not in _NAME_NOISE]
    return " ".join(words)


def find_matching_organisation(name: str, siret: str | None) -> PartnerOrganisation | None:
    """The organisation a registration describes: same SIRET, else same folded name (unless
    that one has another SIRET)."""
    if siret:
        found = db.session.scalar(
            select(PartnerOrganisation).where(PartnerOrganisation.siret == siret)
        )
        if found is not None:
            return found
    key = organisation_key(name)
    if not key:
        return None
    candidates = db.session.scalars(
        select(PartnerOrganisation)
        .where(PartnerOrganisation.search_name == key)
        .order_by(PartnerOrganisation.id)
    )
    for candidate in candidates:
        if not siret or candidate.siret in (None, siret):
            return candidate
    return None


def update_organisation(organisation: PartnerOrganisation, fields: dict) -> None:
    """Write an organisation's editable fields (name, kind, SIRET, website, address…)."""
    for name in ("name", "kind", "siret", "website", "address", "region_code", "interests"):
        if name in fields:
            setattr(organisation, name, fields[name])
    organisation.search_name = organisation_key(organisation.name)
    db.session.flush()


def add_contact(
    organisation: PartnerOrganisation, user: User, now: datetime, is_approved: bool
) -> PartnerContact:
    """Make a user a contact of an organisation (giving them the partner role)."""
    grant_role(user, Role.PARTNER_CONTACT)
    contact = db.session.scalar(
        select(PartnerContact).where(
            PartnerContact.organisation_id == organisation.id, PartnerContact.user_id == user.id
        )
    )
    if contact is None:
        contact = PartnerContact(
            organisation=organisation, user=user, is_approved=is_approved, created_at=now
        )
        db.session.add(contact)
    elif is_approved:
        contact.is_approved = True
    db.session.flush()
    return contact


def add_contact_by_email(
    organisation: PartnerOrganisation, email: str, name: str, added_by: User, now: datetime
) -> PartnerContact:
    """An approved contact adds a colleague: create the account if needed and tell them."""
    user = ensure_user(email, Role.PARTNER_CONTACT, name)
    contact = add_contact(organisation, user, now, is_approved=True)
    queue_email_to(
        user,
        key=f"club-contact-added:{contact.id}",
        template="clubs/contact_added",
        reply_to=added_by.email,
        context={
            "user": user,
            "organisation": organisation,
            "added_by": added_by,
            "sign_in_url": external_url("auth.request_link"),
        },
        now=now,
    )
    return contact


def remove_contact(contact: PartnerContact) -> None:
    """Remove a contact from an organisation; the last approved contact stays."""
    organisation = contact.organisation
    others = [c for c in organisation.contacts if c.id != contact.id and c.is_approved]
    if contact.is_approved and not others:
        raise ClubRuleError("last contact")
    organisation.contacts.remove(contact)
    db.session.flush()


def merge_organisations(keep: PartnerOrganisation, duplicate: PartnerOrganisation) -> None:
    """Fold a duplicate into the organisation kept: contacts, memberships, missing fields."""
    if keep.id == duplicate.id:
        raise ClubRuleError("same organisation")
    for name in ("website", "address", "region_code"):
        if not getattr(keep, name) and getattr(duplicate, name):
            setattr(keep, name, getattr(duplicate, name))
    keep.interests = sorted(set(keep.interests or []) | set(duplicate.interests or []))
    duplicate_siret = duplicate.siret
    kept_users = {c.user_id: c for c in keep.contacts}
    for contact in list(duplicate.contacts):
        if contact.user_id in kept_users:
            kept_users[contact.user_id].is_approved |= contact.is_approved
        else:
            keep.contacts.append(
                PartnerContact(
                    user_id=contact.user_id,
                    is_approved=contact.is_approved,
                    created_at=contact.created_at,
                )
            )
    kept_clubs = {m.club_id: m for m in keep.memberships}
    rank = {
        MembershipStatus.APPROVED: 3,
        MembershipStatus.PENDING: 2,
        MembershipStatus.LEFT: 1,
        MembershipStatus.REJECTED: 0,
    }
    moved = []
    for membership in list(duplicate.memberships):
        existing = kept_clubs.get(membership.club_id)
        if existing is None:
            moved.append(membership)
        elif rank[membership.status] > rank[existing.status]:
            for name in ("status", "requested_by_id", "requested_at", "consented_at"):
                setattr(existing, name, getattr(membership, name))
            existing.decided_at, existing.decided_by_id = (
                membership.decided_at,
                membership.decided_by_id,
            )
            existing.version = max(existing.version, membership.version) + 1
    for membership in moved:
        membership.organisation = keep
    db.session.flush()
    db.session.delete(duplicate)
    db.session.flush()
    if not keep.siret and duplicate_siret:
        keep.siret = duplicate_siret
        db.session.flush()
