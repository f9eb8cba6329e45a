"""Reads of editions for staff pages."""

from datetime import date

from sqlalchemy import func, select

from coordination.campaigns.models import Call, Edition, EditionStatus
from coordination.extensions import db

#: What staff see of an edition, from its status and dates.
DRAFT, PUBLIC, RUNNING, ARCHIVED = "draft", "public", "running", "archived"


def state(edition: Edition, today: date) -> str:
    """draft (not public yet), public, running (public, today within its dates) or archived."""
    if edition.status == EditionStatus.CLOSED:
        return ARCHIVED
    if edition.status == EditionStatus.DRAFT:
        return DRAFT
    if edition.starts_on <= today <= edition.ends_on:
        return RUNNING
    return PUBLIC


def staff_editions() -> list[tuple[Edition, int]]:
    """Every edition with its number of calls, the latest first."""
    calls = (
        select(Call.edition_id, func.count(Call.id).label("calls"))
        .group_by(Call.edition_id)
        .subquery()
    )
    rows = db.session.execute(
        select(Edition, func.coalesce(calls.c.calls, 0))
        .outerjoin(calls, calls.c.edition_id == Edition.id)
        .order_by(Edition.starts_on.desc(), Edition.id.desc())
    )
    return [(edition, count) for edition, count in rows]


def slug_taken(slug: str, except_id: int | None = None) -> bool:
    """Whether another edition has this slug."""
    query = select(Edition.id).where(Edition.slug == slug)
    if except_id is not None:
        query = query.where(Edition.id != except_id)
    return db.session.scalar(query.limit(1)) is not None
