"""Demo data that tells the real story: the 2019 tour and a coming edition whose call is open."""

from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from coordination.auth import demo as auth_demo
from coordination.auth.models import DigestFrequency, Role
from coordination.auth.services import create_user, find_user_by_email
from coordination.campaigns import demo as campaigns_demo
from coordination.campaigns.models import Call, Edition, EditionKind, EditionStatus
from coordination.clubs import demo as clubs_demo
from coordination.core.clock import local_datetime, to_local
from coordination.core.text import search_key
from coordination.editions import demo as editions_demo
from coordination.extensions import db
from coordination.forums import demo as forums_demo
from coordination.notifications import demo as notifications_demo
from coordination.participants import demo as participants_demo
from coordination.planner import demo as planner_demo
from coordination.programmes import demo as programmes_demo
from coordination.stops import demo as stops_demo
from coordination.territories.models import Epci, Territory

DEMO_PASSWORD = "demo-password-2026"  # noqa: S105 (public demo accounts)
DEMO_ACCOUNTS = [
    ("equipe@demo.innovent-e.fr", (Role.STAFF,)),
    ("relecteur@demo.innovent-e.fr", (Role.REVIEWER,)),
    ("territoire@demo.innovent-e.fr", (Role.TERRITORY_CONTACT,)),
    ("partenaire@demo.innovent-e.fr", (Role.PARTNER_CONTACT,)),
]
DEMO_NAMES = {
    "equipe@demo.innovent-e.fr": "Camille Martin (équipe InnovENT-E)",
    "relecteur@demo.innovent-e.fr": "Dominique Leroy (relecteur)",
    "territoire@demo.innovent-e.fr": "Sandrine Petit (Pays du Coquelicot)",
    "partenaire@demo.innovent-e.fr": "Karim Benali (CCI Hauts-de-France)",
}
#: Territories built from the real EPCIs around three stop cities of 2019.
DEMO_TERRITORIES = [
    ("Pithiverais", "24", ["200066280"]),
    ("Pays du Coquelicot (Albert-Méaulte)", "32", ["248000747"]),
    ("Saint-Quentinois", "32", ["200071892"]),
]


def load_demo_data(now: datetime) -> bool:
    """Create the demo accounts, territories, editions and call once; False if already there."""
    if find_user_by_email(DEMO_ACCOUNTS[0][0]) is not None:
        return False
    for email, roles in DEMO_ACCOUNTS:
        user = create_user(email, DEMO_NAMES[email], roles, password=DEMO_PASSWORD)
        if Role.STAFF in roles:
            user.digest_frequency = DigestFrequency.DAILY
    _demo_territories()
    _demo_editions(now)
    db.session.flush()
    # Each domain adds its own story on top of the accounts, territories and editions.
    auth_demo.load_demo(now)
    campaigns_demo.load_demo(now)
    clubs_demo.load_demo(now)
    stops_demo.load_demo(now)
    planner_demo.load_demo(now)
    participants_demo.load_demo(now)
    editions_demo.load_demo(now)
    notifications_demo.load_demo(now)
    # Last: the other demos pick "the first coming stop", which must stay the tour's.
    programmes_demo.load_demo(now)
    forums_demo.load_demo(now)
    db.session.flush()
    return True


def _demo_territories() -> None:
    for name, region_code, sirens in DEMO_TERRITORIES:
        epcis = list(db.session.scalars(select(Epci).where(Epci.siren.in_(sirens))))
        db.session.add(
            Territory(
                name=name,
                search_name=search_key(name),
                region_code=region_code,
                epcis=epcis,
                is_industry_territory=True,
            )
        )


def _demo_editions(now: datetime) -> None:
    db.session.add(
        Edition(
            slug="tournee-2019",
            name="Tournée de l'innovation dans les territoires d'industrie 2019",
            kind=EditionKind.TOUR,
            status=EditionStatus.CLOSED,
            description=(
                "Première édition : lancement national le 5 juin 2019 à Pithiviers "
                "(Centre-Val de Loire), clôture mi-octobre dans les Hauts-de-France. "
                "36 villes-étapes visitées sur 40 prévues, une trentaine d'établissements "
                "d'enseignement supérieur engagés."
            ),
            starts_on=date(2019, 6, 5),
            ends_on=date(2019, 10, 15),
        )
    )
    # The coming edition follows the clock, so the demo always has an open call.
    year = to_local(now).year + 1
    coming = Edition(
        slug=f"tournee-{year}",
        name=f"Tournée de l'innovation dans les territoires d'industrie {year}",
        kind=EditionKind.TOUR,
        status=EditionStatus.PLANNED,
        description=(
            "Une journée d'ateliers-débats par ville-étape, avec les dirigeants de PME-PMI, "
            "les universités et écoles et les acteurs économiques du territoire."
        ),
        starts_on=date(year, 6, 1),
        ends_on=date(year, 10, 30),
    )
    closing_day = (to_local(now) + timedelta(days=60)).date()
    coming.calls.append(
        Call(
            title=f"Appel à candidatures : accueillir une étape de la Tournée {year}",
            description=(
                "Les territoires d'industrie candidatent pour accueillir une étape et "
                "présentent leurs atouts spécifiques."
            ),
            opens_at=now - timedelta(days=21),
            closes_at=local_datetime(closing_day, time(12, 0)),
            is_industry_only=True,
        )
    )
    db.session.add(coming)
