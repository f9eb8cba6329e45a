"""Figures of an open programme for staff: events, organisers, cities, registrations and
attendance against capacity (the week's own measure, "25 % more visitors than expected"),
with tables by day, city, format and organiser (counts only: no personal data)."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from flask_babel import format_decimal, format_percent
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import case, func, select

from coordination.campaigns.models import Edition
from coordination.core.formatting import local_date
from coordination.extensions import db
from coordination.participants.models import Registration
from coordination.programmes.public_queries import programme_rows
from coordination.stops.models import StopStatus

#: The tables of the page and their CSV exports: address name -> (title, first column).
TABLES = {
    "jours": (_l("By day"), _l("Day")),
    "villes": (_l("By city"), _l("City")),
    "formats": (_l("By format"), _l("Format")),
    "organisateurs": (_l("By organiser"), _l("Organiser")),
}


@dataclass
class EventFigure:
    """One event's counts."""

    stop_id: int
    title: str
    day: date
    city: str
    format_label: str
    organisers: list[str]
    #: None: no limit (or no registration).
    capacity: int | None
    needs_registration: bool
    registrations: int = 0
    attended: int = 0


@dataclass
class Line:
    """A group of events (a day, a city…) or the whole programme, summed."""

    label: str
    events: int = 0
    #: Places of the events that have a capacity.
    capacity: int = 0
    registrations: int = 0
    attended: int = 0
    #: Attendance of the events that have a capacity (what the capacity is measured by).
    attended_with_capacity: int = 0

    def add(self, event: EventFigure) -> None:
        self.events += 1
        self.registrations += event.registrations
        self.attended += event.attended
        if event.capacity:
            self.capacity += event.capacity
            self.attended_with_capacity += event.attended

    @property
    def attendance_rate(self) -> float | None:
        """Attendance against capacity (1.25: a quarter more visitors than places)."""
        return self.attended_with_capacity / self.capacity if self.capacity else None

    @property
    def show_up_rate(self) -> float | None:
        """Attendance against registrations."""
        return self.attended / self.registrations if self.registrations else None

    @property
    def fill_rate(self) -> float | None:
        """Registrations against capacity."""
        return self.registrations / self.capacity if self.capacity else None


@dataclass
class ProgrammeFigures:
    edition: Edition
    events: list[EventFigure]
    total: Line
    organisers: int
    cities: int
    without_registration: int
    tables: dict[str, list[Line]] = field(default_factory=dict)


def _counts(stop_ids: list[int]) -> dict[int, tuple[int, int]]:
    """Active registrations and people checked in, by stop (one query)."""
    if not stop_ids:
        return {}
    rows = db.session.execute(
        select(
            Registration.stop_id,
            func.count(Registration.id),
            func.sum(case((Registration.checked_in_at.is_not(None), 1), else_=0)),
        )
        .where(Registration.stop_id.in_(stop_ids), Registration.cancelled_at.is_(None))
        .group_by(Registration.stop_id)
    ).all()
    return {stop_id: (count, int(present or 0)) for stop_id, count, present in rows}


def _grouped(
    events: list[EventFigure], keys: Callable[[EventFigure], list], label=str
) -> list[Line]:
    lines: dict[object, Line] = {}
    for event in events:
        for key in keys(event):
            lines.setdefault(key, Line(label(key))).add(event)
    return [lines[key] for key in sorted(lines)]


def programme_figures(edition: Edition) -> ProgrammeFigures:
    """The edition's figures: its published events that were not cancelled (3 queries)."""
    rows = [r for r in programme_rows(edition) if r.stop.status != StopStatus.CANCELLED]
    counts = _counts([r.stop.id for r in rows])
    events = []
    for row in rows:
        registrations, attended = counts.get(row.stop.id, (0, 0))
        capacity = row.workshop.capacity if row.workshop is not None else None
        events.append(
            EventFigure(
                stop_id=row.stop.id,
                title=row.event.title,
                day=row.day,
                city=row.stop.city,
                format_label=str(row.event.format_label),
                organisers=[o.name for o in row.event.organisers],
                capacity=capacity if capacity is not None else row.stop.capacity,
                needs_registration=row.needs_registration,
                registrations=registrations,
                attended=attended,
            )
        )
    total = Line(_("Whole programme"))
    for event in events:
        total.add(event)
    return ProgrammeFigures(
        edition=edition,
        events=events,
        total=total,
        organisers=len({name for event in events for name in event.organisers}),
        cities=len({event.city for event in events}),
        without_registration=sum(1 for event in events if not event.needs_registration),
        tables={
            "jours": _grouped(events, lambda e: [e.day], lambda d: local_date(d, "full")),
            "villes": _grouped(events, lambda e: [e.city]),
            "formats": _grouped(events, lambda e: [e.format_label]),
            "organisateurs": _grouped(events, lambda e: e.organisers),
        },
    )


def number(value: int | None) -> str:
    """A count in the user's language (« 2 500 »)."""
    return "—" if value is None else format_decimal(value, format="#,##0")


def percent(ratio: float | None) -> str:
    """A ratio as a percentage in the user's language (« 125 % »); — when undefined."""
    return "—" if ratio is None else format_percent(ratio)


def difference(ratio: float | None) -> str:
    """How far a ratio is above or below 1 (« +25 % », « -10 % »)."""
    if ratio is None:
        return "—"
    text = format_percent(ratio - 1)
    return text if text.startswith("-") or ratio <= 1 else "+" + text


def _header(first: str) -> list[str]:
    return [
        first,
        _("Events"),
        _("Capacity"),
        _("Registrations"),
        _("Attendance"),
        _("Attendance against capacity"),
        _("Attendance against registrations"),
    ]


def _ratio_cell(ratio: float | None) -> str:
    # Spreadsheets get plain decimals ("1.25"), whatever the page's language.
    return "" if ratio is None else f"{ratio:.2f}"


def table_csv(figures: ProgrammeFigures, name: str) -> list[list]:
    """One table of the page (by day, city, format, organiser) as CSV rows."""
    _title, first = TABLES[name]
    lines = (
        [*figures.tables[name], figures.total]
        if name != "organisateurs"
        else [*figures.tables[name]]
    )
    return [
        _header(str(first)),
        *[
            [
                line.label,
                line.events,
                line.capacity,
                line.registrations,
                line.attended,
                _ratio_cell(line.attendance_rate),
                _ratio_cell(line.show_up_rate),
            ]
            for line in lines
        ],
    ]


def events_csv(figures: ProgrammeFigures) -> list[list]:
    """Every event's counts as CSV rows."""
    header = [
        _("Day"),
        _("Event"),
        _("City"),
        _("Format"),
        _("Organisers"),
        _("Capacity"),
        _("Registrations"),
        _("Attendance"),
    ]
    return [
        header,
        *[
            [
                e.day.isoformat(),
                e.title,
                e.city,
                e.format_label,
                " | ".join(e.organisers),
                "" if e.capacity is None else e.capacity,
                e.registrations if e.needs_registration else "",
                e.attended if e.needs_registration else "",
            ]
            for e in figures.events
        ],
    ]
