"""What each feed shows: reads only, each in a fixed number of queries."""

from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload

from coordination.auth.models import Role, User
from coordination.clubs.models import (
    Club,
    ClubMeeting,
    Membership,
    MembershipStatus,
    PartnerContact,
    club_leads,
)
from coordination.extensions import db


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
