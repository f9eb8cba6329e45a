"""What open programmes do when a stop changes: its event follows it.

Organisers edit through programmes.services, but staff (stop edit page, planning moves,
cancellation) and hosts (venue, capacity) may change the stop directly; the event row
then follows in the same transaction, so the two never disagree.
"""

from sqlalchemy import select

from coordination.core.signals import stop_changed
from coordination.extensions import db
from coordination.programmes.models import EventStatus, ProgrammeEvent
from coordination.stops.models import StopStatus

#: Stop fields an event mirrors.
MIRRORED = (
    "title",
    "description",
    "starts_at",
    "ends_at",
    "venue_name",
    "venue_address",
    "commune_insee",
    "capacity",
)


def on_stop_changed(stop, now, **_extra) -> None:
    """Copy the stop's details into its event; a cancelled stop withdraws the event."""
    event = db.session.scalar(select(ProgrammeEvent).where(ProgrammeEvent.stop_id == stop.id))
    if event is None:
        return
    for name in MIRRORED:
        value = getattr(stop, name)
        if getattr(event, name) != value:
            setattr(event, name, value)
    if stop.status == StopStatus.CANCELLED and event.status == EventStatus.PUBLISHED:
        event.status = EventStatus.WITHDRAWN
        event.review_comment = stop.cancel_reason or event.review_comment
    event.updated_at = now
    db.session.flush()


def connect() -> None:
    """Subscribe to the stops' changes (once per process)."""
    stop_changed.connect(on_stop_changed)
