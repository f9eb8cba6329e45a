"""Demo clubs, partners and meetings."""

from datetime import datetime


def load_demo(now: datetime) -> None:
    """Add the clubs' demo data (called once, after accounts and territories exist)."""
