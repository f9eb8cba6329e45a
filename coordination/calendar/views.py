"""Feeds (.ics), the subscribe page, and answers to invitations."""

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from coordination.auth.forms import ConfirmLinkForm
from coordination.auth.models import Role, User
from coordination.calendar import cache, feeds, reminders, services
from coordination.campaigns.models import Edition
from coordination.core.clock import utcnow
from coordination.core.permissions import role_required
from coordination.core.urls import external_url
from coordination.extensions import db
from coordination.territories.models import Territory

bp = Blueprint("calendar", __name__, url_prefix="/calendrier")


FEED_ENDPOINTS = {
    "calendar.private_feed",
    "calendar.edition_feed",
    "calendar.territory_feed",
    "calendar.city_feed",
}


@bp.before_request
def read_feed_generation():
    """Before any data a feed shows is read: what a cached copy is filed under."""
    if request.endpoint in FEED_ENDPOINTS:
        g.feed_generation = cache.current_generation()


def ics_response(content: feeds.FeedContent, filename: str, private: bool):
    """Serve a feed from its cached copy, else build it once and file it; 304 when the
    client's copy is current (ETag, or Last-Modified)."""
    key = cache.cache_key(str(get_locale() or "fr"), request.path)
    connection = db.session.connection()
    found = cache.lookup(connection, key)
    body = cache.body_of(connection, key, found[0]) if found else None
    if found is None or body is None:
        etag = feeds.fingerprint(content)
        body = feeds.render(content)
        built_at = utcnow()
        cache_control = f"{'private' if private else 'public'}, max-age=900"
        cache.store(key, g.feed_generation, etag, body, filename, cache_control, built_at)
        db.session.commit()
    else:
        etag, built_at, filename, cache_control = found
    if cache.not_modified(
        etag,
        built_at,
        request.headers.get("If-None-Match"),
        request.headers.get("If-Modified-Since"),
    ):
        response = make_response("", 304)
        full = False
    else:
        response = make_response(body)
        full = True
    for name, value in cache.feed_headers(etag, built_at, filename, cache_control, full):
        response.headers[name] = value
    return response


@bp.route("/abonnement/<secret>.ics")
def private_feed(secret: str):
    token = services.resolve_feed_secret(secret)
    if token is None:
        abort(404)
    content = services.private_feed_content(token)
    if content is None:
        abort(404)
    return ics_response(content, "innovent-e.ics", private=True)


@bp.route("/editions/<slug>.ics")
def edition_feed(slug: str):
    edition = db.session.scalar(select(Edition).where(Edition.slug == slug))
    if edition is None:
        abort(404)
    return ics_response(services.edition_feed_content(edition), f"{slug}.ics", private=False)


@bp.route("/editions/<slug>/villes/<insee>.ics")
def city_feed(slug: str, insee: str):
    """An edition's events in one commune (an open programme's feed per city)."""
    from coordination.territories.models import Commune

    edition = db.session.scalar(select(Edition).where(Edition.slug == slug))
    commune = db.session.get(Commune, insee) if len(insee) == 5 else None
    if edition is None or commune is None:
        abort(404)
    name = _("%(edition)s — %(city)s", edition=edition.name, city=commune.name)
    content = services.city_feed_content(edition, commune, name)
    return ics_response(content, f"{slug}-{insee}.ics", private=False)


@bp.route("/territoires/<int:territory_id>.ics")
def territory_feed(territory_id: int):
    territory = db.session.get(Territory, territory_id)
    if territory is None:
        abort(404)
    name = _("Innovation tour — %(territory)s", territory=territory.name)
    content = services.territory_feed_content(territory, name)
    return ics_response(content, f"territoire-{territory_id}.ics", private=False)


@bp.route("/etapes/<int:stop_id>.ics")
def stop_ics(stop_id: int):
    """One stop as a calendar file ("add to my calendar"), for whoever may see its page."""
    from coordination.calendar.events import stop_event
    from coordination.calendar.ics import build_feed
    from coordination.stops.models import Stop
    from coordination.stops.services import can_see

    stop = db.session.get(Stop, stop_id)
    if stop is None or not can_see(current_user, stop):
        abort(404)
    response = make_response(build_feed(stop.title, [stop_event(stop)]))
    response.headers["Content-Type"] = "text/calendar; charset=utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="etape-{stop_id}.ics"'
    return response


