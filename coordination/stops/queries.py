"""Reused reads about stops."""

from datetime import date, datetime, time

from sqlalchemy import String, and_, cast, func, or_, select
from sqlalchemy.orm import joinedload, selectinload

from coordination.campaigns.models import Edition, EditionStatus, application_members
from coordination.core.clock import local_datetime
from coordination.extensions import db
from coordination.stops.models import Stop, StopStatus

#: What the public sees of an edition: confirmed and held stops, and cancelled ones that
#: had been confirmed (a tentative stop dropped was never announced).
PUBLIC_STOP = or_(
    Stop.status.in_((StopStatus.CONFIRMED, StopStatus.HELD)),
    and_(Stop.status == StopStatus.CANCELLED, Stop.confirmed_at.is_not(None)),
)


def coming_stops(now: datetime, limit: int = 6) -> list[Stop]:
    """The next confirmed stops after `now`, for the home page."""
    return list(
        db.session.scalars(
            select(Stop)
            .where(Stop.status == StopStatus.CONFIRMED, Stop.ends_at > now)
            .order_by(Stop.starts_at, Stop.id)
            .limit(limit)
        )
    )


def stop_by_id(stop_id: int) -> Stop | None:
    return db.session.get(Stop, stop_id)


def edition_by_slug(slug: str) -> Edition | None:
    return db.session.scalar(select(Edition).where(Edition.slug == slug))


def editions_with_stop_counts() -> list[tuple[Edition, int]]:
    """Every edition (newest first) with its number of stops, in one query."""
    counts = (
        select(Stop.edition_id, func.count(Stop.id).label("n")).group_by(Stop.edition_id).subquery()
    )
    rows = db.session.execute(
        select(Edition, func.coalesce(counts.c.n, 0))
        .outerjoin(counts, counts.c.edition_id == Edition.id)
        .order_by(Edition.starts_on.desc())
    ).all()
    return [(edition, count) for edition, count in rows]


def current_edition(today: date) -> Edition | None:
    """The edition the public calendar shows: the running or next one with public stops,
    else the latest that had stops."""
    has_public = select(Stop.id).where(Stop.edition_id == Edition.id, PUBLIC_STOP).exists()
    edition = db.session.scalar(
        select(Edition)
        .where(has_public, Edition.ends_on >= today, Edition.status != EditionStatus.DRAFT)
        .order_by(Edition.starts_on)
        .limit(1)
    )
    if edition is None:
        edition = db.session.scalar(
            select(Edition).where(has_public).order_by(Edition.starts_on.desc()).limit(1)
        )
    return edition


def editions_with_public_stops() -> list[Edition]:
    """Editions the public can browse stops of, newest first."""
    has_public = select(Stop.id).where(Stop.edition_id == Edition.id, PUBLIC_STOP).exists()
    return list(
        db.session.scalars(select(Edition).where(has_public).order_by(Edition.starts_on.desc()))
    )


def public_stops(edition: Edition) -> list[Stop]:
    """An edition's stops the public sees, in date order."""
    return list(
        db.session.scalars(
            select(Stop)
            .where(Stop.edition_id == edition.id, PUBLIC_STOP)
            .options(selectinload(Stop.territory))
            .order_by(Stop.starts_at, Stop.id)
        )
    )


def stops_between(start: datetime, end: datetime) -> list[Stop]:
    """Confirmed or tentative stops starting in [start, end), with their edition."""
    return list(
        db.session.scalars(
            select(Stop)
            .where(
                Stop.starts_at >= start,
                Stop.starts_at < end,
                Stop.status.in_((StopStatus.CONFIRMED, StopStatus.TENTATIVE)),
            )
            .options(selectinload(Stop.edition))
            .order_by(Stop.starts_at, Stop.id)
        )
    )


def incomplete_stops(after: datetime) -> list[Stop]:
    """Coming stops still lacking a venue, a confirmed date or host contacts (one query;
    JSON emptiness is checked in Python as it reads differently on each database)."""
    stops = db.session.scalars(
        select(Stop)
        .where(
            Stop.starts_at >= after,
            Stop.status.in_((StopStatus.CONFIRMED, StopStatus.TENTATIVE)),
        )
        .options(selectinload(Stop.edition))
        .order_by(Stop.starts_at, Stop.id)
    )
    return [s for s in stops if missing_details(s)]


def missing_details(stop: Stop) -> list[str]:
    """Codes of what a coming stop still lacks: venue, date, hosts."""
    missing = []
    if not stop.venue_name.strip():
        missing.append("venue")
    if stop.status == StopStatus.TENTATIVE:
        missing.append("date")
    if not stop.host_contacts:
        missing.append("hosts")
    return missing


def month_bounds(year: int, month: int) -> tuple[datetime, datetime]:
    """The UTC instants of the first Paris midnight of a month and of the next one."""
    start = date(year, month, 1)
    end = date(year + (month == 12), month % 12 + 1, 1)
    return local_datetime(start, time(0, 0)), local_datetime(end, time(0, 0))


def public_stops_in_territories(territory_ids: list[int], after: datetime) -> list[Stop]:
    """Public stops in some territories ending after `after`, in date order (club pages)."""
    if not territory_ids:
        return []
    return list(
        db.session.scalars(
            select(Stop)
            .where(Stop.territory_id.in_(territory_ids), PUBLIC_STOP, Stop.ends_at > after)
            .order_by(Stop.starts_at, Stop.id)
        )
    )


def hosted_stops(user) -> list[Stop]:
    """The stops a territory contact hosts (named among its contacts, or a member of the
    application it came from), by date; the rule itself is services.is_local_host."""
    # Imported here: services imports this module.
    from coordination.stops.services import is_local_host

    email = (user.email or "").lower()
    by_application = (
        select(Stop.id)
        .join(application_members, application_members.c.application_id == Stop.application_id)
        .where(application_members.c.user_id == user.id)
    )
    # A first cut in SQL (the address appears in the contacts' JSON), checked exactly below.
    named = select(Stop.id).where(
        func.lower(cast(Stop.host_contacts, String)).contains(email, autoescape=True)
    )
    stops = db.session.scalars(
        select(Stop)
        .where(Stop.id.in_(by_application.union(named)))
        .options(joinedload(Stop.edition), joinedload(Stop.application))
        .order_by(Stop.starts_at)
    ).unique()
    return [stop for stop in stops if is_local_host(user, stop)]


def agenda_counts(stop_ids: list[int]) -> dict[int, int]:
    """{stop id: agenda items} for a few stops, in one query."""
    from coordination.stops.models import AgendaItem

    if not stop_ids:
        return {}
    return dict(
        db.session.execute(
            select(AgendaItem.stop_id, func.count(AgendaItem.id))
            .where(AgendaItem.stop_id.in_(stop_ids))
            .group_by(AgendaItem.stop_id)
        ).all()
    )


def editions_with_coming_stops(now: datetime) -> list[Edition]:
    """Editions with a stop not over yet (their plans may still carry warnings)."""
    return list(
        db.session.scalars(
            select(Edition)
            .where(
                Edition.id.in_(
                    select(Stop.edition_id).where(
                        Stop.ends_at >= now, Stop.status != StopStatus.CANCELLED
                    )
                )
            )
            .order_by(Edition.starts_on)
        )
    )
