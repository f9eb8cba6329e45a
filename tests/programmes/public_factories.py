"""Published programme events built exactly as the contract says publishing does (a
confirmed stop of the edition, one workshop with the event's capacity), without 19a's
services: the public pages, feeds and figures are tested on this data."""

from datetime import UTC, date, datetime, time
from itertools import count

import pytest
from sqlalchemy import select

from coordination.campaigns.models import Edition, EditionKind
from coordination.clubs.models import PartnerOrganisation
from coordination.core.clock import local_datetime
from coordination.core.text import search_key
from coordination.extensions import db
from coordination.participants import services as participant_services
from coordination.programmes.models import EventStatus, ProgrammeEvent
from coordination.stops.models import AgendaItem, Stop, StopStatus
from coordination.territories.models import Commune

_numbers = count(1)

LILLE = "59350"
ARRAS = "62041"
AMIENS = "80021"
PUBLISHED_AT = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def make_week(slug: str | None = None, status: str = "planned") -> Edition:
    """A week of innovation, Monday 11 to Friday 15 October 2027."""
    edition = Edition(
        slug=slug or f"semaine-test-{next(_numbers)}",
        kind=EditionKind.INNOVATION_WEEK,
        status=status,
        name="Semaine de l'innovation test",
        starts_on=date(2027, 10, 11),
        ends_on=date(2027, 10, 15),
    )
    db.session.add(edition)
    db.session.flush()
    return edition


def make_organisation(name: str) -> PartnerOrganisation:
    """A partner organisation (found again by name)."""
    found = db.session.scalar(select(PartnerOrganisation).where(PartnerOrganisation.name == name))
    if found is not None:
        return found
    organisation = PartnerOrganisation(name=name, search_name=search_key(name))
    db.session.add(organisation)
    db.session.flush()
    return organisation


def publish(
    edition: Edition,
    title: str = "Portes ouvertes du CETIM",
    insee: str = LILLE,
    day: date = date(2027, 10, 12),
    hours: tuple[time, time] = (time(14, 0), time(17, 0)),
    capacity: int | None = 2,
    registration: bool = True,
    organisers: tuple[str, ...] = ("CCI Grand Lille",),
    event_format: str = "open_doors",
    audience: str = "Dirigeants de PME",
) -> ProgrammeEvent:
    """A published event and its stop, as `publish_event` makes them."""
    commune = db.session.get(Commune, insee)
    event = ProgrammeEvent(
        edition_id=edition.id,
        status=EventStatus.PUBLISHED,
        title=title,
        format=event_format,
        audience=audience,
        description=f"{title}: présentation et visite.",
        starts_at=local_datetime(day, hours[0]),
        ends_at=local_datetime(day, hours[1]),
        venue_name="Salle principale",
        venue_address="1 rue de l'Innovation",
        commune_insee=insee,
        capacity=capacity,
        is_registration_required=registration,
        organisers=[make_organisation(name) for name in organisers],
        published_at=PUBLISHED_AT,
    )
    stop = Stop(
        edition_id=edition.id,
        status=StopStatus.CONFIRMED,
        confirmed_at=PUBLISHED_AT,
        title=title,
        description=event.description,
        starts_at=event.starts_at,
        ends_at=event.ends_at,
        venue_name=event.venue_name,
        venue_address=event.venue_address,
        commune_insee=insee,
        city=commune.name,
        latitude=commune.latitude,
        longitude=commune.longitude,
        capacity=capacity,
        territory_id=None,
        partners="\n".join(o.name for o in event.organisers),
    )
    db.session.add_all([event, stop])
    db.session.flush()
    event.stop_id = stop.id
    if registration:
        stop.agenda_items = [AgendaItem(position=0, title=title, starts_on=hours[0])]
        db.session.flush()
        (workshop,) = participant_services.sync_workshops(stop)
        participant_services.set_capacity(workshop, capacity, True, PUBLISHED_AT)
    db.session.flush()
    return event


def person(n: int, **fields) -> dict:
    """What the registration form gives the service for person n."""
    return {
        "first_name": f"Prénom{n}",
        "last_name": f"Nom{n}",
        "email": f"visiteur{n}@example.org",
        "company_name": f"Société {n}",
        "company_size": "small",
        "naf_code": "25.62B",
        "siret": None,
        "commune_insee": LILLE,
        **fields,
    }


def register(event: ProgrammeEvent, n: int, now: datetime, **fields):
    """Register person n to the event's single workshop."""
    workshops = participant_services.open_workshops(event.stop)
    return participant_services.register(
        event.stop, person(n, **fields), [w.id for w in workshops], "fr", now
    )


@pytest.fixture(name="week")
def public_week():
    """The public side's week (October 2027); test modules import it over the conftest's."""
    return make_week()
