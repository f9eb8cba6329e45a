"""Decisions and their release and the CSV export (draft reminders: reminders.py)."""

import csv
import io
import statistics
from datetime import datetime

from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import contains_eager, joinedload, lazyload, selectinload

from coordination.auth.models import User
from coordination.campaigns import queries
from coordination.campaigns.models import (
    APPLICATION_STATUS_LABELS,
    DECISION_LABELS,
    Application,
    ApplicationStatus,
    Call,
    Decision,
)
from coordination.campaigns.reviewing import score_summary
from coordination.campaigns.services import CampaignError, answer_rows
from coordination.core.formatting import spreadsheet_datetime
from coordination.core.urls import external_url
from coordination.extensions import db
from coordination.notifications.agenda import (
    PlannedMessage,
    Recipient,
    SentMessage,
    register_planner,
    sent_between,
)
from coordination.notifications.services import queue_planned

# --- Decisions ------------------------------------------------------------------------


def set_decision(application: Application, decision: str | None, note: str | None = None) -> None:
    """Record staff's decision (and personal note); pending (unseen) until released."""
    if application.status != ApplicationStatus.SUBMITTED:
        raise CampaignError(_("Only submitted applications get a decision."))
    if application.decision_released_at is not None:
        raise CampaignError(_("This decision was already sent."))
    application.decision = Decision(decision).value if decision else None
    if note is not None:
        application.decision_note = note.strip()
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
        "personal_note": application.decision_note,
    }


def decision_template(application: Application) -> str:
    return f"campaigns/decision_{application.decision}"


RELEASE_KIND = "decision_release"
RELEASE_AUDIENCE = "applicants"
DECISION_KEY_PREFIX = "campaigns:decision:"


def _pending_of(edition_ids=None, call_ids=None) -> list[Application]:
    """Submitted applications with a decision not released yet, members loaded, by id."""
    query = (
        select(Application)
        .join(Call, Call.id == Application.call_id)
        .options(
            selectinload(Application.members).options(lazyload(User.role_rows)),
            contains_eager(Application.call),  # joined above
            joinedload(Application.territory),  # the decision emails name it
        )
        .where(
            Application.status == ApplicationStatus.SUBMITTED,
            Application.decision.is_not(None),
            Application.decision_released_at.is_(None),
        )
        .order_by(Application.id)
    )
    if edition_ids is not None:
        query = query.where(Call.edition_id.in_(edition_ids))
    if call_ids is not None:
        query = query.where(Application.call_id.in_(call_ids))
    return list(db.session.scalars(query))


def _release_items(applications: list[Application]) -> list[PlannedMessage]:
    """One message waiting for release per call and decision, each member a recipient."""
    groups: dict[tuple[int, str], list[Application]] = {}
    for application in applications:
        groups.setdefault((application.call_id, application.decision), []).append(application)
    items = []
    for (_call_id, decision), group in groups.items():
        call = group[0].call
        who = {f"{DECISION_KEY_PREFIX}{a.id}:user:{m.id}": (a, m) for a in group for m in a.members}

        def context(recipient, now, who=who):
            return decision_context(*who[recipient.key])

        items.append(
            PlannedMessage(
                kind=RELEASE_KIND,
                audience=RELEASE_AUDIENCE,
                planned_at=None,  # when staff release the call's decisions
                edition_id=call.edition_id,
                stop_id=None,
                item=f"{RELEASE_AUDIENCE}:{decision}",
                template=decision_template(group[0]),
                label=call.title,
                recipients=[
                    Recipient(
                        email=m.email, name=m.name or "", locale=m.locale, key=key, user_id=m.id
                    )
                    for key, (_a, m) in who.items()
                ],
                context=context,
            )
        )
    return items


def plan_decision_releases(edition_ids, start, end, now) -> list[PlannedMessage]:
    """The decisions waiting for staff to release them (agenda planner: no time; read only)."""
    return _release_items(_pending_of(edition_ids=edition_ids))


def release_decisions(call: Call, now: datetime, staff: User | None = None) -> int:
    """Release every pending decision of a call together: each member gets an email."""
    released = _pending_of(call_ids=[call.id])
    queue_planned(
        _release_items(released), now, reply_to=staff.email if staff is not None else None
    )
    for application in released:
        application.decision_released_at = now
    if released:
        call.decisions_released_at = now
    db.session.flush()
    return len(released)


def sent_decision_releases(edition_ids, since, until) -> list[SentMessage]:
    """The decision messages of these editions queued in (since, until], from the outbox."""
    titles = {
        application_id: title
        for application_id, title in db.session.execute(
            select(Application.id, Call.title)
            .join(Call, Call.id == Application.call_id)
            .where(Call.edition_id.in_(edition_ids))
        )
    }
    rows = []
    for message, parts in sent_between(DECISION_KEY_PREFIX, since, until):
        # campaigns:decision:<application>:user:<user>
        if len(parts) < 5 or not parts[2].isdigit() or int(parts[2]) not in titles:
            continue
        decision = message.template.removeprefix("campaigns/decision_")
        item = f"{RELEASE_AUDIENCE}:{decision}"
        rows.append(
            SentMessage(RELEASE_KIND, RELEASE_AUDIENCE, None, item, titles[int(parts[2])], message)
        )
    return rows


def register_planners() -> None:
    """Declare the decision releases to the agenda of messages."""
    register_planner(
        RELEASE_KIND,
        _l("Decisions to release"),
        plan_decision_releases,
        sent_decision_releases,
        {RELEASE_AUDIENCE: _l("Members of the applications")},
    )


# --- Export ---------------------------------------------------------------------------


def _label(labels: dict, value: str | None, locale: str) -> str:
    """The people's word for a status or decision in the export's language ('' if none)."""
    if not value:
        return ""
    with force_locale(locale):
        return str(labels.get(value, value))


def export_csv(call: Call, locale: str, ids: list[int] | None = None) -> str:
    """Every application (or those of `ids`) with all answers and scores, for Excel in
    French: BOM and ';'."""
    applications = queries.applications_with_everything(call, ids)
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
                _label(APPLICATION_STATUS_LABELS, application.status, locale),
                spreadsheet_datetime(application.submitted_at),
                _label(DECISION_LABELS, application.decision, locale),
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
