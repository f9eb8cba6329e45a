"""Editions and calls: public pages, applying by one-time link, staff management, review."""

import re

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.datastructures import MultiDict

from coordination.auth.models import Role
from coordination.campaigns import queries, services
from coordination.campaigns.catalogue import MAX_APPLICATION_BYTES, MAX_ROWS
from coordination.campaigns.forms import (
    AccessForm,
    InviteForm,
    application_form_class,
    build_application_form,
    without_row,
)
from coordination.campaigns.models import (
    Application,
    ApplicationFile,
    ApplicationStatus,
    CallQuestion,
    QuestionKind,
)
from coordination.campaigns.services import CampaignError
from coordination.core.clock import to_local, utcnow
from coordination.core.formatting import local_time
from coordination.core.text import parse_id
from coordination.extensions import db, limiter

bp = Blueprint("campaigns", __name__)


@bp.app_template_filter("markdown")
def markdown_filter(text: str):
    return services.render_markdown(text)


def _locale() -> str:
    return str(get_locale() or "fr")


def _access_limit() -> str:
    return current_app.config["RATELIMIT_SIGN_IN"]


# --- Public pages ---------------------------------------------------------------------


@bp.route("/editions")
def edition_list():
    return render_template(
        "campaigns/editions.html", editions=queries.public_editions(), now=utcnow()
    )


@bp.route("/editions/<slug>")
def edition(slug: str):
    edition = queries.edition_by_slug(slug)
    # An edition not public yet is staff's only.
    if edition is None or not (
        queries.is_public(edition) or (current_user.is_authenticated and _is_staff())
    ):
        abort(404)
    return render_template("campaigns/edition.html", edition=edition, now=utcnow())


@bp.route("/appels")
def call_list():
    return render_template("campaigns/calls.html", calls=queries.open_calls(utcnow()))


def _call_or_404(call_id: int):
    call = queries.call_by_id(call_id)
    if call is None:
        abort(404)
    return call


@bp.route("/appels/<int:call_id>", methods=["GET", "POST"])
@limiter.limit(_access_limit, methods=["POST"])
def call_detail(call_id: int):
    call = _call_or_404(call_id)
    now = utcnow()
    form = AccessForm()
    is_open = services.is_open_for(call, now)
    if is_open and form.validate_on_submit():
        services.request_access(call, form.email.data, now, _locale())
        db.session.commit()
        # The same answer whether or not the address had an account.
        return render_template("campaigns/link_sent.html", call=call, email=form.email.data)
    mine = queries.user_application(call, current_user) if current_user.is_authenticated else None
    return render_template(
        "campaigns/call.html", call=call, form=form, is_open=is_open, now=now, mine=mine
    )


# --- Applying -------------------------------------------------------------------------


def _application_form(call, formdata, add_row: str | None = None):
    locale = _locale()
    choices = [
        (str(t.id), f"{t.name} ({t.region.name})" if t.region else t.name)
        for t in queries.eligible_territories(call)
    ]
    form_class = application_form_class(call.questions, choices, locale)
    return build_application_form(form_class, formdata, add_row)


#: "add-contacts", "remove-availability-2": the buttons of the "add another" rows.
ROW_ACTION = re.compile(r"(add|remove)-(contacts|availability)(?:-(\d{1,3}))?")


def _row_action(action: str) -> tuple[str, str, int | None] | None:
    match = ROW_ACTION.fullmatch(action or "")
    if match is None or (match[1] == "remove") != (match[3] is not None):
        return None
    return match[1], match[2], int(match[3]) if match[3] else None


def _saved_formdata(application: Application | None):
    if application is None or not application.form_data:
        return None
    return MultiDict(
        [(key, value) for key, values in application.form_data.items() for value in values]
    )


def _file_questions(call) -> list[CallQuestion]:
    return [q for q in call.questions if q.kind == QuestionKind.FILE]


def _render_form(call, application, form, file_errors=None, status=200):
    return (
        render_template(
            "campaigns/apply.html",
            call=call,
            application=application,
            form=form,
            file_questions=_file_questions(call),
            file_errors=file_errors or {},
            invite_form=InviteForm(),
            locale=_locale(),
            max_rows=MAX_ROWS,
        ),
        status,
    )


def _store_uploads(application, user, now) -> dict[str, list[str]]:
    """Store the files sent with the form; errors by input name (the rest is kept)."""
    errors: dict[str, list[str]] = {}
    for file_id in request.form.getlist("delete_file"):
        file_key = parse_id(file_id)
        record = db.session.get(ApplicationFile, file_key) if file_key else None
        if record is not None and record.application_id == application.id:
            services.delete_file(application, record, now)
    inputs = [("files", None)] + [(f"file_{q.id}", q) for q in _file_questions(application.call)]
    for name, question in inputs:
        for upload in request.files.getlist(name):
            if not upload or not upload.filename:
                continue
            try:
                services.store_file(
                    application, upload.stream, upload.filename, user, now, question
                )
            except CampaignError as error:
                errors.setdefault(name, []).append(f"{upload.filename}: {error}")
    return errors


