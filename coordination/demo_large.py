"""The full-size demo (`flask demo load --size large`): the small demo, topped up to the
real scale through the services. Each part counts what exists and adds only what is
missing, from a seeded generator, so a second run adds nothing and every run the same."""

import random
from dataclasses import dataclass, fields, replace
from datetime import date, datetime, time, timedelta

from sqlalchemy import func, select, update

from coordination import demo_large_people as people
from coordination.auth import accounts
from coordination.auth.models import Role, User, UserRole
from coordination.auth.services import create_user, find_user_by_email
from coordination.campaigns import services as campaigns
from coordination.campaigns.models import Application, ApplicationStatus, Call, Decision, Edition
from coordination.core.clock import local_datetime
from coordination.demo import load_demo_data
from coordination.demo_names import (
    SEED,
    person_name,
    slug,
    territory_name,
)
from coordination.extensions import db
from coordination.notifications.models import MessageStatus, OutboxMessage
from coordination.stops.creation import create_stop, create_stops_from_accepted
from coordination.stops.models import Stop, StopStatus
from coordination.territories.importing import TerritoryRow, import_territories
from coordination.territories.models import Commune, Epci, Territory

STAFF_EMAIL = "equipe@demo.innovent-e.fr"
#: Official codes of the demo's territories, so they never clash with the real list.
TERRITORY_CODE = "DEMO-TI-{:03d}"


@dataclass(frozen=True)
class DemoPlan:
    """How much the demo holds (totals, the small demo included)."""

    tour_2019_stops: int = 36
    applications: int = 180
    coming_stops: int = 40
    organisations: int = 300
    clubs: int = 12
    participants: int = 2000
    staff: int = 10
    reviewers: int = 20

    def scaled(self, factor: float) -> "DemoPlan":
        """The same plan at a fraction of its size (for tests), never below the small demo."""
        return replace(
            self, **{f.name: max(6, round(getattr(self, f.name) * factor)) for f in fields(self)}
        )


LARGE = DemoPlan()


def load_large_demo(now: datetime, plan: DemoPlan = LARGE) -> dict[str, int]:
    """Load the small demo if needed, then top every part up to the plan; what was added."""
    load_demo_data(now)
    first_new_message = (db.session.scalar(select(func.max(OutboxMessage.id))) or 0) + 1
    staff = find_user_by_email(STAFF_EMAIL)
    added = {
        "accounts": _accounts(plan, staff, now),
        "territories": _territories(plan),
    }
    territories = _free_territories()
    added["2019 stops"] = _tour_2019(plan, territories, staff, now)
    added["applications"] = _applications(plan, territories, staff, now)
    added["coming stops"] = _coming_stops(plan, staff, now)
    added["clubs"], added["organisations"] = people.clubs(plan, staff, now)
    added["participants"] = people.participants(plan)
    # What the services queued while building the past: shown as sent, never delivered.
    db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id >= first_new_message, OutboxMessage.status == MessageStatus.PENDING)
        .values(status=MessageStatus.SENT, sent_at=now, provider_message_id="demo")
    )
    db.session.flush()
    return added


def _count_role(role: str) -> int:
    return db.session.scalar(
        select(func.count())
        .select_from(UserRole)
        .join(User, User.id == UserRole.user_id)
        .where(UserRole.role == role, User.is_active.is_(True))
    )


def _accounts(plan: DemoPlan, staff: User, now: datetime) -> int:
    rng = random.Random(f"{SEED}-accounts")
    created = 0
    call = _open_call(now)
    for role, total, domain in (
        (Role.STAFF, plan.staff, "demo.innovent-e.fr"),
        (Role.REVIEWER, plan.reviewers, "relecture.example.org"),
    ):
        n = 0
        while _count_role(role) < total:
            n += 1
            first, last = person_name(rng)
            email = f"{slug(first)}.{slug(last)}.{n}@{domain}"
            user, is_new = accounts.add_account(
                email, f"{first} {last}", [role], now - timedelta(days=40), actor=staff
            )
            created += is_new
            if role == Role.REVIEWER and call is not None:
                region = rng.choice(["11", "24", "27", "28", "32", "44", "52", "53", "75", "84"])
                campaigns.add_reviewer(call, user, region)
    return created


