"""Staff pages of calls: editing calls, their questions and criteria (same blueprint)."""

from flask import (
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _

from coordination.auth.models import Role
from coordination.campaigns import criteria as criteria_services
from coordination.campaigns import queries, services
from coordination.campaigns.forms import (
    ActionForm,
    CallForm,
    CriterionForm,
    QuestionForm,
    options,
    paris_datetime,
)
from coordination.campaigns.models import (
    CallCriterion,
    CallQuestion,
)
from coordination.campaigns.services import CampaignError
from coordination.campaigns.views import _call_or_404, _locale, bp
from coordination.core.clock import to_local, utcnow
from coordination.core.permissions import role_required
from coordination.core.text import parse_id
from coordination.extensions import db


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