@bp.route("/appels/<int:call_id>/candidature", methods=["GET", "POST"])
@login_required
def application_form(call_id: int):
    call = _call_or_404(call_id)
    now = utcnow()
    application = queries.user_application(call, current_user)
    if application is not None and application.status != ApplicationStatus.DRAFT:
        return redirect(url_for("campaigns.application_detail", application_id=application.id))
    if request.method == "GET":
        if not services.is_open_for(call, now, application):
            flash(_("This call is closed: applications can no longer be changed."), "error")
            if application is not None:
                return redirect(
                    url_for("campaigns.application_detail", application_id=application.id)
                )
            return redirect(url_for("campaigns.call_detail", call_id=call.id))
        return _render_form(
            call, application, _application_form(call, _saved_formdata(application))
        )

    if (request.content_length or 0) > MAX_APPLICATION_BYTES + 1024 * 1024:
        abort(413)
    # Adding or removing a row works without JavaScript: the page comes back with it.
    row_action = _row_action(request.form.get("action", ""))
    formdata = request.form
    if row_action and row_action[0] == "remove":
        formdata = without_row(request.form, row_action[1], row_action[2])
    add_row = row_action[1] if row_action and row_action[0] == "add" else None
    form = _application_form(call, formdata, add_row)
    try:
        if application is None:
            application = services.start_application(call, current_user, now)
        services.save_draft(application, services.clean_form_data(formdata), now, current_user)
        file_errors = _store_uploads(application, current_user, now)
    except CampaignError as error:
        db.session.rollback()
        flash(str(error), "error")
        return _render_form(call, application, form, status=409)
    db.session.commit()
    if row_action:
        return _render_form(call, application, form, file_errors)

    if request.form.get("action") == "submit":
        is_valid = form.validate()
        for question in _file_questions(call):
            if question.is_required and not any(
                f.question_id == question.id for f in application.files
            ):
                file_errors.setdefault(f"file_{question.id}", []).append(
                    _("This question is required.")
                )
        if application.territory_id is not None and services.territory_taken(application):
            form.territory_id.errors = [
                *form.territory_id.errors,
                _("An application of this territory was already submitted to this call."),
            ]
            is_valid = False
        if is_valid and not file_errors:
            try:
                services.submit_application(application, current_user, now)
            except CampaignError as error:
                db.session.rollback()
                flash(str(error), "error")
                return _render_form(call, application, form, status=409)
            db.session.commit()
            flash(_("Your application is submitted. A confirmation is on its way."), "success")
            return redirect(url_for("campaigns.application_detail", application_id=application.id))
        flash(_("Some answers need your attention: see the messages next to the fields."), "error")
        return _render_form(call, application, form, file_errors, status=422)

    if file_errors:
        return _render_form(call, application, form, file_errors, status=422)
    flash(_("Your draft is saved."), "success")
    return redirect(url_for("campaigns.application_form", call_id=call.id))


@bp.route("/appels/<int:call_id>/candidature/brouillon", methods=["POST"])
@login_required
def autosave(call_id: int):
    call = _call_or_404(call_id)
    now = utcnow()
    application = queries.user_application(call, current_user)
    try:
        if application is None:
            application = services.start_application(call, current_user, now)
        services.save_draft(application, services.clean_form_data(request.form), now, current_user)
    except CampaignError as error:
        db.session.rollback()
        return jsonify(error=str(error)), 409
    db.session.commit()
    return jsonify(
        saved_at=to_local(now).strftime("%H:%M:%S"),
        message=_("Draft saved at %(time)s", time=local_time(now)),
    )


@bp.route("/appels/<int:call_id>/candidature/equipe", methods=["POST"])
@login_required
@limiter.limit(_access_limit)
def invite(call_id: int):
    call = _call_or_404(call_id)
    application = queries.user_application(call, current_user)
    if application is None:
        abort(404)
    form = InviteForm()
    if form.validate_on_submit():
        try:
            services.invite_member(application, form.email.data, utcnow())
        except services.CampaignError as error:
            db.session.rollback()
            flash(str(error), "error")
        else:
            db.session.commit()
            flash(
                _(
                    "%(email)s can now work on this application: a link is on its way.",
                    email=form.email.data,
                ),
                "success",
            )
    else:
        flash(_("Give a valid email address."), "error")
    return redirect(url_for("campaigns.application_form", call_id=call.id))


@bp.route("/appels/mes-candidatures")
@login_required
def my_applications():
    return render_template(
        "campaigns/my_applications.html", applications=queries.user_applications(current_user)
    )


def _is_staff() -> bool:
    return current_user.has_role(Role.STAFF)


from coordination.campaigns import list_views, review_views, staff_views  # noqa: E402, F401  (same blueprint)
