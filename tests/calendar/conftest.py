from datetime import UTC, datetime

import pytest

from coordination.clubs.models import (
    Club,
    Membership,
    MembershipStatus,
    PartnerContact,
    PartnerOrganisation,
)
from coordination.clubs.services import save_meeting
from coordination.extensions import db


@pytest.fixture
def club_setup(db_session, make_user, now):
    """A club with one member organisation (one approved contact), a lead, and an outsider."""

    def make(slug="club-saint-quentinois"):
        lead = make_user(f"lead@{slug}.example", roles=("staff",), name="Lea Lead")
        member = make_user(f"member@{slug}.example", roles=("partner_contact",), name="Max Member")
        outsider = make_user(f"out@{slug}.example", roles=("partner_contact",), name="Otto")
        club = Club(slug=slug, name=f"Club {slug}", leads=[lead])
        organisation = PartnerOrganisation(name=f"CCI {slug}", search_name=f"cci {slug}")
        organisation.contacts.append(PartnerContact(user=member, is_approved=True, created_at=now))
        club.memberships.append(
            Membership(
                organisation=organisation,
                status=MembershipStatus.APPROVED,
                requested_at=now,
                decided_at=now,
            )
        )
        db.session.add(club)
        db.session.flush()
        return club, lead, member, outsider

    return make


def meeting_fields(**overrides):
    fields = {
        "title": "Réunion de rentrée",
        "starts_at": datetime(2026, 10, 24, 7, 30, tzinfo=UTC),
        "ends_at": datetime(2026, 10, 25, 15, 0, tzinfo=UTC),
        "place": "CCI de l'Aisne, Saint-Quentin",
        "online_url": "",
        "agenda": "Besoins en compétences des PME",
        "status": "planned",
    }
    fields.update(overrides)
    return fields


@pytest.fixture
def make_meeting(now):
    def make(club, **overrides):
        return save_meeting(club, None, meeting_fields(**overrides), now)

    return make


@pytest.fixture
def stop_setup(db_session, club_setup, now):
    """A tentative stop in the Saint-Quentinois, with one host contact (no account yet) and
    a club covering the territory."""
    from datetime import date, timedelta

    from sqlalchemy import select

    from coordination.campaigns.models import Edition
    from coordination.core.text import search_key
    from coordination.stops.services import create_stop
    from coordination.territories.models import Epci, Territory

    def make(starts_in=timedelta(days=20), slug="tournee-test"):
        territory = Territory(
            name="Saint-Quentinois",
            search_name=search_key("Saint-Quentinois"),
            region_code="32",
            epcis=list(db.session.scalars(select(Epci).where(Epci.siren == "200071892"))),
        )
        club, lead, member, outsider = club_setup()
        club.territories.append(territory)
        edition = Edition(
            slug=slug, name="Tournée test", starts_on=date(2026, 1, 1), ends_on=date(2026, 12, 31)
        )
        db.session.add_all([territory, edition])
        db.session.flush()
        start = now + starts_in
        stop = create_stop(
            edition,
            {
                "title": "Étape de Saint-Quentin",
                "territory_id": territory.id,
                "starts_at": start,
                "ends_at": start + timedelta(hours=8),
                "venue_name": "Palais de Fervaques",
                "city": "Saint-Quentin",
                "commune_insee": "02691",
                "host_contacts": [{"name": "Hélène Hôte", "email": "host@saint-quentin.example"}],
            },
            None,
            now,
        )
        return stop, {"lead": lead, "member": member, "outsider": outsider, "edition": edition}

    return make
