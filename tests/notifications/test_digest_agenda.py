"""Staff digests on the agenda of messages: what it announces for a simulated week, across
the spring daylight-saving change, is exactly what the digest job then queues."""

from datetime import timedelta

from sqlalchemy import select

from coordination.extensions import db
from coordination.notifications import agenda, views
from coordination.notifications.digest_plan import plan_digests
from coordination.notifications.digests import send_due_digests, start_from_next_slot
from coordination.notifications.models import DigestRun
from tests.notifications.test_digests import call_closing, digests, utc

MARK = timedelta(minutes=5)


def announced(edition_id, start, end):
    """(key, address, planned time) of every digest the agenda shows in (start, end]."""
    return {
        (recipient.key, recipient.email, item.planned_at)
        for item in agenda.planned_messages(edition_id, start, end, start)
        if item.kind == "digest"
        for recipient in item.recipients
    }


def run_week(start, end, moments):
    """The job hourly through (start, end] and at every 5-minute mark of the hour around
    each announced time (as the scheduler runs it there; the rest spares the machine)."""
    marks = set()
    moment = start + timedelta(hours=1)
    while moment <= end:
        marks.add(moment)
        moment += timedelta(hours=1)
    for planned in moments:
        moment = planned - timedelta(minutes=30)
        while moment <= min(planned + timedelta(minutes=30), end):
            marks.add(moment)
            moment += MARK
    for moment in sorted(marks):
        send_due_digests(moment)


def staff_week(db_session, make_user):
    """Thursday 25 March 2027, noon UTC: Paris goes to summer time on Sunday the 28th."""
    start = utc(2027, 3, 25, 12)
    call = call_closing(db_session, start + timedelta(days=7))  # "closing soon" all week
    daily = make_user("daily@example.org", roles=("staff",), digest_frequency="daily")
    weekly = make_user("weekly@example.org", roles=("staff",), digest_frequency="weekly")
    make_user("off@example.org", roles=("staff",), digest_frequency="off")
    make_user("partner@example.org", roles=("partner_contact",), digest_frequency="daily")
    for user in (daily, weekly):
        start_from_next_slot(user, start)  # as the profile does when a digest is chosen
    return start, call, daily, weekly


def test_the_week_announced_is_the_week_the_digest_job_queues(db_session, make_user):
    start, call, daily, weekly = staff_week(db_session, make_user)
    end = start + timedelta(days=7)
    items = plan_digests([call.edition_id], start, end, start)
    # 07:30 in Paris: 06:30 UTC in winter, 05:30 UTC from Sunday 28 March; weekly on Monday.
    assert [(item.item, item.planned_at) for item in items] == [
        ("staff:daily", utc(2027, 3, 26, 6, 30)),
        ("staff:daily", utc(2027, 3, 27, 6, 30)),
        ("staff:daily", utc(2027, 3, 28, 5, 30)),
        ("staff:daily", utc(2027, 3, 29, 5, 30)),
        ("staff:weekly", utc(2027, 3, 29, 5, 30)),
        ("staff:daily", utc(2027, 3, 30, 5, 30)),
        ("staff:daily", utc(2027, 3, 31, 5, 30)),
        ("staff:daily", utc(2027, 4, 1, 5, 30)),
    ]
    assert all(item.edition_id is None and item.stop_id is None for item in items)
    expected = announced(call.edition_id, start, end)
    assert {email for _key, email, _at in expected} == {daily.email, weekly.email}
    run_week(start, end, sorted({at for _key, _email, at in expected}))
    by_key = {key: (email, at) for key, email, at in expected}
    messages = digests(db_session)
    assert sorted(m.idempotency_key for m in messages) == sorted(by_key)
    for message in messages:
        email, at = by_key[message.idempotency_key]
        assert message.to_email == email
        assert timedelta(0) <= message.created_at - at < MARK
    runs = db.session.execute(
        select(DigestRun.user_id, DigestRun.slot_at).where(DigestRun.created_at > start)
    ).all()
    assert sorted((user_id, slot) for user_id, slot in runs) == sorted(
        (daily.id if "daily" in key else weekly.id, at) for key, _email, at in expected
    )
    # Once queued they show on the agenda as sent, and nothing more is planned.
    sent = agenda.sent_messages(call.edition_id, start, end + MARK)
    assert sorted(row.item for row in sent) == sorted(["staff:daily"] * 7 + ["staff:weekly"])
    assert plan_digests([call.edition_id], start, end, end) == []


def test_the_agenda_announces_a_digest_that_may_turn_out_empty(db_session, make_user, now):
    """The agenda cannot know whether there will be something to say: it says so, and the
    job records the slot as done without a message."""
    user = make_user("daily@example.org", roles=("staff",), digest_frequency="daily")
    start_from_next_slot(user, now)
    (item,) = plan_digests([], now, now + timedelta(days=1), now)
    assert "seulement s’il y a quelque chose à signaler" in str(item.label)
    send_due_digests(item.planned_at)
    assert digests(db_session) == []
    assert plan_digests([], now, now + timedelta(days=1), item.planned_at) == []


def test_the_edition_agenda_shows_the_digests_as_staff_wide(
    client, db_session, make_user, sign_in, monkeypatch
):
    start, call, daily, _weekly = staff_week(db_session, make_user)
    monkeypatch.setattr(views, "utcnow", lambda: start + timedelta(days=1))
    staff = make_user("equipe@example.org", roles=("staff",))
    db.session.commit()
    sign_in(staff)
    client.post("/langue", data={"locale": "en"})
    html = client.get(f"/equipe/courriels/agenda/{call.edition.slug}?kind=digest").get_data(
        as_text=True
    )
    assert "All editions" in html and "not specific to this edition" in html
    assert "Daily digest (sent only if there is something to report)" in html
    assert daily.email in html
    assert "Appel 2026" in html
    assert 'name="stop_id"' not in html  # a digest names no stop: nothing to hold
    french = client.post("/langue", data={"locale": "fr"})
    assert french.status_code in (200, 302)
    html = client.get(f"/equipe/courriels/agenda/{call.edition.slug}?kind=digest").get_data(
        as_text=True
    )
    assert "Toutes les éditions" in html
