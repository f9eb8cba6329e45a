"""The memberships of one club as its managers sort them, and ending many at once."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import ngettext
from flask_login import login_required

from coordination.clubs import lists
from coordination.clubs.forms import SelectionForm
from coordination.clubs.models import MEMBERSHIP_STATUS_LABELS, PARTNER_KIND_LABELS
from coordination.clubs.views import _managed_club_or_403, bp
from coordination.core import listing
from coordination.core.clock import utcnow
from coordination.extensions import db


@bp.route("/clubs/<slug>/adhesions")
@login_required
def member_list(slug: str):
    club = _managed_club_or_403(slug)
    state = listing.read_state(lists.MEMBERS, request.args)
    form = SelectionForm()
    form.back.data = state.query_string
    return render_template(
        "clubs/members.html",
        club=club,
        state=state,
        page=listing.paginate(lists.members_query(club.id, state), state),
        statuses=MEMBERSHIP_STATUS_LABELS,
        kinds=PARTNER_KIND_LABELS,
        form=form,
    )


@bp.route("/clubs/<slug>/adhesions/fin", methods=["POST"])
@login_required
def end_memberships(slug: str):
    club = _managed_club_or_403(slug)
    form = SelectionForm()
    state = listing.back_state(lists.MEMBERS, form.back.data or "")
    if form.validate_on_submit():
        ids = listing.selected_ids(request.form.getlist("ids"))
        ended, left = lists.end_memberships(club.id, ids, utcnow())
        db.session.commit()
        flash(
            ngettext("%(num)s membership ended.", "%(num)s memberships ended.", ended),
            "success" if ended else "error",
        )
        if left:
            flash(
                ngettext(
                    "%(num)s was left as it was: already ended, refused, or not of this club.",
                    "%(num)s were left as they were: already ended, refused, or not of this club.",
                    left,
                ),
                "error",
            )
    query = state.query_string
    target = url_for("clubs.member_list", slug=club.slug)
    return redirect(target + ("?" + query if query else ""), 303)
