"""The planner's quality: (a) the TSPTW routing core against best-known results and hard
generated instances, beside plain OR-Tools routing, (b) whole editions generated from
real communes, with the routing core and the previous one.

Usage:
    .venv/bin/python benchmarks/planner.py                       # both parts
    .venv/bin/python benchmarks/planner.py --part tsptw --time-limit 10 --per-class 2
    .venv/bin/python benchmarks/planner.py --part editions --edition-time-limit 20

(a) per set, the PyVRP core (`flask planner tsptw`'s code) and plain OR-Tools routing with
    hard windows, each `--time-limit` seconds per instance, in the same run: valid tours
    (checked by coordination/planner/tourcheck.py, not by either solver), mean and max
    gap to the best-known cost (bundled SolomonPotvinBengio set, benchmarks/data/tsptw/:
    its `--bundled` largest instances) or to the hidden tour (generated sets,
    benchmarks/tsptw_generator.py: n = 100, 150, 200, windows 20, 60 and 120 wide,
    `--per-class` instances per width), and the time to the first valid tour. A gap is
    counted over the valid tours only.
(b) builds editions of 40, 80 and 150 stops in real communes (coordination/territories/
    data/communes.csv), with 1 to 3 availability windows each (one of them holding a day of
    a hidden valid plan, so a valid plan exists when the calendar has room), the launch and
    the closing locked, solves each with the PyVRP routing order and with the previous
    (OR-Tools) one, and prints the solve time, the travel, CP-SAT's lower bound and the
    gap, the stops left out, and the hard rules the one warnings service finds broken.
A script, not a test: it prints and asserts nothing. Uses two CP-SAT workers.
"""

import argparse
import csv
import random
import statistics
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from tsptw_generator import benchmark_sets  # noqa: E402

from coordination.planner import ortools_routing, solver, tsptw  # noqa: E402
from coordination.planner.days import candidate_days, departement_of  # noqa: E402
from coordination.planner.recheck import PlannedStop, hard_broken, recheck  # noqa: E402
from coordination.stops.warnings import default_rules  # noqa: E402

DATA = ROOT / "benchmarks" / "data" / "tsptw"
TERRITORIES = ROOT / "coordination" / "territories" / "data"
SEED = 2026

CORES = {
    "pyvrp": lambda instance, limit: tsptw.solve(instance, time_limit=limit),
    "ortools-hard": lambda instance, limit: ortools_routing.solve_routing(
        instance, time_limit=limit, hard_windows=True
    ),
}


def bundled_set(count: int) -> list[tuple[str, tsptw.Instance, float]]:
    """The `count` largest SolomonPotvinBengio instances with their best-known costs."""
    best = {}
    for line in (DATA / "SolomonPotvinBengio.best.txt").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            parts = line.split()
            best[parts[0]] = float(parts[1])
    items = [
        (name, tsptw.read(DATA / "SolomonPotvinBengio" / name), cost)
        for name, cost in sorted(best.items())
    ]
    items.sort(key=lambda item: (-item[1].n, item[0]))
    return items[:count]


def _summary(label: str, core: str, rows: list[tuple[float | None, float | None]]) -> str:
    gaps = [gap for gap, _first in rows if gap is not None]
    firsts = [first for _gap, first in rows if first is not None]
    valid = len(gaps)
    mean = f"{statistics.mean(gaps):7.3f}%" if gaps else "    n/a"
    worst = f"{max(gaps):7.3f}%" if gaps else "    n/a"
    first = f"mean {statistics.mean(firsts):5.2f}s max {max(firsts):5.2f}s" if firsts else "never"
    return (
        f"SET {label:18} {core:12} valid {valid:2}/{len(rows):2}  mean gap {mean}  "
        f"max gap {worst}  first valid tour: {first}"
    )


