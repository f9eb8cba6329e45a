"""Thin scheduler jobs of the notifications domain: ids and time in, a service call, commit."""

import logging
from datetime import datetime

from coordination.extensions import db
from coordination.notifications.digests import send_due_digests
from coordination.notifications.services import deliver_due_messages

log = logging.getLogger(__name__)


def deliver_outbox(now: datetime, worker: str = "scheduler") -> None:
    report = deliver_due_messages(now, worker=worker)
    if report.total:
        log.info(
            "outbox: %s sent, %s to retry, %s failed, %s handed back",
            len(report.sent),
            len(report.retrying),
            len(report.failed),
            len(report.deferred),
        )
    if report.paused_until:
        log.warning("outbox: the provider limits sending; paused until %s", report.paused_until)


def send_digests(now: datetime) -> None:
    report = send_due_digests(now)
    db.session.commit()
    if report.sent or report.empty:
        log.info("digests: %s queued, %s empty", report.sent, report.empty)


def register_jobs(add_job, config) -> None:
    """Add this domain's jobs to the scheduler."""
    add_job(deliver_outbox, "deliver_outbox", seconds=config["DELIVERY_INTERVAL_SECONDS"])
    add_job(send_digests, "send_digests", every_minutes=5)
