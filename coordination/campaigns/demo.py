"""Demo applications and reviews for the open call."""

from datetime import datetime, timedelta

from sqlalchemy import select

from coordination.auth.models import Role
from coordination.auth.services import create_user, find_user_by_email
from coordination.campaigns.criteria import add_criterion, set_retired
from coordination.campaigns.models import Application, Call, CallReviewer, QuestionKind, Review
from coordination.campaigns.services import add_question, submit_application
from coordination.extensions import db
from coordination.territories.models import Territory

DEMO_CRITERIA = [
    ("Ancrage industriel du territoire", "Industrial roots of the territory"),
    ("Mobilisation des partenaires", "Partners involved"),
    ("Qualité du projet d'étape", "Quality of the stop's project"),
    # Scored once, then retired: hidden from new reviews, kept in results.
    ("Dossier complet", "Complete file"),
]


def _answers(territory: Territory, city: str, venue: str, motivation: str) -> dict:
    return {
        "territory_id": [str(territory.id)],
        "contacts-0-name": ["Sandrine Petit"],
        "contacts-0-function": ["Chargée de mission développement économique"],
        "contacts-0-email": ["territoire@demo.innovent-e.fr"],
        "host_city": [city],
        "venue": [venue],
        "availability-0-start": ["2027-09-14"],
        "availability-0-end": ["2027-09-25"],
        "themes": ["innovation", "skills"],
        "partners": ["Université de Picardie Jules Verne, CCI Amiens-Picardie, UIMM"],
        "expected_smes": ["35"],
        "motivation": [motivation],
    }


def load_demo(now: datetime) -> None:
    """Add the campaigns' demo data (called once, after editions and calls exist)."""
    call = db.session.scalar(
        select(Call).where(Call.opens_at <= now, Call.closes_at > now).order_by(Call.closes_at)
    )
    if call is None:
        return
    criteria = [add_criterion(call, french, english) for french, english in DEMO_CRITERIA]
    call.is_same_region_review_excluded = False
    add_question(
        call,
        kind=QuestionKind.LONG_TEXT,
        label_fr="Quelles filières industrielles mettre en avant ?",
        label_en="Which industrial sectors would you highlight?",
        is_required=True,
    )
    add_question(
        call,
        kind=QuestionKind.FILE,
        label_fr="Lettre de soutien des élus (PDF)",
        label_en="Letter of support from elected officials (PDF)",
    )
    territories = {t.name: t for t in db.session.scalars(select(Territory))}
    contact = find_user_by_email("territoire@demo.innovent-e.fr")
    reviewer = find_user_by_email("relecteur@demo.innovent-e.fr")
    colleague = create_user(
        "saint-quentin@demo.innovent-e.fr",
        "Julien Moreau (Saint-Quentinois)",
        (Role.TERRITORY_CONTACT,),
    )
    draft = Application(
        call=call,
        territory=territories["Pays du Coquelicot (Albert-Méaulte)"],
        created_by_id=contact.id,
        members=[contact],
        status="draft",
        last_saved_at=now - timedelta(days=2),
    )
    draft.form_data = _answers(
        draft.territory,
        "Albert",
        "",
        "Le pôle aéronautique d'Albert-Méaulte et ses sous-traitants.",
    )
    submitted = Application(
        call=call,
        territory=territories["Saint-Quentinois"],
        created_by_id=colleague.id,
        members=[colleague],
        status="draft",
    )
    submitted.form_data = _answers(
        submitted.territory,
        "Saint-Quentin",
        "Palais de Fervaques",
        "Une étape de 2019 et un club territorial à lancer avec les PME de la métallurgie.",
    )
    db.session.add_all([draft, submitted])
    db.session.flush()
    submit_application(submitted, colleague, now - timedelta(days=5))
    db.session.add(CallReviewer(call_id=call.id, user_id=reviewer.id, region_code="24"))
    staff = find_user_by_email("equipe@demo.innovent-e.fr")
    db.session.add(CallReviewer(call_id=call.id, user_id=staff.id, region_code=None))
    submitted.reviews.append(
        Review(
            reviewer_id=reviewer.id,
            assigned_at=now - timedelta(days=4),
            scores={c.key: score for c, score in zip(criteria, (4, 5, 3, 5), strict=True)},
            comment="Territoire très engagé ; partenaires académiques solides.",
            reviewed_at=now - timedelta(days=3),
        )
    )
    submitted.reviews.append(
        Review(reviewer_id=staff.id, assigned_at=now - timedelta(days=4), scores={}, comment="")
    )
    set_retired(criteria[-1], True)
    db.session.flush()
