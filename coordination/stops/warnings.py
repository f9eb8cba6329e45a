"""The one planning-warnings service: every warning of a stop, or of a whole plan.

Dates are the stops' Paris calendar days (a stop at 00:30 on a Monday in Paris is on
Monday, whatever its UTC date). Cancelled stops neither get nor cause warnings.
"""

import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache

import holidays
from flask import has_app_context
from flask_babel import get_locale, lazy_ngettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from coordination.core.clock import to_local
from coordination.extensions import db
from coordination.stops.models import Stop, StopRules, StopStatus, WarningAcknowledgement

SAME_DAY = "same_day"
WEEKEND = "weekend"
PUBLIC_HOLIDAY = "public_holiday"
AUGUST_BREAK = "august_break"
OUTSIDE_AVAILABILITY = "outside_availability"
WEEK_LIMIT = "week_limit"
TOO_FAR = "too_far"

CODES = (SAME_DAY, WEEKEND, PUBLIC_HOLIDAY, AUGUST_BREAK, OUTSIDE_AVAILABILITY, WEEK_LIMIT, TOO_FAR)

#: Départements with the Alsace-Moselle local law's extra holidays (holidays' subdivisions).
ALSACE_MOSELLE = {"57": "57", "67": "6AE", "68": "6AE"}

EARTH_RADIUS_KM = 6371.0


@dataclass(frozen=True)
class StopWarning:
    stop_id: int
    code: str
    #: A lazy string, rendered in the reader's language.
    message: object
    acknowledgement: WarningAcknowledgement | None = None

    @property
    def is_acknowledged(self) -> bool:
        return self.acknowledgement is not None


@dataclass
class PlanWarnings:
    by_stop: dict[int, list[StopWarning]] = field(default_factory=dict)

    def of(self, stop_id: int) -> list[StopWarning]:
        return self.by_stop.get(stop_id, [])

    def open_count(self, stop_id: int | None = None) -> int:
        """Warnings not acknowledged yet (of one stop, or of the whole plan)."""
        lists = [self.of(stop_id)] if stop_id is not None else self.by_stop.values()
        return sum(1 for warnings in lists for w in warnings if not w.is_acknowledged)

    @property
    def total(self) -> int:
        return sum(len(w) for w in self.by_stop.values())


def default_rules(edition_id: int | None = None) -> StopRules:
    """The rules an edition follows until staff change them (not added to the session)."""
    return StopRules(
        edition_id=edition_id,
        max_stops_per_week=3,
        max_km_per_day=400,
        is_august_break=True,
        is_parallel_allowed=False,
    )


def rules_for(edition_id: int) -> StopRules:
    """The edition's rules row, or the defaults."""
    rules = db.session.scalar(select(StopRules).where(StopRules.edition_id == edition_id))
    return rules or default_rules(edition_id)


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle (haversine) distance between two (latitude, longitude) points."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(h))


@lru_cache(maxsize=64)
def _holidays(subdiv: str | None, year: int, language: str) -> dict[date, str]:
    return dict(holidays.country_holidays("FR", subdiv=subdiv, years=year, language=language))


def _language() -> str:
    locale = get_locale() if has_app_context() else None
    return "en_US" if locale is not None and locale.language == "en" else "fr"


def public_holiday(day: date, departement_code: str | None) -> str | None:
    """The name (in the reader's language) of the French public holiday on `day` where the
    stop is, or None; Alsace and Moselle have their own extra days."""
    subdiv = ALSACE_MOSELLE.get(departement_code or "")
    return _holidays(subdiv, day.year, _language()).get(day)


def local_day(stop: Stop) -> date:
    return to_local(stop.starts_at).date()


def _departement(stop: Stop) -> str | None:
    if stop.commune_insee:
        # The INSEE code starts with the département ("57463" is Metz, "2A004" Ajaccio).
        code = stop.commune_insee
        return code[:3] if code.startswith("97") else code[:2]
    return None


def _coordinates(stop: Stop) -> tuple[float, float] | None:
    if stop.latitude is None or stop.longitude is None:
        return None
    return (stop.latitude, stop.longitude)


def _in_availability(stop: Stop, day: date) -> bool:
    windows = stop.availability or []
    for start, end in windows:
        try:
            if date.fromisoformat(start) <= day <= date.fromisoformat(end):
                return True
        except (TypeError, ValueError):
            continue
    return False


