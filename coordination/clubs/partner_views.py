"""Partner self-service: an organisation's details, its contacts, leaving a club."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from coordination.calendar.services import user_feeds
from coordination.clubs import organisations, queries, services
from coordination.clubs.errors import ClubRuleError
from coordination.clubs.forms import ActionForm, ContactForm, OrganisationForm
from coordination.clubs.models import Membership, PartnerContact, PartnerOrganisation
from coordination.clubs.views import bp
from coordination.core.clock import utcnow
from coordination.extensions import db


def _managed_organisation(organisation_id: int) -> PartnerOrganisation:
    organisation = db.session.get(PartnerOrganisation, organisation_id)
    if organisation is None:
        abort(404)
    if not services.is_approved_contact(current_user, organisation):
        abort(403)
    return organisation


# --- Partner self-service ------------------------------------------------------------------


@bp.route("/partenaire/")
@login_required
def my_partner():
    feeds = [feed for feed in user_feeds(current_user, utcnow()) if feed["url"]]
    db.session.commit()  # feed addresses are made on first visit
    return render_template(
        "clubs/my_partner.html",
        organisations=queries.organisations_of(current_user),
        feeds=feeds,
        form=ActionForm(),
    )


@bp.route("/partenaire/organisations/<int:organisation_id>", methods=["GET", "POST"])
@login_required
def organisation_edit(organisation_id: int):
    organisation = _managed_organisation(organisation_id)
    form = OrganisationForm(organisation_id=organisation.id)
    if request.method == "GET":
        form.organisation_name.data = organisation.name
        form.kind.data = organisation.kind
        form.siret.data = organisation.siret or ""
        form.website.data = organisation.website
        form.address.data = organisation.address
        form.region_code.data = organisation.region_code or ""
        form.interests.data = list(organisation.interests or [])
    if form.validate_on_submit():
        fields = form.organisation_fields() | {"interests": list(form.interests.data or [])}
        organisations.update_organisation(organisation, fields)
        db.session.commit()
        flash(_("Your organisation is saved."), "success")
        return redirect(url_for("clubs.organisation_edit", organisation_id=organisation.id))
    return render_template(
        "clubs/organisation.html",
        form=form,
        organisation=organisation,
        contact_form=ContactForm(),
        action_form=ActionForm(),
    )


@bp.route("/partenaire/organisations/<int:organisation_id>/contacts", methods=["POST"])
@login_required
def contact_add(organisation_id: int):
    organisation = _managed_organisation(organisation_id)
    contact_form = ContactForm()
    if contact_form.validate_on_submit():
        organisations.add_contact_by_email(
            organisation, contact_form.email.data, contact_form.name.data, current_user, utcnow()
        )
        db.session.commit()
        flash(_("The contact is added and told by email."), "success")
        return redirect(url_for("clubs.organisation_edit", organisation_id=organisation.id))
    form = OrganisationForm(obj=None, organisation_id=organisation.id, formdata=None)
    form.organisation_name.data = organisation.name
    form.kind.data = organisation.kind
    form.siret.data = organisation.siret or ""
    form.website.data, form.address.data = organisation.website, organisation.address
    form.region_code.data = organisation.region_code or ""
    form.interests.data = list(organisation.interests or [])
    return render_template(
        "clubs/organisation.html",
        form=form,
        organisation=organisation,
        contact_form=contact_form,
        action_form=ActionForm(),
    ), 422


@bp.route(
    "/partenaire/organisations/<int:organisation_id>/contacts/<int:contact_id>/retirer",
    methods=["POST"],
)
@login_required
def contact_remove(organisation_id: int, contact_id: int):
    organisation = _managed_organisation(organisation_id)
    contact = db.session.get(PartnerContact, contact_id)
    if contact is None or contact.organisation_id != organisation.id:
        abort(404)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        organisations.remove_contact(contact)
    except ClubRuleError:
        db.session.rollback()
        flash(_("An organisation keeps at least one contact."), "error")
    else:
        db.session.commit()
        flash(_("The contact is removed."), "success")
    return redirect(url_for("clubs.organisation_edit", organisation_id=organisation.id))


@bp.route("/partenaire/adhesions/<int:membership_id>/quitter", methods=["POST"])
@login_required
def leave(membership_id: int):
    membership = db.session.get(Membership, membership_id) or abort(404)
    if not services.is_approved_contact(current_user, membership.organisation):
        abort(403)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        services.leave_club(membership, utcnow())
    except ClubRuleError:
        db.session.rollback()
        flash(_("Your organisation is not a member of this club."), "error")
    else:
        db.session.commit()
        flash(_("Your organisation has left the club."), "success")
    return redirect(url_for("clubs.my_partner"))
