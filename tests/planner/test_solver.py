"""The edition solver on plain tasks (no database)."""

from datetime import date, timedelta

from coordination.planner.solver import Settings, Task, solve

PARIS = (48.8566, 2.3522)
LILLE = (50.6292, 3.0573)
AMIENS = (49.8941, 2.2958)
LYON = (45.764, 4.8357)


def days(start: date, count: int) -> tuple[date, ...]:
    """`count` weekdays from `start`."""
    found = []
    day = start
    while len(found) < count:
        if day.weekday() < 5:
            found.append(day)
        day += timedelta(days=1)
    return tuple(found)


def test_solve_places_every_task_on_its_days_one_a_day():
    tasks = [
        Task(1, "A", days(date(2026, 6, 1), 3), location=PARIS),
        Task(2, "B", days(date(2026, 6, 1), 3), location=LILLE),
        Task(3, "C", days(date(2026, 6, 1), 3), location=AMIENS),
    ]

    solution = solve(tasks, Settings(max_per_week=3, time_limit=2))

    assert solution.unplaced == []
    assert sorted(solution.days.values()) == list(days(date(2026, 6, 1), 3))
    for task in tasks:
        assert solution.days[task.key] in task.days


def test_solve_orders_stops_for_short_travel():
    tasks = [
        Task(1, "Paris", days(date(2026, 6, 1), 3), location=PARIS),
        Task(2, "Lille", days(date(2026, 6, 1), 3), location=LILLE),
        Task(3, "Amiens", days(date(2026, 6, 1), 3), location=AMIENS),
    ]

    solution = solve(tasks, Settings(max_per_week=3, time_limit=2, region_weight=0))

    order = sorted(solution.days, key=solution.days.get)
    # Amiens lies between Paris and Lille.
    assert order in ([1, 3, 2], [2, 3, 1])
    assert solution.status == "optimal"
    assert solution.gap == 0


def test_solve_respects_the_weekly_limit():
    week = days(date(2026, 6, 1), 5)
    tasks = [Task(i, f"T{i}", week + days(date(2026, 6, 8), 5)) for i in range(1, 5)]

    solution = solve(tasks, Settings(max_per_week=2, time_limit=2))

    assert solution.unplaced == []
    first_week = [d for d in solution.days.values() if d < date(2026, 6, 8)]
    assert len(first_week) == 2


def test_solve_keeps_fixed_tasks_on_their_day():
    tasks = [
        Task(1, "Launch", (date(2026, 6, 3),), location=PARIS, is_fixed=True),
        Task(2, "B", days(date(2026, 6, 1), 5), location=LILLE),
    ]

    solution = solve(tasks, Settings(time_limit=2))

    assert solution.days[1] == date(2026, 6, 3)
    assert solution.days[2] != date(2026, 6, 3)


def test_solve_leaves_out_what_cannot_fit():
    one_day = (date(2026, 6, 2),)
    tasks = [Task(1, "A", one_day, location=PARIS), Task(2, "B", one_day, location=LYON)]

    solution = solve(tasks, Settings(time_limit=2))

    assert len(solution.days) == 1
    assert len(solution.unplaced) == 1


def test_solve_prefers_the_first_window():
    first = days(date(2026, 6, 15), 3)
    later = days(date(2026, 6, 1), 3)
    tasks = [Task(1, "A", tuple(sorted(first + later)), preferred=frozenset(first))]

    solution = solve(tasks, Settings(time_limit=2))

    assert solution.days[1] in first
