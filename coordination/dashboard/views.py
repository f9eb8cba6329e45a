"""Map, timeline and figures: the staff dashboard, its CSV exports, the public glance."""

import csv
import io
from datetime import date

from flask import Blueprint, Response, abort, render_template, request

from coordination.auth.models import Role
from coordination.campaigns.models import Edition
from coordination.core.clock import to_local, utcnow
from coordination.core.permissions import role_required
from coordination.dashboard import figures, geo, queries
from coordination.stops.models import STATUS_LABELS

bp = Blueprint("dashboard", __name__)


@bp.app_template_global("edition_glance")
def edition_glance(edition: Edition) -> dict:
    """The public map and timeline of an edition (for templates/campaigns/edition.html)."""
    return figures.public_glance(edition)


@bp.app_template_global("region_outlines")
def region_outlines() -> dict[str, str]:
    return geo.region_outlines()


@bp.app_template_global("map_status_label")
def map_status_label(status: str) -> str:
    return str(STATUS_LABELS.get(status, status))


def _default_edition(editions: list[Edition], today: date) -> Edition | None:
    """The running edition, else the next one, else the latest."""
    running = [e for e in editions if e.starts_on <= today <= e.ends_on]
    coming = sorted((e for e in editions if e.starts_on > today), key=lambda e: e.starts_on)
    return (running or coming or editions or [None])[0]


def _chosen_edition(editions: list[Edition]) -> Edition | None:
    slug = request.args.get("edition", "")
    if not slug:
        return _default_edition(editions, to_local(utcnow()).date())
    chosen = next((e for e in editions if e.slug == slug), None)
    if chosen is None:
        abort(404)
    return chosen


@bp.route("/equipe/tableau-de-bord")
@role_required(Role.STAFF)
def staff_dashboard():
    editions = queries.editions()
    edition = _chosen_edition(editions)
    view = figures.staff_dashboard(edition, utcnow())
    return render_template("dashboard/staff.html", editions=editions, edition=edition, **view)


def _csv_text(value: str) -> str:
    """Club and région names are typed by people: keep spreadsheets from running them."""
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value


@bp.route("/equipe/tableau-de-bord/<key>.csv")
@role_required(Role.STAFF)
def figure_csv(key: str):
    edition = _chosen_edition(queries.editions())
    view = figures.staff_dashboard(edition, utcnow())
    figure = next((f for f in view["figures"] if f.key == key), None)
    if figure is None:
        abort(404)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([figure.row_header, *figure.columns])
    for row in figure.rows:
        writer.writerow([_csv_text(row.key or row.label), *row.values])
    name = f"{key}-{edition.slug}.csv" if edition else f"{key}.csv"
    return Response(
        "\ufeff" + out.getvalue(),  # the BOM makes Excel read UTF-8
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
