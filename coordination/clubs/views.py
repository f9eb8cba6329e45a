"""Club pages, partner registration, staff approval, meetings, self-service and exports."""

import csv
import io

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from wtforms.fields.choices import SelectChoice

from coordination.auth.models import Role
from coordination.clubs import organisations, queries, services
from coordination.clubs.forms import (
    ActionForm,
    BulkDecisionForm,
    ClubForm,
    DecisionForm,
    MeetingForm,
    MergeForm,
    RegistrationForm,
)
from coordination.clubs.models import (
    INTEREST_LABELS,
    Club,
    ClubMeeting,
    Membership,
    MembershipStatus,
    PartnerOrganisation,
)
from coordination.core.clock import utcnow
from coordination.core.formatting import spreadsheet_date
from coordination.core.permissions import role_required
from coordination.extensions import db, limiter
from coordination.stops.queries import public_stops_in_territories
from coordination.territories.queries import region_choices

bp = Blueprint("clubs", __name__)

#: Longest search text taken from a query string.
MAX_QUERY_LENGTH = 100


def _registration_limit() -> str:
    return current_app.config["RATELIMIT_SIGN_IN"]


def _club_or_404(slug: str) -> Club:
    club = queries.club_by_slug(slug)
    if club is None:
        abort(404)
    return club


def _managed_club_or_403(slug: str) -> Club:
    club = _club_or_404(slug)
    if not services.can_manage_club(current_user, club):
        abort(403)
    return club


# --- Public pages --------------------------------------------------------------------------


@bp.route("/clubs/")
def club_list():
    query = request.args.get("q", "")[:MAX_QUERY_LENGTH].strip()
    region = request.args.get("region", "")[:3]
    clubs = queries.find_clubs(query, region)
    return render_template(
        "clubs/list.html", clubs=clubs, query=query, region=region, regions=region_choices()
    )


@bp.route("/clubs/<slug>")
def club_page(slug: str):
    club = _club_or_404(slug)
    can_manage = services.can_manage_club(current_user, club)
    now = utcnow()
    territory_ids = [territory.id for territory in club.territories]
    return render_template(
        "clubs/club.html",
        club=club,
        members=queries.club_members(club.id),
        meetings=queries.coming_meetings(club.id, now),
        stops=public_stops_in_territories(territory_ids, now),
        can_manage=can_manage,
        # The online link is for the club's members and staff, not the public page.
        can_see_links=services.is_club_member(current_user, club),
    )


# --- Registration --------------------------------------------------------------------------


@bp.route("/clubs/inscription", methods=["GET", "POST"])
@limiter.limit(_registration_limit, methods=["POST"])
def register():
    form = RegistrationForm()
    if request.method == "GET":
        form.club_query.data = request.args.get("q", "")[:MAX_QUERY_LENGTH].strip()
        preselected = request.args.get("club", type=int)
        if preselected and preselected in [c.value for c in form.club_ids.choices]:
            form.club_ids.data = [preselected]
    # The search button re-shows the form with everything typed and no errors.
    elif request.form.get("action") != "search" and form.validate_on_submit():
        services.start_registration(
            form.registration_payload(), form.email.data, _current_locale(), utcnow()
        )
        db.session.commit()
        return redirect(url_for("clubs.registration_sent"))
    return render_template(
        "clubs/register.html", form=form, clubs=form.shown_clubs(), interests=INTEREST_LABELS
    )


def _current_locale() -> str:
    from flask_babel import get_locale

    return str(get_locale() or "fr")


@bp.route("/clubs/inscription/envoyee")
def registration_sent():
    return render_template("clubs/registration_sent.html")


@bp.route("/clubs/inscription/confirmer/<token>", methods=["GET", "POST"])
@limiter.limit(_registration_limit, methods=["POST"])
def confirm_registration(token: str):
    form = ActionForm()
    if request.method == "GET":
        # A GET only shows a button: mail scanners follow links, they must not confirm.
        valid = services.find_pending_registration(token, utcnow()) is not None
        return render_template("clubs/confirm_registration.html", form=form, valid=valid)
    if not form.validate_on_submit():
        abort(400)
    requests = services.confirm_registration(token, utcnow())
    if requests is None:
        db.session.rollback()
        return render_template("clubs/confirm_registration.html", form=form, valid=False), 410
    db.session.commit()
    return render_template("clubs/registration_confirmed.html", requests=requests)


