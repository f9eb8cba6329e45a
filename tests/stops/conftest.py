"""Factories for editions, territories, stops and accepted applications."""

from datetime import UTC, date, datetime, time
from itertools import count

import pytest

from coordination.campaigns.models import Application, Call
from coordination.core.clock import local_datetime
from coordination.extensions import db
from coordination.stops.models import Stop, StopStatus
from coordination.territories.models import Commune

_numbers = count(1)

#: INSEE codes of communes with coordinates in the reference data.
PITHIVIERS, ALBERT, SAINT_QUENTIN, STRASBOURG, METZ = "45252", "80016", "02691", "67482", "57463"


@pytest.fixture
def make_stop(edition):
    """A stop straight in the database, on a Paris day (09:00-17:00 unless told)."""

    def make(
        day=date(2026, 9, 15),
        insee=PITHIVIERS,
        title=None,
        status=StopStatus.TENTATIVE,
        starts=time(9, 0),
        ends=time(17, 0),
        edition_=None,
        **fields,
    ):
        commune = db.session.get(Commune, insee) if insee else None
        stop = Stop(
            edition_id=(edition_ or edition).id,
            title=title or (commune.name if commune else f"Étape {next(_numbers)}"),
            starts_at=local_datetime(day, starts),
            ends_at=local_datetime(day, ends),
            status=status,
            city=commune.name if commune else "",
            commune_insee=insee,
            latitude=commune.latitude if commune else None,
            longitude=commune.longitude if commune else None,
            **fields,
        )
        db.session.add(stop)
        db.session.flush()
        return stop

    return make


@pytest.fixture
def make_accepted(edition, make_territory):
    """An accepted application of the edition's call, with the core answers."""

    def make(members=(), territory=None, decision="accepted", released=True, **answers):
        territory = territory or make_territory(f"Territoire {next(_numbers)}")
        call = Call(
            edition=edition,
            title="Appel",
            opens_at=datetime(2026, 1, 1, tzinfo=UTC),
            closes_at=datetime(2026, 2, 1, tzinfo=UTC),
        )
        db.session.add(call)
        data = {
            "territory_id": [str(territory.id)],
            "contacts-0-name": ["Sandrine Petit"],
            "contacts-0-function": ["Chargée de mission"],
            "contacts-0-email": ["sandrine@territoire.example"],
            "contacts-0-phone": ["03 22 00 00 00"],
            "contacts-1-name": [""],
            "contacts-1-email": [""],
            "host_city": ["Albert"],
            "host_city_insee": [ALBERT],
            "venue": ["Salle des fêtes"],
            "availability-0-start": ["2026-09-12"],
            "availability-0-end": ["2026-09-18"],
            "availability-1-start": [""],
            "availability-1-end": [""],
            "partners": ["Université de Picardie, CCI"],
        }
        data.update({k: v if isinstance(v, list) else [v] for k, v in answers.items()})
        application = Application(
            call=call,
            territory_id=territory.id,
            status="submitted",
            form_data=data,
            members=list(members),
            decision=decision,
            decision_released_at=datetime(2026, 3, 1, tzinfo=UTC) if released else None,
            submitted_at=datetime(2026, 1, 20, tzinfo=UTC),
        )
        db.session.add_all([call, application])
        db.session.flush()
        return application

    return make
