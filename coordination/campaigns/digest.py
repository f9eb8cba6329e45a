"""The campaigns' sections of the staff digest."""

from datetime import timedelta

from flask_babel import format_datetime
from flask_babel import lazy_gettext as _l

from coordination.campaigns.queries import calls_closing_between
from coordination.core.urls import external_url
from coordination.notifications.digests import DigestItem, register_section


def calls_closing_soon(since, until) -> list[DigestItem]:
    """Calls whose deadline falls in the coming seven days."""
    return [
        DigestItem(
            text=f"{call.title} — {format_datetime(call.closes_at, 'short')}",
            url=external_url("campaigns.edition", slug=call.edition.slug),
        )
        for call in calls_closing_between(until, until + timedelta(days=7))
    ]


def register_digest_sections() -> None:
    """Register the campaigns' digest sections."""
    register_section(
        "campaigns.calls_closing", _l("Calls closing within 7 days"), calls_closing_soon
    )
