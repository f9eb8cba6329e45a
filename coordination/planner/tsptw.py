"""The routing core: the travelling salesman with time windows (TSPTW), on PyVRP.

Reads the usual text format (n; an n×n travel matrix whose entries include the service
time at the origin; n lines "earliest latest"; node 0 is the depot) and solves it with
PyVRP's iterated local search: one vehicle, the travel as distance, the windows hard
(PyVRP penalises lateness while it searches but only a tour without any is "feasible"),
everything scaled to integers. The cost of a tour is the sum of the matrix entries along
it, back to the depot included, the convention of the published best-known results.
Every tour returned is re-checked by `tourcheck`, which shares no code with the solver.
"""

import math
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyvrp
from pyvrp.exceptions import PenaltyBoundWarning
from pyvrp.IteratedLocalSearch import IteratedLocalSearchCallbacks, IteratedLocalSearchParams

from coordination.planner.tourcheck import TourCheck, check_tour

#: The solvers work on integers: times and costs are scaled by this much.
SCALE = 10_000


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
    #: The tour, starting and ending at the depot (0); empty when none was found.
    tour: list[int]
    cost: float
    check: TourCheck
    seconds: float = 0.0
    #: Seconds until the first tour meeting every window (None: none in time).
    first_valid_after: float | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def is_feasible(self) -> bool:
        """The independent check found every node visited once, each within its window."""
        return bool(self.tour) and self.check.is_valid

    @property
    def violations(self) -> int:
        return len(self.check.late)

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
    if any(earliest > latest for earliest, latest in windows):
        raise InstanceError("a window closes before it opens")
    return Instance(travel=travel, windows=windows)


def read(path: str | Path) -> Instance:
    """Read an instance file."""
    return parse(Path(path).read_text())


def write(instance: Instance) -> str:
    """The instance in the text format `parse` reads."""
    lines = [str(instance.n)]
    lines += [" ".join(f"{value:g}" for value in row) for row in instance.travel]
    lines += [f"{earliest:g} {latest:g}" for earliest, latest in instance.windows]
    return "\n".join(lines) + "\n"


def result_of(
    instance: Instance,
    tour: list[int] | None,
    started: float,
    durations: list[list[float]] | None = None,
    first_valid_after: float | None = None,
) -> Result:
    """A solver's tour as a Result, its cost and validity from the independent check."""
    if not tour:
        return Result(
            tour=[],
            cost=math.inf,
            check=TourCheck(cost=math.inf, malformed=True),
            seconds=time.monotonic() - started,
        )
    check = check_tour(instance.travel, instance.windows, tour, durations)
    return Result(
        tour=tour,
        cost=check.cost,
        check=check,
        seconds=time.monotonic() - started,
        first_valid_after=first_valid_after if check.is_valid else None,
    )


#: What a progress callback receives: seconds so far and the best valid tour so far.
Progress = Callable[[float, list[int]], None]


class _Watch(IteratedLocalSearchCallbacks):
    """Notes when the first valid tour arrives and reports every better valid tour."""

    def __init__(self, started: float, on_best: Progress | None):
        self.started = started
        self.report = on_best
        self.first_valid_after: float | None = None

    def on_best(self, best) -> None:
        if not best.is_feasible():
            return
        elapsed = time.monotonic() - self.started
        if self.first_valid_after is None:
            self.first_valid_after = elapsed
        if self.report is not None:
            self.report(elapsed, _tour_of(best))


#: PyVRP's cost of a solution that is not feasible is the largest int64: anything below
#: this is a valid tour.
INFEASIBLE_COST = 2**62


class _Stop:
    """Stops at the time limit, or when `should_stop` says so (a cancelled job); notes
    the first valid tour, which the initial local search may already have found."""

    def __init__(self, deadline: float, should_stop: Callable[[], bool] | None, watch: _Watch):
        self.deadline = deadline
        self.should_stop = should_stop
        self.watch = watch
        self.calls = 0

    def __call__(self, best_cost: int) -> bool:
        self.calls += 1
        if self.watch.first_valid_after is None and best_cost < INFEASIBLE_COST:
            self.watch.first_valid_after = time.monotonic() - self.watch.started
        if time.monotonic() >= self.deadline:
            return True
        # Asking the caller is cheap but not free: every 1000 iterations is enough.
        return self.should_stop is not None and self.calls % 1000 == 0 and self.should_stop()


