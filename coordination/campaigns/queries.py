"""Reused reads about editions and calls."""

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from coordination.campaigns.models import Call, Edition
from coordination.extensions import db


def open_calls(now: datetime) -> list[Call]:
    """Calls accepting applications at `now`, the nearest deadline first."""
    return list(
        db.session.scalars(
            select(Call)
            .options(joinedload(Call.edition))
            .where(Call.opens_at <= now, Call.closes_at > now)
            .order_by(Call.closes_at)
        )
    )


def calls_closing_between(start: datetime, end: datetime) -> list[Call]:
    """Calls whose deadline falls in [start, end)."""
    return list(
        db.session.scalars(
            select(Call)
            .options(joinedload(Call.edition))
            .where(Call.closes_at >= start, Call.closes_at < end)
            .order_by(Call.closes_at)
        )
    )


def edition_by_slug(slug: str) -> Edition | None:
    """The edition with this slug, if any."""
    return db.session.scalar(select(Edition).where(Edition.slug == slug))


def editions() -> list[Edition]:
    """Every edition, the latest first."""
    return list(db.session.scalars(select(Edition).order_by(Edition.starts_on.desc())))
