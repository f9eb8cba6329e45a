"""Factories for open programmes: a week of innovation, its call, partners, events."""

from datetime import UTC, date, datetime, time
from itertools import count

import pytest

from coordination.campaigns.models import Edition, EditionKind
from coordination.clubs.models import PartnerOrganisation
from coordination.clubs.organisations import add_contact, organisation_key
from coordination.core.clock import local_datetime
from coordination.extensions import db
from coordination.programmes.models import EventCall, ProgrammeEvent

_numbers = count(1)
LILLE, ARRAS = "59350", "62041"


@pytest.fixture
def week():
    """A week of innovation, 16-20 March 2026, whose call is open on `now` (2 March)."""
    edition = Edition(
        slug=f"semaine-{next(_numbers)}",
        kind=EditionKind.INNOVATION_WEEK,
        status="planned",
        name="Semaine de l'innovation test",
        starts_on=date(2026, 3, 16),
        ends_on=date(2026, 3, 20),
    )
    db.session.add(edition)
    db.session.flush()
    db.session.add(
        EventCall(
            edition_id=edition.id,
            opens_at=datetime(2026, 2, 1, 8, 0, tzinfo=UTC),
            closes_at=datetime(2026, 3, 6, 17, 0, tzinfo=UTC),
            instructions="Proposez vos événements.",
            region_code="32",
        )
    )
    db.session.flush()
    return edition


@pytest.fixture
def make_organisation():
    def make(name=None):
        name = name or f"Organisation {next(_numbers)}"
        organisation = PartnerOrganisation(
            name=name, search_name=organisation_key(name), kind="other", interests=[]
        )
        db.session.add(organisation)
        db.session.flush()
        return organisation

    return make


@pytest.fixture
def make_partner(make_user, make_organisation, now):
    """A partner contact approved for a new organisation: (user, organisation)."""

    def make(email=None, approved=True):
        user = make_user(email or f"partner{next(_numbers)}@example.org", name="Alex Partner")
        organisation = make_organisation()
        add_contact(organisation, user, now, is_approved=approved)
        return user, organisation

    return make


def event_fields(**overrides) -> dict:
    fields = {
        "title": "Portes ouvertes du laboratoire",
        "format": "open_doors",
        "audience": "Dirigeants de PME",
        "description": "Visite des plateformes.",
        "starts_at": local_datetime(date(2026, 3, 17), time(14, 0)),
        "ends_at": local_datetime(date(2026, 3, 17), time(17, 0)),
        "venue_name": "Laboratoire",
        "venue_address": "1 rue de la Recherche",
        "commune_insee": LILLE,
        "capacity": 2,
        "is_registration_required": True,
    }
    fields.update(overrides)
    return fields


@pytest.fixture
def make_event(week, now):
    """An event straight in the database (draft unless told)."""

    def make(organisers, status="draft", **overrides):
        event = ProgrammeEvent(edition_id=week.id, status=status, **event_fields(**overrides))
        event.organisers = list(organisers)
        db.session.add(event)
        db.session.flush()
        return event

    return make


def form_data(**overrides) -> dict:
    data = {
        "title": "Atelier robotique",
        "format": "workshop",
        "audience": "Industriels",
        "day": "2026-03-18",
        "starts": "09:30",
        "ends": "12:00",
        "venue_name": "Fab lab",
        "venue_address": "2 place du Théâtre",
        "commune_name": "Arras",
        "commune_insee": ARRAS,
        "capacity": "20",
        "is_registration_required": "1",
        "description": "Démonstrations.",
        "action": "save",
    }
    data.update(overrides)
    return data
