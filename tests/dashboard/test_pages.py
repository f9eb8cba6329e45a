"""The public glance on the edition page and the staff dashboard."""

import re
from datetime import UTC, date, datetime

from coordination.extensions import db
from coordination.stops.models import StopRules, StopStatus
from tests.dashboard.conftest import ALBERT, METZ, SAINT_QUENTIN, STRASBOURG

MARKER = re.compile(r'<circle class="stop-marker marker-(\w+)"[^>]*data-stop-id="(\d+)"')
ITEM = re.compile(r'<li class="timeline-item item-(\w+)" data-stop-id="(\d+)"')


def _markers(html: str) -> list[tuple[str, int]]:
    return [(status, int(stop_id)) for status, stop_id in MARKER.findall(html)]


def _items(html: str) -> list[tuple[str, int]]:
    return [(status, int(stop_id)) for status, stop_id in ITEM.findall(html)]


def test_edition_page_shows_confirmed_and_held_stops_only(client, edition, make_stop):
    confirmed = make_stop(day=date(2026, 9, 8))
    held = make_stop(day=date(2026, 9, 1), insee=ALBERT, status=StopStatus.HELD)
    make_stop(day=date(2026, 9, 9), insee=METZ, status=StopStatus.TENTATIVE)
    make_stop(day=date(2026, 9, 10), insee=STRASBOURG, status=StopStatus.CANCELLED)

    html = client.get(f"/editions/{edition.slug}").get_data(as_text=True)

    assert _markers(html) == [("held", held.id), ("confirmed", confirmed.id)]
    assert _items(html) == [("held", held.id), ("confirmed", confirmed.id)]
    assert f'href="/etapes/{confirmed.id}"' in html
    assert 'id="edition-glance"' in html
    assert "/static/css/dashboard.css" in html


def test_edition_page_without_confirmed_stops_has_no_glance(client, edition, make_stop):
    make_stop(status=StopStatus.TENTATIVE)

    html = client.get(f"/editions/{edition.slug}").get_data(as_text=True)

    assert 'id="edition-glance"' not in html
    assert _markers(html) == []


def test_timeline_marks_gaps_and_crowded_weeks(client, edition, make_stop):
    db.session.add(StopRules(edition_id=edition.id, max_stops_per_week=2))
    for day in (1, 2, 3):  # three stops in the week of Monday 31 August
        make_stop(day=date(2026, 9, day))
    make_stop(day=date(2026, 9, 15))

    html = client.get(f"/editions/{edition.slug}").get_data(as_text=True)

    weeks = re.findall(
        r'<li class="timeline-week([^"]*)" data-week="([\d-]+)" data-count="(\d+)"', html
    )
    assert weeks[:3] == [
        (" is-crowded", "2026-08-31", "3"),
        (" is-gap", "2026-09-07", "0"),
        ("", "2026-09-14", "1"),
    ]
    # Every week of the edition is drawn, up to the one of Friday 30 October.
    assert weeks[-1] == (" is-gap", "2026-10-26", "0")
    assert len(weeks) == 9


def test_overseas_stop_is_listed_beside_the_map(client, edition, make_stop):
    reunion = make_stop(insee=None, lat_lon=(-20.88, 55.45))

    html = client.get(f"/editions/{edition.slug}").get_data(as_text=True)

    assert _markers(html) == []
    assert f'<li class="unplaced-stop" data-stop-id="{reunion.id}">' in html
    assert _items(html) == [("confirmed", reunion.id)]


def test_dashboard_sends_visitors_to_sign_in_and_refuses_others(client, make_user, sign_in):
    response = client.get("/equipe/tableau-de-bord")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/connexion")

    sign_in(make_user("partner@example.org", roles=("partner_contact",)))
    assert client.get("/equipe/tableau-de-bord").status_code == 403
    assert client.get("/equipe/tableau-de-bord/stops-per-month.csv").status_code == 403


def test_dashboard_shows_every_stop_and_the_applicants(
    client, staff, sign_in, edition, make_stop, make_application
):
    tentative = make_stop(day=date(2026, 9, 2), status=StopStatus.TENTATIVE)
    confirmed = make_stop(day=date(2026, 9, 9), insee=ALBERT)
    accepted = make_application(insee=ALBERT, decision="accepted")
    submitted = make_application(insee=SAINT_QUENTIN)
    sign_in(staff)

    html = client.get(f"/equipe/tableau-de-bord?edition={edition.slug}").get_data(as_text=True)

    assert _markers(html) == [("tentative", tentative.id), ("confirmed", confirmed.id)]
    assert _items(html) == [("tentative", tentative.id), ("confirmed", confirmed.id)]
    shaded = dict(re.findall(r'class="departement applied-(\w+)" data-code="(\w+)"', html))
    assert shaded == {"accepted": "80", "submitted": "02"}
    assert f'href="/appels/candidatures/{accepted.id}"' in html
    assert f'href="/appels/candidatures/{submitted.id}"' in html
    for key in (
        "applications-by-region",
        "applications-over-time",
        "stops-per-month",
        "email-per-week",
    ):
        assert f'href="/equipe/tableau-de-bord/{key}.csv?edition={edition.slug}"' in html
    assert 'id="unmapped-applications"' not in html
    # No partner yet: those figures say so instead of an empty table.
    assert 'id="table-partners-by-kind"' not in html


