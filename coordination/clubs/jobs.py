"""Thin scheduler jobs of the clubs domain."""

import logging
from datetime import datetime

from coordination.clubs.services import purge_expired_registrations
from coordination.extensions import db

log = logging.getLogger(__name__)


def purge_registrations(now: datetime) -> None:
    """Delete unconfirmed registrations past their expiry, as the consent wording promises."""
    removed = purge_expired_registrations(now)
    db.session.commit()
    if removed:
        log.info("clubs: %s unconfirmed registrations deleted", removed)


def register_jobs(add_job, config) -> None:
    """Add this domain's jobs to the scheduler."""
    add_job(purge_registrations, "purge_club_registrations", seconds=3600)
