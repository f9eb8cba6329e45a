"""Reused reads about territories."""

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from coordination.extensions import db
from coordination.territories.models import Territory


def all_territories() -> list[Territory]:
    """Every territory with its région and EPCIs, by name."""
    return list(
        db.session.scalars(
            select(Territory)
            .options(selectinload(Territory.epcis), selectinload(Territory.region))
            .order_by(Territory.search_name)
        )
    )