def tsptw_part(time_limit: float, per_class: int, bundled: int) -> None:
    sets = {"SolomonPotvinBengio": bundled_set(bundled)}
    for label, items in benchmark_sets(per_class).items():
        sets[label] = [(item.name, item.instance, item.cost) for item in items]
    print(f"(a) TSPTW, {time_limit:g} s per instance and per core")
    summaries = []
    for label, items in sets.items():
        reference = "best known" if label == "SolomonPotvinBengio" else "hidden tour"
        rows: dict[str, list] = {core: [] for core in CORES}
        for name, instance, cost in items:
            line = [f"{name:20} n={instance.n:3} {reference}={cost:8.2f}"]
            for core, run in CORES.items():
                result = run(instance, time_limit)
                gap = (result.cost - cost) / cost * 100 if result.is_feasible else None
                rows[core].append((gap, result.first_valid_after))
                shown = f"{gap:+7.3f}%" if gap is not None else "  no valid tour"
                first = result.first_valid_after
                line.append(
                    f"{core}: {shown}"
                    + (f" first valid {first:5.2f}s" if first is not None else "")
                )
            print("  ".join(line), flush=True)
        for core in CORES:
            summaries.append(_summary(label, core, rows[core]))
            print(summaries[-1], flush=True)
    print("\n".join(summaries))


def _communes(rng: random.Random, count: int) -> list[dict]:
    regions = {}
    with (TERRITORIES / "departements.csv").open() as handle:
        for row in csv.DictReader(handle):
            regions[row["code"]] = row["region_code"]
    with (TERRITORIES / "communes.csv").open() as handle:
        towns = [
            row
            for row in csv.DictReader(handle)
            if row["latitude"] not in ("", "nan")
            and int(row["population"] or 0) >= 3000
            and row["departement_code"] in regions
            and not row["insee_code"].startswith("97")
            and not row["insee_code"].startswith("2")  # Corsica: no road to it
        ]
    chosen = rng.sample(towns, count)
    for row in chosen:
        row["region"] = regions[row["departement_code"]]
    return chosen


def _open_days(start: date, end: date, is_august_break: bool) -> list[date]:
    days = []
    day = start
    while day <= end:
        if candidate_days([], day, day, None, is_august_break)[0]:
            days.append(day)
        day += timedelta(days=1)
    return days


def make_edition(rng, count, per_week, starts_on, ends_on, is_august_break=True):
    """Tasks and stops of a generated edition, or (None, capacity) when it cannot fit."""
    open_days = _open_days(starts_on, ends_on, is_august_break)
    weeks: dict = {}
    for day in open_days:
        weeks.setdefault(day.isocalendar()[:2], []).append(day)
    capacity = sum(min(per_week, len(days)) for days in weeks.values())
    communes = _communes(rng, count)
    # A hidden valid plan: `count` days, at most `per_week` a week.
    slots = [d for days in weeks.values() for d in rng.sample(days, min(per_week, len(days)))]
    hidden = sorted(rng.sample(slots, min(count, len(slots))))
    while len(hidden) < count:  # no room: the planner must say so
        hidden.append(rng.choice(open_days))
    rng.shuffle(hidden)
    stops, tasks = [], []
    first_day, last_day = min(hidden), max(hidden)
    for key, (commune, day) in enumerate(zip(communes, hidden, strict=True), start=1):
        windows = []
        length = rng.randint(5, 20)
        offset = rng.randint(0, length)
        windows.append(
            (day - timedelta(days=offset), day - timedelta(days=offset) + timedelta(days=length))
        )
        for _ in range(rng.randint(0, 2)):
            start = starts_on + timedelta(days=rng.randint(0, (ends_on - starts_on).days))
            windows.append((start, start + timedelta(days=rng.randint(3, 15))))
        rng.shuffle(windows)  # the hidden day is not always in the first window
        availability = [[a.isoformat(), b.isoformat()] for a, b in windows]
        location = (float(commune["latitude"]), float(commune["longitude"]))
        is_fixed = day in (first_day, last_day)
        departement = departement_of(commune["insee_code"])
        days, preferred = candidate_days(
            availability, starts_on, ends_on, departement, is_august_break
        )
        title = f"Étape de {commune['name']}"
        tasks.append(
            solver.Task(
                key=key,
                title=title,
                days=(day,) if is_fixed else tuple(days),
                preferred=preferred,
                location=location,
                region=commune["region"],
                is_fixed=is_fixed,
            )
        )
        starts_at = datetime.combine(day, datetime.min.time(), tzinfo=UTC) + timedelta(hours=7)
        stops.append(
            PlannedStop(
                id=key,
                title=title,
                status="tentative",
                starts_at=starts_at,
                ends_at=starts_at + timedelta(hours=8),
                availability=availability,
                commune_insee=commune["insee_code"],
                latitude=location[0],
                longitude=location[1],
            )
        )
    return tasks, stops, capacity


