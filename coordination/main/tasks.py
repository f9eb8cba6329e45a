"""The "my tasks" page: what each role has to do next, read from each domain's queries."""

from datetime import datetime

from coordination.auth.models import Role, User
from coordination.calendar.services import user_feeds
from coordination.campaigns.queries import staff_call_work, waiting_reviews
from coordination.clubs.models import MembershipStatus
from coordination.clubs.queries import next_meetings, organisations_of, pending_request_count
from coordination.notifications.delivery import paused_until
from coordination.notifications.queries import failed_count
from coordination.participants.queries import registration_counts
from coordination.programmes.queries import organiser_summary
from coordination.stops.models import StopStatus
from coordination.stops.queries import agenda_counts, hosted_stops, missing_details
from coordination.stops.warnings import open_warning_counts


def staff_tasks(now: datetime) -> dict:
    """Applications to review or decide, plan warnings, club requests, outbox trouble."""
    return {
        "calls": staff_call_work(),
        "warnings": open_warning_counts(now),
        "requests": pending_request_count(),
        "failed": failed_count(),
        "paused_until": paused_until(now),
    }


def host_tasks(user: User, now: datetime) -> list[dict]:
    """The host's coming stops, each with what it still lacks (date, venue, hosts, agenda)
    and how many people registered."""
    stops = [s for s in hosted_stops(user) if s.ends_at >= now and s.status != StopStatus.CANCELLED]
    ids = [s.id for s in stops]
    agendas, registrations = agenda_counts(ids), registration_counts(ids)
    return [
        {
            "stop": stop,
            "missing": missing_details(stop) + ([] if agendas.get(stop.id) else ["agenda"]),
            "registered": registrations.get(stop.id, 0),
        }
        for stop in stops
    ]


def partner_tasks(user: User, now: datetime) -> dict:
    """The partner's clubs, their next meetings and the user's calendar feeds (made on
    first visit: the caller commits)."""
    organisations = organisations_of(user)
    club_ids = sorted(
        {
            m.club_id
            for o in organisations
            for m in o.memberships
            if m.status == MembershipStatus.APPROVED
        }
    )
    return {
        "organisations": organisations,
        "meetings": next_meetings(club_ids, now),
        "feeds": [f for f in user_feeds(user, now) if f["url"]],
        "events": organiser_summary(user, now),
    }


def tasks_for(user: User, now: datetime) -> dict:
    """Every section the user's roles call for (a person may hold several roles)."""
    tasks: dict = {}
    if user.has_role(Role.STAFF):
        tasks["staff"] = staff_tasks(now)
    if user.has_role(Role.REVIEWER):
        tasks["reviews"] = waiting_reviews(user)
    if user.has_role(Role.TERRITORY_CONTACT):
        tasks["stops"] = host_tasks(user, now)
    if user.has_role(Role.PARTNER_CONTACT):
        tasks["partner"] = partner_tasks(user, now)
    return tasks
