"""The staff list of a call's applications and its bulk actions (same blueprint)."""

from flask import Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from coordination.auth.models import Role, User
from coordination.campaigns import lists, queries, services
from coordination.campaigns.forms import ActionForm, BulkApplicationsForm, ReviewerForm, options
from coordination.campaigns.models import ApplicationStatus, Decision
from coordination.campaigns.views import _call_or_404, _locale, bp
from coordination.core import listing
from coordination.core.clock import utcnow
from coordination.core.permissions import role_required
from coordination.extensions import db
from coordination.territories.queries import region_choices


def _bulk_form(call, panel) -> BulkApplicationsForm:
    form = BulkApplicationsForm()
    form.reviewer_id.choices = options(
        [(0, "—"), *((m.user_id, m.user.display_name) for m in panel)]
    )
    return form


@bp.route("/appels/gestion/<int:call_id>/candidatures")
@role_required(Role.STAFF)
def staff_applications(call_id: int):
    call = _call_or_404(call_id)
    state = listing.read_state(lists.APPLICATIONS, request.args)
    page = lists.application_page(call, state)
    panel = queries.call_panel(call)
    reviewer_form = ReviewerForm(formdata=None)
    reviewer_form.user_id.choices = options(
        (u.id, f"{u.display_name} <{u.email}>") for u in queries.reviewer_candidates()
    )
    regions = region_choices()
    reviewer_form.region_code.choices = options([("", "—"), *regions])
    bulk_form = _bulk_form(call, panel)
    bulk_form.back.data = state.query_string
    return render_template(
        "campaigns/staff_applications.html",
        call=call,
        state=state,
        page=page,
        regions=regions,
        statuses=ApplicationStatus,
        decisions=Decision,
        panel=panel,
        reviewer_form=reviewer_form,
        bulk_form=bulk_form,
        action_form=ActionForm(),
        pending=queries.pending_decision_count(call),
    )


@bp.route("/appels/gestion/<int:call_id>/candidatures/selection", methods=["POST"])
@role_required(Role.STAFF)
def bulk_applications(call_id: int):
    call = _call_or_404(call_id)
    panel = queries.call_panel(call)
    form = _bulk_form(call, panel)
    state = listing.back_state(lists.APPLICATIONS, form.back.data or "")
    query = state.query_string
    back = redirect(
        url_for("campaigns.staff_applications", call_id=call.id) + ("?" + query if query else "")
    )
    ids = listing.selected_ids(request.form.getlist("ids"))
    if not form.validate_on_submit():
        flash(_("Choose what to do with the selection."), "error")
        return back
    if not ids:
        flash(_("Select at least one application."), "error")
        return back
    action = form.action.data
    if action == "export":
        content = services.export_csv(call, _locale(), ids)
        return Response(
            content.encode("utf-8"),
            mimetype="text/csv",
            headers={
                "Content-Disposition": f'attachment; filename="candidatures-appel-{call.id}.csv"'
            },
        )
    if action == "assign":
        if form.reviewer_id.data not in {m.user_id for m in panel}:
            flash(_("Choose a reviewer of the panel."), "error")
            return back
        reviewer = db.session.get(User, form.reviewer_id.data)
        done, refused = lists.bulk_assign(call, ids, reviewer, utcnow())
        message = ngettext(
            "%(num)s application given to the reviewer.",
            "%(num)s applications given to the reviewer.",
            done,
        )
    else:
        decision = None if action == "clear" else action
        done, refused = lists.bulk_decide(call, ids, decision)
        message = ngettext(
            "%(num)s decision recorded; it is sent when you release decisions.",
            "%(num)s decisions recorded; they are sent when you release decisions.",
            done,
        )
    db.session.commit()
    flash(message, "success")
    for reason in refused[:20]:
        flash(reason, "error")
    return back
