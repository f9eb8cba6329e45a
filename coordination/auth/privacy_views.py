"""Personal data pages: my data (page and JSON), erasure requests, the privacy notice."""

import json

from flask import Response, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from coordination.auth import accounts, privacy
from coordination.auth.forms import ROLE_LABELS, ConfirmLinkForm
from coordination.auth.models import Role, User
from coordination.auth.views import bp
from coordination.core.clock import utcnow
from coordination.core.permissions import role_required
from coordination.extensions import db


@bp.route("/confidentialite")
def privacy_notice():
    return render_template("auth/privacy.html")


@bp.route("/profil/mes-donnees")
@login_required
def my_data():
    return render_template(
        "auth/my_data.html",
        data=privacy.personal_data(current_user),
        form=ConfirmLinkForm(),
        role_labels=ROLE_LABELS,
    )


@bp.route("/profil/mes-donnees.json")
@login_required
def my_data_json():
    body = json.dumps(privacy.personal_data(current_user), ensure_ascii=False, indent=2)
    response = Response(body, mimetype="application/json")
    response.headers["Content-Disposition"] = 'attachment; filename="mes-donnees-innovent-e.json"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/profil/mes-donnees/effacement", methods=["POST"])
@login_required
def request_erasure():
    if not ConfirmLinkForm().validate_on_submit():
        abort(400)
    if privacy.request_erasure(current_user, utcnow()):
        db.session.commit()
        flash(_("Your request is recorded: the team will erase your account soon."), "success")
    return redirect(url_for("auth.my_data"))


@bp.route("/equipe/comptes/effacements")
@role_required(Role.STAFF)
def erasure_requests():
    users = db.session.scalars(privacy.erasure_requests_query().limit(500)).all()
    return render_template("auth/erasure_requests.html", users=users, form=ConfirmLinkForm())


@bp.route("/equipe/comptes/<int:user_id>/effacer", methods=["POST"])
@role_required(Role.STAFF)
def erase_account(user_id: int):
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    if not ConfirmLinkForm().validate_on_submit():
        abort(400)
    try:
        erased = privacy.erase_account(user, utcnow(), current_user)
    except accounts.AccountError as error:
        db.session.rollback()
        flash(str(error.message), "error")
    else:
        db.session.commit()
        if erased:
            flash(_("The account is erased."), "success")
    return redirect(url_for("auth.erasure_requests"))
