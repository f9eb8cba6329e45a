"""The small-cell rule, in one place: which counts may be shown without letting a small
group's size be worked out, and which rows of an anonymised export may be released.

Pure functions, no database. Primary suppression hides every count from 1 to
threshold − 1; secondary (complementary) suppression then hides, in every line (row or
column) whose total is shown and that has exactly one hidden cell, its next smallest cell
too, until no such line is left: a total minus the cells shown then never gives a hidden
cell. When a line has no other cell to hide, its total is hidden instead.
"""

from collections import Counter
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field

#: What an export shows in place of a generalised attribute.
GENERALISED = "*"


@dataclass
class Suppression:
    """The cells (row, column) hidden, and the row and column totals hidden."""

    cells: set[tuple[int, int]] = field(default_factory=set)
    row_totals: set[int] = field(default_factory=set)
    column_totals: set[int] = field(default_factory=set)
    #: The cells hidden because they are small, as opposed to hidden to protect them.
    primary: set[tuple[int, int]] = field(default_factory=set)


def suppress(
    table: Sequence[Sequence[int]],
    threshold: int,
    *,
    row_totals: bool = True,
    column_totals: bool = True,
) -> Suppression:
    """Hide the small cells of a table of counts, then enough others that no hidden cell
    can be deduced by subtraction from a shown row or column total."""
    height = len(table)
    width = max((len(row) for row in table), default=0)
    result = Suppression()
    for r, row in enumerate(table):
        for c, value in enumerate(row):
            if 0 < value < threshold:
                result.cells.add((r, c))
    result.primary = set(result.cells)
    lines = []
    if row_totals and width > 0:
        lines += [("row", r, [(r, c) for c in range(len(table[r]))]) for r in range(height)]
    if column_totals:
        lines += [
            ("column", c, [(r, c) for r in range(height) if c < len(table[r])])
            for c in range(width)
        ]
    changed = True
    while changed:
        changed = False
        for kind, index, cells in lines:
            hidden_totals = result.row_totals if kind == "row" else result.column_totals
            if index in hidden_totals:
                continue
            hidden = [cell for cell in cells if cell in result.cells]
            if len(hidden) != 1:
                continue
            others = [cell for cell in cells if cell not in result.cells]
            if not others:
                hidden_totals.add(index)
            else:
                # The next smallest cell; ties go to the first, so the result is stable.
                result.cells.add(min(others, key=lambda cell: (table[cell[0]][cell[1]], cell)))
            changed = True
    return result


def suppress_column(counts: Sequence[int], threshold: int) -> tuple[set[int], bool]:
    """For a list of group sizes shown with their total: the groups hidden, and whether the
    total must be hidden too."""
    result = suppress([[count] for count in counts], threshold, row_totals=False)
    return {r for r, _c in result.cells}, 0 in result.column_totals


def k_anonymise(
    records: Sequence[tuple[Hashable, ...]], threshold: int, keep: int
) -> list[tuple | None]:
    """Generalise each record's attributes, last first, until its combination is shared by
    at least `threshold` released records; the first `keep` attributes are never
    generalised, and a record still alone then is left out (None)."""
    width = len(records[0]) if records else 0
    released: list[tuple | None] = list(records)
    pending = set(range(len(records)))
    for level in range(width - keep + 1):
        shown = [_generalised(records[i], width - level) for i in range(len(records))]
        sizes = Counter(shown[i] for i in pending)
        small = {i for i in pending if sizes[shown[i]] < threshold}
        for i in pending - small:
            released[i] = shown[i]
        pending = small
        if not pending:
            break
    for i in pending:
        released[i] = None
    return released


def _generalised(record: tuple, visible: int) -> tuple:
    return tuple(record[:visible]) + (GENERALISED,) * (len(record) - visible)
