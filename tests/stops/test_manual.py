"""Staff add a stop by hand: territory, host commune in its official name, a date or none."""

from datetime import date

import pytest
from sqlalchemy import select

from coordination.core.clock import to_local
from coordination.stops.models import Stop

PITHIVIERS = "45252"


@pytest.fixture
def territory(make_territory):
    return make_territory()


def _form(territory, **changes):
    data = {
        "territory_id": str(territory.id),
        "commune_name": "Pithiviers",
        "commune_insee": PITHIVIERS,
        "venue_name": "Salle des fêtes",
        "venue_address": "1 place du Martroi",
        "day": "2026-09-15",
        "starts": "09:30",
        "ends": "17:00",
        "host_contacts-0-name": "Claire Roux",
        "host_contacts-0-email": "claire@pithiverais.example",
    }
    data.update(changes)
    return data


def _stops(db_session, edition):
    return db_session.scalars(select(Stop).where(Stop.edition_id == edition.id)).all()


def test_staff_add_a_stop_by_hand(client, staff, sign_in, edition, territory, db_session):
    sign_in(staff)
    page = client.get(f"/etapes/planning/{edition.slug}/nouvelle").get_data(as_text=True)
    assert "/static/js/commune-picker.js" in page
    response = client.post(f"/etapes/planning/{edition.slug}/nouvelle", data=_form(territory))
    (stop,) = _stops(db_session, edition)
    assert response.status_code == 302
    assert response.headers["Location"] == f"/etapes/{stop.id}"
    starts = to_local(stop.starts_at)
    assert (stop.title, stop.city, stop.commune_insee, stop.territory_id) == (
        "Pithiviers",
        "Pithiviers",
        PITHIVIERS,
        territory.id,
    )
    assert (starts.date(), starts.strftime("%H:%M"), to_local(stop.ends_at).strftime("%H:%M")) == (
        date(2026, 9, 15),
        "09:30",
        "17:00",
    )
    assert (stop.venue_name, stop.venue_address, stop.status) == (
        "Salle des fêtes",
        "1 place du Martroi",
        "tentative",
    )
    assert stop.host_contacts == [
        {"name": "Claire Roux", "function": "", "email": "claire@pithiverais.example", "phone": ""}
    ]
    assert stop.latitude is not None and stop.application_id is None
    assert [c.action for c in stop.changes] == ["created"]


def test_commune_typed_without_js_takes_its_official_name(
    client, staff, sign_in, edition, territory, db_session
):
    sign_in(staff)
    data = _form(territory, commune_name="le mans", commune_insee="", day="")
    response = client.post(f"/etapes/planning/{edition.slug}/nouvelle", data=data)
    assert response.status_code == 302
    (stop,) = _stops(db_session, edition)
    assert (stop.city, stop.commune_insee) == ("Le Mans", "72181")
    # No date yet: tentative on the edition's first weekday (Monday 1 June 2026).
    assert to_local(stop.starts_at).date() == date(2026, 6, 1)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"commune_name": "Zzyzx", "commune_insee": ""}, "commune_name", "Aucune commune"),
        ({"commune_name": "Saint-Denis", "commune_insee": ""}, "commune_name", "Plusieurs"),
        ({"commune_insee": "99999"}, "commune_name", "Aucune commune"),
        ({"commune_name": ""}, "commune_name", "requis"),
        ({"territory_id": "abc"}, "territory_id", "choix"),
        ({"territory_id": "999999"}, "territory_id", "choix"),
        ({"ends": "08:00"}, "ends", "après"),
        ({"day": "2026-02-30"}, "day", "date"),
        ({"day": "3026-02-01"}, "day", "2100"),
    ],
)
def test_bad_input_is_explained_and_kept(
    client, staff, sign_in, edition, territory, db_session, changes, field, message
):
    sign_in(staff)
    response = client.post(
        f"/etapes/planning/{edition.slug}/nouvelle", data=_form(territory, **changes)
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    error = html[html.index(f'id="{field}-error"') :][:300]
    assert message.lower() in error.lower()
    assert 'value="Salle des fêtes"' in html and 'value="Claire Roux"' in html
    assert _stops(db_session, edition) == []


@pytest.mark.parametrize("roles", [("reviewer",), ("territory_contact",), ("partner_contact",)])
def test_only_staff_add_stops(client, make_user, sign_in, edition, territory, roles, db_session):
    sign_in(make_user("x@example.org", roles=roles))
    assert client.get(f"/etapes/planning/{edition.slug}/nouvelle").status_code == 403
    response = client.post(f"/etapes/planning/{edition.slug}/nouvelle", data=_form(territory))
    assert response.status_code == 403
    assert _stops(db_session, edition) == []


def test_anonymous_is_sent_to_sign_in_and_unknown_edition_is_404(
    client, staff, sign_in, edition, territory
):
    assert client.get(f"/etapes/planning/{edition.slug}/nouvelle").status_code == 302
    sign_in(staff)
    assert client.get("/etapes/planning/nope/nouvelle").status_code == 404


def test_planning_links_here_and_the_edit_page_has_the_commune_search(
    client, staff, sign_in, edition, territory, db_session
):
    sign_in(staff)
    assert 'id="add-stop"' in client.get(f"/etapes/planning/{edition.slug}").get_data(as_text=True)
    client.post(f"/etapes/planning/{edition.slug}/nouvelle", data=_form(territory))
    (stop,) = _stops(db_session, edition)
    html = client.get(f"/etapes/{stop.id}/modifier").get_data(as_text=True)
    assert "data-commune-picker" in html and "/static/js/commune-picker.js" in html
