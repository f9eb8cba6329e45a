"""Registration to stops, workshop places and waiting lists, check-in, reminders."""

from datetime import datetime, timedelta

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import or_, select, update

from coordination.calendar.events import stop_event
from coordination.calendar.ics import Person, build_invitation
from coordination.core.clock import shift_local_days, to_local
from coordination.core.text import search_key
from coordination.core.urls import external_url
from coordination.extensions import db
from coordination.notifications.services import queue_email
from coordination.participants.identifiers import ParticipantError, make_token
from coordination.participants.models import (
    HOLDING,
    Registration,
    Seat,
    SeatStatus,
    Workshop,
)
from coordination.participants.sessions import clash_message, is_registrable, overlapping
from coordination.stops.models import Stop, StopStatus

#: How long a person has to accept a freed place.
OFFER_HOURS = 48
#: Participants' reminder, days before the stop.
REMINDER_DAYS = 2


# --- Workshops ---------------------------------------------------------------------------


def is_open_for_registration(stop: Stop, now: datetime) -> bool:
    """Registration is open on confirmed stops that have not started."""
    return stop.status == StopStatus.CONFIRMED and stop.starts_at > now


def sync_workshops(stop: Stop) -> list[Workshop]:
    """The stop's workshops, one per agenda item (made or relinked when the agenda changed).

    Editing the agenda recreates its rows, so a workshop is matched to an item by its id
    and title, then by title alone; a workshop whose item is gone stays, unlinked, with
    its registrations."""
    workshops = list(
        db.session.scalars(
            select(Workshop)
            .where(Workshop.stop_id == stop.id)
            .order_by(Workshop.position, Workshop.id)
            # The database may have unlinked them (ON DELETE SET NULL) behind the session.
            .execution_options(populate_existing=True)
        )
    )
    unclaimed = list(workshops)
    changed = False
    for position, item in enumerate(stop.agenda_items):
        workshop = next(
            (w for w in unclaimed if w.agenda_item_id == item.id and w.title == item.title),
            None,
        ) or next((w for w in unclaimed if w.title == item.title), None)
        if workshop is None:
            # New items inherit the stop's capacity as a first guess.
            workshop = Workshop(stop_id=stop.id, title=item.title, capacity=stop.capacity)
            db.session.add(workshop)
            workshops.append(workshop)
        else:
            unclaimed.remove(workshop)
        if (workshop.agenda_item_id, workshop.position) != (item.id, position):
            workshop.agenda_item_id, workshop.position = item.id, position
            changed = True
    for workshop in unclaimed:
        if workshop.agenda_item_id is not None:
            workshop.agenda_item_id = None
            changed = True
    if changed or any(w.id is None for w in workshops):
        db.session.flush()
    return sorted(workshops, key=lambda w: (w.agenda_item_id is None, w.position, w.id))


def open_workshops(stop: Stop) -> list[Workshop]:
    """The workshops people can choose (linked to the current agenda and open)."""
    return [
        w
        for w in sync_workshops(stop)
        if w.is_open and w.agenda_item_id is not None and is_registrable(w)
    ]


def _lock_workshop(workshop_id: int) -> None:
    # On PostgreSQL, freeing and offering places of one workshop happen one at a time.
    db.session.execute(select(Workshop.id).where(Workshop.id == workshop_id).with_for_update())


def _change_taken(workshop: Workshop, delta: int) -> None:
    db.session.execute(
        update(Workshop)
        .where(Workshop.id == workshop.id)
        .values(seats_taken=Workshop.seats_taken + delta)
        .execution_options(synchronize_session=False)
    )
    db.session.expire(workshop, ["seats_taken"])


def take_seat(registration: Registration, workshop: Workshop, now: datetime) -> Seat:
    """A confirmed place if one is left (atomically), else a place on the waiting list."""
    result = db.session.execute(
        update(Workshop)
        .where(
            Workshop.id == workshop.id,
            or_(Workshop.capacity.is_(None), Workshop.seats_taken < Workshop.capacity),
        )
        .values(seats_taken=Workshop.seats_taken + 1)
        .execution_options(synchronize_session=False)
    )
    db.session.expire(workshop, ["seats_taken"])
    status = SeatStatus.CONFIRMED if result.rowcount == 1 else SeatStatus.WAITING
    seat = next((s for s in registration.seats if s.workshop_id == workshop.id), None)
    if seat is None:
        seat = Seat(workshop_id=workshop.id, workshop=workshop)
        registration.seats.append(seat)
    seat.status = status
    seat.queued_at = seat.updated_at = now
    seat.offered_at = seat.offer_expires_at = None
    db.session.flush()
    return seat


