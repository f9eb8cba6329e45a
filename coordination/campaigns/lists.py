"""The staff list of a call's applications: filters, sort and bulk actions."""

from datetime import datetime

from flask_babel import gettext as _

from coordination.auth.models import User
from coordination.campaigns import queries
from coordination.campaigns.decisions import set_decision
from coordination.campaigns.models import ApplicationStatus, Call, Decision
from coordination.campaigns.reviewing import ScoreSummary, assign_reviewer, ranking, score_summary
from coordination.campaigns.services import CampaignError
from coordination.core import listing
from coordination.core.text import search_key

#: Decision filter value for "no decision yet".
NO_DECISION = "none"

APPLICATIONS = listing.ListSpec(
    sorts=("rank", "territory", "region", "status", "score", "reviews", "decision", "submitted"),
    default_sort="rank",
    filters={
        "q": listing.search_text,
        "status": listing.choice(*(s.value for s in ApplicationStatus)),
        "region": lambda raw: raw if raw.isascii() and raw.isalnum() and len(raw) <= 3 else None,
        "reviewer": listing.identifier,
        "decision": listing.choice(NO_DECISION, *(d.value for d in Decision)),
        "score_min": listing.number(0, 5),
        "score_max": listing.number(0, 5),
    },
)


def _summaries(call: Call) -> list[ScoreSummary]:
    """Every application of the call, submitted ones with their rank, in a fixed number of
    queries (scores live in JSON, so filtering and sorting by them happens here)."""
    applications = queries.call_applications(call)
    ranked = ranking([a for a in applications if a.status == ApplicationStatus.SUBMITTED])
    others = [score_summary(a) for a in applications if a.status != ApplicationStatus.SUBMITTED]
    return ranked + others


def _matches(summary: ScoreSummary, filters: dict) -> bool:
    application = summary.application
    territory = application.territory
    if "q" in filters:
        name = search_key(territory.name) if territory else ""
        if search_key(filters["q"]) not in name:
            return False
    if "status" in filters and application.status != filters["status"]:
        return False
    if "region" in filters and (territory is None or territory.region_code != filters["region"]):
        return False
    if "reviewer" in filters and all(
        r.reviewer_id != filters["reviewer"] for r in application.reviews
    ):
        return False
    if "decision" in filters:
        wanted = None if filters["decision"] == NO_DECISION else filters["decision"]
        if application.decision != wanted:
            return False
    if "score_min" in filters and (summary.mean is None or summary.mean < filters["score_min"]):
        return False
    return not (
        "score_max" in filters and (summary.mean is None or summary.mean > filters["score_max"])
    )


def _sort_key(key: str):
    def territory_name(s):
        return search_key(s.application.territory.name) if s.application.territory else ""

    def region_name(s):
        territory = s.application.territory
        return search_key(territory.region.name) if territory and territory.region else ""

    keys = {
        # Unranked ones after the ranked ones, whichever way.
        "rank": lambda s: (s.rank is None, s.rank or 0),
        "territory": territory_name,
        "region": region_name,
        "status": lambda s: s.application.status,
        "score": lambda s: (s.mean is None, s.mean or 0.0),
        "reviews": lambda s: (s.reviews_done, s.reviews_total),
        "decision": lambda s: s.application.decision or "",
        "submitted": lambda s: (s.application.submitted_at is None, s.application.submitted_at),
    }
    chosen = keys[key]
    return lambda s: (chosen(s), s.application.id)


def application_page(call: Call, state: listing.ListState) -> listing.Page:
    """One page of the call's applications as `state` filters and sorts them."""
    summaries = [s for s in _summaries(call) if _matches(s, state.filters)]
    summaries.sort(key=_sort_key(state.sort), reverse=state.descending)
    return listing.paginate_list(summaries, state)


def bulk_decide(call: Call, ids: list[int], decision: str | None) -> tuple[int, list[str]]:
    """Set one decision on the chosen applications of the call; how many, and the refusals."""
    done, refused = 0, []
    for application in queries.call_applications_by_id(call, ids):
        try:
            set_decision(application, decision)
        except CampaignError as error:
            refused.append(f"{_name(application)} : {error}")
        else:
            done += 1
    return done, refused


def bulk_assign(call: Call, ids: list[int], reviewer: User, now: datetime) -> tuple[int, list[str]]:
    """Give the chosen applications to one reviewer of the panel, each by the review rules."""
    done, refused = 0, []
    for application in queries.call_applications_by_id(call, ids):
        try:
            assign_reviewer(application, reviewer, now)
        except CampaignError as error:
            refused.append(f"{_name(application)} : {error}")
        else:
            done += 1
    return done, refused


def _name(application) -> str:
    return (
        application.territory.name
        if application.territory
        else _("Application %(id)s", id=application.id)
    )
