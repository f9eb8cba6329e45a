"""Staff pages: write one message to a group, preview it, send it; the messages sent."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from coordination.auth.models import Role
from coordination.campaigns.forms import options
from coordination.core.clock import utcnow
from coordination.core.permissions import role_required
from coordination.extensions import db
from coordination.notifications import groups
from coordination.notifications.forms import GroupMessageForm
from coordination.notifications.views import bp


@bp.route("/groupes")
@role_required(Role.STAFF)
def group_messages():
    return render_template("notifications/groups.html", messages=groups.sent_messages())


def _form() -> GroupMessageForm:
    form = GroupMessageForm(request.form if request.method == "POST" else request.args)
    form.group.choices = {kind: options(pairs) for kind, pairs in groups.group_choices().items()}
    kind, _sep, raw_id = (form.group.data or "").partition(":")
    workshops = groups.workshops_of(int(raw_id)) if kind == "stop" and raw_id.isdigit() else []
    form.workshop_id.choices = options(
        [(0, _("Every workshop"))] + [(w.id, w.title) for w in workshops]
    )
    if form.workshop_id.data not in {w.id for w in workshops}:
        form.workshop_id.data = 0  # a workshop of the stop chosen before
    return form


@bp.route("/groupes/nouveau", methods=["GET", "POST"])
@role_required(Role.STAFF)
def group_compose():
    form = _form()
    kind = (form.group.data or "").partition(":")[0]
    people = rendered = message = None
    if request.method == "POST" and form.validate():
        try:
            kind, params = groups.parse_group(
                form.group.data, form.workshop_id.data or 0, form.presence.data, form.status.data
            )
            message = groups.draft(
                kind,
                params,
                form.subject.data,
                form.body.data,
                subject_en=form.subject_en.data,
                body_en=form.body_en.data,
            )
            people = groups.recipients(kind, params)
        except groups.GroupError:
            form.group.errors.append(_("This group no longer exists: choose another one."))
        else:
            if request.form.get("action") == "send" and people:
                sent = groups.send(message, current_user, utcnow())
                db.session.commit()
                flash(
                    ngettext(
                        "The message is on its way to %(num)d person.",
                        "The message is on its way to %(num)d people.",
                        sent.recipient_count,
                    ),
                    "success",
                )
                return redirect(url_for("notifications.group_messages"))
            if people:
                rendered = groups.preview(message, people[0])
    return render_template(
        "notifications/group_compose.html",
        form=form,
        kind=kind,
        message=message,
        people=people,
        rendered=rendered,
    )
