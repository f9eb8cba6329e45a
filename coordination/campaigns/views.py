"""Editions and calls: public pages, applying by one-time link, staff management, review."""

import re

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.datastructures import MultiDict

from coordination.auth.models import Role, User
from coordination.campaigns import criteria as criteria_services
from coordination.campaigns import queries, services
from coordination.campaigns.catalogue import MAX_APPLICATION_BYTES, MAX_ROWS
from coordination.campaigns.forms import (
    AccessForm,
    ActionForm,
    AssignForm,
    CallForm,
    CriterionForm,
    DecisionForm,
    ExtendForm,
    InviteForm,
    QuestionForm,
    ReviewerForm,
    application_form_class,
    build_application_form,
    options,
    paris_datetime,
    review_form_class,
    without_row,
)
from coordination.campaigns.models import (
    Application,
    ApplicationFile,
    ApplicationStatus,
    CallCriterion,
    CallQuestion,
    QuestionKind,
    Review,
)
from coordination.campaigns.services import CampaignError
from coordination.core.clock import to_local, utcnow
from coordination.core.permissions import role_required
from coordination.core.text import parse_id
from coordination.extensions import db, limiter
from coordination.notifications.rendering import render_email
from coordination.territories.queries import region_choices

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
        services.save_draft(application, services.clean_form_data(formdata), now)
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
        services.save_draft(application, services.clean_form_data(request.form), now)
    except CampaignError as error:
        db.session.rollback()
        return jsonify(error=str(error)), 409
    db.session.commit()
    return jsonify(
        saved_at=to_local(now).strftime("%H:%M:%S"),
        message=_("Draft saved at %(time)s", time=to_local(now).strftime("%H:%M")),
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


def _readable_application(application_id: int) -> tuple[Application, Review | None]:
    """The application if the user may read it (member, assigned reviewer, staff), else 404."""
    application = db.session.get(Application, application_id)
    if application is None:
        abort(404)
    review = next((r for r in application.reviews if r.reviewer_id == current_user.id), None)
    if not (_is_staff() or current_user in application.members or review is not None):
        abort(404)
    return application, review


@bp.route("/appels/candidatures/<int:application_id>")
@login_required
def application_detail(application_id: int):
    application, review = _readable_application(application_id)
    is_staff = _is_staff()
    context = {}
    if is_staff:
        context = {
            "summary": services.score_summary(application),
            "assign_form": _assign_form(application),
            "extend_form": ExtendForm(
                extended_until=to_local(application.extended_until).replace(tzinfo=None)
                if application.extended_until
                else None
            ),
            "decision_form": DecisionForm(decision=application.decision or ""),
        }
    return render_template(
        "campaigns/application.html",
        application=application,
        rows=services.answer_rows(application, _locale()),
        is_member=current_user in application.members,
        is_staff=is_staff,
        my_review=review,
        action_form=ActionForm(),
        now=utcnow(),
        criteria=application.call.criteria,
        locale=_locale(),
        **context,
    )


@bp.route("/appels/candidatures/<int:application_id>/retrait", methods=["POST"])
@login_required
def withdraw(application_id: int):
    application = db.session.get(Application, application_id)
    if application is None or current_user not in application.members:
        abort(404)
    if ActionForm().validate_on_submit():
        try:
            services.withdraw_application(application, utcnow())
        except CampaignError as error:
            db.session.rollback()
            flash(str(error), "error")
        else:
            db.session.commit()
            flash(_("Your application is withdrawn."), "success")
    return redirect(url_for("campaigns.application_detail", application_id=application.id))


@bp.route("/appels/candidatures/<int:application_id>/fichiers/<int:file_id>")
@login_required
def download(application_id: int, file_id: int):
    application, _review = _readable_application(application_id)
    record = db.session.get(ApplicationFile, file_id)
    if record is None or record.application_id != application.id:
        abort(404)
    path = services.file_path(record)
    if not path.is_file():
        abort(404)
    return send_file(
        path, mimetype=record.content_type, as_attachment=True, download_name=record.original_name
    )


# --- Reviewers ------------------------------------------------------------------------


@bp.route("/appels/relectures")
@role_required(Role.REVIEWER, Role.STAFF)
def review_list():
    return render_template(
        "campaigns/reviews.html", reviews=queries.reviewer_assignments(current_user)
    )


@bp.route("/appels/relectures/<int:review_id>", methods=["GET", "POST"])
@role_required(Role.REVIEWER, Role.STAFF)
def review(review_id: int):
    review = db.session.get(Review, review_id)
    if review is None or review.reviewer_id != current_user.id:
        abort(404)
    application = review.application
    criteria = application.call.active_criteria
    form_class = review_form_class([(c.id, c.label(_locale())) for c in criteria])
    if request.method == "GET":
        data = {f"score_{k}": str(v) for k, v in (review.scores or {}).items()}
        form = form_class(comment=review.comment, **data)
    else:
        form = form_class()
    if form.validate_on_submit():
        scores = {c.id: int(getattr(form, f"score_{c.id}").data) for c in criteria}
        try:
            services.save_review(review, scores, form.comment.data or "", utcnow())
        except CampaignError as error:
            db.session.rollback()
            flash(str(error), "error")
        else:
            db.session.commit()
            flash(_("Your review is saved."), "success")
            return redirect(url_for("campaigns.review_list"))
    return render_template(
        "campaigns/review.html",
        review=review,
        application=application,
        form=form,
        criteria=criteria,
        rows=services.answer_rows(application, _locale()),
    )


# --- Staff: calls and questions -------------------------------------------------------


def _call_form(call=None, from_object: bool = False) -> CallForm:
    if call is not None and (request.method == "GET" or from_object):
        form = CallForm(
            # Not from this request's fields: they may belong to another form on the page.
            formdata=None,
            obj=call,
            opens_at=to_local(call.opens_at).replace(tzinfo=None),
            closes_at=to_local(call.closes_at).replace(tzinfo=None),
            is_industry_only="1" if call.is_industry_only else "0",
        )
    else:
        # "Open a call for this edition" comes with the edition chosen.
        chosen = parse_id(request.args.get("edition_id", "")) if request.method == "GET" else None
        form = CallForm(edition_id=chosen) if chosen else CallForm()
    form.edition_id.choices = options((e.id, e.name) for e in queries.editions())
    return form


def _call_fields(form: CallForm) -> dict:
    return {
        "edition_id": form.edition_id.data,
        "title": form.title.data,
        "description": form.description.data or "",
        "opens_at": paris_datetime(form.opens_at.data),
        "closes_at": paris_datetime(form.closes_at.data),
        "is_industry_only": form.is_industry_only.data == "1",
        "criteria_text": form.criteria_text.data or "",
        "reviews_per_application": form.reviews_per_application.data,
        "is_same_region_review_excluded": form.is_same_region_review_excluded.data,
    }


@bp.route("/appels/gestion")
@role_required(Role.STAFF)
def staff_calls():
    return render_template(
        "campaigns/staff_calls.html",
        calls=queries.all_calls(),
        counts=queries.application_counts(),
        now=utcnow(),
    )


@bp.route("/appels/gestion/nouveau", methods=["GET", "POST"])
@role_required(Role.STAFF)
def new_call():
    form = _call_form()
    if form.validate_on_submit():
        try:
            call = services.save_call(None, **_call_fields(form))
        except CampaignError as error:
            db.session.rollback()
            form.closes_at.errors = [*form.closes_at.errors, str(error)]
        else:
            db.session.commit()
            flash(_("The call is saved. Add its extra questions below."), "success")
            return redirect(url_for("campaigns.edit_call", call_id=call.id))
    return render_template("campaigns/call_form.html", form=form, call=None)


@bp.route("/appels/gestion/<int:call_id>", methods=["GET", "POST"])
@role_required(Role.STAFF)
def edit_call(call_id: int):
    call = _call_or_404(call_id)
    form = _call_form(call)
    if form.validate_on_submit():
        try:
            services.save_call(call, **_call_fields(form))
        except CampaignError as error:
            db.session.rollback()
            form.closes_at.errors = [*form.closes_at.errors, str(error)]
        else:
            db.session.commit()
            flash(_("The call is saved."), "success")
            return redirect(url_for("campaigns.edit_call", call_id=call.id))
    return render_template(
        "campaigns/call_form.html",
        form=form,
        call=call,
        question_form=QuestionForm(formdata=None),
        criterion_form=CriterionForm(formdata=None),
        action_form=ActionForm(),
        locale=_locale(),
    )


@bp.route("/appels/gestion/<int:call_id>/questions", methods=["POST"])
@role_required(Role.STAFF)
def add_question(call_id: int):
    call = _call_or_404(call_id)
    question_form = QuestionForm()
    if question_form.validate_on_submit():
        services.add_question(
            call,
            kind=question_form.kind.data,
            label_fr=question_form.label_fr.data,
            label_en=question_form.label_en.data or "",
            choices_text=question_form.choices_text.data or "",
            is_required=question_form.is_required.data,
        )
        db.session.commit()
        flash(_("The question is added."), "success")
        return redirect(url_for("campaigns.edit_call", call_id=call.id) + "#questions")
    return render_template(
        "campaigns/call_form.html",
        # The call as saved: this POST carried the question form, not the call's fields.
        form=_call_form(call, from_object=True),
        call=call,
        question_form=question_form,
        criterion_form=CriterionForm(formdata=None),
        action_form=ActionForm(),
        locale=_locale(),
    ), 422


@bp.route(
    "/appels/gestion/questions/<int:question_id>/<any(monter,descendre,supprimer):move>",
    methods=["POST"],
)
@role_required(Role.STAFF)
def change_question(question_id: int, move: str):
    question = db.session.get(CallQuestion, question_id)
    if question is None:
        abort(404)
    call_id = question.call_id
    if ActionForm().validate_on_submit():
        if move == "supprimer":
            services.delete_question(question)
        else:
            services.move_question(question, -1 if move == "monter" else 1)
        db.session.commit()
    return redirect(url_for("campaigns.edit_call", call_id=call_id) + "#questions")


@bp.route("/appels/gestion/<int:call_id>/criteres", methods=["POST"])
@role_required(Role.STAFF)
def add_criterion(call_id: int):
    call = _call_or_404(call_id)
    criterion_form = CriterionForm()
    if criterion_form.validate_on_submit():
        criteria_services.add_criterion(
            call, criterion_form.label_fr.data, criterion_form.label_en.data or ""
        )
        db.session.commit()
        flash(_("The criterion is added."), "success")
        return redirect(url_for("campaigns.edit_call", call_id=call.id) + "#criteria")
    return render_template(
        "campaigns/call_form.html",
        form=_call_form(call, from_object=True),
        call=call,
        question_form=QuestionForm(formdata=None),
        criterion_form=criterion_form,
        action_form=ActionForm(),
        locale=_locale(),
    ), 422


def _criterion_or_404(criterion_id: int) -> CallCriterion:
    criterion = db.session.get(CallCriterion, criterion_id)
    if criterion is None:
        abort(404)
    return criterion


@bp.route("/appels/gestion/criteres/<int:criterion_id>", methods=["POST"])
@role_required(Role.STAFF)
def rename_criterion(criterion_id: int):
    criterion = _criterion_or_404(criterion_id)
    form = CriterionForm()
    if form.validate_on_submit():
        criteria_services.rename_criterion(criterion, form.label_fr.data, form.label_en.data or "")
        db.session.commit()
        flash(_("The criterion is renamed."), "success")
    else:
        flash(_("Give the criterion a French label (300 characters at most)."), "error")
    return redirect(url_for("campaigns.edit_call", call_id=criterion.call_id) + "#criteria")


@bp.route(
    "/appels/gestion/criteres/<int:criterion_id>/<any(monter,descendre,retirer,supprimer):move>",
    methods=["POST"],
)
@role_required(Role.STAFF)
def change_criterion(criterion_id: int, move: str):
    criterion = _criterion_or_404(criterion_id)
    call_id = criterion.call_id
    if ActionForm().validate_on_submit():
        try:
            if move == "supprimer":
                criteria_services.delete_criterion(criterion)
            elif move == "retirer":
                criteria_services.set_retired(criterion, not criterion.is_retired)
            else:
                criteria_services.move_criterion(criterion, -1 if move == "monter" else 1)
        except CampaignError as error:
            db.session.rollback()
            flash(str(error), "error")
        else:
            db.session.commit()
    return redirect(url_for("campaigns.edit_call", call_id=call_id) + "#criteria")


# --- Staff: applications, review, decisions -------------------------------------------


def _assign_form(application: Application) -> AssignForm:
    form = AssignForm(formdata=None)
    taken = {r.reviewer_id for r in application.reviews}
    form.user_id.choices = options(
        (m.user_id, m.user.display_name)
        for m in queries.call_panel(application.call)
        if m.user_id not in taken
    )
    return form


@bp.route("/appels/gestion/<int:call_id>/candidatures")
@role_required(Role.STAFF)
def staff_applications(call_id: int):
    call = _call_or_404(call_id)
    applications = queries.call_applications(call)
    submitted = [a for a in applications if a.status == ApplicationStatus.SUBMITTED]
    reviewer_form = ReviewerForm(formdata=None)
    reviewer_form.user_id.choices = options(
        (u.id, f"{u.display_name} <{u.email}>") for u in queries.reviewer_candidates()
    )
    reviewer_form.region_code.choices = options([("", "—"), *region_choices()])
    return render_template(
        "campaigns/staff_applications.html",
        call=call,
        ranking=services.ranking(submitted),
        others=[a for a in applications if a.status != ApplicationStatus.SUBMITTED],
        panel=queries.call_panel(call),
        reviewer_form=reviewer_form,
        action_form=ActionForm(),
        pending=len(services.pending_decisions(call)),
    )


@bp.route("/appels/gestion/<int:call_id>/relecteurs", methods=["POST"])
@role_required(Role.STAFF)
def add_reviewer(call_id: int):
    call = _call_or_404(call_id)
    form = ReviewerForm()
    form.user_id.choices = options((u.id, u.email) for u in queries.reviewer_candidates())
    form.region_code.choices = options([("", "—"), *region_choices()])
    if form.validate_on_submit():
        services.add_reviewer(call, db.session.get(User, form.user_id.data), form.region_code.data)
        db.session.commit()
        flash(_("The reviewer is on the panel."), "success")
    else:
        flash(_("Choose a reviewer."), "error")
    return redirect(url_for("campaigns.staff_applications", call_id=call.id))


@bp.route("/appels/gestion/<int:call_id>/attribution", methods=["POST"])
@role_required(Role.STAFF)
def auto_assign(call_id: int):
    call = _call_or_404(call_id)
    if ActionForm().validate_on_submit():
        try:
            count = services.auto_assign(call, utcnow())
        except CampaignError as error:
            db.session.rollback()
            flash(str(error), "error")
        else:
            db.session.commit()
            flash(_("%(count)s reviews assigned.", count=count), "success")
    return redirect(url_for("campaigns.staff_applications", call_id=call.id))


def _staff_application(application_id: int) -> Application:
    application = db.session.get(Application, application_id)
    if application is None:
        abort(404)
    return application


def _back_to(application: Application):
    return redirect(url_for("campaigns.application_detail", application_id=application.id))


@bp.route("/appels/candidatures/<int:application_id>/relecteurs", methods=["POST"])
@role_required(Role.STAFF)
def assign(application_id: int):
    application = _staff_application(application_id)
    form = AssignForm()
    form.user_id.choices = options((m.user_id, "") for m in queries.call_panel(application.call))
    if form.validate_on_submit():
        try:
            services.assign_reviewer(application, db.session.get(User, form.user_id.data), utcnow())
        except CampaignError as error:
            db.session.rollback()
            flash(str(error), "error")
        else:
            db.session.commit()
            flash(_("The reviewer is assigned."), "success")
    return _back_to(application)


@bp.route("/appels/relectures/<int:review_id>/retirer", methods=["POST"])
@role_required(Role.STAFF)
def unassign(review_id: int):
    review = db.session.get(Review, review_id)
    if review is None:
        abort(404)
    application = review.application
    if ActionForm().validate_on_submit():
        services.unassign_reviewer(review)
        db.session.commit()
    return _back_to(application)


@bp.route("/appels/candidatures/<int:application_id>/delai", methods=["POST"])
@role_required(Role.STAFF)
def extend(application_id: int):
    application = _staff_application(application_id)
    form = ExtendForm()
    if form.validate_on_submit():
        try:
            services.extend_deadline(application, paris_datetime(form.extended_until.data))
        except CampaignError as error:
            db.session.rollback()
            flash(str(error), "error")
        else:
            db.session.commit()
            flash(_("The deadline of this application is changed."), "success")
    else:
        flash(_("Give a date and time."), "error")
    return _back_to(application)


@bp.route("/appels/candidatures/<int:application_id>/decision", methods=["POST"])
@role_required(Role.STAFF)
def decide(application_id: int):
    application = _staff_application(application_id)
    form = DecisionForm()
    if form.validate_on_submit():
        try:
            services.set_decision(application, form.decision.data or None)
        except CampaignError as error:
            db.session.rollback()
            flash(str(error), "error")
        else:
            db.session.commit()
            flash(_("The decision is recorded; it is sent when you release decisions."), "success")
    return _back_to(application)


@bp.route("/appels/gestion/<int:call_id>/decisions", methods=["GET", "POST"])
@role_required(Role.STAFF)
def release(call_id: int):
    call = _call_or_404(call_id)
    form = ActionForm()
    if form.validate_on_submit():
        count = services.release_decisions(call, utcnow(), current_user)
        db.session.commit()
        flash(_("%(count)s decisions released.", count=count), "success")
        return redirect(url_for("campaigns.staff_applications", call_id=call.id))
    previews = []
    for application in services.pending_decisions(call):
        for member in application.members:
            rendered = render_email(
                services.decision_template(application),
                member.locale,
                services.decision_context(application, member),
            )
            previews.append((application, member, rendered))
    return render_template("campaigns/release.html", call=call, previews=previews, form=form)


@bp.route("/appels/gestion/<int:call_id>/export.csv")
@role_required(Role.STAFF)
def export(call_id: int):
    call = _call_or_404(call_id)
    content = services.export_csv(call, _locale())
    return Response(
        content.encode("utf-8"),
        mimetype="text/csv",
        headers={
            "Content-Disposition": f'attachment; filename="candidatures-appel-{call.id}.csv"',
        },
    )
