"""Reads of an open programme's public side: its published events, each with its stop
(a published event *is* a stop of its edition) and its single workshop's places."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from coordination.campaigns.models import Edition, EditionKind, EditionStatus
from coordination.core.clock import to_local
from coordination.extensions import db
from coordination.participants.models import Seat, SeatStatus, Workshop
from coordination.programmes.models import EventStatus, ProgrammeEvent
from coordination.stops.models import Stop
from coordination.stops.queries import PUBLIC_STOP

#: Edition kinds whose programme is made of partners' events.
OPEN_PROGRAMME_KINDS = (EditionKind.INNOVATION_WEEK,)


@dataclass
class ProgrammeRow:
    """One event of the public programme, with what its listing shows."""

    event: ProgrammeEvent
    stop: Stop
    #: The event's single workshop (registration's places), None without registration.
    workshop: Workshop | None
    waiting: int = 0

    @property
    def day(self) -> date:
        return to_local(self.stop.starts_at).date()

    @property
    def places_left(self) -> int | None:
        return self.workshop.places_left if self.workshop is not None else None

    @property
    def is_full(self) -> bool:
        return self.places_left == 0

    @property
    def needs_registration(self) -> bool:
        return self.event.is_registration_required


def programme_edition(slug: str, with_drafts: bool = False) -> Edition | None:
    """An edition of an open-programme kind, by slug: public (not draft) unless
    `with_drafts` (staff's pages)."""
    statement = select(Edition).where(Edition.slug == slug, Edition.kind.in_(OPEN_PROGRAMME_KINDS))
    if not with_drafts:
        statement = statement.where(Edition.status != EditionStatus.DRAFT)
    return db.session.scalar(statement)


def current_programmes() -> list[Edition]:
    """Open-programme editions planned or running (the home page links them)."""
    return list(
        db.session.scalars(
            select(Edition)
            .where(
                Edition.kind.in_(OPEN_PROGRAMME_KINDS),
                Edition.status.in_((EditionStatus.PLANNED, EditionStatus.RUNNING)),
            )
            .order_by(Edition.starts_on, Edition.id)
        )
    )


def is_open_programme(edition: Edition) -> bool:
    return edition.kind in OPEN_PROGRAMME_KINDS


def event_of_stop(stop: Stop) -> ProgrammeEvent | None:
    """The programme event a stop is, if any."""
    if stop.id is None:
        return None
    return db.session.scalar(select(ProgrammeEvent).where(ProgrammeEvent.stop_id == stop.id))


def events_by_stop(stop_ids) -> dict[int, ProgrammeEvent]:
    """The programme events of some stops, by stop id, organisers loaded (one query or two)."""
    ids = list(stop_ids)
    if not ids:
        return {}
    events = db.session.scalars(
        select(ProgrammeEvent)
        .options(selectinload(ProgrammeEvent.organisers))
        .where(ProgrammeEvent.stop_id.in_(ids))
    )
    return {event.stop_id: event for event in events}


def programme_rows(edition: Edition) -> list[ProgrammeRow]:
    """The edition's published events the public sees, by start time (a fixed number of
    queries whatever their count)."""
    pairs = db.session.execute(
        select(ProgrammeEvent, Stop)
        .join(Stop, Stop.id == ProgrammeEvent.stop_id)
        .options(selectinload(ProgrammeEvent.organisers))
        .where(
            ProgrammeEvent.edition_id == edition.id,
            ProgrammeEvent.status == EventStatus.PUBLISHED,
            PUBLIC_STOP,
        )
        .order_by(Stop.starts_at, Stop.city, Stop.id)
    ).all()
    stop_ids = [stop.id for _event, stop in pairs]
    workshops: dict[int, Workshop] = {}
    waiting: dict[int, int] = {}
    if stop_ids:
        for workshop in db.session.scalars(
            select(Workshop)
            .where(Workshop.stop_id.in_(stop_ids), Workshop.agenda_item_id.is_not(None))
            .order_by(Workshop.position, Workshop.id)
        ):
            workshops.setdefault(workshop.stop_id, workshop)
        waiting = dict(
            db.session.execute(
                select(Workshop.stop_id, func.count(Seat.id))
                .join(Seat, Seat.workshop_id == Workshop.id)
                .where(Workshop.stop_id.in_(stop_ids), Seat.status == SeatStatus.WAITING)
                .group_by(Workshop.stop_id)
            ).all()
        )
    return [
        ProgrammeRow(
            event=event,
            stop=stop,
            workshop=workshops.get(stop.id) if event.is_registration_required else None,
            waiting=waiting.get(stop.id, 0),
        )
        for event, stop in pairs
    ]


def programme_version(edition_id: int, conditions=()) -> tuple:
    """What a feed shows of the events besides their stops (format, audience…): a change
    to it changes the feed's ETag."""
    return tuple(
        db.session.execute(
            select(func.count(ProgrammeEvent.id), func.max(ProgrammeEvent.updated_at))
            .join(Stop, Stop.id == ProgrammeEvent.stop_id)
            .where(ProgrammeEvent.edition_id == edition_id, *conditions)
        ).one()
    )


@dataclass
class Choices:
    """What the programme's filters offer: the values its events actually have."""

    days: list[date]
    #: (INSEE code, city name), by name.
    cities: list[tuple[str, str]]
    formats: list[str]


def choices_of(rows: list[ProgrammeRow]) -> Choices:
    """The days, cities and formats of the programme, for its filters."""
    cities = {row.stop.commune_insee: row.stop.city for row in rows if row.stop.commune_insee}
    return Choices(
        days=sorted({row.day for row in rows}),
        cities=sorted(cities.items(), key=lambda item: (item[1], item[0])),
        formats=sorted({row.event.format for row in rows}),
    )


def filter_rows(rows: list[ProgrammeRow], filters: dict) -> list[ProgrammeRow]:
    """The rows matching the filters read from the address (city, format, day)."""
    return [
        row
        for row in rows
        if filters.get("city") in (None, row.stop.commune_insee)
        and filters.get("format") in (None, row.event.format)
        and filters.get("day") in (None, row.day)
    ]


def group_rows(rows: list[ProgrammeRow], by: str) -> list[tuple[object, list[ProgrammeRow]]]:
    """The rows grouped by day (in date order), city or format (by name), keeping order."""
    keys = {
        "day": lambda row: row.day,
        "city": lambda row: row.stop.city,
        "format": lambda row: str(row.event.format_label),
    }
    key = keys.get(by, keys["day"])
    groups: dict[object, list[ProgrammeRow]] = {}
    for row in rows:
        groups.setdefault(key(row), []).append(row)
    return sorted(groups.items(), key=lambda item: item[0])


def row_of_stop(stop: Stop) -> ProgrammeRow | None:
    """The programme row of one stop (its event, workshop and waiting list), if an event."""
    event = event_of_stop(stop)
    if event is None:
        return None
    workshop = None
    waiting = 0
    if event.is_registration_required:
        workshop = db.session.scalar(
            select(Workshop)
            .where(Workshop.stop_id == stop.id, Workshop.agenda_item_id.is_not(None))
            .order_by(Workshop.position, Workshop.id)
            .limit(1)
        )
        if workshop is not None:
            waiting = db.session.scalar(
                select(func.count(Seat.id)).where(
                    Seat.workshop_id == workshop.id, Seat.status == SeatStatus.WAITING
                )
            )
    return ProgrammeRow(event=event, stop=stop, workshop=workshop, waiting=waiting or 0)
