"""Demo stops: the 2019 tour as it happened, and the coming edition's first plan."""

from datetime import date, datetime, time

from sqlalchemy import select

from coordination.auth.services import find_user_by_email
from coordination.campaigns.models import Edition
from coordination.core.clock import local_datetime, to_local
from coordination.extensions import db
from coordination.stops import services
from coordination.stops.models import AgendaItem, Stop, StopStatus
from coordination.stops.warnings import next_weekday
from coordination.territories.models import Commune, Territory

#: (territory, commune INSEE, title, day, venue, description) of the 2019 tour in the demo.
#: The launch date is the real one; the other two days are illustrative.
STOPS_2019 = [
    (
        "Pithiverais",
        "45252",
        "Pithiviers — lancement national",
        date(2019, 6, 5),
        "Salle des fêtes de Pithiviers",
        "Lancement national de la première Tournée de l'innovation.",
    ),
    (
        "Pays du Coquelicot (Albert-Méaulte)",
        "80016",
        "Albert-Méaulte",
        date(2019, 9, 26),
        "Pôle aéronautique Henri Potez",
        "Étape des Hauts-de-France autour de la filière aéronautique.",
    ),
    (
        "Saint-Quentinois",
        "02691",
        "Saint-Quentin — clôture",
        date(2019, 10, 15),
        "Palais de Fervaques",
        "Clôture de la Tournée 2019 dans les Hauts-de-France.",
    ),
]

AGENDA = [
    (time(9, 30), "Ouverture et présentation de la Tournée", "Amphithéâtre", "InnovENT-E, élus"),
    (time(10, 30), "Atelier-débat : innover dans les PME-PMI", "Salle A", "Dirigeants de PME"),
    (time(14, 0), "Atelier-débat : se développer à l'international", "Salle B", "CCI, Bpifrance"),
    (time(15, 30), "Atelier-débat : compétences et formation", "Salle A", "Universités, UIMM"),
]


def _contact(name: str, email: str, function: str) -> dict:
    return {"name": name, "function": function, "email": email, "phone": ""}


def _stop(edition, territory, insee, title, day, venue, description, status, hosts) -> Stop:
    commune = db.session.get(Commune, insee)
    return Stop(
        edition_id=edition.id,
        territory_id=territory.id if territory else None,
        title=title,
        description=description,
        starts_at=local_datetime(day, time(9, 0)),
        ends_at=local_datetime(day, time(17, 0)),
        status=status,
        sequence=0,
        venue_name=venue,
        venue_address="",
        city=commune.name if commune else title,
        commune_insee=commune.insee_code if commune else None,
        latitude=commune.latitude if commune else None,
        longitude=commune.longitude if commune else None,
        host_contacts=hosts,
        partners="Université, CCI, UIMM",
        availability=[],
        cancel_reason="",
    )


def load_demo(now: datetime) -> None:
    """Add the stops' demo data (called once, after campaigns' and clubs' demo data)."""
    staff = find_user_by_email("equipe@demo.innovent-e.fr")
    territories = {t.name: t for t in db.session.scalars(select(Territory))}
    editions = {e.slug: e for e in db.session.scalars(select(Edition))}

    tour_2019 = editions.get("tournee-2019")
    if tour_2019 is not None:
        services.rules_row(tour_2019)
        for name, insee, title, day, venue, description in STOPS_2019:
            stop = _stop(
                tour_2019,
                territories.get(name),
                insee,
                title,
                day,
                venue,
                description,
                StopStatus.HELD,
                [
                    _contact(
                        "Accueil du territoire", "contact@example.org", "Développement économique"
                    )
                ],
            )
            stop.confirmed_at = local_datetime(date(2019, 5, 15), time(10, 0))
            stop.created_at = stop.updated_at = local_datetime(date(2019, 4, 1), time(10, 0))
            stop.agenda_items = [
                AgendaItem(position=i, starts_on=at, title=t, room=room, speakers=speakers)
                for i, (at, t, room, speakers) in enumerate(AGENDA)
            ]
            db.session.add(stop)
        db.session.flush()

    coming = editions.get(f"tournee-{to_local(now).year + 1}")
    if coming is None:
        return
    # Accepted demo applications (if the campaigns demo decided any) become stops first.
    services.create_stops_from_accepted(coming, staff, now)
    year = coming.starts_on.year
    pithiviers = _stop(
        coming,
        territories.get("Pithiverais"),
        "45252",
        "Pithiviers",
        next_weekday(date(year, 6, 1)),
        "Salle des fêtes de Pithiviers",
        "Lancement de la Tournée.",
        StopStatus.TENTATIVE,
        [_contact("Accueil du Pithiverais", "pithiviers@example.org", "Chargé de mission")],
    )
    # A stop on 15 August: public holiday and August break warnings to show.
    albert = _stop(
        coming,
        territories.get("Pays du Coquelicot (Albert-Méaulte)"),
        "80016",
        "Albert-Méaulte",
        date(year, 8, 15),
        "",
        "",
        StopStatus.TENTATIVE,
        [
            _contact(
                "Sandrine Petit",
                "territoire@demo.innovent-e.fr",
                "Chargée de mission développement économique",
            )
        ],
    )
    albert.availability = [[f"{year}-09-14", f"{year}-09-25"]]
    saint_quentin = _stop(
        coming,
        territories.get("Saint-Quentinois"),
        "02691",
        "Saint-Quentin",
        next_weekday(date(year, 9, 15)),
        "Palais de Fervaques",
        "",
        StopStatus.TENTATIVE,
        [],
    )
    saint_quentin.availability = [[f"{year}-09-14", f"{year}-09-25"]]
    db.session.add_all([pithiviers, albert, saint_quentin])
    db.session.flush()
    for stop in (pithiviers, albert, saint_quentin):
        services.record_change(stop, "created", {}, staff, now)
    services.confirm_stop(pithiviers, staff, now)
    db.session.flush()