# --- Staff and leads: clubs, requests, meetings --------------------------------------------


@bp.route("/equipe/clubs/nouveau", methods=["GET", "POST"])
@role_required(Role.STAFF)
def club_create():
    form = ClubForm()
    if form.validate_on_submit():
        club = services.save_club(None, form.club_fields())
        db.session.commit()
        flash(_("The club is saved."), "success")
        return redirect(url_for("clubs.club_page", slug=club.slug))
    return render_template("clubs/club_form.html", form=form, club=None)


@bp.route("/equipe/clubs/<int:club_id>/modifier", methods=["GET", "POST"])
@role_required(Role.STAFF)
def club_edit(club_id: int):
    club = db.session.get(Club, club_id) or abort(404)
    form = ClubForm(obj=club, club_id=club.id)
    if request.method == "GET":
        form.territory_ids.data = [t.id for t in club.territories]
        form.lead_emails.data = "\n".join(lead.email for lead in club.leads)
    if form.validate_on_submit():
        services.save_club(club, form.club_fields())
        db.session.commit()
        flash(_("The club is saved."), "success")
        return redirect(url_for("clubs.club_page", slug=club.slug))
    return render_template("clubs/club_form.html", form=form, club=club)


@bp.route("/clubs/demandes")
@login_required
def request_list():
    if not current_user.has_role(Role.STAFF) and not queries.led_clubs(current_user):
        abort(403)
    memberships = queries.pending_requests(current_user)
    return render_template(
        "clubs/requests.html",
        memberships=memberships,
        form=DecisionForm(),
        bulk_form=BulkDecisionForm(formdata=None),
    )


@bp.route("/clubs/demandes/<int:membership_id>", methods=["POST"])
@login_required
def decide_request(membership_id: int):
    membership = db.session.get(Membership, membership_id) or abort(404)
    if not services.can_manage_club(current_user, membership.club):
        abort(403)
    form = DecisionForm()
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for error in errors:
                flash(error, "error")
        return redirect(url_for("clubs.request_list"))
    try:
        if form.decision.data == "approve":
            services.approve_membership(membership, form.version.data, current_user, utcnow())
            message = _("The request is approved; the contact gets a welcome email.")
        else:
            services.reject_membership(
                membership, form.version.data, form.reason.data.strip(), current_user, utcnow()
            )
            message = _("The request is rejected; the contact is told why.")
    except services.ClubRuleError:
        db.session.rollback()
        flash(_("This request was already decided or changed since you opened the page."), "error")
        return redirect(url_for("clubs.request_list")), 303
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("clubs.request_list")), 303


@bp.route("/clubs/<slug>/reunions/nouvelle", methods=["GET", "POST"])
@login_required
def meeting_create(slug: str):
    club = _managed_club_or_403(slug)
    form = MeetingForm()
    if form.validate_on_submit() and _saved_meeting(form, club, None):
        flash(_("The meeting is saved."), "success")
        return redirect(url_for("clubs.club_page", slug=club.slug))
    return render_template("clubs/meeting_form.html", form=form, club=club, meeting=None)


def _saved_meeting(form: MeetingForm, club, meeting) -> bool:
    # Wall-clock times can still end before they start in UTC (the spring-forward hour).
    try:
        services.save_meeting(club, meeting, form.meeting_fields(), utcnow())
    except services.ClubRuleError:
        db.session.rollback()
        form.ends.errors = [*form.ends.errors, _("The meeting must end after it starts.")]
        return False
    db.session.commit()
    return True


