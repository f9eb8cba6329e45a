"""The planner: propose a date for every stop of an edition, explain what cannot fit, and
apply what staff accept (locks: planner/locks.py; the rules in words: planner/checks.py)."""

from dataclasses import dataclass
from datetime import date, datetime

from flask import current_app
from flask_babel import gettext as _

from coordination.campaigns.models import Edition
from coordination.core.clock import to_local
from coordination.extensions import db
from coordination.planner import solver
from coordination.planner.checks import RuleCheck, plan_km, rule_checks
from coordination.planner.days import (
    candidate_days,
    departement_of,
)
from coordination.planner.explain import day_words, edition_room, no_day_reason, unplaced_reason
from coordination.planner.locks import locked_stop_ids
from coordination.planner.recheck import PlannedStop, hard_broken, recheck
from coordination.stops.models import Stop, StopRules, StopStatus
from coordination.stops.services import move_to_day
from coordination.stops.warnings import (
    PlanWarnings,
    edition_stops,
    rules_for,
)

#: Seconds staff may give the solver in one request.
MAX_TIME_LIMIT = 30


class PlannerError(Exception):
    """A request the planner refuses (the message is for staff)."""


@dataclass
class Weights:
    #: km-equivalents charged for a stop outside its territory's first window.
    first_window: int = 50
    #: km-equivalents charged per day between a région's first and last stop.
    region: int = 5
    time_limit: int = 10


@dataclass
class Row:
    stop: Stop
    current_day: date
    proposed_day: date | None
    is_locked: bool
    #: Held stops and stops already past are never moved either.
    is_fixed: bool

    @property
    def is_moved(self) -> bool:
        return self.proposed_day is not None and self.proposed_day != self.current_day


@dataclass
class Proposal:
    edition: Edition
    rules: StopRules
    weights: Weights
    rows: list[Row]
    solution: solver.Solution
    current_km: float
    proposed_km: float
    current_warnings: PlanWarnings
    proposed_warnings: PlanWarnings
    current_checks: list[RuleCheck]
    proposed_checks: list[RuleCheck]
    #: Sentences staff understand: which stops and which rules cannot be met together.
    conflicts: list[str]
    preferred_met: int = 0
    preferred_total: int = 0

    @property
    def is_valid(self) -> bool:
        """Every stop has a day and no hard rule is broken (per the warnings service)."""
        return not self.solution.unplaced and not hard_broken(self.proposed_warnings)

    @property
    def moved(self) -> list[Row]:
        return [row for row in self.rows if row.is_moved]


# --- Proposing --------------------------------------------------------------------------


def _region(stop: Stop) -> str | None:
    return stop.territory.region_code if stop.territory is not None else None


@dataclass
class Prepared:
    """What the solver needs of an edition, and what its answer is read against."""

    edition: Edition
    weights: Weights
    rules: StopRules
    stops: list[Stop]
    locked: set[int]
    fixed: set[int]
    candidates: dict[int, list[date]]
    tasks: list[solver.Task]
    settings: solver.Settings
    conflicts: list[str]


def propose(edition: Edition, weights: Weights, now: datetime) -> Proposal:
    """A date for every stop of the edition meeting every hard rule, with short travel;
    or, when that is impossible, the best plan found and the conflicts in words."""
    prepared = prepare(edition, weights, now)
    return review(prepared, solver.solve(prepared.tasks, prepared.settings))


def prepare(edition: Edition, weights: Weights, now: datetime) -> Prepared:
    """The edition's stops as solver tasks (locked, held and past stops fixed on their
    day), with the conflicts known before solving, in words."""
    if not 1 <= weights.time_limit <= MAX_TIME_LIMIT:
        raise PlannerError(
            _("The time limit must be between 1 and %(max)s seconds.", max=MAX_TIME_LIMIT)
        )
    rules = rules_for(edition.id)
    stops = [s for s in edition_stops(edition.id) if s.status != StopStatus.CANCELLED]
    locked = locked_stop_ids(edition.id)
    conflicts: list[str] = []
    tasks: list[solver.Task] = []
    fixed: set[int] = set()
    candidates: dict[int, list[date]] = {}
    for stop in stops:
        current = to_local(stop.starts_at).date()
        location = (stop.latitude, stop.longitude) if stop.latitude is not None else None
        is_fixed = stop.id in locked or stop.status == StopStatus.HELD or stop.starts_at <= now
        if is_fixed:
            fixed.add(stop.id)
            tasks.append(
                solver.Task(
                    stop.id, stop.title, (current,), frozenset(), location, _region(stop), True
                )
            )
            continue
        days, preferred = candidate_days(
            stop.availability,
            edition.starts_on,
            edition.ends_on,
            departement_of(stop.commune_insee),
            rules.is_august_break,
        )
        # Never propose a day already past.
        days = [d for d in days if d > to_local(now).date()]
        candidates[stop.id] = days
        if not days:
            conflicts.append(no_day_reason(stop, edition, rules))
            continue
        tasks.append(
            solver.Task(stop.id, stop.title, tuple(days), preferred, location, _region(stop))
        )

    settings = solver.Settings(
        max_per_week=rules.max_stops_per_week,
        is_parallel_allowed=rules.is_parallel_allowed,
        first_window_weight=weights.first_window,
        region_weight=weights.region,
        time_limit=weights.time_limit,
        workers=current_app.config.get("PLANNER_WORKERS", 2),
    )
    room = edition_room(edition, rules)
    if len(stops) > room:
        conflicts.append(
            _(
                "The edition has %(count)s stops but its calendar holds at most %(room)s "
                "(%(limit)s a week on open days from %(start)s to %(end)s): widen the "
                "edition's dates or raise the weekly limit.",
                count=len(stops),
                room=room,
                limit=rules.max_stops_per_week,
                start=day_words(edition.starts_on),
                end=day_words(edition.ends_on),
            )
        )
    return Prepared(
        edition, weights, rules, stops, locked, fixed, candidates, tasks, settings, conflicts
    )


