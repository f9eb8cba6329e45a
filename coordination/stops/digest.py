"""The stops' sections of the staff digest."""

from datetime import timedelta

from flask_babel import format_datetime
from flask_babel import lazy_gettext as _l

from coordination.core.urls import external_url
from coordination.notifications.digests import DigestItem, register_section
from coordination.stops.queries import incomplete_stops, missing_details, stops_between

#: How far ahead the digest looks for coming stops.
COMING_DAYS = 14

MISSING_LABELS = {
    "venue": _l("venue"),
    "date": _l("confirmed date"),
    "hosts": _l("host contacts"),
}


def coming_stops(since, until) -> list[DigestItem]:
    """Stops starting in the next 14 days (one query for every recipient)."""
    return [
        DigestItem(
            text=f"{format_datetime(stop.starts_at, 'short')} — {stop.title} ({stop.city})",
            url=external_url("stops.stop_page", stop_id=stop.id),
        )
        for stop in stops_between(until, until + timedelta(days=COMING_DAYS))
    ]


class _Missing:
    """Rendered lazily, in each recipient's language."""

    def __init__(self, title: str, codes: list[str]):
        self.title, self.codes = title, codes

    def __str__(self) -> str:
        missing = ", ".join(str(MISSING_LABELS[code]) for code in self.codes)
        return str(_l("%(title)s: missing %(missing)s", title=self.title, missing=missing))


def stops_lacking_details(since, until) -> list[DigestItem]:
    """Coming stops still lacking a venue, a confirmed date or host contacts."""
    return [
        DigestItem(
            text=_Missing(
                f"{format_datetime(stop.starts_at, 'short')} {stop.title}", missing_details(stop)
            ),
            url=external_url("stops.stop_page", stop_id=stop.id),
        )
        for stop in incomplete_stops(until)
    ]


def register_digest_sections() -> None:
    """Register the stops' digest sections."""
    register_section("stops.coming", _l("Stops in the next 14 days"), coming_stops)
    register_section(
        "stops.incomplete",
        _l("Coming stops lacking a venue, a confirmed date or host contacts"),
        stops_lacking_details,
    )