def _territories(plan: DemoPlan) -> int:
    """One territoire d'industrie per real EPCI, drawn across France (the import service)."""
    wanted = plan.applications + plan.tour_2019_stops
    existing = db.session.scalar(
        select(func.count()).select_from(Territory).where(Territory.official_code.like("DEMO-TI-%"))
    )
    if existing >= wanted:
        return 0
    used = {e.siren for t in db.session.scalars(select(Territory)) for e in t.epcis}
    sirens = [
        s for s in db.session.scalars(select(Epci.siren).order_by(Epci.siren)) if s not in used
    ]
    chosen = random.Random(f"{SEED}-territories").sample(sirens, wanted)
    names = {
        siren: name
        for siren, name in db.session.execute(
            select(Epci.siren, Epci.name).where(Epci.siren.in_(chosen))
        )
    }
    rows = [
        TerritoryRow(
            line=i, code=TERRITORY_CODE.format(i), name=territory_name(names[s]), epci_siren=s
        )
        for i, s in enumerate(chosen, start=1)
    ]
    return len(import_territories(rows).created)


def _free_territories() -> list[tuple[Territory, Commune]]:
    """The demo's territories in code order, each with its most populous commune."""
    territories = db.session.scalars(
        select(Territory)
        .where(Territory.official_code.like("DEMO-TI-%"))
        .order_by(Territory.official_code)
    ).all()
    sirens = [e.siren for t in territories for e in t.epcis]
    biggest: dict[str, Commune] = {}
    for commune in db.session.scalars(
        select(Commune).where(Commune.epci_siren.in_(sirens)).order_by(Commune.population.desc())
    ):
        biggest.setdefault(commune.epci_siren, commune)
    return [(t, biggest[t.epcis[0].siren]) for t in territories if t.epcis[0].siren in biggest]


def _stop_fields(territory: Territory, commune: Commune, day: date, status: str) -> dict:
    return {
        "territory_id": territory.id,
        "title": commune.name,
        "city": commune.name,
        "commune_insee": commune.insee_code,
        "starts_at": local_datetime(day, time(9, 0)),
        "ends_at": local_datetime(day, time(17, 0)),
        "status": status,
        "venue_name": f"Salle des fêtes de {commune.name}",
        "partners": "Université, CCI, UIMM",
        "host_contacts": [
            {
                "name": "Accueil du territoire",
                "function": "Développement économique",
                "email": f"contact.{slug(commune.name)}@example.org",
                "phone": "",
            }
        ],
    }


def _tour_days(count: int) -> list[date]:
    """Weekdays from 6 June to 14 October 2019, August off, spread evenly."""
    days, day = [], date(2019, 6, 6)
    while day <= date(2019, 10, 14):
        if day.weekday() < 5 and day.month != 8:
            days.append(day)
        day += timedelta(days=1)
    step = len(days) / max(count, 1)
    return [days[int(i * step)] for i in range(count)]


def _tour_2019(plan: DemoPlan, territories, staff: User, now: datetime) -> int:
    edition = db.session.scalar(select(Edition).where(Edition.slug == "tournee-2019"))
    existing = db.session.scalar(
        select(func.count()).select_from(Stop).where(Stop.edition_id == edition.id)
    )
    missing = plan.tour_2019_stops - existing
    if missing <= 0:
        return 0
    pool = territories[plan.applications : plan.applications + missing]
    created_at = local_datetime(date(2019, 4, 1), time(10, 0))
    for (territory, commune), day in zip(pool, _tour_days(missing), strict=False):
        stop = create_stop(
            edition, _stop_fields(territory, commune, day, StopStatus.HELD), staff, created_at
        )
        stop.confirmed_at = local_datetime(date(2019, 5, 15), time(10, 0))
    db.session.flush()
    return min(missing, len(pool))


def _open_call(now: datetime) -> Call | None:
    return db.session.scalar(
        select(Call).where(Call.opens_at <= now, Call.closes_at > now).order_by(Call.closes_at)
    )


