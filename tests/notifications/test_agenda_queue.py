"""The agenda's shared pieces: `queue_planned` counts only the messages it adds, whatever the
planner; `sent_between` reads the queued messages of one key prefix over a window."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from coordination.calendar.reminders import send_due_reminders
from coordination.extensions import db
from coordination.notifications import agenda
from coordination.notifications.models import OutboxMessage
from coordination.notifications.preferences import opt_out
from coordination.notifications.services import queue_email, queue_planned
from coordination.stops.services import confirm_stop
from tests.calendar.conftest import club_setup, stop_setup  # noqa: F401


def planned(now, *addresses):
    return agenda.PlannedMessage(
        kind="stop_reminder",
        audience="hosts",
        planned_at=now,
        edition_id=1,
        stop_id=None,
        item="hosts:P7D",
        template="auth/login_link",
        label="x",
        recipients=[
            agenda.Recipient(email=a, name="", locale="fr", key=f"test:{a}") for a in addresses
        ],
        context=lambda recipient, at: {"url": "https://example.org/x", "user": None, "minutes": 15},
    )


def test_queue_planned_counts_only_the_messages_it_adds(app, db_session, now):
    assert queue_planned([planned(now, "a@example.org", "b@example.org")], now) == 2
    # Run again, with one more recipient: only the new one counts.
    item = planned(now, "a@example.org", "b@example.org", "c@example.org")
    assert queue_planned([item], now) == 1
    assert queue_planned([item], now) == 0
    keys = db.session.scalars(select(OutboxMessage.idempotency_key)).all()
    assert sorted(keys) == ["test:a@example.org", "test:b@example.org", "test:c@example.org"]


def test_queue_planned_does_not_count_a_message_someone_turned_off(app, db_session, now, make_user):
    user = make_user("off@example.org")
    opt_out(user.email, "stop_reminders", now)
    item = planned(now, user.email)
    item.template = "calendar/reminder"
    item.context = lambda recipient, at: {}
    assert queue_planned([item], now) == 0
    assert db.session.scalar(select(OutboxMessage)) is None


def test_a_reminder_job_run_again_counts_nothing(stop_setup, db_session, now):  # noqa: F811
    stop, _people = stop_setup(starts_in=timedelta(days=10))
    confirm_stop(stop, None, now - timedelta(days=25))
    first = send_due_reminders(now)
    assert first > 0
    assert send_due_reminders(now + timedelta(minutes=5)) == 0


def test_sent_between_reads_one_prefix_over_a_half_open_window(app, db_session, now):
    for key, at in [
        ("alpha:1:user:2", now),
        ("alpha:3:user:4", now + timedelta(hours=1)),
        ("alpha:5:user:6", now - timedelta(hours=1)),
        ("beta:1:user:2", now + timedelta(minutes=30)),
    ]:
        queue_email(
            key=key,
            template="auth/login_link",
            to_email="x@example.org",
            context={"url": "https://example.org/x", "user": None, "minutes": 15},
            now=at,
        )
    rows = agenda.sent_between("alpha:", now - timedelta(hours=1), now + timedelta(hours=1))
    assert [(m.idempotency_key, parts) for m, parts in rows] == [
        ("alpha:1:user:2", ["alpha", "1", "user", "2"]),
        ("alpha:3:user:4", ["alpha", "3", "user", "4"]),
    ]


@pytest.mark.parametrize("prefix", ["", "nothing:"])
def test_sent_between_with_no_match_or_every_key(app, db_session, now, prefix):
    rows = agenda.sent_between(prefix, now - timedelta(days=1), now)
    assert rows == []


def test_stop_and_participant_reminders_share_a_prefix_and_each_reads_its_own(
    stop_setup,  # noqa: F811
    db_session,
    now,
):
    stop, _people = stop_setup(starts_in=timedelta(days=10))
    for key in [
        f"reminder:stop:{stop.id}:user:5:P7D:2026-01-01T09:00",
        f"reminder:stop:{stop.id}:participant:9:P2D:2026-01-01T09:00",
        "reminder:stop:999999:participant:9:P2D:2026-01-01T09:00",  # another edition's
        "reminder:stop:x:user:5:P7D",  # not one of ours
    ]:
        queue_email(
            key=key,
            template="auth/login_link",
            to_email="x@example.org",
            context={"url": "https://example.org/x", "user": None, "minutes": 15},
            now=now,
        )
    sent = agenda.sent_messages(stop.edition_id, now - timedelta(minutes=1), now)
    assert sorted((row.kind, row.stop_id, row.item) for row in sent) == [
        ("participant_reminder", stop.id, "participants:P2D"),
        ("stop_reminder", stop.id, "hosts:P7D"),
    ]
