"""The planner screen: access, proposing, accepting, locks, query counts."""

from datetime import date

import pytest
from sqlalchemy import select

from coordination.campaigns.models import Edition
from coordination.core.clock import to_local, utcnow
from coordination.extensions import db
from coordination.planner.jobs import run_planner
from coordination.planner.models import PlannerLock, PlannerRun
from tests.stops.conftest import ALBERT, PITHIVIERS, SAINT_QUENTIN

WEEK = [["2027-09-13", "2027-09-17"]]


@pytest.fixture
def english(client):
    client.post("/langue", data={"locale": "en"})


@pytest.fixture
def coming():
    """An edition still to come (the views use the real clock)."""
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
def make_coming_stop(make_stop, coming):
    def make(**fields):
        fields.setdefault("day", date(2027, 9, 14))
        fields.setdefault("availability", WEEK)
        return make_stop(edition_=coming, **fields)

    return make


def url(edition, suffix=""):
    return f"/etapes/planification/{edition.slug}{suffix}"


def propose_and_run(client, address, data):
    """Ask for a plan, let the worker run it (as the scheduler would), read the page."""
    asked = client.post(address, data=data)
    assert asked.status_code == 302, asked.get_data(as_text=True)
    assert run_planner(utcnow()) == 1
    db.session.expire_all()
    return client.get(asked.headers["Location"].split("#")[0])


def test_plan_page_sends_anonymous_visitors_to_sign_in(client, coming):
    response = client.get(url(coming))

    assert response.status_code == 302
    assert "/connexion" in response.headers["Location"]


def test_plan_page_is_refused_to_non_staff(client, coming, make_user, sign_in):
    sign_in(make_user("host@example.org", roles=("territory_contact",)))

    assert client.get(url(coming)).status_code == 403


def test_plan_page_of_an_unknown_edition_is_404(client, staff, sign_in):
    sign_in(staff)

    assert client.get("/etapes/planification/nope").status_code == 404


@pytest.mark.parametrize("count", [1, 3])
def test_plan_page_lists_stops_in_few_queries(
    client, staff, sign_in, make_coming_stop, query_counter, count
):
    stops = [make_coming_stop(insee=insee) for insee in (PITHIVIERS, ALBERT, SAINT_QUENTIN)[:count]]
    sign_in(staff)

    with query_counter() as counted:
        response = client.get(url(stops[0].edition))

    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert all(f'data-stop-id="{s.id}"' in page for s in stops)
    # The same whatever the number of stops: the user with their roles (one query), edition,
    # stops, territories, acknowledgements, rules, locks, the latest planner run.
    assert len(counted) == 9


def test_propose_shows_the_proposal_beside_the_current_plan(
    client, staff, sign_in, make_coming_stop, coming, english
):
    stops = [make_coming_stop(insee=i) for i in (PITHIVIERS, ALBERT, SAINT_QUENTIN)]
    sign_in(staff)

    response = propose_and_run(
        client,
        url(coming, "/proposer"),
        data={"first_window_weight": 50, "region_weight": 5, "time_limit": 2},
    )

    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert 'id="proposal" data-valid="yes"' in page
    assert 'id="comparison"' in page and 'id="proposed-timeline"' in page
    # Three stops the same day: two at least move, each with a ticked box.
    assert page.count('name="stop"') >= 2
    assert "Every stop has a day and every rule is met" in page
    assert all(f'data-stop-id="{s.id}"' in page for s in stops)
    # The two maps, once each: the proposal's route joins its three stops in date order.
    assert page.count('id="current-map"') == page.count('id="proposed-map"') == 1
    proposed_map = page.split('id="proposed-map"')[1].split("</figure>")[0]
    assert proposed_map.count('class="planner-route-number"') == 3
    assert len(proposed_map.split('class="planner-route" points="')[1].split('"')[0].split()) == 3
    run = db.session.scalar(select(PlannerRun))
    in_order = sorted(run.best_plan["days"], key=lambda k: run.best_plan["days"][k])
    markers = [part.split('"')[0] for part in proposed_map.split('data-stop-id="')[1:]]
    assert markers == in_order


def test_propose_with_a_bad_time_limit_shows_the_error(client, staff, sign_in, coming, english):
    sign_in(staff)

    response = client.post(
        url(coming, "/proposer"),
        data={"first_window_weight": 50, "region_weight": "x", "time_limit": 99},
    )

    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert 'id="time_limit-error"' in page
    assert 'id="region_weight-error"' in page
    assert 'value="99"' in page


