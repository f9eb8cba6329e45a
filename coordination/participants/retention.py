"""Participants' personal data: blanked once it is no longer needed.

What identifies the person (name, email, phone, job title) is blanked; what the
observatory counts (company size, sector, commune, answers, attendance) stays, so its
figures do not change.
"""

import calendar
from datetime import date, datetime

from flask import current_app
from sqlalchemy import select

from coordination.campaigns.models import Edition
from coordination.core.clock import to_local
from coordination.extensions import db
from coordination.participants.models import Registration
from coordination.stops.models import Stop


def anonymised_email(registration_id: int) -> str:
    """A placeholder address, unique per registration (the stop's email is unique)."""
    return f"anonymised-{registration_id}@anonymised.invalid"


def anonymise_registration(registration: Registration, now: datetime) -> bool:
    """Blank what identifies the person of a registration; False if already done."""
    if registration.anonymised_at is not None:
        return False
    registration.first_name = ""
    registration.last_name = ""
    registration.search_name = ""
    registration.email = anonymised_email(registration.id)
    registration.phone = ""
    registration.role = ""
    registration.anonymised_at = now
    return True


def months_before(day: date, months: int) -> date:
    """The same day `months` earlier (the month's last day when it is shorter)."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def retention_cutoff(now: datetime) -> date:
    """Editions that ended before this day have had their participants' data long enough."""
    months = current_app.config["PARTICIPANT_DATA_RETENTION_MONTHS"]
    return months_before(to_local(now).date(), months)


def anonymise_past_participants(now: datetime) -> int:
    """Blank the participants of editions ended longer ago than the retention period."""
    ended = select(Edition.id).where(Edition.ends_on < retention_cutoff(now))
    registrations = db.session.scalars(
        select(Registration)
        .join(Stop, Stop.id == Registration.stop_id)
        .where(Stop.edition_id.in_(ended), Registration.anonymised_at.is_(None))
        .order_by(Registration.id)
    ).all()
    count = sum(anonymise_registration(registration, now) for registration in registrations)
    db.session.flush()
    return count
