"""Thin scheduler jobs of the campaigns domain."""

import logging
from datetime import datetime

from coordination.campaigns.services import send_draft_reminders
from coordination.extensions import db

log = logging.getLogger(__name__)


def remind_drafts(now: datetime) -> None:
    """Queue the 7-day and 1-day reminders of applications still in draft."""
    count = send_draft_reminders(now)
    db.session.commit()
    if count:
        log.info("campaigns: %s draft reminders queued", count)


def register_jobs(add_job, config) -> None:
    """Add this domain's jobs to the scheduler."""
    add_job(remind_drafts, "campaigns_draft_reminders", every_minutes=5)
