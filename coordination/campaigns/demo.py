"""Demo applications and reviews for the open call."""

from datetime import datetime


def load_demo(now: datetime) -> None:
    """Add the campaigns' demo data (called once, after editions and calls exist)."""
