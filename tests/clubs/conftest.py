"""Fixtures of the clubs' tests: territories, clubs, organisations, a registration."""

import re

import pytest
from sqlalchemy import select

from coordination.clubs.models import Club, PartnerOrganisation
from coordination.clubs.organisations import organisation_key
from coordination.core.text import search_key
from coordination.extensions import db, limiter
from coordination.notifications.models import OutboxMessage

VALID_SIRET = "80000000200017"
OTHER_VALID_SIRET = "81000000000010"


@pytest.fixture(autouse=True)
def _fresh_rate_limits(app):
    """The registration form is rate limited; each test starts with a clean count."""
    with app.app_context():
        limiter.reset()


@pytest.fixture
def make_territory(make_territory):
    """The shared factory, defaulting to the Saint-Quentinois and its real EPCI."""

    def make(name="Saint-Quentinois", sirens=("200071892",), region_code="32"):
        return make_territory(name, region_code, sirens)

    return make


@pytest.fixture
def make_club(make_territory):
    def make(name="Club Somme-Aisne", slug=None, territories=None, leads=(), is_open=True):
        club = Club(
            name=name,
            slug=slug or search_key(name).replace(" ", "-"),
            description="",
            is_open=is_open,
            territories=territories if territories is not None else [make_territory()],
            leads=list(leads),
        )
        db.session.add(club)
        db.session.flush()
        return club

    return make


@pytest.fixture
def make_organisation():
    def make(name="CCI Hauts-de-France", siret=None, kind="chamber_of_commerce", **fields):
        organisation = PartnerOrganisation(
            name=name,
            search_name=organisation_key(name),
            kind=kind,
            siret=siret,
            interests=[],
            **fields,
        )
        db.session.add(organisation)
        db.session.flush()
        return organisation

    return make


def registration_data(club_ids, **overrides) -> dict:
    data = {
        "organisation_name": "Université de Picardie Jules Verne",
        "kind": "university",
        "siret": "",
        "website": "https://www.u-picardie.fr",
        "address": "Chemin du Thil, Amiens",
        "region_code": "32",
        "contact_name": "Claire Dubois",
        "email": "claire.dubois@example.org",
        "club_ids": [str(i) for i in club_ids],
        "interests": ["innovation", "training"],
        "consent": "y",
        "action": "send",
    }
    data.update(overrides)
    return data


def link_secret(message: OutboxMessage) -> str:
    """The secret of the confirmation link in a queued email."""
    match = re.search(r"/clubs/inscription/confirmer/([\w-]+)", message.text_body)
    assert match, message.text_body
    return match.group(1)


def outbox(template: str) -> list[OutboxMessage]:
    return list(
        db.session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.template == template)
            .order_by(OutboxMessage.id)
        )
    )
