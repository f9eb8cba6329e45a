"""The feed's text written directly: content lines, TEXT escaping and folding (RFC 5545).

Building 700 icalendar objects and serialising them took seconds; the feed's events only
ever hold a few plain properties, so they are written here as text, in the order and
form icalendar gives them (`tests/calendar/test_ics_text.py` compares both builders, byte
for byte and property by property). The VTIMEZONE still comes from icalendar, once per
zone and year range.
"""

from datetime import UTC, date, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

#: Longest line in octets, without its CRLF: RFC 5545 says 75; icalendar folds before
#: the 75th octet and so does this module (same bytes).
FOLD_AT = 75


def escape_text(value: str) -> str:
    r"""A TEXT value escaped (RFC 5545 3.3.11): \ ; , and every line break as \n."""
    return (
        value.replace(r"\N", "\n")
        .replace("\\", "\\\\")
        .replace(";", r"\;")
        .replace(",", r"\,")
        .replace("\r\n", r"\n")
        .replace("\n", r"\n")
        .replace("\r", r"\n")
    )


def fold(line: str) -> str:
    """A content line folded into lines of under 75 octets (CRLF + space), never inside a
    UTF-8 character nor right after a backslash (some clients mishandle a split escape)."""
    if len(line) < FOLD_AT and (line.isascii() or len(line.encode()) < FOLD_AT):
        return line
    pieces: list[str] = []
    current: list[str] = []
    count = 0
    for char in line:
        size = 1 if char < "\x80" else len(char.encode())
        if current and count + size >= FOLD_AT:
            if len(current) > 1 and current[-1] in "\\^":
                carried = current.pop()
                pieces.append("".join(current))
                current = [carried]
                count = len(carried.encode())
            else:
                pieces.append("".join(current))
                current = []
                count = 0
        current.append(char)
        count += size
    if current:
        pieces.append("".join(current))
    return "\r\n ".join(pieces)


def utc_stamp(moment: datetime) -> str:
    """A UTC DATE-TIME value: 20261101T000000Z (seconds; no fraction)."""
    moment = moment.astimezone(UTC)
    return (
        f"{moment.year:04}{moment.month:02}{moment.day:02}T"
        f"{moment.hour:02}{moment.minute:02}{moment.second:02}Z"
    )


def local_stamp(moment: datetime, zone: ZoneInfo) -> str:
    """A local DATE-TIME value in `zone` (to be written after ;TZID=)."""
    moment = moment.astimezone(zone)
    return (
        f"{moment.year:04}{moment.month:02}{moment.day:02}T"
        f"{moment.hour:02}{moment.minute:02}{moment.second:02}"
    )


def line(name: str, value: str) -> str:
    """One content line, folded, with its CRLF."""
    return fold(f"{name}:{value}") + "\r\n"


@lru_cache(maxsize=32)
def vtimezone(timezone: str, first_year: int, last_year: int) -> str:
    """The VTIMEZONE of `timezone` from 1 January of `first_year` to 1 January of
    `last_year`, as icalendar writes it (built once per process and range)."""
    from icalendar import Calendar, Event

    calendar = Calendar()
    probe = Event()
    probe.add("dtstart", datetime(first_year, 6, 1, tzinfo=ZoneInfo(timezone)))
    calendar.add_component(probe)
    calendar.add_missing_timezones(
        first_date=date(first_year, 1, 1), last_date=date(last_year, 1, 1)
    )
    return "".join(tz.to_ical().decode("utf-8") for tz in calendar.timezones)
