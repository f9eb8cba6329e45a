"""The planning-warnings service: each warning, its edges (DST, holidays), acknowledgements."""

from datetime import UTC, date, datetime, time

import pytest
from flask_babel import force_locale

from coordination.extensions import db
from coordination.stops.models import StopRules, StopStatus
from coordination.stops.services import acknowledge_warning, withdraw_acknowledgement
from coordination.stops.warnings import (
    AUGUST_BREAK,
    OUTSIDE_AVAILABILITY,
    PUBLIC_HOLIDAY,
    SAME_DAY,
    TOO_FAR,
    WEEK_LIMIT,
    WEEKEND,
    distance_km,
    plan_warnings,
    public_holiday,
    stop_warnings,
)
from tests.stops.conftest import ALBERT, METZ, PITHIVIERS, SAINT_QUENTIN, STRASBOURG


def codes(stop):
    return sorted(w.code for w in stop_warnings(stop))


def test_stop_on_an_ordinary_tuesday_has_no_warning(make_stop):
    stop = make_stop(day=date(2026, 9, 15))

    assert codes(stop) == []


def test_two_stops_on_one_day_warn_both(make_stop):
    first = make_stop(day=date(2026, 9, 15), insee=PITHIVIERS)
    second = make_stop(day=date(2026, 9, 15), insee=PITHIVIERS, title="Pithiviers bis")

    assert codes(first) == [SAME_DAY]
    assert codes(second) == [SAME_DAY]
    assert "Pithiviers bis" in str(stop_warnings(first)[0].message)


def test_two_stops_on_one_day_are_fine_when_the_edition_allows_parallel_stops(make_stop, edition):
    db.session.add(StopRules(edition_id=edition.id, is_parallel_allowed=True))
    first = make_stop(day=date(2026, 9, 15))
    make_stop(day=date(2026, 9, 15), title="Autre")

    assert codes(first) == []


def test_cancelled_stop_neither_gets_nor_causes_warnings(make_stop):
    first = make_stop(day=date(2026, 9, 15))
    cancelled = make_stop(day=date(2026, 9, 15), status=StopStatus.CANCELLED)

    assert codes(first) == []
    assert codes(cancelled) == []


@pytest.mark.parametrize("day", [date(2026, 9, 19), date(2026, 9, 20)])
def test_weekend_stop_warns(make_stop, day):
    assert codes(make_stop(day=day)) == [WEEKEND]


def test_weekend_uses_the_paris_day_after_dst_ends(make_stop):
    # Monday 26 October 2026 at 00:30 in Paris is still Sunday 25 October in UTC.
    stop = make_stop(day=date(2026, 10, 26), starts=time(0, 30))

    assert stop.starts_at == datetime(2026, 10, 25, 23, 30, tzinfo=UTC)
    assert codes(stop) == []


def test_weekend_uses_the_paris_day_in_summer_time(make_stop):
    # Saturday 24 October 2026 at 00:30 in Paris (UTC+2) is Friday 22:30 in UTC.
    stop = make_stop(day=date(2026, 10, 24), starts=time(0, 30))

    assert stop.starts_at == datetime(2026, 10, 23, 22, 30, tzinfo=UTC)
    assert codes(stop) == [WEEKEND]


def test_weekend_on_the_day_dst_starts(make_stop):
    # Sunday 29 March 2026, the day clocks go forward.
    assert codes(make_stop(day=date(2026, 3, 29), starts=time(1, 30))) == [WEEKEND]


def test_public_holiday_warns_with_its_name_in_the_readers_language(app, make_stop):
    stop = make_stop(day=date(2026, 7, 14))

    assert codes(stop) == [PUBLIC_HOLIDAY]
    with app.test_request_context(), force_locale("en"):
        assert str(stop_warnings(stop)[0].message) == "This day is a public holiday: National Day."
    with app.test_request_context(), force_locale("fr"):
        assert "Fête nationale" in str(stop_warnings(stop)[0].message)


def test_public_holiday_edge_is_the_paris_day(make_stop):
    # Tuesday 14 July 00:30 Paris is 13 July in UTC; Wednesday 15 July 00:30 is 14 July UTC.
    on_the_day = make_stop(day=date(2026, 7, 14), starts=time(0, 30))
    day_after = make_stop(day=date(2026, 7, 15), starts=time(0, 30), insee=SAINT_QUENTIN)

    assert on_the_day.starts_at.date() == date(2026, 7, 13)
    assert day_after.starts_at.date() == date(2026, 7, 14)
    assert codes(on_the_day) == [PUBLIC_HOLIDAY]
    assert codes(day_after) == []


@pytest.mark.parametrize(
    ("insee", "expected"),
    [(STRASBOURG, [PUBLIC_HOLIDAY]), (METZ, [PUBLIC_HOLIDAY]), (PITHIVIERS, [])],
)
def test_good_friday_is_a_holiday_in_alsace_and_moselle_only(make_stop, insee, expected):
    assert codes(make_stop(day=date(2026, 4, 3), insee=insee)) == expected


