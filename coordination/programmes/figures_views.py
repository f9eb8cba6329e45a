"""Staff's figures of an open programme, and their CSV exports (thin: figures.py counts)."""

from flask import Blueprint, Response, abort, render_template

from coordination.auth.models import Role
from coordination.core.permissions import role_required
from coordination.participants.exports import as_csv
from coordination.programmes import figures
from coordination.programmes.public_queries import programme_edition

bp = Blueprint("programme_figures", __name__)


def _edition_or_404(slug: str):
    edition = programme_edition(slug, with_drafts=True)
    if edition is None:
        abort(404)
    return edition


@bp.route("/equipe/programmes/<slug>/chiffres")
@role_required(Role.STAFF)
def figures_page(slug: str):
    edition = _edition_or_404(slug)
    return render_template(
        "programmes/figures.html",
        edition=edition,
        figures=figures.programme_figures(edition),
        tables=figures.TABLES,
        number=figures.number,
        percent=figures.percent,
        difference=figures.difference,
    )


@bp.route("/equipe/programmes/<slug>/chiffres/<name>.csv")
@role_required(Role.STAFF)
def figures_csv(slug: str, name: str):
    edition = _edition_or_404(slug)
    if name != "evenements" and name not in figures.TABLES:
        abort(404)
    data = figures.programme_figures(edition)
    table = figures.events_csv(data) if name == "evenements" else figures.table_csv(data, name)
    return Response(
        as_csv(table),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{edition.slug}-{name}.csv"'},
    )
