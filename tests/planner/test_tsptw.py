"""The routing core on plain TSPTW instances, its independent check, and `flask planner
tsptw`."""

from pathlib import Path

import pytest

from coordination.planner import ortools_routing, tsptw
from coordination.planner.cli import NO_VALID_TOUR
from coordination.planner.tourcheck import check_tour

DATA = Path(__file__).parent / "data"

SMALL = """4
0 2 9 10
2 0 6 4
9 6 0 3
10 4 3 0
0 100
0 10
0 100
0 100
"""

#: Node 1 closes at 1 but is 5 away from the depot: no tour can be valid.
IMPOSSIBLE = """3
0 5 1
5 0 1
1 1 0
0 100
0 1
0 100
"""


def test_parse_reads_matrix_and_windows():
    instance = tsptw.parse(SMALL)

    assert instance.n == 4
    assert instance.travel[0] == [0, 2, 9, 10]
    assert instance.windows[1] == (0, 10)


def test_parse_rejects_short_text():
    with pytest.raises(tsptw.InstanceError, match="3 nodes need 16 numbers, found 4"):
        tsptw.parse("3\n0 1 2\n")


def test_parse_rejects_a_window_closing_before_it_opens():
    with pytest.raises(tsptw.InstanceError, match="closes before it opens"):
        tsptw.parse(SMALL.replace("0 10\n", "10 0\n"))


def test_write_gives_back_the_same_instance():
    instance = tsptw.parse(SMALL)

    assert tsptw.parse(tsptw.write(instance)) == instance


# --- The independent check ---------------------------------------------------------------


def test_check_accepts_a_valid_tour_with_its_cost():
    instance = tsptw.parse(SMALL)

    check = check_tour(instance.travel, instance.windows, [0, 1, 3, 2, 0])

    assert check.is_valid
    assert check.cost == 2 + 4 + 3 + 9


def test_check_names_the_node_reached_late():
    instance = tsptw.parse(SMALL)

    # Node 1 closes at 10: reached after 9 + 3 + 4 = 16.
    check = check_tour(instance.travel, instance.windows, [0, 2, 3, 1, 0])

    assert not check.is_valid
    assert check.late == [1]
    assert check.cost == 18


def test_check_waits_at_an_early_arrival_and_counts_the_wait():
    # Node 1 opens at 50: the tour waits there, and node 2 (closing at 52) is then late.
    travel = [[0, 1, 1], [1, 0, 5], [1, 5, 0]]
    windows = [(0, 100), (50, 60), (0, 52)]

    assert check_tour(travel, windows, [0, 1, 2, 0]).late == [2]
    assert check_tour(travel, windows, [0, 2, 1, 0]).is_valid


def test_check_names_missing_and_repeated_nodes():
    instance = tsptw.parse(SMALL)

    check = check_tour(instance.travel, instance.windows, [0, 1, 1, 2, 0])

    assert check.missing == [3]
    assert check.repeated == [1]
    assert not check.is_valid


def test_check_refuses_a_tour_not_from_and_to_the_depot():
    instance = tsptw.parse(SMALL)

    assert check_tour(instance.travel, instance.windows, [1, 2, 3, 0]).malformed
    assert check_tour(instance.travel, instance.windows, [0, 1, 2, 7, 0]).malformed


def test_check_counts_the_depot_closing_at_the_end():
    travel = [[0, 3], [3, 0]]

    assert check_tour(travel, [(0, 5), (0, 10)], [0, 1, 0]).late == [0]


# --- The solver ----------------------------------------------------------------------------


def test_solve_small_instance_visits_every_node_in_its_window():
    result = tsptw.solve(tsptw.parse(SMALL), time_limit=0.3)

    assert result.is_feasible
    assert result.tour == [0, 1, 3, 2, 0] or result.tour == [0, 1, 2, 3, 0]
    assert result.cost == 18
    assert result.first_valid_after is not None
    assert 0 <= result.first_valid_after <= result.seconds


