"""The one clock of the platform: every "now" comes from here, in UTC."""

from datetime import UTC, date, datetime, time
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
