"""Reviewers and reviews: adding, assigning, scoring and ranking applications."""

import statistics
from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select

from coordination.auth.models import Role, User
from coordination.auth.services import grant_role
from coordination.campaigns import conflicts
from coordination.campaigns.models import (
    Application,
    ApplicationStatus,
    Call,
    CallReviewer,
    Review,
)
from coordination.campaigns.services import CampaignError
from coordination.extensions import db

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
    reason = conflicts.review_conflict(application, reviewer.id)
    if reason:
        raise CampaignError(reason)
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
    the least loaded first, skipping a reviewer's own région when the call says so and
    always the territories a reviewer is a contact of."""
    panel = list(db.session.scalars(select(CallReviewer).where(CallReviewer.call_id == call.id)))
    if not panel:
        raise CampaignError(_("Add reviewers to the call's panel first."))
    applications = [a for a in call.applications if a.status == ApplicationStatus.SUBMITTED]
    load = {member.user_id: 0 for member in panel}
    for application in applications:
        for review in application.reviews:
            if review.reviewer_id in load:
                load[review.reviewer_id] += 1
    contact_of = conflicts.contact_territory_ids(list(load))
    created = 0
    for application in sorted(applications, key=lambda a: a.id):
        region = application.territory.region_code if application.territory else None
        taken = {r.reviewer_id for r in application.reviews}
        candidates = [
            m
            for m in panel
            if m.user_id not in taken
            and application.territory_id not in contact_of[m.user_id]
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
