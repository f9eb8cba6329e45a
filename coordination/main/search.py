"""The staff's global search: people, organisations, territories, applications, stops
and clubs, a few of each, in one bounded query per kind."""

from dataclasses import dataclass

from flask import url_for
from sqlalchemy import false, or_, select

from coordination.core.text import MAX_SEARCH_LENGTH, search_key
from coordination.extensions import db

#: At most this many results of each kind.
PER_KIND = 8
#: Shorter searches answer nothing (they would match nearly everything).
MIN_LENGTH = 2


@dataclass(frozen=True)
class Hit:
    kind: str
    label: str
    detail: str
    url: str


def clean(text: str | None) -> str:
    """The search as typed, spaces collapsed, cut like every search."""
    return " ".join((text or "").split())[:MAX_SEARCH_LENGTH]


def _folded(column, folded: str):
    return column.contains(folded, autoescape=True) if folded else false()


def search(text: str) -> dict[str, list[Hit]]:
    """Results by kind (kinds without any left out), each kind LIMITed to PER_KIND."""
    from coordination.auth.models import User
    from coordination.campaigns.models import Application, Call
    from coordination.clubs.models import Club, PartnerOrganisation
    from coordination.stops.models import Stop
    from coordination.territories.models import Territory

    text = clean(text)
    if len(text) < MIN_LENGTH:
        return {}
    folded = search_key(text)
    results: dict[str, list[Hit]] = {}

    people = db.session.scalars(
        select(User)
        .where(
            or_(
                User.email.contains(text.lower(), autoescape=True),
                User.name.icontains(text, autoescape=True),
            )
        )
        .order_by(User.name, User.email)
        .limit(PER_KIND)
    )
    results["people"] = [
        Hit("people", u.display_name, u.email, url_for("auth.account_detail", user_id=u.id))
        for u in people
    ]
    organisations = db.session.scalars(
        select(PartnerOrganisation)
        .where(
            or_(
                PartnerOrganisation.name.icontains(text, autoescape=True),
                _folded(PartnerOrganisation.search_name, folded),
            )
        )
        .order_by(PartnerOrganisation.search_name)
        .limit(PER_KIND)
    )
    results["organisations"] = [
        Hit("organisations", o.name, "", url_for("clubs.partner_list", q=o.name))
        for o in organisations
    ]
    territories = db.session.scalars(
        select(Territory)
        .where(_folded(Territory.search_name, folded))
        .order_by(Territory.search_name)
        .limit(PER_KIND)
    )
    results["territories"] = [
        Hit("territories", t.name, "", url_for("territories.territory_edit", territory_id=t.id))
        for t in territories
    ]
    applications = db.session.execute(
        select(Application.id, Territory.name, Call.title)
        .join(Territory, Territory.id == Application.territory_id)
        .join(Call, Call.id == Application.call_id)
        .where(_folded(Territory.search_name, folded))
        .order_by(Application.id.desc())
        .limit(PER_KIND)
    )
    results["applications"] = [
        Hit(
            "applications",
            name,
            title,
            url_for("campaigns.application_detail", application_id=application_id),
        )
        for application_id, name, title in applications
    ]
    stops = db.session.scalars(
        select(Stop)
        .where(
            or_(
                Stop.title.icontains(text, autoescape=True),
                Stop.city.icontains(text, autoescape=True),
            )
        )
        .order_by(Stop.starts_at.desc())
        .limit(PER_KIND)
    )
    results["stops"] = [
        Hit("stops", s.title, s.city, url_for("stops.stop_page", stop_id=s.id)) for s in stops
    ]
    clubs = db.session.scalars(
        select(Club)
        .where(Club.name.icontains(text, autoescape=True))
        .order_by(Club.name)
        .limit(PER_KIND)
    )
    results["clubs"] = [
        Hit("clubs", c.name, "", url_for("clubs.club_page", slug=c.slug)) for c in clubs
    ]
    return {kind: hits for kind, hits in results.items() if hits}
