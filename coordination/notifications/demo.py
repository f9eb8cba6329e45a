"""Demo data of the notifications domain: a reworded letter, a message to a group, a bounce,
and a launch day a few weeks ahead so the agenda shows the coming weeks' reminders, one
of them held by staff with a reason."""

from datetime import datetime, time, timedelta

from sqlalchemy import select

from coordination.auth.models import Role, User, UserRole
from coordination.auth.services import find_user_by_email
from coordination.campaigns.models import Edition, EditionStatus
from coordination.core.clock import local_datetime, to_local
from coordination.extensions import db
from coordination.notifications import agenda, feedback, groups
from coordination.notifications.models import OutboxMessage
from coordination.notifications.overrides import save_template
from coordination.participants.models import Registration
from coordination.stops.models import Stop, StopStatus
from coordination.territories.models import Territory

DEMO_SUBJECT = "Votre territoire accueille la Tournée : {call}"
DEMO_BODY = """{greeting}

Bonne nouvelle : la candidature de {territory} à « {call} » est retenue. Votre territoire
accueillera une étape de la Tournée de l'innovation ; l'équipe vous appelle dans la
semaine pour fixer la date et le lieu.

{personal_note}

Votre candidature : {url}
"""


def _reword_acceptance_letter(now: datetime) -> None:
    """Reword the coming edition's "accepted" decision email in French (English stays default)."""
    coming = db.session.scalar(
        select(Edition)
        .where(Edition.status == EditionStatus.PLANNED)
        .order_by(Edition.starts_on.desc())
    )
    if coming is None:
        return
    staff = find_user_by_email("equipe@demo.innovent-e.fr")
    save_template(
        "campaigns/decision_accepted", coming.id, "fr", DEMO_SUBJECT, DEMO_BODY, staff, now
    )


SUBJECT = "Infos pratiques : parking et accueil"
BODY = (
    "Bonjour,\n\n"
    "Le parking de la salle est ouvert dès 8 h 30 ; l'accueil café commence à 9 h.\n"
    "Pensez à votre badge, envoyé avec la confirmation.\n\n"
    "À très bientôt,\nL'équipe InnovENT-E"
)
BOUNCED = "partenaire@demo.innovent-e.fr"


def _write_to_a_group_and_bounce(now: datetime) -> None:
    """Write to the coming stop's participants, and record a hard bounce on a partner."""
    staff = find_user_by_email("equipe@demo.innovent-e.fr")
    stop = db.session.scalar(
        select(Stop)
        .join(Registration, Registration.stop_id == Stop.id)
        .where(Stop.status == StopStatus.CONFIRMED, Stop.starts_at > now)
        .order_by(Stop.starts_at)
        .limit(1)
    )
    if staff is not None and stop is not None:
        draft = groups.draft("stop", {"stop_id": stop.id}, SUBJECT, BODY)
        groups.send(draft, staff, now - timedelta(hours=1))
    partner = db.session.scalar(select(User).where(User.email == BOUNCED))
    if partner is None:
        return
    message = db.session.scalar(
        select(OutboxMessage).where(OutboxMessage.to_email == BOUNCED).limit(1)
    )
    event = {
        "email": BOUNCED,
        "timestamp": int((now - timedelta(minutes=30)).timestamp()),
        "event": "bounce",
        "type": "bounce",
        "reason": "550 5.1.1 The email account that you tried to reach does not exist",
        "sg_event_id": "demo-bounce-1",
    }
    if message is not None:
        event["outbox_id"] = str(message.id)
    feedback.record_events([event], now)


def load_demo(now: datetime) -> None:
    """The notifications domain's demo: an edited wording, a group message, a bounce, a hold."""
    _reword_acceptance_letter(now)
    _write_to_a_group_and_bounce(now)
    _launch_day_with_a_held_reminder(now)


def _launch_day_with_a_held_reminder(now: datetime) -> None:
    """A confirmed launch day 24 days ahead and hold its last partners' reminder."""
    from coordination.stops.services import confirm_stop, create_stop

    coming = db.session.scalar(
        select(Edition).where(Edition.slug == f"tournee-{to_local(now).year + 1}")
    )
    territory = db.session.scalar(select(Territory).where(Territory.name == "Saint-Quentinois"))
    if coming is None or territory is None:
        return
    staff = db.session.scalars(
        select(User).join(UserRole).where(UserRole.role == Role.STAFF).order_by(User.id)
    ).first()
    start = local_datetime((to_local(now) + timedelta(days=24)).date(), time(9, 30))
    stop = create_stop(
        coming,
        {
            "title": "Lancement de la Tournée — Saint-Quentin",
            "territory_id": territory.id,
            "starts_at": start,
            "ends_at": start + timedelta(hours=7),
            "venue_name": "Palais de Fervaques",
            "city": "Saint-Quentin",
            "commune_insee": "02691",
            "host_contacts": [{"name": "Sandrine Petit", "email": "territoire@demo.innovent-e.fr"}],
        },
        staff,
        now,
    )
    confirm_stop(stop, staff, now)
    agenda.hold(
        edition_id=coming.id,
        stop_id=stop.id,
        kind="stop_reminder",
        item="partners:P2D",
        reason="Programme des ateliers en cours de validation : rappel après confirmation.",
        by=staff,
        now=now,
    )
