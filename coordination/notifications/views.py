"""Staff pages: the outbox, one message, retry."""

from datetime import timedelta

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from sqlalchemy.orm.util import identity_key
from wtforms import HiddenField

from coordination.auth.forms import ConfirmLinkForm
from coordination.auth.models import Role
from coordination.core import listing
from coordination.core.clock import to_local, utcnow
from coordination.core.permissions import role_required
from coordination.extensions import db
from coordination.notifications import agenda, feedback, lists, overrides, services
from coordination.notifications.models import (
    MESSAGE_STATUS_LABELS,
    MessageHold,
    MessageStatus,
    OutboxMessage,
)
from coordination.notifications.secrets import staff_copy


class BulkRetryForm(FlaskForm):
    """The outbox's bulk form: the chosen ids come as `ids`, the filters as `back`."""

    back = HiddenField()


bp = Blueprint("notifications", __name__, url_prefix="/equipe/courriels")

MAIL_PREVIEW_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'; sandbox"
)


@bp.route("/")
@role_required(Role.STAFF)
def outbox():
    state = listing.read_state(lists.OUTBOX, request.args)
    form = BulkRetryForm()
    form.back.data = state.query_string
    return render_template(
        "notifications/outbox.html",
        state=state,
        page=listing.paginate(lists.outbox_query(state), state),
        statuses=list(MessageStatus),
        status_labels=MESSAGE_STATUS_LABELS,
        kinds=lists.kinds(),
        form=form,
    )


@bp.route("/selection", methods=["POST"])
@role_required(Role.STAFF)
def bulk_retry():
    form = BulkRetryForm()
    state = listing.back_state(lists.OUTBOX, form.back.data or "")
    if form.validate_on_submit():
        ids = listing.selected_ids(request.form.getlist("ids"))
        count = lists.bulk_retry(ids, utcnow())
        db.session.commit()
        flash(
            ngettext(
                "%(num)s failed message will be sent again shortly.",
                "%(num)s failed messages will be sent again shortly.",
                count,
            ),
            "success" if count else "error",
        )
    query = state.query_string
    return redirect(url_for("notifications.outbox") + ("?" + query if query else ""))


def _message_or_404(message_id: int) -> OutboxMessage:
    message = db.session.get(OutboxMessage, message_id)
    if message is None:
        abort(404)
    return message


@bp.route("/<int:message_id>")
@role_required(Role.STAFF)
def message(message_id: int):
    g.frame_options = "SAMEORIGIN"
    message = _message_or_404(message_id)
    # Staff read the message with its secret links masked (notifications/secrets.py).
    return render_template(
        "notifications/message.html",
        message=message,
        copy=staff_copy(message),
        events=feedback.events_of(message),
        form=ConfirmLinkForm(),
    )


@bp.app_template_filter("delivery_label")
def delivery_label(status: str) -> str:
    """The translated name of a SendGrid delivery status."""
    return str(feedback.DELIVERY_LABELS.get(status, status))


@bp.route("/<int:message_id>/html")
@role_required(Role.STAFF)
def message_html(message_id: int):
    message = _message_or_404(message_id)
    # The HTML is shown in a sandboxed frame: no script, nothing loaded from outside.
    g.content_security_policy = MAIL_PREVIEW_CSP
    g.frame_options = "SAMEORIGIN"
    return staff_copy(message).html_body, 200, {"Content-Type": "text/html; charset=utf-8"}


@bp.route("/<int:message_id>/relancer", methods=["POST"])
@role_required(Role.STAFF)
def retry(message_id: int):
    message = _message_or_404(message_id)
    form = ConfirmLinkForm()
    if form.validate_on_submit() and message.status == MessageStatus.FAILED:
        services.retry_message(message, utcnow())
        db.session.commit()
        flash(_("The message will be sent again shortly."), "success")
    return redirect(url_for("notifications.message", message_id=message.id))


# --- The agenda of an edition's automated messages ----------------------------------------

AGENDA_MAX_WEEKS = 12
PREVIEWS_PER_PAGE = 40


def _edition_or_404(slug: str):
    from coordination.campaigns.models import Edition

    edition = db.session.scalar(select(Edition).where(Edition.slug == slug))
    if edition is None:
        abort(404)
    return edition


