"""« Add to my calendar » on club meetings, no "join" button for members, the partner's feeds."""

from datetime import timedelta

from icalendar import Calendar

from coordination.clubs.models import MeetingStatus
from coordination.clubs.services import save_meeting
from coordination.core.clock import utcnow
from coordination.extensions import db


def _meeting(club, **overrides):
    starts = (utcnow() + timedelta(days=5)).replace(second=0, microsecond=0)
    fields = {
        "title": "Réunion de lancement",
        "starts_at": starts,
        "ends_at": starts + timedelta(hours=2),
        "place": "",
        "online_url": "https://visio.example.org/club",
        "agenda": "Tour de table",
        "status": MeetingStatus.CONFIRMED,
    }
    return save_meeting(club, None, fields | overrides, utcnow())


def test_a_meeting_downloads_as_one_event_without_the_members_link_for_the_public(
    client, make_club
):
    club = make_club()
    meeting = _meeting(club)
    db.session.commit()

    page = client.get(f"/clubs/{club.slug}").get_data(as_text=True)
    assert f'href="/calendrier/reunions/{meeting.id}.ics"' in page
    response = client.get(f"/calendrier/reunions/{meeting.id}.ics")

    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    assert "attachment" in response.headers["Content-Disposition"]
    [event] = Calendar.from_ical(response.data).walk("VEVENT")
    assert str(event["SUMMARY"]) == f"{club.name} — Réunion de lancement"
    assert event.decoded("DTSTART") == meeting.starts_at
    assert "visio.example.org" not in response.get_data(as_text=True)
    assert client.get("/calendrier/reunions/999999.ics").status_code == 404


def test_a_lead_gets_the_online_link_and_no_join_button(client, make_club, make_user, sign_in):
    lead = make_user("lead@example.org", roles=("partner_contact",))
    club = make_club(leads=[lead])
    meeting = _meeting(club)
    anonymous_page = client.get(f"/clubs/{club.slug}").get_data(as_text=True)
    assert f'href="/clubs/inscription?club={club.id}"' in anonymous_page

    sign_in(lead)
    page = client.get(f"/clubs/{club.slug}").get_data(as_text=True)
    body = client.get(f"/calendrier/reunions/{meeting.id}.ics").get_data(as_text=True)

    assert "/clubs/inscription?club=" not in page
    assert "visio.example.org" in body


def test_a_cancelled_meeting_offers_no_download(client, make_club):
    club = make_club()
    meeting = _meeting(club, status=MeetingStatus.CANCELLED)
    db.session.commit()
    page = client.get(f"/clubs/{club.slug}").get_data(as_text=True)
    assert f"/calendrier/reunions/{meeting.id}.ics" not in page


def test_the_partner_space_gives_the_ready_feeds_with_copy_buttons(client, make_user, sign_in):
    partner = make_user("partner@example.org", roles=("partner_contact",))
    sign_in(partner)

    page = client.get("/partenaire/").get_data(as_text=True)

    assert "sont prêts" in page
    assert "/calendrier/abonnement/" in page
    assert 'data-copy="partner-feed-1"' in page
    assert "apparaîtra ici" not in page
