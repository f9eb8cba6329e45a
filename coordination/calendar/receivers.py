"""What the calendar does when a stop or a meeting changes: invitations, in the same
transaction as the change."""

from coordination.calendar import queries
from coordination.calendar.events import meeting_event
from coordination.calendar.services import send_invitations
from coordination.core.signals import meeting_changed


def on_meeting_changed(meeting, now, **_extra) -> None:
    """Invite the club's members to a confirmed meeting, update them, or cancel."""
    send_invitations(meeting_event(meeting), queries.meeting_recipients(meeting), now)


def connect() -> None:
    """Subscribe the calendar to the domain events (once per process)."""
    meeting_changed.connect(on_meeting_changed)
