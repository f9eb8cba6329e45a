"""Application pages for readers, reviews, staff assignment and decisions (same blueprint)."""

from flask import (
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required

from coordination.auth.models import Role, User
from coordination.campaigns import queries, services
from coordination.campaigns.forms import (
    ActionForm,
    AssignForm,
    DecisionForm,
    ExtendForm,
    ReviewerForm,
    options,
    paris_datetime,
    review_form_class,
)
from coordination.campaigns.models import (
    Application,
    ApplicationFile,
    Review,
)
from coordination.campaigns.services import CampaignError
from coordination.campaigns.views import _call_or_404, _is_staff, _locale, bp
from coordination.core.clock import to_local, utcnow
from coordination.core.permissions import role_required
from coordination.extensions import db
from coordination.notifications.rendering import render_email
from coordination.territories.queries import region_choices


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
            "decision_form": DecisionForm(
                decision=application.decision or "", note=application.decision_note
            ),
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
            services.set_decision(application, form.decision.data or None, form.note.data or "")
        except CampaignError as error:
            db.session.rollback()
            flash(str(error), "error")
        else:
            db.session.commit()
            flash(_("The decision is recorded; it is sent when you release decisions."), "success")
    else:
        flash(_("The personal note is too long (2,000 characters at most)."), "error")
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
