"""The staff accounts list on the shared list machinery: sort, page, bad addresses."""

import re
from dataclasses import replace
from datetime import UTC, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st


@pytest.fixture
def accounts(staff, sign_in, make_user, db_session):
    sign_in(staff)
    staff.created_at = datetime(2026, 1, 5, tzinfo=UTC)
    made = {
        "bea": make_user(
            "bea@example.org",
            roles=("reviewer",),
            name="Béa",
            created_at=datetime(2026, 3, 1, tzinfo=UTC),
            last_sign_in_at=datetime(2026, 11, 1, tzinfo=UTC),
        ),
        "alice": make_user(
            "zed@example.org",
            roles=("partner_contact",),
            name="Alice",
            created_at=datetime(2026, 2, 1, tzinfo=UTC),
            last_sign_in_at=datetime(2026, 10, 1, tzinfo=UTC),
        ),
        "omar": make_user(
            "omar@example.org",
            roles=("reviewer",),
            name="Omar",
            is_active=False,
            created_at=datetime(2026, 4, 1, tzinfo=UTC),
        ),
    }
    db_session.commit()
    return made


def emails(client, query: str = "") -> list[str]:
    body = client.get("/equipe/comptes" + query).get_data(as_text=True)
    table = body.split('data-testid="accounts"')[1] if 'data-testid="accounts"' in body else ""
    return re.findall(r"<td>([^<@]+@[^<]+)</td>", table)


def test_sorts_by_name_email_created_and_last_sign_in(client, accounts):
    assert emails(client) == [
        "zed@example.org",
        "bea@example.org",
        "equipe@example.org",
        "omar@example.org",
    ]
    assert emails(client, "?sort=-name")[0] == "omar@example.org"
    assert emails(client, "?sort=email") == sorted(emails(client))
    assert emails(client, "?sort=created") == [
        "equipe@example.org",
        "zed@example.org",
        "bea@example.org",
        "omar@example.org",
    ]
    # The staff member has just signed in; never signed in comes last, whichever way.
    assert emails(client, "?sort=-signed_in") == [
        "equipe@example.org",
        "bea@example.org",
        "zed@example.org",
        "omar@example.org",
    ]
    assert emails(client, "?sort=signed_in") == [
        "zed@example.org",
        "bea@example.org",
        "equipe@example.org",
        "omar@example.org",
    ]


def test_sort_header_keeps_filters_and_says_aria_sort(client, accounts):
    body = client.get("/equipe/comptes?role=reviewer&sort=-created").get_data(as_text=True)
    assert 'aria-sort="descending"><a href="/equipe/comptes?role=reviewer&amp;sort=created"' in body
    # The default sort is left out of the address.
    assert 'aria-sort="none"><a href="/equipe/comptes?role=reviewer" class="sort-link">' in body
    assert re.search(r'class="result-count" role="status">2\s+résultats<', body)
    assert emails(client, "?role=reviewer&sort=-created") == ["omar@example.org", "bea@example.org"]
    assert emails(client, "?state=inactive&role=reviewer") == ["omar@example.org"]


@pytest.mark.parametrize(
    "query",
    [
        "?sort=password_hash",
        "?sort=--name",
        "?role=king&state=x&page=-4",
        "?page=99999999999999999999",
        "?q=" + "x" * 5000,
        "?created=1&sort=",
    ],
)
def test_bad_addresses_show_a_page(client, accounts, query):
    response = client.get("/equipe/comptes" + query)
    assert response.status_code == 200


def test_a_nul_in_the_search_is_refused_not_a_500(client, accounts):
    assert client.get("/equipe/comptes?q=%00a").status_code == 400


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.dictionaries(
        st.sampled_from(["q", "role", "state", "sort", "page"]),
        st.text(st.characters(blacklist_characters="\x00"), max_size=30),
        max_size=5,
    )
)
def test_any_query_string_shows_a_page(client, accounts, args):
    assert client.get("/equipe/comptes", query_string=args).status_code == 200


def test_fixed_page_size_and_query_count(
    client, staff, sign_in, make_user, db_session, query_counter, monkeypatch
):
    from coordination.auth import lists

    monkeypatch.setattr(lists, "ACCOUNTS", replace(lists.ACCOUNTS, page_size=3))
    sign_in(staff)
    make_user("a1@example.org", roles=("reviewer",), name="A1")
    db_session.commit()

    def count(query: str = "") -> int:
        with query_counter() as statements:
            assert client.get("/equipe/comptes" + query).status_code == 200
        return len(statements)

    few = count()
    for index in range(20):
        make_user(f"many{index:02}@example.org", roles=("reviewer", "partner_contact"))
    db_session.commit()
    assert count() == few
    assert count("?page=4") == few
    assert len(emails(client)) == 3
    last = client.get("/equipe/comptes?page=50").get_data(as_text=True)
    assert 'rel="prev"' in last and 'rel="next"' not in last
    assert len(emails(client, "?page=50")) == 1
