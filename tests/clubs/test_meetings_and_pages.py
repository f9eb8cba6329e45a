"""Club pages, club editing, meetings and their sequence, exports, the digest, the demo."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from coordination.clubs.digest import requests_waiting
from coordination.clubs.errors import ClubRuleError
from coordination.clubs.models import Club, ClubMeeting, MeetingStatus
from coordination.clubs.organisations import add_contact
from coordination.clubs.services import request_membership, save_meeting
from coordination.core.clock import utcnow
from coordination.extensions import db
from tests.clubs.conftest import VALID_SIRET


def _fields(**overrides):
    starts = datetime(2026, 4, 2, 12, 0, tzinfo=UTC)
    fields = {
        "title": "Réunion de lancement",
        "starts_at": starts,
        "ends_at": starts + timedelta(hours=2),
        "place": "Mairie de Saint-Quentin",
        "online_url": "",
        "agenda": "Tour de table",
        "status": MeetingStatus.PLANNED,
    }
    return fields | overrides


def test_meeting_sequence_rises_on_every_calendar_change(make_club, now):
    club = make_club()
    meeting = save_meeting(club, None, _fields(), now)
    uid = meeting.uid
    assert meeting.sequence == 0

    save_meeting(club, meeting, _fields(), now + timedelta(hours=1))
    assert meeting.sequence == 0

    later = now + timedelta(hours=2)
    save_meeting(club, meeting, _fields(place="CCI Amiens"), later)
    assert (meeting.sequence, meeting.updated_at) == (1, later)
    save_meeting(club, meeting, _fields(place="CCI Amiens", status="cancelled"), later)
    assert meeting.sequence == 2
    assert meeting.uid == uid
    assert uid.startswith("club-meeting-")


def test_meeting_must_end_after_it_starts(make_club, now):
    fields = _fields()
    with pytest.raises(ClubRuleError):
        save_meeting(make_club(), None, fields | {"ends_at": fields["starts_at"]}, now)


def test_lead_creates_a_meeting_in_paris_time(client, make_club, make_user, sign_in):
    lead = make_user("lead@example.org")
    club = make_club(leads=[lead])
    sign_in(lead)

    response = client.post(
        f"/clubs/{club.slug}/reunions/nouvelle",
        data={
            "title": "Atelier compétences",
            "day": "2026-07-02",
            "starts": "14:00",
            "ends": "16:30",
            "place": "",
            "online_url": "https://visio.example.org/atelier",
            "agenda": "",
            "status": "confirmed",
        },
    )

    assert response.status_code == 302
    meeting = db.session.scalar(select(ClubMeeting))
    assert meeting.starts_at == datetime(2026, 7, 2, 12, 0, tzinfo=UTC)
    assert meeting.ends_at == datetime(2026, 7, 2, 14, 30, tzinfo=UTC)
    assert (meeting.status, meeting.sequence) == ("confirmed", 0)


def test_meeting_form_needs_a_place_or_a_link_and_an_end_after_start(
    client, make_club, staff, sign_in
):
    club = make_club()
    sign_in(staff)

    response = client.post(
        f"/clubs/{club.slug}/reunions/nouvelle",
        data={
            "title": "X",
            "day": "2026-07-02",
            "starts": "14:00",
            "ends": "13:00",
            "status": "planned",
        },
    )

    page = response.get_data(as_text=True)
    assert 'id="place-error"' in page and 'id="ends-error"' in page
    assert db.session.scalar(select(ClubMeeting)) is None


def test_editing_a_meeting_raises_its_sequence(client, make_club, staff, sign_in, now):
    club = make_club()
    meeting = save_meeting(
        club,
        None,
        _fields(
            starts_at=utcnow() + timedelta(days=3), ends_at=utcnow() + timedelta(days=3, hours=2)
        ),
        now,
    )
    sign_in(staff)
    form = client.get(f"/clubs/{club.slug}/reunions/{meeting.id}/modifier").get_data(as_text=True)
    assert 'value="Réunion de lancement"' in form

    client.post(
        f"/clubs/{club.slug}/reunions/{meeting.id}/modifier",
        data={
            "title": "Réunion de lancement",
            "day": "2026-05-05",
            "starts": "09:00",
            "ends": "10:00",
            "place": "Amiens",
            "status": "planned",
        },
    )

    db.session.expire_all()
    assert meeting.sequence == 1
    assert client.get(f"/clubs/autre/reunions/{meeting.id}/modifier").status_code == 404


def test_staff_creates_a_club_with_territories_and_leads(
    client, staff, sign_in, make_territory, make_user
):
    territory = make_territory()
    make_user("lead@example.org")
    sign_in(staff)

    response = client.post(
        "/equipe/clubs/nouveau",
        data={
            "name": "Club Saint-Quentin",
            "slug": "club-saint-quentin",
            "is_open": "y",
            "territory_ids": [territory.id],
            "lead_emails": "lead@example.org\n",
        },
    )

    assert response.headers["Location"] == "/clubs/club-saint-quentin"
    club = db.session.scalar(select(Club))
    assert [t.id for t in club.territories] == [territory.id]
    assert [u.email for u in club.leads] == ["lead@example.org"]


def test_club_form_refuses_unknown_leads_and_bad_slugs(client, staff, sign_in, make_territory):
    territory = make_territory()
    sign_in(staff)

    page = client.post(
        "/equipe/clubs/nouveau",
        data={
            "name": "Club",
            "slug": "Bad Slug",
            "territory_ids": [territory.id],
            "lead_emails": "nobody@example.org",
        },
    ).get_data(as_text=True)

    assert 'id="slug-error"' in page and 'id="lead_emails-error"' in page
    assert db.session.scalar(select(Club)) is None


def test_club_editing_is_staff_only(client, make_club, make_user, sign_in):
    lead = make_user("lead@example.org")
    club = make_club(leads=[lead])
    sign_in(lead)
    assert client.get(f"/equipe/clubs/{club.id}/modifier").status_code == 403


def test_unknown_club_is_a_404(client):
    assert client.get("/clubs/nulle-part").status_code == 404


def _member(club, name, make_organisation, make_user, now):
    organisation = make_organisation(name)
    user = make_user(f"{organisation.id}@example.org")
    add_contact(organisation, user, now, is_approved=True)
    request_membership(club, organisation, user, now).status = "approved"
    return organisation


def test_club_page_shows_members_and_coming_meetings(
    client, make_club, make_organisation, make_user, now
):
    club = make_club()
    member = _member(club, "CCI Hauts-de-France", make_organisation, make_user, now)
    coming = save_meeting(
        club,
        None,
        _fields(
            starts_at=utcnow() + timedelta(days=3), ends_at=utcnow() + timedelta(days=3, hours=1)
        ),
        now,
    )
    past = save_meeting(club, None, _fields(), now)
    db.session.commit()

    page = client.get(f"/clubs/{club.slug}").get_data(as_text=True)

    assert f'data-organisation-id="{member.id}"' in page
    assert f'data-meeting-id="{coming.id}"' in page
    assert f'data-meeting-id="{past.id}"' not in page
    # Contacts' addresses are for staff and leads only.
    assert "@example.org" not in page


@pytest.mark.parametrize("path", ["/clubs/", "/clubs/{slug}"])
def test_club_pages_query_count_does_not_grow(
    client, make_club, make_organisation, make_user, now, query_counter, path
):
    club = make_club()
    _member(club, "Membre 1", make_organisation, make_user, now)
    save_meeting(
        club,
        None,
        _fields(
            starts_at=utcnow() + timedelta(days=3), ends_at=utcnow() + timedelta(days=3, hours=1)
        ),
        now,
    )
    db.session.commit()
    url = path.format(slug=club.slug)
    client.get(url)
    with query_counter() as with_one:
        client.get(url)
    for n in (2, 3):
        other = make_club(f"Club {n}", slug=f"club-{n}")
        _member(club, f"Membre {n}", make_organisation, make_user, now)
        _member(other, f"Autre {n}", make_organisation, make_user, now)
        save_meeting(
            club,
            None,
            _fields(
                starts_at=utcnow() + timedelta(days=n),
                ends_at=utcnow() + timedelta(days=n, hours=1),
            ),
            now,
        )
    db.session.commit()

    with query_counter() as with_three:
        client.get(url)

    assert len(with_three) == len(with_one)


def test_partners_page_query_count_does_not_grow(
    client, staff, sign_in, make_club, make_organisation, make_user, now, query_counter
):
    club = make_club()
    _member(club, "Membre 1", make_organisation, make_user, now)
    sign_in(staff)
    client.get("/equipe/partenaires/")
    with query_counter() as with_one:
        client.get("/equipe/partenaires/")
    _member(club, "Membre 2", make_organisation, make_user, now)
    _member(club, "Membre 3", make_organisation, make_user, now)
    db.session.commit()

    with query_counter() as with_three:
        page = client.get("/equipe/partenaires/").get_data(as_text=True)

    assert page.count("<tr data-organisation-id=") == 3
    assert len(with_three) == len(with_one)


def test_members_export_is_excel_friendly_csv(
    client, staff, sign_in, make_club, make_organisation, make_user, now
):
    club = make_club()
    organisation = _member(club, "=CCI; Hauts-de-France", make_organisation, make_user, now)
    organisation.siret = VALID_SIRET
    sign_in(staff)
    client.post("/langue", data={"locale": "en"})

    response = client.get(f"/clubs/{club.slug}/membres.csv")

    body = response.get_data()
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert body.startswith("\ufeff".encode())
    lines = body.decode("utf-8-sig").split("\r\n")
    assert lines[0].startswith("Organisation;Kind;SIRET;")
    assert lines[1].startswith(
        f'"\'=CCI; Hauts-de-France";Chamber of commerce (CCI);{VALID_SIRET};'
    )


def test_partners_export_is_staff_only(client, make_user, sign_in, make_organisation):
    make_organisation()
    sign_in(make_user("partner@example.org", roles=("partner_contact",)))
    assert client.get("/equipe/partenaires/export.csv").status_code == 403


def test_partners_export_lists_every_partner(client, staff, sign_in, make_organisation):
    make_organisation("CCI Hauts-de-France")
    make_organisation("Université de Picardie")
    sign_in(staff)

    body = client.get("/equipe/partenaires/export.csv").get_data().decode("utf-8-sig")

    assert body.count("\r\n") == 3


def test_digest_lists_requests_waiting(app, make_club, make_organisation, make_user, now):
    club = make_club()
    organisation = make_organisation()
    request_membership(club, organisation, make_user(), now)

    with app.test_request_context():
        [item] = requests_waiting(now - timedelta(days=1), now)

    assert item.text.startswith("CCI Hauts-de-France → Club Somme-Aisne (")
    assert item.url == "http://localhost/clubs/demandes"
    assert "clubs.requests_waiting" in app.extensions["digest_sections"].sections


def test_demo_data_has_clubs_partners_requests_and_meetings(db_session):
    from coordination.clubs.models import Membership, PartnerContact
    from coordination.demo import load_demo_data

    assert load_demo_data(utcnow())

    clubs = db.session.scalars(select(Club).order_by(Club.slug)).all()
    assert [c.slug for c in clubs] == ["club-pithiverais", "club-somme-aisne"]
    partner = db.session.scalar(
        select(PartnerContact).where(PartnerContact.user.has(email="partenaire@demo.innovent-e.fr"))
    )
    assert partner.is_approved
    statuses = sorted(m.status for m in db.session.scalars(select(Membership)))
    assert statuses == ["approved", "approved", "approved", "approved", "pending"]
    meetings = db.session.scalars(select(ClubMeeting)).all()
    assert len(meetings) == 3
    assert all(m.starts_at > utcnow() for m in meetings)


def test_club_page_lists_the_confirmed_stops_of_its_territories(client, db_session, now):
    from datetime import date, timedelta

    from sqlalchemy import select

    from coordination.campaigns.models import Edition
    from coordination.clubs.models import Club
    from coordination.core.text import search_key
    from coordination.stops.services import confirm_stop, create_stop
    from coordination.territories.models import Epci, Territory

    territory = Territory(
        name="Saint-Quentinois",
        search_name=search_key("Saint-Quentinois"),
        epcis=list(db_session.scalars(select(Epci).where(Epci.siren == "200071892"))),
    )
    club = Club(slug="club-aisne", name="Club Aisne", territories=[territory])
    edition = Edition(slug="e-club", name="E", starts_on=date(2026, 1, 1), ends_on=date(2030, 1, 1))
    db_session.add_all([club, edition])
    db_session.flush()
    from coordination.core.clock import utcnow

    start = utcnow() + timedelta(days=30)  # the page shows what is still ahead of today
    fields = {
        "territory_id": territory.id,
        "starts_at": start,
        "ends_at": start + timedelta(hours=8),
    }
    shown = create_stop(edition, {**fields, "title": "Étape confirmée"}, None, now)
    create_stop(edition, {**fields, "title": "Étape provisoire"}, None, now)
    confirm_stop(shown, None, now)
    db_session.commit()
    page = client.get("/clubs/club-aisne").get_data(as_text=True)
    assert "Étape confirmée" in page
    assert "Étape provisoire" not in page


def test_a_meetings_online_link_is_for_members_and_staff_only(
    client, make_club, make_organisation, make_user, staff, sign_in, now
):
    club = make_club()
    member = _member(club, "CCI Hauts-de-France", make_organisation, make_user, now)
    outsider = make_user("curieux@example.org", roles=("partner_contact",))
    link = "https://visio.example.org/reunion-secrete"
    starts = utcnow() + timedelta(days=3)
    save_meeting(
        club,
        None,
        _fields(starts_at=starts, ends_at=starts + timedelta(hours=1), online_url=link),
        now,
    )
    db.session.commit()
    path = f"/clubs/{club.slug}"

    assert link not in client.get(path).get_data(as_text=True)  # the public page
    sign_in(outsider)
    assert link not in client.get(path).get_data(as_text=True)
    sign_in(member.contacts[0].user)
    assert link in client.get(path).get_data(as_text=True)
    sign_in(staff)
    assert link in client.get(path).get_data(as_text=True)
