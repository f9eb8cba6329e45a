"""Factories: a forum edition, its confirmed day (a stop) with a programme of sessions."""

from datetime import date, time
from itertools import count

import pytest

from coordination.campaigns.models import Edition, EditionKind
from coordination.core.clock import local_datetime
from coordination.extensions import db
from coordination.participants import services
from coordination.stops.models import Stop, StopStatus
from coordination.stops.services import set_agenda

_numbers = count(1)
ANNECY = "74010"
DAY = date(2027, 1, 14)
HOST_EMAIL = "hote@forum.example"


def session(title, kind, starts, ends, room="Auditorium", *speakers):
    return {
        "title": title,
        "kind": kind,
        "starts_on": starts,
        "ends_on": ends,
        "room": room,
        "speaker_list": [
            dict(zip(("name", "organisation", "role"), s.split(" | "), strict=True))
            for s in speakers
        ],
    }


PROGRAMME = [
    session("Accueil café", "break", time(8, 30), time(9, 0), "Hall"),
    session(
        "Table ronde : compétences",
        "round_table",
        time(9, 0),
        time(10, 0),
        "Auditorium",
        "Sophie Garnier | Décolletage du Faucigny | Dirigeante",
        "Karim Haddad | Université Savoie Mont Blanc | Maître de conférences",
    ),
    session(
        "Atelier financement",
        "workshop",
        time(10, 30),
        time(12, 0),
        "Salle Aravis",
        "Nicolas Chevalier | Bpifrance | Chargé d'affaires",
    ),
    session("Atelier alternance", "workshop", time(10, 30), time(12, 0), "Salle Bauges"),
    session("Atelier robotique", "workshop", time(11, 0), time(12, 30), "Salle Semnoz"),
    session("Atelier export", "workshop", time(14, 0), time(15, 30), "Salle Aravis"),
]


@pytest.fixture
def host(make_user):
    """The forum's host (a territory contact named among its host contacts); ask for it
    before the forum, whose invitations would otherwise make the account first."""
    return make_user(HOST_EMAIL, roles=("territory_contact",), name="Hôte")


@pytest.fixture
def forum_edition():
    edition = Edition(
        slug=f"forum-test-{next(_numbers)}",
        name="Forum PEAK — Innovation et compétences",
        kind=EditionKind.FORUM,
        status="planned",
        starts_on=DAY,
        ends_on=DAY,
    )
    db.session.add(edition)
    db.session.flush()
    return edition


@pytest.fixture
def make_forum(forum_edition, now):
    """A confirmed forum day in Annecy with the programme above (workshops of 2 places)."""

    def make(capacity=2, status=StopStatus.CONFIRMED, programme=PROGRAMME, **fields):
        stop = Stop(
            edition_id=forum_edition.id,
            territory_id=None,
            title="Forum PEAK à Annecy",
            starts_at=local_datetime(DAY, time(8, 30)),
            ends_at=local_datetime(DAY, time(17, 0)),
            status=status,
            confirmed_at=now if status == StopStatus.CONFIRMED else None,
            city="Annecy",
            venue_name="Centre des congrès",
            commune_insee=ANNECY,
            capacity=capacity,
            created_at=now,
            updated_at=now,
            host_contacts=[{"name": "Hôte", "function": "", "email": HOST_EMAIL, "phone": ""}],
            **fields,
        )
        db.session.add(stop)
        db.session.flush()
        set_agenda(stop, programme, None, now)
        db.session.flush()
        services.sync_workshops(stop)
        return stop

    return make


@pytest.fixture
def forum(make_forum):
    return make_forum()


def workshop_by_title(stop, title):
    return next(w for w in services.sync_workshops(stop) if w.title == title)


def person(n: int, **fields) -> dict:
    return {
        "first_name": f"Prénom{n}",
        "last_name": f"Nom{n}",
        "email": f"p{n}@example.org",
        "phone": "",
        "role": f"Rôle {n}",
        "company_name": f"Société {n}",
        "company_size": "small",
        "naf_code": "25.62B",
        "siret": None,
        "commune_insee": ANNECY,
        **fields,
    }
