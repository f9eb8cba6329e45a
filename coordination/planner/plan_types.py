"""The solver's inputs and answer: tasks, settings, the solution and progress callbacks."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date


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
