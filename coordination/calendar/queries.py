"""What each feed shows (as conditions a feed can count or load), and who is invited."""

from sqlalchemy import or_, select
from sqlalchemy.orm import lazyload

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
from coordination.stops.queries import PUBLIC_STOP


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


def personal_content_conditions(user: User):
    """(meeting conditions, stop conditions, stop filter, what decides the filter) of a
    user's personal feed."""
    if user.has_role(Role.STAFF):
        return [], [], None, ("staff",)
    club_ids = [club.id for club in clubs_of(user)]
    meetings = [ClubMeeting.club_id.in_(club_ids)] if club_ids else None
    mine = set(
        db.session.scalars(
            select(application_members.c.application_id).where(
                application_members.c.user_id == user.id
            )
        )
    )
    club_territory_ids = (
        set(
            db.session.scalars(
                select(club_territories.c.territory_id).where(
                    club_territories.c.club_id.in_(club_ids)
                )
            )
        )
        if club_ids
        else set()
    )

    def keep(stop: Stop) -> bool:
        return (
            stop.application_id in mine
            or user.email.lower() in stop.host_emails
            or (stop.territory_id in club_territory_ids and stop.status != StopStatus.TENTATIVE)
        )

    decided_by = (
        user.email,
        tuple(club_ids),
        tuple(sorted(mine)),
        tuple(sorted(club_territory_ids)),
    )
    return meetings, [], keep, decided_by


def club_stop_conditions(club_id: int) -> list:
    """The public stops in a club's territories, as conditions."""
    territory_ids = select(club_territories.c.territory_id).where(
        club_territories.c.club_id == club_id
    )
    return [Stop.territory_id.in_(territory_ids), PUBLIC_STOP]


def stops_audiences(stops: list[Stop]) -> dict[tuple[int, str], list[User]]:
    """Both reminder audiences of many stops in a fixed number of queries, whatever their
    number: (stop id, "hosts") -> hosts with an account, then applicants; (stop id,
    "partners") -> approved contacts, then leads, of the clubs covering the territory.
    Load stops with their application's members (selectinload) to keep it bounded."""
    emails = {email for stop in stops for email in stop.host_emails}
    by_email = (
        {
            user.email.lower(): user
            for user in db.session.scalars(
                select(User).options(lazyload(User.role_rows)).where(User.email.in_(emails))
            )
        }
        if emails
        else {}
    )
    territory_ids = {stop.territory_id for stop in stops if stop.territory_id is not None}
    clubs_of_territory: dict[int, set[int]] = {}
    contacts: dict[int, list[User]] = {}
    leads: dict[int, list[User]] = {}
    if territory_ids:
        for club_id, territory_id in db.session.execute(
            select(club_territories.c.club_id, club_territories.c.territory_id).where(
                club_territories.c.territory_id.in_(territory_ids)
            )
        ):
            clubs_of_territory.setdefault(territory_id, set()).add(club_id)
        club_ids = {club for clubs in clubs_of_territory.values() for club in clubs}
        if club_ids:
            for club_id, user in db.session.execute(
                select(Membership.club_id, User)
                .options(lazyload(User.role_rows))
                .join(PartnerContact, PartnerContact.user_id == User.id)
                .join(Membership, Membership.organisation_id == PartnerContact.organisation_id)
                .where(
                    Membership.club_id.in_(club_ids),
                    Membership.status == MembershipStatus.APPROVED,
                    PartnerContact.is_approved.is_(True),
                )
            ):
                contacts.setdefault(club_id, []).append(user)
            for club_id, user in db.session.execute(
                select(club_leads.c.club_id, User)
                .options(lazyload(User.role_rows))
                .join(club_leads, club_leads.c.user_id == User.id)
                .where(club_leads.c.club_id.in_(club_ids))
            ):
                leads.setdefault(club_id, []).append(user)
    audiences: dict[tuple[int, str], list[User]] = {}
    for stop in stops:
        hosts = [
            by_email[email]
            for email in (
                (contact.get("email") or "").strip().lower() for contact in stop.host_contacts or []
            )
            if email in by_email
        ]
        members = list(stop.application.members) if stop.application else []
        audiences[(stop.id, "hosts")] = list(dict.fromkeys([*hosts, *members]))
        clubs = clubs_of_territory.get(stop.territory_id, set())
        people = sorted({u for c in clubs for u in contacts.get(c, [])}, key=lambda u: u.id)
        heads = sorted({u for c in clubs for u in leads.get(c, [])}, key=lambda u: u.id)
        audiences[(stop.id, "partners")] = list(dict.fromkeys([*people, *heads]))
    return audiences
