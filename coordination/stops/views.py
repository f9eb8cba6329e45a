"""Planning views for staff and the public pages of the stops."""

import secrets
from datetime import date, timedelta

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from coordination.auth.models import Role
from coordination.auth.services import safe_next_path
from coordination.campaigns.models import Edition
from coordination.core.clock import local_datetime, to_local, utcnow
from coordination.core.formatting import local_date
from coordination.core.permissions import role_required
from coordination.extensions import db
from coordination.stops import queries, services
from coordination.stops.calendar_events import calendar_events
from coordination.stops.forms import (
    ActionForm,
    CancelForm,
    LocalDetailsForm,
    MoveForm,
    RulesForm,
    StopForm,
)
from coordination.stops.models import STATUS_LABELS, Stop
from coordination.stops.warnings import edition_stops, plan_warnings, rules_for, stop_warnings

bp = Blueprint("stops", __name__)


def _edition_or_404(slug: str) -> Edition:
    edition = queries.edition_by_slug(slug)
    if edition is None:
        abort(404)
    return edition


def _stop_or_404(stop_id: int) -> Stop:
    stop = queries.stop_by_id(stop_id)
    if stop is None:
        abort(404)
    return stop


def _back(stop: Stop) -> str:
    return safe_next_path(request.form.get("next")) or url_for("stops.stop_page", stop_id=stop.id)


# --- Public -----------------------------------------------------------------------------


@bp.route("/etapes")
def public_list():
    edition = queries.current_edition(to_local(utcnow()).date())
    stops = queries.public_stops(edition) if edition else []
    return render_template(
        "stops/public_list.html",
        edition=edition,
        stops=stops,
        editions=queries.editions_with_public_stops(),
    )


@bp.route("/etapes/edition/<slug>")
def edition_stops_page(slug: str):
    edition = _edition_or_404(slug)
    return render_template(
        "stops/public_list.html",
        edition=edition,
        stops=queries.public_stops(edition),
        editions=queries.editions_with_public_stops(),
    )


@bp.route("/etapes/<int:stop_id>")
def stop_page(stop_id: int):
    stop = _stop_or_404(stop_id)
    if not services.can_see(current_user, stop):
        abort(404)
    is_staff = services.is_staff(current_user)
    return render_template(
        "stops/stop.html",
        stop=stop,
        is_staff=is_staff,
        can_edit=services.can_edit_local_details(current_user, stop),
        warnings=stop_warnings(stop) if is_staff else [],
        action_form=ActionForm(),
        cancel_form=CancelForm(),
        status_labels=STATUS_LABELS,
    )


# --- Staff planning ---------------------------------------------------------------------


@bp.route("/etapes/planning")
@role_required(Role.STAFF)
def planning_index():
    return render_template(
        "stops/planning_index.html", editions=queries.editions_with_stop_counts()
    )


def _plan(edition: Edition):
    stops = edition_stops(edition.id)
    return stops, plan_warnings(edition.id, stops)


@bp.route("/etapes/planning/<slug>")
@role_required(Role.STAFF)
def planning_list(slug: str):
    edition = _edition_or_404(slug)
    stops, warnings = _plan(edition)
    rules = rules_for(edition.id)
    rules_form = RulesForm(obj=rules)
    return render_template(
        "stops/planning_list.html",
        edition=edition,
        stops=stops,
        warnings=warnings,
        waiting=len(services.accepted_without_stop(edition)),
        action_form=ActionForm(),
        rules_form=rules_form,
        view="list",
    )


@bp.route("/etapes/planning/<slug>/depuis-candidatures", methods=["POST"])
@role_required(Role.STAFF)
def create_from_applications(slug: str):
    edition = _edition_or_404(slug)
    if ActionForm().validate_on_submit():
        created = services.create_stops_from_accepted(edition, current_user, utcnow())
        db.session.commit()
        flash(
            _("%(count)s stops created from accepted applications.", count=len(created)), "success"
        )
    return redirect(url_for("stops.planning_list", slug=slug))


@bp.route("/etapes/planning/<slug>/regles", methods=["POST"])
@role_required(Role.STAFF)
def save_rules(slug: str):
    edition = _edition_or_404(slug)
    form = RulesForm()
    if form.validate_on_submit():
        services.save_rules(
            edition,
            max_stops_per_week=form.max_stops_per_week.data,
            max_km_per_day=form.max_km_per_day.data,
            is_august_break=form.is_august_break.data,
            is_parallel_allowed=form.is_parallel_allowed.data,
        )
        db.session.commit()
        flash(_("Planning rules saved."), "success")
        return redirect(url_for("stops.planning_list", slug=slug))
    stops, warnings = _plan(edition)
    return render_template(
        "stops/planning_list.html",
        edition=edition,
        stops=stops,
        warnings=warnings,
        waiting=len(services.accepted_without_stop(edition)),
        action_form=ActionForm(),
        rules_form=form,
        view="list",
    ), 400


def _month_arg(edition: Edition, stops: list[Stop]) -> tuple[int, int]:
    raw = request.args.get("mois", "")
    try:
        year, month = (int(part) for part in raw.split("-"))
        if 1 <= month <= 12 and 2000 <= year <= 2100:
            return year, month
    except ValueError:
        pass
    today = to_local(utcnow()).date()
    coming = [s for s in stops if to_local(s.starts_at).date() >= today]
    first = to_local(coming[0].starts_at).date() if coming else edition.starts_on
    return first.year, first.month


