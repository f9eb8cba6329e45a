"""The one clock of the platform: every "now" comes from here, in UTC."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context

DEFAULT_TIMEZONE = "Europe/Paris"


def utcnow() -> datetime:
    """Return the current time, timezone-aware, in UTC."""
    return datetime.now(UTC)


def local_zone() -> ZoneInfo:
    """Return the platform's display zone (TIMEZONE, Europe/Paris by default)."""
    name = current_app.config["TIMEZONE"] if has_app_context() else DEFAULT_TIMEZONE
    return ZoneInfo(name)


def to_local(value: datetime) -> datetime:
    """Convert an aware datetime to the platform's zone."""
    return value.astimezone(local_zone())


def local_datetime(day: date, at: time) -> datetime:
    """Return the aware UTC instant of a wall-clock time in the platform's zone."""
    return datetime.combine(day, at, tzinfo=local_zone()).astimezone(UTC)


def parse_hour(value: str) -> time:
    """Parse "HH:MM" into a time."""
    hours, minutes = value.split(":")
    return time(int(hours), int(minutes))


def shift_local_days(value: datetime, days: int) -> datetime:
    """The same Paris clock time `days` calendar days away (negative: earlier), in UTC.

    "N days before" a 10:00 stop is 10:00 N days earlier, not N × 24 hours: across a
    daylight-saving change the two differ by an hour. Aware arithmetic in a ZoneInfo zone
    is wall-clock arithmetic; a time that does not exist that day (the spring gap) moves
    forward by the gap, as clocks do.
    """
    local = to_local(value)
    shifted = datetime.combine(local.date() + timedelta(days=days), local.timetz())
    return shifted.astimezone(UTC)
