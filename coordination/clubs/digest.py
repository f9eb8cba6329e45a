"""The clubs' sections of the staff digest."""

from flask_babel import format_date
from flask_babel import lazy_gettext as _l

from coordination.clubs.queries import pending_requests
from coordination.core.urls import external_url
from coordination.notifications.digests import DigestItem, register_section


def requests_waiting(since, until) -> list[DigestItem]:
    """Every membership request still waiting for a decision, oldest first."""
    url = external_url("clubs.request_list")
    return [
        DigestItem(
            text=(
                f"{membership.organisation.name} → {membership.club.name} "
                f"({format_date(membership.requested_at, 'short')})"
            ),
            url=url,
        )
        for membership in pending_requests()
    ]


def register_digest_sections() -> None:
    """Register the clubs' digest sections."""
    register_section("clubs.requests_waiting", _l("Membership requests waiting"), requests_waiting)
