"""The staff list of partner organisations: filters, sort, pages, export of a selection."""

import re
from dataclasses import replace
from datetime import UTC, datetime

import pytest

from coordination.clubs.organisations import add_contact
from coordination.clubs.services import request_membership
from coordination.extensions import db


def names(client, query: str = "") -> list[str]:
    body = client.get("/equipe/partenaires/" + query).get_data(as_text=True)
    row = r'<tr data-organisation-id="\d+">\s*<td><input[^>]*></td>\s*<td>([^<]+)'
    return re.findall(row, body)


@pytest.fixture
def partners(client, staff, sign_in, make_club, make_organisation, make_user, now):
    somme = make_club("Club Somme")
    make_club("Club Loiret")
    cci = make_organisation(
        "CCI Hauts-de-France", region_code="32", created_at=datetime(2026, 3, 1, tzinfo=UTC)
    )
    upjv = make_organisation(
        "Université de Picardie",
        kind="university",
        region_code="32",
        created_at=datetime(2026, 1, 1, tzinfo=UTC),
    )
    orleans = make_organisation(
        "Agence Orléans",
        kind="innovation_agency",
        region_code="24",
        created_at=datetime(2026, 2, 1, tzinfo=UTC),
    )
    loose = make_organisation("Zénith SARL", kind="company")
    for organisation in (cci, upjv):
        user = make_user(f"{organisation.id}@example.org")
        add_contact(organisation, user, now, is_approved=True)
        request_membership(somme, organisation, user, now).status = "approved"
    # Waiting for approval: not yet a member for the club filter.
    user = make_user("wait@example.org")
    add_contact(orleans, user, now, is_approved=True)
    request_membership(somme, orleans, user, now)
    db.session.commit()
    sign_in(staff)
    return {"club": somme, "cci": cci, "upjv": upjv, "orleans": orleans, "loose": loose}


def test_filters_by_name_club_kind_and_region(client, partners):
    assert names(client) == [
        "Agence Orléans",
        "CCI Hauts-de-France",
        "Université de Picardie",
        "Zénith SARL",
    ]
    assert names(client, "?q=orleans") == ["Agence Orléans"]
    assert names(client, f"?club={partners['club'].id}") == [
        "CCI Hauts-de-France",
        "Université de Picardie",
    ]
    assert names(client, "?kind=university") == ["Université de Picardie"]
    assert names(client, "?region=32&kind=chamber_of_commerce") == ["CCI Hauts-de-France"]
    body = client.get("/equipe/partenaires/?q=nothing").get_data(as_text=True)
    assert "Aucune organisation ne correspond." in body


def test_sorts_by_name_kind_region_and_creation(client, partners):
    assert names(client, "?sort=-name")[0] == "Zénith SARL"
    assert names(client, "?sort=created")[:3] == [
        "Université de Picardie",
        "Agence Orléans",
        "CCI Hauts-de-France",
    ]
    # Centre-Val de Loire before Hauts-de-France; no région last, whichever way.
    assert names(client, "?sort=region") == [
        "Agence Orléans",
        "CCI Hauts-de-France",
        "Université de Picardie",
        "Zénith SARL",
    ]
    assert names(client, "?sort=-region")[-1] == "Zénith SARL"
    assert names(client, "?sort=-region")[0] == "CCI Hauts-de-France"
    body = client.get("/equipe/partenaires/?kind=university&sort=kind").get_data(as_text=True)
    assert (
        'aria-sort="ascending"><a href="/equipe/partenaires/?kind=university&amp;sort=-kind"'
        in body
    )


@pytest.mark.parametrize(
    "query",
    [
        "?sort=siret",
        "?club=abc",
        "?club=99999999999999999999",
        "?club=-3",
        "?kind=<script>",
        "?region=%27%3B--",
        "?page=0",
        "?page=99999999999999999",
        "?q=" + "%25" * 400,
    ],
)
def test_bad_addresses_show_a_page(client, partners, query):
    assert client.get("/equipe/partenaires/" + query).status_code == 200


def test_fixed_page_size_and_query_count(
    client, partners, make_organisation, make_user, now, query_counter, monkeypatch
):
    from coordination.clubs import lists

    monkeypatch.setattr(lists, "PARTNERS", replace(lists.PARTNERS, page_size=3))

    def count(query: str = "") -> int:
        with query_counter() as statements:
            assert client.get("/equipe/partenaires/" + query).status_code == 200
        return len(statements)

    few = count()
    for index in range(15):
        organisation = make_organisation(f"Membre {index:02}", region_code="32")
        user = make_user(f"m{index}@example.org")
        add_contact(organisation, user, now, is_approved=True)
        request_membership(partners["club"], organisation, user, now).status = "approved"
    db.session.commit()
    assert count() == few
    assert count("?page=3&sort=region") == few
    assert len(names(client)) == 3
    assert len(names(client, "?page=99")) == 1


def test_export_of_the_selection_has_only_the_chosen_rows(client, partners):
    response = client.post(
        "/equipe/partenaires/selection.csv",
        data={"ids": [str(partners["upjv"].id), str(partners["cci"].id), "x", "0"], "back": ""},
    )
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    lines = response.get_data().decode("utf-8-sig").split("\r\n")
    assert [line.split(";")[0] for line in lines[1:-1]] == [
        "CCI Hauts-de-France",
        "Université de Picardie",
    ]
    assert lines[1].endswith(";Club Somme")


def test_export_of_nothing_goes_back_to_the_filtered_list(client, partners):
    response = client.post(
        "/equipe/partenaires/selection.csv", data={"back": "kind=university&evil=1"}
    )
    assert response.status_code == 303
    assert response.headers["Location"] == "/equipe/partenaires/?kind=university"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Choisissez au moins une organisation à exporter." in page


def test_list_and_export_are_staff_only(client, make_user, sign_in, partners):
    client.post("/deconnexion")
    sign_in(make_user("partner@example.org", roles=("partner_contact",)))
    assert client.get("/equipe/partenaires/").status_code == 403
    response = client.post(
        "/equipe/partenaires/selection.csv", data={"ids": [str(partners["cci"].id)]}
    )
    assert response.status_code == 403
