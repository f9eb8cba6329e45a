"""Lists staff use every day: filters, sort and page read from the query string, one page
at a time, and the ids a bulk action posts.

Every list declares what it accepts (a `ListSpec`): a value outside it is ignored, never
an error, so a shared or hand-edited address always shows a page. The state lives in the
URL only, so a filtered list can be bookmarked and shared.
"""

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from math import ceil
from urllib.parse import parse_qsl, urlencode

from flask import request
from sqlalchemy import Select, func, select

from coordination.core.text import MAX_SEARCH_LENGTH, parse_id
from coordination.extensions import db

#: Rows on one page of every list.
PAGE_SIZE = 50
#: No list goes further (an offset past it would only make the database count for nothing).
MAX_PAGE = 10_000
#: A bulk action acts on at most this many rows at once.
MAX_SELECTED = 500

Parser = Callable[[str], object | None]


def choice(*allowed: str) -> Parser:
    """A parser accepting one of `allowed` (anything else is ignored)."""
    values = frozenset(allowed)
    return lambda raw: raw if raw in values else None


def identifier(raw: str) -> int | None:
    """A row id, or None."""
    return parse_id(raw)


def number(low: float, high: float) -> Parser:
    """A parser accepting a decimal number in [low, high] ("2,5" as well as "2.5")."""

    def parse(raw: str) -> float | None:
        text = raw.strip().replace(",", ".")
        if not text or len(text) > 12 or not text.isascii():
            return None
        try:
            value = Decimal(text)
        except InvalidOperation:
            return None
        if not value.is_finite() or not low <= value <= high:
            return None
        return float(value)

    return parse


def day(raw: str) -> date | None:
    """A day typed as YYYY-MM-DD (the date input's format), between 2000 and 2100."""
    if len(raw) != 10 or not raw.isascii():
        return None
    try:
        value = date.fromisoformat(raw)
    except ValueError:
        return None
    return value if 2000 <= value.year <= 2100 else None


def search_text(raw: str) -> str | None:
    """Typed search text, cut like every search, or None when blank."""
    text = " ".join(raw.split())[:MAX_SEARCH_LENGTH]
    return text or None


@dataclass(frozen=True)
class ListSpec:
    """What one list accepts in its address."""

    #: Sortable column keys; "-key" in the address sorts that column the other way.
    sorts: Sequence[str]
    #: The sort when the address gives none (may start with "-").
    default_sort: str
    #: Filter name -> parser (returns the value, or None to ignore what was typed).
    filters: Mapping[str, Parser] = field(default_factory=dict)
    page_size: int = PAGE_SIZE


@dataclass
class ListState:
    """A list's filters, sort and page as read from one request."""

    spec: ListSpec
    #: Only the filters that parsed, by name.
    filters: dict[str, object]
    #: What the address held for each accepted filter, to put back in the filter form.
    raw: dict[str, str]
    sort: str
    descending: bool
    page: int

    def args(self, **changes) -> dict[str, str]:
        """The query arguments of this state with `changes` (None removes one)."""
        args = dict(self.raw)
        sort = ("-" if self.descending else "") + self.sort
        if sort != self.spec.default_sort:
            args["sort"] = sort
        if self.page > 1:
            args["page"] = str(self.page)
        for name, value in changes.items():
            if value is None or value == "":
                args.pop(name, None)
            else:
                args[name] = str(value)
        if args.get("sort") == self.spec.default_sort:
            args.pop("sort")
        return args

    def url(self, **changes) -> str:
        """This list's address with `changes` applied."""
        args = self.args(**changes)
        return request.path + ("?" + urlencode(args) if args else "")

    @property
    def query_string(self) -> str:
        """The current filters, sort and page as a query string (bulk forms post it back)."""
        return urlencode(self.args())

    def sort_url(self, key: str) -> str:
        """The address sorting by `key`: ascending first, the other way when already so."""
        descending = not self.descending if key == self.sort else False
        return self.url(sort=("-" if descending else "") + key, page=None)

    def aria_sort(self, key: str) -> str:
        """The column's aria-sort value."""
        if key != self.sort:
            return "none"
        return "descending" if self.descending else "ascending"

    @property
    def is_filtered(self) -> bool:
        return bool(self.filters)


def read_state(spec: ListSpec, args: Mapping[str, str]) -> ListState:
    """The state a query string asks for, keeping only what `spec` accepts."""
    filters: dict[str, object] = {}
    raw: dict[str, str] = {}
    for name, parse in spec.filters.items():
        text = (args.get(name) or "")[:200]
        value = parse(text) if text else None
        if value is not None:
            filters[name] = value
            raw[name] = text
    sort = args.get("sort") or spec.default_sort
    key = sort.removeprefix("-")
    if key not in spec.sorts:
        sort = spec.default_sort
        key = sort.removeprefix("-")
    page = parse_id(args.get("page")) or 1
    return ListState(
        spec, filters, raw, key, descending=sort.startswith("-"), page=min(page, MAX_PAGE)
    )


def back_state(spec: ListSpec, query_string: str) -> ListState:
    """The state a bulk form posted back (its `back` field), parsed like an address."""
    pairs = parse_qsl(query_string[:2000], keep_blank_values=False)
    return read_state(spec, dict(pairs))


@dataclass(frozen=True)
class Page:
    """One page of a list."""

    items: list
    total: int
    number: int
    size: int

    @property
    def pages(self) -> int:
        return max(1, ceil(self.total / self.size))

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages


def paginate(query: Select, state: ListState, scalars: bool = True) -> Page:
    """One page of `query` (already filtered and ordered): two queries whatever the total."""
    size = state.spec.page_size
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    number = min(state.page, max(1, ceil((total or 0) / size)))
    paged = query.limit(size).offset((number - 1) * size)
    result = db.session.scalars(paged) if scalars else db.session.execute(paged)
    return Page(list(result.unique()), total or 0, number, size)


def paginate_list(items: Sequence, state: ListState) -> Page:
    """One page of a list already filtered and sorted in Python."""
    size = state.spec.page_size
    number = min(state.page, max(1, ceil(len(items) / size)))
    start = (number - 1) * size
    return Page(list(items[start : start + size]), len(items), number, size)


def selected_ids(values: Iterable[str]) -> list[int]:
    """The row ids a bulk form posted (valid ones, each once, at most MAX_SELECTED)."""
    ids: list[int] = []
    for raw in values:
        value = parse_id(raw)
        if value is not None and value not in ids:
            ids.append(value)
        if len(ids) >= MAX_SELECTED:
            break
    return ids
