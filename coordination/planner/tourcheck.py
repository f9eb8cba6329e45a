"""The independent check of a TSPTW tour: written apart from every solver, in plain
floats, so a solver's integer scaling or its own feasibility test can never vouch for
itself. Every tour the planner prints or uses has passed through here."""

from dataclasses import dataclass, field

#: Tolerance when comparing unscaled arrival times with closing times.
EPSILON = 1e-6


@dataclass
class TourCheck:
    #: Sum of the travel entries along the tour, back to the depot included.
    cost: float
    #: Nodes reached after their window closed (the depot at the end included).
    late: list[int] = field(default_factory=list)
    #: Nodes the tour never visits.
    missing: list[int] = field(default_factory=list)
    #: Nodes visited more than once (the depot at both ends excepted).
    repeated: list[int] = field(default_factory=list)
    #: The tour does not start and end at the depot, or names a node that does not exist.
    malformed: bool = False

    @property
    def is_valid(self) -> bool:
        return not (self.late or self.missing or self.repeated or self.malformed)


def check_tour(
    travel: list[list[float]],
    windows: list[tuple[float, float]],
    tour: list[int],
    durations: list[list[float]] | None = None,
) -> TourCheck:
    """Walk the tour from the depot's opening, waiting at early arrivals, and list every
    node reached late, missing or repeated; `durations` replaces `travel` for time."""
    n = len(travel)
    durations = durations or travel
    if len(tour) < 2 or tour[0] != 0 or tour[-1] != 0 or any(not 0 <= v < n for v in tour):
        return TourCheck(cost=float("inf"), malformed=True)
    inner = tour[1:-1]
    seen: dict[int, int] = {}
    for node in inner:
        seen[node] = seen.get(node, 0) + 1
    check = TourCheck(
        cost=0.0,
        missing=[node for node in range(1, n) if node not in seen],
        repeated=sorted(node for node, count in seen.items() if count > 1 or node == 0),
    )
    clock = windows[0][0]
    for a, b in zip(tour, tour[1:], strict=False):
        check.cost += travel[a][b]
        earliest, latest = windows[b]
        clock = max(clock + durations[a][b], earliest)
        if clock > latest + EPSILON:
            check.late.append(b)
    return check
