"""Factories for calls, territories and applications."""

from datetime import date, timedelta

import pytest

from coordination.campaigns.models import Application, Call, CallCriterion, CallQuestion, Edition
from coordination.core.clock import utcnow
from coordination.extensions import db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64


@pytest.fixture
def territory(make_territory):
    return make_territory()


@pytest.fixture
def make_call():
    def make(
        opens_at=None, closes_at=None, criteria=(("Ancrage", "Roots"), ("Projet", "")), **fields
    ):
        current = utcnow()
        edition = Edition(
            slug=f"tournee-test-{current.timestamp()}-{len(fields)}",
            name="Tournée test",
            starts_on=date(2027, 6, 1),
            ends_on=date(2027, 10, 30),
        )
        call = Call(
            edition=edition,
            title=fields.pop("title", "Appel test"),
            description=fields.pop("description", "Un **appel**."),
            opens_at=opens_at or current - timedelta(days=10),
            closes_at=closes_at or current + timedelta(days=20),
            **fields,
        )
        db.session.add(call)
        for position, (french, english) in enumerate(criteria, start=1):
            call.criteria.append(
                CallCriterion(label_fr=french, label_en=english, position=position * 10)
            )
        db.session.flush()
        return call

    return make


@pytest.fixture
def call(make_call):
    return make_call()


@pytest.fixture
def contact(make_user):
    return make_user("contact@territoire.example", roles=("territory_contact",), name="Sandrine")


def complete_answers(territory_id, **overrides) -> dict:
    """A complete application form, as the browser posts it."""
    data = {
        "territory_id": str(territory_id),
        "contacts-0-name": "Sandrine Petit",
        "contacts-0-function": "Chargée de mission",
        "contacts-0-email": "sandrine@territoire.example",
        "contacts-0-phone": "03 22 00 00 00",
        "host_city": "Albert",
        "venue": "Salle des fêtes",
        "availability-0-start": "2027-09-14",
        "availability-0-end": "2027-09-18",
        "themes": ["innovation", "skills"],
        "partners": "Université de Picardie, CCI Amiens-Picardie",
        "expected_smes": "40",
        "motivation": "Un tissu de PME aéronautiques.",
    }
    data.update(overrides)
    return data


def make_application(call, territory, members, status="submitted", submitted_at=None):
    """An application straight in the database (no form)."""
    application = Application(
        call=call,
        territory_id=territory.id if territory else None,
        status=status,
        form_data={
            k: v if isinstance(v, list) else [v]
            for k, v in complete_answers(territory.id if territory else "").items()
        },
        members=list(members),
        submitted_at=submitted_at or (utcnow() if status == "submitted" else None),
    )
    db.session.add(application)
    db.session.flush()
    return application


def add_question(call, kind, label="Question", is_required=False, choices="", position=10):
    question = CallQuestion(
        call=call,
        kind=kind,
        label_fr=label,
        label_en=label,
        is_required=is_required,
        choices_text=choices,
        position=position,
    )
    db.session.add(question)
    db.session.flush()
    return question


@pytest.fixture
def now():
    """Here the calls follow the real clock (views ask it), so services get the same 'now'."""
    return utcnow()
