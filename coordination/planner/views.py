"""The planner's staff screen."""

from datetime import date

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from coordination.auth.models import Role
from coordination.campaigns.models import Edition
from coordination.core.clock import to_local, utcnow
from coordination.core.permissions import role_required
from coordination.extensions import db
from coordination.planner import locks, runs, services
from coordination.planner.forms import AcceptForm, LockForm, ProposeForm, RestartForm
from coordination.planner.models import PlannerRun, RunStatus
from coordination.planner.queries import current_plan, day_of, plan_map, run_status, weeks
from coordination.stops.models import Stop

bp = Blueprint("planner", __name__)


def _edition_or_404(slug: str) -> Edition:
    edition = db.session.scalar(select(Edition).where(Edition.slug == slug))
    if edition is None:
        abort(404)
    return edition


def _page(edition: Edition, form: ProposeForm, status: int = 200):
    plan = current_plan(edition)
    titles = {s.id: s.title for s in plan.stops}
    current_days = {s.id: day_of(s) for s in plan.stops}
    run = runs.latest_run(edition.id)
    proposal = timelines = maps = None
    if run is not None and run.status == RunStatus.DONE and run.best_plan is not None:
        # The stored plan read again against today's stops and rules, in the reader's
        # language (nothing is solved here).
        weights = services.Weights(**run.settings)
        prepared = services.prepare(edition, weights, utcnow())
        proposal = services.review(prepared, services.solution_of_plan(run.best_plan))
        proposed_days = {
            row.stop.id: row.proposed_day or row.current_day
            for row in proposal.rows
            if row.stop.id not in proposal.solution.unplaced or row.is_fixed
        }
        timelines = (weeks(current_days, titles), weeks(proposed_days, titles))
        maps = (plan_map(plan.stops, current_days), plan_map(plan.stops, proposed_days))
        if request.method == "GET" and not form.is_submitted():
            form = ProposeForm(data=run.settings_form_data())
    return (
        render_template(
            "planner/plan.html",
            edition=edition,
            form=form,
            plan=plan,
            run=run,
            run_state=run_status(run, utcnow()) if run is not None else None,
            proposal=proposal,
            timelines=timelines,
            maps=maps,
            lock_form=LockForm(),
            accept_form=AcceptForm(),
            restart_form=RestartForm(),
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
        runs.start_run(edition, weights, current_user, utcnow())
    except runs.RunRefused as error:
        db.session.rollback()
        flash(str(error), "error")
        return _page(edition, form, status=409)
    db.session.commit()
    flash(
        _("The planner is working on it: this page shows its progress, you may leave it."),
        "success",
    )
    return redirect(url_for("planner.plan_page", slug=slug) + "#run")


def _run_or_404(edition: Edition, run_id: int) -> PlannerRun:
    run = db.session.get(PlannerRun, run_id)
    if run is None or run.edition_id != edition.id:
        abort(404)
    return run


@bp.route("/etapes/planification/<slug>/calcul/<int:run_id>.json")
@role_required(Role.STAFF)
def run_json(slug: str, run_id: int):
    edition = _edition_or_404(slug)
    return jsonify(run_status(_run_or_404(edition, run_id), utcnow()))


@bp.route("/etapes/planification/<slug>/calcul/<int:run_id>/relancer", methods=["POST"])
@role_required(Role.STAFF)
def restart(slug: str, run_id: int):
    edition = _edition_or_404(slug)
    run = _run_or_404(edition, run_id)
    if not RestartForm().validate_on_submit():
        abort(400)
    if runs.restart_run(run, utcnow()):
        db.session.commit()
        flash(_("The computation starts again."), "success")
    else:
        db.session.rollback()
        flash(_("This computation is not stuck: it cannot be restarted."), "error")
    return redirect(url_for("planner.plan_page", slug=slug) + "#run")


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
    broken = services.accept_breaks(edition, days)
    if broken:
        # Part of a proposal can break a rule the whole keeps (two stops then on one
        # day…): nothing moves, and staff read which rule and which stop.
        flash(
            _("Nothing moved: with only the ticked changes, a rule would be broken.")
            + " "
            + " ".join(broken),
            "error",
        )
        return redirect(url_for("planner.plan_page", slug=slug) + "#proposal")
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
        locks.lock_stop(stop, current_user, utcnow(), form.reason.data or "")
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
        locks.unlock_stop(stop)
        db.session.commit()
        flash(_("%(stop)s may be moved by the planner again.", stop=stop.title), "success")
    return redirect(url_for("planner.plan_page", slug=slug))
