"""The planning calendar's events, as FullCalendar reads them (static/js/stops-calendar.js)."""

from flask import url_for

from coordination.core.clock import to_local
from coordination.stops.models import Stop


def calendar_events(stops: list[Stop], warnings) -> list[dict]:
    """One event per stop, in Paris wall-clock time, with its open warnings and move URL."""
    events = []
    for stop in stops:
        open_warnings = [w.message for w in warnings.of(stop.id) if not w.is_acknowledged]
        events.append(
            {
                "id": str(stop.id),
                "title": stop.title,
                # Paris wall time without offset: the calendar runs in "UTC" so nothing shifts.
                "start": to_local(stop.starts_at).strftime("%Y-%m-%dT%H:%M:%S"),
                "end": to_local(stop.ends_at).strftime("%Y-%m-%dT%H:%M:%S"),
                "url": url_for("stops.stop_page", stop_id=stop.id),
                "classNames": [f"status-{stop.status}"]
                + (["has-warnings"] if open_warnings else []),
                "extendedProps": {
                    "moveUrl": url_for("stops.move_stop", stop_id=stop.id),
                    "status": stop.status_label,
                    "warnings": open_warnings,
                },
            }
        )
    return events
