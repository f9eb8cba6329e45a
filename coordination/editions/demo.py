"""Demo: next year's edition, prepared from the coming one (draft, not public yet)."""

from datetime import datetime

from sqlalchemy import select

from coordination.campaigns.models import Edition, EditionStatus
from coordination.editions.services import prepare_next
from coordination.extensions import db


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
    prepare_next(
        coming,
        kind=coming.kind,
        name=coming.name.replace(str(year - 1), str(year)),
        slug=coming.slug.replace(str(year - 1), str(year)),
        description=coming.description,
        starts_on=coming.starts_on.replace(year=year),
        ends_on=coming.ends_on.replace(year=year),
    )
