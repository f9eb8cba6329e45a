"""State changes of calls, applications and reviews (flush, never commit)."""

import csv
import io
import secrets
import statistics
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import filetype
import nh3
from flask import current_app, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from markdown_it import MarkdownIt
from markupsafe import Markup
from sqlalchemy import func, select, update

from coordination.auth.models import Role, User
from coordination.auth.services import ensure_user, grant_role, issue_login_link
from coordination.campaigns import queries
from coordination.campaigns.catalogue import (
    ALLOWED_TYPES,
    CONTACT_PARTS,
    CORE_LABELS,
    MAX_APPLICATION_BYTES,
    MAX_FILE_BYTES,
    THEMES,
)
from coordination.campaigns.models import (
    Application,
    ApplicationFile,
    ApplicationStatus,
    Call,
    CallQuestion,
    CallReviewer,
    Decision,
    QuestionKind,
    Review,
    application_members,
)
from coordination.core.clock import shift_local_days, to_local
from coordination.core.text import parse_id
from coordination.core.urls import external_url
from coordination.extensions import db
from coordination.notifications.models import OutboxMessage
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
                when=to_local(application.deadline).strftime("%d/%m/%Y %H:%M"),
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


def save_draft(application: Application, form_data: dict, now: datetime) -> None:
    """Store the form as typed; the territory is kept when it names a known territory."""
    _check_editable(application, now)
    application.form_data = form_data
    application.last_saved_at = now
    territory_id = (form_data.get("territory_id") or [""])[0]
    territory_key = parse_id(territory_id)
    territory = db.session.get(Territory, territory_key) if territory_key else None
    application.territory_id = territory.id if territory is not None else None
    db.session.flush()


def invite_member(application: Application, email: str, now: datetime) -> User:
    """Let a colleague work on the same application: add them and send them a link."""
    # Only while the application can still change: after submission the team is fixed.
    _check_editable(application, now)
    user = ensure_user(email, Role.TERRITORY_CONTACT)
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


# --- Attachments ----------------------------------------------------------------------


