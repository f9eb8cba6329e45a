"""Sign in (password or one-time link), sign out, profile."""

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from coordination.auth import services
from coordination.auth.forms import (
    ChangePasswordForm,
    ConfirmLinkForm,
    LoginLinkForm,
    ProfileForm,
    SignInForm,
)
from coordination.auth.models import Role
from coordination.core.clock import utcnow
from coordination.extensions import db, limiter
from coordination.notifications import preferences
from coordination.notifications.digests import start_from_next_slot

bp = Blueprint("auth", __name__)


def _sign_in_limit() -> str:
    return current_app.config["RATELIMIT_SIGN_IN"]


def _sign_in(user) -> None:
    # A language chosen before signing in wins over the one saved with the account.
    if session.get("locale") in current_app.config["LANGUAGES"]:
        user.locale = session["locale"]
    login_user(user)


@bp.route("/connexion", methods=["GET", "POST"])
@limiter.limit(_sign_in_limit, methods=["POST"])
def sign_in():
    form = SignInForm()
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data, utcnow())
        if user is not None:
            _sign_in(user)
            db.session.commit()
            flash(_("You are signed in."), "success")
            return redirect(
                services.safe_next_path(request.args.get("next")) or url_for("main.my_tasks")
            )
        form.password.errors.append(_("Wrong email address or password."))
    return render_template("auth/sign_in.html", form=form, link_form=LoginLinkForm())


@bp.route("/connexion/lien", methods=["GET", "POST"])
@limiter.limit(_sign_in_limit, methods=["POST"])
def request_link():
    form = LoginLinkForm()
    if form.validate_on_submit():
        user = services.find_user_by_email(form.email.data)
        if user is not None and user.is_active:
            services.issue_login_link(user, utcnow(), request.args.get("next"))
            db.session.commit()
        # The same answer whether or not the address has an account.
        return render_template("auth/link_sent.html", email=form.email.data)
    return render_template("auth/request_link.html", form=form)


@bp.route("/connexion/lien/<token>", methods=["GET", "POST"])
@limiter.limit(_sign_in_limit, methods=["POST"])
def link_sign_in(token: str):
    form = ConfirmLinkForm()
    if request.method == "GET":
        valid = services.find_valid_login_token(token, utcnow()) is not None
        return render_template("auth/confirm_link.html", form=form, valid=valid)
    if not form.validate_on_submit():
        abort(400)
    login_token = services.use_login_token(token, utcnow())
    if login_token is None:
        db.session.rollback()
        return render_template("auth/confirm_link.html", form=form, valid=False), 410
    _sign_in(login_token.user)
    # A fresh link sign-in stands in for the current password for a few minutes.
    session["link_signed_in_at"] = utcnow().isoformat()
    db.session.commit()
    flash(_("You are signed in."), "success")
    return redirect(login_token.next_path or url_for("main.my_tasks"))


@bp.route("/deconnexion", methods=["POST"])
def sign_out():
    form = ConfirmLinkForm()
    if form.validate_on_submit():
        logout_user()
        flash(_("You are signed out."), "success")
    return redirect(url_for("main.home"))


@bp.route("/profil", methods=["GET", "POST"])
@login_required
def profile():
    form = ProfileForm(obj=current_user)
    is_staff = current_user.has_role(Role.STAFF)
    if request.method == "GET":
        unwanted = preferences.unwanted_kinds(current_user)
        form.optional_messages.data = [k for k in preferences.OPTIONAL_KINDS if k not in unwanted]
    if form.validate_on_submit():
        preferences.set_wanted_kinds(current_user, set(form.optional_messages.data or []), utcnow())
        current_user.name = form.name.data or ""
        current_user.locale = form.locale.data
        if is_staff and current_user.digest_frequency != form.digest_frequency.data:
            current_user.digest_frequency = form.digest_frequency.data
            start_from_next_slot(current_user, utcnow())
        db.session.commit()
        flash(_("Your profile is saved."), "success")
        return redirect(url_for("auth.profile"))
    return render_template("auth/profile.html", form=form, is_staff=is_staff)


def _recent_link_sign_in() -> bool:
    minutes = current_app.config["PASSWORD_CHANGE_LINK_WINDOW_MINUTES"]
    return services.is_recent(session.get("link_signed_in_at"), utcnow(), minutes)


@bp.route("/profil/mot-de-passe", methods=["GET", "POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    has_password = bool(current_user.password_hash)
    by_link = _recent_link_sign_in()
    if form.validate_on_submit():
        if services.may_change_password(current_user, form.current_password.data, by_link):
            services.set_password(current_user, form.new_password.data)
            session.pop("link_signed_in_at", None)
            db.session.commit()
            flash(_("Your password is changed."), "success")
            return redirect(url_for("auth.profile"))
        if has_password:
            form.current_password.errors.append(_("This is not your current password."))
        else:
            form.new_password.errors.append(
                _("Sign in with a one-time link first: then you can set a password.")
            )
    return render_template(
        "auth/change_password.html", form=form, has_password=has_password, by_link=by_link
    )


from coordination.auth import account_views, privacy_views  # noqa: E402, F401  (same blueprint)
