"""Reads of open programmes: the staff list of proposals, an organiser's events, calls."""

from datetime import datetime

from sqlalchemy import Select, func, select
from sqlalchemy.orm import joinedload, selectinload

from coordination.campaigns.models import Edition, EditionKind
from coordination.clubs.models import PartnerContact, PartnerOrganisation
from coordination.core import listing
from coordination.extensions import db
from coordination.programmes.models import (
    EventCall,
    EventFormat,
    EventStatus,
    ProgrammeEvent,
    event_organisers,
)
from coordination.territories.models import Commune

EVENTS = listing.ListSpec(
    sorts=("starts", "title", "status", "format", "commune", "submitted"),
    default_sort="starts",
    filters={
        "q": listing.search_text,
        "status": listing.choice(*(s.value for s in EventStatus)),
        "format": listing.choice(*(f.value for f in EventFormat)),
        "commune": lambda raw: raw if raw.isalnum() and len(raw) == 5 else None,
    },
    page_size=30,
)

_COMMUNE_NAME = (
    select(Commune.search_name)
    .where(Commune.insee_code == ProgrammeEvent.commune_insee)
    .scalar_subquery()
)
_COLUMNS = {
    "starts": ProgrammeEvent.starts_at,
    "title": func.lower(ProgrammeEvent.title),
    "status": ProgrammeEvent.status,
    "format": ProgrammeEvent.format,
    "commune": _COMMUNE_NAME,
    "submitted": ProgrammeEvent.submitted_at,
}


def organises_stop(user_id: int, stop_id: int) -> bool:
    """Whether the user is an approved contact of an organiser of the stop's event."""
    return (
        db.session.scalar(
            select(PartnerContact.id)
            .join(
                event_organisers,
                event_organisers.c.organisation_id == PartnerContact.organisation_id,
            )
            .join(ProgrammeEvent, ProgrammeEvent.id == event_organisers.c.event_id)
            .where(
                ProgrammeEvent.stop_id == stop_id,
                PartnerContact.user_id == user_id,
                PartnerContact.is_approved.is_(True),
            )
            .limit(1)
        )
        is not None
    )


def _with_details(query: Select) -> Select:
    return query.options(
        selectinload(ProgrammeEvent.organisers),
        joinedload(ProgrammeEvent.commune),
    )


def events_query(edition: Edition, state: listing.ListState) -> Select:
    """The edition's proposed events as the state filters and sorts them (drafts aside:
    staff see an event once it is submitted)."""
    query = _with_details(
        select(ProgrammeEvent).where(
            ProgrammeEvent.edition_id == edition.id, ProgrammeEvent.status != EventStatus.DRAFT
        )
    )
    filters = state.filters
    if "q" in filters:
        query = query.where(func.lower(ProgrammeEvent.title).contains(filters["q"].lower()))
    if "status" in filters:
        query = query.where(ProgrammeEvent.status == filters["status"])
    if "format" in filters:
        query = query.where(ProgrammeEvent.format == filters["format"])
    if "commune" in filters:
        query = query.where(ProgrammeEvent.commune_insee == filters["commune"])
    column = _COLUMNS[state.sort]
    order = column.desc() if state.descending else column.asc()
    return query.order_by(order.nulls_last(), ProgrammeEvent.id)


def status_counts(edition: Edition) -> dict[str, int]:
    """{status: events} of an edition."""
    rows = db.session.execute(
        select(ProgrammeEvent.status, func.count())
        .where(ProgrammeEvent.edition_id == edition.id)
        .group_by(ProgrammeEvent.status)
    )
    return {status: count for status, count in rows}


def commune_choices(edition: Edition) -> list[tuple[str, str]]:
    """(INSEE code, name) of the communes the edition's proposed events are in."""
    rows = db.session.execute(
        select(Commune.insee_code, Commune.name)
        .join(ProgrammeEvent, ProgrammeEvent.commune_insee == Commune.insee_code)
        .where(ProgrammeEvent.edition_id == edition.id)
        .distinct()
        .order_by(Commune.name)
    )
    return [(code, name) for code, name in rows]


def my_events(user) -> list[ProgrammeEvent]:
    """The events of the organisations the user is an approved contact of, by date."""
    organisation_ids = select(PartnerContact.organisation_id).where(
        PartnerContact.user_id == user.id, PartnerContact.is_approved.is_(True)
    )
    event_ids = select(event_organisers.c.event_id).where(
        event_organisers.c.organisation_id.in_(organisation_ids)
    )
    return list(
        db.session.scalars(
            _with_details(select(ProgrammeEvent).where(ProgrammeEvent.id.in_(event_ids)))
            .options(joinedload(ProgrammeEvent.edition), joinedload(ProgrammeEvent.stop))
            .order_by(ProgrammeEvent.starts_at, ProgrammeEvent.id)
        ).unique()
    )


def open_calls(now: datetime) -> list[EventCall]:
    """Calls for events open now (weeks of innovation), the nearest deadline first."""
    return list(
        db.session.scalars(
            select(EventCall)
            .join(Edition, Edition.id == EventCall.edition_id)
            .where(
                Edition.kind == EditionKind.INNOVATION_WEEK,
                EventCall.opens_at <= now,
                EventCall.closes_at > now,
            )
            .options(joinedload(EventCall.edition))
            .order_by(EventCall.closes_at)
        )
    )


def organisation_choices(own: list[PartnerOrganisation]) -> list[tuple[int, str]]:
    """Every partner organisation as (id, name): the user's own first, then by name."""
    own_ids = [o.id for o in own]
    others = db.session.execute(
        select(PartnerOrganisation.id, PartnerOrganisation.name)
        .where(PartnerOrganisation.id.not_in(own_ids) if own_ids else True)
        .order_by(PartnerOrganisation.search_name)
    )
    return [(o.id, o.name) for o in own] + [(i, n) for i, n in others]


def organisations_by_ids(ids: list[int]) -> list[PartnerOrganisation]:
    """The organisations of these ids (unknown ones left out)."""
    if not ids:
        return []
    return list(
        db.session.scalars(select(PartnerOrganisation).where(PartnerOrganisation.id.in_(ids)))
    )


def organiser_summary(user, now: datetime) -> dict:
    """For "my tasks": the organiser's events waiting on them, and the calls open now."""
    events = my_events(user)
    return {
        "drafts": sum(1 for e in events if e.status == EventStatus.DRAFT),
        "returned": sum(1 for e in events if e.status == EventStatus.RETURNED),
        "published": sum(1 for e in events if e.status == EventStatus.PUBLISHED),
        "calls": open_calls(now),
    }
