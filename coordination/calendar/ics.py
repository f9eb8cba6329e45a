"""Pure iCalendar builders: one place produces every calendar object, for feeds and
invitations alike. Same input, same bytes: no "now", no random UID, no set ordering.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, vCalAddress, vDuration, vText

from coordination.calendar import ics_text

PRODID = "-//InnovENT-E//Coordination platform//FR"
REFRESH = timedelta(hours=6)
STATUSES = {"TENTATIVE", "CONFIRMED", "CANCELLED"}


@dataclass(frozen=True)
class Person:
    name: str
    email: str


@dataclass(frozen=True)
class CalendarEvent:
    """What a calendar needs to know of a stop or a meeting."""

    #: Stable across renders and changes: the same event is the same UID everywhere.
    uid: str
    #: Raised on every change that matters to a calendar.
    sequence: int
    starts_at: datetime
    ends_at: datetime
    summary: str
    #: The row's last change: DTSTAMP and LAST-MODIFIED (never "now").
    changed_at: datetime
    status: str = "CONFIRMED"
    description: str = ""
    location: str = ""
    url: str = ""
    geo: tuple[float, float] | None = None
    categories: tuple[str, ...] = field(default_factory=tuple)
    #: Why it was cancelled, for the cancellation email (not in the iCalendar data).
    cancel_reason: str = ""


def _person(person: Person, **params) -> vCalAddress:
    address = vCalAddress(f"mailto:{person.email}")
    if person.name:
        address.params["CN"] = vText(person.name)
    for key, value in params.items():
        address.params[key.replace("_", "-").upper()] = vText(value)
    return address


def _event_component(event: CalendarEvent, zone: ZoneInfo) -> Event:
    if event.status not in STATUSES:
        raise ValueError(f"unknown status {event.status!r}")
    component = Event()
    component.add("uid", event.uid)
    component.add("dtstamp", event.changed_at)
    component.add("last-modified", event.changed_at)
    component.add("sequence", event.sequence)
    # Local wall time with TZID (and its VTIMEZONE): what people see in their clients.
    component.add("dtstart", event.starts_at.astimezone(zone))
    component.add("dtend", event.ends_at.astimezone(zone))
    component.add("summary", event.summary)
    component.add("status", event.status)
    if event.description:
        component.add("description", event.description)
    if event.location:
        component.add("location", event.location)
    if event.url:
        component.add("url", event.url)
    if event.geo is not None:
        component.add("geo", event.geo)
    if event.categories:
        component.add("categories", list(event.categories))
    return component


def _add_timezones(calendar: Calendar, events: list[CalendarEvent]) -> None:
    if not events:
        return
    first, last = _year_range(events)
    calendar.add_missing_timezones(first_date=date(first, 1, 1), last_date=date(last, 1, 1))


def _year_range(events: list[CalendarEvent]) -> tuple[int, int]:
    # A fixed, data-derived range keeps the VTIMEZONE (and so the bytes) stable.
    # Clamped: a date typed far off must not break every feed that carries it.
    first = max(min(e.starts_at for e in events).year, 1971)
    last = min(max(e.ends_at for e in events).year, 9998)
    return first, last + 1


def _event_text(event: CalendarEvent, zone: ZoneInfo, tzid: str) -> str:
    """One VEVENT as text: the properties of `_event_component`, in icalendar's order."""
    if event.status not in STATUSES:
        raise ValueError(f"unknown status {event.status!r}")
    line, escape = ics_text.line, ics_text.escape_text
    changed = ics_text.utc_stamp(event.changed_at)
    parts = [
        "BEGIN:VEVENT\r\n",
        line("SUMMARY", escape(event.summary)),
        line(f"DTSTART;TZID={tzid}", ics_text.local_stamp(event.starts_at, zone)),
        line(f"DTEND;TZID={tzid}", ics_text.local_stamp(event.ends_at, zone)),
        line("DTSTAMP", changed),
        line("UID", escape(event.uid)),
        line("SEQUENCE", str(int(event.sequence))),
    ]
    if event.categories:
        parts.append(line("CATEGORIES", ",".join(escape(c) for c in event.categories)))
    if event.description:
        parts.append(line("DESCRIPTION", escape(event.description)))
    if event.geo is not None:
        parts.append(line("GEO", f"{float(event.geo[0])};{float(event.geo[1])}"))
    parts.append(line("LAST-MODIFIED", changed))
    if event.location:
        parts.append(line("LOCATION", escape(event.location)))
    parts.append(line("STATUS", event.status))
    if event.url:
        parts.append(line("URL", event.url))
    parts.append("END:VEVENT\r\n")
    return "".join(parts)


