"""Decisions and their release and the CSV export (draft reminders: reminders.py)."""

import csv
import io
import statistics
from datetime import datetime

from flask_babel import force_locale
from flask_babel import gettext as _

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
from coordination.notifications.services import queue_email_to

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
