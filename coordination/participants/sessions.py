"""Sessions a person chooses at registration: which agenda items' times cross."""

from datetime import datetime, time

from flask_babel import gettext as _

from coordination.core.formatting import local_time
from coordination.participants.models import Workshop
from coordination.stops.models import SessionKind


def _span(workshop: Workshop) -> tuple[time, time] | None:
    item = workshop.agenda_item
    if item is None or item.starts_on is None:
        return None
    return item.starts_on, item.ends_on or item.starts_on


def overlapping(workshops: list[Workshop]) -> tuple[Workshop, Workshop] | None:
    """The first two workshops held at the same time (same start, or crossing spans)."""
    timed = [(w, span) for w in workshops if (span := _span(w)) is not None]
    for n, (first, (start_a, end_a)) in enumerate(timed):
        for second, (start_b, end_b) in timed[n + 1 :]:
            if start_a == start_b or (start_a < end_b and start_b < end_a):
                return first, second
    return None


def is_registrable(workshop: Workshop) -> bool:
    """A break is on the programme but nobody registers for it."""
    item = workshop.agenda_item
    return item is None or item.kind != SessionKind.BREAK


def clash_message(first: Workshop, second: Workshop) -> str:
    """Why two chosen sessions cannot both be taken, in the reader's language."""
    return _(
        "“%(first)s” and “%(second)s” take place at the same time: choose one of them.",
        first=first.title,
        second=second.title,
    )


def session_times(stop, item) -> tuple[datetime | None, datetime | None]:
    """An agenda item's start and end as UTC datetimes on the stop's Paris day."""
    return item.times_on(stop)


def choice_label(workshop: Workshop) -> str:
    """A workshop as a registration choice: « 10 h – 11 h 30 · Title (Room) »."""
    item = workshop.agenda_item
    if item is None:
        return workshop.title
    starts, ends = session_times(workshop.stop, item)
    when = " – ".join(local_time(t) for t in (starts, ends) if t)
    room = f" ({item.room})" if item.room else ""
    return f"{when} · {workshop.title}{room}" if when else f"{workshop.title}{room}"