def test_saint_stephens_day_is_a_holiday_in_alsace_only(app):
    with app.test_request_context(), force_locale("en"):
        assert public_holiday(date(2025, 12, 26), "67") == "Saint Stephen's Day"
        assert public_holiday(date(2025, 12, 26), "68") == "Saint Stephen's Day"
    assert public_holiday(date(2025, 12, 26), "80") is None
    assert public_holiday(date(2025, 12, 26), None) is None


def test_august_break_warns(make_stop):
    assert codes(make_stop(day=date(2026, 8, 4))) == [AUGUST_BREAK]


def test_august_break_starts_at_paris_midnight(make_stop):
    # 1 August 2026 01:30 in Paris is 31 July in UTC; it is a Saturday.
    stop = make_stop(day=date(2026, 8, 1), starts=time(1, 30))

    assert stop.starts_at.month == 7
    assert codes(stop) == [AUGUST_BREAK, WEEKEND]


def test_august_break_can_be_switched_off(make_stop, edition):
    db.session.add(StopRules(edition_id=edition.id, is_august_break=False))

    assert codes(make_stop(day=date(2026, 8, 4))) == []


def test_stop_outside_the_territorys_availability_warns(make_stop):
    windows = [["2026-09-14", "2026-09-18"], ["2026-10-05", "2026-10-09"]]
    inside = make_stop(day=date(2026, 9, 18), availability=windows)
    outside = make_stop(day=date(2026, 9, 22), insee=ALBERT, availability=windows)
    unknown = make_stop(day=date(2026, 9, 24), insee=ALBERT, availability=[])

    assert codes(inside) == []
    assert codes(outside) == [OUTSIDE_AVAILABILITY]
    assert codes(unknown) == []


def test_more_stops_in_a_week_than_allowed_warns_each(app, make_stop):
    stops = [make_stop(day=date(2026, 9, d), insee=PITHIVIERS) for d in (14, 15, 16, 17)]

    assert [codes(s) for s in stops] == [[WEEK_LIMIT]] * 4
    with app.test_request_context(), force_locale("en"):
        assert "4 stops" in str(stop_warnings(stops[0])[0].message)


def test_three_stops_in_a_week_are_within_the_default(make_stop):
    stops = [make_stop(day=date(2026, 9, d), insee=PITHIVIERS) for d in (14, 15, 16)]

    assert [codes(s) for s in stops] == [[], [], []]


def test_week_limit_counts_paris_weeks(make_stop, edition):
    db.session.add(StopRules(edition_id=edition.id, max_stops_per_week=1))
    # Sunday 25 October 23:30 Paris and Monday 26 October: two different weeks.
    sunday = make_stop(day=date(2026, 10, 25), starts=time(23, 0), ends=time(23, 30))
    monday = make_stop(day=date(2026, 10, 26), insee=PITHIVIERS)

    assert codes(sunday) == [WEEKEND]
    assert codes(monday) == []


def test_consecutive_stops_too_far_apart_warn_the_later(make_stop):
    first = make_stop(day=date(2026, 9, 15), insee=PITHIVIERS)
    second = make_stop(day=date(2026, 9, 16), insee=STRASBOURG)

    assert codes(first) == []
    assert codes(second) == [TOO_FAR]
    assert "408 km" in str(stop_warnings(second)[0].message)


def test_two_days_between_stops_allow_twice_the_distance(make_stop):
    make_stop(day=date(2026, 9, 15), insee=PITHIVIERS)
    second = make_stop(day=date(2026, 9, 17), insee=STRASBOURG)

    assert codes(second) == []


def test_travel_skips_stops_without_coordinates(make_stop):
    make_stop(day=date(2026, 9, 15), insee=PITHIVIERS)
    make_stop(day=date(2026, 9, 16), insee=None, title="Sans lieu")
    last = make_stop(day=date(2026, 9, 17), insee=STRASBOURG)

    # Compared with Pithiviers two days before: 408 km in 2 days is within 800.
    assert codes(last) == []


def test_distance_is_haversine():
    assert round(distance_km((48.1738, 2.25789), (49.84642, 3.2884))) == 201
    assert distance_km((45.0, 5.0), (45.0, 5.0)) == 0


def test_acknowledged_warning_records_who_and_when(make_stop, staff, now):
    stop = make_stop(day=date(2026, 9, 19))

    acknowledge_warning(stop, WEEKEND, staff, now)

    (warning,) = stop_warnings(stop)
    assert warning.is_acknowledged
    assert (warning.acknowledgement.by_id, warning.acknowledgement.at) == (staff.id, now)
    assert plan_warnings(stop.edition_id).open_count() == 0

    withdraw_acknowledgement(stop, WEEKEND)
    assert plan_warnings(stop.edition_id).open_count() == 1
