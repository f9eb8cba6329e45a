"""Shapes the dashboard's aggregate rows into a map, a timeline and figures (no queries
here beyond those of `queries`; every function below runs a fixed number of them)."""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from flask import url_for
from flask_babel import format_date
from flask_babel import lazy_gettext as _l

from coordination.campaigns.models import ApplicationStatus, Decision, Edition
from coordination.clubs.models import PARTNER_KIND_LABELS
from coordination.core.clock import to_local
from coordination.dashboard import queries
from coordination.dashboard.geo import BaseMap, base_map, departement_names
from coordination.notifications.models import MessageStatus
from coordination.stops.models import STATUS_LABELS, StopStatus
from coordination.stops.warnings import rules_for

#: An application's place in the call, from most to least advanced: a département
#: touched by several applications is shaded by the first that applies.
APPLICATION_CATEGORIES = {
    "accepted": _l("Accepted"),
    "waitlisted": _l("Waitlisted"),
    "submitted": _l("Submitted, not decided"),
    "rejected": _l("Rejected"),
    "draft": _l("Draft"),
    "withdrawn": _l("Withdrawn"),
}
#: Chart colours, the same hues as the map's markers and shading (static/css/dashboard.css).
CATEGORY_COLOURS = {
    "accepted": "#1d7a46",
    "waitlisted": "#c08a00",
    "submitted": "#1f4e8c",
    "rejected": "#b42318",
    "draft": "#8e7cc3",
    "withdrawn": "#8a96a5",
}
STOP_COLOURS = {
    StopStatus.TENTATIVE: "#9a6700",
    StopStatus.CONFIRMED: "#1d7a46",
    StopStatus.HELD: "#1f4e8c",
    StopStatus.CANCELLED: "#b42318",
}
STOP_STATUSES = (StopStatus.TENTATIVE, StopStatus.CONFIRMED, StopStatus.HELD, StopStatus.CANCELLED)
#: Weeks of email shown, this one included.
EMAIL_WEEKS = 12


def application_category(status: str, decision: str | None) -> str:
    """Where an application stands: its decision once submitted, else its status."""
    if status == ApplicationStatus.WITHDRAWN:
        return "withdrawn"
    if status == ApplicationStatus.DRAFT:
        return "draft"
    if decision in (Decision.ACCEPTED, Decision.WAITLISTED, Decision.REJECTED):
        return str(decision)
    return "submitted"


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


# --- Map --------------------------------------------------------------------------------


@dataclass
class Marker:
    stop_id: int
    x: float
    y: float
    status: str
    label: str
    url: str


@dataclass
class ShadedDepartement:
    category: str
    #: (application id, territory name, category), the applications touching it.
    applications: list[tuple[int, str, str]] = field(default_factory=list)


@dataclass
class MapView:
    base: BaseMap
    markers: list[Marker]
    #: Stops the map cannot place (overseas or without coordinates), listed beside it.
    unplaced: list
    shaded: dict[str, ShadedDepartement]
    stop_statuses: dict
    categories: dict
    #: Every application category's label (an application's own, not its département's).
    category_labels: dict = field(default_factory=lambda: dict(APPLICATION_CATEGORIES))
    departement_names: dict = field(default_factory=departement_names)
    #: Applications the map cannot shade (no territory yet, or a territory without EPCIs).
    unmapped_applications: list = field(default_factory=list)


def _stop_label(row) -> str:
    when = format_date(to_local(row.starts_at).date(), "d MMM y")
    place = row.city or row.territory_name or ""
    status = STATUS_LABELS.get(row.status, row.status)
    return " · ".join(part for part in (when, row.title, place, str(status)) if part)


def build_map(stop_rows: list, applications: list | None = None, departements=()) -> MapView:
    """Markers for the stops; départements shaded by the applications touching them."""
    base = base_map()
    markers, unplaced = [], []
    for row in stop_rows:
        point = base.project(row.latitude, row.longitude)
        if point is None:
            unplaced.append(row)
            continue
        url = url_for("stops.stop_page", stop_id=row.id)
        markers.append(Marker(row.id, point[0], point[1], row.status, _stop_label(row), url))
    shaded: dict[str, ShadedDepartement] = {}
    if applications:
        order = list(APPLICATION_CATEGORIES)
        by_id = {row.id: row for row in applications}
        for application_id, code in sorted(departements):
            row = by_id.get(application_id)
            if row is None:
                continue
            category = application_category(row.status, row.decision)
            entry = shaded.setdefault(code, ShadedDepartement(category))
            entry.applications.append((row.id, row.territory_name or "", category))
            if order.index(category) < order.index(entry.category):
                entry.category = category
    mapped = {application_id for application_id, _code in departements}
    unmapped = [row for row in applications or [] if row.id not in mapped]
    used = {m.status for m in markers} | {r.status for r in unplaced}
    return MapView(
        base=base,
        markers=markers,
        unplaced=unplaced,
        shaded=shaded,
        stop_statuses={s: STATUS_LABELS[s] for s in STOP_STATUSES if s in used},
        categories={
            key: label
            for key, label in APPLICATION_CATEGORIES.items()
            if any(d.category == key for d in shaded.values())
        },
        unmapped_applications=unmapped,
    )


