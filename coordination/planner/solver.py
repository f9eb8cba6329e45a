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

import math
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from ortools.sat.python import cp_model

from coordination.planner import ortools_routing, tsptw

#: CP-SAT works on integers: km are counted in tenths.
KM = 10
#: The cost of leaving a task out: far above any travel across France, many times over.
UNPLACED_COST = 10_000_000


@dataclass(frozen=True)
class Task:
    key: int
    title: str
    #: Days it may take, sorted; a locked task has exactly one (its current day).
    days: tuple[date, ...]
    #: Days of its first window (preferred, a soft rule).
    preferred: frozenset[date] = frozenset()
    location: tuple[float, float] | None = None
    region: str | None = None
    is_fixed: bool = False


@dataclass(frozen=True)
class Settings:
    max_per_week: int = 3
    is_parallel_allowed: bool = False
    first_window_weight: int = 50
    region_weight: int = 5
    time_limit: float = 10.0
    workers: int = 2
    #: The routing core ordering the tasks: "pyvrp", or "ortools" (the previous core,
    #: kept for the benchmark's comparison).
    routing: str = "pyvrp"


@dataclass
class Solution:
    days: dict[int, date] = field(default_factory=dict)
    unplaced: list[int] = field(default_factory=list)
    travel_km: float = 0.0
    objective: float | None = None
    bound: float | None = None
    status: str = "unknown"
    seconds: float = 0.0
    hint_km: float | None = None
    #: Seconds until the first plan placing every task (None if none was found).
    complete_after: float | None = None

    @property
    def gap(self) -> float | None:
        """How far the objective may be above the optimum (0.0 when proven optimal)."""
        if self.objective is None or self.bound is None or self.objective <= 0:
            return None
        return max(self.objective - self.bound, 0.0) / self.objective


#: What a progress callback receives: seconds so far, the days of the tasks placed and
#: the keys of those left out (each call a better plan than the last).
PlanProgress = Callable[[float, dict[int, date], list[int]], None]


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


def distance_km(a: tuple[float, float] | None, b: tuple[float, float] | None) -> float:
    """Great-circle distance (0 when a stop has no coordinates)."""
    if a is None or b is None or any(map(math.isnan, (*a, *b))):
        return 0.0
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0 * math.asin(math.sqrt(min(max(h, 0.0), 1.0)))


def travel_km(tasks: list[Task], days: dict[int, date]) -> float:
    """Total distance between consecutive placed tasks, in date order."""
    by_key = {t.key: t for t in tasks}
    ordered = sorted(days, key=lambda key: (days[key], key))
    return sum(
        distance_km(by_key[a].location, by_key[b].location)
        for a, b in zip(ordered, ordered[1:], strict=False)
    )


def _week(day: date) -> tuple[int, int]:
    return day.isocalendar()[:2]


def _greedy(tasks: list[Task], order: list[int], settings: Settings) -> dict[int, date]:
    """Lay tasks on the calendar in `order`, each on its first free day after the previous
    one (locked tasks on their day); tasks that find no day are left out."""
    per_day: dict[date, int] = defaultdict(int)
    per_week: dict[tuple[int, int], int] = defaultdict(int)
    placed: dict[int, date] = {}
    for task in tasks:
        if task.is_fixed:
            placed[task.key] = task.days[0]
            per_day[task.days[0]] += 1
            per_week[_week(task.days[0])] += 1
    previous: date | None = None
    for index in order:
        task = tasks[index]
        if task.is_fixed:
            previous = max(previous, task.days[0]) if previous else task.days[0]
            continue
        choices = [d for d in task.days if previous is None or d > previous] or list(task.days)
        for day in choices:
            if (settings.is_parallel_allowed or per_day[day] == 0) and per_week[
                _week(day)
            ] < settings.max_per_week:
                placed[task.key] = day
                per_day[day] += 1
                per_week[_week(day)] += 1
                previous = day
                break
    return placed


