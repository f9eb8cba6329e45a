"""The planner's explanations, in words staff use: why a stop has no possible day, why
one could not be placed, how many stops an edition's calendar can hold."""

from collections import defaultdict
from datetime import date

from flask_babel import format_date
from flask_babel import gettext as _

from coordination.campaigns.models import Edition
from coordination.planner.days import (
    OUTSIDE_EDITION,
    candidate_days,
    departement_of,
    parse_windows,
    window_reasons,
)
from coordination.stops.models import Stop, StopRules
from coordination.stops.warnings import AUGUST_BREAK, PUBLIC_HOLIDAY, WEEKEND


def day_words(value: date) -> str:
    return format_date(value, "d MMMM yyyy")


def _window(start: date, end: date) -> str:
    if start == end:
        return day_words(start)
    return _("%(start)s to %(end)s", start=day_words(start), end=day_words(end))


def _reason_words(code: str) -> str:
    return {
        WEEKEND: _("weekends"),
        PUBLIC_HOLIDAY: _("a public holiday"),
        AUGUST_BREAK: _("the August break"),
        OUTSIDE_EDITION: _("outside the edition's dates"),
    }[code]


def no_day_reason(stop: Stop, edition: Edition, rules: StopRules) -> str:
    """Why none of a stop's windows leaves a possible day, in words."""
    windows = parse_windows(stop.availability)
    departement = departement_of(stop.commune_insee)
    every = [
        window_reasons(
            start, end, edition.starts_on, edition.ends_on, departement, rules.is_august_break
        )
        for start, end in windows
    ]
    if windows and all(
        AUGUST_BREAK in reasons and reasons <= {AUGUST_BREAK, WEEKEND, PUBLIC_HOLIDAY}
        for reasons in every
    ):
        # The most common case, said as staff say it.
        return _(
            "%(stop)s is only available in August, when the tour takes its summer break: "
            "ask the territory for other dates, or lift the August break for this edition.",
            stop=stop.title,
        )
    parts = []
    for start, end in windows:
        reasons = window_reasons(
            start, end, edition.starts_on, edition.ends_on, departement, rules.is_august_break
        )
        words = ", ".join(_reason_words(code) for code in sorted(reasons))
        parts.append(
            _("%(window)s falls on %(reasons)s", window=_window(start, end), reasons=words)
        )
    if len(windows) == 1:
        return _(
            "%(stop)s: its only window (%(detail)s) leaves no possible day.",
            stop=stop.title,
            detail=parts[0],
        )
    return _(
        "%(stop)s: none of its windows leaves a possible day (%(details)s).",
        stop=stop.title,
        details="; ".join(parts),
    )


def unplaced_reason(
    stop: Stop, days: list[date], placed: dict[int, date], titles: dict[int, str], rules
) -> str:
    """Why a stop found no day: the stops already holding its possible days and weeks."""
    per_week: dict[tuple[int, int], list[str]] = defaultdict(list)
    monday: dict[tuple[int, int], date] = {}
    for stop_id, day in placed.items():
        week = day.isocalendar()[:2]
        per_week[week].append(titles[stop_id])
    for day in days:
        week = day.isocalendar()[:2]
        monday.setdefault(week, day)
    weeks = [
        _(
            "week of %(day)s: %(stops)s",
            day=day_words(monday[week]),
            stops=", ".join(sorted(per_week[week])) or _("no stop"),
        )
        for week in sorted(monday)[:4]
    ]
    if len(monday) > 4:
        weeks.append("…")
    return _(
        "%(stop)s could not be placed: each of its possible days is already taken or in a "
        "week that already has the maximum of %(limit)s stops (%(weeks)s). Widen its "
        "windows, unlock a stop or raise the weekly limit.",
        stop=stop.title,
        limit=rules.max_stops_per_week,
        weeks="; ".join(weeks),
    )


def edition_room(edition: Edition, rules: StopRules) -> int:
    """How many stops the edition's calendar can hold at most (weekly limit, one a day
    unless parallel teams, open days only; national holidays)."""
    days, _preferred = candidate_days(
        [], edition.starts_on, edition.ends_on, None, rules.is_august_break
    )
    per_week: dict[tuple[int, int], int] = defaultdict(int)
    for day in days:
        per_week[day.isocalendar()[:2]] += 1
    if rules.is_parallel_allowed:
        return rules.max_stops_per_week * len(per_week)
    return sum(min(rules.max_stops_per_week, count) for count in per_week.values())
