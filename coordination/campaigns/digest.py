"""The campaigns' sections of the staff digest."""

from datetime import timedelta

from flask_babel import format_datetime, lazy_ngettext
from flask_babel import lazy_gettext as _l

from coordination.campaigns.queries import (
    calls_closing_between,
    submitted_between,
    waiting_reviews_by_reviewer,
)
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


def new_submissions(since, until) -> list[DigestItem]:
    """Applications submitted during the period."""
    return [
        DigestItem(
            text=f"{a.territory.name if a.territory else '#' + str(a.id)} — {a.call.title}",
            url=external_url("campaigns.application_detail", application_id=a.id),
        )
        for a in submitted_between(since, until)
    ]


def reviews_waiting(since, until) -> list[DigestItem]:
    """Reviewers with reviews still to do, and how many (one query for every recipient)."""
    return [
        DigestItem(
            # Lazy: rendered in each recipient's language.
            text=lazy_ngettext(
                "%(name)s: %(count)s review waiting",
                "%(name)s: %(count)s reviews waiting",
                count,
                name=user.display_name,
                count=count,
            ),
            url=external_url("campaigns.staff_calls"),
        )
        for user, count in waiting_reviews_by_reviewer()
    ]


def register_digest_sections() -> None:
    """Register the campaigns' digest sections."""
    register_section(
        "campaigns.calls_closing", _l("Calls closing within 7 days"), calls_closing_soon
    )
    register_section("campaigns.new_submissions", _l("New applications submitted"), new_submissions)
    register_section("campaigns.reviews_waiting", _l("Reviews waiting"), reviews_waiting)
