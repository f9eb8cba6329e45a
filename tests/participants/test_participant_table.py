"""A stop's participants as a sortable table: filters, sort, pages, ticking many present."""

import re
from dataclasses import replace
from datetime import timedelta

import pytest

from coordination.extensions import db
from coordination.participants import services
from coordination.participants.models import Registration
from tests.participants.conftest import workshops_of


def names(client, path: str, query: str = "") -> list[str]:
    body = client.get(path + query).get_data(as_text=True)
    row = r'<tr data-registration-id="\d+">\s*<td><input[^>]*></td>\s*<td>(\S+)'
    return re.findall(row, body)


@pytest.fixture
def table(client, stop, register, staff, sign_in, now):
    first, second = workshops_of(stop)[:2]
    people = {
        3: register(stop, 3, workshops=[first], at=now - timedelta(days=3), company_name="Alpha"),
        1: register(stop, 1, workshops=[second], at=now - timedelta(days=1), company_name="Zeta"),
        2: register(stop, 2, workshops=[first, second], at=now - timedelta(days=2)),
        4: register(stop, 4, workshops=[second], at=now, company_name="Beta"),
    }
    services.set_checked_in(people[2], True, now)
    services.cancel_registration(people[4], now)
    db.session.commit()
    sign_in(staff)
    return {
        "path": f"/etapes/{stop.id}/participants/tableau",
        "people": people,
        "first": first,
        "second": second,
    }


def test_filters_by_name_workshop_present_and_cancelled(client, table):
    path = table["path"]
    assert names(client, path) == ["Nom1", "Nom2", "Nom3", "Nom4"]
    assert names(client, path, "?q=nom3") == ["Nom3"]
    assert names(client, path, "?q=p1@example") == ["Nom1"]
    assert names(client, path, f"?workshop={table['first'].id}") == ["Nom2", "Nom3"]
    assert names(client, path, "?present=yes") == ["Nom2"]
    assert names(client, path, "?present=no&cancelled=no") == ["Nom1", "Nom3"]
    assert names(client, path, "?cancelled=yes") == ["Nom4"]


def test_sorts_by_company_registration_and_presence(client, table):
    path = table["path"]
    assert names(client, path, "?sort=company") == ["Nom3", "Nom4", "Nom2", "Nom1"]
    assert names(client, path, "?sort=registered") == ["Nom3", "Nom2", "Nom1", "Nom4"]
    assert names(client, path, "?sort=-name") == ["Nom4", "Nom3", "Nom2", "Nom1"]
    assert names(client, path, "?sort=-present")[0] == "Nom2"
    assert names(client, path, "?sort=present")[0] == "Nom2"


@pytest.mark.parametrize(
    "query",
    ["?sort=email", "?workshop=x", "?workshop=99999999999", "?present=1", "?page=-2", "?q=%25_"],
)
def test_bad_addresses_show_a_page(client, table, query):
    assert client.get(table["path"] + query).status_code == 200


def test_fixed_page_size_and_query_count(client, stop, table, register, query_counter, monkeypatch):
    from coordination.participants import lists

    monkeypatch.setattr(lists, "PARTICIPANTS", replace(lists.PARTICIPANTS, page_size=2))
    path = table["path"]

    def count(query: str = "") -> int:
        with query_counter() as statements:
            assert client.get(path + query).status_code == 200
        return len(statements)

    few = count()
    for n in range(10, 22):
        register(stop, n)
    db.session.commit()
    assert count() == few
    assert count("?page=3&sort=-registered") == few
    assert len(names(client, path)) == 2


def test_bulk_check_in_ticks_the_chosen_and_leaves_the_cancelled(client, table, make_stop):
    people = table["people"]
    response = client.post(
        f"{table['path']}/presence",
        data={
            "ids": [str(people[1].id), str(people[3].id), str(people[4].id)],
            "back": "cancelled=no&sort=company&evil=1",
        },
    )
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/tableau?cancelled=no&sort=company")
    db.session.expire_all()
    present = {
        n: db.session.get(Registration, p.id).checked_in_at is not None for n, p in people.items()
    }
    assert present == {1: True, 2: True, 3: True, 4: False}
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "2\u00a0participants notés présents." in page or "2 participants notés présents." in page


def test_only_staff_and_hosts_see_and_tick(client, table, make_user, sign_in):
    client.post("/deconnexion")
    sign_in(make_user("someone@example.org", roles=("reviewer",)))
    assert client.get(table["path"]).status_code == 403
    registration = table["people"][1]
    response = client.post(f"{table['path']}/presence", data={"ids": [str(registration.id)]})
    assert response.status_code == 403
    db.session.expire_all()
    assert db.session.get(Registration, registration.id).checked_in_at is None
