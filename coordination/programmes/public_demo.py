"""A tiny week of innovation for the browser layout test, until the programmes' own demo
(programmes/demo.py, with proposals and publication) fills one: three published events,
made the way publishing makes them. Idempotent; the integrator can drop it."""

from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from coordination.campaigns.models import Edition, EditionKind, EditionStatus
from coordination.clubs.models import PartnerOrganisation
from coordination.core.clock import local_datetime, to_local
from coordination.core.text import search_key
from coordination.extensions import db
from coordination.participants import services as participant_services
from coordination.programmes.models import EventStatus, ProgrammeEvent
from coordination.stops.models import AgendaItem, Stop, StopStatus
from coordination.territories.models import Commune

SLUG = "semaine-innovation-apercu"
#: (title, INSEE, day of the week, start hour, format, capacity, organisers).
EVENTS = (
    ("Intelligence artificielle et PME", "59350", 0, 14, "conference", 80, ("CCI Grand Lille",)),
    ("Portes ouvertes du centre technique", "62041", 1, 9, "open_doors", None, ("CETIM",)),
    ("Rendez-vous export", "80021", 2, 10, "business_meeting", 20, ("CCI Amiens-Picardie",)),
)


def _organisation(name: str) -> PartnerOrganisation:
    found = db.session.scalar(select(PartnerOrganisation).where(PartnerOrganisation.name == name))
    if found is None:
        found = PartnerOrganisation(name=name, search_name=search_key(name))
        db.session.add(found)
    return found


def _publish(edition: Edition, row, monday: date, now: datetime) -> None:
    title, insee, offset, hour, event_format, capacity, organisers = row
    commune = db.session.get(Commune, insee)
    day = monday + timedelta(days=offset)
    starts_at, ends_at = local_datetime(day, time(hour, 0)), local_datetime(day, time(hour + 3))
    event = ProgrammeEvent(
        edition_id=edition.id,
        status=EventStatus.PUBLISHED,
        title=title,
        format=event_format,
        audience="Dirigeants de PME et d'ETI",
        description=f"{title}, à {commune.name}.",
        starts_at=starts_at,
        ends_at=ends_at,
        venue_name="Salle principale",
        commune_insee=insee,
        capacity=capacity,
        is_registration_required=capacity is not None,
        organisers=[_organisation(name) for name in organisers],
        published_at=now,
    )
    stop = Stop(
        edition_id=edition.id,
        status=StopStatus.CONFIRMED,
        confirmed_at=now,
        title=title,
        description=event.description,
        starts_at=starts_at,
        ends_at=ends_at,
        venue_name=event.venue_name,
        commune_insee=insee,
        city=commune.name,
        latitude=commune.latitude,
        longitude=commune.longitude,
        capacity=capacity,
        partners="\n".join(organisers),
    )
    db.session.add_all([event, stop])
    db.session.flush()
    event.stop_id = stop.id
    if event.is_registration_required:
        stop.agenda_items = [AgendaItem(position=0, title=title, starts_on=time(hour, 0))]
        db.session.flush()
        (workshop,) = participant_services.sync_workshops(stop)
        participant_services.set_capacity(workshop, capacity, True, now)


def ensure_preview_programme(now: datetime) -> Edition:
    """A public week of innovation with published events (an existing one, else made)."""
    found = db.session.scalar(
        select(Edition)
        .join(ProgrammeEvent, ProgrammeEvent.edition_id == Edition.id)
        .where(
            Edition.kind == EditionKind.INNOVATION_WEEK,
            Edition.status != EditionStatus.DRAFT,
            ProgrammeEvent.stop_id.is_not(None),
        )
        .order_by(Edition.id)
        .limit(1)
    )
    found = found or db.session.scalar(select(Edition).where(Edition.slug == SLUG))
    if found is not None:
        return found
    today = to_local(now).date()
    monday = today + timedelta(days=35 - today.weekday())
    edition = Edition(
        slug=SLUG,
        kind=EditionKind.INNOVATION_WEEK,
        status=EditionStatus.PLANNED,
        name="Semaine de l'innovation (aperçu)",
        starts_on=monday,
        ends_on=monday + timedelta(days=4),
    )
    db.session.add(edition)
    db.session.flush()
    for row in EVENTS:
        _publish(edition, row, monday, now)
    db.session.flush()
    return edition


def first_event_stop_id(edition: Edition) -> int:
    """The stop of the edition's first published event."""
    return db.session.scalar(
        select(ProgrammeEvent.stop_id)
        .join(Stop, Stop.id == ProgrammeEvent.stop_id)
        .where(ProgrammeEvent.edition_id == edition.id)
        .order_by(Stop.starts_at, Stop.id)
        .limit(1)
    )