def build_feed(name: str, events: Iterable[CalendarEvent], timezone: str = "Europe/Paris") -> bytes:
    """A subscription feed: no METHOD, NAME once, refresh hints, events in a stable order.
    Written as text (`ics_text`), the same bytes as `build_feed_objects`."""
    zone = ZoneInfo(timezone)
    ordered = sorted(events, key=lambda e: (e.starts_at, e.uid))
    timezones = ics_text.vtimezone(timezone, *_year_range(ordered)) if ordered else ""
    if ordered and not timezones:
        # A zone icalendar writes as UTC ("Z", no VTIMEZONE): rare, left to icalendar.
        return build_feed_objects(name, ordered, timezone)
    line, escape = ics_text.line, ics_text.escape_text
    refresh = vDuration(REFRESH).to_ical().decode()
    # As icalendar wrote it (and parses it back): unescaped, but always on one line.
    calendar_name = " ".join(part for part in re.split(r"[\r\n]+", name) if part)
    parts = [
        "BEGIN:VCALENDAR\r\n",
        line("VERSION", "2.0"),
        line("PRODID", escape(PRODID)),
        line("CALSCALE", "GREGORIAN"),
        line("NAME", calendar_name),
        line("X-WR-CALNAME", calendar_name),
        line("REFRESH-INTERVAL;VALUE=DURATION", refresh),
        line("X-PUBLISHED-TTL", refresh),
        line("X-WR-TIMEZONE", escape(timezone)),
        timezones,
        *(_event_text(event, zone, timezone) for event in ordered),
        "END:VCALENDAR\r\n",
    ]
    return "".join(parts).encode("utf-8")


def build_feed_objects(
    name: str, events: Iterable[CalendarEvent], timezone: str = "Europe/Paris"
) -> bytes:
    """The same feed built with icalendar objects (the reference `build_feed` is checked
    against, and its fallback)."""
    zone = ZoneInfo(timezone)
    ordered = sorted(events, key=lambda e: (e.starts_at, e.uid))
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("name", name)
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", timezone)
    calendar.add("refresh-interval", vDuration(REFRESH), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", vDuration(REFRESH))
    for event in ordered:
        calendar.add_component(_event_component(event, zone))
    _add_timezones(calendar, ordered)
    return calendar.to_ical()


def build_invitation(
    event: CalendarEvent,
    organizer: Person,
    attendee: Person,
    method: str = "REQUEST",
    timezone: str = "Europe/Paris",
) -> str:
    """An iTIP message for one attendee: REQUEST (new or updated) or CANCEL."""
    if method not in {"REQUEST", "CANCEL"}:
        raise ValueError(f"unsupported method {method!r}")
    zone = ZoneInfo(timezone)
    if method == "CANCEL":
        event = CalendarEvent(**{**event.__dict__, "status": "CANCELLED"})
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    component = _event_component(event, zone)
    component.add("organizer", _person(organizer))
    component.add(
        "attendee",
        _person(
            attendee,
            role="REQ-PARTICIPANT",
            partstat="NEEDS-ACTION",
            rsvp="TRUE",
        ),
    )
    calendar.add_component(component)
    _add_timezones(calendar, [event])
    return calendar.to_ical().decode("utf-8")
