"""The observatory's map: départements shaded by the average need (1 to 5).

It reuses the dashboard's parsed map of France (coordination.dashboard.geo); the
dashboard's own map macro draws applications and stops, so the shading is drawn by
templates/participants/_needs_map.html. Départements with fewer than SMALL_CELL answers
are not shaded, like the observatory's table; when one alone is hidden, the next smallest
count is hidden too (core/disclosure.py), so the total gives nothing away.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l

from coordination.core.disclosure import suppress_column
from coordination.dashboard.geo import BaseMap, base_map, departement_names, region_outlines
from coordination.participants.queries import SMALL_CELL, AnswerRow, Cell, scale_themes

#: Shading steps: (lowest mean included, label); a mean falls in the last step it reaches.
LEVELS = (
    (1.0, _l("1 to 2: little need")),
    (2.0, _l("2 to 3")),
    (3.0, _l("3 to 4")),
    (4.0, _l("4 to 5: a strong need")),
)


def level_of(mean: float) -> int:
    """The shading step (1 to 4) of a mean need."""
    level = 1
    for index, (low, _label) in enumerate(LEVELS, start=1):
        if mean >= low:
            level = index
    return level


@dataclass
class DepartementNeed:
    code: str
    name: str
    cell: Cell
    #: Its count hidden although large enough, so the total cannot give away a small one.
    is_count_suppressed: bool = False

    @property
    def is_hidden(self) -> bool:
        return self.cell.is_hidden

    @property
    def level(self) -> int | None:
        if self.is_hidden or self.cell.mean is None:
            return None
        return level_of(self.cell.mean)


@dataclass
class NeedsMap:
    base: BaseMap
    #: The theme shown; "" for the average over every theme.
    theme: str
    by_code: dict[str, DepartementNeed] = field(default_factory=dict)
    small_cell: int = SMALL_CELL
    levels: tuple = LEVELS

    @property
    def outlines(self) -> dict[str, str]:
        return region_outlines()

    @property
    def rows(self) -> list[DepartementNeed]:
        """Every département with answers, by code (the text alternative to the map)."""
        return [self.by_code[code] for code in sorted(self.by_code)]

    @property
    def unplaced(self) -> list[DepartementNeed]:
        """Départements with answers but no shape on the map (overseas, unknown)."""
        drawn = {shape.code for shape in self.base.shapes}
        return [row for row in self.rows if row.code not in drawn]


def needs_by_departement(rows: list[AnswerRow], theme: str = "") -> dict[str, Cell]:
    """{département code: Cell} of the mean need; each respondent counts once.

    With a theme, a respondent's value is the mean of their answers on it; without one,
    the mean of all their scale answers. Respondents without a value are not counted.
    """
    themes = scale_themes(rows)
    values: dict[str, list[float]] = defaultdict(list)
    for row in rows:
        if not row.departement_code:
            continue
        answers = [
            value
            for question_id, value in row.answers.items()
            if question_id in themes
            and (not theme or themes[question_id] == theme)
            and isinstance(value, int)
            and not isinstance(value, bool)
        ]
        if answers:
            values[row.departement_code].append(sum(answers) / len(answers))
    return {
        code: Cell(count=len(scores), mean=round(sum(scores) / len(scores), 1))
        for code, scores in values.items()
    }


def needs_map(rows: list[AnswerRow], theme: str = "") -> NeedsMap:
    """The map of one theme's need (or all), its counts protected by the small-cell rule."""
    names = departement_names()
    cells = needs_by_departement(rows, theme)
    codes = sorted(cells)
    hidden, _total_hidden = suppress_column([cells[code].count for code in codes], SMALL_CELL)
    suppressed = {codes[i] for i in hidden if cells[codes[i]].count >= SMALL_CELL}
    return NeedsMap(
        base=base_map(),
        theme=theme,
        by_code={
            code: DepartementNeed(
                code=code,
                name=names.get(code, code),
                cell=cell,
                is_count_suppressed=code in suppressed,
            )
            for code, cell in cells.items()
        },
    )