def solution_of_plan(plan: dict) -> solver.Solution:
    """A stored plan (a run's JSON: days by stop id, the stops left out) as a Solution."""
    solution = solver.Solution(
        days={int(k): date.fromisoformat(v) for k, v in plan.get("days", {}).items()},
        unplaced=[int(k) for k in plan.get("unplaced", [])],
        status=plan.get("status", "unknown"),
        seconds=plan.get("seconds", 0.0),
        objective=plan.get("objective"),
        bound=plan.get("bound"),
    )
    solution.travel_km = plan.get("km", 0.0)
    return solution


def review(prepared: Prepared, solution: solver.Solution) -> Proposal:
    """The solver's answer read against every rule by the warnings service, with the
    conflicts per stop in words."""
    edition, weights, rules = prepared.edition, prepared.weights, prepared.rules
    stops, locked, fixed = prepared.stops, prepared.locked, prepared.fixed
    candidates, tasks = prepared.candidates, prepared.tasks
    conflicts = list(prepared.conflicts)
    titles = {s.id: s.title for s in stops}
    # Only tasks the solver was given can be left out by it (a stored plan may be older
    # than a stop's new windows).
    known = {t.key for t in tasks if not t.is_fixed}
    solution.days = {k: d for k, d in solution.days.items() if k in known}
    solution.unplaced = [k for k in solution.unplaced if k in known]
    unplaced = list(solution.unplaced) + [
        s.id for s in stops if s.id in candidates and not candidates[s.id]
    ]
    solution.unplaced = unplaced
    for stop in stops:
        if stop.id in solution.unplaced and candidates.get(stop.id):
            placed = {k: d for k, d in solution.days.items() if k != stop.id}
            conflicts.append(unplaced_reason(stop, candidates[stop.id], placed, titles, rules))

    current = [PlannedStop.of(s) for s in stops]
    proposed = [
        p.on(solution.days[p.id]) if p.id in solution.days and p.id not in fixed else p
        for p in current
    ]
    current_warnings = recheck(current, rules)
    proposed_warnings = recheck(proposed, rules)
    # Whatever the solver says, the one rule service has the last word.
    for stop_id, items in hard_broken(proposed_warnings).items():
        if stop_id in fixed:
            for item in items:
                conflicts.append(
                    _(
                        "%(stop)s is locked on a day that breaks a rule: %(rule)s",
                        stop=titles[stop_id],
                        rule=item.message,
                    )
                )
        elif not unplaced:
            # (With stops left out on their current day, their neighbours' warnings only
            # repeat the sentences above.)
            for item in items:
                conflicts.append(_("%(stop)s: %(rule)s", stop=titles[stop_id], rule=item.message))

    rows = [
        Row(
            stop=stop,
            current_day=to_local(stop.starts_at).date(),
            proposed_day=None if stop.id in fixed else solution.days.get(stop.id),
            is_locked=stop.id in locked,
            is_fixed=stop.id in fixed,
        )
        for stop in stops
    ]
    preferred_tasks = [t for t in tasks if not t.is_fixed and t.preferred]
    return Proposal(
        edition=edition,
        rules=rules,
        weights=weights,
        rows=rows,
        solution=solution,
        current_km=plan_km(current),
        proposed_km=plan_km(proposed),
        current_warnings=current_warnings,
        proposed_warnings=proposed_warnings,
        current_checks=rule_checks(current_warnings, rules, titles),
        proposed_checks=rule_checks(proposed_warnings, rules, titles, unplaced),
        conflicts=conflicts,
        preferred_met=sum(1 for t in preferred_tasks if solution.days.get(t.key) in t.preferred),
        preferred_total=len(preferred_tasks),
    )


# --- Accepting --------------------------------------------------------------------------


def accept_breaks(edition: Edition, days: dict[int, date]) -> list[str]:
    """What accepting only these days would break that the plan does not break today:
    one sentence per stop and hard rule (empty: every hard rule stays as it is)."""
    rules = rules_for(edition.id)
    stops = [s for s in edition_stops(edition.id) if s.status != StopStatus.CANCELLED]
    current = [PlannedStop.of(s) for s in stops]
    after = [p.on(days[p.id]) if p.id in days else p for p in current]
    before = {
        (stop_id, item.code)
        for stop_id, items in hard_broken(recheck(current, rules)).items()
        for item in items
    }
    titles = {s.id: s.title for s in stops}
    return [
        _("%(stop)s: %(rule)s", stop=titles[stop_id], rule=item.message)
        for stop_id, items in sorted(hard_broken(recheck(after, rules)).items())
        for item in items
        if (stop_id, item.code) not in before
    ]


def accept(edition: Edition, days: dict[int, date], by, now: datetime) -> list[Stop]:
    """Move the accepted stops to their proposed days (times kept, history, sequence and
    invitations through the stops service); locked, held, cancelled or past stops and
    stops of another edition are left alone. Returns the stops moved."""
    locked = locked_stop_ids(edition.id)
    stops = {s.id: s for s in edition_stops(edition.id)}
    moved = []
    for stop_id, day in sorted(days.items()):
        stop = stops.get(stop_id)
        if (
            stop is None
            or stop_id in locked
            or stop.status in (StopStatus.CANCELLED, StopStatus.HELD)
            or stop.starts_at <= now
            or day <= to_local(now).date()
        ):
            continue
        if move_to_day(stop, day, by, now):
            moved.append(stop)
    db.session.flush()
    return moved