def _applications(plan: DemoPlan, territories, staff: User, now: datetime) -> int:
    """Drafts, submitted, reviewed and decided applications, one territory each."""
    call = _open_call(now)
    if call is None:
        return 0
    have = db.session.scalar(
        select(func.count()).select_from(Application).where(Application.call_id == call.id)
    )
    taken = set(
        db.session.scalars(select(Application.territory_id).where(Application.call_id == call.id))
    )
    rng = random.Random(f"{SEED}-applications")
    year = call.edition.starts_on.year
    created = []
    for index, (territory, commune) in enumerate(territories[: plan.applications]):
        if have + len(created) >= plan.applications:
            break
        if territory.id in taken:
            continue
        first, last = person_name(rng)
        contact = create_user(
            f"{slug(first)}.{slug(last)}@{slug(territory.name)[:40]}.example.fr",
            f"{first} {last} ({territory.name})",
            (Role.TERRITORY_CONTACT,),
        )
        saved_at = now - timedelta(days=20 - index % 18, hours=index % 9)
        application = campaigns.start_application(call, contact, saved_at)
        start = date(year, rng.choice([6, 7, 9, 10]), rng.randint(1, 15))
        campaigns.save_draft(
            application,
            {
                "territory_id": [str(territory.id)],
                "contacts-0-name": [f"{first} {last}"],
                "contacts-0-function": ["Chargé·e de mission développement économique"],
                "contacts-0-email": [contact.email],
                "host_city": [commune.name],
                "venue": [f"Salle des fêtes de {commune.name}"],
                "availability-0-start": [start.isoformat()],
                "availability-0-end": [(start + timedelta(days=12)).isoformat()],
                "themes": rng.sample(["innovation", "skills", "international", "recruitment"], 2),
                "partners": ["Université, CCI, UIMM"],
                "expected_smes": [str(rng.randint(15, 80))],
                "motivation": [f"Le tissu industriel de {commune.name} et ses PME-PMI."],
            },
            saved_at,
        )
        if index % 6 != 0:  # one in six stays a draft
            campaigns.submit_application(application, contact, saved_at + timedelta(hours=1))
        created.append(application)
    if not created:
        return 0
    campaigns.auto_assign(call, now - timedelta(days=3))
    _reviews_and_decisions(plan, call, created, rng, staff, now)
    return len(created)


def _reviews_and_decisions(
    plan: DemoPlan, call: Call, applications, rng: random.Random, staff: User, now: datetime
) -> None:
    """Four in five submitted are reviewed; the best are accepted (one per stop still to
    plan), the next rejected or waitlisted; these are released, a few more wait."""
    criteria = [c.id for c in call.active_criteria]
    submitted = [a for a in applications if a.status == ApplicationStatus.SUBMITTED]
    reviewed = [a for i, a in enumerate(submitted) if i % 5 != 4]
    for application in reviewed:
        for review in application.reviews:
            scores = {c: rng.randint(1, 5) for c in criteria}
            campaigns.save_review(review, scores, "Dossier solide.", now - timedelta(days=2))
    ranked = [s.application for s in campaigns.ranking(reviewed)]
    to_plan = max(0, plan.coming_stops - _stop_count(call.edition))
    accepted, others = ranked[:to_plan], ranked[to_plan:]
    released = others[: len(others) // 2]
    for application in accepted:
        campaigns.set_decision(application, Decision.ACCEPTED)
    for position, application in enumerate(released):
        campaigns.set_decision(
            application, Decision.WAITLISTED if position % 4 else Decision.REJECTED
        )
    campaigns.release_decisions(call, now - timedelta(days=1), staff)
    # Decided, not released yet: staff still have decisions to send.
    for application in others[len(released) : len(released) + max(1, len(others) // 6)]:
        campaigns.set_decision(application, Decision.REJECTED)


def _stop_count(edition: Edition) -> int:
    return db.session.scalar(
        select(func.count()).select_from(Stop).where(Stop.edition_id == edition.id)
    )


def _coming_stops(plan: DemoPlan, staff: User, now: datetime) -> int:
    """The accepted applications, released, become tentative stops of the coming edition."""
    call = _open_call(now)
    if call is None:
        return 0
    return len(create_stops_from_accepted(call.edition, staff, now))
