"""Demo clubs, partners and meetings."""

from datetime import datetime, time, timedelta

from sqlalchemy import select

from coordination.auth.services import find_user_by_email
from coordination.clubs.models import (
    Club,
    MeetingStatus,
    Membership,
    MembershipStatus,
    PartnerKind,
    PartnerOrganisation,
)
from coordination.clubs.organisations import add_contact, organisation_key
from coordination.clubs.services import save_meeting
from coordination.core.clock import local_datetime, to_local
from coordination.extensions import db
from coordination.territories.models import Territory

#: Made-up SIRET numbers with valid check digits (not real establishments).
DEMO_ORGANISATIONS = [
    (
        "Université de Picardie Jules Verne",
        PartnerKind.UNIVERSITY,
        None,
        "https://www.u-picardie.fr",
        "Chemin du Thil, 80025 Amiens",
        "32",
    ),
    (
        "CCI Hauts-de-France",
        PartnerKind.CHAMBER_OF_COMMERCE,
        "80000000200017",
        "https://www.hautsdefrance.cci.fr",
        "299 boulevard de Leeds, 59777 Lille",
        "32",
    ),
    (
        "Agence régionale de financement de l'innovation (démo)",
        PartnerKind.BPIFRANCE,
        "81000000000010",
        "",
        "Amiens",
        "32",
    ),
]


def _territory(name_start: str) -> Territory | None:
    return db.session.scalar(select(Territory).where(Territory.name.startswith(name_start)))


def load_demo(now: datetime) -> None:
    """Add the clubs' demo data (called once, after accounts and territories exist)."""
    staff = find_user_by_email("equipe@demo.innovent-e.fr")
    territory_lead = find_user_by_email("territoire@demo.innovent-e.fr")
    partner = find_user_by_email("partenaire@demo.innovent-e.fr")
    pithiverais = _territory("Pithiverais")
    coquelicot = _territory("Pays du Coquelicot")
    saint_quentin = _territory("Saint-Quentinois")

    loiret = Club(
        slug="club-pithiverais",
        name="Club territorial du Pithiverais",
        description=(
            "Les partenaires des PME-PMI du Pithiverais : innovation, compétences et "
            "recrutement dans l'industrie agroalimentaire et cosmétique."
        ),
        is_open=True,
        territories=[t for t in (pithiverais,) if t],
        leads=[u for u in (staff,) if u],
    )
    somme_aisne = Club(
        slug="club-somme-aisne",
        name="Club territorial Somme-Aisne",
        description=(
            "Pays du Coquelicot et Saint-Quentinois : aéronautique, mécanique et "
            "développement international des PME-PMI."
        ),
        is_open=True,
        territories=[t for t in (coquelicot, saint_quentin) if t],
        leads=[u for u in (territory_lead,) if u],
    )
    db.session.add_all([loiret, somme_aisne])

    organisations = []
    for name, kind, siret, website, address, region in DEMO_ORGANISATIONS:
        organisation = PartnerOrganisation(
            name=name,
            search_name=organisation_key(name),
            kind=kind,
            siret=siret,
            website=website,
            address=address,
            region_code=region,
            interests=["innovation", "skills_recruitment"],
        )
        db.session.add(organisation)
        organisations.append(organisation)
    db.session.flush()
    university, cci, agency = organisations

    if partner is not None:
        add_contact(cci, partner, now, is_approved=True)
        _membership(somme_aisne, cci, partner, MembershipStatus.APPROVED, now - timedelta(days=40))
        # A request waiting for a decision, on the Pithiverais club.
        _membership(loiret, cci, partner, MembershipStatus.PENDING, now)
    # Members whose contacts are not in the demo (no extra accounts).
    _membership(somme_aisne, university, None, MembershipStatus.APPROVED, now)
    _membership(loiret, agency, None, MembershipStatus.APPROVED, now)
    _membership(somme_aisne, agency, None, MembershipStatus.APPROVED, now)

    today = to_local(now).date()
    meetings = [
        (
            somme_aisne,
            21,
            time(14, 0),
            time(16, 30),
            "Réunion de lancement du club",
            "Mairie de Saint-Quentin, salle du conseil",
            MeetingStatus.CONFIRMED,
        ),
        (
            somme_aisne,
            63,
            time(9, 30),
            time(12, 0),
            "Atelier compétences et recrutement",
            "Aéropôle de Méaulte",
            MeetingStatus.PLANNED,
        ),
        (
            loiret,
            35,
            time(10, 0),
            time(12, 0),
            "Club du Pithiverais : besoins des PME",
            "",
            MeetingStatus.PLANNED,
        ),
    ]
    for club, days, start, end, title, place, status in meetings:
        day = today + timedelta(days=days)
        save_meeting(
            club,
            None,
            {
                "title": title,
                "starts_at": local_datetime(day, start),
                "ends_at": local_datetime(day, end),
                "place": place,
                "online_url": "" if place else "https://visio.example.org/club-pithiverais",
                "agenda": "1. Tour de table\n2. Besoins des PME-PMI du territoire\n3. Suite",
                "status": status,
            },
            now,
        )
    db.session.flush()


def _membership(club, organisation, user, status, now) -> None:
    db.session.add(
        Membership(
            club=club,
            organisation=organisation,
            status=status,
            version=1 if status == MembershipStatus.PENDING else 2,
            requested_by=user,
            requested_at=now - timedelta(days=3),
            consented_at=now - timedelta(days=3),
            decided_at=None if status == MembershipStatus.PENDING else now,
        )
    )