def test_dashboard_unknown_edition_is_404(client, staff, sign_in):
    sign_in(staff)
    assert client.get("/equipe/tableau-de-bord?edition=nope").status_code == 404
    assert client.get("/equipe/tableau-de-bord/nope.csv").status_code == 404


def test_dashboard_without_any_edition_shows_the_other_figures(client, staff, sign_in):
    sign_in(staff)

    response = client.get("/equipe/tableau-de-bord")

    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'id="figure-email-per-week"' in html
    assert 'id="figure-stops-per-month"' not in html


def test_stops_per_month_csv(client, staff, sign_in, edition, make_stop):
    make_stop(day=date(2026, 9, 2), status=StopStatus.TENTATIVE)
    make_stop(day=date(2026, 9, 9))
    make_stop(day=date(2026, 10, 1), status=StopStatus.CANCELLED)
    sign_in(staff)

    response = client.get(f"/equipe/tableau-de-bord/stops-per-month.csv?edition={edition.slug}")

    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="stops-per-month-{edition.slug}.csv"'
    )
    client.post("/langue", data={"locale": "en"})
    text = client.get(
        f"/equipe/tableau-de-bord/stops-per-month.csv?edition={edition.slug}"
    ).get_data(as_text=True)
    assert text.lstrip("\ufeff").splitlines() == [
        "Month,Tentative,Confirmed,Held,Cancelled",
        "2026-09,1,1,0,0",
        "2026-10,0,0,0,1",
    ]


def test_applications_csv_by_region_and_over_time(
    client, staff, sign_in, edition, make_application
):
    make_application(decision="accepted", submitted_at=datetime(2026, 2, 3, tzinfo=UTC))
    make_application(
        insee=ALBERT, decision="rejected", submitted_at=datetime(2026, 2, 17, tzinfo=UTC)
    )
    make_application(insee=SAINT_QUENTIN, status="draft")
    staff.locale = "en"
    sign_in(staff)

    by_region = client.get(
        f"/equipe/tableau-de-bord/applications-by-region.csv?edition={edition.slug}"
    ).get_data(as_text=True)
    over_time = client.get(
        f"/equipe/tableau-de-bord/applications-over-time.csv?edition={edition.slug}"
    ).get_data(as_text=True)

    assert by_region.lstrip("\ufeff").splitlines() == [
        'Région,Accepted,Waitlisted,"Submitted, not decided",Rejected,Draft,Withdrawn',
        "Centre-Val de Loire,1,0,0,0,0,0",
        "Hauts-de-France,0,0,0,1,1,0",
    ]
    assert over_time.lstrip("\ufeff").splitlines() == [
        'Week of,Accepted,Waitlisted,"Submitted, not decided",Rejected,Withdrawn',
        "2026-02-02,1,0,0,0,0",
        "2026-02-09,1,0,0,0,0",
        "2026-02-16,1,0,0,1,0",
    ]


def test_partner_and_email_csv(client, staff, sign_in, make_partner, make_message, now):
    make_partner("university", "Club Loiret")
    make_partner("university", "Club Loiret")
    make_partner("company", "Club Somme")
    make_message("sent", now)
    make_message("failed", now)
    make_message("pending", now)
    make_message("sending", now)
    staff.locale = "en"
    sign_in(staff)

    kinds = client.get("/equipe/tableau-de-bord/partners-by-kind.csv").get_data(as_text=True)
    clubs = client.get("/equipe/tableau-de-bord/partners-by-club.csv").get_data(as_text=True)
    email = client.get("/equipe/tableau-de-bord/email-per-week.csv").get_data(as_text=True)

    assert kinds.lstrip("\ufeff").splitlines() == [
        "Kind,Organisations",
        "company,1",
        "university,2",
    ]
    assert clubs.lstrip("\ufeff").splitlines() == [
        "Club,Company,University",
        "Club Loiret,0,2",
        "Club Somme,1,0",
    ]
    rows = email.lstrip("\ufeff").splitlines()
    assert rows[0] == "Week of,Sent,Failed,Waiting"
    assert len(rows) == 13


def test_dashboard_lists_applications_it_cannot_shade(
    client, staff, sign_in, edition, make_application
):
    application = make_application(status="draft")
    application.territory = None
    sign_in(staff)

    html = client.get(f"/equipe/tableau-de-bord?edition={edition.slug}").get_data(as_text=True)

    assert re.findall(r'class="departement applied-', html) == []
    assert f'<li data-application-id="{application.id}">' in html


def test_csv_defuses_formulas_in_names(client, staff, sign_in, make_partner):
    make_partner("company", '=HYPERLINK("http://evil.example")')
    staff.locale = "en"
    sign_in(staff)

    text = client.get("/equipe/tableau-de-bord/partners-by-club.csv").get_data(as_text=True)

    assert text.lstrip("\ufeff").splitlines()[1] == '"\'=HYPERLINK(""http://evil.example"")",1'
