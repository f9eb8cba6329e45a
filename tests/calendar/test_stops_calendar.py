"""Stops in calendars: public feeds, invitations on confirm/move/cancel, reminders."""

from datetime import UTC, datetime, timedelta

import icalendar
import vobject
from sqlalchemy import select

from coordination.calendar.reminders import save_lead_times, send_due_reminders
from coordination.calendar.services import PERSONAL, active_feed_token, feed_url
from coordination.notifications.models import OutboxMessage
from coordination.stops.services import cancel_stop, confirm_stop, reschedule_stop


def messages(db_session, prefix: str) -> list[OutboxMessage]:
    return list(
        db_session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.idempotency_key.startswith(prefix))
            .order_by(OutboxMessage.id)
        )
    )


def events(body: bytes) -> list:
    return icalendar.Calendar.from_ical(body).walk("VEVENT")


def test_confirming_a_stop_invites_hosts_and_the_clubs_partners(stop_setup, db_session, now):
    stop, people = stop_setup()
    assert messages(db_session, "invite:") == []  # tentative: nobody yet
    confirm_stop(stop, None, now)
    invited = sorted(m.to_email for m in messages(db_session, "invite:"))
    assert invited == sorted(
        ["host@saint-quentin.example", people["member"].email, people["lead"].email]
    )
    assert people["outsider"].email not in invited
    host_invitation = messages(db_session, "invite:")[0]
    vobject.readOne(host_invitation.calendar_ics, validate=True)
    assert host_invitation.calendar_method == "REQUEST"


def test_moving_then_cancelling_a_stop_updates_then_cancels(stop_setup, db_session, now):
    stop, _people = stop_setup()
    confirm_stop(stop, None, now)
    reschedule_stop(
        stop, stop.starts_at + timedelta(days=7), stop.ends_at + timedelta(days=7), None, now
    )
    cancel_stop(stop, None, now, reason="Salle indisponible")
    to_host = [
        m for m in messages(db_session, "invite:") if m.to_email == "host@saint-quentin.example"
    ]
    assert [m.calendar_method for m in to_host] == ["REQUEST", "REQUEST", "CANCEL"]
    sequences = [int(events(m.calendar_ics.encode())[0]["SEQUENCE"]) for m in to_host]
    assert sequences == sorted(sequences) and len(set(sequences)) == 3
    assert {str(events(m.calendar_ics.encode())[0]["UID"]) for m in to_host} == {stop.uid}


def test_edition_feed_shows_confirmed_and_cancelled_stops_not_tentative(
    client, stop_setup, db_session, now
):
    stop, people = stop_setup()
    db_session.commit()
    path = f"/calendrier/editions/{people['edition'].slug}.ics"
    assert events(client.get(path).data) == []
    confirm_stop(stop, None, now)
    db_session.commit()
    confirmed = client.get(path)
    (event,) = events(confirmed.data)
    assert (str(event["UID"]), str(event["STATUS"])) == (stop.uid, "CONFIRMED")
    assert client.get(path, headers={"If-None-Match": confirmed.headers["ETag"]}).status_code == 304
    cancel_stop(stop, None, now)
    db_session.commit()
    (event,) = events(client.get(path).data)
    assert str(event["STATUS"]) == "CANCELLED"
    assert client.get("/calendrier/editions/nope.ics").status_code == 404


def test_territory_feed_and_the_hosts_personal_feed(client, stop_setup, db_session, now):
    stop, people = stop_setup()
    confirm_stop(stop, None, now)
    from coordination.auth.services import find_user_by_email

    host = find_user_by_email("host@saint-quentin.example")
    host_path = feed_url(active_feed_token(host, PERSONAL, now)).removeprefix("http://localhost")
    outsider_path = feed_url(active_feed_token(people["outsider"], PERSONAL, now)).removeprefix(
        "http://localhost"
    )
    db_session.commit()
    territory = client.get(f"/calendrier/territoires/{stop.territory_id}.ics")
    assert [str(e["UID"]) for e in events(territory.data)] == [stop.uid]
    assert [str(e["UID"]) for e in events(client.get(host_path).data)] == [stop.uid]
    assert events(client.get(outsider_path).data) == []


