"""Factories for the dashboard: an edition with stops, applications, partners, emails."""

from datetime import UTC, date, datetime, time
from itertools import count

import pytest

from coordination.campaigns.models import Application, Call, Edition, EditionStatus
from coordination.clubs.models import Club, Membership, PartnerOrganisation
from coordination.core.clock import local_datetime
from coordination.core.text import search_key
from coordination.extensions import db
from coordination.notifications.models import OutboxMessage
from coordination.stops.models import Stop, StopStatus
from coordination.territories.models import Commune, Epci, Territory

_numbers = count(1)

#: INSEE codes of communes with coordinates in the reference data.
PITHIVIERS, ALBERT, SAINT_QUENTIN, STRASBOURG, METZ = "45252", "80016", "02691", "67482", "57463"


@pytest.fixture
def edition():
    edition = Edition(
        slug=f"tournee-carte-{next(_numbers)}",
        name="Tournée carte",
        status=EditionStatus.PLANNED,
        starts_on=date(2026, 9, 1),
        ends_on=date(2026, 10, 30),
    )
    db.session.add(edition)
    db.session.flush()
    return edition


@pytest.fixture
def make_stop(edition):
    """A stop on a Paris day, placed at its commune's town hall (or at `lat_lon`)."""

    def make(day=date(2026, 9, 15), insee=PITHIVIERS, status=StopStatus.CONFIRMED, lat_lon=None):
        commune = db.session.get(Commune, insee) if insee else None
        latitude, longitude = lat_lon or (
            (commune.latitude, commune.longitude) if commune else (None, None)
        )
        stop = Stop(
            edition_id=edition.id,
            title=f"Étape {next(_numbers)}",
            starts_at=local_datetime(day, time(9, 0)),
            ends_at=local_datetime(day, time(17, 0)),
            status=status,
            city=commune.name if commune else "",
            commune_insee=insee,
            latitude=latitude,
            longitude=longitude,
        )
        db.session.add(stop)
        db.session.flush()
        return stop

    return make


@pytest.fixture
def make_application(edition):
    """An application from a new territory made of the EPCI of `insee`'s commune."""
    call = Call(
        edition=edition,
        title="Appel",
        opens_at=datetime(2026, 1, 1, tzinfo=UTC),
        closes_at=datetime(2026, 3, 1, tzinfo=UTC),
    )
    db.session.add(call)

    def make(
        insee=PITHIVIERS,
        status="submitted",
        decision=None,
        submitted_at=datetime(2026, 2, 10, 9, 0, tzinfo=UTC),
    ):
        commune = db.session.get(Commune, insee)
        epci = db.session.get(Epci, commune.epci_siren)
        name = f"Territoire {next(_numbers)}"
        region = commune.departement.region_code
        territory = Territory(
            name=name, search_name=search_key(name), region_code=region, epcis=[epci]
        )
        application = Application(
            call=call,
            territory=territory,
            status=status,
            decision=decision,
            submitted_at=submitted_at if status != "draft" else None,
        )
        db.session.add_all([territory, application])
        db.session.flush()
        return application

    return make


@pytest.fixture
def make_partner():
    """A partner organisation, approved member of a club named `club`."""
    clubs: dict[str, Club] = {}

    def make(kind="university", club="Club Loiret", now=datetime(2026, 3, 1, tzinfo=UTC)):
        number = next(_numbers)
        if club not in clubs:
            clubs[club] = Club(slug=f"club-{number}", name=club)
        organisation = PartnerOrganisation(
            name=f"Partenaire {number}", search_name=f"partenaire {number}", kind=kind
        )
        membership = Membership(
            club=clubs[club], organisation=organisation, status="approved", requested_at=now
        )
        db.session.add_all([clubs[club], organisation, membership])
        db.session.flush()
        return organisation

    return make


@pytest.fixture
def make_message():
    def make(status="sent", created_at=datetime(2026, 3, 2, 9, 0, tzinfo=UTC)):
        number = next(_numbers)
        message = OutboxMessage(
            idempotency_key=f"test:{number}",
            template="test",
            to_email=f"person{number}@example.org",
            from_email="platform@example.org",
            subject="Subject",
            text_body="Body",
            html_body="<p>Body</p>",
            status=status,
            created_at=created_at,
            next_attempt_at=created_at,
        )
        db.session.add(message)
        db.session.flush()
        return message

    return make
