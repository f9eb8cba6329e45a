"""Demo participants, questionnaire answers and observatory figures."""

from datetime import datetime, timedelta

from sqlalchemy import select

from coordination.campaigns.models import Edition
from coordination.core.text import search_key
from coordination.extensions import db
from coordination.participants import services
from coordination.participants.models import NeedResponse, Registration
from coordination.stops.models import Stop, StopStatus

FIRST_NAMES = ["Claire", "Julien", "Nadia", "Thomas", "Sophie", "Karim", "Élodie", "Marc"]
LAST_NAMES = ["Bernard", "Lefèvre", "Moreau", "Garnier", "Roux", "Fontaine", "Chevalier", "Perrin"]
SIZES = ["micro", "small", "small", "medium", "medium", "intermediate", "small", "micro"]
NAF = ["25.62B", "28.41Z", "22.29A", "62.01Z", "10.71C", "33.12Z", "46.69B", "71.12B"]
QUESTIONS = [
    ("scale", "innovation", "Votre besoin d'accompagnement en innovation", "Your innovation need"),
    ("scale", "international", "Votre besoin pour vous développer à l'international", ""),
    ("scale", "recruitment", "Votre besoin en recrutement", "Your need in recruitment"),
    ("scale", "training", "Votre besoin en formation", "Your need in training"),
]
#: Answers per 2019 stop: the last stop has too few to be shown (the small-cell rule).
ANSWERS_PER_STOP = (8, 6, 3)


def _person(n: int) -> dict:
    return {
        "first_name": FIRST_NAMES[n % 8],
        "last_name": LAST_NAMES[(n * 3) % 8],
        "email": f"participant{n}@example.org",
        "phone": "",
        "role": "Dirigeant" if n % 2 else "Responsable RH",
        "company_name": f"Entreprise démo {n}",
        "siret": None,
        "company_size": SIZES[n % 8],
        "naf_code": NAF[n % 8],
        "commune_insee": None,
    }


def load_demo(now: datetime) -> None:
    """Add the participants' demo data (called once, after the stops' demo data)."""
    editions = {e.slug: e for e in db.session.scalars(select(Edition))}
    tour_2019 = editions.get("tournee-2019")
    if tour_2019 is not None:
        _observatory_2019(tour_2019)
    coming = db.session.scalar(
        select(Stop)
        .where(Stop.status == StopStatus.CONFIRMED, Stop.starts_at > now)
        .order_by(Stop.starts_at)
        .limit(1)
    )
    if coming is None:
        return
    if not coming.agenda_items:
        # The workshop-debates people register for come from the stop's agenda.
        from coordination.stops.demo import AGENDA
        from coordination.stops.services import set_agenda

        items = [{"title": t, "starts_on": at, "room": room} for at, t, room, _s in AGENDA]
        set_agenda(coming, items, None, now)
        db.session.flush()
    workshops = services.open_workshops(coming)
    if not workshops:
        return
    # A small first workshop, so the demo shows a waiting list.
    workshops[0].capacity = 3
    for workshop in workshops[1:]:
        workshop.capacity = 40
    db.session.flush()
    for n in range(1, 6):
        chosen = [workshops[0].id] + ([workshops[-1].id] if n % 2 else [])
        services.register(coming, _person(n), chosen, "fr", now - timedelta(hours=6 - n))


def _observatory_2019(edition: Edition) -> None:
    questionnaire = services.get_or_create_questionnaire(edition)
    for kind, theme, label_fr, label_en in QUESTIONS:
        services.add_question(
            questionnaire,
            {"kind": kind, "theme": theme, "label_fr": label_fr, "label_en": label_en},
        )
    services.add_question(
        questionnaire,
        {
            "kind": "long_text",
            "theme": "other",
            "label_fr": "Qu'attendez-vous des partenaires de l'institut ?",
            "label_en": "What do you expect from the institute's partners?",
        },
    )
    stops = db.session.scalars(
        select(Stop).where(Stop.edition_id == edition.id).order_by(Stop.starts_at)
    ).all()
    n = 100
    for stop, count in zip(stops, ANSWERS_PER_STOP, strict=False):
        for i in range(count):
            n += 1
            fields = _person(n)
            registration = Registration(
                stop_id=stop.id,
                search_name=search_key(f"{fields['last_name']} {fields['first_name']}"),
                sector=services.naf_section(fields["naf_code"]) or "U",
                locale="fr",
                consented_at=stop.starts_at - timedelta(days=10),
                registered_at=stop.starts_at - timedelta(days=10),
                checked_in_at=stop.starts_at,
                questionnaire_sent_at=stop.ends_at + timedelta(hours=16),
                **{k: v for k, v in fields.items() if k != "phone"},
            )
            db.session.add(registration)
            db.session.flush()
            scale_ids = [q.id for q in questionnaire.questions if q.kind == "scale"]
            answers = {str(qid): 1 + (n + k * (i + 1)) % 5 for k, qid in enumerate(scale_ids)}
            db.session.add(
                NeedResponse(
                    registration_id=registration.id,
                    questionnaire_id=questionnaire.id,
                    answers=answers,
                    submitted_at=stop.ends_at + timedelta(days=1, hours=2),
                )
            )
    db.session.flush()
