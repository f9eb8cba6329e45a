"""The routing core: the travelling salesman with time windows (TSPTW), pure.

Reads the usual text format (n; an n×n travel matrix whose entries include the service
time at the origin; n lines "earliest latest"; node 0 is the depot) and solves it with
OR-Tools' routing library: travel as the arc cost, the windows as a time dimension where
waiting is allowed. The cost of a tour is the sum of the matrix entries along it, back to
the depot included, the convention of the published best-known results.
"""

import math
import time
from dataclasses import dataclass, field
from pathlib import Path

from ortools.constraint_solver import pywrapcp, routing_enums_pb2
from ortools.sat.python import cp_model

#: Routing works on integers: times and costs are scaled by this much.
SCALE = 10_000
#: Tolerance when checking a tour against the windows with the unscaled values.
EPSILON = 1e-6
#: Cost per scaled time unit of arriving after a window closes (routing only).
LATENESS_PENALTY = 1000


class InstanceError(ValueError):
    """The text is not a TSPTW instance."""


@dataclass(frozen=True)
class Instance:
    travel: list[list[float]]
    windows: list[tuple[float, float]]

    @property
    def n(self) -> int:
        return len(self.travel)


@dataclass
class Result:
    #: The tour, starting and ending at the depot (0).
    tour: list[int]
    cost: float
    #: Nodes reached after their window closes (0 for a valid tour).
    violations: int
    is_complete: bool
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)

    @property
    def is_feasible(self) -> bool:
        return self.is_complete and self.violations == 0

    def line(self) -> str:
        """The one-line answer: `cost=<number> tour=0 a b … 0`."""
        return f"cost={self.cost:.2f} tour={' '.join(str(node) for node in self.tour)}"


def parse(text: str) -> Instance:
    """Read an instance from its text (whitespace-separated numbers)."""
    try:
        numbers = [float(token) for token in text.split()]
    except ValueError as error:
        raise InstanceError(f"not a number: {error}") from error
    if not numbers or numbers[0] != int(numbers[0]) or numbers[0] < 1:
        raise InstanceError("the first number must be the node count")
    n = int(numbers[0])
    expected = 1 + n * n + 2 * n
    if len(numbers) < expected:
        raise InstanceError(f"{n} nodes need {expected} numbers, found {len(numbers)}")
    values = numbers[1:]
    travel = [values[i * n : (i + 1) * n] for i in range(n)]
    rest = values[n * n :]
    windows = [(rest[2 * i], rest[2 * i + 1]) for i in range(n)]
    return Instance(travel=travel, windows=windows)


def read(path: str | Path) -> Instance:
    """Read an instance file."""
    return parse(Path(path).read_text())


def evaluate(
    instance: Instance, tour: list[int], durations: list[list[float]] | None = None
) -> tuple[float, int]:
    """The cost of a tour (0 … 0) and how many nodes it reaches after their window."""
    durations = durations or instance.travel
    cost = 0.0
    now = instance.windows[tour[0]][0]
    violations = 0
    for a, b in zip(tour, tour[1:], strict=False):
        cost += instance.travel[a][b]
        earliest, latest = instance.windows[b]
        now = max(now + durations[a][b], earliest)
        if now > latest + EPSILON:
            violations += 1
    return cost, violations


def _initial_order(instance: Instance) -> list[int]:
    """A starting tour: the nodes by closing time, then opening time (often feasible)."""
    return sorted(
        range(1, instance.n), key=lambda i: (instance.windows[i][1], instance.windows[i][0])
    )


def solve_routing(
    instance: Instance,
    time_limit: float = 10.0,
    hint: list[int] | None = None,
    strategy: str = "PATH_CHEAPEST_ARC",
    durations: list[list[float]] | None = None,
) -> Result:
    """The best tour found within `time_limit` seconds (every node visited if possible).

    `hint` is a starting order of the nodes (without the depot); `durations` is a time
    matrix when time is not the travel cost (the cost of the result is still `travel`'s).
    """
    started = time.monotonic()
    n = instance.n
    if n == 1:
        return Result(tour=[0, 0], cost=instance.travel[0][0], violations=0, is_complete=True)

    manager = pywrapcp.RoutingIndexManager(n, 1, 0)
    routing = pywrapcp.RoutingModel(manager)
    cost_matrix = [[round(value * SCALE) for value in row] for row in instance.travel]
    # Times are rounded up so that every tour routing accepts is valid with the true values.
    time_matrix = [
        [math.ceil(value * SCALE - EPSILON) for value in row]
        for row in (durations or instance.travel)
    ]

    # Matrices rather than Python callbacks: the search never calls back into Python.
    cost_index = routing.RegisterTransitMatrix(cost_matrix)
    time_index = routing.RegisterTransitMatrix(time_matrix)
    routing.SetArcCostEvaluatorOfAllVehicles(cost_index)

    horizon = math.floor(max(latest for _, latest in instance.windows) * SCALE) + 1
    # Slack (waiting) and lateness both allowed, so every order has a value: closing
    # times are soft with a penalty far above any travel, which guides local search from
    # late tours to valid ones much better than hard windows or optional nodes do.
    routing.AddDimension(time_index, horizon * 4, horizon * 4, False, "time")
    dimension = routing.GetDimensionOrDie("time")
    for node in range(n):
        earliest, latest = instance.windows[node]
        indexes = (routing.Start(0), routing.End(0)) if node == 0 else (manager.NodeToIndex(node),)
        for index in indexes:
            dimension.CumulVar(index).SetMin(math.ceil(earliest * SCALE))
            dimension.SetCumulVarSoftUpperBound(index, math.floor(latest * SCALE), LATENESS_PENALTY)
    routing.AddVariableMinimizedByFinalizer(dimension.CumulVar(routing.End(0)))

    parameters = pywrapcp.DefaultRoutingSearchParameters()
    parameters.first_solution_strategy = getattr(routing_enums_pb2.FirstSolutionStrategy, strategy)
    parameters.local_search_metaheuristic = (
        routing_enums_pb2.LocalSearchMetaheuristic.GUIDED_LOCAL_SEARCH
    )
    parameters.time_limit.FromMilliseconds(max(int(time_limit * 1000), 100))
    parameters.log_search = False

    routing.CloseModelWithParameters(parameters)
    start_order = hint if hint is not None else _initial_order(instance)
    initial = routing.ReadAssignmentFromRoutes([start_order], True) if hint else None
    solution = (
        routing.SolveFromAssignmentWithParameters(initial, parameters)
        if initial is not None
        else routing.SolveWithParameters(parameters)
    )

    notes = []
    if solution is None:
        tour = [0, *start_order, 0]
        notes.append("no solution found; the starting order is returned")
    else:
        tour = []
        index = routing.Start(0)
        while not routing.IsEnd(index):
            tour.append(manager.IndexToNode(index))
            index = solution.Value(routing.NextVar(index))
        tour.append(0)
    cost, violations = evaluate(instance, tour, durations)
    return Result(
        tour=tour,
        cost=cost,
        violations=violations,
        is_complete=len(set(tour)) == n,
        seconds=time.monotonic() - started,
        notes=notes,
    )


