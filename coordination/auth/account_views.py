"""Staff pages of accounts: list and search, invite, roles, (de)activation, audit log."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from coordination.auth import accounts, lists, queries
from coordination.auth.forms import ROLE_LABELS, ConfirmLinkForm, InviteForm, RolesForm
from coordination.auth.models import AccountAction, Role, User
from coordination.auth.views import bp
from coordination.core import listing
from coordination.core.clock import utcnow
from coordination.core.permissions import role_required
from coordination.extensions import db
from coordination.notifications import preferences
from coordination.notifications.feedback import lift_suppression

ACTION_LABELS = {
    AccountAction.CREATED: _l("Account created"),
    AccountAction.INVITED: _l("Invited by email"),
    AccountAction.ROLES_CHANGED: _l("Roles changed"),
    AccountAction.DEACTIVATED: _l("Deactivated"),
    AccountAction.REACTIVATED: _l("Reactivated"),
    AccountAction.ERASURE_REQUESTED: _l("Erasure requested"),
    AccountAction.ERASED: _l("Erased"),
}


def _page_number() -> int:
    return min(max(request.args.get("page", 1, type=int) or 1, 1), 100_000)


def _account_or_404(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    return user


def _helpers() -> dict:
    return {
        "role_labels": ROLE_LABELS,
        "action_labels": ACTION_LABELS,
    }


@bp.route("/equipe/comptes")
@role_required(Role.STAFF)
def account_list():
    state = listing.read_state(lists.ACCOUNTS, request.args)
    page = listing.paginate(lists.accounts_list_query(state), state)
    organisations = queries.organisations_of([user.id for user in page.items])
    return render_template(
        "auth/accounts.html",
        state=state,
        page=page,
        organisations=organisations,
        **_helpers(),
    )


@bp.route("/equipe/comptes/inviter", methods=["GET", "POST"])
@role_required(Role.STAFF)
def invite_account():
    form = InviteForm()
    if form.validate_on_submit():
        try:
            user, _created = accounts.invite(
                form.email.data,
                form.name.data or "",
                form.roles.data or [],
                utcnow(),
                actor=current_user,
                locale=form.locale.data,
            )
        except accounts.AccountError as error:
            db.session.rollback()
            form.email.errors.append(str(error.message))
        else:
            db.session.commit()
            flash(
                _(
                    "An invitation with a sign-in link is on its way to %(email)s.",
                    email=user.email,
                ),
                "success",
            )
            return redirect(url_for("auth.account_detail", user_id=user.id))
    return render_template("auth/invite.html", form=form)


@bp.route("/equipe/comptes/<int:user_id>", methods=["GET", "POST"])
@role_required(Role.STAFF)
def account_detail(user_id: int):
    user = _account_or_404(user_id)
    form = RolesForm(data={"roles": sorted(user.roles)} if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            changed = accounts.change_roles(user, form.roles.data or [], utcnow(), current_user)
        except accounts.AccountError as error:
            db.session.rollback()
            form.roles.errors.append(str(error.message))
        else:
            db.session.commit()
            if changed:
                flash(_("The roles are saved."), "success")
            return redirect(url_for("auth.account_detail", user_id=user.id))
    events = db.session.scalars(queries.audit_query(user.id).limit(50)).all()
    return render_template(
        "auth/account.html",
        user=user,
        form=form,
        action_form=ConfirmLinkForm(),
        events=events,
        organisations=queries.organisations_of([user.id]).get(user.id, []),
        suppression=preferences.active_suppression(user.email),
        **_helpers(),
    )


@bp.route("/equipe/comptes/<int:user_id>/adresse-retablie", methods=["POST"])
@role_required(Role.STAFF)
def lift_mail_suppression(user_id: int):
    user = _account_or_404(user_id)
    if not ConfirmLinkForm().validate_on_submit():
        abort(400)
    suppression = preferences.active_suppression(user.email)
    if suppression is not None:
        lift_suppression(suppression, current_user, utcnow())
        db.session.commit()
        flash(_("Optional messages go to this address again."), "success")
    return redirect(url_for("auth.account_detail", user_id=user_id))


def _switch(user_id: int, change, done_message: str):
    user = _account_or_404(user_id)
    if not ConfirmLinkForm().validate_on_submit():
        abort(400)
    try:
        change(user, utcnow(), current_user)
    except accounts.AccountError as error:
        db.session.rollback()
        flash(str(error.message), "error")
    else:
        db.session.commit()
        flash(done_message, "success")
    return redirect(url_for("auth.account_detail", user_id=user_id))


@bp.route("/equipe/comptes/<int:user_id>/desactiver", methods=["POST"])
@role_required(Role.STAFF)
def deactivate_account(user_id: int):
    return _switch(user_id, accounts.deactivate, _("The account is deactivated."))


@bp.route("/equipe/comptes/<int:user_id>/reactiver", methods=["POST"])
@role_required(Role.STAFF)
def reactivate_account(user_id: int):
    return _switch(user_id, accounts.reactivate, _("The account is active again."))


@bp.route("/equipe/comptes/journal")
@role_required(Role.STAFF)
def audit_log():
    page = db.paginate(queries.audit_query(), page=_page_number(), per_page=50, error_out=False)
    return render_template("auth/audit_log.html", page=page, **_helpers())
