"""Draft reminders: the agenda of messages announces what the job then queues."""

from datetime import date, time, timedelta

from sqlalchemy import select, update

from coordination.campaigns.models import application_members
from coordination.campaigns.reminders import plan_draft_reminders, send_draft_reminders
from coordination.core.clock import local_datetime
from coordination.extensions import db
from coordination.notifications import agenda
from coordination.notifications.models import OutboxMessage
from tests.campaigns.conftest import make_application

MARK = timedelta(minutes=5)


def queued():
    return list(
        db.session.scalars(
            select(OutboxMessage).where(OutboxMessage.template == "campaigns/draft_reminder")
        )
    )


def announced(edition_id, start, end, now):
    """(key, address, planned time) of every recipient the agenda shows in (start, end]."""
    return {
        (recipient.key, recipient.email, item.planned_at)
        for item in plan_draft_reminders([edition_id], start, end, now)
        for recipient in item.recipients
    }


def run_week(start, end, moments):
    """The job hourly through (start, end] and at every 5-minute mark of the hours around
    each announced time (as the scheduler runs it there; the rest spares the machine)."""
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
        send_draft_reminders(moment)


def test_the_week_announced_is_the_week_the_job_queues(
    make_call, territory, contact, make_user, db_session
):
    # Noon on 31 March 2027: 7 days before is winter time, 1 day before summer time.
    call = make_call(closes_at=local_datetime(date(2027, 3, 31), time(12, 0)))
    draft = make_application(call, territory, [contact], status="draft")
    colleague = make_user("collegue@territoire.example", roles=("territory_contact",))
    make_application(call, None, [make_user("retire@territoire.example")], status="withdrawn")
    seven = local_datetime(date(2027, 3, 24), time(12, 0))
    one = local_datetime(date(2027, 3, 30), time(12, 0))
    # The colleague joined after the "7 days" time: only the "1 day" reminder is theirs.
    draft.members.append(colleague)
    db.session.flush()
    db.session.execute(
        update(application_members)
        .where(application_members.c.user_id == colleague.id)
        .values(joined_at=seven + timedelta(days=1))
    )
    start, end = seven - timedelta(days=1), seven + timedelta(days=7)
    items = plan_draft_reminders([call.edition_id], start, end, start)
    assert [(item.item, item.planned_at) for item in items] == [
        ("draft_members:P7D", seven),
        ("draft_members:P1D", one),
    ]
    assert all(item.stop_id is None and item.label == call.title for item in items)
    expected = announced(call.edition_id, start, end, start)
    assert {(email, at) for _key, email, at in expected} == {
        (contact.email, seven),
        (contact.email, one),
        (colleague.email, one),
    }
    run_week(start, end, [seven, one])
    by_key = {key: (email, at) for key, email, at in expected}
    messages = queued()
    assert sorted(m.idempotency_key for m in messages) == sorted(by_key)
    for message in messages:
        email, at = by_key[message.idempotency_key]
        assert message.to_email == email
        assert timedelta(0) <= message.created_at - at < MARK
    # What was queued shows on the agenda as sent, by kind.
    sent = agenda.sent_messages(call.edition_id, start, end + MARK)
    assert sorted(row.item for row in sent) == sorted(
        ["draft_members:P7D", "draft_members:P1D", "draft_members:P1D"]
    )
    assert {row.kind for row in sent} == {"draft_reminder"}


def test_a_call_closing_soon_plans_only_what_is_still_ahead(make_call, territory, contact, now):
    call = make_call(closes_at=now + timedelta(days=3))
    make_application(call, territory, [contact], status="draft")
    items = plan_draft_reminders([call.edition_id], now, now + timedelta(days=7), now)
    assert [item.item for item in items] == ["draft_members:P1D"]
    assert plan_draft_reminders([call.edition_id + 1], now, now + timedelta(days=7), now) == []


def test_planning_and_the_job_run_in_a_fixed_number_of_queries(
    make_call, territory, contact, make_user, now, query_counter
):
    first = make_call(closes_at=now + timedelta(days=6))
    make_application(first, territory, [contact], status="draft")
    moment = now + timedelta(hours=1)  # every "7 days" time reached, no "1 day" one

    def counts():
        send_draft_reminders(moment)  # queues the messages
        with query_counter() as job:
            send_draft_reminders(moment)
        with query_counter() as planned:
            plan_draft_reminders(None, now - timedelta(days=2), now + timedelta(days=30), now)
        return len(job), len(planned)

    with_one = counts()
    for number in range(2, 6):
        other = make_call(closes_at=now + timedelta(days=6, hours=number))
        members = [make_user(f"membre{number}-{i}@territoire.example") for i in range(3)]
        make_application(other, territory, members, status="draft")
    assert counts() == with_one
    assert len(queued()) == 1 + 4 * 3


def test_the_agenda_page_lists_draft_reminders_in_french(
    client, staff, sign_in, make_call, territory, contact
):
    call = make_call()  # closes in 20 days: both reminders inside the 4 weeks shown
    make_application(call, territory, [contact], status="draft")
    db.session.commit()
    sign_in(staff)
    client.post("/langue", data={"locale": "fr"})
    html = client.get(f"/equipe/courriels/agenda/{call.edition.slug}").get_data(as_text=True)
    assert '<option value="draft_reminder" >Rappels de brouillon</option>' in html
    assert "Rappels de brouillon · Membres des candidatures en brouillon · Appel test" in html
    assert contact.email in html
    only = client.get(f"/equipe/courriels/agenda/{call.edition.slug}?kind=stop_reminder")
    assert "Appel test" not in only.get_data(as_text=True)
