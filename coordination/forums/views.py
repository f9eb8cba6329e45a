"""A forum's pages: its programme, one calendar file per session, check-in badges."""

from flask import Blueprint, Response, abort, make_response, render_template
from flask_login import current_user
from sqlalchemy import select

from coordination.calendar.ics import build_feed
from coordination.core.clock import utcnow
from coordination.core.formatting import local_date
from coordination.extensions import db, login_manager
from coordination.forums.badges import Badge, badges_pdf
from coordination.forums.models import Speaker
from coordination.forums.programme import programme_slots, session_event
from coordination.participants import queries, services
from coordination.participants.models import Workshop
from coordination.stops import services as stop_services
from coordination.stops.models import AgendaItem, Stop

bp = Blueprint("forums", __name__)


def _visible_stop_or_404(stop_id: int) -> Stop:
    stop = db.session.get(Stop, stop_id)
    if stop is None or not stop_services.can_see(current_user, stop):
        abort(404)
    return stop


def _slots(stop: Stop):
    services.sync_workshops(stop)
    db.session.commit()  # workshops made from the agenda on first view
    # Read again after the commit, in one query each: workshops, speakers.
    workshops = list(db.session.scalars(select(Workshop).where(Workshop.stop_id == stop.id)))
    speakers: dict[int, list[Speaker]] = {}
    for person in db.session.scalars(
        select(Speaker)
        .join(AgendaItem)
        .where(AgendaItem.stop_id == stop.id)
        .order_by(Speaker.position, Speaker.id)
    ):
        speakers.setdefault(person.agenda_item_id, []).append(person)
    return programme_slots(stop, workshops, queries.waiting_counts(stop), speakers)


@bp.route("/forums/<int:stop_id>/programme")
def programme(stop_id: int):
    stop = _visible_stop_or_404(stop_id)
    slots = _slots(stop)
    return render_template(
        "forums/programme.html",
        stop=stop,
        slots=slots,
        is_open=services.is_open_for_registration(stop, utcnow()),
    )


@bp.route("/forums/<int:stop_id>/sessions/<int:workshop_id>.ics")
def session_ics(stop_id: int, workshop_id: int):
    """One session as a calendar file ("add to my calendar")."""
    stop = _visible_stop_or_404(stop_id)
    sessions = [s for slot in _slots(stop) for s in slot.sessions]
    session = next(
        (s for s in sessions if s.workshop and s.workshop.id == workshop_id and s.starts_at),
        None,
    )
    if session is None:
        abort(404)
    response = make_response(build_feed(session.item.title, [session_event(stop, session)]))
    response.headers["Content-Type"] = "text/calendar; charset=utf-8"
    response.headers["Content-Disposition"] = (
        f'attachment; filename="etape-{stop.id}-session-{workshop_id}.ics"'
    )
    return response


@bp.route("/etapes/<int:stop_id>/participants/badges.pdf")
def badges(stop_id: int):
    """Badges of the active registrants, for staff and the stop's hosts (as the sign-in sheet)."""
    stop = db.session.get(Stop, stop_id)
    if stop is None:
        abort(404)
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if not stop_services.can_edit_local_details(current_user, stop):
        abort(403)
    people = [
        Badge(r.name, r.company_name or "", r.role or "")
        for r in queries.stop_registrations(stop)
        if r.is_active
    ]
    name = stop.edition.name if stop.edition.kind != "tour" else stop.title
    pdf = badges_pdf(people, name, local_date(stop.starts_at, "full"), f"Badges — {stop.title}")
    return Response(
        pdf,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'inline; filename="badges-etape-{stop.id}.pdf"'},
    )
