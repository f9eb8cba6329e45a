"""Private feeds: tokens, ETags, revocation, and nobody sees another's dates."""

import icalendar
import vobject

from coordination.calendar.models import FeedToken
from coordination.calendar.services import (
    PERSONAL,
    active_feed_token,
    club_scope,
    feed_url,
    renew_feed_token,
    revoke_feed_token,
)


def path_of(url: str) -> str:
    return url.removeprefix("http://localhost")


def uids(body: bytes) -> list[str]:
    return [str(e["UID"]) for e in icalendar.Calendar.from_ical(body).walk("VEVENT")]


def test_personal_feed_shows_the_members_club_meetings(
    client, club_setup, make_meeting, now, db_session
):
    club, _lead, member, _outsider = club_setup()
    meeting = make_meeting(club)
    url = feed_url(active_feed_token(member, PERSONAL, now))
    db_session.commit()
    response = client.get(path_of(url))
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    vobject.readOne(response.get_data(as_text=True), validate=True)
    assert uids(response.data) == [meeting.uid]


def test_unchanged_feed_answers_304_and_a_change_does_not(
    client, club_setup, make_meeting, now, db_session
):
    club, _lead, member, _outsider = club_setup()
    meeting = make_meeting(club)
    path = path_of(feed_url(active_feed_token(member, PERSONAL, now)))
    db_session.commit()
    first = client.get(path)
    etag = first.headers["ETag"]
    assert client.get(path, headers={"If-None-Match": etag}).status_code == 304
    assert client.get(path).data == first.data  # same data, same bytes
    from coordination.clubs.services import save_meeting
    from tests.calendar.conftest import meeting_fields

    save_meeting(club, meeting, meeting_fields(place="Hôtel de ville"), now)
    db_session.commit()
    changed = client.get(path, headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert "SEQUENCE:1" in changed.get_data(as_text=True)


def test_revoked_token_gets_404_and_renewal_gives_a_new_working_address(
    client, club_setup, make_meeting, now, db_session
):
    club, _lead, member, _outsider = club_setup()
    make_meeting(club)
    old = path_of(feed_url(active_feed_token(member, PERSONAL, now)))
    new = path_of(feed_url(renew_feed_token(member, PERSONAL, now)))
    db_session.commit()
    assert old != new
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200
    revoke_feed_token(member, PERSONAL, now)
    db_session.commit()
    assert client.get(new).status_code == 404
    assert active_feed_token(member, PERSONAL, now) is None


def test_one_users_token_never_shows_another_clubs_dates(
    client, club_setup, make_meeting, now, db_session
):
    club_a, _lead_a, member_a, _ = club_setup("club-a")
    club_b, _lead_b, member_b, _ = club_setup("club-b")
    meeting_a, meeting_b = make_meeting(club_a), make_meeting(club_b)
    path_a = path_of(feed_url(active_feed_token(member_a, PERSONAL, now)))
    path_b = path_of(feed_url(active_feed_token(member_b, PERSONAL, now)))
    db_session.commit()
    assert uids(client.get(path_a).data) == [meeting_a.uid]
    assert uids(client.get(path_b).data) == [meeting_b.uid]


def test_club_feed_closes_for_someone_who_is_not_a_member(
    client, club_setup, make_meeting, now, db_session
):
    club, _lead, member, outsider = club_setup()
    make_meeting(club)
    member_path = path_of(feed_url(active_feed_token(member, club_scope(club.id), now)))
    outsider_path = path_of(feed_url(active_feed_token(outsider, club_scope(club.id), now)))
    db_session.commit()
    assert client.get(member_path).status_code == 200
    assert client.get(outsider_path).status_code == 404


def test_only_the_hash_of_a_feed_secret_is_stored(club_setup, now, db_session):
    _club, _lead, member, _outsider = club_setup()
    token = active_feed_token(member, PERSONAL, now)
    secret = feed_url(token).rsplit("/", 1)[1].removesuffix(".ics")
    stored = db_session.get(FeedToken, token.id)
    assert secret not in stored.token_hash
    assert len(secret) >= 43


def test_unknown_secret_is_a_404(client):
    assert client.get("/calendrier/abonnement/not-a-real-secret.ics").status_code == 404


def test_subscribe_page_offers_https_and_webcal_and_explains_the_difference(
    client, club_setup, sign_in
):
    _club, _lead, member, _outsider = club_setup()
    sign_in(member)
    client.post("/langue", data={"locale": "en"})
    page = client.get("/calendrier/").get_data(as_text=True)
    assert 'value="http://localhost/calendrier/abonnement/' in page
    assert 'href="webcal://localhost/calendrier/abonnement/' in page
    assert "Subscribe, do not download." in page
    assert "Google Calendar" in page and "Outlook" in page and "Apple Calendar" in page


def test_renewing_from_the_page_changes_the_address(client, club_setup, sign_in, db_session):
    _club, _lead, member, _outsider = club_setup()
    sign_in(member)
    before = client.get("/calendrier/").get_data(as_text=True)
    client.post("/calendrier/renouveler", data={"scope": "personal"})
    after = client.get("/calendrier/").get_data(as_text=True)
    assert before != after
    assert client.post("/calendrier/renouveler", data={"scope": "club:999999"}).status_code == 404
