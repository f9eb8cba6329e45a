"""Staff pages for territories and the JSON searches."""

import re

import pytest
from sqlalchemy import select

from coordination.territories.models import Territory
from coordination.territories.services import save_territory


@pytest.fixture
def staff_client(client, staff, sign_in):
    """A signed-in staff member reading English (the strings are translated later)."""
    sign_in(staff)
    client.post("/langue", data={"locale": "en"})
    return client


def _make(name, sirens, code=None, region_code=None, is_industry_territory=True):
    return save_territory(
        None,
        name=name,
        official_code=code,
        region_code=region_code,
        is_industry_territory=is_industry_territory,
        epci_sirens=sirens,
    )


def _textarea(page: str) -> str:
    # WTForms starts a textarea with a newline, which browsers drop.
    return re.search(r"<textarea[^>]*>\r?\n?(.*?)</textarea>", page, re.DOTALL).group(1)


def _form(**fields):
    data = {
        "name": "Pithiverais",
        "official_code": "",
        "region_code": "",
        "is_industry_territory": "y",
        "epci_sirens": "200066280\n",
    }
    data.update(fields)
    return {key: value for key, value in data.items() if value is not None}


@pytest.mark.parametrize("path", ["/territoires/nouveau", "/territoires/1/modifier"])
def test_territory_editing_redirects_anonymous_to_sign_in(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/connexion?next=")


@pytest.mark.parametrize("path", ["/api/territories?q=pith", "/api/epcis?q=pith"])
def test_search_apis_answer_anonymous_with_a_json_401(client, path):
    response = client.get(path)
    assert response.status_code == 401
    assert response.get_json() == {"error": "authentication required"}


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/territoires/nouveau"),
        ("post", "/territoires/nouveau"),
        ("get", "/territoires/{id}/modifier"),
        ("post", "/territoires/{id}/modifier"),
        ("get", "/api/epcis?q=pith"),
    ],
)
def test_territory_editing_is_refused_to_other_roles(
    client, make_user, sign_in, db_session, method, path
):
    territory = _make("Pithiverais", ["200066280"])
    sign_in(make_user("contact@example.org", roles=("territory_contact",)))

    response = getattr(client, method)(path.format(id=territory.id), data=_form(name="Pirate"))

    assert response.status_code == 403
    db_session.expire_all()
    assert territory.name == "Pithiverais"


def test_staff_creates_a_territory_from_sirens(staff_client, db_session):
    response = staff_client.post(
        "/territoires/nouveau",
        data=_form(
            name="  Saint-Quentinois et Vermandois ",
            official_code="TI-32-002",
            epci_sirens="200071892\n240 200 493 Communauté de communes du Pays du Vermandois\n",
        ),
    )

    assert response.status_code == 302
    assert response.headers["Location"] == "/territoires"
    territory = db_session.scalar(select(Territory))
    assert territory.name == "Saint-Quentinois et Vermandois"
    assert territory.search_name == "saint quentinois et vermandois"
    assert territory.official_code == "TI-32-002"
    assert territory.region_code == "32"  # from its communes, none was chosen
    assert territory.is_industry_territory is True
    assert sorted(e.siren for e in territory.epcis) == ["200071892", "240200493"]
    page = staff_client.get("/territoires").get_data(as_text=True)
    assert "Territory “Saint-Quentinois et Vermandois” created." in page


def test_staff_edits_a_territory(staff_client, db_session):
    territory = _make("Pithiverais", ["200066280"], code="TI-24-001")
    db_session.commit()

    page = staff_client.get(f"/territoires/{territory.id}/modifier").get_data(as_text=True)
    assert 'value="Pithiverais"' in page
    assert 'value="TI-24-001"' in page
    assert _textarea(page) == "200066280"
    assert "Communauté de communes du Pithiverais (200066280)" in page

    response = staff_client.post(
        f"/territoires/{territory.id}/modifier",
        data=_form(
            name="Grand Pithiverais",
            official_code="",
            region_code="11",
            is_industry_territory=None,
            epci_sirens="200066280\n248000747",
        ),
    )

    assert response.status_code == 302
    db_session.expire_all()
    assert territory.name == "Grand Pithiverais"
    assert territory.official_code is None
    assert territory.region_code == "11"
    assert territory.is_industry_territory is False
    assert sorted(e.siren for e in territory.epcis) == ["200066280", "248000747"]


def test_edit_page_of_an_unknown_territory_is_a_404(staff_client):
    assert staff_client.get("/territoires/999999/modifier").status_code == 404


