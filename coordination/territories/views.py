"""Territories: staff list and editing; searches (communes, EPCIs, territories) for forms."""

from flask import Blueprint, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from coordination.auth.models import Role
from coordination.core.permissions import role_required
from coordination.extensions import db
from coordination.territories.forms import TerritoryForm
from coordination.territories.models import Territory
from coordination.territories.queries import (
    all_territories,
    epcis_in_order,
    search_epcis,
    search_territories,
)
from coordination.territories.services import parse_sirens, save_territory, search_communes

bp = Blueprint("territories", __name__)

#: Longest search text taken from a query string.
MAX_QUERY_LENGTH = 100


def _query_text() -> str:
    return request.args.get("q", "")[:MAX_QUERY_LENGTH].strip()


@bp.route("/api/communes")
def commune_search():
    communes = search_communes(_query_text())
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


@bp.route("/api/epcis")
@role_required(Role.STAFF)
def epci_search():
    return jsonify(
        [
            {"siren": epci.siren, "name": epci.name, "kind": epci.kind}
            for epci in search_epcis(_query_text())
        ]
    )


@bp.route("/api/territories")
@login_required
def territory_search():
    return jsonify([_territory_json(t) for t in search_territories(_query_text())])


def _territory_json(territory: Territory) -> dict:
    region = territory.region
    return {
        "id": territory.id,
        "name": territory.name,
        "official_code": territory.official_code,
        "is_industry_territory": territory.is_industry_territory,
        "region": {"code": region.code, "name": region.name} if region else None,
        "epcis": [{"siren": epci.siren, "name": epci.name} for epci in territory.epcis],
    }


@bp.route("/territoires")
@role_required(Role.STAFF)
def territory_list():
    query = _query_text()
    territories = search_territories(query, limit=None) if query else all_territories()
    return render_template("territories/list.html", territories=territories, query=query)


@bp.route("/territoires/nouveau", methods=["GET", "POST"])
@role_required(Role.STAFF)
def territory_create():
    form = TerritoryForm()
    if form.validate_on_submit():
        territory = save_territory(None, **form.territory_fields())
        db.session.commit()
        flash(_("Territory “%(name)s” created.", name=territory.name), "success")
        return redirect(url_for("territories.territory_list"))
    return _render_form(form, territory=None)


@bp.route("/territoires/<int:territory_id>/modifier", methods=["GET", "POST"])
@role_required(Role.STAFF)
def territory_edit(territory_id: int):
    territory = db.get_or_404(Territory, territory_id)
    stored = None
    if request.method == "GET":
        stored = {
            "name": territory.name,
            "official_code": territory.official_code or "",
            "region_code": territory.region_code or "",
            "is_industry_territory": territory.is_industry_territory,
            "epci_sirens": "\n".join(epci.siren for epci in territory.epcis),
        }
    form = TerritoryForm(territory_id=territory.id, data=stored)
    if form.validate_on_submit():
        save_territory(territory, **form.territory_fields())
        db.session.commit()
        flash(_("Territory “%(name)s” saved.", name=territory.name), "success")
        return redirect(url_for("territories.territory_list"))
    return _render_form(form, territory=territory)


def _render_form(form: TerritoryForm, territory: Territory | None):
    # Names for the SIRENs typed so far, so the page (and the picker) can show them.
    sirens, _invalid = parse_sirens(form.epci_sirens.data or "")
    return render_template(
        "territories/form.html",
        form=form,
        territory=territory,
        selected_epcis=epcis_in_order(sirens),
    )
