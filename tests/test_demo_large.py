"""The full-size demo: loads through the services, counts right, seeded, idempotent."""

import re
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import func, select

from coordination.auth.models import Role, User, UserRole
from coordination.campaigns.models import Application, ApplicationStatus, Call
from coordination.clubs.models import Club, PartnerOrganisation
from coordination.demo_large import LARGE, DemoPlan, load_large_demo
from coordination.notifications.models import MessageStatus, OutboxMessage
from coordination.participants.models import NeedResponse, Registration
from coordination.stops.models import Stop, StopStatus
from coordination.territories.models import Commune, Territory

#: A tenth of the real scale keeps the test quick; the code paths are the same.
#: Organisations are a total: the small demo underneath already holds some forty.
SMALL = replace(LARGE.scaled(0.1), organisations=60)


def _count(statement) -> int:
    from coordination.extensions import db

    return db.session.scalar(statement)


def _counts(now) -> dict[str, int]:
    from coordination.campaigns.models import Edition

    editions = {e.slug: e for e in _count_all(Edition)}
    tour, coming = editions["tournee-2019"], editions[f"tournee-{now.year + 1}"]
    call = next(iter(coming.calls))

    def stops(edition):
        return _count(select(func.count()).select_from(Stop).where(Stop.edition_id == edition.id))

    def role(name):
        return _count(
            select(func.count())
            .select_from(UserRole)
            .join(User, User.id == UserRole.user_id)
            .where(UserRole.role == name, User.is_active.is_(True))
        )

    return {
        "tour_2019_stops": stops(tour),
        "applications": _count(
            select(func.count()).select_from(Application).where(Application.call_id == call.id)
        ),
        "coming_stops": stops(coming),
        "organisations": _count(select(func.count()).select_from(PartnerOrganisation)),
        "clubs": _count(select(func.count()).select_from(Club)),
        "participants": _count(
            select(func.count())
            .select_from(Registration)
            .join(Stop, Stop.id == Registration.stop_id)
            .where(Stop.edition_id == tour.id)
        ),
        "staff": role(Role.STAFF),
        "reviewers": role(Role.REVIEWER),
    }


def _count_all(model):
    from coordination.extensions import db

    return db.session.scalars(select(model)).all()


@pytest.fixture
def loaded(app, db_session, now):
    added = load_large_demo(now, SMALL)
    return added


def test_large_demo_holds_what_the_plan_says(loaded, db_session, now):
    assert _counts(now) == SMALL.__dict__
    # Every kind of application the staff lists show.
    statuses = set(db_session.execute(select(Application.status, Application.decision)).all())
    assert (ApplicationStatus.DRAFT, None) in statuses
    assert (ApplicationStatus.SUBMITTED, None) in statuses
    assert (ApplicationStatus.SUBMITTED, "accepted") in statuses
    # Held 2019 stops between June and October, in real communes.
    tour_stops = db_session.scalars(select(Stop).where(Stop.status == StopStatus.HELD)).all()
    assert {s.starts_at.month for s in tour_stops} <= {6, 7, 9, 10}
    insees = {s.commune_insee for s in tour_stops}
    assert len(insees) == len(tour_stops)
    assert _count(select(func.count()).select_from(Commune).where(Commune.insee_code.in_(insees)))
    # Territories from all over France, each a real EPCI.
    regions = set(db_session.scalars(select(Territory.region_code)))
    assert len(regions) >= 8
    # Everyone who came answered the questionnaire.
    assert db_session.scalar(select(func.count()).select_from(NeedResponse)) >= SMALL.participants
    # What the services queued while building the past shows as sent, never delivered.
    added = db_session.scalars(
        select(OutboxMessage).where(OutboxMessage.to_email.like("%.example.fr"))
    ).all()
    assert added and {m.status for m in added} == {MessageStatus.SENT}


def test_large_demo_twice_changes_nothing(loaded, db_session, now):
    before = _counts(now)
    users = db_session.scalar(select(func.count()).select_from(User))
    messages = db_session.scalar(select(func.count()).select_from(OutboxMessage))
    again = load_large_demo(now, SMALL)
    assert set(again.values()) == {0}
    assert _counts(now) == before
    assert db_session.scalar(select(func.count()).select_from(User)) == users
    assert db_session.scalar(select(func.count()).select_from(OutboxMessage)) == messages


def test_large_demo_is_seeded(loaded, db_session, now):
    names = db_session.scalars(select(PartnerOrganisation.name).order_by(PartnerOrganisation.id))
    emails = db_session.scalars(select(Registration.email).order_by(Registration.id))
    first = (list(names), list(emails))
    db_session.rollback()
    load_large_demo(now, SMALL)
    names = db_session.scalars(select(PartnerOrganisation.name).order_by(PartnerOrganisation.id))
    emails = db_session.scalars(select(Registration.email).order_by(Registration.id))
    assert (list(names), list(emails)) == first


def test_the_large_plan_is_the_documented_one():
    assert (
        DemoPlan(
            tour_2019_stops=36,
            applications=180,
            coming_stops=40,
            organisations=300,
            clubs=12,
            participants=2000,
            staff=10,
            reviewers=20,
        )
        == LARGE
    )
    readme = Path(__file__).parents[1].joinpath("README.md").read_text()
    section = readme[readme.index("demo load --size large") :][:1500]
    for figure in ("36", "180", "40", "300", "12", "2,000", "10", "20"):
        assert re.search(rf"\b{figure}\b", section), figure


def test_cli_loads_the_large_demo(app, db_session, monkeypatch):
    monkeypatch.setattr("coordination.demo_large.LARGE", SMALL)
    monkeypatch.setattr(load_large_demo, "__defaults__", (SMALL,))
    result = app.test_cli_runner().invoke(args=["demo", "load", "--size", "large"])
    assert result.exit_code == 0, result.output
    assert "applications: " in result.output
    call = db_session.scalar(select(Call))
    assert call is not None


def test_staff_pages_on_the_large_demo_stay_under_25_queries(
    loaded, db_session, client, query_counter
):
    from coordination.campaigns import queries, services
    from coordination.demo import DEMO_PASSWORD

    call = db_session.scalar(select(Call).order_by(Call.id))
    assert queries.pending_decision_count(call) == len(services.pending_decisions(call)) > 0
    stop = db_session.scalar(select(Stop).order_by(Stop.starts_at))
    db_session.commit()
    signed = client.post(
        "/connexion", data={"email": "equipe@demo.innovent-e.fr", "password": DEMO_PASSWORD}
    )
    assert signed.status_code == 302
    for path in (
        "/observatoire",
        f"/appels/gestion/{call.id}/candidatures",
        "/equipe/partenaires/",
        f"/etapes/{stop.id}/participants",
        "/equipe/tableau-de-bord",
    ):
        with query_counter() as statements:
            response = client.get(path)
        assert response.status_code == 200, path
        assert len(statements) <= 25, (path, len(statements))
