"""Turn stops and club meetings into calendar events (the only place that maps them)."""

from coordination.calendar.ics import CalendarEvent
from coordination.clubs.models import ClubMeeting, MeetingStatus
from coordination.core.urls import external_url

MEETING_STATUS = {
    MeetingStatus.PLANNED: "TENTATIVE",
    MeetingStatus.CONFIRMED: "CONFIRMED",
    MeetingStatus.CANCELLED: "CANCELLED",
}


def meeting_event(meeting: ClubMeeting) -> CalendarEvent:
    """A club meeting as a calendar event."""
    url = external_url("clubs.club_page", slug=meeting.club.slug)
    description = "\n\n".join(
        part for part in (meeting.agenda.strip(), meeting.online_url.strip(), url) if part
    )
    return CalendarEvent(
        uid=meeting.uid,
        sequence=meeting.sequence,
        starts_at=meeting.starts_at,
        ends_at=meeting.ends_at,
        summary=f"{meeting.club.name} — {meeting.title}",
        changed_at=meeting.updated_at,
        status=MEETING_STATUS.get(meeting.status, "TENTATIVE"),
        description=description,
        location=meeting.place or meeting.online_url,
        url=url,
        categories=("Club territorial",),
    )