def _offer(seat: Seat, now: datetime) -> None:
    seat.status = SeatStatus.OFFERED
    seat.offered_at = seat.updated_at = now
    seat.offer_expires_at = now + timedelta(hours=OFFER_HOURS)
    registration = seat.registration
    queue_email(
        key=f"participant:seat:{seat.id}:offer:{now.isoformat()}",
        template="participants/offer",
        to_email=registration.email,
        to_name=registration.name,
        locale=registration.locale,
        context={
            "registration": registration,
            "seat": seat,
            "stop": registration.stop,
            "url": external_url("participants.offer", token=make_token("offer", seat.id)),
        },
        now=now,
    )


def fill_places(workshop: Workshop, now: datetime) -> list[Seat]:
    """Offer free places to the next people on the waiting list, first come first."""
    _lock_workshop(workshop.id)
    db.session.refresh(workshop)
    offered = []
    while workshop.capacity is None or workshop.seats_taken < workshop.capacity:
        seat = db.session.scalar(
            select(Seat)
            .where(Seat.workshop_id == workshop.id, Seat.status == SeatStatus.WAITING)
            .order_by(Seat.queued_at, Seat.id)
            .limit(1)
        )
        if seat is None:
            break
        _offer(seat, now)
        _change_taken(workshop, 1)
        offered.append(seat)
    db.session.flush()
    return offered


def _free(seat: Seat, status: str, now: datetime) -> None:
    """Give up a seat; a held place goes to the next person on the waiting list."""
    workshop = seat.workshop
    _lock_workshop(workshop.id)
    db.session.refresh(seat)
    was_holding = seat.status in HOLDING
    seat.status = status
    seat.updated_at = now
    if was_holding:
        _change_taken(workshop, -1)
        db.session.flush()
        fill_places(workshop, now)


def accept_offer(seat: Seat, now: datetime) -> None:
    """Take an offered place before its time limit."""
    if seat.status == SeatStatus.CONFIRMED:
        return
    if seat.status != SeatStatus.OFFERED or seat.offer_expires_at <= now:
        raise ParticipantError(_("This offer is no longer valid."))
    seat.status = SeatStatus.CONFIRMED
    seat.updated_at = now
    db.session.flush()


def decline_offer(seat: Seat, now: datetime) -> None:
    """Turn an offered place down: it goes to the next person."""
    if seat.status != SeatStatus.OFFERED:
        raise ParticipantError(_("This offer is no longer valid."))
    _free(seat, SeatStatus.DECLINED, now)


def expire_offers(now: datetime) -> int:
    """Offers past their time limit pass to the next people, oldest first (no commit)."""
    seats = list(
        db.session.scalars(
            select(Seat)
            .where(Seat.status == SeatStatus.OFFERED, Seat.offer_expires_at <= now)
            .order_by(Seat.offer_expires_at, Seat.id)
        )
    )
    for seat in seats:
        _free(seat, SeatStatus.EXPIRED, now)
    return len(seats)


def set_capacity(workshop: Workshop, capacity: int | None, is_open: bool, now: datetime) -> None:
    """Change a workshop's capacity; new places go to the waiting list at once."""
    if capacity is not None and capacity < 0:
        raise ParticipantError(_("A capacity cannot be negative."))
    workshop.capacity = capacity
    workshop.is_open = is_open
    db.session.flush()
    fill_places(workshop, now)


# --- Registration ------------------------------------------------------------------------


def find_registration(stop: Stop, email: str) -> Registration | None:
    """A stop's registration of an email address, cancelled or not."""
    return db.session.scalar(
        select(Registration).where(
            Registration.stop_id == stop.id, Registration.email == email.strip().lower()
        )
    )


def _organizer() -> Person:
    return Person(current_app.config["MAIL_FROM_NAME"], current_app.config["MAIL_FROM"])


def registration_invitation(registration: Registration, method: str) -> str:
    """The iTIP message (REQUEST or CANCEL) of a participant's stop, addressed to them."""
    with force_locale(registration.locale or "fr"):
        event = stop_event(registration.stop)
    return build_invitation(
        event,
        _organizer(),
        Person(registration.name, registration.email),
        method,
        current_app.config["TIMEZONE"],
    )


def manage_url(registration: Registration) -> str:
    """The signed page where a participant sees and cancels a registration."""
    return external_url("participants.manage", token=make_token("registration", registration.id))


