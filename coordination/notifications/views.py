"""Staff pages: the outbox, one message, retry."""

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_wtf import FlaskForm
from wtforms import HiddenField

from coordination.auth.forms import ConfirmLinkForm
from coordination.auth.models import Role
from coordination.core import listing
from coordination.core.clock import utcnow
from coordination.core.permissions import role_required
from coordination.extensions import db
from coordination.notifications import feedback, lists, services
from coordination.notifications.models import MESSAGE_STATUS_LABELS, MessageStatus, OutboxMessage
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


# The group-message pages live beside; importing them adds their routes to this blueprint.
from coordination.notifications import group_views  # noqa: E402, F401
