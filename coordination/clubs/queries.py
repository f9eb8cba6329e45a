"""Reused reads about clubs, partners, requests and meetings."""

from datetime import datetime

from sqlalchemy import exists, func, select
from sqlalchemy.orm import joinedload, selectinload

from coordination.auth.models import Role, User
from coordination.clubs.models import (
    Club,
    ClubMeeting,
    Membership,
    MembershipStatus,
    PartnerContact,
    PartnerOrganisation,
    club_leads,
    club_territories,
)
from coordination.core.text import search_key
from coordination.extensions import db
from coordination.territories.models import Territory
from coordination.territories.queries import search_territories


def find_clubs(text: str = "", region_code: str = "", only_open: bool = False) -> list[Club]:
    """Clubs with their territories and leads, filtered by territory, commune, département
    (the text) and région."""
    query = select(Club).options(
        selectinload(Club.territories).selectinload(Territory.region),
        selectinload(Club.leads),
    )
    if text:
        territory_ids = [t.id for t in search_territories(text, limit=None)]
        query = query.where(
            Club.id.in_(
                select(club_territories.c.club_id).where(
                    club_territories.c.territory_id.in_(territory_ids)
                )
            )
        )
    if region_code:
        query = query.where(
            Club.id.in_(
                select(club_territories.c.club_id)
                .join(Territory, Territory.id == club_territories.c.territory_id)
                .where(Territory.region_code == region_code)
            )
        )
    if only_open:
        query = query.where(Club.is_open.is_(True))
    return list(db.session.scalars(query.order_by(Club.name, Club.id)))


def club_by_slug(slug: str) -> Club | None:
    """A club by its address, with territories and leads."""
    return db.session.scalar(
        select(Club)
        .where(Club.slug == slug)
        .options(selectinload(Club.territories), selectinload(Club.leads))
    )


def slug_in_use(slug: str, except_club_id: int | None = None) -> bool:
    """Whether another club already has this address."""
    query = select(Club.id).where(Club.slug == slug)
    if except_club_id is not None:
        query = query.where(Club.id != except_club_id)
    return db.session.scalar(query.limit(1)) is not None


def club_members(club_id: int) -> list[Membership]:
    """Approved memberships of a club with their organisations and contacts, by name."""
    return list(
        db.session.scalars(
            select(Membership)
            .join(Membership.organisation)
            .where(Membership.club_id == club_id, Membership.status == MembershipStatus.APPROVED)
            .options(
                joinedload(Membership.organisation)
                .selectinload(PartnerOrganisation.contacts)
                .joinedload(PartnerContact.user),
                joinedload(Membership.organisation).joinedload(PartnerOrganisation.region),
            )
            .order_by(PartnerOrganisation.search_name, PartnerOrganisation.id)
        ).unique()
    )


def coming_meetings(club_id: int, now: datetime) -> list[ClubMeeting]:
    """Meetings of a club not yet over, soonest first (cancelled ones too: people look)."""
    return list(
        db.session.scalars(
            select(ClubMeeting)
            .where(ClubMeeting.club_id == club_id, ClubMeeting.ends_at > now)
            .order_by(ClubMeeting.starts_at, ClubMeeting.id)
        )
    )


def pending_requests(user: User | None = None) -> list[Membership]:
    """Waiting requests, oldest first; only those of the user's clubs unless staff."""
    query = (
        select(Membership)
        .where(Membership.status == MembershipStatus.PENDING)
        .options(
            joinedload(Membership.club),
            joinedload(Membership.organisation).joinedload(PartnerOrganisation.region),
            joinedload(Membership.requested_by),
        )
        .order_by(Membership.requested_at, Membership.id)
    )
    if user is not None and not user.has_role(Role.STAFF):
        query = query.where(
            exists().where(
                club_leads.c.club_id == Membership.club_id, club_leads.c.user_id == user.id
            )
        )
    return list(db.session.scalars(query))


def led_clubs(user: User) -> list[Club]:
    """The clubs a user leads."""
    return list(
        db.session.scalars(
            select(Club)
            .join(club_leads, club_leads.c.club_id == Club.id)
            .where(club_leads.c.user_id == user.id)
            .order_by(Club.name)
        )
    )


def all_partners(text: str = "") -> list[PartnerOrganisation]:
    """Every partner organisation with contacts, memberships and clubs, by name."""
    query = select(PartnerOrganisation).options(
        selectinload(PartnerOrganisation.contacts).joinedload(PartnerContact.user),
        selectinload(PartnerOrganisation.memberships).joinedload(Membership.club),
        joinedload(PartnerOrganisation.region),
    )
    key = search_key(text)
    if key:
        query = query.where(PartnerOrganisation.search_name.contains(key))
    return list(
        db.session.scalars(
            query.order_by(PartnerOrganisation.search_name, PartnerOrganisation.id)
        ).unique()
    )


def duplicate_name_keys() -> set[str]:
    """Folded names shared by more than one organisation (likely duplicates to merge)."""
    return set(
        db.session.scalars(
            select(PartnerOrganisation.search_name)
            .group_by(PartnerOrganisation.search_name)
            .having(func.count() > 1)
        )
    )


def organisations_of(user: User) -> list[PartnerOrganisation]:
    """The organisations a user is a contact of, with their memberships and contacts."""
    return list(
        db.session.scalars(
            select(PartnerOrganisation)
            .join(PartnerContact, PartnerContact.organisation_id == PartnerOrganisation.id)
            .where(PartnerContact.user_id == user.id)
            .options(
                selectinload(PartnerOrganisation.memberships).joinedload(Membership.club),
                selectinload(PartnerOrganisation.contacts).joinedload(PartnerContact.user),
            )
            .order_by(PartnerOrganisation.search_name)
        ).unique()
    )


def pending_request_count() -> int:
    """How many membership requests wait for an answer (all clubs)."""
    return db.session.scalar(
        select(func.count(Membership.id)).where(Membership.status == MembershipStatus.PENDING)
    )


def next_meetings(club_ids: list[int], now: datetime, limit: int = 10) -> list[ClubMeeting]:
    """The next meetings (not over) of a few clubs, soonest first, with their club."""
    if not club_ids:
        return []
    return list(
        db.session.scalars(
            select(ClubMeeting)
            .where(ClubMeeting.club_id.in_(club_ids), ClubMeeting.ends_at > now)
            .options(joinedload(ClubMeeting.club))
            .order_by(ClubMeeting.starts_at, ClubMeeting.id)
            .limit(limit)
        )
    )
