"""Reused reads about editions and calls."""

from datetime import datetime

from sqlalchemy import case, func, select
from sqlalchemy.orm import defer, joinedload, selectinload

from coordination.auth.models import Role, User, UserRole
from coordination.campaigns.models import (
    Application,
    ApplicationStatus,
    Call,
    CallReviewer,
    Edition,
    EditionStatus,
    Review,
    application_members,
)
from coordination.extensions import db
from coordination.territories.models import Territory


def open_calls(now: datetime) -> list[Call]:
    """Calls accepting applications at `now`, the nearest deadline first."""
    return list(
        db.session.scalars(
            select(Call)
            .options(joinedload(Call.edition))
            .where(Call.opens_at <= now, Call.closes_at > now)
            .order_by(Call.closes_at)
        )
    )


def calls_closing_between(start: datetime, end: datetime) -> list[Call]:
    """Calls whose deadline falls in [start, end)."""
    return list(
        db.session.scalars(
            select(Call)
            .options(joinedload(Call.edition))
            .where(Call.closes_at >= start, Call.closes_at < end)
            .order_by(Call.closes_at)
        )
    )


def edition_by_slug(slug: str) -> Edition | None:
    """The edition with this slug, if any."""
    return db.session.scalar(select(Edition).where(Edition.slug == slug))


def public_editions() -> list[Edition]:
    """Editions the public list shows: public and not archived, the latest first."""
    return list(
        db.session.scalars(
            select(Edition)
            .where(Edition.status.in_([EditionStatus.PLANNED, EditionStatus.RUNNING]))
            .order_by(Edition.starts_on.desc())
        )
    )


def is_public(edition: Edition) -> bool:
    """Whether the public may see the edition (archived ones stay readable by address)."""
    return edition.status != EditionStatus.DRAFT


def editions() -> list[Edition]:
    """Every edition, the latest first."""
    return list(db.session.scalars(select(Edition).order_by(Edition.starts_on.desc())))


def call_by_id(call_id: int) -> Call | None:
    """A call with its edition."""
    return db.session.get(Call, call_id, options=[joinedload(Call.edition)])


def all_calls() -> list[Call]:
    """Every call, the latest deadline first (staff list)."""
    return list(
        db.session.scalars(
            select(Call).options(joinedload(Call.edition)).order_by(Call.closes_at.desc())
        )
    )


def application_counts() -> dict[int, dict[str, int]]:
    """For each call, how many applications per status."""
    counts: dict[int, dict[str, int]] = {}
    rows = db.session.execute(
        select(Application.call_id, Application.status, func.count(Application.id)).group_by(
            Application.call_id, Application.status
        )
    )
    for call_id, status, count in rows:
        counts.setdefault(call_id, {})[status] = count
    return counts


def user_application(call: Call, user: User) -> Application | None:
    """The user's current (not withdrawn) application to a call, if any."""
    return db.session.scalar(
        select(Application)
        .join(application_members)
        .where(
            Application.call_id == call.id,
            application_members.c.user_id == user.id,
            Application.status != ApplicationStatus.WITHDRAWN,
        )
        .order_by(Application.id.desc())
        .limit(1)
    )


def user_applications(user: User) -> list[Application]:
    """Every application the user works on, the latest first."""
    return list(
        db.session.scalars(
            select(Application)
            .join(application_members)
            .where(application_members.c.user_id == user.id)
            .options(
                joinedload(Application.call).joinedload(Call.edition),
                joinedload(Application.territory),
            )
            .order_by(Application.id.desc())
        )
    )


def call_applications(call: Call) -> list[Application]:
    """A call's applications with what the staff list shows, loaded in a few queries."""
    return list(
        db.session.scalars(
            select(Application)
            .where(Application.call_id == call.id)
            .options(
                # The list never shows the answers: not decoded for every row.
                defer(Application.form_data),
                joinedload(Application.territory).joinedload(Territory.region),
                selectinload(Application.reviews).joinedload(Review.reviewer),
            )
            .order_by(Application.id)
        ).unique()
    )


def pending_decision_count(call: Call) -> int:
    """How many submitted applications of a call have a decision not released yet."""
    return db.session.scalar(
        select(func.count())
        .select_from(Application)
        .where(
            Application.call_id == call.id,
            Application.status == ApplicationStatus.SUBMITTED,
            Application.decision.is_not(None),
            Application.decision_released_at.is_(None),
        )
    )


def reviewer_assignments(user: User) -> list[Review]:
    """The reviews assigned to a reviewer, waiting ones first."""
    return list(
        db.session.scalars(
            select(Review)
            .where(Review.reviewer_id == user.id)
            .options(
                joinedload(Review.application).joinedload(Application.territory),
                joinedload(Review.application).joinedload(Application.call),
            )
            .order_by(Review.reviewed_at.is_not(None), Review.assigned_at)
        )
    )


