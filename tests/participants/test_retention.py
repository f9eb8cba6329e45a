"""Participants' details are blanked after the retention period; the observatory keeps
its figures."""

from datetime import UTC, date, datetime

from sqlalchemy import select

from coordination.extensions import db
from coordination.participants import jobs, queries, retention
from coordination.participants.models import Registration
from tests.participants.test_views import _answered


def _figures():
    rows = queries.answer_rows(None, {})
    return [
        (row.key, row.respondents, {t: (c.count, c.mean) for t, c in row.cells.items()})
        for dimension in ("territory", "size", "sector")
        for row in queries.needs_table(rows, dimension)
    ]


def test_months_before_keeps_the_day_or_the_last_of_the_month():
    assert retention.months_before(date(2028, 10, 31), 24) == date(2026, 10, 31)
    assert retention.months_before(date(2028, 3, 31), 1) == date(2028, 2, 29)
    assert retention.months_before(date(2028, 1, 15), 13) == date(2026, 12, 15)


def test_participants_are_anonymised_after_the_retention_period(app, stop, edition, register):
    # The edition ends on 30 October 2026; 24 months later is 30 October 2028.
    _answered(stop, edition, 5, 100)
    kept = register(stop, 7, phone="0601020304", role="Dirigeante")
    before = _figures()
    assert retention.anonymise_past_participants(datetime(2028, 10, 30, 10, tzinfo=UTC)) == 0
    assert kept.email == "p7@example.org"

    assert retention.anonymise_past_participants(datetime(2028, 10, 31, 10, tzinfo=UTC)) == 6
    db.session.expire_all()
    registration = db.session.get(Registration, kept.id)
    assert (
        registration.first_name,
        registration.last_name,
        registration.email,
        registration.phone,
        registration.role,
        registration.search_name,
    ) == ("", "", f"anonymised-{kept.id}@anonymised.invalid", "", "", "")
    # What the observatory counts stays.
    assert (registration.company_size, registration.naf_code) == ("small", "25.62B")
    assert _figures() == before
    assert before and before[0][1] == 5
    # Re-running changes nothing.
    assert retention.anonymise_past_participants(datetime(2028, 11, 1, tzinfo=UTC)) == 0


def test_the_retention_period_is_a_setting(app, stop, edition, register):
    register(stop, 1)
    app.config["PARTICIPANT_DATA_RETENTION_MONTHS"] = 1
    try:
        jobs.anonymise_past_participants(datetime(2026, 12, 1, 10, tzinfo=UTC))
    finally:
        app.config["PARTICIPANT_DATA_RETENTION_MONTHS"] = 24
    emails = db.session.scalars(select(Registration.email)).all()
    assert emails == [f"anonymised-{db.session.scalar(select(Registration.id))}@anonymised.invalid"]


def test_the_anonymisation_job_runs_daily(app):
    from coordination.scheduler import build_scheduler

    jobs = {job.id: job for job in build_scheduler(app).get_jobs()}
    assert jobs["participants_anonymise"].trigger.interval.total_seconds() == 86400