#: CP-SAT's scale for times and costs (its integers are exact; 1/1000 is finer than the data).
SAT_SCALE = 1000


def solve_sat(
    instance: Instance, time_limit: float, hint: list[int] | None = None, workers: int = 2
) -> tuple[Result | None, float | None]:
    """CP-SAT on the circuit formulation: the best tour found and a lower bound on its cost."""
    started = time.monotonic()
    n = instance.n
    model = cp_model.CpModel()
    windows = [
        (math.ceil(earliest * SAT_SCALE - EPSILON), math.floor(latest * SAT_SCALE + EPSILON))
        for earliest, latest in instance.windows
    ]
    durations = [
        [math.ceil(value * SAT_SCALE - EPSILON) for value in row] for row in instance.travel
    ]
    costs = [[round(value * SAT_SCALE) for value in row] for row in instance.travel]
    times = [model.new_int_var(low, high, f"t{node}") for node, (low, high) in enumerate(windows)]
    # Leaving the depot at its opening is never worse: waiting is allowed everywhere.
    model.add(times[0] == windows[0][0])
    arcs = []
    objective = []
    literal_of = {}
    for i in range(n):
        for j in range(n):
            if i == j:
                continue
            arrival = windows[i][0] + durations[i][j]
            # An arc that cannot reach the next window in time is never used.
            if j != 0 and arrival > windows[j][1]:
                continue
            if j == 0 and arrival > windows[0][1]:
                continue
            literal = model.new_bool_var(f"a{i}_{j}")
            arcs.append((i, j, literal))
            literal_of[i, j] = literal
            objective.append(costs[i][j] * literal)
            if j != 0:
                model.add(times[j] >= times[i] + durations[i][j]).only_enforce_if(literal)
            else:
                model.add(times[i] + durations[i][0] <= windows[0][1]).only_enforce_if(literal)
    model.add_circuit(arcs)
    model.minimize(sum(objective))
    if hint:
        tour = [0, *hint, 0]
        used = set(zip(tour, tour[1:], strict=False))
        for (i, j), literal in literal_of.items():
            model.add_hint(literal, (i, j) in used)

    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(time_limit, 0.1)
    solver.parameters.num_workers = workers
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None, None
    successor = {i: j for (i, j), literal in literal_of.items() if solver.boolean_value(literal)}
    tour = [0]
    while len(tour) <= n:
        tour.append(successor[tour[-1]])
        if tour[-1] == 0:
            break
    cost, violations = evaluate(instance, tour)
    bound = solver.best_objective_bound / SAT_SCALE
    result = Result(
        tour=tour,
        cost=cost,
        violations=violations,
        is_complete=len(set(tour)) == n,
        seconds=time.monotonic() - started,
        notes=["optimal" if status == cp_model.OPTIMAL else "feasible"],
    )
    return result, bound


#: Routing's first-solution strategies tried in turn (each finds different valleys).
STRATEGIES = ("PATH_CHEAPEST_ARC", "LOCAL_CHEAPEST_INSERTION")


def solve(instance: Instance, time_limit: float = 10.0, workers: int = 2) -> Result:
    """The best tour found within about `time_limit` seconds: routing's guided local search
    from two first solutions, then CP-SAT from the best tour (which also gives a lower
    bound, in the notes)."""
    started = time.monotonic()
    results = []
    for strategy in STRATEGIES:
        results.append(solve_routing(instance, time_limit * 0.35, strategy=strategy))
    best = min(results, key=lambda r: (not r.is_feasible, r.violations, r.cost))
    hint = best.tour[1:-1] if best.is_feasible else None
    remaining = time_limit - (time.monotonic() - started)
    polished, bound = solve_sat(instance, remaining, hint=hint, workers=workers)
    if polished is not None and (polished.is_feasible, -polished.cost) > (
        best.is_feasible,
        -best.cost,
    ):
        best = polished
    best.seconds = time.monotonic() - started
    if bound is not None:
        best.notes.append(f"lower bound {bound:.2f}")
    return best