@bp.route("/reunions/<int:meeting_id>.ics")
def meeting_ics(meeting_id: int):
    """One club meeting as a calendar file ("add to my calendar"); the online link only
    for the club's members, as on the club page."""
    from coordination.calendar.events import meeting_event
    from coordination.calendar.ics import build_feed
    from coordination.clubs.models import ClubMeeting
    from coordination.clubs.services import is_club_member

    meeting = db.session.get(ClubMeeting, meeting_id)
    if meeting is None:
        abort(404)
    event = meeting_event(meeting, with_link=is_club_member(current_user, meeting.club))
    response = make_response(build_feed(meeting.title, [event]))
    response.headers["Content-Type"] = "text/calendar; charset=utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="reunion-{meeting_id}.ics"'
    return response


@bp.route("/editions/<slug>")
def edition_subscribe(slug: str):
    edition = db.session.scalar(select(Edition).where(Edition.slug == slug))
    if edition is None:
        abort(404)
    url = external_url("calendar.edition_feed", slug=slug)
    return render_template(
        "calendar/public_subscribe.html",
        title=edition.name,
        url=url,
        webcal=services.webcal(url),
    )


@bp.route("/")
@login_required
def subscribe():
    feeds = services.user_feeds(current_user, utcnow())
    db.session.commit()  # tokens made on first visit
    return render_template("calendar/subscribe.html", feeds=feeds, form=ConfirmLinkForm())


@bp.route("/<action>", methods=["POST"])
@login_required
def manage_feed(action: str):
    form = ConfirmLinkForm()
    scope = request.form.get("scope", "")
    # Which feeds the user may manage; no token is made just to answer that.
    allowed = {scope for scope, _club in services.user_scopes(current_user)}
    if action not in ("renouveler", "revoquer") or not form.validate_on_submit():
        abort(400)
    if scope not in allowed:
        abort(404)
    if action == "renouveler":
        services.renew_feed_token(current_user, scope, utcnow())
        flash(_("A new address is ready; the old one no longer works."), "success")
    else:
        services.revoke_feed_token(current_user, scope, utcnow())
        flash(_("This address no longer works."), "success")
    db.session.commit()
    return redirect(url_for("calendar.subscribe"))


@bp.route("/reponse/<token>", methods=["GET", "POST"])
def reply(token: str):
    found = services.read_reply_token(token)
    user = db.session.get(User, found[1]) if found else None
    if user is None:
        abort(404)
    answer = request.values.get("answer", "")
    form = ConfirmLinkForm()
    if request.method == "POST":
        # Recorded on a button press, not on the link's GET: mail scanners open links too.
        if not form.validate_on_submit() or answer not in services.ANSWERS:
            abort(400)
        services.record_reply(found[0], user, answer, utcnow())
        db.session.commit()
        return render_template("calendar/reply.html", recorded=answer, form=form, user=user)
    if answer not in services.ANSWERS:
        answer = ""
    return render_template(
        "calendar/reply.html", recorded=None, chosen=answer, form=form, user=user
    )


@bp.app_context_processor
def calendar_helpers():
    return {"calendar_timezone": current_app.config["TIMEZONE"]}


def _parse_days(text: str) -> list[int] | None:
    try:
        days = [int(part) for part in text.replace(";", ",").split(",") if part.strip()]
    except ValueError:
        return None
    return days if all(0 <= day <= 365 for day in days) else None


@bp.route("/rappels/<slug>", methods=["GET", "POST"])
@role_required(Role.STAFF)
def reminder_settings(slug: str):
    edition = db.session.scalar(select(Edition).where(Edition.slug == slug))
    if edition is None:
        abort(404)
    form = ConfirmLinkForm()
    current = reminders.lead_times(edition.id)
    values = {audience: ", ".join(map(str, days)) for audience, days in current.items()}
    errors = {}
    if request.method == "POST" and form.validate_on_submit():
        parsed = {}
        for audience in reminders.AUDIENCES:
            values[audience] = request.form.get(audience, "")
            parsed[audience] = _parse_days(values[audience])
            if parsed[audience] is None:
                errors[audience] = _(
                    "Give whole numbers of days between 0 and 365, separated by commas."
                )
        if not errors:
            for audience, days in parsed.items():
                reminders.save_lead_times(edition.id, audience, days)
            db.session.commit()
            flash(_("Reminder lead times saved."), "success")
            return redirect(url_for("calendar.reminder_settings", slug=slug))
    return render_template(
        "calendar/reminders.html", edition=edition, form=form, values=values, errors=errors
    ), (400 if errors else 200)


@bp.route("/reponses/<path:uid>")
@role_required(Role.STAFF)
def answers(uid: str):
    replies = services.replies_for(uid)
    return render_template("calendar/answers.html", uid=uid, replies=replies)
