"""What the calendar does when a stop or a meeting changes: invitations, in the same
transaction as the change."""

from flask_babel import force_locale

from coordination.calendar import queries
from coordination.calendar.events import meeting_event, stop_event
from coordination.calendar.services import host_accounts, send_invitations
from coordination.core.signals import meeting_changed, stop_changed


def on_meeting_changed(meeting, now, **_extra) -> None:
    """Invite the club's members to a confirmed meeting, update them, or cancel."""
    send_invitations(
        meeting_event(meeting),
        queries.meeting_recipients(meeting),
        now,
        template="clubs/meeting_invitation",  # its own wording, which staff may edit
    )


def on_stop_changed(stop, now, **_extra) -> None:
    """Invite a confirmed stop's hosts, its applicants and the partners of the clubs of its
    territory; send updates on changes and CANCEL on cancellation."""
    recipients = [
        *host_accounts(stop),
        *queries.stop_recipients_by_email(stop),
        *queries.stop_club_recipients(stop),
    ]
    recipients = list(dict.fromkeys(recipients))
    # The event's text (its agenda's times) in each recipient's language.
    for locale in dict.fromkeys(user.locale or "fr" for user in recipients):
        with force_locale(locale):
            people = [user for user in recipients if (user.locale or "fr") == locale]
            send_invitations(stop_event(stop), people, now)


def connect() -> None:
    """Subscribe the calendar to the domain events (once per process)."""
    meeting_changed.connect(on_meeting_changed)
    stop_changed.connect(on_stop_changed)
