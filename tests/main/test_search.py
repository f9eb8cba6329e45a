"""The staff's global search: every kind found, bounded, escaped, staff only."""

from datetime import timedelta

import pytest

from coordination.campaigns.models import Application, Call
from coordination.clubs.models import Club, PartnerOrganisation
from coordination.core.clock import utcnow
from coordination.core.text import search_key
from coordination.extensions import db
from coordination.main import search
from coordination.stops.models import Stop


@pytest.fixture
def world(make_user, make_territory, edition, staff):
    territory = make_territory("Pays de Morlaix", region_code="53")
    make_user("yann.morvan@example.org", name="Yann Morvan")
    db.session.add(
        PartnerOrganisation(
            name="Morlaix Communauté",
            search_name=search_key("Morlaix Communauté"),
            kind="other",
            interests=[],
        )
    )
    db.session.add(
        Club(name="Club Morlaix", slug="club-morlaix", description="", territories=[territory])
    )
    now = utcnow()
    call = Call(
        edition=edition,
        title="Appel 2027",
        description="",
        opens_at=now,
        closes_at=now + timedelta(days=9),
    )
    db.session.add(Application(call=call, territory=territory, status="draft", form_data={}))
    db.session.add(
        Stop(
            edition=edition,
            title="Étape de Morlaix",
            city="Morlaix",
            starts_at=now,
            ends_at=now + timedelta(hours=8),
        )
    )
    db.session.flush()
    return territory


def test_every_kind_is_found(app, world):
    with app.test_request_context():
        results = search.search("mor")
    assert set(results) == {
        "people",
        "organisations",
        "territories",
        "applications",
        "stops",
        "clubs",
    }
    assert results["people"][0].label == "Yann Morvan"
    assert results["territories"][0].label == "Pays de Morlaix"


def test_staff_page_and_live_fragment(client, world, staff, sign_in):
    sign_in(staff)
    page = client.get("/equipe/recherche?q=Morlaix").get_data(as_text=True)
    assert "Étape de Morlaix" in page and "<form" in page and "search.js" in page
    fragment = client.get("/equipe/recherche?q=Morlaix&fragment=1").get_data(as_text=True)
    assert "Étape de Morlaix" in fragment and "<html" not in fragment
    assert client.get("/equipe/recherche?q=m").status_code == 200


@pytest.mark.parametrize(
    "email,roles",
    [("contact@example.org", ("territory_contact",)), ("r@example.org", ("reviewer",))],
)
def test_others_may_not_search(client, world, make_user, sign_in, email, roles):
    assert client.get("/equipe/recherche?q=Morlaix").status_code in (302, 401)
    sign_in(make_user(email, roles=roles))
    assert client.get("/equipe/recherche?q=Morlaix").status_code == 403


def test_wildcards_are_taken_literally_and_each_kind_is_bounded(app, world, make_user):
    for index in range(search.PER_KIND + 3):
        make_user(f"morvan{index}@example.org", name=f"Morvan {index}")
    with app.test_request_context():
        assert search.search("%") == {}
        assert search.search("m_r") == {}
        assert len(search.search("morvan")["people"]) == search.PER_KIND


def test_query_count_is_fixed(client, world, staff, sign_in, query_counter):
    sign_in(staff)
    with query_counter() as few:
        client.get("/equipe/recherche?q=zzzz&fragment=1")
    with query_counter() as many:
        client.get("/equipe/recherche?q=morlaix&fragment=1")
    assert len(many) == len(few)


@pytest.mark.parametrize(
    "text", ["'; DROP TABLE users; --", "\\", "é" * 300, "  ", "a" * 5000, "\u202f:", "<script>"]
)
def test_any_text_answers(client, staff, sign_in, text):
    sign_in(staff)
    response = client.get("/equipe/recherche", query_string={"q": text, "fragment": "1"})
    assert response.status_code == 200
    assert "<script>" not in response.get_data(as_text=True)
