"""The edition planner's solver, pure: one day per stop, every calendar rule, short travel.

CP-SAT places each task on one of its candidate days (the services compute them: windows
minus weekends, public holidays and the August break), at most one task a day unless
parallel teams are allowed, at most K a week; a circuit through the placed tasks in date
order measures the travel between consecutive stops. Soft rules are weighted in km: a
task outside its first window costs `first_window_weight`, each day between the first
and the last stop of one région costs `region_weight`. A task that cannot be placed is
left out at a prohibitive cost, so the answer always says which ones could not fit.

The routing core (tsptw.solve, PyVRP) first orders the tasks by their windows and
distances; the order, laid greedily on the calendar, is CP-SAT's starting hint.
"""

import time
from collections import defaultdict
from collections.abc import Callable
from datetime import date

from ortools.sat.python import cp_model

from coordination.planner import ortools_routing, tsptw  # noqa: F401  (kept: solver.tsptw)
from coordination.planner.hint import (  # noqa: F401  (moved; callers keep solver.x)
    FULL_GRAPH_UP_TO,
    NEAREST_IN_KM,
    NEAREST_IN_TIME,
    _arcs,
    _calendar,
    _greedy,
    _locked_conflict,
    _routing_order,
    _week,
    distance_km,
    travel_km,
)
from coordination.planner.plan_types import PlanProgress, Settings, Solution, Task

#: CP-SAT works on integers: km are counted in tenths.
KM = 10
#: The cost of leaving a task out: far above any travel across France, many times over.
UNPLACED_COST = 10_000_000


class _FirstComplete(cp_model.CpSolverSolutionCallback):
    """Notes when the first solution leaving no task out arrives; reports each better
    plan to `on_plan` and stops the search when `should_stop` says so."""

    def __init__(self, started: float, on_plan=None, should_stop=None, read=None):
        super().__init__()
        self.started = started
        self.at: float | None = None
        self.on_plan = on_plan
        self.should_stop = should_stop
        self.read = read

    def on_solution_callback(self) -> None:
        elapsed = time.monotonic() - self.started
        if self.at is None and self.objective_value < UNPLACED_COST:
            self.at = elapsed
        if self.on_plan is not None and self.read is not None:
            self.on_plan(elapsed, *self.read(self.boolean_value))
        if self.should_stop is not None and self.should_stop():
            self.stop_search()


