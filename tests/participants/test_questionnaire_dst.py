"""The needs questionnaire's reminder leaves at the same Paris clock time across a
daylight-saving change, not N × 24 hours after the questionnaire."""

from datetime import UTC, date, datetime, time, timedelta

import pytest

from coordination.core.clock import local_datetime, to_local
from coordination.participants import services
from coordination.participants.questionnaires import QUESTIONNAIRE_REMINDER_DAYS
from coordination.stops.models import StopStatus
from tests.participants.conftest import outbox


@pytest.mark.parametrize(
    ("stop_day", "reminder_utc"),
    [
        # Questionnaire Saturday 27 March 2027 09:00 CET; clocks go forward on the 28th.
        (date(2027, 3, 26), datetime(2027, 3, 30, 7, 0, tzinfo=UTC)),
        # Questionnaire Saturday 30 October 2027 09:00 CEST; clocks go back on the 31st.
        (date(2027, 10, 29), datetime(2027, 11, 2, 8, 0, tzinfo=UTC)),
    ],
    ids=["spring-forward", "fall-back"],
)
def test_questionnaire_reminder_keeps_the_paris_clock_time(
    make_stop, register, edition, stop_day, reminder_utc
):
    questionnaire = services.get_or_create_questionnaire(edition)
    services.add_question(
        questionnaire, {"kind": "scale", "theme": "innovation", "label_fr": "Besoin"}
    )
    stop = make_stop(day=stop_day)
    came = register(stop, 1, at=local_datetime(stop_day, time(8, 0)) - timedelta(days=20))
    services.set_checked_in(came, True, stop.starts_at)
    stop.status = StopStatus.HELD
    sent_at = local_datetime(stop_day + timedelta(days=1), time(9, 0))
    assert services.send_questionnaires(sent_at) == 1

    # N × 24 hours later is an hour off the Paris clock: too early in autumn, late in spring.
    assert services.send_questionnaires(reminder_utc - timedelta(minutes=1)) == 0
    assert services.send_questionnaires(reminder_utc) == 1
    local = to_local(came.questionnaire_reminded_at)
    assert local.time() == time(9, 0)
    assert local.date() == stop_day + timedelta(days=1 + QUESTIONNAIRE_REMINDER_DAYS)
    assert came.questionnaire_reminded_at - sent_at != timedelta(days=QUESTIONNAIRE_REMINDER_DAYS)
    assert [
        m.idempotency_key.endswith(":reminder") for m in outbox("participants/questionnaire")
    ] == [
        False,
        True,
    ]
