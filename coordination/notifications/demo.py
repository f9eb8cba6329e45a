"""Demo: the coming edition's acceptance letter reworded by staff in French."""

from datetime import datetime

from sqlalchemy import select

from coordination.auth.services import find_user_by_email
from coordination.campaigns.models import Edition, EditionStatus
from coordination.extensions import db
from coordination.notifications.overrides import save_template

DEMO_SUBJECT = "Votre territoire accueille la Tournée : {call}"
DEMO_BODY = """{greeting}

Bonne nouvelle : la candidature de {territory} à « {call} » est retenue. Votre territoire
accueillera une étape de la Tournée de l'innovation ; l'équipe vous appelle dans la
semaine pour fixer la date et le lieu.

{personal_note}

Votre candidature : {url}
"""


def load_demo(now: datetime) -> None:
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