def _seconds(value: float | None) -> str:
    return f"{value:.1f}s" if value is not None else "never"


def editions_part(time_limit: float, workers: int, sizes: str = "40,80,150") -> None:
    rng = random.Random(SEED)
    cases = [
        (40, 3, date(2027, 6, 1), date(2027, 10, 29), True),
        (80, 4, date(2027, 6, 1), date(2027, 10, 29), False),
        (150, 4, date(2027, 2, 1), date(2027, 12, 17), True),
    ]
    print(f"(b) generated editions, time limit {time_limit:g} s, {workers} CP-SAT workers")
    wanted = {int(size) for size in sizes.split(",")}
    for count, per_week, starts_on, ends_on, is_august_break in cases:
        tasks, stops, capacity = make_edition(
            rng, count, per_week, starts_on, ends_on, is_august_break
        )
        if count not in wanted:
            continue  # generated all the same, so each edition is the same whatever is run
        case = (per_week, starts_on, ends_on, is_august_break)
        for routing in ("pyvrp", "ortools"):
            _edition_line(tasks, stops, capacity, case, time_limit, workers, routing)


def _edition_line(tasks, stops, capacity, case, time_limit, workers, routing) -> None:
    """Solve one edition with one routing core and print its figures."""
    per_week, starts_on, ends_on, is_august_break = case
    count = len(tasks)
    settings = solver.Settings(
        max_per_week=per_week, time_limit=time_limit, workers=workers, routing=routing
    )
    started = time.monotonic()
    solution = solver.solve(tasks, settings)
    elapsed = time.monotonic() - started
    by_key = {s.id: s for s in stops}
    planned = [
        by_key[key].on(solution.days[key]) if key in solution.days else by_key[key]
        for key in by_key
    ]
    rules = default_rules()
    rules.max_stops_per_week = per_week
    rules.is_august_break = is_august_break
    broken = hard_broken(recheck(planned, rules))
    gap = f"{solution.gap * 100:.2f}%" if solution.gap is not None else "n/a"
    print(
        f"stops={count:3} routing={routing:7} K={per_week} {starts_on:%b}-{ends_on:%b} "
        f"august_break={'on' if is_august_break else 'off'} capacity={capacity:3} "
        f"status={solution.status} time={elapsed:.1f}s "
        f"first_complete_plan_after={_seconds(solution.complete_after)} "
        f"travel={solution.travel_km:.0f}km routing_hint={solution.hint_km or 0:.0f}km "
        f"objective={solution.objective or 0:.0f} bound={solution.bound or 0:.0f} "
        f"gap={gap} unplaced={len(solution.unplaced)} "
        f"stops_breaking_hard_rules={len(broken)}",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--part", choices=("tsptw", "editions", "all"), default="all")
    parser.add_argument("--time-limit", type=float, default=10.0, help="per TSPTW instance")
    parser.add_argument("--per-class", type=int, default=2, help="generated, per (n, width)")
    parser.add_argument("--bundled", type=int, default=30, help="largest bundled instances")
    parser.add_argument("--edition-time-limit", type=float, default=30.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--sizes", default="40,80,150", help="editions to measure")
    args = parser.parse_args()
    if args.part in ("tsptw", "all"):
        tsptw_part(args.time_limit, args.per_class, args.bundled)
    if args.part in ("editions", "all"):
        editions_part(args.edition_time_limit, args.workers, args.sizes)


if __name__ == "__main__":
    main()
