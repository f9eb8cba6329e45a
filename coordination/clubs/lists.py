"""Staff lists of the clubs domain: partner organisations, and the memberships of a club."""

import re
from datetime import datetime

from sqlalchemy import Select, select
from sqlalchemy.orm import joinedload, selectinload

from coordination.clubs import services
from coordination.clubs.errors import ClubRuleError
from coordination.clubs.models import (
    Club,
    Membership,
    MembershipStatus,
    PartnerContact,
    PartnerKind,
    PartnerOrganisation,
)
from coordination.core import listing
from coordination.core.text import search_key
from coordination.extensions import db
from coordination.territories.models import Region

_REGION = re.compile(r"[0-9A-Za-z]{1,3}")

PARTNERS = listing.ListSpec(
    sorts=("name", "kind", "region", "created"),
    default_sort="name",
    filters={
        "q": listing.search_text,
        "club": listing.identifier,
        "kind": listing.choice(*(kind.value for kind in PartnerKind)),
        "region": lambda raw: raw if _REGION.fullmatch(raw) else None,
    },
)

_REGION_NAME = (
    select(Region.name).where(Region.code == PartnerOrganisation.region_code).scalar_subquery()
)

_COLUMNS = {
    "name": PartnerOrganisation.search_name,
    "kind": PartnerOrganisation.kind,
    "region": _REGION_NAME,
    "created": PartnerOrganisation.created_at,
}


def _with_details(query: Select) -> Select:
    return query.options(
        selectinload(PartnerOrganisation.contacts).joinedload(PartnerContact.user),
        selectinload(PartnerOrganisation.memberships).joinedload(Membership.club),
        joinedload(PartnerOrganisation.region),
    )


def partners_query(state: listing.ListState) -> Select:
    """Organisations as the state filters and sorts them, contacts and clubs loaded."""
    query = _with_details(select(PartnerOrganisation))
    filters = state.filters
    key = search_key(filters.get("q", ""))
    if key:
        query = query.where(PartnerOrganisation.search_name.contains(key, autoescape=True))
    if "club" in filters:
        member = select(Membership.id).where(
            Membership.organisation_id == PartnerOrganisation.id,
            Membership.club_id == filters["club"],
            Membership.status == MembershipStatus.APPROVED,
        )
        query = query.where(member.exists())
    if "kind" in filters:
        query = query.where(PartnerOrganisation.kind == filters["kind"])
    if "region" in filters:
        query = query.where(PartnerOrganisation.region_code == filters["region"])
    column = _COLUMNS[state.sort]
    order = column.desc() if state.descending else column.asc()
    first = [PartnerOrganisation.region_code.is_(None)] if state.sort == "region" else []
    return query.order_by(*first, order, PartnerOrganisation.search_name, PartnerOrganisation.id)


def partners_by_ids(ids: list[int]) -> list[PartnerOrganisation]:
    """The chosen organisations with contacts and clubs, by name (unknown ids skipped)."""
    query = _with_details(select(PartnerOrganisation).where(PartnerOrganisation.id.in_(ids)))
    order = query.order_by(PartnerOrganisation.search_name, PartnerOrganisation.id)
    return list(db.session.scalars(order).unique())


def club_choices() -> list[tuple[int, str]]:
    """(id, name) of every club, for the club filter."""
    return list(db.session.execute(select(Club.id, Club.name).order_by(Club.name, Club.id)))


MEMBERS = listing.ListSpec(
    sorts=("organisation", "status", "requested", "decided"),
    default_sort="organisation",
    filters={
        "q": listing.search_text,
        "status": listing.choice(*(status.value for status in MembershipStatus)),
        "kind": listing.choice(*(kind.value for kind in PartnerKind)),
    },
)

_MEMBER_COLUMNS = {
    "organisation": PartnerOrganisation.search_name,
    "status": Membership.status,
    "requested": Membership.requested_at,
    "decided": Membership.decided_at,
}


def members_query(club_id: int, state: listing.ListState) -> Select:
    """A club's memberships (every status) as the state filters and sorts them."""
    query = (
        select(Membership)
        .join(Membership.organisation)
        .where(Membership.club_id == club_id)
        .options(
            joinedload(Membership.organisation)
            .selectinload(PartnerOrganisation.contacts)
            .joinedload(PartnerContact.user),
        )
    )
    filters = state.filters
    key = search_key(filters.get("q", ""))
    if key:
        query = query.where(PartnerOrganisation.search_name.contains(key, autoescape=True))
    if "status" in filters:
        query = query.where(Membership.status == filters["status"])
    if "kind" in filters:
        query = query.where(PartnerOrganisation.kind == filters["kind"])
    column = _MEMBER_COLUMNS[state.sort]
    order = column.desc() if state.descending else column.asc()
    first = [Membership.decided_at.is_(None)] if state.sort == "decided" else []
    return query.order_by(*first, order, PartnerOrganisation.search_name, Membership.id)


def end_memberships(club_id: int, ids: list[int], now: datetime) -> tuple[int, int]:
    """End the chosen memberships of one club (members or waiting): (ended, left as they were)."""
    memberships = db.session.scalars(
        select(Membership).where(Membership.id.in_(ids), Membership.club_id == club_id)
    )
    ended = 0
    for membership in memberships:
        try:
            services.leave_club(membership, now)
        except ClubRuleError:
            continue
        ended += 1
    return ended, len(ids) - ended
