"""A forum's programme: its sessions grouped by time slot, parallel rooms side by side,
and one calendar event per session."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from coordination.calendar.events import STOP_STATUS, stop_summary
from coordination.calendar.ics import CalendarEvent
from coordination.core.urls import external_url
from coordination.participants.models import Workshop
from coordination.participants.sessions import is_registrable, session_times
from coordination.stops.models import AgendaItem, Stop

#: A session with a start and no end lasts this long in calendars.
DEFAULT_SESSION = timedelta(hours=1)


@dataclass
class Session:
    item: AgendaItem
    starts_at: datetime | None
    ends_at: datetime | None
    workshop: Workshop | None = None
    waiting: int = 0
    speakers: list = field(default_factory=list)

    @property
    def takes_registration(self) -> bool:
        """People choose it when registering (an open workshop, not a break)."""
        w = self.workshop
        return w is not None and w.is_open and is_registrable(w)


@dataclass
class Slot:
    starts_at: datetime | None
    ends_at: datetime | None
    sessions: list[Session] = field(default_factory=list)

    @property
    def is_parallel(self) -> bool:
        return len(self.sessions) > 1


def programme_slots(
    stop: Stop, workshops: list[Workshop], waiting: dict[int, int], speakers: dict | None = None
) -> list[Slot]:
    """The stop's agenda items by (start, end), in time order; untimed ones last
    (`speakers`: {item id: speakers}, read in one query; else each item's own)."""
    by_item = {w.agenda_item_id: w for w in workshops if w.agenda_item_id is not None}
    slots: dict[tuple, Slot] = {}
    for item in stop.agenda_items:
        starts, ends = session_times(stop, item)
        workshop = by_item.get(item.id)
        session = Session(
            item,
            starts,
            ends,
            workshop,
            waiting.get(workshop.id, 0) if workshop else 0,
            speakers.get(item.id, []) if speakers is not None else list(item.speaker_list),
        )
        key = (item.starts_on, item.ends_on) if item.starts_on else ("untimed", item.id)
        slots.setdefault(key, Slot(starts, ends)).sessions.append(session)
    return sorted(
        slots.values(),
        key=lambda s: (
            s.starts_at is None,
            s.starts_at or stop.starts_at,
            s.ends_at or stop.ends_at,
        ),
    )


def session_uid(stop: Stop, workshop: Workshop) -> str:
    """A session's calendar UID: the stop's, with the session's stable workshop id."""
    base, _, domain = stop.uid.partition("@")
    return f"{base}-session-{workshop.id}@{domain or 'innovent-e'}"


def session_event(stop: Stop, session: Session, build_url=external_url) -> CalendarEvent:
    """One session as a calendar event; its SEQUENCE follows the stop's."""
    item = session.item
    url = build_url("forums.programme", stop_id=stop.id)
    people = "\n".join(
        ", ".join(part for part in (p.name, p.organisation, p.role) if part)
        for p in session.speakers
    )
    description = "\n\n".join(part for part in (people or item.speakers, url) if part)
    place = ", ".join(p for p in (item.room, stop.venue_name, stop.venue_address, stop.city) if p)
    return CalendarEvent(
        uid=session_uid(stop, session.workshop),
        sequence=stop.sequence,
        starts_at=session.starts_at,
        ends_at=session.ends_at or session.starts_at + DEFAULT_SESSION,
        summary=f"{item.title} — {stop_summary(stop)}",
        changed_at=stop.updated_at,
        status=STOP_STATUS.get(stop.status, "TENTATIVE"),
        description=description,
        location=place,
        url=url,
        categories=(stop.edition.name,),
        cancel_reason=stop.cancel_reason or "",
    )