def solve(
    tasks: list[Task],
    settings: Settings,
    on_plan: PlanProgress | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> Solution:
    """The best plan found within the time limit (see the module's docstring);
    `on_plan` hears of each better plan, `should_stop()` ends the search early."""
    started = time.monotonic()
    tasks = [t for t in tasks if t.days]
    if not tasks:
        return Solution(status="optimal", objective=0.0, bound=0.0)

    order = (
        _routing_order(tasks, max(settings.time_limit * 0.2, 0.2), settings.routing, should_stop)
        if len(tasks) > 1
        else [0]
    )
    hint = _greedy(tasks, order, settings)
    if len(hint) < len(tasks) and not _locked_conflict(tasks, settings):
        hint = _calendar(tasks, hint, settings, settings.time_limit * 0.1)

    origin = min(d for t in tasks for d in t.days)
    horizon = max((d - origin).days for t in tasks for d in t.days)
    model = cp_model.CpModel()
    n = len(tasks)
    x: dict[tuple[int, date], cp_model.IntVar] = {}
    placed = []
    day_of = []
    objective = []
    by_day: dict[date, list] = defaultdict(list)
    by_week: dict[tuple[int, int], list] = defaultdict(list)
    fixed_day: dict[date, int] = defaultdict(int)
    fixed_week: dict[tuple[int, int], int] = defaultdict(int)

    for i, task in enumerate(tasks):
        literal = model.new_bool_var(f"placed{i}")
        placed.append(literal)
        day = model.new_int_var(0, horizon, f"day{i}")
        day_of.append(day)
        if task.is_fixed:
            model.add(literal == 1)
            model.add(day == (task.days[0] - origin).days)
            fixed_day[task.days[0]] += 1
            fixed_week[_week(task.days[0])] += 1
            continue
        options = []
        for d in task.days:
            var = model.new_bool_var(f"x{i}_{d.isoformat()}")
            x[i, d] = var
            options.append(var)
            by_day[d].append(var)
            by_week[_week(d)].append(var)
            if task.preferred and d not in task.preferred:
                objective.append(settings.first_window_weight * KM * var)
        model.add(sum(options) == literal)
        model.add(day == sum((d - origin).days * x[i, d] for d in task.days))
        objective.append(UNPLACED_COST * (1 - literal))

    # Capacities left once locked tasks have taken theirs (locked tasks may already
    # break a rule; the re-check reports it, the free tasks must not add to it).
    if not settings.is_parallel_allowed:
        for d, variables in by_day.items():
            model.add(sum(variables) <= max(0, 1 - fixed_day[d]))
    for week, variables in by_week.items():
        model.add(sum(variables) <= max(0, settings.max_per_week - fixed_week[week]))

    # The path through placed tasks in date order: node 0 is a free start and end.
    nothing_placed = model.new_bool_var("nothing_placed")
    arcs = [(0, 0, nothing_placed)]
    arc_of = {}
    for i in range(n):
        for node, other in ((0, i + 1), (i + 1, 0)):
            literal = model.new_bool_var(f"a{node}_{other}")
            arcs.append((node, other, literal))
            arc_of[node, other] = literal
        arcs.append((i + 1, i + 1, ~placed[i]))
    allowed = _arcs(tasks, hint)
    for i, a in enumerate(tasks):
        for j, b in enumerate(tasks):
            if (i, j) not in allowed:
                continue
            literal = model.new_bool_var(f"a{i + 1}_{j + 1}")
            arcs.append((i + 1, j + 1, literal))
            arc_of[i + 1, j + 1] = literal
            both_fixed = a.is_fixed and b.is_fixed
            step = 0 if settings.is_parallel_allowed or both_fixed else 1
            model.add(day_of[j] >= day_of[i] + step).only_enforce_if(literal)
            km = round(distance_km(a.location, b.location) * KM)
            if km:
                objective.append(km * literal)
    model.add_circuit(arcs)

    # Keep each région's stops close in time: the days between its first and last stop.
    spans = []
    if settings.region_weight:
        regions: dict[str, list[int]] = defaultdict(list)
        for i, task in enumerate(tasks):
            if task.region:
                regions[task.region].append(i)
        for region, members in regions.items():
            if len(members) < 2:
                continue
            first = model.new_int_var(0, horizon, f"first_{region}")
            last = model.new_int_var(0, horizon, f"last_{region}")
            for i in members:
                model.add(first <= day_of[i]).only_enforce_if(placed[i])
                model.add(last >= day_of[i]).only_enforce_if(placed[i])
            model.add(last >= first)
            spans.append((first, last, members))
            objective.append(settings.region_weight * KM * (last - first))

    model.minimize(sum(objective))

    # The routing order laid on the calendar, as a complete hint: CP-SAT starts from it.
    for i, task in enumerate(tasks):
        chosen = hint.get(task.key)
        model.add_hint(day_of[i], (chosen - origin).days if chosen else 0)
        if task.is_fixed:
            continue
        model.add_hint(placed[i], chosen is not None)
        for d in task.days:
            model.add_hint(x[i, d], d == chosen)
    for first, last, members in spans:
        hinted = [(hint[tasks[i].key] - origin).days for i in members if tasks[i].key in hint]
        model.add_hint(first, min(hinted, default=0))
        model.add_hint(last, max(hinted, default=0))
    model.add_hint(nothing_placed, not hint)
    ordered = sorted(
        (i for i, t in enumerate(tasks) if t.key in hint),
        key=lambda i: (hint[tasks[i].key], i),
    )
    used = set()
    if ordered:
        path = [0, *(i + 1 for i in ordered), 0]
        used = set(zip(path, path[1:], strict=False))
    for key, literal in arc_of.items():
        model.add_hint(literal, key in used)

    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(
        settings.time_limit - (time.monotonic() - started), 0.5
    )
    solver.parameters.num_workers = settings.workers
    # No repair_hint: the hint is already a feasible solution (a task it leaves out is
    # allowed, at its cost), and OR-Tools 9.15 aborts the whole process on some hints
    # with it ("Check failed: heuristics.fixed_search != nullptr", google/or-tools#5025).
    # Probing the big circuit model costs seconds per round and gains little here.
    solver.parameters.cp_model_probing_level = 1

    def read(value) -> tuple[dict[int, date], list[int]]:
        days: dict[int, date] = {}
        left_out = []
        for i, task in enumerate(tasks):
            if not value(placed[i]):
                left_out.append(task.key)
            elif task.is_fixed:
                days[task.key] = task.days[0]
            else:
                days[task.key] = next(d for d in task.days if value(x[i, d]))
        return days, left_out

    if on_plan is not None and hint:
        # The routing order laid on the calendar is already a plan worth showing.
        on_plan(time.monotonic() - started, dict(hint), [t.key for t in tasks if t.key not in hint])
    first_complete = _FirstComplete(started, on_plan, should_stop, read)
    status = solver.solve(model, first_complete)

    solution = Solution(
        hint_km=round(travel_km(tasks, hint), 1) if hint else None,
        complete_after=first_complete.at,
    )
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        solution.days, solution.unplaced = read(solver.boolean_value)
        solution.status = "optimal" if status == cp_model.OPTIMAL else "feasible"
        solution.objective = solver.objective_value / KM
        solution.bound = solver.best_objective_bound / KM
    else:
        # No answer in time (or none at all): the routing order laid greedily.
        solution.days = hint
        solution.unplaced = [t.key for t in tasks if t.key not in hint]
        solution.status = "infeasible" if status == cp_model.INFEASIBLE else "unknown"
    solution.travel_km = round(travel_km(tasks, solution.days), 1)
    solution.seconds = time.monotonic() - started
    return solution
