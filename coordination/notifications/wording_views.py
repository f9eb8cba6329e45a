"""Staff pages: the wording of an edition's messages, edit, preview, return to the default."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from coordination.auth.models import Role
from coordination.campaigns.forms import ActionForm
from coordination.campaigns.models import Edition
from coordination.core.clock import utcnow
from coordination.core.permissions import role_required
from coordination.extensions import db
from coordination.notifications import overrides
from coordination.notifications.catalogue import KINDS
from coordination.notifications.views import bp
from coordination.notifications.wording_forms import WordingForm

STARTER = "{greeting}\n\n\n\n{url}\n"


def _edition_or_404(edition_id: int) -> Edition:
    edition = db.session.get(Edition, edition_id)
    if edition is None:
        abort(404)
    return edition


def _kind_or_404(slug: str, locale: str) -> str:
    kind = slug.replace("--", "/")
    if kind not in KINDS or locale not in overrides.locales():
        abort(404)
    return kind


def slug_of(kind: str) -> str:
    return kind.replace("/", "--")


@bp.route("/editions/<int:edition_id>/textes")
@role_required(Role.STAFF)
def wordings(edition_id: int):
    edition = _edition_or_404(edition_id)
    rows = [
        (
            entry,
            slug_of(kind),
            {
                locale: overrides.find_template(kind, edition.id, locale)
                for locale in overrides.locales()
            },
        )
        for kind, entry in KINDS.items()
    ]
    return render_template(
        "notifications/wordings.html", edition=edition, rows=rows, locales=overrides.locales()
    )


@bp.route("/editions/<int:edition_id>/textes/<slug>/<locale>", methods=["GET", "POST"])
@role_required(Role.STAFF)
def wording(edition_id: int, slug: str, locale: str):
    edition = _edition_or_404(edition_id)
    kind = _kind_or_404(slug, locale)
    saved = overrides.find_template(kind, edition.id, locale)
    form = WordingForm(
        data={"subject": saved.subject, "body": saved.body}
        if saved
        else {"subject": "", "body": STARTER}
    )
    problems = []
    typed = None
    if request.method == "POST" and form.validate_on_submit():
        problems = overrides.check(kind, form.subject.data, form.body.data)
        if not problems:
            typed = (form.subject.data, form.body.data)
            if request.form.get("action") == "save":
                overrides.save_template(
                    kind, edition.id, locale, *typed, by=current_user, now=utcnow()
                )
                db.session.commit()
                flash(_("The wording is saved: the next messages use it."), "success")
                return redirect(
                    url_for(".wording", edition_id=edition.id, slug=slug, locale=locale)
                )
    elif request.method == "POST":
        problems = [f"{form[name].label.text}: {' '.join(e)}" for name, e in form.errors.items()]
    previews = {}
    for other in overrides.locales():
        if other == locale and typed is not None:
            previews[other] = overrides.preview(edition, kind, other, *typed)
        else:
            previews[other] = overrides.preview(edition, kind, other)
    entry = KINDS[kind]
    return render_template(
        "notifications/wording.html",
        edition=edition,
        entry=entry,
        slug=slug,
        locale=locale,
        saved=saved,
        form=form,
        problems=problems,
        previews=previews,
        typed=typed is not None,
        reset_form=ActionForm(),
    ), (422 if problems else 200)


@bp.route("/editions/<int:edition_id>/textes/<slug>/<locale>/defaut", methods=["POST"])
@role_required(Role.STAFF)
def wording_reset(edition_id: int, slug: str, locale: str):
    edition = _edition_or_404(edition_id)
    kind = _kind_or_404(slug, locale)
    if ActionForm().validate_on_submit() and overrides.reset_template(kind, edition.id, locale):
        db.session.commit()
        flash(_("Back to the default wording."), "success")
    return redirect(url_for(".wording", edition_id=edition.id, slug=slug, locale=locale))
