"""Hard TSPTW instances with a known valid tour, seeded.

Nodes are drawn on a 100 × 100 square (travel = Euclidean distance, two decimals); a
good tour through them is built (nearest neighbour, then 2-opt), its arrival times
computed, and each node's window of the class's width is drawn around its arrival at a
random offset. The hidden tour is therefore valid, and a tight window leaves a solver
little room: the reference the benchmark measures gaps against. Written in the same text
format as the bundled instances.

    .venv/bin/python benchmarks/tsptw_generator.py OUT_DIR   # the benchmark's 18 files
"""

import math
import random
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from coordination.planner.tsptw import Instance, write  # noqa: E402

SIDE = 100.0
SIZES = (100, 150, 200)
WIDTHS = (20, 60, 120)


@dataclass(frozen=True)
class Generated:
    name: str
    instance: Instance
    #: The hidden valid tour (0 … 0) and its cost.
    tour: list[int]
    cost: float


def _tour_cost(travel: list[list[float]], tour: list[int]) -> float:
    return sum(travel[a][b] for a, b in zip(tour, tour[1:], strict=False))


def _good_tour(travel: list[list[float]]) -> list[int]:
    """Nearest neighbour from the depot, then 2-opt until no move shortens it."""
    n = len(travel)
    tour, left = [0], set(range(1, n))
    while left:
        nearest = min(left, key=lambda j: (travel[tour[-1]][j], j))
        tour.append(nearest)
        left.remove(nearest)
    tour.append(0)
    improved = True
    while improved:
        improved = False
        for i in range(1, n - 1):
            for j in range(i + 1, n):
                a, b, c, d = tour[i - 1], tour[i], tour[j], tour[j + 1]
                if travel[a][c] + travel[b][d] < travel[a][b] + travel[c][d] - 1e-9:
                    tour[i : j + 1] = reversed(tour[i : j + 1])
                    improved = True
    return tour


def generate(n: int, width: float, seed: int) -> Generated:
    """An instance of `n` nodes (depot included) with windows `width` wide."""
    rng = random.Random(f"tsptw-{n}-{width}-{seed}")
    points = [(rng.uniform(0, SIDE), rng.uniform(0, SIDE)) for _ in range(n)]
    travel = [[round(math.dist(p, q), 2) for q in points] for p in points]
    tour = _good_tour(travel)
    windows: list[tuple[float, float]] = [(0.0, 0.0)] * n
    clock = 0.0
    for a, b in zip(tour, tour[1:-1], strict=False):
        clock += travel[a][b]
        # Rounded down, so the hidden tour never waits and never arrives late.
        opens = max(0.0, math.floor((clock - rng.uniform(0.01, width - 0.01)) * 100) / 100)
        windows[b] = (opens, round(opens + width, 2))
    back = clock + travel[tour[-2]][0]
    # The depot closes a little after the hidden tour's return: no slack to spare.
    windows[0] = (0.0, round(back + width, 2))
    return Generated(
        name=f"gen_n{n}_w{int(width)}_{seed}",
        instance=Instance(travel=travel, windows=windows),
        tour=tour,
        cost=round(_tour_cost(travel, tour), 2),
    )


def benchmark_sets(per_class: int = 2) -> dict[str, list[Generated]]:
    """The benchmark's sets: one per size, `per_class` instances per width."""
    return {
        f"generated n={n}": [
            generate(n, width, seed) for width in WIDTHS for seed in range(1, per_class + 1)
        ]
        for n in SIZES
    }


def main() -> None:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "generated-tsptw")
    out.mkdir(parents=True, exist_ok=True)
    for items in benchmark_sets().values():
        for item in items:
            (out / f"{item.name}.txt").write_text(write(item.instance))
            print(f"{item.name}.txt cost={item.cost:.2f} tour={' '.join(map(str, item.tour))}")


if __name__ == "__main__":
    main()
