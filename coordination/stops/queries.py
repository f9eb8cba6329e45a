"""Reused reads about stops."""

from datetime import datetime


def coming_stops(now: datetime, limit: int = 6) -> list:
    """The next confirmed stops after `now`, for the home page."""
    return []
