"""Creating stops: from accepted applications (one per territory), linked to one, or by hand."""

from datetime import date, datetime, time

from flask_babel import gettext as _
from sqlalchemy import select

from coordination.auth.models import User
from coordination.campaigns.catalogue import CONTACT_PARTS
from coordination.campaigns.models import Application, ApplicationStatus, Call, Decision, Edition
from coordination.core.clock import local_datetime
from coordination.extensions import db
from coordination.stops.models import Stop, StopStatus
from coordination.stops.services import (
    DEFAULT_END,
    DEFAULT_START,
    StopError,
    _apply,
    _check_times,
    record_change,
    rules_row,
)
from coordination.stops.warnings import next_weekday
from coordination.territories.models import Commune, Territory


def _availability(application: Application) -> list[list[str]]:
    windows = []
    for row in application.rows("availability", ("start", "end")):
        start, end = row["start"], row["end"] or row["start"]
        try:
            if start and date.fromisoformat(start) <= date.fromisoformat(end):
                windows.append([start, end])
        except ValueError:
            continue
    return windows


def _contacts(application: Application) -> list[dict]:
    return [
        contact
        for contact in application.rows("contacts", CONTACT_PARTS)
        if contact["name"] or contact["email"]
    ]


def _first_day(windows: list[list[str]], edition: Edition) -> date:
    for start, _end in windows:
        day = next_weekday(date.fromisoformat(start))
        if day <= date.fromisoformat(_end):
            return day
    if windows:
        return date.fromisoformat(windows[0][0])
    return next_weekday(edition.starts_on)


def create_stop_from_application(application: Application, by: User | None, now: datetime) -> Stop:
    """A tentative stop pre-filled from an accepted application (city, venue, availability)."""
    if (
        application.decision != Decision.ACCEPTED
        or application.decision_released_at is None
        or application.status != ApplicationStatus.SUBMITTED
    ):
        raise StopError(_("Only an accepted application becomes a stop."))
    existing = db.session.scalar(select(Stop).where(Stop.application_id == application.id))
    if existing is not None:
        raise StopError(_("This application already has a stop."))
    edition = application.call.edition
    insee = application.value("host_city_insee")
    commune = db.session.get(Commune, insee) if insee else None
    city = application.value("host_city") or (commune.name if commune else "")
    windows = _availability(application)
    day = _first_day(windows, edition)
    territory = application.territory
    stop = Stop(
        edition_id=edition.id,
        territory_id=application.territory_id,
        application_id=application.id,
        title=city or (territory.name if territory else _("Stop")),
        starts_at=local_datetime(day, DEFAULT_START),
        ends_at=local_datetime(day, DEFAULT_END),
        status=StopStatus.TENTATIVE,
        sequence=0,
        venue_name=application.value("venue"),
        venue_address="",
        city=city,
        commune_insee=commune.insee_code if commune else None,
        latitude=commune.latitude if commune else None,
        longitude=commune.longitude if commune else None,
        host_contacts=_contacts(application),
        partners=application.value("partners"),
        availability=windows,
        description="",
        cancel_reason="",
        created_at=now,
        updated_at=now,
    )
    db.session.add(stop)
    db.session.flush()
    record_change(stop, "created", {}, by, now, note=f"application:{application.id}")
    db.session.flush()
    return stop


def accepted_without_stop(edition: Edition) -> list[Application]:
    """The edition's accepted applications that have no stop yet."""
    return list(
        db.session.scalars(
            select(Application)
            .join(Call)
            .outerjoin(Stop, Stop.application_id == Application.id)
            .where(
                Call.edition_id == edition.id,
                Application.decision == Decision.ACCEPTED,
                # Only decisions already released: a stop must not tell anyone first.
                Application.decision_released_at.is_not(None),
                Application.status == ApplicationStatus.SUBMITTED,
                Stop.id.is_(None),
            )
            .order_by(Application.id)
        )
    )


