"""A stop's participants as staff sort them: search, workshop, present, cancelled; bulk check-in."""

from datetime import datetime

from sqlalchemy import Select, select
from sqlalchemy.orm import selectinload

from coordination.core import listing
from coordination.core.text import search_key
from coordination.extensions import db
from coordination.participants import services
from coordination.participants.models import Registration, Seat, SeatStatus, Workshop

PARTICIPANTS = listing.ListSpec(
    sorts=("name", "company", "registered", "present"),
    default_sort="name",
    filters={
        "q": listing.search_text,
        "workshop": listing.identifier,
        "present": listing.choice("yes", "no"),
        "cancelled": listing.choice("yes", "no"),
    },
)

#: Seats that still hold a place or a place in the queue.
_HELD = (SeatStatus.CONFIRMED, SeatStatus.WAITING, SeatStatus.OFFERED)

_COLUMNS = {
    "name": Registration.search_name,
    "company": Registration.company_name,
    "registered": Registration.registered_at,
    "present": Registration.checked_in_at,
}


def participants_query(stop_id: int, state: listing.ListState) -> Select:
    """A stop's registrations as the state filters and sorts them, seats loaded."""
    query = (
        select(Registration)
        .options(selectinload(Registration.seats).selectinload(Seat.workshop))
        .where(Registration.stop_id == stop_id)
    )
    filters = state.filters
    if "q" in filters:
        key = search_key(filters["q"])
        email = Registration.email.contains(filters["q"].lower(), autoescape=True)
        query = query.where(
            Registration.search_name.contains(key, autoescape=True) | email if key else email
        )
    if "workshop" in filters:
        seat = select(Seat.id).where(
            Seat.registration_id == Registration.id,
            Seat.workshop_id == filters["workshop"],
            Seat.status.in_(_HELD),
        )
        query = query.where(seat.exists())
    if "present" in filters:
        present = Registration.checked_in_at.is_not(None)
        query = query.where(present if filters["present"] == "yes" else ~present)
    if "cancelled" in filters:
        cancelled = Registration.cancelled_at.is_not(None)
        query = query.where(cancelled if filters["cancelled"] == "yes" else ~cancelled)
    column = _COLUMNS[state.sort]
    order = column.desc() if state.descending else column.asc()
    first = [Registration.checked_in_at.is_(None)] if state.sort == "present" else []
    return query.order_by(*first, order, Registration.search_name, Registration.id)


def workshop_choices(stop_id: int) -> list[tuple[int, str]]:
    """(id, title) of a stop's workshops, in agenda order, for the workshop filter."""
    rows = select(Workshop.id, Workshop.title).where(Workshop.stop_id == stop_id)
    return list(db.session.execute(rows.order_by(Workshop.position, Workshop.id)))


def bulk_check_in(stop_id: int, ids: list[int], now: datetime) -> tuple[int, int]:
    """Tick the chosen participants of one stop present: (ticked, left: cancelled or not here)."""
    registrations = db.session.scalars(
        select(Registration).where(Registration.id.in_(ids), Registration.stop_id == stop_id)
    )
    ticked = 0
    for registration in registrations:
        if not registration.is_active:
            continue
        if registration.checked_in_at is None:
            services.set_checked_in(registration, True, now)
        ticked += 1
    return ticked, len(ids) - ticked
