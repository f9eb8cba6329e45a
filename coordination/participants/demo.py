"""Demo participants, questionnaire answers and observatory figures."""

from datetime import datetime


def load_demo(now: datetime) -> None:
    """Add the participants' demo data (called once, after the stops' demo data)."""
