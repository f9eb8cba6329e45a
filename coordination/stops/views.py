"""Public pages of the stops, their editing and status changes (planning: planning_views)."""

import re

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user, login_required

from coordination.auth.models import Role
from coordination.auth.services import safe_next_path
from coordination.campaigns.forms import without_row
from coordination.campaigns.models import Edition
from coordination.core.clock import local_datetime, to_local, utcnow
from coordination.core.formatting import local_date, local_time_range
from coordination.core.permissions import role_required
from coordination.extensions import db
from coordination.stops import notify_preview, queries, services
from coordination.stops.forms import (
    MAX_SPEAKERS,
    ActionForm,
    CancelForm,
    LocalDetailsForm,
    MoveForm,
    StopForm,
)
from coordination.stops.history import describe as describe_change
from coordination.stops.models import STATUS_LABELS, Stop
from coordination.stops.warnings import stop_warnings

bp = Blueprint("stops", __name__)

#: "add-agenda-2-speaker_rows", "remove-agenda-2-speaker_rows-1": the speakers' row buttons.
SPEAKER_ROW_ACTION = re.compile(r"(add|remove)-agenda-(\d{1,2})-speaker_rows(?:-(\d{1,2}))?")


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


@bp.route("/etapes/mes-etapes")
@role_required(Role.TERRITORY_CONTACT)
def my_stops():
    return render_template("stops/my_stops.html", stops=queries.hosted_stops(current_user))


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
        describe_change=describe_change,
    )


# --- Editing ----------------------------------------------------------------------------


@bp.route("/etapes/<int:stop_id>/modifier", methods=["GET", "POST"])
@login_required
def edit_stop(stop_id: int):
    stop = _stop_or_404(stop_id)
    if not services.can_edit_local_details(current_user, stop):
        abort(403)
    is_staff = services.is_staff(current_user)
    form_class = StopForm if is_staff else LocalDetailsForm
    # "Add a speaker" / "Remove" work without JavaScript: the page comes back, nothing lost.
    row_action = SPEAKER_ROW_ACTION.fullmatch(request.form.get("action", ""))
    if request.method == "POST" and row_action:
        formdata = request.form
        if row_action[1] == "remove" and row_action[3] is not None:
            name = f"agenda-{row_action[2]}-speaker_rows"
            formdata = without_row(request.form, name, int(row_action[3]))
        form = form_class(formdata=formdata)
        if row_action[1] == "add":
            form.add_speaker_row(int(row_action[2]))
    else:
        form = form_class()
    if request.method == "GET":
        form.fill_from(stop)
    elif not row_action and form.validate_on_submit() and request.form.get("revise") != "1":
        now = utcnow()
        if is_staff:
            times = (
                local_datetime(form.day.data, form.starts.data),
                local_datetime(form.day.data, form.ends.data),
            )

            def save(s):
                return services.save_stop(
                    s,
                    current_user,
                    now,
                    fields=form.staff_fields(),
                    times=times,
                    agenda=form.agenda_items(),
                )

            if times != (stop.starts_at, stop.ends_at):
                # A new date is told to calendars: staff see who first, as when moving.
                page = _preview_first(
                    stop,
                    save,
                    _("Reschedule this stop to %(when)s", when=local_time_range(*times)),
                    _typed_fields(),
                    revise=True,
                )
                if page is not None:
                    return page
        else:

            def save(s):
                return services.save_stop(
                    s,
                    current_user,
                    now,
                    fields=form.local_fields(),
                    agenda=form.agenda_items(),
                    local_only=True,
                )

        try:
            save(stop)
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
        max_speakers=MAX_SPEAKERS,
    )


@bp.route("/etapes/<int:stop_id>/deplacer", methods=["POST"])
@role_required(Role.STAFF)
def move_stop(stop_id: int):
    stop = _stop_or_404(stop_id)
    form = MoveForm()
    if not form.validate_on_submit():
        flash(_("Give a valid date."), "error")
    else:
        page = _preview_first(
            stop,
            lambda s: services.move_to_day(s, form.day.data, current_user, utcnow()),
            _("Move this stop to %(day)s", day=format_date(form.day.data, "full")),
            {"day": form.day.data.isoformat(), "next": request.form.get("next", "")},
        )
        if page is not None:
            return page
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


def _typed_fields() -> dict:
    """What the form posted, to post again from the confirmation page (token aside)."""
    return {k: v for k, v in request.form.items() if k not in ("csrf_token", "confirmed", "revise")}


def _preview_first(stop: Stop, action, title: str, fields: dict, revise: bool = False):
    """The confirmation page listing who will receive what, unless nobody will or staff
    already confirmed (None then: act). With `revise`, going back posts the typed fields
    again to the form, so nothing typed is lost."""
    if request.form.get("confirmed") == "1":
        return None
    try:
        recipients = notify_preview.preview(stop, action)
    except services.StopError:
        return None  # acting shows the error
    if not recipients:
        return None
    return render_template(
        "stops/confirm_action.html",
        stop=stop,
        title=title,
        recipients=recipients,
        audiences=notify_preview.AUDIENCES,
        fields=fields,
        back=_back(stop),
        revise=revise,
        action_form=ActionForm(),
    )


def _status_action(stop_id: int, action, message: str, title: str | None = None, fields=None):
    stop = _stop_or_404(stop_id)
    if ActionForm().validate_on_submit():
        if title is not None:
            page = _preview_first(stop, action, title, fields or {})
            if page is not None:
                return page
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
        stop_id,
        lambda s: services.confirm_stop(s, current_user, utcnow()),
        _("Stop confirmed."),
        title=_("Confirm this stop"),
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
    if not reason:
        # Staff always say why: the reason goes into every cancellation email.
        flash(_("Give the reason for cancelling: it goes into the cancellation email."), "error")
        return redirect(_back(_stop_or_404(stop_id)))
    return _status_action(
        stop_id,
        lambda s: services.cancel_stop(s, current_user, utcnow(), reason),
        _("Stop cancelled."),
        title=_("Cancel this stop"),
        fields={"reason": reason},
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


from coordination.stops import planning_views  # noqa: E402, F401  (same blueprint)
