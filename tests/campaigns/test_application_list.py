"""The staff list of a call's applications: filters, sort, pages, bulk actions."""

import re
from dataclasses import replace

import pytest

from coordination.campaigns import services
from tests.campaigns.conftest import make_application


def _ids(body: str) -> list[int]:
    return [int(v) for v in re.findall(r'<tr data-application-id="(\d+)"', body)]


@pytest.fixture
def setup(call, make_territory, make_user, contact, staff, sign_in, now, db_session):
    """Three submitted applications (two scored), a draft, a panel of two."""
    first_reviewer = make_user("r1@example.org", roles=("reviewer",), name="Alice Relectrice")
    second_reviewer = make_user("r2@example.org", roles=("reviewer",), name="Bruno Relecteur")
    services.add_reviewer(call, first_reviewer, "32")
    services.add_reviewer(call, second_reviewer, None)
    strong = make_application(call, make_territory("Amiénois", region_code="32"), [contact])
    weak = make_application(call, make_territory("Béthunois", region_code="32"), [contact])
    plain = make_application(call, make_territory("Castrais", region_code="76"), [contact])
    draft = make_application(call, make_territory("Dolois", region_code="27"), [contact], "draft")
    a, b = call.criteria
    services.save_review(
        services.assign_reviewer(strong, second_reviewer, now), {a.id: 4, b.id: 5}, "", now
    )
    services.save_review(
        services.assign_reviewer(weak, second_reviewer, now), {a.id: 1, b.id: 1}, "", now
    )
    sign_in(staff)
    return {
        "call": call,
        "strong": strong,
        "weak": weak,
        "plain": plain,
        "draft": draft,
        "alice": first_reviewer,
        "bruno": second_reviewer,
        "path": f"/appels/gestion/{call.id}/candidatures",
    }


def test_default_order_is_the_ranking_then_the_others(client, setup):
    body = client.get(setup["path"]).get_data(as_text=True)
    s = setup
    assert _ids(body) == [s["strong"].id, s["weak"].id, s["plain"].id, s["draft"].id]
    assert "4 résultats" in body or "4 results" in body


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("status=draft", ["draft"]),
        ("region=32", ["strong", "weak"]),
        ("score_min=2", ["strong"]),
        ("score_min=0&score_max=1,5", ["weak"]),
        ("decision=none&status=submitted", ["strong", "weak", "plain"]),
        ("q=bethu", ["weak"]),
        ("sort=territory", ["strong", "weak", "plain", "draft"]),
        ("sort=-territory", ["draft", "plain", "weak", "strong"]),
        ("sort=score&status=submitted", ["weak", "strong", "plain"]),
    ],
)
def test_filters_and_sort_come_from_the_address(client, setup, query, expected):
    body = client.get(f"{setup['path']}?{query}").get_data(as_text=True)
    assert _ids(body) == [setup[name].id for name in expected]


def test_reviewer_filter_and_sort_links_keep_the_filters(client, setup):
    path = f"{setup['path']}?reviewer={setup['bruno'].id}"
    body = client.get(path).get_data(as_text=True)
    assert _ids(body) == [setup["strong"].id, setup["weak"].id]
    # A column link keeps the filter and sorts; the sorted column says so.
    assert f'href="{setup["path"]}?reviewer={setup["bruno"].id}&amp;sort=territory"' in body
    body = client.get(f"{path}&sort=territory").get_data(as_text=True)
    assert 'aria-sort="ascending"><a href="' in body
    assert 'aria-sort="descending"' not in body


@pytest.mark.parametrize(
    "query",
    [
        "status=nope",
        "sort=password",
        "sort=-",
        "page=-3",
        "page=99999999999999999999",
        "page=²",
        "score_min=abc&score_max=NaN",
        "score_min=1e400",
        "reviewer=0&reviewer=abc",
        "region=' OR 1=1 --",
        "q=" + "x" * 5000,
        "q=%25zz_%5C",
        "decision=maybe",
    ],
)
def test_bad_values_are_ignored(client, setup, query):
    response = client.get(f"{setup['path']}?{query}")
    assert response.status_code == 200
    ids = _ids(response.get_data(as_text=True))
    # A search matching nothing shows nothing; anything else unreadable is ignored.
    assert len(ids) == (0 if query.startswith("q=") else 4)


