"""Turn stops and club meetings into calendar events (the only place that maps them)."""

from coordination.calendar.ics import CalendarEvent
from coordination.clubs.models import ClubMeeting, MeetingStatus
from coordination.core.formatting import local_time
from coordination.core.urls import external_url

MEETING_STATUS = {
    MeetingStatus.PLANNED: "TENTATIVE",
    MeetingStatus.CONFIRMED: "CONFIRMED",
    MeetingStatus.CANCELLED: "CANCELLED",
}


def meeting_event(
    meeting: ClubMeeting, with_link: bool = True, build_url=external_url
) -> CalendarEvent:
    """A club meeting as a calendar event (`with_link=False` leaves out the online link,
    which is for members only; `build_url`: `external_url` or a faster equivalent)."""
    url = build_url("clubs.club_page", slug=meeting.club.slug)
    online_url = meeting.online_url.strip() if with_link else ""
    description = "\n\n".join(part for part in (meeting.agenda.strip(), online_url, url) if part)
    return CalendarEvent(
        uid=meeting.uid,
        sequence=meeting.sequence,
        starts_at=meeting.starts_at,
        ends_at=meeting.ends_at,
        summary=f"{meeting.club.name} — {meeting.title}",
        changed_at=meeting.updated_at,
        status=MEETING_STATUS.get(meeting.status, "TENTATIVE"),
        description=description,
        location=meeting.place or online_url,
        url=url,
        categories=("Club territorial",),
    )


STOP_STATUS = {
    "tentative": "TENTATIVE",
    "confirmed": "CONFIRMED",
    "held": "CONFIRMED",
    "cancelled": "CANCELLED",
}


#: What the tour is called in calendars; other programmes go by their edition's name.
TOUR_NAME = "Tournée de l'innovation"


def stop_summary(stop) -> str:
    """A stop's calendar title: the tour (or the edition) and the place, e.g. "… — Pithiviers"."""
    edition = stop.edition
    programme = TOUR_NAME if edition is None or edition.kind == "tour" else edition.name
    return f"{programme} — {stop.city or stop.title}"


def agenda_lines(stop) -> str:
    """A stop's agenda, one item a line, times as the pages write them in the current
    language (« 9 h 30 · Ateliers », « 9:30 AM · Workshops »)."""
    return "\n".join(
        f"{local_time(item.times_on(stop)[0])} · {item.title}" if item.starts_on else item.title
        for item in stop.agenda_items
    )


#: `stop_event`'s default: find the programme event of the stop (feeds pass theirs).
FIND_EVENT = object()


def programme_lines(event) -> str:
    """What a programme event adds to its stop's description: format, audience, organisers."""
    from flask_babel import gettext as _

    organisers = ", ".join(organisation.name for organisation in event.organisers)
    lines = [_("Format: %(format)s", format=event.format_label)]
    if event.audience.strip():
        lines.append(_("For: %(audience)s", audience=event.audience.strip()))
    if organisers:
        lines.append(_("Organised by: %(names)s", names=organisers))
    if not event.is_registration_required:
        lines.append(_("No registration needed."))
    return "\n".join(lines)


def stop_event(stop, build_url=external_url, programme_event=FIND_EVENT) -> CalendarEvent:
    """A stop of the tour, or an event of an open programme, as a calendar event
    (`build_url` as for `meeting_event`; `programme_event`: the stop's event, or None); the
    agenda's times are in the current language (feeds: the reader's; invitations: the
    recipient's, see receivers)."""
    if programme_event is FIND_EVENT:
        from coordination.programmes.public_queries import event_of_stop

        programme_event = event_of_stop(stop)
    url = build_url("stops.stop_page", stop_id=stop.id)
    place = ", ".join(p for p in (stop.venue_name, stop.venue_address, stop.city) if p)
    agenda, summary = agenda_lines(stop), stop_summary(stop)
    if programme_event is not None:
        # One workshop named after the event: the agenda would only repeat the title.
        agenda = programme_lines(programme_event)
        summary = f"{programme_event.title} — {stop.city}" if stop.city else programme_event.title
    description = "\n\n".join(part for part in (stop.description.strip(), agenda, url) if part)
    has_geo = stop.latitude is not None and stop.longitude is not None
    return CalendarEvent(
        uid=stop.uid,
        sequence=stop.sequence,
        starts_at=stop.starts_at,
        ends_at=stop.ends_at,
        summary=summary,
        changed_at=stop.updated_at,
        status=STOP_STATUS.get(stop.status, "TENTATIVE"),
        description=description,
        location=place,
        url=url,
        geo=(stop.latitude, stop.longitude) if has_geo else None,
        categories=(str(programme_event.format_label),) if programme_event else (TOUR_NAME,),
        cancel_reason=stop.cancel_reason or "",
    )
