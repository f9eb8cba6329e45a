"""Pages without sign-in: the one-click unsubscribe (RFC 8058) and SendGrid's Event Webhook."""

import logging

from flask import Blueprint, abort, current_app, render_template, request
from flask_babel import gettext as _

from coordination.core.clock import utcnow
from coordination.extensions import csrf, db
from coordination.notifications import feedback, preferences

log = logging.getLogger(__name__)

bp = Blueprint("notifications_public", __name__)


@bp.route("/courriels/desabonnement/<token>", methods=["GET", "POST"])
@csrf.exempt  # RFC 8058: the mail client POSTs without any page of ours, hence no token.
def unsubscribe(token: str):
    found = preferences.read_unsubscribe_token(token)
    if found is None:
        abort(404)
    email, kind = found
    done = False
    if request.method == "POST":
        preferences.opt_out(email, kind, utcnow())
        db.session.commit()
        done = True
    return render_template(
        "notifications/unsubscribe.html",
        email=email,
        kind_label=preferences.OPTIONAL_KINDS[kind][1],
        done=done,
    )


@bp.route("/courriels/sendgrid/evenements", methods=["POST"])
@csrf.exempt  # Signed by SendGrid with ECDSA instead.
def sendgrid_events():
    key = current_app.config["SENDGRID_WEBHOOK_PUBLIC_KEY"]
    payload = request.get_data(cache=False)
    if not feedback.signature_is_valid(
        key,
        request.headers.get(feedback.SIGNATURE_HEADER, ""),
        request.headers.get(feedback.TIMESTAMP_HEADER, ""),
        payload,
    ):
        log.warning("SendGrid event webhook: bad or missing signature")
        return {"error": _("Bad signature.")}, 403
    try:
        events = feedback.parse_events(payload)
    except feedback.BadPayload:
        return {"error": _("The body is not a list of events.")}, 400
    recorded = feedback.record_events(events, utcnow())
    db.session.commit()
    return {"recorded": recorded}, 200
