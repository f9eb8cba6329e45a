"""The routing core on plain TSPTW instances, and `flask planner tsptw`."""

from pathlib import Path

import pytest

from coordination.planner import tsptw

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


def test_parse_reads_matrix_and_windows():
    instance = tsptw.parse(SMALL)

    assert instance.n == 4
    assert instance.travel[0] == [0, 2, 9, 10]
    assert instance.windows[1] == (0, 10)


def test_parse_rejects_short_text():
    with pytest.raises(tsptw.InstanceError):
        tsptw.parse("3\n0 1 2\n")


def test_evaluate_counts_late_nodes():
    instance = tsptw.parse(SMALL)

    # Node 1 closes at 10: reached after 9 + 3 + 4 = 16.
    assert tsptw.evaluate(instance, [0, 2, 3, 1, 0]) == (18, 1)
    assert tsptw.evaluate(instance, [0, 1, 3, 2, 0]) == (18, 0)


def test_solve_small_instance_visits_every_node_in_its_window():
    result = tsptw.solve(tsptw.parse(SMALL), time_limit=1)

    assert result.is_feasible
    assert result.tour[0] == result.tour[-1] == 0
    assert sorted(result.tour[1:-1]) == [1, 2, 3]
    assert result.cost == 18


def test_solve_benchmark_instance_reaches_best_known():
    instance = tsptw.read(DATA / "rc_201.1.txt")

    result = tsptw.solve(instance, time_limit=3)

    assert result.is_feasible
    assert sorted(result.tour[1:-1]) == list(range(1, 20))
    assert round(result.cost, 2) == 444.54


def test_cli_tsptw_prints_cost_and_tour_last(app):
    result = app.test_cli_runner().invoke(
        args=["planner", "tsptw", str(DATA / "rc_206.1.txt"), "--time-limit", "1"]
    )

    assert result.exit_code == 0, result.output
    last = result.output.strip().splitlines()[-1]
    cost, tour = last.split(" ", 1)
    assert cost == "cost=117.85"
    nodes = [int(node) for node in tour.removeprefix("tour=").split()]
    assert nodes[0] == nodes[-1] == 0
    assert sorted(nodes[1:-1]) == [1, 2, 3]
    instance = tsptw.read(DATA / "rc_206.1.txt")
    assert tsptw.evaluate(instance, nodes)[1] == 0


def test_cli_tsptw_refuses_a_file_that_is_not_an_instance(app, tmp_path):
    path = tmp_path / "bad.txt"
    path.write_text("3\n0 1\n")

    result = app.test_cli_runner().invoke(args=["planner", "tsptw", str(path)])

    assert result.exit_code != 0
    assert "3 nodes need" in result.output
