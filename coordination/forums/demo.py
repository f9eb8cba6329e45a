"""Demo: a one-day forum in Annecy (like Thésame's PEAK forum), its programme of talks,
round tables and parallel workshops with their speakers, and about 120 registrations."""

import random
from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from coordination.campaigns.models import Edition, EditionKind, EditionStatus
from coordination.core.clock import local_datetime, to_local
from coordination.demo_names import FIRST_NAMES, LAST_NAMES, NAF, SIZES
from coordination.extensions import db
from coordination.participants import services as participants
from coordination.stops.models import StopStatus
from coordination.stops.services import create_stop, set_agenda

SLUG = "forum-peak-{year}"
ANNECY = "74010"
REGISTRANTS = 120
ROLES = ["Dirigeant", "Directrice R&D", "Responsable RH", "Chargé d'innovation", "Doctorante"]
ORGANISATIONS = [
    "Usinage des Aravis",
    "Décolletage du Faucigny",
    "Savoie Mécatronique",
    "Université Savoie Mont Blanc",
    "Lycée technique du Salève",
    "CCI Haute-Savoie",
    "Plasturgie du Léman",
    "Alpes Robotique",
]
MORNING, AFTERNOON = (time(10, 45), time(12, 15)), (time(13, 45), time(15, 15))
ROOMS = ["Salle Aravis", "Salle Bauges", "Salle Semnoz"]


def _people(*rows: str) -> list[dict]:
    """Speakers given as "Name | Organisation | Role"."""
    return [
        dict(zip(("name", "organisation", "role"), row.split(" | "), strict=True)) for row in rows
    ]


def _session(title, kind, span, room="Auditorium", *speakers) -> dict:
    return {
        "title": title,
        "kind": kind,
        "starts_on": span[0],
        "ends_on": span[1],
        "room": room,
        "speaker_list": _people(*speakers),
    }


PROGRAMME = [
    _session("Accueil café", "break", (time(8, 30), time(9, 0)), "Hall"),
    _session(
        "Ouverture : l'industrie qui innove en Haute-Savoie",
        "plenary",
        (time(9, 0), time(9, 30)),
        "Auditorium",
        "Hélène Duret | InnovENT-E | Déléguée générale",
        "Marc Vial | Thésame | Président",
    ),
    _session(
        "Table ronde : les compétences de demain dans nos PME",
        "round_table",
        (time(9, 30), time(10, 30)),
        "Auditorium",
        "Sophie Garnier | Décolletage du Faucigny | Dirigeante",
        "Karim Haddad | Université Savoie Mont Blanc | Maître de conférences",
        "Laura Perrin | Lycée technique du Salève | Proviseure adjointe",
        "Thomas Roux | Thésame | Animateur",
    ),
    _session(
        "Atelier : financer un projet d'innovation",
        "workshop",
        MORNING,
        ROOMS[0],
        "Nicolas Chevalier | Bpifrance | Chargé d'affaires innovation",
    ),
    _session(
        "Atelier : recruter et former des alternants",
        "workshop",
        MORNING,
        ROOMS[1],
        "Inès Moreau | Campus des métiers | Coordinatrice",
        "Julien Bernard | Savoie Mécatronique | Responsable RH",
    ),
    _session(
        "Atelier : la robotique collaborative à l'atelier",
        "workshop",
        MORNING,
        ROOMS[2],
        "Yann Fontaine | Alpes Robotique | Ingénieur d'application",
    ),
    _session("Déjeuner et rencontres", "networking", (time(12, 15), time(13, 45)), "Hall"),
    _session(
        "Atelier : travailler avec un laboratoire",
        "workshop",
        AFTERNOON,
        ROOMS[0],
        "Claire Lefèvre | Université Savoie Mont Blanc | Chargée de valorisation",
    ),
    _session(
        "Atelier : exporter hors d'Europe",
        "workshop",
        AFTERNOON,
        ROOMS[1],
        "Pierre Garnier | Team France Export | Conseiller international",
    ),
    _session(
        "Atelier : sobriété énergétique des procédés",
        "workshop",
        AFTERNOON,
        ROOMS[2],
        "Manon Girard | Plasturgie du Léman | Responsable méthodes",
    ),
    _session(
        "Clôture : ce que nous retenons de la journée",
        "talk",
        (time(15, 30), time(16, 0)),
        "Auditorium",
        "Hélène Duret | InnovENT-E | Déléguée générale",
    ),
]


