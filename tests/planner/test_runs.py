"""Planner runs: queued by staff, run by the job outside the request, one per edition."""

from datetime import date, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from coordination.campaigns.models import Edition
from coordination.core.clock import utcnow
from coordination.extensions import db
from coordination.planner import runs
from coordination.planner.jobs import run_planner
from coordination.planner.models import PlannerRun, RunStatus
from coordination.planner.services import Weights
from tests.stops.conftest import ALBERT, PITHIVIERS, SAINT_QUENTIN

WEEK = [["2027-09-13", "2027-09-17"]]
SETTINGS = {"first_window_weight": 50, "region_weight": 5, "time_limit": 1}


@pytest.fixture
def english(client):
    client.post("/langue", data={"locale": "en"})


@pytest.fixture
def coming():
    edition = Edition(
        slug="tournee-2027",
        name="Tournée 2027",
        starts_on=date(2027, 6, 1),
        ends_on=date(2027, 10, 29),
    )
    db.session.add(edition)
    db.session.flush()
    return edition


@pytest.fixture
def three_stops(make_stop, coming):
    return [
        make_stop(edition_=coming, insee=insee, day=date(2027, 9, 14), availability=WEEK)
        for insee in (PITHIVIERS, ALBERT, SAINT_QUENTIN)
    ]


def url(edition, suffix=""):
    return f"/etapes/planification/{edition.slug}{suffix}"


def test_start_queues_a_run_with_its_settings(coming, staff):
    run = runs.start_run(coming, Weights(first_window=10, region=2, time_limit=3), staff, utcnow())

    assert (run.status, run.progress, run.by_id) == (RunStatus.QUEUED, 0, staff.id)
    assert run.settings == {"first_window": 10, "region": 2, "time_limit": 3}


def test_a_second_start_of_the_same_edition_is_refused_in_words(coming, staff, client, sign_in):
    runs.start_run(coming, Weights(), staff, utcnow())

    with pytest.raises(runs.RunRefused, match="déjà en cours de calcul"):
        runs.start_run(coming, Weights(), staff, utcnow())
    assert len(db.session.scalars(select(PlannerRun)).all()) == 1


def test_the_database_itself_refuses_two_active_runs_of_one_edition(coming, staff, edition):
    now = utcnow()
    db.session.add(PlannerRun(edition_id=coming.id, status=RunStatus.RUNNING, created_at=now))
    db.session.flush()
    # Another edition, or a finished run of this one, is fine.
    db.session.add(PlannerRun(edition_id=edition.id, status=RunStatus.QUEUED, created_at=now))
    db.session.add(PlannerRun(edition_id=coming.id, status=RunStatus.DONE, created_at=now))
    db.session.flush()

    with pytest.raises(IntegrityError), db.session.begin_nested():
        db.session.add(PlannerRun(edition_id=coming.id, status=RunStatus.QUEUED, created_at=now))


def test_the_job_runs_the_queued_run_storing_progress_and_the_plan(
    coming, staff, three_stops, monkeypatch, app
):
    app.config["PLANNER_HEARTBEAT_SECONDS"] = 0.2
    run = runs.start_run(coming, Weights(time_limit=2), staff, utcnow())
    db.session.commit()
    heartbeats = []
    record = runs.record_progress

    def spy(run_, progress, plan, now):
        heartbeats.append((progress, plan))
        return record(run_, progress, plan, now)

    monkeypatch.setattr(runs, "record_progress", spy)

    assert run_planner(utcnow()) == 1

    db.session.expire_all()
    run = db.session.get(PlannerRun, run.id)
    assert run.status == RunStatus.DONE
    assert run.progress == 100
    assert run.started_at <= run.finished_at
    # Progress climbed while it ran, with a best plan stored before the end.
    # (Three stops: CP-SAT may prove its plan optimal well before the time limit.)
    assert heartbeats
    assert all(0 <= p < 100 for p, _ in heartbeats)
    assert [p for p, _ in heartbeats] == sorted(p for p, _ in heartbeats)
    assert any(plan is not None for _, plan in heartbeats)
    days = {int(k): date.fromisoformat(v) for k, v in run.best_plan["days"].items()}
    assert sorted(days) == sorted(s.id for s in three_stops)
    # One stop a day, inside the week of their windows.
    assert len(set(days.values())) == 3
    assert all(date(2027, 9, 13) <= d <= date(2027, 9, 17) for d in days.values())
    assert run.best_plan["unplaced"] == []
    assert run_planner(utcnow()) == 0


