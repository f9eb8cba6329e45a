"""Waiting membership requests decided many at once (same blueprint)."""

from flask import flash, redirect, request, url_for
from flask_babel import ngettext
from flask_login import current_user, login_required
from sqlalchemy import select

from coordination.clubs import services
from coordination.clubs.forms import BulkDecisionForm
from coordination.clubs.models import Membership
from coordination.clubs.views import bp
from coordination.core import listing
from coordination.core.clock import utcnow
from coordination.core.text import parse_id
from coordination.extensions import db


@bp.route("/clubs/demandes/selection", methods=["POST"])
@login_required
def bulk_decide_requests():
    form = BulkDecisionForm()
    back = redirect(url_for("clubs.request_list"), 303)
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for error in errors:
                flash(error, "error")
        return back
    ids = listing.selected_ids(request.form.getlist("ids"))
    memberships = db.session.scalars(select(Membership).where(Membership.id.in_(ids)))
    done = skipped = 0
    for membership in memberships:
        version = parse_id(request.form.get(f"version-{membership.id}"))
        # The same rules as one by one: who may decide, and only at the version shown.
        if version is None or not services.can_manage_club(current_user, membership.club):
            skipped += 1
            continue
        try:
            with db.session.begin_nested():
                if form.decision.data == "approve":
                    services.approve_membership(membership, version, current_user, utcnow())
                else:
                    reason = form.reason.data.strip()
                    services.reject_membership(membership, version, reason, current_user, utcnow())
        except services.ClubRuleError:
            skipped += 1
        else:
            done += 1
    db.session.commit()
    flash(ngettext("%(num)s request decided.", "%(num)s requests decided.", done), "success")
    if skipped:
        flash(
            ngettext(
                "%(num)s request was left: already decided, changed, or not yours.",
                "%(num)s requests were left: already decided, changed, or not yours.",
                skipped,
            ),
            "error",
        )
    return back
