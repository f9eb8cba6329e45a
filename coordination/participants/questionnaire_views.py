"""Questionnaires (staff edit them, participants answer) and the needs observatory."""

from flask import (
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from coordination.campaigns.models import Edition
from coordination.core.clock import utcnow
from coordination.core.permissions import role_required
from coordination.extensions import db, login_manager
from coordination.participants import exports, needs_map, queries, services
from coordination.participants.forms import (
    ActionForm,
    QuestionForm,
    parse_answers,
)
from coordination.participants.models import (
    COMPANY_SIZE_LABELS,
    QUESTION_KIND_LABELS,
    THEME_LABELS,
    NeedQuestion,
    Registration,
)
from coordination.participants.views import _from_token, _locale, bp
from coordination.territories.models import Region

# --- Questionnaires ----------------------------------------------------------------------


def _edition_or_404(slug: str) -> Edition:
    edition = db.session.scalar(select(Edition).where(Edition.slug == slug))
    if edition is None:
        abort(404)
    return edition


@bp.route("/questionnaires/<slug>", methods=["GET", "POST"])
@role_required("staff")
def questionnaire_edit(slug: str):
    edition = _edition_or_404(slug)
    questionnaire = services.get_or_create_questionnaire(edition)
    form = QuestionForm()
    if form.validate_on_submit():
        services.add_question(questionnaire, form.fields_for_service())
        db.session.commit()
        flash(_("Question added."), "success")
        return redirect(url_for("participants.questionnaire_edit", slug=slug))
    db.session.commit()
    return render_template(
        "participants/questionnaire_edit.html",
        edition=edition,
        questionnaire=questionnaire,
        form=form,
        action_form=ActionForm(),
        kind_labels=QUESTION_KIND_LABELS,
        theme_labels=THEME_LABELS,
    )


@bp.route("/questionnaires/<slug>/questions/<int:question_id>/supprimer", methods=["POST"])
@role_required("staff")
def question_delete(slug: str, question_id: int):
    edition = _edition_or_404(slug)
    question = db.session.get(NeedQuestion, question_id)
    if question is None or question.questionnaire.edition_id != edition.id:
        abort(404)
    if ActionForm().validate_on_submit():
        services.remove_question(question)
        db.session.commit()
        flash(_("Question removed."), "success")
    return redirect(url_for("participants.questionnaire_edit", slug=slug))


@bp.route("/questionnaire/<token>", methods=["GET", "POST"])
def answer(token: str):
    registration = _from_token("answer", token, Registration)
    questionnaire = services.questionnaire_for(registration.stop.edition_id)
    if questionnaire is None or registration.checked_in_at is None:
        abort(404)
    locale = _locale()
    done = services.response_of(registration) is not None
    form = ActionForm()
    typed: dict = {}
    errors: dict = {}
    if request.method == "POST" and not done and form.validate_on_submit():
        answers, typed, errors = parse_answers(questionnaire.questions, request.form, locale)
        if not errors:
            try:
                services.submit_answers(registration, questionnaire, answers, utcnow())
            except services.ParticipantError as error:
                db.session.rollback()
                flash(str(error), "error")
            else:
                db.session.commit()
                flash(_("Thank you! Your answers are recorded."), "success")
            return redirect(url_for("participants.answer", token=token))
    status = 422 if errors else 200
    return (
        render_template(
            "participants/answer.html",
            registration=registration,
            stop=registration.stop,
            questionnaire=questionnaire,
            locale=locale,
            done=done,
            typed=typed,
            errors=errors,
            form=form,
        ),
        status,
    )


# --- The observatory ---------------------------------------------------------------------


def _filters() -> dict:
    return {
        name: request.args.get(name, "").strip()[:40]
        for name in ("edition", "region", "size", "sector")
    }


def _visible_or_403() -> set[int] | None:
    if not current_user.is_authenticated:
        abort(login_manager.unauthorized())
    territory_ids = queries.visible_territory_ids(current_user)
    if territory_ids is not None and not territory_ids:
        abort(403)
    return territory_ids


@bp.route("/observatoire")
def observatory():
    territory_ids = _visible_or_403()
    filters = _filters()
    dimension = request.args.get("par", "territory")
    if dimension not in queries.DIMENSIONS:
        dimension = "territory"
    rows = queries.answer_rows(territory_ids, filters)
    table = queries.needs_table(rows, dimension)
    total_hidden = queries.protect_total(table, len(rows))
    themes = queries.theme_labels()
    theme = request.args.get("theme", "")
    if theme not in themes:
        theme = ""
    return render_template(
        "participants/observatory.html",
        table=table,
        needs_map=needs_map.needs_map(rows, theme),
        theme=theme,
        total=len(rows),
        total_hidden=total_hidden,
        dimension=dimension,
        dimensions=queries.DIMENSIONS,
        filters=filters,
        themes=themes,
        editions=db.session.scalars(select(Edition).order_by(Edition.starts_on.desc())).all(),
        regions=db.session.scalars(select(Region).order_by(Region.name)).all(),
        size_labels=COMPANY_SIZE_LABELS,
        sector_labels=queries.NAF_SECTION_LABELS,
        small_cell=queries.SMALL_CELL,
        is_everything=territory_ids is None,
    )


@bp.route("/observatoire/reponses.csv")
def observatory_export():
    territory_ids = _visible_or_403()
    rows = queries.answer_rows(territory_ids, _filters())
    return Response(
        exports.as_csv(exports.answers_table(rows, queries.SMALL_CELL)),
        mimetype="text/csv",
        headers={"Content-Disposition": 'attachment; filename="observatoire-reponses.csv"'},
    )
