"""Staff pages of open programmes: the call for events, the proposals, their review."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from coordination.auth.models import Role
from coordination.campaigns.forms import paris_datetime
from coordination.campaigns.models import Edition, EditionKind
from coordination.core import listing
from coordination.core.clock import to_local, utcnow
from coordination.core.permissions import role_required
from coordination.extensions import db
from coordination.programmes import queries, services
from coordination.programmes.forms import CallForm, ReviewForm
from coordination.programmes.models import (
    EVENT_STATUS_LABELS,
    FORMAT_LABELS,
    ProgrammeEvent,
)
from coordination.programmes.views import bp
from coordination.territories.queries import region_choices


def _week_or_404(edition_id: int) -> Edition:
    edition = db.session.get(Edition, edition_id)
    if edition is None or edition.kind != EditionKind.INNOVATION_WEEK:
        abort(404)
    return edition


def _naive_local(value):
    return to_local(value).replace(tzinfo=None) if value else None


@bp.route("/gestion/editions/<int:edition_id>/appel-evenements", methods=["GET", "POST"])
@role_required(Role.STAFF)
def call_form(edition_id: int):
    edition = _week_or_404(edition_id)
    call = services.call_of(edition)
    if request.method == "GET" and call is not None:
        form = CallForm(
            opens_at=_naive_local(call.opens_at),
            closes_at=_naive_local(call.closes_at),
            region_code=call.region_code or "",
            instructions=call.instructions,
        )
    else:
        form = CallForm()
    form.region_code.choices = [("", "—"), *region_choices()]
    if form.validate_on_submit():
        try:
            services.save_call(
                edition,
                {
                    "opens_at": paris_datetime(form.opens_at.data),
                    "closes_at": paris_datetime(form.closes_at.data),
                    "instructions": form.instructions.data or "",
                    "region_code": form.region_code.data or None,
                },
            )
        except services.EventError as error:
            db.session.rollback()
            flash(str(error), "error")
        else:
            db.session.commit()
            flash(_("The call for events is saved."), "success")
            return redirect(url_for("programmes.staff_events", edition_id=edition.id))
    return render_template("programmes/call_form.html", form=form, edition=edition, call=call), (
        422 if form.errors or request.method == "POST" else 200
    )


@bp.route("/gestion/editions/<int:edition_id>/evenements")
@role_required(Role.STAFF)
def staff_events(edition_id: int):
    edition = _week_or_404(edition_id)
    state = listing.read_state(queries.EVENTS, request.args)
    return render_template(
        "programmes/staff_list.html",
        edition=edition,
        call=services.call_of(edition),
        state=state,
        page=listing.paginate(queries.events_query(edition, state), state),
        counts=queries.status_counts(edition),
        statuses=EVENT_STATUS_LABELS,
        formats=FORMAT_LABELS,
        communes=queries.commune_choices(edition),
    )


def _staff_event_or_404(event_id: int) -> ProgrammeEvent:
    event = db.session.get(ProgrammeEvent, event_id)
    if event is None:
        abort(404)
    return event


@bp.route("/gestion/evenements/<int:event_id>")
@role_required(Role.STAFF)
def staff_event(event_id: int):
    event = _staff_event_or_404(event_id)
    return render_template(
        "programmes/staff_event.html",
        event=event,
        edition=event.edition,
        form=ReviewForm(),
        missing=services.missing_details(event),
    )


@bp.route(
    "/gestion/evenements/<int:event_id>/<any(publier,renvoyer,retirer):action>", methods=["POST"]
)
@role_required(Role.STAFF)
def review_event(event_id: int, action: str):
    event = _staff_event_or_404(event_id)
    form = ReviewForm()
    if not form.validate_on_submit():
        flash(_("The form has expired: try again."), "error")
        return redirect(url_for("programmes.staff_event", event_id=event.id))
    now = utcnow()
    comment = form.comment.data or ""
    try:
        if action == "publier":
            services.publish_event(event, current_user, now, comment=comment)
            message = _("The event is published: it is now a stop of the programme.")
        elif action == "renvoyer":
            services.return_event(event, comment, current_user, now)
            message = _("The event is sent back to its organisers.")
        else:
            services.withdraw_event(event, current_user, now, reason=comment)
            message = _("The event is withdrawn from the programme.")
    except services.EventError as error:
        db.session.rollback()
        flash(str(error), "error")
        return render_template(
            "programmes/staff_event.html",
            event=event,
            edition=event.edition,
            form=form,
            missing=services.missing_details(event),
        ), 422
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("programmes.staff_event", event_id=event.id))