def test_accept_moves_only_the_ticked_stops(client, staff, sign_in, make_coming_stop, coming):
    first = make_coming_stop(insee=PITHIVIERS)
    second = make_coming_stop(insee=ALBERT)
    sign_in(staff)

    response = client.post(
        url(coming, "/accepter"),
        data={
            "stop": [str(first.id)],
            f"day_{first.id}": "2027-09-16",
            f"day_{second.id}": "2027-09-17",
        },
    )

    assert response.status_code == 302
    db.session.expire_all()
    assert to_local(first.starts_at).date() == date(2027, 9, 16)
    assert to_local(second.starts_at).date() == date(2027, 9, 14)


def test_accept_ignores_garbage(client, staff, sign_in, make_coming_stop, coming):
    stop = make_coming_stop()
    sign_in(staff)

    response = client.post(
        url(coming, "/accepter"), data={"stop": ["abc", str(stop.id)], f"day_{stop.id}": "nope"}
    )

    assert response.status_code == 302
    db.session.expire_all()
    assert to_local(stop.starts_at).date() == date(2027, 9, 14)


def test_locked_stop_stays_put_in_the_proposal(client, staff, sign_in, make_coming_stop, coming):
    launch = make_coming_stop(insee=PITHIVIERS)
    other = make_coming_stop(insee=ALBERT)
    sign_in(staff)

    response = client.post(url(coming, f"/verrou/{launch.id}"), data={"reason": "launch"})
    assert response.status_code == 302
    lock = db.session.scalar(select(PlannerLock))
    assert (lock.stop_id, lock.reason, lock.by_id) == (launch.id, "launch", staff.id)

    page = propose_and_run(
        client,
        url(coming, "/proposer"),
        data={"first_window_weight": 50, "region_weight": 5, "time_limit": 2},
    ).get_data(as_text=True)
    assert f'name="day_{launch.id}"' not in page
    assert f'name="day_{other.id}"' in page

    client.post(url(coming, f"/deverrou/{launch.id}"))
    assert db.session.scalar(select(PlannerLock)) is None


def test_lock_of_a_stop_of_another_edition_is_404(client, staff, sign_in, make_stop, coming):
    foreign = make_stop()
    sign_in(staff)

    assert client.post(url(coming, f"/verrou/{foreign.id}")).status_code == 404


def test_propose_on_an_edition_without_stops_moves_nothing(client, staff, sign_in, coming):
    sign_in(staff)

    response = propose_and_run(
        client,
        url(coming, "/proposer"),
        data={"first_window_weight": 0, "region_weight": 0, "time_limit": 1},
    )

    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert 'data-valid="yes"' in page
    assert 'name="stop"' not in page


def test_propose_never_moves_past_stops(client, staff, sign_in, make_stop, edition):
    # The `edition` fixture is June-October 2026: past for the real clock.
    past = make_stop(day=date(2026, 9, 15), availability=[["2026-09-14", "2026-09-18"]])
    sign_in(staff)

    page = propose_and_run(
        client,
        url(edition, "/proposer"),
        data={"first_window_weight": 50, "region_weight": 5, "time_limit": 1},
    ).get_data(as_text=True)

    assert f'data-stop-id="{past.id}"' in page
    assert f'name="day_{past.id}"' not in page


def test_explanations_show_in_english_when_asked(
    client, staff, sign_in, make_coming_stop, coming, english
):
    make_coming_stop(title="Étape de Pithiviers", availability=[["2027-08-11", "2027-08-13"]])
    sign_in(staff)

    page = propose_and_run(
        client,
        url(coming, "/proposer"),
        data={"first_window_weight": 50, "region_weight": 5, "time_limit": 1},
    ).get_data(as_text=True)

    assert 'data-valid="no"' in page
    assert (
        "Étape de Pithiviers is only available in August, when the tour takes its summer "
        "break" in page
    )
    assert "Keep the stops of one région close in time" in page


def test_accepting_part_of_a_proposal_that_breaks_a_rule_moves_nothing_and_says_which(
    client, staff, sign_in, make_coming_stop, coming, english
):
    first = make_coming_stop(title="Étape de Pithiviers", insee=PITHIVIERS)
    second = make_coming_stop(title="Étape d'Albert", insee=ALBERT, day=date(2027, 9, 16))
    sign_in(staff)

    # Only the first stop's change ticked: it would land on the second's day.
    response = client.post(
        url(coming, "/accepter"),
        data={"stop": [str(first.id)], f"day_{first.id}": "2027-09-16"},
        follow_redirects=True,
    )

    page = response.get_data(as_text=True)
    assert "Nothing moved: with only the ticked changes, a rule would be broken." in page
    assert "Étape de Pithiviers: " in page
    db.session.expire_all()
    assert to_local(first.starts_at).date() == date(2027, 9, 14)
    assert to_local(second.starts_at).date() == date(2027, 9, 16)