def test_reminders_go_once_per_audience_and_lead_time(stop_setup, db_session, now):
    stop, people = stop_setup(starts_in=timedelta(days=20))
    # Confirmed 35 days ahead; the scheduler was down when the 30-day reminder fell due.
    confirm_stop(stop, None, now - timedelta(days=15))
    send_due_reminders(now)  # hosts: 30 days before has passed; partners: not yet
    send_due_reminders(now + timedelta(minutes=15))
    hosts = messages(db_session, "reminder:")
    assert [m.to_email for m in hosts] == ["host@saint-quentin.example"]
    assert ":P30D:" in hosts[0].idempotency_key
    send_due_reminders(stop.starts_at - timedelta(days=14))
    partners = [
        m.to_email for m in messages(db_session, "reminder:") if ":P14D:" in m.idempotency_key
    ]
    assert sorted(partners) == sorted([people["member"].email, people["lead"].email])


def test_a_moved_stop_reminds_again_for_its_new_date(stop_setup, db_session, now):
    stop, _people = stop_setup(starts_in=timedelta(days=20))
    confirm_stop(stop, None, now - timedelta(days=15))
    send_due_reminders(now)
    reschedule_stop(
        stop, stop.starts_at + timedelta(days=3), stop.ends_at + timedelta(days=3), None, now
    )
    send_due_reminders(now + timedelta(hours=1))
    keys = [m.idempotency_key for m in messages(db_session, "reminder:")]
    assert len(keys) == 2 and keys[0] != keys[1]  # same lead time, new start in the key


def test_a_cancelled_stop_reminds_nobody(stop_setup, db_session, now):
    stop, _people = stop_setup(starts_in=timedelta(days=20))
    confirm_stop(stop, None, now)
    cancel_stop(stop, None, now)
    assert send_due_reminders(now) == 0


def test_after_an_outage_only_the_nearest_due_reminder_goes(stop_setup, db_session, now):
    stop, _people = stop_setup(starts_in=timedelta(days=20))
    confirm_stop(stop, None, now)
    # The scheduler was down until the eve of the stop: the 2-day reminder goes, not the 14-day.
    send_due_reminders(stop.starts_at - timedelta(days=1))
    keys = [m.idempotency_key for m in messages(db_session, "reminder:")]
    assert keys and all(":P7D:" in k or ":P2D:" in k for k in keys)
    assert not any(":P14D:" in k or ":P30D:" in k for k in keys)
    # After the stop has started, nothing more goes.
    assert send_due_reminders(stop.starts_at + timedelta(minutes=1)) == 0


def test_a_stop_confirmed_late_sends_no_catch_up_reminder(stop_setup, db_session, now):
    stop, people = stop_setup(starts_in=timedelta(days=20))
    confirm_stop(stop, None, now)  # 20 days ahead: the hosts' 30-day reminder had passed
    assert send_due_reminders(now + timedelta(minutes=5)) == 0
    assert messages(db_session, "reminder:") == []
    # The next ones go at their time: the partners' 14-day reminder, then the hosts' 7-day.
    send_due_reminders(stop.starts_at - timedelta(days=14))
    send_due_reminders(stop.starts_at - timedelta(days=7))
    keys = sorted(m.idempotency_key.split(":")[5] for m in messages(db_session, "reminder:"))
    assert keys == ["P14D", "P14D", "P7D"]


def test_stop_reminders_keep_the_paris_clock_time_across_daylight_saving(
    stop_setup, db_session, now
):
    from coordination.calendar.reminders import due_at

    stop, _people = stop_setup(starts_in=timedelta(days=20))
    # 10:00 in Paris on Thursday 2 April 2026 (summer time); 14 days before is winter time.
    stop.starts_at = datetime(2026, 4, 2, 8, 0, tzinfo=UTC)
    assert due_at(stop, 14) == datetime(2026, 3, 19, 9, 0, tzinfo=UTC)  # 10:00 in Paris
    assert due_at(stop, 2) == datetime(2026, 3, 31, 8, 0, tzinfo=UTC)


def test_staff_set_lead_times_per_edition_and_audience(
    client, staff, sign_in, stop_setup, db_session, now
):
    stop, people = stop_setup()
    sign_in(staff)
    path = f"/calendrier/rappels/{people['edition'].slug}"
    refused = client.post(path, data={"partners": "14, deux", "hosts": "30"})
    assert refused.status_code == 400
    assert 'value="14, deux"' in refused.get_data(as_text=True)
    assert client.post(path, data={"partners": "10", "hosts": "21, 3"}).status_code == 302
    from coordination.calendar.reminders import lead_times

    assert lead_times(people["edition"].id) == {"partners": (10,), "hosts": (21, 3)}
    save_lead_times(people["edition"].id, "partners", [])
    assert lead_times(people["edition"].id)["partners"] == (14, 2)  # back to the defaults
