"""The planner's staff screen."""

from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from coordination.auth.models import Role
from coordination.campaigns.models import Edition
from coordination.core.clock import to_local, utcnow
from coordination.core.permissions import role_required
from coordination.extensions import db
from coordination.planner import services
from coordination.planner.forms import AcceptForm, LockForm, ProposeForm
from coordination.planner.queries import current_plan, day_of, weeks
from coordination.stops.models import Stop

bp = Blueprint("planner", __name__)


def _edition_or_404(slug: str) -> Edition:
    edition = db.session.scalar(select(Edition).where(Edition.slug == slug))
    if edition is None:
        abort(404)
    return edition


def _page(edition: Edition, form: ProposeForm, proposal=None, status: int = 200):
    plan = current_plan(edition)
    titles = {s.id: s.title for s in plan.stops}
    current_days = {s.id: day_of(s) for s in plan.stops}
    timelines = None
    if proposal is not None:
        proposed_days = {
            row.stop.id: row.proposed_day or row.current_day
            for row in proposal.rows
            if row.stop.id not in proposal.solution.unplaced or row.is_fixed
        }
        timelines = (weeks(current_days, titles), weeks(proposed_days, titles))
    return (
        render_template(
            "planner/plan.html",
            edition=edition,
            form=form,
            plan=plan,
            proposal=proposal,
            timelines=timelines,
            lock_form=LockForm(),
            accept_form=AcceptForm(),
        ),
        status,
    )


@bp.route("/etapes/planification/<slug>")
@role_required(Role.STAFF)
def plan_page(slug: str):
    edition = _edition_or_404(slug)
    return _page(edition, ProposeForm())


@bp.route("/etapes/planification/<slug>/proposer", methods=["POST"])
@role_required(Role.STAFF)
def propose(slug: str):
    edition = _edition_or_404(slug)
    form = ProposeForm()
    if not form.validate_on_submit():
        return _page(edition, form, status=400)
    weights = services.Weights(
        first_window=form.first_window_weight.data,
        region=form.region_weight.data,
        time_limit=form.time_limit.data,
    )
    try:
        proposal = services.propose(edition, weights, utcnow())
    except services.PlannerError as error:
        form.time_limit.errors = [str(error)]
        return _page(edition, form, status=400)
    return _page(edition, form, proposal)


@bp.route("/etapes/planification/<slug>/accepter", methods=["POST"])
@role_required(Role.STAFF)
def accept(slug: str):
    edition = _edition_or_404(slug)
    if not AcceptForm().validate_on_submit():
        abort(400)
    days: dict[int, date] = {}
    for value in request.form.getlist("stop"):
        if not value.isdigit():
            continue
        try:
            days[int(value)] = date.fromisoformat(request.form.get(f"day_{value}", ""))
        except ValueError:
            continue
    if not days:
        flash(_("Tick at least one stop to move."), "error")
        return redirect(url_for("planner.plan_page", slug=slug))
    moved = services.accept(edition, days, current_user, utcnow())
    db.session.commit()
    flash(_("%(count)s stops moved to their proposed day.", count=len(moved)), "success")
    return redirect(url_for("planner.plan_page", slug=slug))


def _stop_of(edition: Edition, stop_id: int) -> Stop:
    stop = db.session.get(Stop, stop_id)
    if stop is None or stop.edition_id != edition.id:
        abort(404)
    return stop


@bp.route("/etapes/planification/<slug>/verrou/<int:stop_id>", methods=["POST"])
@role_required(Role.STAFF)
def lock(slug: str, stop_id: int):
    edition = _edition_or_404(slug)
    stop = _stop_of(edition, stop_id)
    form = LockForm()
    if form.validate_on_submit():
        services.lock_stop(stop, current_user, utcnow(), form.reason.data or "")
        db.session.commit()
        flash(
            _(
                "%(stop)s is locked on %(day)s.",
                stop=stop.title,
                day=to_local(stop.starts_at).date().isoformat(),
            ),
            "success",
        )
    else:
        flash(" ".join(e for errors in form.errors.values() for e in errors), "error")
    return redirect(url_for("planner.plan_page", slug=slug))


@bp.route("/etapes/planification/<slug>/deverrou/<int:stop_id>", methods=["POST"])
@role_required(Role.STAFF)
def unlock(slug: str, stop_id: int):
    edition = _edition_or_404(slug)
    stop = _stop_of(edition, stop_id)
    if LockForm().validate_on_submit():
        services.unlock_stop(stop)
        db.session.commit()
        flash(_("%(stop)s may be moved by the planner again.", stop=stop.title), "success")
    return redirect(url_for("planner.plan_page", slug=slug))
