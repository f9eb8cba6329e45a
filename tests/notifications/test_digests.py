from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from coordination.auth.models import DigestFrequency
from coordination.campaigns.models import Call, Edition
from coordination.notifications.digests import latest_slot, send_due_digests
from coordination.notifications.models import DigestRun, OutboxMessage


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


def call_closing(db_session, closes_at: datetime) -> Call:
    edition = Edition(
        slug="e", name="Tournée", starts_on=date(2026, 6, 1), ends_on=date(2026, 10, 1)
    )
    call = Call(
        edition=edition,
        title="Appel 2026",
        opens_at=closes_at - timedelta(days=60),
        closes_at=closes_at,
    )
    db_session.add(call)
    db_session.flush()
    return call


def digests(db_session) -> list[OutboxMessage]:
    return list(
        db_session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.template == "notifications/digest")
            .order_by(OutboxMessage.id)
        )
    )


def test_latest_slot_is_0730_paris_across_daylight_saving_changes(app):
    daily = DigestFrequency.DAILY
    assert latest_slot(utc(2026, 3, 28, 12), daily) == utc(2026, 3, 28, 6, 30)  # CET
    assert latest_slot(utc(2026, 3, 29, 12), daily) == utc(2026, 3, 29, 5, 30)  # CEST
    assert latest_slot(utc(2026, 3, 29, 5, 29), daily) == utc(2026, 3, 28, 6, 30)
    assert latest_slot(utc(2026, 10, 25, 6, 0), daily) == utc(2026, 10, 24, 5, 30)
    assert latest_slot(utc(2026, 10, 25, 6, 30), daily) == utc(2026, 10, 25, 6, 30)  # CET again
    # Weekly digests leave on Mondays: 30 March 2026 is one.
    assert latest_slot(utc(2026, 4, 2, 9), DigestFrequency.WEEKLY) == utc(2026, 3, 30, 5, 30)


def test_daily_digest_leaves_at_0730_paris_each_day_around_the_march_change(db_session, make_user):
    make_user("staff@example.org", roles=("staff",), digest_frequency="daily")
    call_closing(db_session, utc(2026, 4, 2, 10))
    moment = utc(2026, 3, 27, 0, 0)
    while moment < utc(2026, 3, 31, 0, 0):  # the job runs every 5 minutes for 4 days
        send_due_digests(moment)
        moment += timedelta(minutes=5)
    slots = [run.slot_at for run in db_session.scalars(select(DigestRun).order_by(DigestRun.id))]
    assert slots == [
        utc(2026, 3, 26, 6, 30),  # the slot already past when the job first ran
        utc(2026, 3, 27, 6, 30),
        utc(2026, 3, 28, 6, 30),
        utc(2026, 3, 29, 5, 30),  # summer time: 07:30 Paris is 05:30 UTC
        utc(2026, 3, 30, 5, 30),
    ]
    assert [m.created_at for m in digests(db_session)][1:] == [
        utc(2026, 3, 27, 6, 30),
        utc(2026, 3, 28, 6, 30),
        utc(2026, 3, 29, 5, 30),
        utc(2026, 3, 30, 5, 30),
    ]


def test_daily_digest_around_the_october_change(db_session, make_user):
    make_user("staff@example.org", roles=("staff",), digest_frequency="daily")
    call_closing(db_session, utc(2026, 10, 30, 10))
    moment = utc(2026, 10, 24, 0, 0)
    while moment < utc(2026, 10, 27, 0, 0):
        send_due_digests(moment)
        moment += timedelta(minutes=5)
    slots = [run.slot_at for run in db_session.scalars(select(DigestRun).order_by(DigestRun.id))]
    assert slots[1:] == [
        utc(2026, 10, 24, 5, 30),
        utc(2026, 10, 25, 6, 30),  # winter time again: 07:30 Paris is 06:30 UTC
        utc(2026, 10, 26, 6, 30),
    ]


def test_digest_missed_while_the_scheduler_was_down_goes_out_once(db_session, make_user):
    user = make_user("staff@example.org", roles=("staff",), digest_frequency="daily")
    call_closing(db_session, utc(2026, 3, 6, 10))
    send_due_digests(utc(2026, 3, 2, 6, 35))  # Monday's digest, then the scheduler stops
    send_due_digests(utc(2026, 3, 5, 10, 0))  # back on Thursday morning
    send_due_digests(utc(2026, 3, 5, 10, 5))
    runs = list(db_session.scalars(select(DigestRun).order_by(DigestRun.id)))
    assert [(r.slot_at, r.period_start_at) for r in runs] == [
        (utc(2026, 3, 2, 6, 30), utc(2026, 3, 1, 6, 30)),
        # One digest, covering everything since Monday's: nothing skipped, nothing doubled.
        (utc(2026, 3, 5, 6, 30), utc(2026, 3, 2, 6, 30)),
    ]
    assert [m.to_email for m in digests(db_session)] == [user.email, user.email]


