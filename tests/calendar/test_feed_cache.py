"""Feeds cached in the database: served by the light path, never stale after a change."""

from datetime import timedelta

import icalendar
import pytest

from coordination.calendar import cache
from coordination.calendar.services import PERSONAL, active_feed_token, feed_url
from coordination.extensions import db
from tests.calendar.conftest import meeting_fields

pytestmark = pytest.mark.usefixtures("committed")  # the light path reads on its own connection


def path_of(user, now) -> str:
    path = feed_url(active_feed_token(user, PERSONAL, now)).removeprefix("http://localhost")
    db.session.commit()
    return path


def events(response) -> dict:
    calendar = icalendar.Calendar.from_ical(response.data)
    return {str(e["UID"]): e for e in calendar.walk("VEVENT")}


def from_light_path(response) -> bool:
    # Flask's own answers carry the app's CSP; the light path answers before Flask.
    return "Content-Security-Policy" not in response.headers


def test_a_cached_feed_is_served_and_revalidated_without_flask(client, stop_setup, now):
    _stop, people = stop_setup()
    path = path_of(people["lead"], now)
    built = client.get(path)
    assert built.status_code == 200 and not from_light_path(built)
    again = client.get(path)
    assert again.status_code == 200 and from_light_path(again)
    assert again.data == built.data
    assert again.headers["ETag"] == built.headers["ETag"]
    assert again.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert again.headers["Cache-Control"] == "private, max-age=900"
    assert "Set-Cookie" not in again.headers and "Set-Cookie" not in built.headers
    etag = built.headers["ETag"]
    unchanged = client.get(path, headers={"If-None-Match": etag})
    assert unchanged.status_code == 304 and from_light_path(unchanged)
    assert unchanged.data == b"" and "Set-Cookie" not in unchanged.headers
    assert client.get(path, headers={"If-None-Match": '"other"'}).status_code == 200
    since = built.headers["Last-Modified"]
    assert client.get(path, headers={"If-Modified-Since": since}).status_code == 304
    old = "Mon, 01 Jan 2001 00:00:00 GMT"
    assert client.get(path, headers={"If-Modified-Since": old}).status_code == 200
    # If-None-Match decides when both are sent.
    both = {"If-None-Match": '"other"', "If-Modified-Since": since}
    assert client.get(path, headers=both).status_code == 200


def test_the_same_answers_through_flask_with_a_cookie(client, stop_setup, now):
    _stop, people = stop_setup()
    path = path_of(people["lead"], now)
    etag = client.get(path).headers["ETag"]
    client.set_cookie("other", "1")
    full = client.get(path)
    assert full.status_code == 200 and not from_light_path(full)
    assert full.headers["ETag"] == etag
    assert client.get(path, headers={"If-None-Match": etag}).status_code == 304


def test_every_kind_of_change_rebuilds_the_feed(client, stop_setup, now, make_meeting):
    from coordination.clubs.services import leave_club
    from coordination.stops.services import cancel_stop, confirm_stop, reschedule_stop

    stop, people = stop_setup()
    staff, member = people["lead"], people["member"]
    staff_path, member_path = path_of(staff, now), path_of(member, now)
    etag = client.get(staff_path).headers["ETag"]

    def changed() -> dict:
        nonlocal etag
        db.session.commit()
        response = client.get(staff_path, headers={"If-None-Match": etag})
        assert response.status_code == 200, "a stale feed after a change"
        etag = response.headers["ETag"]
        return events(response)

    later = stop.starts_at + timedelta(days=2)
    reschedule_stop(stop, later, later + timedelta(hours=8), staff, now)
    assert events_start(changed()[stop.uid]) == later

    confirm_stop(stop, staff, now)
    assert str(changed()[stop.uid]["STATUS"]) == "CONFIRMED"

    from coordination.clubs.models import Club

    club = db.session.scalars(db.select(Club)).first()
    meeting = make_meeting(club, title="Réunion ajoutée")
    uid = meeting.uid  # read before commit: on SQLite a read after it would hold the lock
    assert meeting.uid in changed()

    generation = cache.current_generation()
    from coordination.participants.services import register

    person = {"first_name": "Ada", "last_name": "Lovelace", "email": "ada@example.org"}
    register(
        stop,
        {
            **person,
            "company_name": "Société",
            "company_size": "small",
            "naf_code": "25.62B",
            "commune_insee": "02691",
        },
        [],
        "fr",
        now,
    )
    db.session.commit()
    assert cache.current_generation() == generation + 1

    cancel_stop(stop, staff, now, reason="Salle indisponible")
    assert str(changed()[stop.uid]["STATUS"]) == "CANCELLED"

    # The member sees the club's meeting until their organisation leaves the club.
    db.session.commit()  # the test's own reads above hold SQLite's lock till then
    assert uid in events(client.get(member_path))
    leave_club(club.memberships[0], now)
    db.session.commit()
    assert uid not in events(client.get(member_path))


def events_start(event):
    return event["DTSTART"].dt


def test_bad_and_revoked_tokens_are_404_even_once_cached(client, stop_setup, now):
    from coordination.calendar.services import revoke_feed_token

    _stop, people = stop_setup()
    path = path_of(people["lead"], now)
    assert client.get(path).status_code == 200
    assert client.get(path).status_code == 200  # now cached
    assert client.get(path[:-5] + "x.ics").status_code == 404
    assert client.get("/calendrier/abonnement/%00.ics").status_code in (400, 404)
    revoke_feed_token(people["lead"], PERSONAL, now)
    db.session.commit()
    assert client.get(path).status_code == 404


def test_a_feed_built_before_a_change_is_never_served_after_it(client, stop_setup, now):
    from coordination.stops.services import reschedule_stop

    stop, people = stop_setup()
    path = path_of(people["lead"], now)
    before = cache.current_generation()
    # A change commits while a request that read the generation first is still building.
    later = stop.starts_at + timedelta(days=3)
    reschedule_stop(stop, later, later + timedelta(hours=8), people["lead"], now)
    db.session.commit()
    cache.store(cache.cache_key("fr", path), before, "stale", b"old", "x.ics", "private", now)
    db.session.commit()
    response = client.get(path)
    assert response.data != b"old"
    assert events_start(events(response)[stop.uid]) == later


def test_meeting_details_changed_in_place_rebuild_the_feed(client, club_setup, make_meeting, now):
    from coordination.clubs.services import save_meeting

    club, lead, _member, _outsider = club_setup()
    meeting = make_meeting(club)
    path = path_of(lead, now)
    assert "Hôtel de ville" not in client.get(path).get_data(as_text=True)
    save_meeting(club, meeting, meeting_fields(place="Hôtel de ville"), now)
    db.session.commit()
    assert "Hôtel de ville" in client.get(path).get_data(as_text=True)
