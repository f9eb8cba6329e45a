"""The full-size demo's people: partner organisations in clubs, and the 2019 tour's
participants with their questionnaire answers (see demo_large.py for the plan)."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import func, select

from coordination.auth.models import User
from coordination.campaigns.models import Edition
from coordination.clubs.models import (
    Club,
    Membership,
    MembershipStatus,
    PartnerKind,
    PartnerOrganisation,
)
from coordination.clubs.organisations import organisation_key
from coordination.clubs.services import save_club
from coordination.core.text import search_key
from coordination.demo_names import (
    COMPANY_SUFFIXES,
    COMPANY_WORDS,
    LAST_NAMES,
    NAF,
    ORGANISATION_KINDS,
    SEED,
    SIZES,
    person_name,
    slug,
)
from coordination.extensions import db
from coordination.participants import services as participant_services
from coordination.participants.models import NeedResponse, Registration
from coordination.stops.models import Stop
from coordination.territories.models import Territory

if TYPE_CHECKING:
    from coordination.demo_large import DemoPlan


def clubs(plan: DemoPlan, staff: User, now: datetime) -> tuple[int, int]:
    rng = random.Random(f"{SEED}-clubs")
    clubs = list(db.session.scalars(select(Club).order_by(Club.id)))
    new_clubs = 0
    territories = db.session.scalars(
        select(Territory)
        .where(Territory.official_code.like("DEMO-TI-%"))
        .order_by(Territory.official_code)
    ).all()
    for n in range(len(clubs), plan.clubs):
        members = territories[n * 3 : n * 3 + 3]
        if not members:
            break
        name = f"Club territorial {members[0].name}"
        clubs.append(
            save_club(
                None,
                {
                    "name": name,
                    "slug": slug(name)[:60],
                    "description": "Les partenaires des PME-PMI du territoire.",
                    "territory_ids": [t.id for t in members],
                    "leads": [staff],
                },
            )
        )
        new_clubs += 1
    have = db.session.scalar(select(func.count()).select_from(PartnerOrganisation))
    new_organisations = 0
    used = set(db.session.scalars(select(PartnerOrganisation.search_name)))
    for n in range(have, plan.organisations):
        kind, label = ORGANISATION_KINDS[n % len(ORGANISATION_KINDS)]
        territory = territories[n % len(territories)]
        name = (
            f"{rng.choice(COMPANY_WORDS)} {rng.choice(LAST_NAMES)} {rng.choice(COMPANY_SUFFIXES)}"
            if kind == PartnerKind.COMPANY
            else f"{label} {territory.name}"
        )
        if organisation_key(name) in used:
            name = f"{name} — {rng.choice(['site', 'antenne', 'agence'])} {n}"
        used.add(organisation_key(name))
        organisation = PartnerOrganisation(
            name=name,
            search_name=organisation_key(name),
            kind=kind,
            website="",
            address=territory.name,
            region_code=territory.region_code,
            interests=rng.sample(["innovation", "skills_recruitment", "international"], 2),
        )
        db.session.add(organisation)
        for club in rng.sample(clubs, 1 + (n % 4 == 0)):
            status = MembershipStatus.PENDING if n % 10 == 0 else MembershipStatus.APPROVED
            db.session.add(
                Membership(
                    club=club,
                    organisation=organisation,
                    status=status,
                    version=1 if status == MembershipStatus.PENDING else 2,
                    requested_at=now - timedelta(days=30 - n % 25),
                    consented_at=now - timedelta(days=30 - n % 25),
                    decided_at=None if status == MembershipStatus.PENDING else now,
                    decided_by_id=None if status == MembershipStatus.PENDING else staff.id,
                )
            )
        new_organisations += 1
    db.session.flush()
    return new_clubs, new_organisations


def participants(plan: DemoPlan) -> int:
    """People who came to the 2019 stops, each with answers to the needs questionnaire."""
    edition = db.session.scalar(select(Edition).where(Edition.slug == "tournee-2019"))
    stops = db.session.scalars(
        select(Stop).where(Stop.edition_id == edition.id).order_by(Stop.starts_at, Stop.id)
    ).all()
    have = db.session.scalar(
        select(func.count())
        .select_from(Registration)
        .join(Stop, Stop.id == Registration.stop_id)
        .where(Stop.edition_id == edition.id)
    )
    missing = plan.participants - have
    if missing <= 0 or not stops:
        return 0
    questionnaire = participant_services.get_or_create_questionnaire(edition)
    scale_ids = [q.id for q in questionnaire.questions if q.kind == "scale"]
    rng = random.Random(f"{SEED}-participants")
    for n in range(have, plan.participants):
        stop = stops[n % len(stops)]
        first, last = person_name(rng)
        naf = rng.choice(NAF)
        registration = Registration(
            stop=stop,
            email=f"{slug(first)}.{slug(last)}.{n}@entreprise.example",
            first_name=first,
            last_name=last,
            search_name=search_key(f"{last} {first}"),
            phone="",
            role=rng.choice(["Dirigeant", "Responsable RH", "Directrice R&D", "Gérant"]),
            company_name=f"{rng.choice(COMPANY_WORDS)} {rng.choice(LAST_NAMES)}",
            company_size=rng.choice(SIZES),
            naf_code=naf,
            sector=participant_services.naf_section(naf) or "U",
            commune_insee=stop.commune_insee,
            locale="fr",
            consented_at=stop.starts_at - timedelta(days=10),
            registered_at=stop.starts_at - timedelta(days=10),
            checked_in_at=stop.starts_at,
            questionnaire_sent_at=stop.ends_at + timedelta(hours=16),
        )
        db.session.add(registration)
        db.session.add(
            NeedResponse(
                registration=registration,
                questionnaire_id=questionnaire.id,
                answers={str(qid): rng.randint(1, 5) for qid in scale_ids},
                submitted_at=stop.ends_at + timedelta(days=1, hours=2),
            )
        )
    db.session.flush()
    return missing
