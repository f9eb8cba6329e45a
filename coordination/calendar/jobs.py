"""Thin scheduler jobs of the calendar domain."""

import logging
from datetime import datetime

from coordination.calendar.reminders import send_due_reminders
from coordination.extensions import db

log = logging.getLogger(__name__)


def send_reminders(now: datetime) -> None:
    queued = send_due_reminders(now)
    db.session.commit()
    if queued:
        log.info("reminders: %s queued", queued)


def register_jobs(add_job, config) -> None:
    """Add this domain's jobs to the scheduler."""
    add_job(send_reminders, "send_stop_reminders", every_minutes=5)