@pytest.mark.parametrize(
    ("fields", "field_name", "message"),
    [
        ({"name": ""}, "name", "This field is required."),
        ({"name": "x" * 201}, "name", "Field cannot be longer than 200 characters."),
        ({"epci_sirens": ""}, "epci_sirens", "Choose at least one intercommunality."),
        ({"epci_sirens": "123\nabc"}, "epci_sirens", "Not a SIREN number: 123, abc."),
        (
            {"epci_sirens": "200066280\n732829320"},
            "epci_sirens",
            "No intercommunality has the SIREN 732829320.",
        ),
        (
            {"official_code": "TI-32-001"},
            "official_code",
            "Another territory already has this code.",
        ),
        ({"region_code": "99"}, "region_code", "Not a valid choice."),
    ],
)
def test_form_errors_are_shown_next_to_the_field_and_keep_the_input(
    staff_client, db_session, fields, field_name, message
):
    _make("Pays du Coquelicot", ["248000747"], code="TI-32-001")
    db_session.commit()
    data = _form(**{"name": "Mon territoire", "official_code": "TI-00-001", **fields})

    response = staff_client.post("/territoires/nouveau", data=data)

    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f'<p class="error" id="{field_name}-error">{message}</p>' in page
    if field_name != "name":
        assert f'value="{data["name"]}"' in page
    if field_name != "official_code":
        assert 'value="TI-00-001"' in page
    assert _textarea(page) == data["epci_sirens"]
    assert '<input checked id="is_industry_territory"' in page
    assert len(db_session.scalars(select(Territory)).all()) == 1


def test_editing_keeps_its_own_official_code(staff_client, db_session):
    territory = _make("Pays du Coquelicot", ["248000747"], code="TI-32-001")
    db_session.commit()

    response = staff_client.post(
        f"/territoires/{territory.id}/modifier",
        data=_form(name="Pays du Coquelicot", official_code="TI-32-001", epci_sirens="248000747"),
    )

    assert response.status_code == 302


def test_list_links_to_editing_and_creating(staff_client, db_session):
    territory = _make("Pithiverais", ["200066280"], code="TI-24-001")
    db_session.commit()

    page = staff_client.get("/territoires").get_data(as_text=True)

    assert f'<a href="/territoires/{territory.id}/modifier">Pithiverais</a>' in page
    assert '<a class="button" href="/territoires/nouveau">New territory</a>' in page
    assert "<td>TI-24-001</td>" in page
    assert "<td>Centre-Val de Loire</td>" in page
    assert "<td>Communauté de communes du Pithiverais</td>" in page


def test_list_searches_by_name_commune_or_departement(staff_client, db_session):
    _make("Pithiverais", ["200066280"])
    _make("Pays du Coquelicot", ["248000747"])
    db_session.commit()

    def listed(query):
        page = staff_client.get("/territoires", query_string={"q": query}).get_data(as_text=True)
        return [name for name in ("Pithiverais", "Pays du Coquelicot") if f">{name}</a>" in page]

    assert listed("pithiv") == ["Pithiverais"]
    assert listed("Méaulte") == ["Pays du Coquelicot"]
    assert listed("80") == ["Pays du Coquelicot"]
    assert listed("") == ["Pithiverais", "Pays du Coquelicot"]
    page = staff_client.get("/territoires?q=Strasbourg").get_data(as_text=True)
    assert "No territory matches “Strasbourg”." in page


@pytest.mark.parametrize("query", ["", "territoire"])
def test_list_query_count_does_not_grow_with_territories(
    staff_client, db_session, query_counter, query
):
    _make("Territoire 1", ["200066280"])
    db_session.commit()
    staff_client.get("/territoires")  # warm up: the user and the session are loaded alike
    with query_counter() as with_one:
        staff_client.get("/territoires", query_string={"q": query})
    _make("Territoire 2", ["248000747"])
    _make("Territoire 3", ["200071892", "240200493"])
    db_session.commit()

    with query_counter() as with_three:
        page = staff_client.get("/territoires", query_string={"q": query}).get_data(as_text=True)

    assert page.count('/modifier">Territoire ') == 3
    assert len(with_three) == len(with_one)


def test_territory_search_api_for_any_signed_in_user(client, make_user, sign_in, db_session):
    territory = _make("Pays du Coquelicot", ["248000747"], code="TI-32-001")
    sign_in(make_user("contact@example.org", roles=("territory_contact",)))

    response = client.get("/api/territories?q=meaulte")

    assert response.status_code == 200
    assert response.get_json() == [
        {
            "id": territory.id,
            "name": "Pays du Coquelicot",
            "official_code": "TI-32-001",
            "is_industry_territory": True,
            "region": {"code": "32", "name": "Hauts-de-France"},
            "epcis": [
                {"siren": "248000747", "name": "Communauté de communes du Pays du Coquelicot"}
            ],
        }
    ]
    assert client.get("/api/territories?q=").get_json() == []


def test_epci_search_api_for_staff(staff_client):
    response = staff_client.get("/api/epcis?q=pithiviers")

    assert response.get_json() == [
        {"siren": "200066280", "name": "Communauté de communes du Pithiverais", "kind": "CC"}
    ]


def test_commune_search_api_is_public(client):
    found = client.get("/api/communes?q=meaulte").get_json()
    assert [(c["insee_code"], c["name"], c["departement_code"]) for c in found] == [
        ("80523", "Méaulte", "80")
    ]
