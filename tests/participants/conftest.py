"""Factories: an edition, a confirmed stop with workshop-debates, registrations."""

from datetime import date, time
from itertools import count

import pytest
from sqlalchemy import select

from coordination.core.clock import local_datetime
from coordination.extensions import db
from coordination.notifications.models import OutboxMessage
from coordination.participants import services
from coordination.participants.models import Workshop
from coordination.stops.models import AgendaItem, Stop, StopStatus

_numbers = count(1)

PITHIVIERS = "45252"


@pytest.fixture
def make_stop(edition, make_territory):
    """A confirmed stop on 15 September 2027 with two workshop-debates."""

    def make(capacity=2, day=date(2027, 9, 15), status=StopStatus.CONFIRMED, territory=None, **kw):
        stop = Stop(
            edition_id=kw.pop("edition_id", edition.id),
            territory=territory or make_territory(),
            title=kw.pop("title", "Pithiviers"),
            starts_at=local_datetime(day, time(9, 0)),
            ends_at=local_datetime(day, time(17, 0)),
            status=status,
            city="Pithiviers",
            venue_name="Salle des fêtes",
            commune_insee=PITHIVIERS,
            capacity=capacity,
            **kw,
        )
        stop.agenda_items = [
            AgendaItem(position=0, title="Atelier innovation", starts_on=time(10, 0)),
            AgendaItem(position=1, title="Atelier international", starts_on=time(14, 0)),
        ]
        db.session.add(stop)
        db.session.flush()
        services.sync_workshops(stop)
        return stop

    return make


@pytest.fixture
def stop(make_stop):
    return make_stop()


def workshops_of(stop) -> list[Workshop]:
    return list(
        db.session.scalars(
            select(Workshop).where(Workshop.stop_id == stop.id).order_by(Workshop.position)
        )
    )


def person(n: int, **fields) -> dict:
    return {
        "first_name": f"Prénom{n}",
        "last_name": f"Nom{n}",
        "email": f"p{n}@example.org",
        "company_name": f"Société {n}",
        "company_size": "small",
        "naf_code": "25.62B",
        "siret": None,
        "commune_insee": PITHIVIERS,
        **fields,
    }


@pytest.fixture
def register(now):
    """Register person n to the stop's given workshops (all of them by default)."""

    def do(stop, n, workshops=None, at=None, **fields):
        chosen = workshops if workshops is not None else workshops_of(stop)
        return services.register(stop, person(n, **fields), [w.id for w in chosen], "fr", at or now)

    return do


def outbox(template=None) -> list[OutboxMessage]:
    statement = select(OutboxMessage).order_by(OutboxMessage.id)
    if template:
        statement = statement.where(OutboxMessage.template == template)
    return list(db.session.scalars(statement))
