"""A stop's participants as a sortable table for staff and hosts, and check-in of many."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import ngettext

from coordination.core import listing
from coordination.core.clock import utcnow
from coordination.extensions import db
from coordination.participants import lists
from coordination.participants.forms import SelectionForm
from coordination.participants.views import _host_stop_or_abort, bp


@bp.route("/etapes/<int:stop_id>/participants/tableau")
def participant_table(stop_id: int):
    stop = _host_stop_or_abort(stop_id)
    state = listing.read_state(lists.PARTICIPANTS, request.args)
    form = SelectionForm()
    form.back.data = state.query_string
    return render_template(
        "participants/table.html",
        stop=stop,
        state=state,
        page=listing.paginate(lists.participants_query(stop.id, state), state),
        workshops=lists.workshop_choices(stop.id),
        form=form,
    )


@bp.route("/etapes/<int:stop_id>/participants/tableau/presence", methods=["POST"])
def bulk_check_in(stop_id: int):
    stop = _host_stop_or_abort(stop_id)
    form = SelectionForm()
    state = listing.back_state(lists.PARTICIPANTS, form.back.data or "")
    if form.validate_on_submit():
        ids = listing.selected_ids(request.form.getlist("ids"))
        ticked, left = lists.bulk_check_in(stop.id, ids, utcnow())
        db.session.commit()
        flash(
            ngettext(
                "%(num)s participant ticked present.",
                "%(num)s participants ticked present.",
                ticked,
            ),
            "success" if ticked else "error",
        )
        if left:
            flash(
                ngettext(
                    "%(num)s was left: cancelled, or not of this stop.",
                    "%(num)s were left: cancelled, or not of this stop.",
                    left,
                ),
                "error",
            )
    query = state.query_string
    target = url_for("participants.participant_table", stop_id=stop.id)
    return redirect(target + ("?" + query if query else ""), 303)
