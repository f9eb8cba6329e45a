"""The shared list machinery: what an address may ask, and the links it builds."""

import pytest

from coordination.core import listing

SPEC = listing.ListSpec(
    sorts=("name", "date"),
    default_sort="name",
    filters={
        "status": listing.choice("open", "closed"),
        "min": listing.number(0, 5),
        "day": listing.day,
        "who": listing.identifier,
    },
)


def test_only_accepted_values_are_kept(app):
    state = listing.read_state(
        SPEC,
        {"status": "open", "min": "2,5", "day": "2026-02-30", "who": "-1", "sort": "-date"},
    )
    assert state.filters == {"status": "open", "min": 2.5}
    assert (state.sort, state.descending, state.page) == ("date", True, 1)


@pytest.mark.parametrize(
    ("page", "expected"),
    [("0", 1), ("-1", 1), ("abc", 1), ("3", 3), ("20000", listing.MAX_PAGE), ("99999999999999", 1)],
)
def test_pages_are_bounded(page, expected):
    assert listing.read_state(SPEC, {"page": page}).page == expected


def test_links_keep_filters_and_toggle_the_sort(app):
    with app.test_request_context("/liste?status=closed&sort=date&page=3"):
        from flask import request

        state = listing.read_state(SPEC, request.args)
        assert state.sort_url("date") == "/liste?status=closed&sort=-date"
        assert state.sort_url("name") == "/liste?status=closed"
        assert state.aria_sort("date") == "ascending" and state.aria_sort("name") == "none"
        assert state.url(page=None) == "/liste?status=closed&sort=date"


def test_back_state_drops_foreign_arguments():
    state = listing.back_state(SPEC, "status=open&next=https://evil.example&sort=bogus")
    assert state.query_string == "status=open"


def test_selected_ids_are_valid_unique_and_bounded():
    values = ["3", "3", "x", "0", "²", *map(str, range(1, 2000))]
    ids = listing.selected_ids(values)
    assert ids[0] == 3 and len(ids) == listing.MAX_SELECTED and len(set(ids)) == len(ids)