def call_panel(call: Call) -> list[CallReviewer]:
    """The call's reviewer panel."""
    return list(
        db.session.scalars(
            select(CallReviewer)
            .where(CallReviewer.call_id == call.id)
            .options(joinedload(CallReviewer.user))
            .order_by(CallReviewer.id)
        )
    )


def reviewer_candidates() -> list[User]:
    """Active users who may review (reviewers and staff)."""
    return list(
        db.session.scalars(
            select(User)
            .join(UserRole)
            .where(User.is_active.is_(True), UserRole.role.in_([Role.REVIEWER, Role.STAFF]))
            .order_by(User.email)
        ).unique()
    )


def eligible_territories(call: Call) -> list[Territory]:
    """Territories that may apply to a call, by name."""
    query = select(Territory).options(joinedload(Territory.region)).order_by(Territory.search_name)
    if call.is_industry_only:
        query = query.where(Territory.is_industry_territory.is_(True))
    return list(db.session.scalars(query))


def submitted_between(start: datetime, end: datetime) -> list[Application]:
    """Applications submitted in [start, end), with call and territory."""
    return list(
        db.session.scalars(
            select(Application)
            .where(Application.submitted_at >= start, Application.submitted_at < end)
            .options(joinedload(Application.call), joinedload(Application.territory))
            .order_by(Application.submitted_at)
        )
    )


def waiting_reviews_by_reviewer() -> list[tuple[User, int]]:
    """Reviewers with reviews still waiting on submitted applications, and how many."""
    rows = db.session.execute(
        select(User, func.count(Review.id))
        .join(Review, Review.reviewer_id == User.id)
        .join(Application, Application.id == Review.application_id)
        .where(Review.reviewed_at.is_(None), Application.status == ApplicationStatus.SUBMITTED)
        .group_by(User.id)
        .order_by(func.count(Review.id).desc(), User.id)
    )
    return [(user, count) for user, count in rows]


def applications_with_everything(call: Call, ids: list[int] | None = None) -> list[Application]:
    """A call's applications (or only those of `ids`) with territory, files, reviews and
    members: exports and the decisions page read all of them, in a fixed number of queries."""
    query = select(Application).where(Application.call_id == call.id)
    if ids is not None:
        query = query.where(Application.id.in_(ids))
    return list(
        db.session.scalars(
            query.options(
                joinedload(Application.territory),
                selectinload(Application.files),
                selectinload(Application.reviews),
                selectinload(Application.members),
            ).order_by(Application.id)
        ).unique()
    )


def call_applications_by_id(call: Call, ids: list[int]) -> list[Application]:
    """The call's applications among `ids` (others ignored), with territory and reviews."""
    return list(
        db.session.scalars(
            select(Application)
            .where(Application.call_id == call.id, Application.id.in_(ids))
            .options(joinedload(Application.territory), selectinload(Application.reviews))
            .order_by(Application.id)
        ).unique()
    )


def staff_call_work() -> list[tuple[Call, int, int, int]]:
    """Calls with work left on submitted applications: (call, reviews waiting, applications
    to decide, decisions not released yet), in three grouped queries."""
    submitted = Application.status == ApplicationStatus.SUBMITTED
    reviews = dict(
        db.session.execute(
            select(Application.call_id, func.count(Review.id))
            .join(Review, Review.application_id == Application.id)
            .where(submitted, Review.reviewed_at.is_(None))
            .group_by(Application.call_id)
        ).all()
    )
    counts = {
        call_id: (undecided or 0, unreleased or 0)
        for call_id, undecided, unreleased in db.session.execute(
            select(
                Application.call_id,
                func.sum(case((Application.decision.is_(None), 1), else_=0)),
                func.sum(
                    case(
                        (
                            Application.decision.is_not(None)
                            & Application.decision_released_at.is_(None),
                            1,
                        ),
                        else_=0,
                    )
                ),
            )
            .where(submitted)
            .group_by(Application.call_id)
        ).all()
    }
    ids = [i for i in set(reviews) | set(counts) if reviews.get(i) or any(counts.get(i, ()))]
    if not ids:
        return []
    calls = db.session.scalars(
        select(Call)
        .where(Call.id.in_(ids))
        .options(joinedload(Call.edition))
        .order_by(Call.closes_at)
    )
    return [(c, reviews.get(c.id, 0), *counts.get(c.id, (0, 0))) for c in calls]


def waiting_reviews(user: User) -> list[Review]:
    """A reviewer's reviews still to do, on submitted applications, the oldest first."""
    return list(
        db.session.scalars(
            select(Review)
            .join(Application, Application.id == Review.application_id)
            .where(
                Review.reviewer_id == user.id,
                Review.reviewed_at.is_(None),
                Application.status == ApplicationStatus.SUBMITTED,
            )
            .options(
                joinedload(Review.application).joinedload(Application.territory),
                joinedload(Review.application).joinedload(Application.call),
            )
            .order_by(Review.assigned_at, Review.id)
        )
    )