def _forum_day(now: datetime) -> date:
    """A Thursday in October of next year, inside the coming tour (whose page stays first)."""
    day = date(to_local(now).year + 1, 10, 1)
    return day + timedelta(days=(3 - day.weekday()) % 7)


def _registrant(rng: random.Random, n: int) -> dict:
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    return {
        "first_name": first,
        "last_name": last,
        "email": f"forum{n}@example.org",
        "phone": "",
        "role": rng.choice(ROLES),
        "company_name": rng.choice(ORGANISATIONS),
        "siret": None,
        "company_size": rng.choice(SIZES),
        "naf_code": rng.choice(NAF),
        "commune_insee": ANNECY,
    }


def load_demo(now: datetime) -> None:
    """Add the forum (once): edition, confirmed stop, programme, registrations."""
    day = _forum_day(now)
    slug = SLUG.format(year=day.year)
    if db.session.scalar(select(Edition.id).where(Edition.slug == slug)) is not None:
        return
    edition = Edition(
        slug=slug,
        name="Forum PEAK — Innovation et compétences",
        kind=EditionKind.FORUM,
        status=EditionStatus.PLANNED,
        description=(
            "Une journée pour les entreprises, la formation, les institutions et la "
            "recherche : conférences, tables rondes et ateliers en salles parallèles."
        ),
        starts_on=day,
        ends_on=day,
    )
    db.session.add(edition)
    db.session.flush()
    stop = create_stop(
        edition,
        {
            "territory_id": None,
            "title": f"Forum PEAK {day.year} à Annecy",
            "status": StopStatus.CONFIRMED,
            "confirmed_at": now,
            "starts_at": local_datetime(day, time(8, 30)),
            "ends_at": local_datetime(day, time(16, 30)),
            "venue_name": "Centre des congrès Impérial",
            "venue_address": "Allée de l'Impérial, 74000 Annecy",
            "city": "Annecy",
            "commune_insee": ANNECY,
            "capacity": 150,
            "partners": "Thésame\nUniversité Savoie Mont Blanc\nCCI Haute-Savoie",
        },
        None,
        now,
    )
    set_agenda(stop, PROGRAMME, None, now)
    db.session.flush()
    _open_workshops_only(stop, now)
    _register(stop, now)
    db.session.flush()


def _open_workshops_only(stop, now: datetime) -> None:
    """Plenary sessions are for everyone; the parallel workshops take registration, one
    of them small so the demo shows a waiting list."""
    for workshop in participants.sync_workshops(stop):
        is_workshop = workshop.agenda_item.kind == "workshop"
        capacity = 25 if workshop.title.startswith("Atelier : la robotique") else 45
        participants.set_capacity(workshop, capacity if is_workshop else None, is_workshop, now)


def _register(stop, now: datetime) -> None:
    workshops = participants.open_workshops(stop)
    morning = [w for w in workshops if w.agenda_item.starts_on == MORNING[0]]
    afternoon = [w for w in workshops if w.agenda_item.starts_on == AFTERNOON[0]]
    rng = random.Random(2026)
    for n in range(1, REGISTRANTS + 1):
        # Robotics draws the crowd: a third ask for it, beyond its places.
        first = morning[2] if n % 3 == 0 else rng.choice(morning)
        chosen = [first.id] + ([rng.choice(afternoon).id] if n % 5 else [])
        at = now - timedelta(days=20) + timedelta(minutes=11 * n)
        participants.register(stop, _registrant(rng, n), chosen, "fr", at)
