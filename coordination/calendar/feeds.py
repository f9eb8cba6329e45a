"""What each feed contains, its fingerprint (the ETag), and its rendering.

The ETag comes from a few aggregates over the feed's rows, not from the rendered bytes:
two builds of the same data share it. The built text is kept in the database
(`coordination/calendar/cache.py`).
"""

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from coordination.calendar import events as calendar_events
from coordination.calendar.ics import build_feed
from coordination.clubs.models import Club, ClubMeeting
from coordination.core.urls import external_url_builder
from coordination.extensions import db
from coordination.programmes.public_queries import events_by_stop
from coordination.stops.models import Stop

#: Bump when the builder's output changes, so every ETag changes with it.
BUILDER_VERSION = "2"


@dataclass
class FeedContent:
    name: str
    #: Conditions on ClubMeeting; None: no meetings in this feed.
    meeting_conditions: list | None = None
    #: Conditions on Stop; None: no stops in this feed.
    stop_conditions: list | None = None
    #: A last filter in Python (hosts are listed by email inside a JSON column).
    keep_stop: Callable[[Stop], bool] | None = None
    #: Other things the feed shows (an owner's name…): their change changes the ETag.
    versions: tuple = field(default_factory=tuple)


def _aggregates(model, conditions, join_club: bool = False) -> tuple:
    columns = [func.count(model.id), func.max(model.updated_at), func.sum(model.id)]
    columns.append(func.sum(model.sequence))
    statement = select(*columns).select_from(model)
    if join_club:
        statement = select(*columns, func.max(Club.updated_at)).select_from(model).join(Club)
    return tuple(db.session.execute(statement.where(*conditions)).one())


def fingerprint(content: FeedContent) -> str:
    """The feed's ETag: changes whenever anything it shows changes."""
    parts = [
        BUILDER_VERSION,
        content.name,
        current_app.config["BASE_URL"],
        current_app.config["TIMEZONE"],
        *content.versions,
    ]
    if content.meeting_conditions is not None:
        parts.append(_aggregates(ClubMeeting, content.meeting_conditions, join_club=True))
    if content.stop_conditions is not None:
        parts.append(_aggregates(Stop, content.stop_conditions))
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:32]


def render(content: FeedContent) -> bytes:
    """Build the feed's bytes (the same data always gives the same bytes)."""
    items = []
    build_url = external_url_builder()
    club_urls = lru_cache(maxsize=None)(build_url)  # many meetings share a club
    if content.meeting_conditions is not None:
        meetings = db.session.scalars(
            select(ClubMeeting)
            .options(joinedload(ClubMeeting.club))
            .where(*content.meeting_conditions)
        )
        items += [calendar_events.meeting_event(m, build_url=club_urls) for m in meetings]
    if content.stop_conditions is not None:
        stops = db.session.scalars(
            select(Stop)
            .options(selectinload(Stop.agenda_items), selectinload(Stop.edition))
            .where(*content.stop_conditions)
        )
        keep = content.keep_stop or (lambda stop: True)
        kept = [s for s in stops if keep(s)]
        # Programme events add their format and organisers (one query for the feed).
        events = events_by_stop(s.id for s in kept)
        items += [
            calendar_events.stop_event(s, build_url=build_url, programme_event=events.get(s.id))
            for s in kept
        ]
    return build_feed(content.name, items, current_app.config["TIMEZONE"])
