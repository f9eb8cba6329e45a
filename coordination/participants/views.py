"""Registration to stops and check-in (questionnaires and the needs observatory:
questionnaire_views; the participants' table: list_views)."""

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from coordination.core.clock import utcnow
from coordination.extensions import db, login_manager
from coordination.participants import exports, queries, services
from coordination.participants.forms import (
    ActionForm,
    RegistrationForm,
    WorkshopForm,
)
from coordination.participants.models import (
    Registration,
    Seat,
    SeatStatus,
    Workshop,
)
from coordination.participants.sessions import choice_label
from coordination.programmes.public_queries import event_of_stop as programme_event_of
from coordination.stops import services as stop_services
from coordination.stops.models import Stop

bp = Blueprint("participants", __name__)


def _stop_or_404(stop_id: int) -> Stop:
    stop = db.session.get(Stop, stop_id)
    if stop is None:
        abort(404)
    return stop


def _locale() -> str:
    return str(get_locale() or "fr")


def _host_stop_or_abort(stop_id: int) -> Stop:
    """The stop, for staff and its hosts only."""
    stop = _stop_or_404(stop_id)
    if not current_user.is_authenticated:
        abort(login_manager.unauthorized())
    if not stop_services.can_edit_local_details(current_user, stop):
        abort(403)
    return stop


def _from_token(kind: str, token: str, model):
    row_id = services.read_token(kind, token)
    row = db.session.get(model, row_id) if row_id is not None else None
    if row is None:
        abort(404)
    return row


# --- Public registration -----------------------------------------------------------------


@bp.route("/etapes/<int:stop_id>/inscription", methods=["GET", "POST"])
def register(stop_id: int):
    stop = _stop_or_404(stop_id)
    if not stop_services.can_see(current_user, stop):
        abort(404)
    now = utcnow()
    event = programme_event_of(stop)
    # An open programme's event without registration: open to all, no form.
    no_registration = event is not None and not event.is_registration_required
    is_open = services.is_open_for_registration(stop, now) and not no_registration
    workshops = services.open_workshops(stop) if is_open else []
    # A programme event is its single workshop: registering takes (or queues for) its place.
    single = workshops[0] if event is not None and len(workshops) == 1 else None
    form = RegistrationForm(stop=stop)
    form.workshops.choices = [(w.id, choice_label(w)) for w in workshops]
    form.workshop_rows = workshops
    if no_registration and request.method == "POST":
        flash(_("This event needs no registration: come along."), "error")
    if is_open and form.validate_on_submit():
        chosen = [single.id] if single is not None else form.workshops.data or []
        try:
            registration = services.register(
                stop, form.fields_for_service(), chosen, _locale(), now
            )
        except services.ParticipantError as error:
            db.session.rollback()
            flash(str(error), "error")
        else:
            db.session.commit()
            flash(_("You are registered. A confirmation is on its way by email."), "success")
            token = services.make_token("registration", registration.id)
            return redirect(url_for("participants.manage", token=token))
    db.session.commit()  # workshops made from the agenda on first view
    return render_template(
        "participants/register.html",
        stop=stop,
        form=form,
        is_open=is_open,
        workshops=workshops,
        single_workshop=single,
        no_registration=no_registration,
    ), (400 if no_registration and request.method == "POST" else 200)


@bp.route("/inscriptions/<token>")
def manage(token: str):
    registration = _from_token("registration", token, Registration)
    return render_template(
        "participants/manage.html",
        registration=registration,
        stop=registration.stop,
        token=token,
        form=ActionForm(),
        offer_token=lambda seat: services.make_token("offer", seat.id),
    )


@bp.route("/inscriptions/<token>/annuler", methods=["POST"])
def cancel(token: str):
    registration = _from_token("registration", token, Registration)
    form = ActionForm()
    if form.validate_on_submit():
        services.cancel_registration(registration, utcnow())
        db.session.commit()
        flash(_("Your registration is cancelled."), "success")
    return redirect(url_for("participants.manage", token=token))


