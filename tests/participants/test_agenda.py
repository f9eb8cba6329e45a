"""Participants' reminders: the agenda announces what the job then queues; holds hold."""

from datetime import timedelta

from coordination.notifications import agenda
from coordination.participants import services
from coordination.participants.reminders import plan_participant_reminders
from tests.participants.conftest import outbox

STEP = timedelta(minutes=5)


def test_the_announced_reminder_is_the_one_the_job_queues(stop, register, now):
    first, second = register(stop, 1), register(stop, 2)
    start = stop.starts_at - timedelta(days=3)
    end = start + timedelta(days=2)
    [item] = plan_participant_reminders([stop.edition_id], start, end, start)
    assert item.planned_at == services.reminder_due_at(stop)
    assert sorted(r.email for r in item.recipients) == sorted([first.email, second.email])
    announced = {r.key: r.email for r in item.recipients}
    moment = item.planned_at - timedelta(hours=1)
    while moment <= item.planned_at + timedelta(hours=1):
        services.send_reminders(moment)
        moment += STEP
    queued = outbox("participants/reminder")
    assert {m.idempotency_key: m.to_email for m in queued} == announced
    assert all(timedelta(0) <= m.created_at - item.planned_at < STEP for m in queued)


def test_a_held_participants_reminder_is_not_queued(stop, register, now):
    register(stop, 1)
    agenda.hold(
        edition_id=stop.edition_id,
        stop_id=stop.id,
        kind="participant_reminder",
        item="",
        reason="Programme à confirmer",
        by=None,
        now=now,
    )
    assert services.send_reminders(services.reminder_due_at(stop)) == 0
    assert outbox("participants/reminder") == []
