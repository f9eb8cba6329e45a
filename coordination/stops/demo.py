"""Demo stops: the 2019 tour as it happened, and the coming edition's first plan."""

from datetime import datetime


def load_demo(now: datetime) -> None:
    """Add the stops' demo data (called once, after campaigns' and clubs' demo data)."""
