"""Staff create, edit, archive editions; the public sees only public, non-archived ones."""

from datetime import date

import pytest
from sqlalchemy import select

from coordination.campaigns.models import Edition
from coordination.core.clock import to_local, utcnow
from coordination.editions import queries

FORM = {
    "kind": "tour",
    "name": "Tournée 2031",
    "slug": "tournee-2031",
    "starts_on": "2031-06-02",
    "ends_on": "2031-10-24",
    "description": "La cinquième édition.",
}


def _edition(db_session, slug="tournee-2031") -> Edition:
    return db_session.scalar(select(Edition).where(Edition.slug == slug))


def test_staff_create_an_edition_not_public_yet(client, staff, sign_in, db_session):
    sign_in(staff)
    response = client.post("/gestion/editions/nouvelle", data=FORM)
    assert response.status_code == 302
    edition = _edition(db_session)
    assert response.headers["Location"] == f"/gestion/editions/{edition.id}"
    assert (edition.kind, edition.name, edition.starts_on, edition.ends_on, edition.status) == (
        "tour",
        "Tournée 2031",
        date(2031, 6, 2),
        date(2031, 10, 24),
        "draft",
    )
    staff_list = client.get("/gestion/editions").get_data(as_text=True)
    assert f'data-edition-id="{edition.id}"' in staff_list
    assert 'data-state="draft"' in staff_list
    assert "tournee-2031" not in client.get("/editions").get_data(as_text=True)
    assert client.get("/editions/tournee-2031").status_code == 200  # staff see it
    client.post("/deconnexion")
    assert client.get("/editions/tournee-2031").status_code == 404


def test_public_then_archived_then_back(client, staff, sign_in, db_session):
    sign_in(staff)
    client.post("/gestion/editions/nouvelle", data=FORM | {"is_public": "y"})
    edition = _edition(db_session)
    assert edition.status == "planned"
    assert "/editions/tournee-2031" in client.get("/editions").get_data(as_text=True)

    client.post(f"/gestion/editions/{edition.id}/archiver")
    db_session.refresh(edition)
    assert queries.state(edition, date(2031, 7, 1)) == "archived"
    assert "/editions/tournee-2031" not in client.get("/editions").get_data(as_text=True)
    assert 'data-state="archived"' in client.get("/gestion/editions").get_data(as_text=True)
    # Archived, it stays readable by its address (history).
    client.post("/deconnexion")
    assert client.get("/editions/tournee-2031").status_code == 200

    sign_in(staff)
    client.post(f"/gestion/editions/{edition.id}/restaurer")
    db_session.refresh(edition)
    assert edition.status == "planned"


def test_states_from_status_and_dates(edition):
    edition.status = "planned"
    assert queries.state(edition, date(2026, 5, 31)) == "public"
    assert queries.state(edition, date(2026, 6, 1)) == "running"
    assert queries.state(edition, date(2026, 10, 30)) == "running"
    assert queries.state(edition, date(2026, 10, 31)) == "public"
    edition.status = "draft"
    assert queries.state(edition, date(2026, 7, 1)) == "draft"


def test_editing_an_edition_keeps_its_own_slug(client, staff, sign_in, edition, db_session):
    sign_in(staff)
    response = client.post(
        f"/gestion/editions/{edition.id}",
        data=FORM | {"slug": edition.slug, "name": "Nouveau nom", "is_public": "y"},
    )
    assert response.status_code == 302
    db_session.refresh(edition)
    assert (edition.name, edition.slug, edition.status) == ("Nouveau nom", edition.slug, "planned")


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"slug": "Tournée 2031"}, "slug", "lettres minuscules"),
        ({"slug": "tournee--2031"}, "slug", "lettres minuscules"),
        ({"slug": ""}, "slug", "requis"),
        ({"ends_on": "2031-05-01"}, "ends_on", "avant le premier"),
        ({"starts_on": "2031-13-45"}, "starts_on", "date"),
        ({"starts_on": "1800-06-01"}, "starts_on", "entre 2000 et 2100"),
        ({"kind": "circus"}, "kind", "choix"),
        ({"name": "   "}, "name", "requis"),
    ],
)
def test_bad_input_is_explained_and_everything_typed_stays(
    client, staff, sign_in, db_session, changes, field, message
):
    sign_in(staff)
    response = client.post("/gestion/editions/nouvelle", data=FORM | changes)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    error = html[html.index(f'id="{field}-error"') :][:300]
    assert message in error.lower()
    assert "La cinquième édition." in html
    assert _edition(db_session) is None


def test_duplicate_slug_is_refused(client, staff, sign_in, edition, db_session):
    sign_in(staff)
    response = client.post("/gestion/editions/nouvelle", data=FORM | {"slug": edition.slug})
    assert response.status_code == 422
    assert "déjà ce nom court" in response.get_data(as_text=True)
    assert len(db_session.scalars(select(Edition)).all()) == 1


def test_open_a_call_from_the_edition_page(client, staff, sign_in, edition):
    sign_in(staff)
    page = client.get(f"/gestion/editions/{edition.id}").get_data(as_text=True)
    assert f'href="/appels/gestion/nouveau?edition_id={edition.id}"' in page
    form = client.get(f"/appels/gestion/nouveau?edition_id={edition.id}").get_data(as_text=True)
    assert f'<option selected value="{edition.id}">' in form
    assert client.get("/appels/gestion/nouveau?edition_id=%C2%B2").status_code == 200


def test_running_edition_shows_as_running(client, staff, sign_in, edition):
    today = to_local(utcnow()).date()
    edition.starts_on, edition.ends_on = today, today
    sign_in(staff)
    html = client.get("/gestion/editions").get_data(as_text=True)
    assert 'data-state="running"' in html


@pytest.mark.parametrize("roles", [("reviewer",), ("territory_contact",), ("partner_contact",)])
def test_only_staff_manage_editions(client, make_user, sign_in, edition, roles, db_session):
    sign_in(make_user("x@example.org", roles=roles))
    for path in (
        "/gestion/editions",
        "/gestion/editions/nouvelle",
        f"/gestion/editions/{edition.id}",
        f"/gestion/editions/{edition.id}/suivante",
    ):
        assert client.get(path).status_code == 403
    assert client.post("/gestion/editions/nouvelle", data=FORM).status_code == 403
    assert client.post(f"/gestion/editions/{edition.id}/archiver").status_code == 403
    assert client.post(f"/gestion/editions/{edition.id}/suivante", data=FORM).status_code == 403
    assert _edition(db_session) is None
    db_session.refresh(edition)
    assert edition.status == "planned"


def test_anonymous_is_sent_to_sign_in_and_unknown_edition_is_404(client, staff, sign_in):
    assert client.get("/gestion/editions").status_code == 302
    assert client.post("/gestion/editions/1/archiver").status_code == 302
    sign_in(staff)
    assert client.get("/gestion/editions/999999").status_code == 404
    assert client.get("/gestion/editions/999999/suivante").status_code == 404
    assert client.post("/gestion/editions/999999/archiver").status_code == 404
