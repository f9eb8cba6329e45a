"""Needs questionnaires and their reminder: the agenda announces what the job queues."""

from datetime import date, time, timedelta

from coordination.core.clock import local_datetime
from coordination.notifications import agenda
from coordination.participants import services
from coordination.participants.questionnaire_plan import plan_questionnaires
from coordination.stops.models import StopStatus
from tests.participants.conftest import outbox

MARK = timedelta(minutes=5)


def held_stop_with_attendees(make_stop, register, edition, day=date(2027, 9, 15), first=1):
    questionnaire = services.get_or_create_questionnaire(edition)
    if not questionnaire.questions:
        services.add_question(
            questionnaire, {"kind": "scale", "theme": "innovation", "label_fr": "Besoin"}
        )
    stop = make_stop(day=day, capacity=5)
    came = [register(stop, first), register(stop, first + 1)]
    register(stop, first + 2)  # did not come
    for registration in came:
        services.set_checked_in(registration, True, stop.starts_at)
    stop.status = StopStatus.HELD
    return stop, came


def announced(edition_id, start, end):
    return {
        (recipient.key, recipient.email, item.planned_at)
        for item in plan_questionnaires([edition_id], start, end, start)
        for recipient in item.recipients
    }


def run_week(start, end, moments):
    """The job hourly through (start, end], at every 5-minute mark around each planned time."""
    marks = set()
    moment = start + timedelta(hours=1)
    while moment <= end:
        marks.add(moment)
        moment += timedelta(hours=1)
    for planned in moments:
        moment = planned - timedelta(hours=1)
        while moment <= planned + timedelta(hours=1):
            marks.add(moment)
            moment += MARK
    for moment in sorted(marks):
        services.send_questionnaires(moment)


def test_the_week_announced_is_the_week_the_job_queues(make_stop, register, edition):
    stop, came = held_stop_with_attendees(make_stop, register, edition)
    start, end = stop.ends_at, stop.ends_at + timedelta(days=7)
    items = plan_questionnaires([edition.id], start, end, start)
    first = local_datetime(date(2027, 9, 16), time(9, 0))
    reminder = local_datetime(date(2027, 9, 19), time(9, 0))
    assert [(item.item, item.planned_at, len(item.recipients)) for item in items] == [
        ("attendees:questionnaire", first, 2),
        ("attendees:reminder", reminder, 2),
    ]
    expected = announced(edition.id, start, end)
    assert {email for _key, email, _at in expected} == {r.email for r in came}
    run_week(start, end, [first, reminder])
    by_key = {key: (email, at) for key, email, at in expected}
    messages = outbox("participants/questionnaire")
    assert sorted(m.idempotency_key for m in messages) == sorted(by_key)
    for message in messages:
        email, at = by_key[message.idempotency_key]
        assert message.to_email == email
        assert timedelta(0) <= message.created_at - at < MARK
    sent = agenda.sent_messages(edition.id, start, end)
    assert sorted(row.item for row in sent) == sorted(
        ["attendees:questionnaire"] * 2 + ["attendees:reminder"] * 2
    )
    assert plan_questionnaires([edition.id], start, end + timedelta(days=30), end) == []


def test_who_answered_is_no_longer_announced_a_reminder(make_stop, register, edition):
    stop, came = held_stop_with_attendees(make_stop, register, edition)
    first = local_datetime(date(2027, 9, 16), time(9, 0))
    assert services.send_questionnaires(first) == 2
    questionnaire = services.questionnaire_for(edition.id)
    services.submit_answers(came[0], questionnaire, {}, first)
    [item] = plan_questionnaires([edition.id], first, first + timedelta(days=7), first)
    assert [r.email for r in item.recipients] == [came[1].email]
    assert item.planned_at == local_datetime(date(2027, 9, 19), time(9, 0))


def test_a_held_questionnaire_is_not_queued_and_goes_at_release(make_stop, register, edition, now):
    stop, _came = held_stop_with_attendees(make_stop, register, edition)
    held = agenda.hold(
        edition_id=edition.id,
        stop_id=stop.id,
        kind="needs_questionnaire",
        item="attendees:questionnaire",
        reason="Questions à revoir",
        by=None,
        now=now,
    )
    first = local_datetime(date(2027, 9, 16), time(9, 0))
    assert services.send_questionnaires(first) == 0
    assert outbox("participants/questionnaire") == []
    agenda.release(held, None, first + timedelta(hours=2))
    assert services.send_questionnaires(first + timedelta(hours=2)) == 2


def test_planning_and_the_job_run_in_a_fixed_number_of_queries(
    make_stop, register, edition, query_counter
):
    held_stop_with_attendees(make_stop, register, edition)
    moment = local_datetime(date(2027, 9, 16), time(10, 0))

    def counts():
        services.send_questionnaires(moment)  # queues the questionnaires
        with query_counter() as job:
            services.send_questionnaires(moment)
        with query_counter() as planned:
            plan_questionnaires([edition.id], moment, moment + timedelta(days=7), moment)
        return len(job), len(planned)

    with_one = counts()
    for number in range(1, 4):
        held_stop_with_attendees(make_stop, register, edition, first=10 * number)
    assert counts() == with_one
    assert len(outbox("participants/questionnaire")) == 8


def test_the_agenda_page_offers_the_kind_in_french(client, staff, sign_in, edition):
    sign_in(staff)
    client.post("/langue", data={"locale": "fr"})
    html = client.get(f"/equipe/courriels/agenda/{edition.slug}").get_data(as_text=True)
    assert '<option value="needs_questionnaire" >Questionnaires des besoins</option>' in html
    assert '<option value="attendees" >Participants venus</option>' in html
