"""OR-Tools' routing library on a TSPTW instance: the planner's previous routing core,
kept as the baseline the benchmark measures the PyVRP core against (plain routing with
hard windows) and as the edition benchmark's "previous core" (soft closing times)."""

import math
import time

from ortools.constraint_solver import pywrapcp, routing_enums_pb2

from coordination.planner.tsptw import SCALE, Instance, Result, result_of

#: Cost per scaled time unit of arriving after a window closes (soft windows only).
LATENESS_PENALTY = 1000


def solve_routing(
    instance: Instance,
    time_limit: float = 10.0,
    hint: list[int] | None = None,
    strategy: str = "PATH_CHEAPEST_ARC",
    durations: list[list[float]] | None = None,
    hard_windows: bool = False,
) -> Result:
    """The best tour routing's guided local search finds within `time_limit` seconds.

    With `hard_windows` the closing times are constraints (routing may then find no tour
    at all); without, lateness is allowed at a high cost, which steers local search from
    late tours towards valid ones. `hint` is a starting order of the nodes (no depot).
    """
    started = time.monotonic()
    n = instance.n
    if n == 1:
        return result_of(instance, [0, 0], started, first_valid_after=0.0)

    manager = pywrapcp.RoutingIndexManager(n, 1, 0)
    routing = pywrapcp.RoutingModel(manager)
    cost_matrix = [[round(value * SCALE) for value in row] for row in instance.travel]
    # Times rounded up: every tour routing accepts is valid with the true values.
    time_matrix = [
        [math.ceil(value * SCALE - 1e-6) for value in row] for row in (durations or instance.travel)
    ]
    cost_index = routing.RegisterTransitMatrix(cost_matrix)
    time_index = routing.RegisterTransitMatrix(time_matrix)
    routing.SetArcCostEvaluatorOfAllVehicles(cost_index)

    horizon = math.floor(max(latest for _, latest in instance.windows) * SCALE) + 1
    routing.AddDimension(time_index, horizon * 4, horizon * 4, False, "time")
    dimension = routing.GetDimensionOrDie("time")
    for node in range(n):
        earliest, latest = instance.windows[node]
        indexes = (routing.Start(0), routing.End(0)) if node == 0 else (manager.NodeToIndex(node),)
        for index in indexes:
            low, high = math.ceil(earliest * SCALE), math.floor(latest * SCALE)
            if hard_windows:
                dimension.CumulVar(index).SetRange(low, high)
            else:
                dimension.CumulVar(index).SetMin(low)
                dimension.SetCumulVarSoftUpperBound(index, high, LATENESS_PENALTY)
    routing.AddVariableMinimizedByFinalizer(dimension.CumulVar(routing.End(0)))

    parameters = pywrapcp.DefaultRoutingSearchParameters()
    parameters.first_solution_strategy = getattr(routing_enums_pb2.FirstSolutionStrategy, strategy)
    parameters.local_search_metaheuristic = (
        routing_enums_pb2.LocalSearchMetaheuristic.GUIDED_LOCAL_SEARCH
    )
    parameters.time_limit.FromMilliseconds(max(int(time_limit * 1000), 100))

    first: list[float] = []

    def on_solution() -> None:
        if not first:
            first.append(time.monotonic() - started)

    routing.AddAtSolutionCallback(on_solution)
    routing.CloseModelWithParameters(parameters)
    initial = routing.ReadAssignmentFromRoutes([hint], True) if hint else None
    solution = (
        routing.SolveFromAssignmentWithParameters(initial, parameters)
        if initial is not None
        else routing.SolveWithParameters(parameters)
    )
    if solution is None:
        return result_of(instance, None, started, durations=durations)
    tour = []
    index = routing.Start(0)
    while not routing.IsEnd(index):
        tour.append(manager.IndexToNode(index))
        index = solution.Value(routing.NextVar(index))
    tour.append(0)
    result = result_of(instance, tour, started, durations=durations)
    if result.is_feasible and hard_windows:
        result.first_valid_after = first[0] if first else result.seconds
    return result