@bp.route("/inscriptions/offre/<token>", methods=["GET", "POST"])
def offer(token: str):
    seat = _from_token("offer", token, Seat)
    form = ActionForm()
    now = utcnow()
    if request.method == "POST" and form.validate_on_submit():
        try:
            if request.form.get("answer") == "decline":
                services.decline_offer(seat, now)
                message = _("You turned the place down; it goes to the next person.")
            else:
                services.accept_offer(seat, now)
                message = _("Your place is confirmed.")
        except services.ParticipantError as error:
            db.session.rollback()
            flash(str(error), "error")
        else:
            db.session.commit()
            flash(message, "success")
        return redirect(url_for("participants.offer", token=token))
    return render_template(
        "participants/offer.html",
        seat=seat,
        registration=seat.registration,
        stop=seat.registration.stop,
        is_valid=seat.status == SeatStatus.OFFERED and seat.offer_expires_at > now,
        manage_token=services.make_token("registration", seat.registration_id),
        form=form,
    )


# --- Hosts and staff: the list, check-in, sign-in sheet, exports --------------------------


@bp.route("/etapes/<int:stop_id>/participants")
def participants_list(stop_id: int):
    stop = _host_stop_or_abort(stop_id)
    text = request.args.get("q", "").strip()[:100]
    workshops = services.sync_workshops(stop)
    db.session.commit()
    registrations = queries.stop_registrations(stop, text)
    return render_template(
        "participants/list.html",
        stop=stop,
        registrations=registrations,
        workshops=workshops,
        workshop_forms={
            w.id: WorkshopForm(prefix=f"w{w.id}", capacity=w.capacity, is_open=w.is_open)
            for w in workshops
        },
        text=text,
        waiting=queries.waiting_counts(stop),
        form=ActionForm(),
    )


@bp.route("/etapes/<int:stop_id>/participants/<int:registration_id>/presence", methods=["POST"])
def check_in(stop_id: int, registration_id: int):
    stop = _host_stop_or_abort(stop_id)
    registration = db.session.get(Registration, registration_id)
    if registration is None or registration.stop_id != stop.id:
        abort(404)
    form = ActionForm()
    if form.validate_on_submit():
        try:
            services.set_checked_in(registration, request.form.get("present") == "1", utcnow())
        except services.ParticipantError as error:
            db.session.rollback()
            flash(str(error), "error")
        else:
            db.session.commit()
    if request.accept_mimetypes.best == "application/json":
        return {"id": registration.id, "present": registration.checked_in_at is not None}
    text = request.form.get("q") or None
    target = url_for("participants.participants_list", stop_id=stop.id, q=text)
    return redirect(f"{target}#r{registration.id}")


@bp.route("/etapes/<int:stop_id>/ateliers/<int:workshop_id>", methods=["POST"])
def save_workshop(stop_id: int, workshop_id: int):
    stop = _host_stop_or_abort(stop_id)
    workshop = db.session.get(Workshop, workshop_id)
    if workshop is None or workshop.stop_id != stop.id:
        abort(404)
    form = WorkshopForm(prefix=f"w{workshop.id}")
    if form.validate_on_submit():
        services.set_capacity(workshop, form.capacity.data, form.is_open.data, utcnow())
        db.session.commit()
        flash(_("Workshop saved."), "success")
    else:
        flash(_("The capacity must be a whole number, 0 or more."), "error")
    return redirect(url_for("participants.participants_list", stop_id=stop.id))


@bp.route("/etapes/<int:stop_id>/participants/emargement")
def sign_in_sheet(stop_id: int):
    stop = _host_stop_or_abort(stop_id)
    registrations = [r for r in queries.stop_registrations(stop) if r.is_active]
    return render_template("participants/sheet.html", stop=stop, registrations=registrations)


@bp.route("/etapes/<int:stop_id>/participants.<any(csv, xlsx):fmt>")
def export(stop_id: int, fmt: str):
    stop = _host_stop_or_abort(stop_id)
    workshops = services.sync_workshops(stop)
    registrations = queries.stop_registrations(stop)
    table = exports.participants_table(registrations, workshops)
    name = f"participants-etape-{stop.id}"
    if fmt == "csv":
        return Response(
            exports.as_csv(table),
            mimetype="text/csv",
            headers={"Content-Disposition": f'attachment; filename="{name}.csv"'},
        )
    return Response(
        exports.as_xlsx(table, _("Participants")),
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": f'attachment; filename="{name}.xlsx"'},
    )


from coordination.participants import (  # noqa: E402, F401  (same blueprint)
    list_views,
    questionnaire_views,
)
