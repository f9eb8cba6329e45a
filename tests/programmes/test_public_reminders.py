"""Event stops get the participants' reminder and the needs questionnaire like tour stops
(they are stops): proven on the factory's data."""

from datetime import date, time

from coordination.core.clock import local_datetime
from coordination.participants import services
from tests.participants.conftest import outbox
from tests.programmes.public_factories import (
    public_week,  # noqa: F401  (the week fixture)
    publish,
    register,
)


def test_registrants_of_an_event_get_the_reminder_two_days_before(week, now):
    event = publish(week, day=date(2027, 10, 12), hours=(time(14, 0), time(17, 0)))
    registration = register(event, 1, now)
    before = local_datetime(date(2027, 10, 10), time(13, 59))
    assert services.send_reminders(before) == 0
    due = local_datetime(date(2027, 10, 10), time(14, 0))
    assert services.send_reminders(due) == 1
    [message] = outbox("participants/reminder")
    assert message.to_email == registration.email
    assert message.idempotency_key == services.reminder_key(event.stop, registration, 2)
    services.send_reminders(due)  # re-run: nothing twice (idempotency key)
    assert len(outbox("participants/reminder")) == 1


def test_who_came_to_an_event_gets_the_needs_questionnaire(week, now):
    services.get_or_create_questionnaire(week)
    event = publish(week, day=date(2027, 10, 12), hours=(time(14, 0), time(17, 0)))
    came = register(event, 1, now)
    register(event, 2, now)  # did not come
    services.set_checked_in(came, True, local_datetime(date(2027, 10, 12), time(14, 5)))
    after = local_datetime(date(2027, 10, 13), time(9, 0))
    assert services.send_questionnaires(after) == 1
    [message] = outbox("participants/questionnaire")
    assert message.to_email == came.email