def upload_folder() -> Path:
    """Where attachments live: under the instance folder, never under static/."""
    folder = Path(current_app.instance_path) / "uploads"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def store_file(
    application: Application,
    stream,
    original_name: str,
    user: User,
    now: datetime,
    question: CallQuestion | None = None,
) -> ApplicationFile:
    """Check an upload's size and type (from its content) and keep it under a random name."""
    _check_editable(application, now)
    content = stream.read(MAX_FILE_BYTES + 1)
    if not content:
        raise CampaignError(_("The file is empty."))
    if len(content) > MAX_FILE_BYTES:
        raise CampaignError(
            _("The file is larger than %(size)s MB.", size=MAX_FILE_BYTES // (1024 * 1024))
        )
    used = sum(f.size_bytes for f in application.files)
    if used + len(content) > MAX_APPLICATION_BYTES:
        raise CampaignError(
            _(
                "The attachments of an application may not exceed %(size)s MB in all.",
                size=MAX_APPLICATION_BYTES // (1024 * 1024),
            )
        )
    kind = filetype.guess(content)
    if kind is None or kind.mime not in ALLOWED_TYPES:
        raise CampaignError(_("Only PDF, ODT, DOCX, PNG and JPEG files are accepted."))
    stored_name = f"{secrets.token_hex(16)}.{ALLOWED_TYPES[kind.mime]}"
    (upload_folder() / stored_name).write_bytes(content)
    name = Path(original_name.replace("\\", "/")).name[:200] or stored_name
    record = ApplicationFile(
        question_id=question.id if question is not None else None,
        original_name=name,
        stored_name=stored_name,
        content_type=kind.mime,
        size_bytes=len(content),
        uploaded_by_id=user.id,
        created_at=now,
    )
    application.files.append(record)
    db.session.flush()
    return record


def delete_file(application: Application, file: ApplicationFile, now: datetime) -> None:
    """Remove an attachment from a draft, and its content from disk."""
    _check_editable(application, now)
    path = upload_folder() / file.stored_name
    application.files.remove(file)
    db.session.flush()
    path.unlink(missing_ok=True)


def file_path(file: ApplicationFile) -> Path:
    """The stored content of an attachment."""
    return upload_folder() / file.stored_name


# --- Submission -----------------------------------------------------------------------


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
            f"{row['start']} → {row['end']}"
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


# --- Review ---------------------------------------------------------------------------


def add_reviewer(call: Call, user: User, region_code: str | None) -> CallReviewer:
    """Put a reviewer on a call's panel (or update their région)."""
    member = db.session.scalar(
        select(CallReviewer).where(CallReviewer.call_id == call.id, CallReviewer.user_id == user.id)
    )
    if member is None:
        member = CallReviewer(call_id=call.id, user_id=user.id)
        db.session.add(member)
    member.region_code = region_code or None
    grant_role(user, Role.REVIEWER)
    db.session.flush()
    return member


def _reviewer_region(call: Call, user_id: int) -> str | None:
    return db.session.scalar(
        select(CallReviewer.region_code).where(
            CallReviewer.call_id == call.id, CallReviewer.user_id == user_id
        )
    )


def assign_reviewer(application: Application, reviewer: User, now: datetime) -> Review:
    """Give an application to a reviewer (once); refused across the call's région rule."""
    if application.status != ApplicationStatus.SUBMITTED:
        raise CampaignError(_("Only submitted applications can be reviewed."))
    existing = next((r for r in application.reviews if r.reviewer_id == reviewer.id), None)
    if existing is not None:
        return existing
    call = application.call
    if (
        call.is_same_region_review_excluded
        and application.territory is not None
        and application.territory.region_code is not None
        and _reviewer_region(call, reviewer.id) == application.territory.region_code
    ):
        raise CampaignError(_("This reviewer belongs to the application's région."))
    review = Review(reviewer_id=reviewer.id, assigned_at=now, scores={}, comment="")
    application.reviews.append(review)
    db.session.flush()
    return review


def unassign_reviewer(review: Review) -> None:
    """Take an application back from a reviewer (their scores go too)."""
    db.session.delete(review)
    db.session.flush()


def auto_assign(call: Call, now: datetime) -> int:
    """Give each submitted application reviewers from the panel up to the call's number,
    the least loaded first, skipping a reviewer's own région when the call says so."""
    panel = list(db.session.scalars(select(CallReviewer).where(CallReviewer.call_id == call.id)))
    if not panel:
        raise CampaignError(_("Add reviewers to the call's panel first."))
    applications = [a for a in call.applications if a.status == ApplicationStatus.SUBMITTED]
    load = {member.user_id: 0 for member in panel}
    for application in applications:
        for review in application.reviews:
            if review.reviewer_id in load:
                load[review.reviewer_id] += 1
    created = 0
    for application in sorted(applications, key=lambda a: a.id):
        region = application.territory.region_code if application.territory else None
        taken = {r.reviewer_id for r in application.reviews}
        candidates = [
            m
            for m in panel
            if m.user_id not in taken
            and not (call.is_same_region_review_excluded and region and m.region_code == region)
        ]
        candidates.sort(key=lambda m: (load[m.user_id], m.user_id))
        for member in candidates[: max(0, call.reviews_per_application - len(taken))]:
            application.reviews.append(
                Review(reviewer_id=member.user_id, assigned_at=now, scores={}, comment="")
            )
            load[member.user_id] += 1
            created += 1
    db.session.flush()
    return created


def save_review(review: Review, scores: dict[int, int], comment: str, now: datetime) -> None:
    """Record a reviewer's 0-5 score for each active criterion (by id) and their comment."""
    call = review.application.call
    active = {c.id for c in call.active_criteria}
    if set(scores) != active or any(not 0 <= s <= 5 for s in scores.values()):
        raise CampaignError(_("Give every criterion a score from 0 to 5."))
    # Scores of criteria retired since stay: results keep them.
    retired = {c.key for c in call.criteria if c.is_retired}
    kept = {k: v for k, v in (review.scores or {}).items() if k in retired}
    review.scores = kept | {str(key): int(score) for key, score in scores.items()}
    review.comment = comment.strip()
    review.reviewed_at = now
    db.session.flush()


@dataclass(frozen=True)
class ScoreSummary:
    application: Application
    mean: float | None
    spread: float | None
    reviews_done: int
    reviews_total: int
    rank: int | None = None


def score_summary(application: Application) -> ScoreSummary:
    """Mean and spread (population standard deviation) of the reviewers' totals."""
    totals = [r.total for r in application.reviews if r.total is not None]
    mean = statistics.fmean(totals) if totals else None
    spread = statistics.pstdev(totals) if len(totals) > 1 else (0.0 if totals else None)
    return ScoreSummary(application, mean, spread, len(totals), len(application.reviews))


def ranking(applications: list[Application]) -> list[ScoreSummary]:
    """Submitted applications by mean score (unscored last), each with its rank."""
    summaries = [score_summary(a) for a in applications]
    scored = sorted(
        (s for s in summaries if s.mean is not None), key=lambda s: (-s.mean, s.application.id)
    )
    unscored = [s for s in summaries if s.mean is None]
    ranked = [
        ScoreSummary(s.application, s.mean, s.spread, s.reviews_done, s.reviews_total, rank)
        for rank, s in enumerate(scored, start=1)
    ]
    return ranked + sorted(unscored, key=lambda s: s.application.id)


# --- Decisions ------------------------------------------------------------------------


def set_decision(application: Application, decision: str | None) -> None:
    """Record staff's decision; it stays pending (unseen by applicants) until released."""
    if application.status != ApplicationStatus.SUBMITTED:
        raise CampaignError(_("Only submitted applications get a decision."))
    if application.decision_released_at is not None:
        raise CampaignError(_("This decision was already sent."))
    application.decision = Decision(decision).value if decision else None
    db.session.flush()


def pending_decisions(call: Call) -> list[Application]:
    """Submitted applications with a decision not released yet."""
    return [
        a
        for a in queries.applications_with_everything(call)
        if a.status == ApplicationStatus.SUBMITTED
        and a.decision is not None
        and a.decision_released_at is None
    ]


def decision_context(application: Application, member: User) -> dict:
    return {
        "user": member,
        "application": application,
        "url": external_url("campaigns.application_detail", application_id=application.id),
    }


def decision_template(application: Application) -> str:
    return f"campaigns/decision_{application.decision}"


def release_decisions(call: Call, now: datetime, staff: User | None = None) -> int:
    """Release every pending decision of a call together: each member gets an email."""
    released = pending_decisions(call)
    for application in released:
        application.decision_released_at = now
        for member in application.members:
            queue_email_to(
                member,
                key=f"campaigns:decision:{application.id}:user:{member.id}",
                template=decision_template(application),
                reply_to=staff.email if staff is not None else None,
                context=decision_context(application, member),
                now=now,
            )
    if released:
        call.decisions_released_at = now
    db.session.flush()
    return len(released)


# --- Reminders ------------------------------------------------------------------------

#: Lead times of the draft reminders in calendar days, nearest first, as in their keys.
REMINDER_LEADS = {"P1D": 1, "P7D": 7}


def draft_reminder_due(call: Call, now: datetime) -> tuple[str, datetime] | None:
    """The nearest draft reminder of a call reached at `now` (its lead and time), if any."""
    for lead, days in REMINDER_LEADS.items():
        moment = shift_local_days(call.closes_at, -days)
        if moment <= now:
            return lead, moment
    return None


def send_draft_reminders(now: datetime) -> int:
    """Remind the members of drafts 7 days and 1 day before the deadline, each once."""
    queued = 0
    # A day's margin in SQL (daylight saving); draft_reminder_due has the exact rule.
    calls = db.session.scalars(
        select(Call).where(Call.closes_at > now, Call.closes_at <= now + timedelta(days=8))
    )
    for call in calls:
        # Only the nearest lead time reached: a draft begun 3 days out gets no "7 days" mail.
        reached = draft_reminder_due(call, now)
        if reached is None:
            continue
        lead, moment = reached
        joined = {
            (row.application_id, row.user_id): row.joined_at
            for row in db.session.execute(
                select(application_members)
                .join(Application, Application.id == application_members.c.application_id)
                .where(
                    Application.call_id == call.id,
                    Application.status == ApplicationStatus.DRAFT,
                )
            )
        }
        drafts = db.session.scalars(
            select(Application).where(
                Application.call_id == call.id, Application.status == ApplicationStatus.DRAFT
            )
        )
        for application in drafts:
            for member in application.members:
                # Who began or joined the draft after the reminder's time had no need of it.
                joined_at = joined.get((application.id, member.id))
                if joined_at is not None and joined_at > moment:
                    continue
                key = f"campaigns:draft-reminder:{application.id}:user:{member.id}:{lead}"
                if _already_queued(key):
                    continue
                queue_email_to(
                    member,
                    key=key,
                    template="campaigns/draft_reminder",
                    context={
                        "user": member,
                        "call": call,
                        "lead": lead,
                        "url": external_url("campaigns.call_detail", call_id=call.id),
                    },
                    now=now,
                )
                queued += 1
    db.session.flush()
    return queued


def _already_queued(key: str) -> bool:
    return (
        db.session.scalar(
            select(func.count(OutboxMessage.id)).where(OutboxMessage.idempotency_key == key)
        )
        > 0
    )


# --- Export ---------------------------------------------------------------------------


def export_csv(call: Call, locale: str) -> str:
    """Every application with all answers and scores, for Excel in French: BOM and ';'."""
    applications = queries.applications_with_everything(call)
    criteria = call.criteria
    with force_locale(locale):
        header = [_("Id"), _("Status"), _("Submitted at (Paris)"), _("Decision")]
        score_header = [_("Mean score"), _("Spread"), _("Reviews")]
    answer_header = (
        [label for label, _value in answer_rows(applications[0], locale)] if (applications) else []
    )
    per_criterion = [f"{c.label(locale)} (0-5)" for c in criteria]
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow(header + answer_header + per_criterion + score_header)
    for application in applications:
        summary = score_summary(application)
        means = []
        for criterion in criteria:
            values = [
                int(r.scores[criterion.key])
                for r in application.reviews
                if r.reviewed_at and criterion.key in r.scores
            ]
            means.append(_decimal(statistics.fmean(values)) if values else "")
        writer.writerow(
            [
                application.id,
                application.status,
                to_local(application.submitted_at).strftime("%d/%m/%Y %H:%M")
                if application.submitted_at
                else "",
                application.decision or "",
            ]
            + [value for _label, value in answer_rows(application, locale)]
            + means
            + [
                _decimal(summary.mean) if summary.mean is not None else "",
                _decimal(summary.spread) if summary.spread is not None else "",
                f"{summary.reviews_done}/{summary.reviews_total}",
            ]
        )
    return "\ufeff" + buffer.getvalue()


def _decimal(value: float) -> str:
    # A French Excel reads "3,5" as a number and "3.5" as text.
    return f"{value:.2f}".replace(".", ",")
