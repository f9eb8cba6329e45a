"""Staff pages of editions: the list with states, create, edit, archive, prepare the next."""

from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from coordination.auth.models import Role
from coordination.campaigns.forms import ActionForm
from coordination.campaigns.models import Edition, EditionStatus
from coordination.core.clock import to_local, utcnow
from coordination.core.permissions import role_required
from coordination.editions import queries, services
from coordination.editions.forms import KIND_LABELS, EditionForm
from coordination.extensions import db

bp = Blueprint("editions", __name__, url_prefix="/gestion/editions")


def _edition_or_404(edition_id: int) -> Edition:
    edition = db.session.get(Edition, edition_id)
    if edition is None:
        abort(404)
    return edition


def _today() -> date:
    return to_local(utcnow()).date()


def _fields(form: EditionForm) -> dict:
    return {
        "kind": form.kind.data,
        "name": form.name.data,
        "slug": form.slug.data,
        "starts_on": form.starts_on.data,
        "ends_on": form.ends_on.data,
        "description": form.description.data or "",
    }


@bp.route("")
@role_required(Role.STAFF)
def edition_list():
    return render_template(
        "editions/list.html",
        rows=queries.staff_editions(),
        today=_today(),
        state=queries.state,
        kinds=KIND_LABELS,
    )


@bp.route("/nouvelle", methods=["GET", "POST"])
@role_required(Role.STAFF)
def edition_create():
    form = EditionForm()
    if form.validate_on_submit():
        edition = services.save_edition(None, is_public=form.is_public.data, **_fields(form))
        db.session.commit()
        flash(_("The edition is created. Open its call for applications below."), "success")
        return redirect(url_for("editions.edition_page", edition_id=edition.id))
    return render_template("editions/form.html", form=form, edition=None), (
        422 if form.errors else 200
    )


@bp.route("/<int:edition_id>", methods=["GET", "POST"])
@role_required(Role.STAFF)
def edition_page(edition_id: int):
    edition = _edition_or_404(edition_id)
    if request.method == "GET":
        form = EditionForm(
            obj=edition,
            edition_id=edition.id,
            is_public=edition.status != EditionStatus.DRAFT,
        )
    else:
        form = EditionForm(edition_id=edition.id)
    if form.validate_on_submit():
        services.save_edition(edition, is_public=form.is_public.data, **_fields(form))
        db.session.commit()
        flash(_("The edition is saved."), "success")
        return redirect(url_for("editions.edition_page", edition_id=edition.id))
    return render_template(
        "editions/form.html",
        form=form,
        edition=edition,
        state=queries.state(edition, _today()),
        action_form=ActionForm(),
    ), (422 if form.errors else 200)


@bp.route("/<int:edition_id>/<any(archiver,restaurer):move>", methods=["POST"])
@role_required(Role.STAFF)
def edition_archive(edition_id: int, move: str):
    edition = _edition_or_404(edition_id)
    if ActionForm().validate_on_submit():
        services.set_archived(edition, move == "archiver")
        db.session.commit()
        if move == "archiver":
            flash(_("The edition is archived: it leaves the public list."), "success")
        else:
            flash(_("The edition is back, public."), "success")
    return redirect(url_for("editions.edition_page", edition_id=edition.id))


def _next_year(text: str, edition: Edition, years: int) -> str:
    year = edition.starts_on.year
    return text.replace(str(year), str(year + years))


def _a_year_later(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


@bp.route("/<int:edition_id>/suivante", methods=["GET", "POST"])
@role_required(Role.STAFF)
def edition_prepare(edition_id: int):
    source = _edition_or_404(edition_id)
    if request.method == "GET":
        # Proposed: the same season a year after (after this year, for old editions).
        years = max(1, _today().year + 1 - source.starts_on.year)
        slug = _next_year(source.slug, source, years)
        form = EditionForm(
            kind=source.kind,
            name=_next_year(source.name, source, years),
            slug=slug if not queries.slug_taken(slug) else "",
            starts_on=_a_year_later(source.starts_on, years),
            ends_on=_a_year_later(source.ends_on, years),
            description=source.description,
        )
    else:
        form = EditionForm()
    if form.validate_on_submit():
        fields = _fields(form)
        edition = services.prepare_next(
            source,
            starts_on=fields.pop("starts_on"),
            ends_on=fields.pop("ends_on"),
            is_public=form.is_public.data,
            **fields,
        )
        db.session.commit()
        flash(
            _(
                "The edition is prepared from %(source)s: check its calls' dates.",
                source=source.name,
            ),
            "success",
        )
        return redirect(url_for("editions.edition_page", edition_id=edition.id))
    return render_template("editions/prepare.html", form=form, source=source), (
        422 if form.errors else 200
    )