@bp.route("/clubs/<slug>/reunions/<int:meeting_id>/modifier", methods=["GET", "POST"])
@login_required
def meeting_edit(slug: str, meeting_id: int):
    club = _managed_club_or_403(slug)
    meeting = db.session.get(ClubMeeting, meeting_id)
    if meeting is None or meeting.club_id != club.id:
        abort(404)
    form = MeetingForm()
    if request.method == "GET":
        form.fill_from(meeting)
    if form.validate_on_submit() and _saved_meeting(form, club, meeting):
        flash(_("The meeting is saved."), "success")
        return redirect(url_for("clubs.club_page", slug=club.slug))
    return render_template("clubs/meeting_form.html", form=form, club=club, meeting=meeting)


# --- Partners (staff) ------------------------------------------------------------------------


@bp.route("/equipe/partenaires/<int:organisation_id>/fusionner", methods=["GET", "POST"])
@role_required(Role.STAFF)
def partner_merge(organisation_id: int):
    keep = db.session.get(PartnerOrganisation, organisation_id) or abort(404)
    form = MergeForm()
    others = [p for p in queries.all_partners() if p.id != keep.id]
    # Likely duplicates first: same folded name.
    others.sort(key=lambda p: (p.search_name != keep.search_name, p.search_name))
    form.duplicate_id.choices = [
        SelectChoice(p.id, f"{p.name}{' — ' + p.siret if p.siret else ''}") for p in others
    ]
    if form.validate_on_submit():
        duplicate = db.session.get(PartnerOrganisation, form.duplicate_id.data) or abort(404)
        organisations.merge_organisations(keep, duplicate)
        db.session.commit()
        flash(_("The organisations are merged."), "success")
        return redirect(url_for("clubs.partner_list"))
    return render_template("clubs/merge.html", form=form, keep=keep)


# --- Exports ---------------------------------------------------------------------------------

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value) -> str:
    text = "" if value is None else str(value)
    # Spreadsheets run cells starting like a formula; a leading quote keeps them text.
    return "'" + text if text.startswith(_FORMULA_START) else text


def _csv_response(filename: str, header: list, rows: list[list]) -> Response:
    buffer = io.StringIO()
    # Excel in French reads ';'-separated UTF-8 when the file starts with a BOM.
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([str(h) for h in header])
    writer.writerows([[_cell(v) for v in row] for row in rows])
    return Response(
        "\ufeff" + buffer.getvalue(),
        mimetype="text/csv",
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Content-Type": "text/csv; charset=utf-8",
        },
    )


_PARTNER_HEADER = [
    _l("Organisation"),
    _l("Kind"),
    _l("SIRET"),
    _l("Website"),
    _l("Address"),
    _l("Région"),
    _l("Contacts"),
    _l("Email addresses"),
]


def _partner_cells(organisation: PartnerOrganisation) -> list:
    contacts = [c for c in organisation.contacts if c.is_approved]
    return [
        organisation.name,
        organisation.kind_label,
        organisation.siret or "",
        organisation.website,
        organisation.address,
        organisation.region.name if organisation.region else "",
        ", ".join(c.user.display_name for c in contacts),
        ", ".join(c.user.email for c in contacts),
    ]


@bp.route("/clubs/<slug>/membres.csv")
@login_required
def members_export(slug: str):
    club = _managed_club_or_403(slug)
    members = queries.club_members(club.id)
    rows = [[*_partner_cells(m.organisation), spreadsheet_date(m.decided_at)] for m in members]
    return _csv_response(f"membres-{club.slug}.csv", [*_PARTNER_HEADER, _l("Member since")], rows)


def partners_csv(partners: list[PartnerOrganisation], filename: str) -> Response:
    """Partner organisations as a spreadsheet, with the clubs each is a member of."""
    rows = [
        [
            *_partner_cells(p),
            ", ".join(m.club.name for m in p.memberships if m.status == MembershipStatus.APPROVED),
        ]
        for p in partners
    ]
    return _csv_response(filename, [*_PARTNER_HEADER, _l("Clubs")], rows)


@bp.route("/equipe/partenaires/export.csv")
@role_required(Role.STAFF)
def partners_export():
    return partners_csv(queries.all_partners(), "partenaires.csv")


from coordination.clubs import (  # noqa: E402, F401  (same blueprint)
    bulk_views,
    member_list_views,
    partner_list_views,
    partner_views,
)