def test_a_run_whose_worker_died_is_stale_and_can_be_restarted(coming, staff, app):
    now = utcnow()
    run = runs.start_run(coming, Weights(), staff, now)
    assert runs.claim_next(now).id == run.id
    assert not runs.is_stale(run, now + timedelta(seconds=30))
    later = now + timedelta(seconds=app.config["PLANNER_STALE_SECONDS"] + 1)

    assert runs.is_stale(run, later)
    assert runs.restart_run(run, later)
    assert (run.status, run.started_at, run.heartbeat_at) == (RunStatus.QUEUED, None, None)
    # A live run cannot be restarted.
    runs.claim_next(later)
    assert not runs.restart_run(run, later)


def test_a_taken_back_run_stops_writing(coming, staff):
    now = utcnow()
    run = runs.start_run(coming, Weights(), staff, now)
    runs.claim_next(now)
    assert runs.record_progress(run, 40, None, now)
    run.status = RunStatus.QUEUED
    db.session.flush()

    assert not runs.record_progress(run, 50, None, now)


def test_page_start_progress_json_and_result(client, staff, sign_in, coming, three_stops, english):
    sign_in(staff)

    asked = client.post(url(coming, "/proposer"), data=SETTINGS)

    assert asked.status_code == 302
    run = db.session.scalar(select(PlannerRun))
    page = client.get(url(coming)).get_data(as_text=True)
    assert 'id="run"' in page and 'data-active="yes"' in page
    assert "waiting for the worker" in page
    state = client.get(url(coming, f"/calcul/{run.id}.json")).get_json()
    assert (state["status"], state["progress"], state["is_active"]) == ("queued", 0, True)

    # A second click, by anyone, while it is queued: refused with a clear message.
    again = client.post(url(coming, "/proposer"), data=SETTINGS)
    assert again.status_code == 409
    assert "A plan for this edition is already being computed" in again.get_data(as_text=True)

    run_planner(utcnow())
    db.session.expire_all()
    state = client.get(url(coming, f"/calcul/{run.id}.json")).get_json()
    assert (state["status"], state["progress"], state["is_active"]) == ("done", 100, False)
    assert state["best"]["placed"] == 3
    assert [s["id"] for s in state["best"]["stops"]] != []
    page = client.get(url(coming)).get_data(as_text=True)
    assert 'id="proposal" data-valid="yes"' in page


def test_run_json_is_for_staff_only_and_of_its_edition(
    client, staff, sign_in, make_user, coming, edition
):
    run = runs.start_run(edition, Weights(), staff, utcnow())
    sign_in(make_user("host@example.org", roles=("territory_contact",)))
    assert client.get(url(edition, f"/calcul/{run.id}.json")).status_code == 403

    sign_in(staff)
    assert client.get(url(coming, f"/calcul/{run.id}.json")).status_code == 404
    assert client.get(url(edition, f"/calcul/{run.id}.json")).status_code == 200


def test_restart_button_puts_a_stale_run_back_in_the_queue(
    client, staff, sign_in, coming, app, english
):
    long_ago = utcnow() - timedelta(hours=1)
    run = runs.start_run(coming, Weights(), staff, long_ago)
    runs.claim_next(long_ago)
    db.session.commit()
    sign_in(staff)

    page = client.get(url(coming)).get_data(as_text=True)
    assert "stopped: no news from the worker" in page
    response = client.post(url(coming, f"/calcul/{run.id}/relancer"))

    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(PlannerRun, run.id).status == RunStatus.QUEUED
    # Not stale any more: a second restart is refused.
    client.post(url(coming, f"/calcul/{run.id}/relancer"))
    assert "This computation is not stuck" in client.get(url(coming)).get_data(as_text=True)


def test_flask_planner_work_once_runs_the_queue(app, coming, staff, three_stops):
    runs.start_run(coming, Weights(time_limit=1), staff, utcnow())
    db.session.commit()

    result = app.test_cli_runner().invoke(args=["planner", "work", "--once"])

    assert result.exit_code == 0, result.output
    assert "planner runs done: 1" in result.output
    db.session.expire_all()
    assert db.session.scalar(select(PlannerRun.status)) == RunStatus.DONE


def test_the_scheduler_runs_the_planner_job_every_poll_interval(app):
    from coordination.scheduler import build_scheduler

    jobs = {job.id: job for job in build_scheduler(app).get_jobs()}

    assert (
        jobs["planner_runs"].trigger.interval.total_seconds()
        == app.config["PLANNER_POLL_SECONDS"]
        == 5
    )
