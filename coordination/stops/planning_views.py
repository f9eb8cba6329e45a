"""Staff planning pages of stops: list, calendar, timeline, rules, creation and linking."""

import secrets
from datetime import date, timedelta

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from coordination.auth.models import Role
from coordination.campaigns.models import Application, Edition
from coordination.core.clock import to_local, utcnow
from coordination.core.permissions import role_required
from coordination.core.text import parse_id
from coordination.extensions import db
from coordination.stops import queries, services
from coordination.stops.calendar_events import calendar_events
from coordination.stops.forms import ActionForm, MoveForm, RulesForm
from coordination.stops.manual import ManualStopForm
from coordination.stops.models import Stop
from coordination.stops.views import _edition_or_404, _stop_or_404, bp
from coordination.stops.warnings import edition_stops, plan_warnings, rules_for
from coordination.territories.models import Territory
from coordination.territories.queries import all_territories


@bp.route("/etapes/planning")
@role_required(Role.STAFF)
def planning_index():
    return render_template(
        "stops/planning_index.html", editions=queries.editions_with_stop_counts()
    )


def _plan(edition: Edition):
    stops = edition_stops(edition.id)
    return stops, plan_warnings(edition.id, stops)


def _pending(edition: Edition) -> dict:
    creatable, duplicates = services.pending_from_applications(edition)
    return {"waiting": len(creatable), "duplicates": duplicates}


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
        **_pending(edition),
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
        duplicates = services.pending_from_applications(edition)[1]
        if duplicates:
            flash(
                ngettext(
                    "%(num)s accepted application comes from a territory that already has a"
                    " stop: no second stop was made; link it below.",
                    "%(num)s accepted applications come from a territory that already has a"
                    " stop: no second stop was made; link them below.",
                    len(duplicates),
                ),
                "error",
            )
    return redirect(url_for("stops.planning_list", slug=slug) + "#duplicates")


@bp.route("/etapes/<int:stop_id>/lier/<int:application_id>", methods=["POST"])
@role_required(Role.STAFF)
def link_application(stop_id: int, application_id: int):
    stop = _stop_or_404(stop_id)
    application = db.session.get(Application, application_id)
    if application is None:
        abort(404)
    if ActionForm().validate_on_submit():
        try:
            services.link_application(stop, application, current_user, utcnow())
        except services.StopError as error:
            db.session.rollback()
            flash(str(error), "error")
        else:
            db.session.commit()
            flash(
                _("The application is linked to the stop “%(title)s”.", title=stop.title), "success"
            )
    return redirect(url_for("stops.planning_list", slug=stop.edition.slug))


@bp.route("/etapes/planning/<slug>/nouvelle", methods=["GET", "POST"])
@role_required(Role.STAFF)
def new_stop(slug: str):
    edition = _edition_or_404(slug)
    form = ManualStopForm()
    form.territory_id.choices = [("", "—")] + [(str(t.id), t.name) for t in all_territories()]
    if form.validate_on_submit():
        territory = db.session.get(Territory, parse_id(form.territory_id.data))
        stop = services.create_manual_stop(
            edition,
            territory=territory,
            commune=form.commune,
            day=form.day.data,
            times=(form.starts.data, form.ends.data),
            venue_name=form.venue_name.data or "",
            venue_address=form.venue_address.data or "",
            host_contacts=form.contacts(),
            by=current_user,
            now=utcnow(),
        )
        db.session.commit()
        if form.day.data:
            flash(_("The stop is added, tentative."), "success")
        else:
            flash(
                _("The stop is added, tentative, on the edition's first weekday: set its date."),
                "success",
            )
        return redirect(url_for("stops.stop_page", stop_id=stop.id))
    return render_template("stops/new.html", edition=edition, form=form), (
        422 if form.errors else 200
    )


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
        **_pending(edition),
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
