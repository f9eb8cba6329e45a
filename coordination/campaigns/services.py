"""State changes of calls, applications and reviews (flush, never commit)."""

from datetime import date, datetime

import nh3
from flask import url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from markdown_it import MarkdownIt
from markupsafe import Markup
from sqlalchemy import func, select, update

from coordination.auth.models import Role, User
from coordination.auth.services import ensure_user, grant_role, issue_login_link
from coordination.campaigns import conflicts
from coordination.campaigns.catalogue import (
    CONTACT_PARTS,
    CORE_LABELS,
    THEMES,
)
from coordination.campaigns.models import (
    Application,
    ApplicationStatus,
    Call,
    CallQuestion,
    QuestionKind,
    application_members,
)
from coordination.core.formatting import local_date, local_datetime
from coordination.core.text import parse_id
from coordination.core.urls import external_url
from coordination.extensions import db
from coordination.notifications.services import queue_email_to
from coordination.territories.models import Territory


class CampaignError(Exception):
    """A rule refused the change; the message is shown to the user."""


# --- Markdown -------------------------------------------------------------------------

_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")


def render_markdown(text: str) -> Markup:
    """Render staff Markdown to HTML, cleaned of anything but harmless tags."""
    html = _markdown.render(text or "")
    # nh3 keeps only harmless tags and attributes, so the result is safe to mark as such.
    return Markup(nh3.clean(html, link_rel="noopener noreferrer nofollow"))  # noqa: S704


# --- Calls ----------------------------------------------------------------------------


def save_call(call: Call | None, **fields) -> Call:
    """Create (call None) or update a call from staff input."""
    if call is None:
        call = Call()
        db.session.add(call)
    criteria = fields.pop("criteria_text", None)
    for name, value in fields.items():
        setattr(call, name, value)
    if call.closes_at <= call.opens_at:
        raise CampaignError(_("The closing date must come after the opening date."))
    if criteria and not call.criteria:
        # Typed at once only on a new call; afterwards each criterion is edited by its id.
        from coordination.campaigns.criteria import add_criteria_from_text

        add_criteria_from_text(call, criteria)
    db.session.flush()
    return call


def add_question(call: Call, **fields) -> CallQuestion:
    """Add an extra question to a call's form, by default at the end."""
    if fields.get("position") is None:
        fields["position"] = max((q.position for q in call.questions), default=0) + 10
    question = CallQuestion(**fields)
    call.questions.append(question)
    db.session.flush()
    return question


def move_question(question: CallQuestion, offset: int) -> None:
    """Move a question up (-1) or down (+1) in its call's form."""
    move_in_order(question.call.questions, question, offset)


def move_in_order(items: list, item, offset: int) -> None:
    """Move one of items ordered by (position, id) up (-1) or down (+1), renumbering all."""
    ordered = sorted(items, key=lambda i: (i.position, i.id))
    index = ordered.index(item)
    target = index + offset
    if 0 <= target < len(ordered):
        ordered[index], ordered[target] = ordered[target], ordered[index]
    for position, each in enumerate(ordered, start=1):
        each.position = position * 10
    db.session.flush()


def delete_question(question: CallQuestion) -> None:
    """Remove an extra question (answers already given stay in the drafts' data)."""
    db.session.delete(question)
    db.session.flush()


# --- Access by one-time link ----------------------------------------------------------


def request_access(call: Call, email: str, now: datetime, locale: str = "fr") -> User:
    """Find or create the applicant's account and email them a link to the call's form."""
    user = ensure_user(email, Role.TERRITORY_CONTACT, locale=locale)
    if user.is_active:
        issue_login_link(user, now, url_for("campaigns.application_form", call_id=call.id))
    return user


def is_open_for(call: Call, now: datetime, application: Application | None = None) -> bool:
    """Whether the call accepts changes at `now` (Paris deadline kept in UTC)."""
    deadline = application.deadline if application is not None else call.closes_at
    return call.opens_at <= now < deadline


def _check_editable(application: Application, now: datetime) -> None:
    if application.status != ApplicationStatus.DRAFT:
        raise CampaignError(_("This application was already submitted or withdrawn."))
    if now < application.call.opens_at:
        raise CampaignError(_("This call is not open for applications yet."))
    if not is_open_for(application.call, now, application):
        raise CampaignError(
            _(
                "The deadline has passed (%(when)s, Paris time): the application can no longer "
                "be changed.",
                when=local_datetime(application.deadline, "long"),
            )
        )


