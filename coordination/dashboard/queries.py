"""The dashboard's reads: each figure comes from one aggregate query, whatever the size.

A page runs a fixed handful of these (no per-row query): the query-count tests hold it.
"""

from collections.abc import Iterable
from datetime import date, datetime

from sqlalchemy import distinct, func, select

from coordination.campaigns.models import Application, Call, Edition
from coordination.clubs.models import Club, Membership, MembershipStatus, PartnerOrganisation
from coordination.extensions import db
from coordination.notifications.models import OutboxMessage
from coordination.stops.models import Stop, StopStatus
from coordination.territories.models import Commune, Region, Territory, territory_epcis

#: What the public map and timeline show: stops announced and not called off.
PUBLIC_STATUSES = (StopStatus.CONFIRMED, StopStatus.HELD)


def editions() -> list[Edition]:
    """Every edition, newest first (the dashboard's selector)."""
    return list(db.session.scalars(select(Edition).order_by(Edition.starts_on.desc())))


def edition_stop_rows(edition_id: int, statuses: Iterable[str] | None = None) -> list:
    """The edition's stops as plain rows (what the map and timeline draw), in date order."""
    query = (
        select(
            Stop.id,
            Stop.title,
            Stop.city,
            Stop.status,
            Stop.starts_at,
            Stop.latitude,
            Stop.longitude,
            Territory.name.label("territory_name"),
        )
        .outerjoin(Territory, Stop.territory_id == Territory.id)
        .where(Stop.edition_id == edition_id)
        .order_by(Stop.starts_at, Stop.id)
    )
    if statuses is not None:
        query = query.where(Stop.status.in_(tuple(statuses)))
    return list(db.session.execute(query).all())


def application_rows(edition_id: int) -> list:
    """The edition's applications with their territory and région (one row each)."""
    return list(
        db.session.execute(
            select(
                Application.id,
                Application.status,
                Application.decision,
                Application.submitted_at,
                Territory.id.label("territory_id"),
                Territory.name.label("territory_name"),
                Region.code.label("region_code"),
                Region.name.label("region_name"),
            )
            .join(Call, Application.call_id == Call.id)
            .outerjoin(Territory, Application.territory_id == Territory.id)
            .outerjoin(Region, Territory.region_code == Region.code)
            .where(Call.edition_id == edition_id)
            .order_by(Application.id)
        ).all()
    )


def application_departements(edition_id: int) -> list[tuple[int, str]]:
    """(application id, département code) for every département an applicant territory
    touches, through its EPCIs' communes."""
    return [
        (row[0], row[1])
        for row in db.session.execute(
            select(Application.id, Commune.departement_code)
            .join(Call, Application.call_id == Call.id)
            .join(territory_epcis, territory_epcis.c.territory_id == Application.territory_id)
            .join(Commune, Commune.epci_siren == territory_epcis.c.epci_siren)
            .where(Call.edition_id == edition_id)
            .distinct()
        ).all()
    ]


def partners_by_kind() -> list[tuple[str, int]]:
    """(kind, number of organisations)."""
    return [
        (kind, count)
        for kind, count in db.session.execute(
            select(PartnerOrganisation.kind, func.count(PartnerOrganisation.id))
            .group_by(PartnerOrganisation.kind)
            .order_by(PartnerOrganisation.kind)
        ).all()
    ]


def members_by_club_and_kind() -> list[tuple[int, str, str, int]]:
    """(club id, club name, partner kind, approved member organisations), every club."""
    return [
        (club_id, name, kind, count)
        for club_id, name, kind, count in db.session.execute(
            select(
                Club.id,
                Club.name,
                PartnerOrganisation.kind,
                func.count(distinct(Membership.organisation_id)),
            )
            .outerjoin(
                Membership,
                (Membership.club_id == Club.id) & (Membership.status == MembershipStatus.APPROVED),
            )
            .outerjoin(PartnerOrganisation, Membership.organisation_id == PartnerOrganisation.id)
            .group_by(Club.id, Club.name, PartnerOrganisation.kind)
            .order_by(Club.name, Club.id)
        ).all()
    ]


def outbox_by_day(since: datetime) -> list[tuple[date, str, int]]:
    """(UTC day queued, status, messages) for messages queued since `since`."""
    day = func.date(OutboxMessage.created_at)
    rows = db.session.execute(
        select(day, OutboxMessage.status, func.count(OutboxMessage.id))
        .where(OutboxMessage.created_at >= since)
        .group_by(day, OutboxMessage.status)
    ).all()
    # SQLite's date() gives text, PostgreSQL's a date.
    return [
        (value if isinstance(value, date) else date.fromisoformat(str(value)), status, count)
        for value, status, count in rows
    ]
