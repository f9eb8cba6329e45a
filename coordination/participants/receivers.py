"""What the participants domain does when staff move or cancel a stop."""

from sqlalchemy import select

from coordination.core.signals import stop_changed
from coordination.extensions import db
from coordination.notifications.services import queue_email
from coordination.participants.models import Registration
from coordination.participants.services import manage_url, registration_invitation

#: The changes participants' calendars must follow.
CHANGES = {"rescheduled", "cancelled"}
#: Where people go: a change of these tells them too (a new description does not).
PLACE_FIELDS = {"venue_name", "venue_address", "city", "commune_insee"}


def on_stop_changed(stop, now, change: str = "", fields=frozenset(), **_extra) -> None:
    """Send each registered participant a calendar update (REQUEST) or CANCEL: when the
    stop moves in time or place, or is cancelled."""
    moved_place = change == "updated" and bool(PLACE_FIELDS & set(fields))
    if change not in CHANGES and not moved_place:
        return
    cancelled = change == "cancelled"
    registrations = db.session.scalars(
        select(Registration).where(
            Registration.stop_id == stop.id, Registration.cancelled_at.is_(None)
        )
    )
    for registration in registrations:
        method = "CANCEL" if cancelled else "REQUEST"
        queue_email(
            # One per participant and stop sequence: a re-run sends nothing twice.
            key=f"participant:registration:{registration.id}:stop:{stop.sequence}",
            template="participants/stop_changed",
            to_email=registration.email,
            to_name=registration.name,
            locale=registration.locale,
            context={
                "registration": registration,
                "stop": stop,
                "cancelled": cancelled,
                "moved_place": moved_place,
                "url": manage_url(registration),
            },
            calendar_method=method,
            calendar_ics=registration_invitation(registration, method),
            now=now,
        )


def connect() -> None:
    """Subscribe to the stops' changes (once per process)."""
    stop_changed.connect(on_stop_changed)
