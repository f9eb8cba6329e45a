"""A club's memberships as its managers list them: filters, sort, pages, ending many."""

import re
from dataclasses import replace
from datetime import UTC, datetime

import pytest

from coordination.clubs.models import Membership
from coordination.clubs.organisations import add_contact
from coordination.clubs.services import request_membership
from coordination.extensions import db


def names(client, path: str, query: str = "") -> list[str]:
    body = client.get(path + query).get_data(as_text=True)
    row = r'<tr data-membership-id="\d+">\s*<td><input[^>]*></td>\s*<td>([^<]+)'
    return re.findall(row, body)


@pytest.fixture
def club_members(client, staff, sign_in, make_club, make_organisation, make_user, now):
    club = make_club("Club Somme")
    other = make_club("Club Loiret")
    made = {"club": club, "path": f"/clubs/{club.slug}/adhesions"}
    rows = [
        ("CCI Hauts-de-France", "chamber_of_commerce", "approved", 3),
        ("Université de Picardie", "university", "approved", 1),
        ("Agence Orléans", "innovation_agency", "pending", 2),
        ("Zénith SARL", "company", "rejected", 4),
    ]
    for name, kind, status, month in rows:
        organisation = make_organisation(name, kind=kind)
        user = make_user(f"{organisation.id}@example.org")
        add_contact(organisation, user, now, is_approved=True)
        membership = request_membership(club, organisation, user, now)
        membership.status = status
        membership.requested_at = datetime(2026, month, 1, tzinfo=UTC)
        if status != "pending":
            membership.decided_at = datetime(2026, month, 15, tzinfo=UTC)
        made[name] = membership
    outsider = make_organisation("Hors Club")
    user = make_user("out@example.org")
    add_contact(outsider, user, now, is_approved=True)
    made["outsider"] = request_membership(other, outsider, user, now)
    made["outsider"].status = "approved"
    db.session.commit()
    sign_in(staff)
    return made


def test_filters_by_status_organisation_and_kind(client, club_members):
    path = club_members["path"]
    assert names(client, path) == [
        "Agence Orléans",
        "CCI Hauts-de-France",
        "Université de Picardie",
        "Zénith SARL",
    ]
    assert names(client, path, "?status=approved") == [
        "CCI Hauts-de-France",
        "Université de Picardie",
    ]
    assert names(client, path, "?q=picardie") == ["Université de Picardie"]
    assert names(client, path, "?kind=company&status=rejected") == ["Zénith SARL"]


def test_sorts_by_status_and_dates(client, club_members):
    path = club_members["path"]
    assert names(client, path, "?sort=requested") == [
        "Université de Picardie",
        "Agence Orléans",
        "CCI Hauts-de-France",
        "Zénith SARL",
    ]
    # Not decided yet comes last, whichever way.
    assert names(client, path, "?sort=-decided") == [
        "Zénith SARL",
        "CCI Hauts-de-France",
        "Université de Picardie",
        "Agence Orléans",
    ]
    assert names(client, path, "?sort=-organisation")[0] == "Zénith SARL"
    assert names(client, path, "?sort=status")[:2] == [
        "CCI Hauts-de-France",
        "Université de Picardie",
    ]


@pytest.mark.parametrize(
    "query", ["?sort=version", "?status=king", "?kind=%3Cb%3E", "?page=-1", "?page=1e9"]
)
def test_bad_addresses_show_a_page(client, club_members, query):
    assert client.get(club_members["path"] + query).status_code == 200


def test_fixed_page_size_and_query_count(
    client, club_members, make_organisation, make_user, now, query_counter, monkeypatch
):
    from coordination.clubs import lists

    monkeypatch.setattr(lists, "MEMBERS", replace(lists.MEMBERS, page_size=3))
    path = club_members["path"]

    def count(query: str = "") -> int:
        with query_counter() as statements:
            assert client.get(path + query).status_code == 200
        return len(statements)

    few = count()
    for index in range(12):
        organisation = make_organisation(f"Membre {index:02}")
        user = make_user(f"m{index}@example.org")
        add_contact(organisation, user, now, is_approved=True)
        request_membership(club_members["club"], organisation, user, now).status = "approved"
    db.session.commit()
    assert count() == few
    assert count("?page=2&sort=-decided") == few
    assert len(names(client, path)) == 3


def test_ending_memberships_in_bulk_leaves_the_others(client, club_members):
    chosen = [club_members[name] for name in ("CCI Hauts-de-France", "Agence Orléans")]
    refused = club_members["Zénith SARL"]
    response = client.post(
        f"{club_members['path']}/fin",
        data={
            "ids": [str(m.id) for m in chosen]
            + [str(refused.id), str(club_members["outsider"].id)],
            "back": "status=approved&sort=-decided&evil=1",
        },
    )
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/adhesions?status=approved&sort=-decided")
    db.session.expire_all()
    statuses = {m.id: db.session.get(Membership, m.id).status for m in chosen}
    assert set(statuses.values()) == {"left"}
    assert db.session.get(Membership, refused.id).status == "rejected"
    assert db.session.get(Membership, club_members["outsider"].id).status == "approved"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "2\u00a0adhésions terminées." in page or "2 adhésions terminées." in page


def test_only_the_clubs_managers_see_and_end(client, club_members, make_user, sign_in):
    client.post("/deconnexion")
    sign_in(make_user("partner@example.org", roles=("partner_contact",)))
    assert client.get(club_members["path"]).status_code == 403
    membership = club_members["CCI Hauts-de-France"]
    response = client.post(f"{club_members['path']}/fin", data={"ids": [str(membership.id)]})
    assert response.status_code == 403
    db.session.expire_all()
    assert db.session.get(Membership, membership.id).status == "approved"