def _calendar(
    tasks: list[Task], targets: dict[int, date], settings: Settings, time_limit: float
) -> dict[int, date]:
    """Every task CP-SAT can fit on the calendar (capacities only, no travel), each as
    close as it can to its target day: the greedy routing plan made complete."""
    model = cp_model.CpModel()
    by_day: dict[date, list] = defaultdict(list)
    by_week: dict[tuple[int, int], list] = defaultdict(list)
    x = {}
    costs = []
    for task in tasks:
        target = targets.get(task.key) or task.days[len(task.days) // 2]
        options = []
        for d in task.days:
            var = model.new_bool_var("")
            x[task.key, d] = var
            options.append(var)
            by_day[d].append(var)
            by_week[_week(d)].append(var)
            costs.append(abs((d - target).days) * var)
        if task.is_fixed:
            model.add(sum(options) == 1)
        else:
            model.add(sum(options) <= 1)
            costs.append(10_000 * (1 - sum(options)))
    if not settings.is_parallel_allowed:
        for variables in by_day.values():
            model.add(sum(variables) <= 1)
    for variables in by_week.values():
        model.add(sum(variables) <= settings.max_per_week)
    model.minimize(sum(costs))
    for (key, d), var in x.items():
        model.add_hint(var, targets.get(key) == d)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(time_limit, 0.2)
    solver.parameters.num_workers = settings.workers
    if solver.solve(model) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return targets
    return {key: d for (key, d), var in x.items() if solver.boolean_value(var)}


#: Beyond this many tasks, each keeps only its nearest successors (in km and in time):
#: long jumps are rarely part of a short tour, and the model stays small.
FULL_GRAPH_UP_TO = 60
NEAREST_IN_KM = 15
NEAREST_IN_TIME = 8


def _arcs(tasks: list[Task], hint: dict[int, date]) -> set[tuple[int, int]]:
    """The arcs (i, j) the path may use: j can come after i, pruned for big editions
    (the hint's arcs always kept, so the starting point stays valid)."""
    compatible = {
        i: [j for j, b in enumerate(tasks) if j != i and a.days[0] <= b.days[-1]]
        for i, a in enumerate(tasks)
    }
    if len(tasks) <= FULL_GRAPH_UP_TO:
        return {(i, j) for i, js in compatible.items() for j in js}
    allowed = set()
    for i, js in compatible.items():
        a = tasks[i]
        by_km = sorted(js, key=lambda j: distance_km(a.location, tasks[j].location))
        by_time = sorted(js, key=lambda j: (abs((tasks[j].days[0] - a.days[0]).days), j))
        allowed.update((i, j) for j in by_km[:NEAREST_IN_KM] + by_time[:NEAREST_IN_TIME])
    ordered = sorted(
        (i for i, t in enumerate(tasks) if t.key in hint), key=lambda i: (hint[tasks[i].key], i)
    )
    allowed.update(zip(ordered, ordered[1:], strict=False))
    return allowed


def _locked_conflict(tasks: list[Task], settings: Settings) -> bool:
    """Locked tasks already over a capacity (then the calendar model has no solution)."""
    per_day: dict[date, int] = defaultdict(int)
    per_week: dict[tuple[int, int], int] = defaultdict(int)
    for task in tasks:
        if task.is_fixed:
            per_day[task.days[0]] += 1
            per_week[_week(task.days[0])] += 1
    return any(c > settings.max_per_week for c in per_week.values()) or (
        not settings.is_parallel_allowed and any(c > 1 for c in per_day.values())
    )


def _routing_order(
    tasks: list[Task], time_limit: float, routing: str = "pyvrp", should_stop=None
) -> list[int]:
    """The routing core's order of the tasks: windows in days, a day per stop, travel in
    km; by closing then opening day when no order meets every window (an overfull
    calendar: the day-assignment then says which stops cannot fit)."""
    origin = min(d for t in tasks for d in t.days)
    n = len(tasks) + 1
    cost = [[0.0] * n for _ in range(n)]
    durations = [[0.0] * n for _ in range(n)]
    for i, a in enumerate(tasks, start=1):
        for j, b in enumerate(tasks, start=1):
            if i != j:
                cost[i][j] = distance_km(a.location, b.location)
                durations[i][j] = 1.0
    horizon = max((d - origin).days for t in tasks for d in t.days) + 2
    windows = [(0.0, float(horizon))] + [
        (float((t.days[0] - origin).days), float((t.days[-1] - origin).days)) for t in tasks
    ]
    instance = tsptw.Instance(travel=cost, windows=windows)
    if routing == "ortools":
        result = ortools_routing.solve_routing(instance, time_limit, durations=durations)
    else:
        result = tsptw.solve(
            instance, time_limit, durations=durations, should_stop=should_stop, late_ok=True
        )
    if not result.tour:
        return sorted(range(len(tasks)), key=lambda i: (tasks[i].days[-1], tasks[i].days[0], i))
    return [node - 1 for node in result.tour[1:-1]]


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
