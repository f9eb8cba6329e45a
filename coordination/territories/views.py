"""Territories: staff list and editing; commune search for forms."""

from flask import Blueprint, jsonify, render_template, request

from coordination.auth.models import Role
from coordination.core.permissions import role_required
from coordination.territories.queries import all_territories
from coordination.territories.services import search_communes

bp = Blueprint("territories", __name__)


@bp.route("/api/communes")
def commune_search():
    communes = search_communes(request.args.get("q", "")[:100])
    return jsonify(
        [
            {
                "insee_code": c.insee_code,
                "name": c.name,
                "departement_code": c.departement_code,
                "latitude": c.latitude,
                "longitude": c.longitude,
            }
            for c in communes
        ]
    )


@bp.route("/territoires")
@role_required(Role.STAFF)
def territory_list():
    return render_template("territories/list.html", territories=all_territories())
