"""Demo agenda of messages: a stop of the coming edition a few weeks ahead, so the agenda
shows the coming weeks' reminders, one of them held by staff with a reason."""

from datetime import datetime, time, timedelta

from sqlalchemy import select

from coordination.auth.models import Role, User, UserRole
from coordination.campaigns.models import Edition
from coordination.core.clock import local_datetime, to_local
from coordination.extensions import db
from coordination.notifications import agenda
from coordination.territories.models import Territory


def load_demo(now: datetime) -> None:
    """Add a confirmed launch day 24 days ahead and hold its last partners' reminder."""
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
