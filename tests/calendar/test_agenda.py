"""The agenda of messages announces exactly what the reminder job then queues."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from coordination.calendar.reminders import plan_stop_reminders, send_due_reminders
from coordination.extensions import db
from coordination.notifications import agenda
from coordination.notifications.models import OutboxMessage
from coordination.stops.services import confirm_stop, create_stop, reschedule_stop

MARK = timedelta(minutes=5)


def another_stop(stop, start, now, number):
    other = create_stop(
        stop.edition,
        {
            "title": f"Étape {number}",
            "territory_id": stop.territory_id,
            "starts_at": start,
            "ends_at": start + timedelta(hours=8),
            "venue_name": "Salle",
            "city": "Saint-Quentin",
            "commune_insee": "02691",
            "host_contacts": [{"name": f"Hôte {number}", "email": f"host{number}@sq.example"}],
        },
        None,
        now,
    )
    confirm_stop(other, None, now)
    return other


def announced(edition_id, start, end, now, holds=None):
    """(key, address, planned time) of every recipient the agenda shows in (start, end]."""
    items = plan_stop_reminders([edition_id], start, end, now)
    holds = holds or {}
    return {
        (recipient.key, recipient.email, item.planned_at)
        for item in items
        if not agenda.is_held(item, holds)
        for recipient in item.recipients
    }


def run_week(start, end, step=MARK):
    """The job at every 5-minute mark of (start, end], as the scheduler runs it (or at a
    coarser step, to spare the machine where the exact minute is not the point)."""
    moment = start + step
    while moment <= end:
        send_due_reminders(moment)
        moment += step


def queued_reminders():
    return list(
        db.session.scalars(
            select(OutboxMessage).where(OutboxMessage.template == "calendar/reminder")
        )
    )


def assert_matches(expected, messages, step=MARK):
    by_key = {key: (email, planned) for key, email, planned in expected}
    assert sorted(m.idempotency_key for m in messages) == sorted(by_key)
    for message in messages:
        email, planned = by_key[message.idempotency_key]
        assert message.to_email == email
        assert timedelta(0) <= message.created_at - planned < step


def test_the_week_announced_is_the_week_the_job_queues(stop_setup, db_session, now):
    first, people = stop_setup(starts_in=timedelta(days=10))
    confirm_stop(first, None, now)
    second = another_stop(first, now + timedelta(days=16, hours=3), now, 2)
    end = now + timedelta(days=7)
    expected = announced(first.edition_id, now, end, now)
    # Hosts 7 days before the first (its 30 and 14 days had passed when confirmed);
    # partners 14 days before the second.
    assert {item.item for item in plan_stop_reminders([first.edition_id], now, end, now)} == {
        "hosts:P7D",
        "partners:P14D",
    }
    assert {email for _key, email, _at in expected} == {
        "host@saint-quentin.example",
        people["member"].email,
        people["lead"].email,
    }
    run_week(now, end)
    assert_matches(expected, queued_reminders())
    assert second.id  # planned for, not yet due for its hosts


def test_a_moved_stop_moves_its_agenda_and_the_job_follows(stop_setup, db_session, now):
    stop, _people = stop_setup(starts_in=timedelta(days=10))
    confirm_stop(stop, None, now)
    end = now + timedelta(days=7)
    before = plan_stop_reminders([stop.edition_id], now, end, now)
    reschedule_stop(
        stop, stop.starts_at - timedelta(days=2), stop.ends_at - timedelta(days=2), None, now
    )
    after = plan_stop_reminders([stop.edition_id], now, end, now)
    assert [i.planned_at - timedelta(days=-2) for i in after if i.item == "hosts:P7D"] == [
        i.planned_at for i in before if i.item == "hosts:P7D"
    ]
    expected = announced(stop.edition_id, now, end, now)
    assert expected
    run_week(now, end, step=timedelta(hours=1))
    assert_matches(expected, queued_reminders(), step=timedelta(hours=1))


def test_a_held_reminder_is_not_queued_and_goes_at_release_while_still_ahead(
    stop_setup, db_session, now, make_user
):
    stop, _people = stop_setup(starts_in=timedelta(days=10))
    confirm_stop(stop, None, now)
    staff = make_user("staff@agenda.example", roles=("staff",))
    end = now + timedelta(days=7)
    held = agenda.hold(
        edition_id=stop.edition_id,
        stop_id=stop.id,
        kind="stop_reminder",
        item="hosts:P7D",
        reason="Le lieu change",
        by=staff,
        now=now,
    )
    expected = announced(stop.edition_id, now, end, now, agenda.active_holds([stop.id]))
    assert expected == set()
    run_week(now, end, step=timedelta(hours=1))
    assert queued_reminders() == []
    # Released after its time but before the stop: it goes at the job's next run.
    agenda.release(held, staff, end)
    assert held.released_by_id == staff.id
    send_due_reminders(end + MARK)
    assert [":P7D:" in m.idempotency_key for m in queued_reminders()] == [True]


def test_a_hold_on_the_whole_kind_released_after_the_stop_sends_nothing(
    stop_setup, db_session, now
):
    stop, _people = stop_setup(starts_in=timedelta(days=3))
    confirm_stop(stop, None, now - timedelta(days=40))
    held = agenda.hold(
        edition_id=stop.edition_id,
        stop_id=stop.id,
        kind="stop_reminder",
        item="",
        reason="Étape incertaine",
        by=None,
        now=now,
    )
    send_due_reminders(now)
    assert queued_reminders() == []
    agenda.release(held, None, stop.starts_at + MARK)
    send_due_reminders(stop.starts_at + 2 * MARK)
    assert queued_reminders() == []


def test_a_hold_needs_a_reason(stop_setup, db_session, now):
    stop, _people = stop_setup()
    with pytest.raises(ValueError):
        agenda.hold(
            edition_id=stop.edition_id,
            stop_id=stop.id,
            kind="stop_reminder",
            item="",
            reason="  ",
            by=None,
            now=now,
        )


def test_recipients_are_resolved_in_a_fixed_number_of_queries(
    stop_setup, db_session, now, query_counter
):
    first, _people = stop_setup(starts_in=timedelta(days=20))
    confirm_stop(first, None, now - timedelta(days=30))
    moment = now + timedelta(days=1)

    def counts():
        send_due_reminders(moment)  # makes the accounts, queues the messages
        with query_counter() as job:
            send_due_reminders(moment)
        with query_counter() as planned:
            plan_stop_reminders([first.edition_id], now, now + timedelta(days=60), now)
        return len(job), len(planned)

    with_one = counts()
    for number in range(2, 7):
        another_stop(first, now + timedelta(days=20 + number), now - timedelta(days=30), number)
    db.session.flush()
    with_six = counts()
    assert with_six == with_one
    assert len(queued_reminders()) >= 6
