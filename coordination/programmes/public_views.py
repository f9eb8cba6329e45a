"""The public programme of an open-programme edition: events by day, city or format, on
the map and the timeline, with the feeds (each event's page is its stop's page)."""

import dataclasses
from collections import namedtuple

from flask import Blueprint, abort, render_template, request
from sqlalchemy import select

from coordination.calendar.services import webcal
from coordination.core.listing import ListSpec, choice, day, read_state
from coordination.core.urls import external_url
from coordination.dashboard.figures import build_map, build_timeline
from coordination.extensions import db
from coordination.programmes import public_queries as queries
from coordination.programmes.models import FORMAT_LABELS, EventFormat
from coordination.territories.models import Commune

bp = Blueprint("programme_public", __name__)

#: A commune's INSEE code as typed in the address (2A/2B for Corsica).
_INSEE = lambda raw: raw if len(raw) == 5 and raw.isascii() and raw.isalnum() else None  # noqa: E731

SPEC = ListSpec(
    sorts=("time",),
    default_sort="time",
    filters={
        "city": _INSEE,
        "format": choice(*EventFormat),
        "day": day,
        "group": choice("day", "city", "format"),
    },
)

#: What the dashboard's map and timeline macros read of a stop.
MapRow = namedtuple("MapRow", "id latitude longitude status title city starts_at territory_name")
#: The map shows at least this much of France (SVG units), around the events.
MIN_SPAN = 150.0


def _zoomed(map_view):
    """The map's view box narrowed to its markers (a week of innovation is one région)."""
    if not map_view.markers:
        return map_view
    xs = [m.x for m in map_view.markers]
    ys = [m.y for m in map_view.markers]
    span = max(max(xs) - min(xs), max(ys) - min(ys), MIN_SPAN) * 1.2
    cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
    view_box = f"{cx - span / 2:.1f} {cy - span / 2:.1f} {span:.1f} {span:.1f}"
    return dataclasses.replace(map_view, base=dataclasses.replace(map_view.base, view_box=view_box))


def _map_rows(rows) -> list[MapRow]:
    return [
        MapRow(
            r.stop.id,
            r.stop.latitude,
            r.stop.longitude,
            r.stop.status,
            r.event.title,
            r.stop.city,
            r.stop.starts_at,
            None,
        )
        for r in rows
    ]


def _timeline_rows(rows) -> list[MapRow]:
    # The timeline macro shows `city`: the event's title and city there.
    return [
        row._replace(city=" · ".join(part for part in (row.title, row.city) if part))
        for row in _map_rows(rows)
    ]


def feed_links(edition, cities) -> dict:
    """The programme's feed and one per city, with their webcal:// forms."""
    whole = external_url("calendar.edition_feed", slug=edition.slug)
    per_city = []
    for insee, name in cities:
        url = external_url("calendar.city_feed", slug=edition.slug, insee=insee)
        per_city.append({"insee": insee, "name": name, "url": url, "webcal": webcal(url)})
    return {"url": whole, "webcal": webcal(whole), "cities": per_city}


@bp.route("/programmes/<slug>")
def programme(slug: str):
    edition = queries.programme_edition(slug)
    if edition is None:
        abort(404)
    state = read_state(SPEC, request.args)
    rows = queries.programme_rows(edition)
    shown = queries.filter_rows(rows, state.filters)
    group = state.filters.get("group", "day")
    city_name = None
    if "city" in state.filters:
        city_name = db.session.scalar(
            select(Commune.name).where(Commune.insee_code == state.filters["city"])
        )
    timeline = build_timeline(edition, _timeline_rows(shown), max_per_week=len(shown) + 1)
    return render_template(
        "programmes/public_programme.html",
        edition=edition,
        state=state,
        rows=shown,
        total=len(rows),
        groups=queries.group_rows(shown, group),
        group=group,
        choices=queries.choices_of(rows),
        format_labels=FORMAT_LABELS,
        city_name=city_name,
        map=_zoomed(build_map(_map_rows(shown))),
        timeline=timeline,
        feeds=feed_links(edition, queries.choices_of(rows).cities),
    )


@bp.app_template_global("programme_row_of")
def programme_row_of(stop):
    """The programme event a stop is, with its places (stop pages show its format,
    audience, organisers and registration); None for a tour stop."""
    return queries.row_of_stop(stop)


@bp.app_template_global("current_programmes")
def current_programmes():
    """Open-programme editions planned or running (home and edition pages link them)."""
    return queries.current_programmes()


@bp.app_template_global("is_open_programme")
def is_open_programme(edition) -> bool:
    return queries.is_open_programme(edition)