@bp.route("/agenda/<slug>")
@role_required(Role.STAFF)
def agenda_page(slug: str):
    edition = _edition_or_404(slug)
    now = utcnow()
    kind = request.args.get("kind", "")
    kind = kind if kind in agenda.KINDS else ""
    audience = request.args.get("audience", "")
    audience = audience if audience in agenda.AUDIENCES else ""
    weeks = min(max(request.args.get("weeks", 4, type=int) or 4, 1), AGENDA_MAX_WEEKS)
    span = timedelta(days=7 * weeks)

    def keep(row) -> bool:
        return (not kind or row.kind == kind) and (not audience or row.audience == audience)

    overrides.preload_wordings(edition.id)  # one query for every preview's wording
    planned, pending = agenda.planned_and_pending(edition.id, now, now + span, now)
    planned = [item for item in planned if keep(item)]
    pending = [
        {"item": item, "preview": agenda.preview(item, now)} for item in pending if keep(item)
    ]
    sent = [row for row in agenda.sent_messages(edition.id, now - span, now) if keep(row)]
    edition_holds = agenda.holds_of(edition.id)
    holds: dict = {}  # agenda.active_holds of the planned stops, from the rows already read
    planned_stops = {item.stop_id for item in planned if item.stop_id}
    for row in edition_holds:
        if row.released_at is None and row.stop_id in planned_stops:
            holds.setdefault((row.stop_id, row.kind), set()).add(row.item)
    days: dict = {}
    for row in _sent_groups(sent):
        days.setdefault(to_local(row["at"]).date(), {"sent": [], "planned": []})["sent"].append(row)
    for number, item in enumerate(planned):
        days.setdefault(to_local(item.planned_at).date(), {"sent": [], "planned": []})[
            "planned"
        ].append(
            {
                "item": item,
                "held": agenda.is_held(item, holds),
                "preview": agenda.preview(item) if number < PREVIEWS_PER_PAGE else None,
            }
        )
    return render_template(
        "notifications/agenda.html",
        edition=edition,
        days=sorted(days.items()),
        pending=pending,
        kinds=agenda.KINDS,
        audiences=agenda.AUDIENCES,
        staff_wide=agenda.STAFF_WIDE,
        kind=kind,
        audience=audience,
        weeks=weeks,
        max_weeks=AGENDA_MAX_WEEKS,
        holds=edition_holds,
        stops={stop.id: stop for stop in _stops_of(edition.id, {h.stop_id for h in edition_holds})},
        form=ConfirmLinkForm(),
    )


def _sent_groups(rows) -> list[dict]:
    """Sent messages gathered per kind, item, stop and minute, for the timeline."""
    groups: dict = {}
    for row in rows:
        at = row.message.created_at.replace(second=0, microsecond=0)
        key = (row.kind, row.item, row.stop_id, at)
        group = groups.setdefault(key, {"row": row, "at": at, "messages": []})
        group["messages"].append(row.message)
    return list(groups.values())


def _stops_of(edition_id: int, ids=None):
    from coordination.stops.models import Stop

    known = []
    if ids is not None:  # the planners have loaded most of them already
        known = [db.session.identity_map.get(identity_key(Stop, stop_id)) for stop_id in ids]
        known = [stop for stop in known if stop is not None and stop.edition_id == edition_id]
        ids = set(ids) - {stop.id for stop in known}
        if not ids:
            return known
    query = select(Stop).where(Stop.edition_id == edition_id)
    if ids is not None:
        query = query.where(Stop.id.in_(ids))
    return [*known, *db.session.scalars(query)]


@bp.route("/agenda/<slug>/suspendre", methods=["POST"])
@role_required(Role.STAFF)
def agenda_hold(slug: str):
    edition = _edition_or_404(slug)
    form = ConfirmLinkForm()
    stop_id = request.form.get("stop_id", type=int)
    stop_ids = {stop.id for stop in _stops_of(edition.id)}
    reason = (request.form.get("reason") or "").strip()
    if not form.validate_on_submit() or stop_id not in stop_ids:
        flash(_("This message could not be held; reload the page and try again."), "error")
    elif not reason:
        flash(_("Say why the message is held."), "error")
    elif request.form.get("kind") not in agenda.KINDS:
        flash(_("This message could not be held; reload the page and try again."), "error")
    else:
        agenda.hold(
            edition_id=edition.id,
            stop_id=stop_id,
            kind=request.form["kind"],
            item=(request.form.get("item") or "")[:100],
            reason=reason[:2000],
            by=current_user,
            now=utcnow(),
        )
        db.session.commit()
        flash(_("Held: it will not be sent until released."), "success")
    return redirect(url_for("notifications.agenda_page", slug=slug))


@bp.route("/agenda/<slug>/lever/<int:hold_id>", methods=["POST"])
@role_required(Role.STAFF)
def agenda_release(slug: str, hold_id: int):
    edition = _edition_or_404(slug)
    row = db.session.get(MessageHold, hold_id)
    if row is None or row.edition_id != edition.id:
        abort(404)
    if ConfirmLinkForm().validate_on_submit():
        agenda.release(row, current_user, utcnow())
        db.session.commit()
        flash(
            _(
                "Released: it goes at its time; one whose time has passed goes within"
                " minutes if the stop is still ahead."
            ),
            "success",
        )
    return redirect(url_for("notifications.agenda_page", slug=slug))


# The group-message pages live beside; importing them adds their routes to this blueprint.
from coordination.notifications import group_views  # noqa: E402, F401
