"""The starting hint: distances, the routing order and its greedy placement on the calendar."""

import math
from collections import defaultdict
from datetime import date

from ortools.sat.python import cp_model

from coordination.planner import ortools_routing, tsptw
from coordination.planner.plan_types import Settings, Task


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
