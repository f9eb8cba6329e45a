"""Conflicts of interest between reviewing and applying, in one place.

A person is a contact of a territory when they are a member of an application (to any
call) for it. A reviewer is never given an application of a territory they are a contact
of; and a person who reviews applications of a territory for a call cannot also be on an
application to that call for that territory. Each check returns the reason in words, or
None; the services raise it.
"""

from flask_babel import gettext as _
from sqlalchemy import select

from coordination.campaigns.models import Application, Review, application_members
from coordination.extensions import db


def contact_territory_ids(user_ids: list[int]) -> dict[int, set[int]]:
    """The territories each of these people is a contact of (member of an application)."""
    rows = db.session.execute(
        select(application_members.c.user_id, Application.territory_id)
        .join(Application, Application.id == application_members.c.application_id)
        .where(application_members.c.user_id.in_(user_ids), Application.territory_id.is_not(None))
    )
    found: dict[int, set[int]] = {user_id: set() for user_id in user_ids}
    for user_id, territory_id in rows:
        found[user_id].add(territory_id)
    return found


def reviewed_territory_ids(call_id: int, user_id: int) -> set[int]:
    """The territories whose applications to this call the person has to review."""
    return set(
        db.session.scalars(
            select(Application.territory_id)
            .join(Review, Review.application_id == Application.id)
            .where(
                Application.call_id == call_id,
                Review.reviewer_id == user_id,
                Application.territory_id.is_not(None),
            )
        )
    )


def review_conflict(application: Application, reviewer_id: int) -> str | None:
    """Why this reviewer may not review this application, or None."""
    territory_id = application.territory_id
    if (
        territory_id is not None
        and territory_id in contact_territory_ids([reviewer_id])[reviewer_id]
    ):
        return _(
            "This reviewer is a contact of the application's territory: they cannot review "
            "its application."
        )
    return None


def application_conflict(application: Application, user, *, yourself: bool) -> str | None:
    """Why this person may not be on this application (they review its territory), or None."""
    territory_id = application.territory_id
    if territory_id is None or territory_id not in reviewed_territory_ids(
        application.call_id, user.id
    ):
        return None
    if yourself:
        return _(
            "You review applications of this territory for this call: you cannot also apply "
            "to it for the same territory."
        )
    return _(
        "%(email)s reviews applications of this territory for this call: they cannot also "
        "apply to it for the same territory.",
        email=user.email,
    )