# --- Drafts ---------------------------------------------------------------------------


def clean_form_data(formdata) -> dict[str, list[str]]:
    """Keep what the user typed (field -> values), not the CSRF token or the button."""
    skip = {"csrf_token", "action", "delete_file"}
    return {
        key: formdata.getlist(key)[:50]
        for key in formdata
        if key not in skip and not key.startswith("file_")
    }


def start_application(call: Call, user: User, now: datetime) -> Application:
    """Create an empty draft for a contact (the first save does it)."""
    if not is_open_for(call, now):
        raise CampaignError(_("This call is not open for applications."))
    grant_role(user, Role.TERRITORY_CONTACT)
    application = Application(
        call=call, created_by_id=user.id, members=[user], form_data={}, status="draft"
    )
    application.created_at = now
    db.session.add(application)
    db.session.flush()
    _record_joined(application, user, now)
    return application


def _record_joined(application: Application, user: User, now: datetime) -> None:
    """Note when a person joined a draft (its reminders due earlier are not theirs)."""
    db.session.execute(
        update(application_members)
        .where(
            application_members.c.application_id == application.id,
            application_members.c.user_id == user.id,
            application_members.c.joined_at.is_(None),
        )
        .values(joined_at=now)
    )


def save_draft(application: Application, form_data: dict, now: datetime, user=None) -> None:
    """Store the form as typed; the territory is kept when it names a known territory."""
    _check_editable(application, now)
    application.form_data = form_data
    application.last_saved_at = now
    territory_id = (form_data.get("territory_id") or [""])[0]
    territory_key = parse_id(territory_id)
    territory = db.session.get(Territory, territory_key) if territory_key else None
    application.territory_id = territory.id if territory is not None else None
    _check_no_conflict(application, user)
    db.session.flush()


def _check_no_conflict(application: Application, user=None) -> None:
    """Refuse a team with someone who reviews the application's territory for the call."""
    for member in application.members:
        reason = conflicts.application_conflict(
            application, member, yourself=user is not None and member.id == user.id
        )
        if reason:
            raise CampaignError(reason)


def invite_member(application: Application, email: str, now: datetime) -> User:
    """Let a colleague work on the same application: add them and send them a link."""
    # Only while the application can still change: after submission the team is fixed.
    _check_editable(application, now)
    user = ensure_user(email, Role.TERRITORY_CONTACT)
    reason = conflicts.application_conflict(application, user, yourself=False)
    if reason:
        raise CampaignError(reason)
    if user not in application.members:
        application.members.append(user)
        db.session.flush()
        _record_joined(application, user, now)
    db.session.flush()
    if user.is_active:
        issue_login_link(
            user, now, url_for("campaigns.application_form", call_id=application.call_id)
        )
    return user


def territory_taken(application: Application) -> bool:
    """Whether another application of the same territory to the call is already submitted."""
    return bool(
        db.session.scalar(
            select(func.count(Application.id)).where(
                Application.call_id == application.call_id,
                Application.territory_id == application.territory_id,
                Application.id != application.id,
                Application.status == ApplicationStatus.SUBMITTED,
            )
        )
    )


def submit_application(application: Application, user: User, now: datetime) -> None:
    """Submit a draft the form validated; each member gets a confirmation with a summary."""
    _check_editable(application, now)
    if application.territory_id is None:
        raise CampaignError(_("Choose the territory."))
    _check_no_conflict(application, user)
    application.status = ApplicationStatus.SUBMITTED
    application.submitted_at = now
    db.session.flush()
    for member in application.members:
        queue_email_to(
            member,
            key=f"campaigns:submitted:{application.id}:user:{member.id}",
            template="campaigns/submitted",
            context={
                "user": member,
                "application": application,
                "rows": lambda locale, a=application: answer_rows(a, locale),
                "url": external_url("campaigns.application_detail", application_id=application.id),
            },
            now=now,
        )