def territory_stops(edition: Edition) -> dict[int, Stop]:
    """The edition's stops by territory (the first one of each), cancelled ones aside."""
    stops = db.session.scalars(
        select(Stop)
        .where(
            Stop.edition_id == edition.id,
            Stop.territory_id.is_not(None),
            Stop.status != StopStatus.CANCELLED,
        )
        .order_by(Stop.id)
    )
    found: dict[int, Stop] = {}
    for stop in stops:
        found.setdefault(stop.territory_id, stop)
    return found


def pending_from_applications(
    edition: Edition,
) -> tuple[list[Application], list[tuple[Application, Stop]]]:
    """Accepted applications without a stop: those that may become one, and those whose
    territory already has a stop in the edition (never a second one), with that stop."""
    taken = territory_stops(edition)
    creatable, duplicates = [], []
    for application in accepted_without_stop(edition):
        existing = taken.get(application.territory_id)
        if existing is not None:
            duplicates.append((application, existing))
        else:
            creatable.append(application)
    return creatable, duplicates


def create_stops_from_accepted(edition: Edition, by: User | None, now: datetime) -> list[Stop]:
    """One tentative stop for every accepted application of the edition that has none, but
    never a second stop for a territory (see pending_from_applications)."""
    rules_row(edition)
    created: list[Stop] = []
    seen: set[int] = set()
    for application in pending_from_applications(edition)[0]:
        # Two applications of one territory in the same batch make one stop too.
        if application.territory_id in seen:
            continue
        created.append(create_stop_from_application(application, by, now))
        if application.territory_id:
            seen.add(application.territory_id)
    return created


def link_application(stop: Stop, application: Application, by: User | None, now: datetime) -> None:
    """Make an accepted application the origin of its territory's existing stop."""
    if (
        application.decision != Decision.ACCEPTED
        or application.decision_released_at is None
        or application.status != ApplicationStatus.SUBMITTED
        or application.call.edition_id != stop.edition_id
        or application.territory_id != stop.territory_id
    ):
        raise StopError(_("Only an accepted application of this stop's territory can be linked."))
    if stop.application_id is not None:
        raise StopError(_("This stop already comes from an application."))
    if db.session.scalar(select(Stop.id).where(Stop.application_id == application.id)):
        raise StopError(_("This application already has a stop."))
    changed = _apply(stop, {"application_id": application.id})
    record_change(stop, "updated", changed, by, now)
    db.session.flush()


def create_manual_stop(
    edition: Edition,
    *,
    territory: Territory,
    commune: Commune,
    day: date | None,
    times: tuple[time, time] = (DEFAULT_START, DEFAULT_END),
    by: User | None,
    now: datetime,
    **fields,
) -> Stop:
    """A stop staff add by hand in the commune's official name; with no date yet, it waits,
    tentative, on the edition's first weekday (as a stop from an application would)."""
    day = day or next_weekday(edition.starts_on)
    return create_stop(
        edition,
        {
            "territory_id": territory.id,
            "title": commune.name,
            "city": commune.name,
            "commune_insee": commune.insee_code,
            "starts_at": local_datetime(day, times[0]),
            "ends_at": local_datetime(day, times[1]),
            **fields,
        },
        by,
        now,
    )


def create_stop(edition: Edition, fields: dict, by: User | None, now: datetime) -> Stop:
    """A stop made by hand (no application), tentative unless `fields` says otherwise."""
    stop = Stop(edition_id=edition.id, sequence=0, created_at=now, updated_at=now)
    fields = {"status": StopStatus.TENTATIVE, **fields}
    _check_times(fields["starts_at"], fields["ends_at"])
    for name, value in fields.items():
        setattr(stop, name, value)
    if stop.commune_insee and stop.latitude is None:
        commune = db.session.get(Commune, stop.commune_insee)
        if commune:
            stop.latitude, stop.longitude = commune.latitude, commune.longitude
    db.session.add(stop)
    db.session.flush()
    record_change(stop, "created", {}, by, now)
    db.session.flush()
    return stop