@bp.route("/etapes/planning/<slug>/calendrier")
@role_required(Role.STAFF)
def planning_calendar(slug: str):
    edition = _edition_or_404(slug)
    stops, warnings = _plan(edition)
    year, month = _month_arg(edition, stops)
    # FullCalendar injects its own <style> tags: allowed by a per-response nonce only.
    nonce = secrets.token_urlsafe(16)
    g.content_security_policy = (
        f"default-src 'self'; img-src 'self' data:; style-src 'self' 'nonce-{nonce}'; "
        "font-src 'self' data:; script-src 'self'; frame-ancestors 'none'; "
        "form-action 'self'; base-uri 'self'; object-src 'none'"
    )
    return render_template(
        "stops/calendar.html",
        edition=edition,
        stops=stops,
        month=date(year, month, 1),
        events=calendar_events(stops, warnings),
        warnings=warnings,
        csp_nonce=nonce,
        move_form=MoveForm(),
        view="calendar",
    )


@bp.route("/etapes/planning/<slug>/frise")
@role_required(Role.STAFF)
def planning_timeline(slug: str):
    edition = _edition_or_404(slug)
    stops, warnings = _plan(edition)
    rules = rules_for(edition.id)
    days = [to_local(s.starts_at).date() for s in stops]
    first = min([edition.starts_on, *days])
    last = max([edition.ends_on, *days])
    monday = first - timedelta(days=first.weekday())
    weeks = []
    while monday <= last:
        sunday = monday + timedelta(days=6)
        in_week = [s for s, d in zip(stops, days, strict=True) if monday <= d <= sunday]
        weeks.append((monday, sunday, in_week))
        monday += timedelta(days=7)
    return render_template(
        "stops/timeline.html",
        edition=edition,
        weeks=weeks,
        warnings=warnings,
        rules=rules,
        view="timeline",
    )


# --- Editing ----------------------------------------------------------------------------


@bp.route("/etapes/<int:stop_id>/modifier", methods=["GET", "POST"])
@login_required
def edit_stop(stop_id: int):
    stop = _stop_or_404(stop_id)
    if not services.can_edit_local_details(current_user, stop):
        abort(403)
    is_staff = services.is_staff(current_user)
    form = StopForm() if is_staff else LocalDetailsForm()
    if request.method == "GET":
        form.fill_from(stop)
    elif form.validate_on_submit():
        now = utcnow()
        try:
            if is_staff:
                services.save_stop(
                    stop,
                    current_user,
                    now,
                    fields=form.staff_fields(),
                    times=(
                        local_datetime(form.day.data, form.starts.data),
                        local_datetime(form.day.data, form.ends.data),
                    ),
                    agenda=form.agenda_items(),
                )
            else:
                services.save_stop(
                    stop,
                    current_user,
                    now,
                    fields=form.local_fields(),
                    agenda=form.agenda_items(),
                    local_only=True,
                )
        except services.StopError as error:
            db.session.rollback()
            flash(str(error), "error")
        else:
            db.session.commit()
            flash(_("Stop saved."), "success")
            return redirect(url_for("stops.stop_page", stop_id=stop.id))
    return render_template(
        "stops/edit.html",
        stop=stop,
        form=form,
        is_staff=is_staff,
        warnings=stop_warnings(stop) if is_staff else [],
    )


@bp.route("/etapes/<int:stop_id>/deplacer", methods=["POST"])
@role_required(Role.STAFF)
def move_stop(stop_id: int):
    stop = _stop_or_404(stop_id)
    form = MoveForm()
    if not form.validate_on_submit():
        flash(_("Give a valid date."), "error")
    else:
        try:
            services.move_to_day(stop, form.day.data, current_user, utcnow())
        except services.StopError as error:
            db.session.rollback()
            flash(str(error), "error")
        else:
            db.session.commit()
            flash(
                _(
                    "%(title)s moved to %(day)s.",
                    title=stop.title,
                    day=local_date(form.day.data, "full"),
                ),
                "success",
            )
    return redirect(_back(stop))


def _status_action(stop_id: int, action, message: str):
    stop = _stop_or_404(stop_id)
    if ActionForm().validate_on_submit():
        try:
            action(stop)
        except services.StopError as error:
            db.session.rollback()
            flash(str(error), "error")
        else:
            db.session.commit()
            flash(message, "success")
    return redirect(_back(stop))


@bp.route("/etapes/<int:stop_id>/confirmer", methods=["POST"])
@role_required(Role.STAFF)
def confirm(stop_id: int):
    return _status_action(
        stop_id, lambda s: services.confirm_stop(s, current_user, utcnow()), _("Stop confirmed.")
    )


@bp.route("/etapes/<int:stop_id>/tenue", methods=["POST"])
@role_required(Role.STAFF)
def held(stop_id: int):
    return _status_action(
        stop_id, lambda s: services.mark_held(s, current_user, utcnow()), _("Stop marked as held.")
    )


@bp.route("/etapes/<int:stop_id>/annuler", methods=["POST"])
@role_required(Role.STAFF)
def cancel(stop_id: int):
    reason = (request.form.get("reason") or "").strip()[:2000]
    return _status_action(
        stop_id,
        lambda s: services.cancel_stop(s, current_user, utcnow(), reason),
        _("Stop cancelled."),
    )


@bp.route("/etapes/<int:stop_id>/avertissements/<code>/acquitter", methods=["POST"])
@role_required(Role.STAFF)
def acknowledge(stop_id: int, code: str):
    return _status_action(
        stop_id,
        lambda s: services.acknowledge_warning(s, code, current_user, utcnow()),
        _("Warning acknowledged."),
    )


@bp.route("/etapes/<int:stop_id>/avertissements/<code>/retablir", methods=["POST"])
@role_required(Role.STAFF)
def unacknowledge(stop_id: int, code: str):
    return _status_action(
        stop_id, lambda s: services.withdraw_acknowledgement(s, code), _("Warning shown again.")
    )