def _tour_of(solution) -> list[int]:
    """The tour of PyVRP's one route as node numbers (its clients count from 0)."""
    routes = solution.routes()
    visits = [a.idx + 1 for a in routes[0] if a.is_client()] if routes else []
    return [0, *visits, 0]


def _data(instance: Instance, durations: list[list[float]] | None) -> pyvrp.ProblemData:
    """PyVRP's model of the instance: one depot, one vehicle, integer-scaled matrices."""
    n = instance.n
    distance = np.rint(np.asarray(instance.travel, dtype=float) * SCALE).astype(np.int64)
    # Times rounded up: a tour PyVRP finds on time is on time with the true values.
    duration = np.ceil(np.asarray(durations or instance.travel, dtype=float) * SCALE - 1e-6).astype(
        np.int64
    )
    np.fill_diagonal(distance, 0)
    np.fill_diagonal(duration, 0)
    windows = [
        (math.ceil(e * SCALE - 1e-6), math.floor(lt * SCALE + 1e-6)) for e, lt in instance.windows
    ]
    depot_early, depot_late = windows[0]
    return pyvrp.ProblemData(
        locations=[pyvrp.Location(0, 0) for _ in range(n)],
        clients=[
            pyvrp.Client(location=i, tw_early=windows[i][0], tw_late=windows[i][1])
            for i in range(1, n)
        ],
        depots=[pyvrp.Depot(location=0, tw_early=depot_early, tw_late=depot_late)],
        vehicle_types=[
            pyvrp.VehicleType(num_available=1, tw_early=depot_early, tw_late=depot_late)
        ],
        distance_matrices=[distance],
        duration_matrices=[duration],
    )


def solve(
    instance: Instance,
    time_limit: float = 10.0,
    durations: list[list[float]] | None = None,
    hint: list[int] | None = None,
    on_best: Progress | None = None,
    should_stop: Callable[[], bool] | None = None,
    seed: int = 0,
    late_ok: bool = False,
) -> Result:
    """The best valid tour PyVRP finds within `time_limit` seconds, re-checked; a Result
    without a tour when none meets every window in time.

    `durations` is a time matrix when time is not the travel cost; `hint` a starting
    order of the nodes (without the depot); `on_best(seconds, tour)` is called with each
    better valid tour; `should_stop()` ends the search early. With `late_ok`, the best
    tour found is returned even when it is late (its check says where): a starting order
    is better than none.
    """
    started = time.monotonic()
    if instance.n == 1:
        return result_of(instance, [0, 0], started, first_valid_after=0.0)
    data = _data(instance, durations)
    watch = _Watch(started, on_best)
    initial = None
    if hint:
        initial = pyvrp.Solution(data, [[node - 1 for node in hint]])
    params = pyvrp.SolveParams(ils=IteratedLocalSearchParams(callbacks=watch))
    with warnings.catch_warnings():
        # PyVRP warns when its penalties top out: the tour found is then late, which
        # the result says in words.
        warnings.simplefilter("ignore", PenaltyBoundWarning)
        outcome = pyvrp.solve(
            data,
            _Stop(started + time_limit, should_stop, watch),
            seed=seed,
            collect_stats=False,
            display=False,
            params=params,
            initial_solution=initial,
        )
    if not outcome.is_feasible():
        if late_ok and outcome.best.routes():
            return result_of(instance, _tour_of(outcome.best), started, durations)
        result = result_of(instance, None, started)
        result.notes.append(f"no tour meets every window after {time_limit:g} s")
        return result
    result = result_of(
        instance, _tour_of(outcome.best), started, durations, watch.first_valid_after
    )
    if not result.is_feasible:
        result.notes.append("the solver's tour failed the independent check")
    return result