def test_solve_says_when_no_tour_meets_every_window():
    result = tsptw.solve(tsptw.parse(IMPOSSIBLE), time_limit=0.3)

    assert not result.is_feasible
    assert result.tour == []
    assert result.first_valid_after is None
    assert result.notes == ["no tour meets every window after 0.3 s"]


@pytest.mark.parametrize(("name", "best"), [("rc_201.1.txt", 444.54), ("rc_206.1.txt", 117.85)])
def test_solve_bundled_instance_reaches_best_known(name, best):
    instance = tsptw.read(DATA / name)

    result = tsptw.solve(instance, time_limit=1)

    assert result.is_feasible
    assert sorted(result.tour[1:-1]) == list(range(1, instance.n))
    assert round(result.cost, 2) == best


def test_solve_reports_each_better_valid_tour():
    seen = []

    result = tsptw.solve(
        tsptw.read(DATA / "rc_201.1.txt"),
        time_limit=0.5,
        on_best=lambda seconds, tour: seen.append((seconds, tour)),
        hint=[14, 18, 13, 9, 5, 4, 6, 8, 7, 16, 19, 11, 17, 1, 10, 3, 12, 2, 15],
    )

    # Started from the best-known tour: valid at once, nothing better to report.
    assert result.is_feasible
    assert round(result.cost, 2) == 444.54
    assert result.first_valid_after < 0.5
    assert all(check_tour(*_matrices(DATA / "rc_201.1.txt"), tour).is_valid for _, tour in seen)


def _matrices(path):
    instance = tsptw.read(path)
    return instance.travel, instance.windows


def test_solve_stops_when_asked():
    result = tsptw.solve(tsptw.read(DATA / "rc_201.1.txt"), time_limit=30, should_stop=lambda: True)

    assert result.seconds < 5


def test_ortools_hard_windows_baseline_is_checked_the_same_way():
    result = ortools_routing.solve_routing(
        tsptw.read(DATA / "rc_206.1.txt"), time_limit=0.2, hard_windows=True
    )

    assert result.is_feasible
    assert round(result.cost, 2) == 117.85
    impossible = ortools_routing.solve_routing(
        tsptw.parse(IMPOSSIBLE), time_limit=0.2, hard_windows=True
    )
    assert not impossible.is_feasible


# --- The command ---------------------------------------------------------------------------


def test_cli_tsptw_prints_cost_and_tour_last(app):
    result = app.test_cli_runner().invoke(
        args=["planner", "tsptw", str(DATA / "rc_206.1.txt"), "--time-limit", "0.3"]
    )

    assert result.exit_code == 0, result.output
    last = result.output.strip().splitlines()[-1]
    cost, tour = last.split(" ", 1)
    assert cost == "cost=117.85"
    nodes = [int(node) for node in tour.removeprefix("tour=").split()]
    assert nodes[0] == nodes[-1] == 0
    assert sorted(nodes[1:-1]) == [1, 2, 3]
    assert check_tour(*_matrices(DATA / "rc_206.1.txt"), nodes).is_valid


def test_cli_tsptw_exits_non_zero_without_a_tour_when_none_is_valid(app, tmp_path):
    path = tmp_path / "impossible.txt"
    path.write_text(IMPOSSIBLE)

    result = app.test_cli_runner().invoke(
        args=["planner", "tsptw", str(path), "--time-limit", "0.3"]
    )

    assert result.exit_code == NO_VALID_TOUR == 3
    assert "no tour visiting every node within its window was found in 0.3 s" in result.output
    assert "cost=" not in result.output


def test_cli_tsptw_refuses_a_file_that_is_not_an_instance(app, tmp_path):
    path = tmp_path / "bad.txt"
    path.write_text("3\n0 1\n")

    result = app.test_cli_runner().invoke(args=["planner", "tsptw", str(path)])

    assert result.exit_code == 1
    assert "3 nodes need" in result.output


def test_solve_late_ok_returns_the_best_late_tour_with_its_check():
    result = tsptw.solve(tsptw.parse(IMPOSSIBLE), time_limit=0.3, late_ok=True)

    assert sorted(result.tour) == [0, 0, 1, 2]
    assert not result.is_feasible
    assert result.check.late == [1]
