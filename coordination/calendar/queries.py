"""What each feed shows: reads only, each in a fixed number of queries."""

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import joinedload, selectinload

from coordination.auth.models import Role, User
from coordination.campaigns.models import application_members
from coordination.clubs.models import (
    Club,
    ClubMeeting,
    Membership,
    MembershipStatus,
    PartnerContact,
    club_leads,
    club_territories,
)
from coordination.extensions import db
from coordination.stops.models import Stop, StopStatus


def _meetings(*conditions) -> list[ClubMeeting]:
    return list(
        db.session.scalars(
            select(ClubMeeting)
            .options(joinedload(ClubMeeting.club))
            .where(*conditions)
            .order_by(ClubMeeting.starts_at, ClubMeeting.id)
        )
    )


def club_meetings(club_id: int) -> list[ClubMeeting]:
    """Every meeting of a club, cancelled ones included (calendars strike them through)."""
    return _meetings(ClubMeeting.club_id == club_id)


def clubs_of(user: User) -> list[Club]:
    """Clubs whose feed a user may follow: staff all; leads theirs; members' contacts theirs."""
    query = select(Club).order_by(Club.name)
    if not user.has_role(Role.STAFF):
        member_clubs = (
            select(Membership.club_id)
            .join(PartnerContact, PartnerContact.organisation_id == Membership.organisation_id)
            .where(
                PartnerContact.user_id == user.id,
                PartnerContact.is_approved.is_(True),
                Membership.status == MembershipStatus.APPROVED,
            )
        )
        led_clubs = select(club_leads.c.club_id).where(club_leads.c.user_id == user.id)
        query = query.where(or_(Club.id.in_(member_clubs), Club.id.in_(led_clubs)))
    return list(db.session.scalars(query))


def personal_meetings(user: User) -> list[ClubMeeting]:
    """The meetings of every club the user follows."""
    if user.has_role(Role.STAFF):
        return _meetings()
    club_ids = [club.id for club in clubs_of(user)]
    return _meetings(ClubMeeting.club_id.in_(club_ids)) if club_ids else []


def meeting_recipients(meeting: ClubMeeting) -> list[User]:
    """Who is invited to a club meeting: the members' approved contacts and the leads."""
    contacts = db.session.scalars(
        select(User)
        .join(PartnerContact, PartnerContact.user_id == User.id)
        .join(Membership, Membership.organisation_id == PartnerContact.organisation_id)
        .where(
            Membership.club_id == meeting.club_id,
            Membership.status == MembershipStatus.APPROVED,
            PartnerContact.is_approved.is_(True),
        )
        .order_by(User.id)
    ).all()
    return list(dict.fromkeys([*contacts, *meeting.club.leads]))


#: What the public sees: confirmed and held stops, and cancelled ones that had been
#: confirmed (calendars that had them strike them through).
PUBLIC_STOP = or_(
    Stop.status.in_([StopStatus.CONFIRMED, StopStatus.HELD]),
    and_(Stop.status == StopStatus.CANCELLED, Stop.confirmed_at.is_not(None)),
)


def _stops(*conditions) -> list[Stop]:
    return list(
        db.session.scalars(
            select(Stop)
            .options(selectinload(Stop.agenda_items))
            .where(*conditions)
            .order_by(Stop.starts_at, Stop.id)
        )
    )


def edition_stops(edition_id: int) -> list[Stop]:
    """The public stops of an edition."""
    return _stops(Stop.edition_id == edition_id, PUBLIC_STOP)


def territory_stops(territory_id: int) -> list[Stop]:
    """The public stops in one territory, every edition."""
    return _stops(Stop.territory_id == territory_id, PUBLIC_STOP)


def club_stops(club_id: int) -> list[Stop]:
    """The public stops in a club's territories."""
    territory_ids = select(club_territories.c.territory_id).where(
        club_territories.c.club_id == club_id
    )
    return _stops(Stop.territory_id.in_(territory_ids), PUBLIC_STOP)


def personal_stops(user: User) -> list[Stop]:
    """Staff: every stop. Others: their applications' and hosted stops, and the public
    stops in their clubs' territories."""
    if user.has_role(Role.STAFF):
        return _stops()
    applications = select(application_members.c.application_id).where(
        application_members.c.user_id == user.id
    )
    club_ids = [club.id for club in clubs_of(user)]
    territories = select(club_territories.c.territory_id).where(
        club_territories.c.club_id.in_(club_ids)
    )
    # Hosts are listed by email inside a JSON column, which no index reaches on both
    # databases: read the stops once (an edition has dozens) and filter here.
    candidates = _stops()
    mine = set(db.session.scalars(applications))
    club_territory_ids = set(db.session.scalars(territories)) if club_ids else set()
    return [
        stop
        for stop in candidates
        if stop.application_id in mine
        or user.email in stop.host_emails
        or (stop.territory_id in club_territory_ids and stop.status != StopStatus.TENTATIVE)
    ]


def stop_recipients_by_email(stop: Stop) -> list[User]:
    """People already registered among a stop's hosts and its application's members."""
    members = list(stop.application.members) if stop.application else []
    emails = stop.host_emails
    hosts = list(db.session.scalars(select(User).where(User.email.in_(emails)))) if emails else []
    return list(dict.fromkeys([*hosts, *members]))


def stop_club_recipients(stop: Stop) -> list[User]:
    """The approved contacts and leads of the clubs covering a stop's territory."""
    if stop.territory_id is None:
        return []
    club_ids = select(club_territories.c.club_id).where(
        club_territories.c.territory_id == stop.territory_id
    )
    contacts = db.session.scalars(
        select(User)
        .join(PartnerContact, PartnerContact.user_id == User.id)
        .join(Membership, Membership.organisation_id == PartnerContact.organisation_id)
        .where(
            Membership.club_id.in_(club_ids),
            Membership.status == MembershipStatus.APPROVED,
            PartnerContact.is_approved.is_(True),
        )
        .order_by(User.id)
    ).all()
    leads = db.session.scalars(
        select(User)
        .join(club_leads, club_leads.c.user_id == User.id)
        .where(club_leads.c.club_id.in_(club_ids))
        .order_by(User.id)
    ).all()
    return list(dict.fromkeys([*contacts, *leads]))