def withdraw_application(application: Application, now: datetime) -> None:
    """Withdraw an application (a draft or a submitted one) before any decision is released."""
    if application.status == ApplicationStatus.WITHDRAWN:
        raise CampaignError(_("This application is already withdrawn."))
    if application.decision_released_at is not None:
        raise CampaignError(_("A decision was already sent for this application."))
    application.status = ApplicationStatus.WITHDRAWN
    application.withdrawn_at = now
    # A pending (unreleased) decision goes with it: nothing can come of it any more.
    application.decision = None
    db.session.flush()


def extend_deadline(application: Application, until: datetime | None) -> None:
    """Give one application more time (None removes the extension)."""
    if until is not None and until <= application.call.closes_at:
        raise CampaignError(_("The new deadline must come after the call's deadline."))
    application.extended_until = until
    db.session.flush()


# --- Answers as rows (pages, emails, CSV) ---------------------------------------------


def _typed_day(text: str) -> str:
    """A date typed in the form (ISO, from a date field) as people read it; kept as typed
    if it is not a date."""
    try:
        return local_date(date.fromisoformat(text.strip()), "long")
    except ValueError:
        return text


def answer_rows(application: Application, locale: str) -> list[tuple[str, str]]:
    """Every answer of an application as (label, text) rows, in the form's order."""
    with force_locale(locale):
        theme_labels = {value: str(label) for value, label in THEMES}
        territory = application.territory
        contacts = [
            ", ".join(p for p in row.values() if p)
            for row in application.rows("contacts", CONTACT_PARTS)
        ]
        windows = [
            f"{_typed_day(row['start'])} → {_typed_day(row['end'])}"
            for row in application.rows("availability", ("start", "end"))
        ]
        rows = [
            (str(CORE_LABELS["territory_id"]), territory.name if territory else ""),
            (str(CORE_LABELS["contacts"]), "\n".join(contacts)),
            (str(CORE_LABELS["host_city"]), application.value("host_city")),
            (str(CORE_LABELS["venue"]), application.value("venue")),
            (str(CORE_LABELS["availability"]), "\n".join(windows)),
            (
                str(CORE_LABELS["themes"]),
                ", ".join(theme_labels.get(v, v) for v in application.values("themes")),
            ),
            (str(CORE_LABELS["partners"]), application.value("partners")),
            (str(CORE_LABELS["expected_smes"]), application.value("expected_smes")),
            (str(CORE_LABELS["motivation"]), application.value("motivation")),
        ]
        for question in application.call.questions:
            if question.kind == QuestionKind.FILE:
                answer = ", ".join(
                    f.original_name for f in application.files if f.question_id == question.id
                )
            elif question.kind == QuestionKind.MULTIPLE_CHOICE:
                labels = dict(question.choices(locale))
                answer = ", ".join(labels.get(v, v) for v in application.values(f"q_{question.id}"))
            elif question.kind == QuestionKind.SINGLE_CHOICE:
                value = application.value(f"q_{question.id}")
                answer = dict(question.choices(locale)).get(value, value)
            elif question.kind == QuestionKind.DATE:
                answer = _typed_day(application.value(f"q_{question.id}"))
            else:
                answer = application.value(f"q_{question.id}")
            rows.append((question.label(locale), answer))
        rows.append(
            (
                str(CORE_LABELS["files"]),
                ", ".join(f.original_name for f in application.files if f.question_id is None),
            )
        )
    return rows


from coordination.campaigns.decisions import (  # noqa: E402, F401  (moved; callers keep services.x)
    decision_context,
    decision_template,
    export_csv,
    pending_decisions,
    release_decisions,
    set_decision,
)
from coordination.campaigns.files import (  # noqa: E402, F401  (moved; callers keep services.x)
    delete_file,
    file_path,
    store_file,
    upload_folder,
)
from coordination.campaigns.reminders import (  # noqa: E402, F401  (moved; callers keep services.x)
    REMINDER_LEADS,
    draft_reminder_due,
    send_draft_reminders,
)
from coordination.campaigns.reviewing import (  # noqa: E402, F401  (moved; callers keep services.x)
    ScoreSummary,
    add_reviewer,
    assign_reviewer,
    auto_assign,
    ranking,
    save_review,
    score_summary,
    unassign_reviewer,
)
