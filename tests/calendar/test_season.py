"""A whole season on a fake clock: every reminder leaves at its Paris clock time.

The clock moves week by week through March to November 2026, each day hour by hour
through the office hours (every due time here falls on the hour, so a reminder an hour
early or late shows), across both daylight-saving changes (29 March and 25 October
2026). Every job that sends at a given minute is run at each step, as the scheduler would.
"""

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from coordination.calendar.reminders import send_due_reminders
from coordination.campaigns.models import Call
from coordination.campaigns.services import invite_member, send_draft_reminders, start_application
from coordination.core.clock import local_datetime, to_local
from coordination.extensions import db
from coordination.notifications.models import OutboxMessage
from coordination.participants import services as participants
from coordination.stops.services import confirm_stop, create_stop
from tests.participants.conftest import person

OFFICE_HOURS_UTC = range(6, 14)


def paris(message: OutboxMessage) -> str:
    return to_local(message.created_at).strftime("%Y-%m-%d %H:%M")


def test_a_season_on_a_fake_clock_sends_every_reminder_at_its_paris_time(
    app, stop_setup, make_user, db_session
):
    from datetime import date, time

    start = datetime(2026, 3, 1, 0, 0, tzinfo=UTC)
    # Two stops at 10:00 in Paris: one just after the March change, one just after October's.
    spring, people = stop_setup(starts_in=timedelta(days=1))
    spring.starts_at = local_datetime(date(2026, 4, 2), time(10, 0))
    spring.ends_at = spring.starts_at + timedelta(hours=7)
    confirm_stop(spring, None, start)
    autumn_start = local_datetime(date(2026, 10, 29), time(10, 0))
    autumn = create_stop(
        spring.edition,
        {
            "title": "Étape d'automne",
            "territory_id": spring.territory_id,
            "starts_at": autumn_start,
            "ends_at": autumn_start + timedelta(hours=7),
            "venue_name": "Palais de Fervaques",
            "city": "Saint-Quentin",
            "commune_insee": "02691",
            "host_contacts": [{"name": "Hélène Hôte", "email": "host@saint-quentin.example"}],
        },
        None,
        start,
    )
    confirm_stop(autumn, None, start)
    registration = participants.register(spring, person(1), [], "fr", start)
    # A call closing on Tuesday 31 March at 12:00 in Paris; one draft begun in winter, a
    # colleague invited after the 7-day reminder's time.
    call = Call(
        edition_id=spring.edition_id,
        title="Appel 2026",
        opens_at=start,
        closes_at=local_datetime(date(2026, 3, 31), time(12, 0)),
    )
    db.session.add(call)
    db.session.flush()
    contact = make_user("sandrine@territoire.example", roles=("territory_contact",))
    draft = start_application(call, contact, start)
    db.session.flush()

    week = start
    while week < datetime(2026, 11, 1, tzinfo=UTC):
        for moment in (week + timedelta(hours=h) for h in range(7 * 24)):
            # Hour by hour through the office day (06:00 to 13:00 UTC: every due time here
            # and the hours either side, in both offsets), once in the evening otherwise.
            if moment.hour not in OFFICE_HOURS_UTC and moment.hour != 20:
                continue
            if moment == datetime(2026, 3, 26, 9, 0, tzinfo=UTC):
                with app.test_request_context():
                    invite_member(draft, "collegue@territoire.example", moment)
            send_due_reminders(moment)
            send_draft_reminders(moment)
            participants.send_reminders(moment)
        week += timedelta(days=7)

    all_times = sorted(
        to_local(m.created_at).strftime("%m-%d %H:%M")
        for m in db.session.scalars(
            select(OutboxMessage).where(OutboxMessage.template == "calendar/reminder")
        )
    )
    assert all_times == sorted(
        [
            "03-03 10:00",  # 30 days before 2 April (winter time, +01:00)
            "03-19 10:00",  # 14 days before, twice (lead and member)
            "03-19 10:00",
            "03-26 10:00",  # 7 days before
            "03-31 10:00",  # 2 days before (summer time, +02:00), twice
            "03-31 10:00",
            "09-29 10:00",  # 30 days before 29 October (summer time)
            "10-15 10:00",
            "10-15 10:00",
            "10-22 10:00",
            "10-27 10:00",  # 2 days before, after the October change (winter time)
            "10-27 10:00",
        ]
    )
    drafts = {
        (m.to_email, m.idempotency_key.rsplit(":", 1)[-1]): paris(m)
        for m in db.session.scalars(
            select(OutboxMessage).where(OutboxMessage.template == "campaigns/draft_reminder")
        )
    }
    # 7 days before noon on 31 March is noon on 24 March (winter time); 1 day before is noon
    # on 30 March (summer time). The colleague invited on 26 March gets only the second.
    assert drafts == {
        (contact.email, "P7D"): "2026-03-24 12:00",
        (contact.email, "P1D"): "2026-03-30 12:00",
        ("collegue@territoire.example", "P1D"): "2026-03-30 12:00",
    }
    [reminder] = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.template == "participants/reminder")
    )
    assert (reminder.to_email, paris(reminder)) == (registration.email, "2026-03-31 10:00")
