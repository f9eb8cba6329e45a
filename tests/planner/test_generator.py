"""The benchmark's generator of hard TSPTW instances (benchmarks/tsptw_generator.py)."""

import sys
from pathlib import Path

from coordination.planner import tsptw
from coordination.planner.tourcheck import check_tour

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))

from tsptw_generator import benchmark_sets, generate  # noqa: E402


def test_the_hidden_tour_is_valid_and_costs_what_it_says():
    item = generate(100, 20, seed=1)

    check = check_tour(item.instance.travel, item.instance.windows, item.tour)

    assert check.is_valid
    assert round(check.cost, 2) == item.cost
    assert sorted(item.tour[1:-1]) == list(range(1, 100))


def test_windows_have_the_class_width_around_the_hidden_arrivals():
    item = generate(150, 60, seed=2)

    widths = {round(late - early, 2) for early, late in item.instance.windows[1:]}
    assert widths == {60.0}
    assert item.instance.n == 150


def test_the_same_seed_gives_the_same_instance_and_another_seed_another():
    first = generate(100, 120, seed=3)

    assert generate(100, 120, seed=3) == first
    assert generate(100, 120, seed=4).instance != first.instance


def test_written_file_reads_back_the_same():
    item = generate(100, 20, seed=1)

    assert tsptw.parse(tsptw.write(item.instance)) == item.instance


def test_benchmark_sets_cover_every_size_and_width():
    sets = benchmark_sets(per_class=1)

    assert list(sets) == ["generated n=100", "generated n=150", "generated n=200"]
    assert [item.name for item in sets["generated n=200"]] == [
        "gen_n200_w20_1",
        "gen_n200_w60_1",
        "gen_n200_w120_1",
    ]


def test_the_core_finds_a_valid_tour_on_a_tight_generated_instance():
    item = generate(100, 20, seed=1)

    result = tsptw.solve(item.instance, time_limit=2)

    assert result.is_feasible
    assert result.cost <= item.cost + 1e-6
