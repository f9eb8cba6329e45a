"""Thin scheduler jobs of the stops domain."""

import logging
from datetime import datetime

from coordination.extensions import db
from coordination.stops.services import mark_past_stops_held

log = logging.getLogger(__name__)


def mark_held(now: datetime) -> None:
    """Confirmed stops that have ended become held."""
    count = mark_past_stops_held(now)
    db.session.commit()
    if count:
        log.info("stops: %s stops marked as held", count)


def register_jobs(add_job, config) -> None:
    """Add this domain's jobs to the scheduler."""
    add_job(mark_held, "stops_mark_held", minutes=60)