# --- Timeline ---------------------------------------------------------------------------


@dataclass
class Week:
    monday: date
    stops: list
    is_crowded: bool

    @property
    def sunday(self) -> date:
        return self.monday + timedelta(days=6)

    @property
    def is_gap(self) -> bool:
        return not self.stops


@dataclass
class Timeline:
    weeks: list[Week]
    max_per_week: int

    @property
    def item_count(self) -> int:
        return sum(len(week.stops) for week in self.weeks)


def build_timeline(edition: Edition, stop_rows: list, max_per_week: int) -> Timeline:
    """Every week of the edition (stretched to its stops), empty ones included."""
    days = [to_local(row.starts_at).date() for row in stop_rows]
    first = monday_of(min([edition.starts_on, *days]))
    last = max([edition.ends_on, *days])
    by_week: dict[date, list] = defaultdict(list)
    for row, day in zip(stop_rows, days, strict=True):
        by_week[monday_of(day)].append(row)
    weeks = []
    monday = first
    while monday <= last:
        stops = by_week.get(monday, [])
        weeks.append(Week(monday, stops, len(stops) > max_per_week))
        monday += timedelta(days=7)
    return Timeline(weeks, max_per_week)


# --- Figures ----------------------------------------------------------------------------


@dataclass
class Row:
    label: str
    values: list[int]
    #: What the CSV file says in the first column (ISO dates rather than "3 mars 2026").
    key: str = ""


@dataclass
class Figure:
    key: str
    title: str
    row_header: str
    columns: list[str]
    rows: list[Row]
    #: "stacked" (bars, one per row, columns stacked), "bar" (one column), "line".
    chart: str = "stacked"
    #: One chart colour per column; empty: the script's palette.
    colours: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(sum(row.values) for row in self.rows)


def _week_label(monday: date) -> str:
    return format_date(monday, "d MMM y")


def applications_by_region(applications: list) -> Figure:
    categories = list(APPLICATION_CATEGORIES)
    counts: dict[str, Counter] = defaultdict(Counter)
    for row in applications:
        region = row.region_name or str(_l("No territory chosen yet"))
        counts[region][application_category(row.status, row.decision)] += 1
    rows = [
        Row(region, [counts[region][c] for c in categories], region) for region in sorted(counts)
    ]
    return Figure(
        "applications-by-region",
        str(_l("Applications by région and status")),
        str(_l("Région")),
        [str(APPLICATION_CATEGORIES[c]) for c in categories],
        rows,
        colours=[CATEGORY_COLOURS[c] for c in categories],
    )


def applications_over_time(applications: list) -> Figure:
    """Applications submitted by the end of each week (cumulative), by where they stand."""
    categories = [c for c in APPLICATION_CATEGORIES if c != "draft"]
    weekly: dict[date, Counter] = defaultdict(Counter)
    for row in applications:
        if row.submitted_at is not None:
            week = monday_of(to_local(row.submitted_at).date())
            weekly[week][application_category(row.status, row.decision)] += 1
    rows = []
    if weekly:
        running: Counter = Counter()
        monday, last = min(weekly), max(weekly)
        while monday <= last:
            running.update(weekly.get(monday, Counter()))
            rows.append(
                Row(_week_label(monday), [running[c] for c in categories], monday.isoformat())
            )
            monday += timedelta(days=7)
    return Figure(
        "applications-over-time",
        str(_l("Applications submitted so far, week by week")),
        str(_l("Week of")),
        [str(APPLICATION_CATEGORIES[c]) for c in categories],
        rows,
        colours=[CATEGORY_COLOURS[c] for c in categories],
    )


