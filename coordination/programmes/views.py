"""Organisers' pages of open programmes: my events, propose an event, edit it."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from coordination.auth.models import Role
from coordination.campaigns.models import Edition, EditionKind
from coordination.core.clock import to_local, utcnow
from coordination.core.permissions import role_required
from coordination.extensions import db
from coordination.programmes import queries, services
from coordination.programmes.forms import EventForm
from coordination.programmes.models import EventStatus, ProgrammeEvent

bp = Blueprint("programmes", __name__)

#: The event's fields the form shows as they are (times, commune and choices aside).
EDITABLE = ("title", "format", "audience", "description", "venue_name", "venue_address")


def _event_or_404(event_id: int) -> ProgrammeEvent:
    """The event, for its organisers and staff only (404 for anyone else)."""
    event = db.session.get(ProgrammeEvent, event_id)
    if event is None or not (
        current_user.has_role(Role.STAFF) or services.is_organiser(current_user, event)
    ):
        abort(404)
    return event


def _build_form(event: ProgrammeEvent | None) -> EventForm:
    own = services.approved_organisations(current_user)
    if request.method == "GET" and event is not None:
        start, end = to_local(event.starts_at), to_local(event.ends_at)
        form = EventForm(
            **{name: getattr(event, name) for name in EDITABLE},
            day=start.date(),
            starts=start.time(),
            ends=end.time(),
            commune_name=event.commune.name if event.commune else "",
            commune_insee=event.commune_insee or "",
            capacity=event.capacity,
            is_registration_required="1" if event.is_registration_required else "0",
            organisation_ids=[o.id for o in event.organisers],
        )
    elif request.method == "GET":
        form = EventForm(organisation_ids=[o.id for o in own[:1]])
    else:
        form = EventForm()
    form.organisation_ids.choices = queries.organisation_choices(own)
    return form


def _render(form: EventForm, edition: Edition, event: ProgrammeEvent | None, status=200):
    now = utcnow()
    call = services.call_of(edition)
    return render_template(
        "programmes/event_form.html",
        form=form,
        edition=edition,
        event=event,
        call=call,
        is_open=services.is_call_open(call, now),
        own_ids={o.id for o in services.approved_organisations(current_user)},
    ), (422 if form.errors or status == 422 else status)


def _try_submit(event: ProgrammeEvent) -> bool:
    try:
        services.submit_event(event, current_user, utcnow())
    except services.EventError as error:
        # The draft was saved just before: only the submission is refused.
        flash(str(error), "error")
        return False
    db.session.commit()
    flash(_("Your event is submitted. The InnovENT-E team reviews it."), "success")
    return True


@bp.route("/partenaire/evenements")
@role_required(Role.PARTNER_CONTACT)
def my_events():
    return render_template(
        "programmes/my_events.html",
        events=queries.my_events(current_user),
        calls=queries.open_calls(utcnow()),
        can_propose=services.can_propose(current_user),
    )


@bp.route("/partenaire/evenements/proposer/<int:edition_id>", methods=["GET", "POST"])
@role_required(Role.PARTNER_CONTACT)
def new_event(edition_id: int):
    edition = db.session.get(Edition, edition_id)
    if edition is None or edition.kind != EditionKind.INNOVATION_WEEK:
        abort(404)
    if not services.can_propose(current_user):
        abort(403)
    form = _build_form(None)
    if form.validate_on_submit():
        organisers = queries.organisations_by_ids(form.organisation_ids.data)
        try:
            event = services.create_draft(
                edition, form.fields(), organisers, current_user, utcnow()
            )
        except services.EventError as error:
            db.session.rollback()
            flash(str(error), "error")
            return _render(form, edition, None, 422)
        db.session.commit()
        if request.form.get("action") == "submit":
            _try_submit(event)
        else:
            flash(_("Your draft is saved: come back to it whenever you like."), "success")
        return redirect(url_for("programmes.edit_event", event_id=event.id))
    return _render(form, edition, None)


@bp.route("/partenaire/evenements/<int:event_id>", methods=["GET", "POST"])
@role_required(Role.PARTNER_CONTACT, Role.STAFF)
def edit_event(event_id: int):
    event = _event_or_404(event_id)
    edition = event.edition
    form = _build_form(event)
    if request.method == "POST" and event.status == EventStatus.WITHDRAWN:
        flash(_("This event is withdrawn: it can no longer change."), "error")
        return redirect(url_for("programmes.edit_event", event_id=event.id))
    if form.validate_on_submit():
        organisers = queries.organisations_by_ids(form.organisation_ids.data)
        now = utcnow()
        try:
            if event.status == EventStatus.PUBLISHED:
                services.update_published_event(event, form.fields(), organisers, current_user, now)
            else:
                services.save_draft(event, form.fields(), organisers, current_user, now)
        except services.EventError as error:
            db.session.rollback()
            flash(str(error), "error")
            return _render(form, edition, event, 422)
        db.session.commit()
        if event.status == EventStatus.PUBLISHED:
            flash(_("The event is updated: calendars and registrants follow."), "success")
        elif request.form.get("action") == "submit":
            _try_submit(event)
        else:
            flash(_("Your draft is saved: come back to it whenever you like."), "success")
        return redirect(url_for("programmes.edit_event", event_id=event.id))
    return _render(form, edition, event)


from coordination.programmes import staff_views  # noqa: E402, F401  (its routes)
