"""Demo: next year's edition, prepared from the coming one (draft, not public yet), with a
first stop added by hand, its date not known yet."""

from datetime import datetime

from sqlalchemy import select

from coordination.auth.services import find_user_by_email
from coordination.campaigns.models import Edition, EditionStatus
from coordination.editions.services import prepare_next
from coordination.extensions import db
from coordination.stops.services import create_manual_stop
from coordination.territories.models import Commune, Territory


def load_demo(now: datetime) -> None:
    """Prepare the edition after the coming one, copying its rules, call and questionnaire."""
    coming = db.session.scalar(
        select(Edition)
        .where(Edition.status == EditionStatus.PLANNED)
        .order_by(Edition.starts_on.desc())
    )
    if coming is None:
        return
    year = coming.starts_on.year + 1
    prepared = prepare_next(
        coming,
        kind=coming.kind,
        name=coming.name.replace(str(year - 1), str(year)),
        slug=coming.slug.replace(str(year - 1), str(year)),
        description=coming.description,
        starts_on=coming.starts_on.replace(year=year),
        ends_on=coming.ends_on.replace(year=year),
    )
    territory = db.session.scalar(select(Territory).where(Territory.name == "Pithiverais"))
    commune = db.session.get(Commune, "45252")
    if territory is not None and commune is not None:
        create_manual_stop(
            prepared,
            territory=territory,
            commune=commune,
            day=None,
            venue_name="Salle des fêtes de Pithiviers",
            host_contacts=[
                {
                    "name": "Accueil du Pithiverais",
                    "function": "Chargé de mission",
                    "email": "pithiviers@example.org",
                    "phone": "",
                }
            ],
            by=find_user_by_email("equipe@demo.innovent-e.fr"),
            now=now,
        )
