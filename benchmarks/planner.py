"""The planner's quality: (a) the TSPTW routing core against best-known results, (b) whole
editions generated from real communes.

Usage:
    .venv/bin/python benchmarks/planner.py                       # both parts
    .venv/bin/python benchmarks/planner.py --part tsptw --time-limit 10
    .venv/bin/python benchmarks/planner.py --part editions --edition-time-limit 30

(a) solves the 30 SolomonPotvinBengio instances (benchmarks/data/tsptw/) with the same
    code as `flask planner tsptw`, prints per instance the cost, the best-known cost, the
    gap and whether every node is visited within its window, then the mean and max gap.
(b) builds editions of 40, 80 and 150 stops in real communes (coordination/territories/
    data/communes.csv), with 1 to 3 availability windows each (one of them holding a day of
    a hidden valid plan, so a valid plan exists when the calendar has room), the launch and
    the closing locked, and prints the solve time, the travel, CP-SAT's lower bound and the
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

from coordination.planner import solver, tsptw  # noqa: E402
from coordination.planner.days import candidate_days, departement_of  # noqa: E402
from coordination.planner.recheck import PlannedStop, hard_broken, recheck  # noqa: E402
from coordination.stops.warnings import default_rules  # noqa: E402

DATA = ROOT / "benchmarks" / "data" / "tsptw"
TERRITORIES = ROOT / "coordination" / "territories" / "data"
SEED = 2026


def tsptw_part(time_limit: float) -> None:
    best = {}
    for line in (DATA / "SolomonPotvinBengio.best.txt").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            parts = line.split()
            best[parts[0]] = float(parts[1])
    gaps = []
    all_valid = True
    print(f"(a) TSPTW SolomonPotvinBengio, {time_limit:g} s per instance")
    for name in sorted(best):
        instance = tsptw.read(DATA / "SolomonPotvinBengio" / name)
        result = tsptw.solve(instance, time_limit=time_limit)
        gap = round((result.cost - best[name]) / best[name] * 100, 6) + 0.0
        gaps.append(gap)
        all_valid &= result.is_feasible
        print(
            f"{name:14} n={instance.n:3} cost={result.cost:8.2f} best={best[name]:8.2f} "
            f"gap={gap:6.2f}% all_visited_in_window={'yes' if result.is_feasible else 'NO'} "
            f"{result.seconds:.1f}s",
            flush=True,
        )
    print(
        f"mean gap {statistics.mean(gaps):.3f}%  max gap {max(gaps):.3f}%  "
        f"every tour valid: {'yes' if all_valid else 'NO'}"
    )


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


def editions_part(time_limit: float, workers: int) -> None:
    rng = random.Random(SEED)
    cases = [
        (40, 2, date(2027, 6, 1), date(2027, 10, 29), True),
        (40, 3, date(2027, 6, 1), date(2027, 10, 29), True),
        (80, 4, date(2027, 6, 1), date(2027, 10, 29), True),
        (80, 4, date(2027, 6, 1), date(2027, 10, 29), False),
        (150, 4, date(2027, 6, 1), date(2027, 10, 29), False),
        (150, 4, date(2027, 2, 1), date(2027, 12, 17), True),
    ]
    print(f"(b) generated editions, time limit {time_limit:g} s, {workers} CP-SAT workers")
    for count, per_week, starts_on, ends_on, is_august_break in cases:
        tasks, stops, capacity = make_edition(
            rng, count, per_week, starts_on, ends_on, is_august_break
        )
        settings = solver.Settings(max_per_week=per_week, time_limit=time_limit, workers=workers)
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
            f"stops={count:3} K={per_week} {starts_on:%b}-{ends_on:%b} "
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
    parser.add_argument("--edition-time-limit", type=float, default=30.0)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    if args.part in ("tsptw", "all"):
        tsptw_part(args.time_limit)
    if args.part in ("editions", "all"):
        editions_part(args.edition_time_limit, args.workers)


if __name__ == "__main__":
    main()