def register(
    stop: Stop, fields: dict, workshop_ids: list[int], locale: str, now: datetime
) -> Registration:
    """Register a person to a stop and its chosen workshops; confirmation with invitation."""
    if not is_open_for_registration(stop, now):
        raise ParticipantError(_("Registration to this stop is closed."))
    workshops = {w.id: w for w in open_workshops(stop)}
    if any(workshop_id not in workshops for workshop_id in workshop_ids):
        raise ParticipantError(_("This workshop is not open to registration."))
    if clash := overlapping([workshops[i] for i in dict.fromkeys(workshop_ids)]):
        raise ParticipantError(clash_message(*clash))
    email = fields["email"].strip().lower()
    registration = find_registration(stop, email)
    if registration is not None and registration.is_active:
        raise ParticipantError(_("This email address is already registered to this stop."))
    if registration is None:
        registration = Registration(stop=stop, email=email)
        db.session.add(registration)
    for name in (
        "first_name",
        "last_name",
        "phone",
        "role",
        "company_name",
        "siret",
        "company_size",
        "naf_code",
        "commune_insee",
    ):
        setattr(registration, name, fields.get(name))
    registration.phone = registration.phone or ""
    registration.role = registration.role or ""
    registration.sector = naf_section(registration.naf_code) or "U"
    registration.search_name = search_key(f"{registration.last_name} {registration.first_name}")
    registration.locale = locale
    registration.consented_at = registration.registered_at = now
    registration.cancelled_at = registration.checked_in_at = None
    db.session.flush()
    for workshop_id in workshop_ids:
        take_seat(registration, workshops[workshop_id], now)
    queue_email(
        key=f"participant:registration:{registration.id}:confirmed:{now.isoformat()}",
        template="participants/confirmation",
        to_email=registration.email,
        to_name=registration.name,
        locale=registration.locale,
        context={"registration": registration, "stop": stop, "url": manage_url(registration)},
        calendar_method="REQUEST",
        calendar_ics=registration_invitation(registration, "REQUEST"),
        now=now,
    )
    return registration


def cancel_registration(registration: Registration, now: datetime) -> None:
    """Cancel a registration: places go to the waiting lists; a calendar CANCEL goes out."""
    if not registration.is_active:
        return
    for seat in registration.seats:
        if seat.status in (*HOLDING, SeatStatus.WAITING):
            _free(seat, SeatStatus.CANCELLED, now)
    registration.cancelled_at = now
    db.session.flush()
    queue_email(
        key=f"participant:registration:{registration.id}:cancelled:{now.isoformat()}",
        template="participants/cancelled",
        to_email=registration.email,
        to_name=registration.name,
        locale=registration.locale,
        context={"registration": registration, "stop": registration.stop},
        calendar_method="CANCEL",
        calendar_ics=registration_invitation(registration, "CANCEL"),
        now=now,
    )


def set_checked_in(registration: Registration, is_present: bool, now: datetime) -> None:
    """Tick (or untick) a participant as present on the day."""
    if not registration.is_active:
        raise ParticipantError(_("This registration was cancelled."))
    registration.checked_in_at = now if is_present else None
    db.session.flush()


# --- Reminders ---------------------------------------------------------------------------


def reminder_key(stop: Stop, registration: Registration, days: int) -> str:
    """One reminder per stop, participant, lead time and start: a moved stop reminds again."""
    start = to_local(stop.starts_at).strftime("%Y-%m-%dT%H:%M")
    return f"reminder:stop:{stop.id}:participant:{registration.id}:P{days}D:{start}"


def reminder_due_at(stop: Stop) -> datetime:
    """When participants' reminder of a stop leaves: the same Paris time, N days before."""
    return shift_local_days(stop.starts_at, -REMINDER_DAYS)


from coordination.participants.identifiers import (  # noqa: E402, F401  (moved; callers keep services.x)
    NAF_PATTERN,
    NAF_SECTIONS,
    _serializer,
    clean_siret,
    naf_section,
    normalise_naf,
    read_token,
)
from coordination.participants.questionnaire_plan import (  # noqa: E402, F401
    send_questionnaires,
)
from coordination.participants.questionnaires import (  # noqa: E402, F401  (moved; callers keep services.x)
    QUESTIONNAIRE_REMINDER_DAYS,
    QUESTIONNAIRE_WINDOW_DAYS,
    _due_at,
    add_question,
    get_or_create_questionnaire,
    questionnaire_for,
    remove_question,
    response_of,
    submit_answers,
)
from coordination.participants.reminders import send_reminders  # noqa: E402, F401
