"""Public pages of editions and their calls."""

from flask import Blueprint, abort, render_template

from coordination.campaigns import queries
from coordination.core.clock import utcnow

bp = Blueprint("campaigns", __name__)


@bp.route("/editions")
def edition_list():
    return render_template("campaigns/editions.html", editions=queries.editions(), now=utcnow())


@bp.route("/editions/<slug>")
def edition(slug: str):
    edition = queries.edition_by_slug(slug)
    if edition is None:
        abort(404)
    return render_template("campaigns/edition.html", edition=edition, now=utcnow())