def test_pages_have_a_fixed_size_and_query_count(
    client, setup, make_territory, contact, query_counter, monkeypatch
):
    from coordination.campaigns import lists

    monkeypatch.setattr(lists, "APPLICATIONS", replace(lists.APPLICATIONS, page_size=2))
    s = setup
    first = client.get(s["path"]).get_data(as_text=True)
    second = client.get(f"{s['path']}?page=2").get_data(as_text=True)
    beyond = client.get(f"{s['path']}?page=50").get_data(as_text=True)
    assert _ids(first) == [s["strong"].id, s["weak"].id]
    assert _ids(second) == _ids(beyond) == [s["plain"].id, s["draft"].id]
    assert 'rel="next"' in first and 'rel="prev"' in second

    def count():
        with query_counter() as statements:
            assert client.get(s["path"]).status_code == 200
        return len(statements)

    few = count()
    for index in range(12):
        make_application(s["call"], make_territory(f"T{index}"), [contact])
    assert count() == few
    assert len(_ids(client.get(s["path"]).get_data(as_text=True))) == 2


def test_bulk_decision_sets_it_on_submitted_and_says_which_were_refused(client, setup, db_session):
    s = setup
    response = client.post(
        f"{s['path']}/selection",
        data={
            "action": "accepted",
            "ids": [str(s["strong"].id), str(s["weak"].id), str(s["draft"].id), "abc"],
            "back": "region=32&sort=territory&evil=1",
        },
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"{s['path']}?region=32&sort=territory")
    for name in ("strong", "weak", "draft"):
        db_session.refresh(s[name])
    assert (s["strong"].decision, s["weak"].decision, s["draft"].decision) == (
        "accepted",
        "accepted",
        None,
    )
    body = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Dolois" in body  # the refusal names the draft


def test_bulk_assign_respects_the_region_rule(client, setup, db_session):
    s = setup
    s["call"].is_same_region_review_excluded = True
    response = client.post(
        f"{s['path']}/selection",
        data={
            "action": "assign",
            "reviewer_id": str(s["alice"].id),
            "ids": [str(s["strong"].id), str(s["plain"].id)],
        },
    )
    assert response.status_code == 302
    # Alice belongs to région 32: only the application from région 76 is hers.
    assert [r.reviewer_id for r in s["plain"].reviews] == [s["alice"].id]
    assert [r.reviewer_id for r in s["strong"].reviews] == [s["bruno"].id]


def test_bulk_assign_refuses_someone_off_the_panel(client, setup, staff):
    s = setup
    client.post(
        f"{s['path']}/selection",
        data={"action": "assign", "reviewer_id": str(staff.id), "ids": [str(s["plain"].id)]},
    )
    assert s["plain"].reviews == []


def test_bulk_export_holds_only_the_selection(client, setup):
    s = setup
    response = client.post(
        f"{s['path']}/selection", data={"action": "export", "ids": [str(s["weak"].id)]}
    )
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    lines = response.get_data(as_text=True).strip().splitlines()
    assert len(lines) == 2
    assert lines[1].split(";")[0].lstrip("\ufeff") == str(s["weak"].id)


def test_bulk_actions_are_for_staff_only(client, setup, contact, sign_in):
    s = setup
    client.post("/deconnexion")
    sign_in(contact)
    response = client.post(
        f"{s['path']}/selection", data={"action": "accepted", "ids": [str(s["weak"].id)]}
    )
    assert response.status_code in (302, 403, 404)
    assert s["weak"].decision is None


def test_nothing_selected_or_unknown_action_changes_nothing(client, setup):
    s = setup
    client.post(f"{s['path']}/selection", data={"action": "accepted"})
    client.post(f"{s['path']}/selection", data={"action": "drop", "ids": [str(s["weak"].id)]})
    assert s["weak"].decision is None
