"""The small-cell rule cannot be undone by subtraction (property tests)."""

from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from coordination.core.disclosure import GENERALISED, k_anonymise, suppress, suppress_column

THRESHOLD = 5
tables = st.integers(1, 6).flatmap(
    lambda width: st.lists(
        st.lists(st.integers(0, 12), min_size=width, max_size=width), min_size=1, max_size=7
    )
)


@settings(max_examples=300, deadline=None)
@given(tables)
def test_no_hidden_cell_can_be_worked_out_from_a_shown_total(table):
    result = suppress(table, THRESHOLD)
    height, width = len(table), len(table[0])
    for r in range(height):
        for c in range(width):
            if 0 < table[r][c] < THRESHOLD:
                assert (r, c) in result.cells  # every small cell is hidden
    for r in range(height):
        if r not in result.row_totals:
            assert sum((r, c) in result.cells for c in range(width)) != 1
    for c in range(width):
        if c not in result.column_totals:
            assert sum((r, c) in result.cells for r in range(height)) != 1
    # What is shown is shown as it is: only hidden cells differ from the table.
    assert result.primary <= result.cells
    assert all(0 <= r < height and 0 <= c < width for r, c in result.cells)


def test_a_single_small_group_takes_the_next_smallest_with_it():
    hidden, total_hidden = suppress_column([12, 3, 7, 9], THRESHOLD)
    assert hidden == {1, 2} and not total_hidden
    assert suppress_column([12, 3, 2], THRESHOLD) == ({1, 2}, False)
    assert suppress_column([3], THRESHOLD) == ({0}, True)
    assert suppress_column([8, 9], THRESHOLD) == (set(), False)


records = st.lists(
    st.tuples(
        st.sampled_from(["e1", "e2"]),
        st.sampled_from(["t1", "t2", "t3"]),
        st.sampled_from(["s", "m", "l"]),
        st.sampled_from(["C", "F", "J"]),
    ),
    max_size=60,
)


@settings(max_examples=200, deadline=None)
@given(records)
def test_every_released_combination_is_shared_by_enough_rows(rows):
    released = k_anonymise(rows, THRESHOLD, keep=1)
    counts = Counter(r for r in released if r is not None)
    assert all(count >= THRESHOLD for count in counts.values())
    for original, shown in zip(rows, released, strict=True):
        if shown is not None:
            # Only generalised: every value shown is the true one, the rest is "*".
            assert all(s in (o, GENERALISED) for o, s in zip(original, shown, strict=True))
            assert shown[0] == original[0]
