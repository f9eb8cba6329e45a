"""List pages run as many queries for 3 items as for 1 (no N+1)."""

import pytest

from coordination.campaigns import services
from tests.campaigns.conftest import make_application


def _count(client, query_counter, path):
    with query_counter() as statements:
        response = client.get(path)
    assert response.status_code == 200
    return len(statements)


@pytest.mark.parametrize("path", ["/appels", "/appels/gestion"])
def test_call_lists_query_count_is_flat(client, make_call, staff, sign_in, query_counter, path):
    sign_in(staff)
    make_call()
    one = _count(client, query_counter, path)
    make_call()
    make_call()
    assert _count(client, query_counter, path) == one


def test_my_applications_query_count_is_flat(
    client, make_call, make_territory, contact, sign_in, query_counter
):
    sign_in(contact)
    make_application(make_call(), make_territory("T0"), [contact])
    one = _count(client, query_counter, "/appels/mes-candidatures")
    for index in (1, 2):
        make_application(make_call(), make_territory(f"T{index}"), [contact])
    assert _count(client, query_counter, "/appels/mes-candidatures") == one


def test_reviews_list_query_count_is_flat(
    client, call, make_territory, make_user, contact, sign_in, query_counter, now
):
    reviewer = make_user("r@example.org", roles=("reviewer",))
    sign_in(reviewer)
    services.assign_reviewer(make_application(call, make_territory("T0"), [contact]), reviewer, now)
    one = _count(client, query_counter, "/appels/relectures")
    for index in (1, 2):
        application = make_application(call, make_territory(f"T{index}"), [contact])
        services.assign_reviewer(application, reviewer, now)
    assert _count(client, query_counter, "/appels/relectures") == one


def test_staff_applications_query_count_is_flat(
    client, call, make_territory, make_user, contact, staff, sign_in, query_counter, now
):
    reviewer = make_user("r@example.org", roles=("reviewer",))
    sign_in(staff)
    path = f"/appels/gestion/{call.id}/candidatures"

    def add(index):
        application = make_application(call, make_territory(f"T{index}"), [contact])
        first, second = call.criteria
        services.save_review(
            services.assign_reviewer(application, reviewer, now),
            {first.id: 1, second.id: 2},
            "",
            now,
        )

    add(0)
    one = _count(client, query_counter, path)
    add(1)
    add(2)
    assert _count(client, query_counter, path) == one
