"""Thin scheduler jobs of the participants domain."""

import logging
from datetime import datetime

from coordination.extensions import db
from coordination.participants import retention, services

log = logging.getLogger(__name__)


def expire_offers(now: datetime) -> None:
    """Offers past their time limit pass to the next person on the waiting list."""
    count = services.expire_offers(now)
    db.session.commit()
    if count:
        log.info("participants: %s place offers expired", count)


def send_reminders(now: datetime) -> None:
    """Participants' reminder two days before the stop."""
    count = services.send_reminders(now)
    db.session.commit()
    if count:
        log.info("participants: %s reminders queued", count)


def send_questionnaires(now: datetime) -> None:
    """The needs questionnaire the day after the stop, and its one reminder."""
    count = services.send_questionnaires(now)
    db.session.commit()
    if count:
        log.info("participants: %s questionnaires queued", count)


def anonymise_past_participants(now: datetime) -> None:
    """Blank participants' details once their edition ended past the retention period."""
    count = retention.anonymise_past_participants(now)
    db.session.commit()
    if count:
        log.info("participants: %s registrations anonymised", count)


def register_jobs(add_job, config) -> None:
    """Add this domain's jobs to the scheduler."""
    add_job(expire_offers, "participants_expire_offers", every_minutes=5)
    add_job(send_reminders, "participants_reminders", every_minutes=5)
    add_job(send_questionnaires, "participants_questionnaires", every_minutes=5)
    add_job(anonymise_past_participants, "participants_anonymise", hours=24)