def stops_per_month(stop_rows: list) -> Figure:
    counts: dict[date, Counter] = defaultdict(Counter)
    for row in stop_rows:
        local = to_local(row.starts_at).date()
        counts[local.replace(day=1)][row.status] += 1
    rows = [
        Row(
            format_date(month, "MMMM y"),
            [counts[month][s] for s in STOP_STATUSES],
            month.isoformat()[:7],
        )
        for month in sorted(counts)
    ]
    return Figure(
        "stops-per-month",
        str(_l("Stops per month")),
        str(_l("Month")),
        [str(STATUS_LABELS[s]) for s in STOP_STATUSES],
        rows,
        colours=[STOP_COLOURS[s] for s in STOP_STATUSES],
    )


def partners_by_kind(rows: list[tuple[str, int]]) -> Figure:
    return Figure(
        "partners-by-kind",
        str(_l("Partner organisations by kind")),
        str(_l("Kind")),
        [str(_l("Organisations"))],
        [Row(str(PARTNER_KIND_LABELS.get(kind, kind)), [count], kind) for kind, count in rows],
        chart="bar",
    )


def partners_by_club(rows: list[tuple[int, str, str, int]]) -> Figure:
    kinds = sorted({kind for _id, _name, kind, _n in rows if kind is not None})
    clubs: dict[int, tuple[str, Counter]] = {}
    for club_id, name, kind, count in rows:
        entry = clubs.setdefault(club_id, (name, Counter()))
        if kind is not None:
            entry[1][kind] += count
    return Figure(
        "partners-by-club",
        str(_l("Member organisations by club and kind")),
        str(_l("Club")),
        [str(PARTNER_KIND_LABELS.get(kind, kind)) for kind in kinds],
        [Row(name, [counter[k] for k in kinds], name) for name, counter in clubs.values()],
    )


def email_per_week(rows: list[tuple[date, str, int]], now: datetime) -> Figure:
    """Messages queued each week of the last EMAIL_WEEKS, by what became of them."""
    this_monday = monday_of(to_local(now).date())
    first = this_monday - timedelta(weeks=EMAIL_WEEKS - 1)
    weekly: dict[date, Counter] = defaultdict(Counter)
    for day, status, count in rows:
        if status in (MessageStatus.PENDING, MessageStatus.SENDING):
            status = "waiting"
        weekly[monday_of(day)][status] += count
    columns = (MessageStatus.SENT, MessageStatus.FAILED, "waiting")
    table = []
    for i in range(EMAIL_WEEKS):
        monday = first + timedelta(weeks=i)
        table.append(
            Row(_week_label(monday), [weekly[monday][c] for c in columns], monday.isoformat())
        )
    return Figure(
        "email-per-week",
        str(_l("Email delivery per week (by week queued)")),
        str(_l("Week of")),
        [str(_l("Sent")), str(_l("Failed")), str(_l("Waiting"))],
        table,
        colours=["#1d7a46", "#b42318", "#c08a00"],
    )


# --- Pages ------------------------------------------------------------------------------


def public_glance(edition: Edition) -> dict:
    """The public map and timeline of an edition's confirmed (and held) stops: 2 queries."""
    stop_rows = queries.edition_stop_rows(edition.id, queries.PUBLIC_STATUSES)
    rules = rules_for(edition.id)
    return {
        "map": build_map(stop_rows),
        "timeline": build_timeline(edition, stop_rows, rules.max_stops_per_week),
    }


def staff_dashboard(edition: Edition | None, now: datetime) -> dict:
    """Everything on the staff dashboard: a fixed handful of aggregate queries."""
    figures: list[Figure] = []
    view: dict = {"map": None, "timeline": None}
    if edition is not None:
        stop_rows = queries.edition_stop_rows(edition.id)
        applications = queries.application_rows(edition.id)
        departements = queries.application_departements(edition.id)
        rules = rules_for(edition.id)
        view["map"] = build_map(stop_rows, applications, departements)
        view["timeline"] = build_timeline(edition, stop_rows, rules.max_stops_per_week)
        figures += [
            applications_by_region(applications),
            applications_over_time(applications),
            stops_per_month(stop_rows),
        ]
    figures += [
        partners_by_kind(queries.partners_by_kind()),
        partners_by_club(queries.members_by_club_and_kind()),
    ]
    since = datetime.combine(
        monday_of(to_local(now).date()) - timedelta(weeks=EMAIL_WEEKS - 1),
        datetime.min.time(),
        tzinfo=to_local(now).tzinfo,
    )
    figures.append(email_per_week(queries.outbox_by_day(since), now))
    view["figures"] = figures
    return view