def test_empty_digest_is_not_sent_but_the_slot_is_done(db_session, make_user, now):
    make_user("staff@example.org", roles=("staff",), digest_frequency="daily")
    report = send_due_digests(now)
    assert (report.sent, report.empty) == (0, 1)
    assert digests(db_session) == []
    assert send_due_digests(now).empty == 0


def test_digest_goes_only_to_active_staff_who_chose_it(db_session, make_user, now):
    call_closing(db_session, now + timedelta(days=3))
    make_user("daily@example.org", roles=("staff",), digest_frequency="daily")
    make_user("off@example.org", roles=("staff",), digest_frequency="off")
    make_user("partner@example.org", roles=("partner_contact",), digest_frequency="daily")
    make_user("gone@example.org", roles=("staff",), digest_frequency="daily", is_active=False)
    send_due_digests(now)
    assert [m.to_email for m in digests(db_session)] == ["daily@example.org"]


def test_weekly_digest_leaves_on_monday(db_session, make_user):
    make_user("staff@example.org", roles=("staff",), digest_frequency="weekly")
    call_closing(db_session, utc(2026, 3, 12, 10))
    send_due_digests(utc(2026, 3, 8, 12))  # a Sunday: the slot is the previous Monday
    send_due_digests(utc(2026, 3, 9, 5, 0))  # Monday before 07:30 Paris
    send_due_digests(utc(2026, 3, 9, 6, 31))
    slots = [run.slot_at for run in db_session.scalars(select(DigestRun).order_by(DigestRun.id))]
    assert slots == [utc(2026, 3, 2, 6, 30), utc(2026, 3, 9, 6, 30)]


def test_digest_lists_each_section_in_the_recipients_language(db_session, make_user, now):
    make_user("fr@example.org", roles=("staff",), digest_frequency="daily", locale="fr")
    make_user("en@example.org", roles=("staff",), digest_frequency="daily", locale="en")
    call_closing(db_session, now + timedelta(days=3))
    send_due_digests(now)
    french, english = digests(db_session)
    assert "Appels qui se terminent dans les 7 jours" in french.text_body
    assert "Calls closing within 7 days" in english.text_body
    assert "Appel 2026" in english.html_body
    assert "Emails that could not be delivered" not in english.text_body  # nothing to say


def test_building_digests_costs_the_same_queries_for_1_or_10_recipients(
    db_session, make_user, now, query_counter
):
    call_closing(db_session, now + timedelta(days=3))

    def run_with(recipients: int, moment) -> int:
        while len(made) < recipients:
            made.append(
                make_user(f"s{len(made)}@example.org", roles=("staff",), digest_frequency="daily")
            )
        db_session.flush()
        with query_counter() as statements:
            report = send_due_digests(moment)
        assert report.sent == recipients
        return len(statements)

    made = []
    one = run_with(1, now)
    ten = run_with(10, now + timedelta(days=1))
    assert one == ten


def test_turning_a_digest_on_sends_none_before_the_next_0730(
    client, db_session, make_user, sign_in
):
    import time_machine

    user = make_user("staff@example.org", roles=("staff",), name="Camille")
    call_closing(db_session, utc(2026, 4, 2, 10))
    with time_machine.travel(utc(2026, 3, 30, 9, 0), tick=False):  # 11:00 in Paris
        sign_in(user)
        response = client.post(
            "/profil", data={"name": "Camille", "locale": "fr", "digest_frequency": "daily"}
        )
        assert (response.status_code, response.location) == (302, "/profil")
    db_session.expire_all()
    assert user.digest_frequency == "daily"
    assert send_due_digests(utc(2026, 3, 30, 9, 5)).sent == 0
    assert digests(db_session) == []
    # The first one leaves at the next slot, 07:30 in Paris the next morning.
    assert send_due_digests(utc(2026, 3, 31, 5, 25)).sent == 0
    assert send_due_digests(utc(2026, 3, 31, 5, 30)).sent == 1
    [run] = db_session.scalars(
        select(DigestRun).where(DigestRun.message_key.is_not(None), DigestRun.user_id == user.id)
    )
    assert run.slot_at == utc(2026, 3, 31, 5, 30)
    assert len(digests(db_session)) == 1
