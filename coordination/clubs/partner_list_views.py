"""The staff list of partner organisations, and the export of a selection (same blueprint)."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from coordination.auth.models import Role
from coordination.clubs import lists, queries
from coordination.clubs.forms import SelectionForm
from coordination.clubs.models import PARTNER_KIND_LABELS
from coordination.clubs.views import bp, partners_csv
from coordination.core import listing
from coordination.core.permissions import role_required
from coordination.territories.queries import region_choices


@bp.route("/equipe/partenaires/")
@role_required(Role.STAFF)
def partner_list():
    state = listing.read_state(lists.PARTNERS, request.args)
    form = SelectionForm()
    form.back.data = state.query_string
    return render_template(
        "clubs/partners.html",
        state=state,
        page=listing.paginate(lists.partners_query(state), state),
        duplicates=queries.duplicate_name_keys(),
        clubs=lists.club_choices(),
        kinds=PARTNER_KIND_LABELS,
        regions=region_choices(),
        form=form,
    )


@bp.route("/equipe/partenaires/selection.csv", methods=["POST"])
@role_required(Role.STAFF)
def partners_selection_export():
    form = SelectionForm()
    ids = listing.selected_ids(request.form.getlist("ids"))
    if form.validate_on_submit() and ids:
        return partners_csv(lists.partners_by_ids(ids), "partenaires-selection.csv")
    flash(_("Choose at least one organisation to export."), "error")
    query = listing.back_state(lists.PARTNERS, form.back.data or "").query_string
    return redirect(url_for("clubs.partner_list") + ("?" + query if query else ""), 303)
