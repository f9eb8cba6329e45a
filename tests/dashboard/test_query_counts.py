"""Whatever the size, the pages run the same handful of queries (no N+1)."""

from datetime import date

from tests.dashboard.conftest import ALBERT, METZ, PITHIVIERS, SAINT_QUENTIN, STRASBOURG

PLACES = (PITHIVIERS, ALBERT, SAINT_QUENTIN, STRASBOURG, METZ)


def _fill(n, make_stop, make_application, make_partner, make_message):
    for i in range(n):
        make_stop(day=date(2026, 9, 1 + 7 * i), insee=PLACES[i])
        make_application(insee=PLACES[i], decision="accepted" if i else None)
        make_partner(("university", "company", "bpifrance")[i], f"Club {i}")
        make_message(("sent", "failed", "pending")[i])


def _count_public(client, query_counter, edition) -> int:
    with query_counter() as statements:
        response = client.get(f"/editions/{edition.slug}")
    assert response.status_code == 200
    return len(statements)


def _count_staff(client, query_counter, edition) -> int:
    with query_counter() as statements:
        response = client.get(f"/equipe/tableau-de-bord?edition={edition.slug}")
    assert response.status_code == 200
    return len(statements)


def test_edition_page_query_count_does_not_grow_with_stops(
    client, query_counter, edition, make_stop, make_application, make_partner, make_message
):
    _fill(1, make_stop, make_application, make_partner, make_message)
    one = _count_public(client, query_counter, edition)
    _fill(3, make_stop, make_application, make_partner, make_message)
    four = _count_public(client, query_counter, edition)
    assert one == four


def test_staff_dashboard_query_count_does_not_grow(
    client,
    staff,
    sign_in,
    query_counter,
    edition,
    make_stop,
    make_application,
    make_partner,
    make_message,
):
    sign_in(staff)
    _fill(1, make_stop, make_application, make_partner, make_message)
    one = _count_staff(client, query_counter, edition)
    _fill(3, make_stop, make_application, make_partner, make_message)
    four = _count_staff(client, query_counter, edition)
    assert one == four
    # The signed-in user with their roles (one query), editions, stops, applications, their
    # départements, planning rules, partners by kind, members by club, email per day.
    assert one == 9, one