def check_plan(stops: list[Stop], rules: StopRules, acknowledgements=()) -> PlanWarnings:
    """Every warning of every stop of one plan (pure: no query)."""
    acks = {(a.stop_id, a.code): a for a in acknowledgements}
    found: dict[int, list[tuple[str, object]]] = defaultdict(list)
    active = sorted(
        (s for s in stops if s.status != StopStatus.CANCELLED),
        key=lambda s: (s.starts_at, s.id or 0),
    )
    days = {s.id: local_day(s) for s in active}

    by_day: dict[date, list[Stop]] = defaultdict(list)
    by_week: dict[tuple[int, int], list[Stop]] = defaultdict(list)
    for stop in active:
        day = days[stop.id]
        by_day[day].append(stop)
        by_week[day.isocalendar()[:2]].append(stop)

    for stop in active:
        day = days[stop.id]
        if not rules.is_parallel_allowed and len(by_day[day]) > 1:
            others = ", ".join(o.title for o in by_day[day] if o is not stop)
            found[stop.id].append(
                (SAME_DAY, _l("Another stop the same day: %(others)s.", others=others))
            )
        if day.weekday() >= 5:
            found[stop.id].append((WEEKEND, _l("This stop falls on a weekend.")))
        holiday = public_holiday(day, _departement(stop))
        if holiday:
            found[stop.id].append(
                (PUBLIC_HOLIDAY, _l("This day is a public holiday: %(name)s.", name=holiday))
            )
        if rules.is_august_break and day.month == 8:
            found[stop.id].append((AUGUST_BREAK, _l("This stop falls in the August break.")))
        if stop.availability and not _in_availability(stop, day):
            found[stop.id].append(
                (
                    OUTSIDE_AVAILABILITY,
                    _l("The territory did not say it could host on this day."),
                )
            )
        week = by_week[day.isocalendar()[:2]]
        if len(week) > rules.max_stops_per_week:
            found[stop.id].append(
                (
                    WEEK_LIMIT,
                    _l(
                        "%(count)s stops this week; the edition allows %(limit)s.",
                        count=len(week),
                        limit=rules.max_stops_per_week,
                    ),
                )
            )

    # Travel: each stop against the one before it that has coordinates.
    located = [s for s in active if _coordinates(s)]
    for previous, stop in zip(located, located[1:], strict=False):
        km = distance_km(_coordinates(previous), _coordinates(stop))
        gap_days = max((days[stop.id] - days[previous.id]).days, 1)
        if km > rules.max_km_per_day * gap_days:
            found[stop.id].append(
                (
                    TOO_FAR,
                    lazy_ngettext(
                        "%(km)s km from %(previous)s in %(days)s day; the edition allows "
                        "%(limit)s km a day.",
                        "%(km)s km from %(previous)s in %(days)s days; the edition allows "
                        "%(limit)s km a day.",
                        gap_days,
                        km=round(km),
                        previous=previous.title,
                        days=gap_days,
                        limit=rules.max_km_per_day,
                    ),
                )
            )

    return PlanWarnings(
        by_stop={
            stop_id: [
                StopWarning(stop_id, code, message, acks.get((stop_id, code)))
                for code, message in items
            ]
            for stop_id, items in found.items()
        }
    )


def edition_stops(edition_id: int) -> list[Stop]:
    """An edition's stops with what the warnings and planning views read (few queries)."""
    return list(
        db.session.scalars(
            select(Stop)
            .where(Stop.edition_id == edition_id)
            .options(selectinload(Stop.territory), selectinload(Stop.acknowledgements))
            .order_by(Stop.starts_at, Stop.id)
        )
    )


def plan_warnings(edition_id: int, stops: list[Stop] | None = None) -> PlanWarnings:
    """Every warning of an edition's plan (pass `stops` already loaded to save a query)."""
    if stops is None:
        stops = edition_stops(edition_id)
    acknowledgements = [a for s in stops for a in s.acknowledgements]
    return check_plan(stops, rules_for(edition_id), acknowledgements)


def stop_warnings(stop: Stop) -> list[StopWarning]:
    """Every warning of one stop, seen against the rest of its edition's plan."""
    return plan_warnings(stop.edition_id).of(stop.id)


def next_weekday(day: date) -> date:
    """The first day from `day` that is not a weekend (used to pre-fill dates)."""
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def open_warning_counts(now) -> list[tuple]:
    """(edition, warnings not acknowledged) for each edition with stops still to come and
    open warnings; a few queries per such edition (there are one or two at a time)."""
    from coordination.stops.queries import editions_with_coming_stops

    counts = [(e, plan_warnings(e.id).open_count()) for e in editions_with_coming_stops(now)]
    return [(edition, count) for edition, count in counts if count]
