"""Proposing, explaining, locking and accepting plans."""

from datetime import date, time

from flask_babel import force_locale
from sqlalchemy import select

from coordination.core.clock import to_local
from coordination.extensions import db
from coordination.planner import locks, services
from coordination.planner.days import candidate_days
from coordination.planner.models import PlannerLock
from coordination.stops.models import StopChange
from tests.stops.conftest import ALBERT, PITHIVIERS, SAINT_QUENTIN

FAST = services.Weights(time_limit=2)


def windows(*pairs):
    return [[start, end] for start, end in pairs]


def test_candidate_days_skip_weekends_holidays_and_the_august_break():
    found, preferred = candidate_days(
        windows(("2026-07-10", "2026-07-15"), ("2026-08-03", "2026-08-05")),
        date(2026, 6, 1),
        date(2026, 10, 30),
        "45",
        True,
    )

    # 11-12 July is a weekend, 14 July Bastille Day, August the break.
    assert found == [date(2026, 7, 10), date(2026, 7, 13), date(2026, 7, 15)]
    assert preferred == frozenset(found)


def test_candidate_days_without_windows_are_the_editions_open_days():
    found, _ = candidate_days([], date(2026, 6, 1), date(2026, 6, 7), None, True)

    assert found == [date(2026, 6, d) for d in (1, 2, 3, 4, 5)]


def test_propose_gives_a_valid_plan_rechecked_by_the_warnings(app, edition, make_stop, now):
    same_window = windows(("2026-09-14", "2026-09-18"))
    stops = [
        make_stop(day=date(2026, 9, 15), insee=insee, availability=same_window)
        for insee in (PITHIVIERS, ALBERT, SAINT_QUENTIN)
    ]

    proposal = services.propose(edition, FAST, now)

    assert proposal.is_valid
    assert proposal.conflicts == []
    proposed = {row.stop.id: row.proposed_day for row in proposal.rows}
    assert len(set(proposed.values())) == 3
    assert all(date(2026, 9, 14) <= d <= date(2026, 9, 18) for d in proposed.values())
    # The current plan (three stops the same day) breaks "one a day"; the proposal does not.
    assert proposal.current_warnings.total > 0
    assert services.hard_broken(proposal.proposed_warnings) == {}
    assert proposal.proposed_km <= proposal.current_km + 1000
    assert {row.stop.id for row in proposal.moved} <= {s.id for s in stops}


def test_propose_explains_a_window_inside_the_august_break(app, edition, make_stop, now):
    make_stop(title="Étape de Pithiviers", availability=windows(("2026-08-12", "2026-08-14")))

    # Conflicts read in English here; the catalogue gives the French the page shows.
    with app.test_request_context(), force_locale("en"):
        proposal = services.propose(edition, FAST, now)
        conflicts = [str(c) for c in proposal.conflicts]

    assert not proposal.is_valid
    assert len(conflicts) == 1
    assert conflicts == [
        "Étape de Pithiviers is only available in August, when the tour takes its summer "
        "break: ask the territory for other dates, or lift the August break for this edition."
    ]


def test_propose_explains_a_window_on_a_weekend_with_its_reason(app, edition, make_stop, now):
    # 19-20 September 2026: a weekend.
    make_stop(title="Étape de Vierzon", availability=windows(("2026-09-19", "2026-09-20")))

    with app.test_request_context(), force_locale("en"):
        conflicts = [str(c) for c in services.propose(edition, FAST, now).conflicts]

    assert conflicts == [
        "Étape de Vierzon: its only window (19 September 2026 to 20 September 2026 falls on "
        "weekends) leaves no possible day."
    ]


def test_propose_explains_stops_that_find_no_room(app, edition, make_stop, now):
    from coordination.stops.services import save_rules

    save_rules(
        edition,
        max_stops_per_week=1,
        max_km_per_day=400,
        is_august_break=True,
        is_parallel_allowed=False,
    )
    week = windows(("2026-09-14", "2026-09-18"))
    make_stop(title="Étape A", insee=PITHIVIERS, availability=week)
    make_stop(title="Étape B", insee=ALBERT, availability=week)

    # Conflicts read in English here; the catalogue gives the French the page shows.
    with app.test_request_context(), force_locale("en"):
        proposal = services.propose(edition, FAST, now)
        conflicts = [str(c) for c in proposal.conflicts]

    assert not proposal.is_valid
    assert len(proposal.solution.unplaced) == 1
    assert len(conflicts) == 1
    assert "could not be placed" in conflicts[0]
    assert "maximum of 1 stops" in conflicts[0]


def test_propose_never_moves_a_locked_stop(app, edition, make_stop, staff, now):
    launch = make_stop(
        day=date(2026, 9, 15), insee=PITHIVIERS, availability=windows(("2026-09-14", "2026-09-18"))
    )
    other = make_stop(
        day=date(2026, 9, 15), insee=ALBERT, availability=windows(("2026-09-14", "2026-09-18"))
    )
    locks.lock_stop(launch, staff, now, "national launch")

    proposal = services.propose(edition, FAST, now)

    rows = {row.stop.id: row for row in proposal.rows}
    assert rows[launch.id].proposed_day is None
    assert rows[launch.id].is_locked
    assert rows[other.id].proposed_day != date(2026, 9, 15)
    assert proposal.is_valid


def test_accept_moves_stops_keeping_their_paris_hours_across_dst(edition, make_stop, staff, now):
    # 15 September is summer time, 3 November winter time: 09:30 stays 09:30 in Paris.
    stop = make_stop(day=date(2026, 9, 15), starts=time(9, 30), ends=time(17, 0))

    moved = services.accept(edition, {stop.id: date(2026, 10, 27)}, staff, now)

    assert moved == [stop]
    assert to_local(stop.starts_at).date() == date(2026, 10, 27)
    assert to_local(stop.starts_at).time() == time(9, 30)
    assert to_local(stop.ends_at).time() == time(17, 0)
    assert stop.sequence == 1
    change = db.session.scalar(select(StopChange).where(StopChange.stop_id == stop.id))
    assert change.action == "rescheduled"


def test_accept_leaves_locked_and_foreign_stops_alone(edition, make_stop, staff, now):
    locked = make_stop(day=date(2026, 9, 15))
    locks.lock_stop(locked, staff, now)

    moved = services.accept(
        edition, {locked.id: date(2026, 9, 16), 999_999: date(2026, 9, 16)}, staff, now
    )

    assert moved == []
    assert to_local(locked.starts_at).date() == date(2026, 9, 15)


def test_lock_is_idempotent_and_unlock_removes_it(edition, make_stop, staff, now):
    stop = make_stop()

    locks.lock_stop(stop, staff, now, "launch")
    locks.lock_stop(stop, staff, now, "closing")

    rows = db.session.scalars(select(PlannerLock)).all()
    assert [(lock.stop_id, lock.reason) for lock in rows] == [(stop.id, "closing")]
    assert locks.locked_stop_ids(edition.id) == {stop.id}
    assert locks.unlock_stop(stop) is True
    assert locks.unlock_stop(stop) is False
    assert locks.locked_stop_ids(edition.id) == set()


def test_propose_says_when_the_calendar_is_too_small(app, make_stop, now):
    from coordination.campaigns.models import Edition
    from coordination.stops.services import save_rules

    short = Edition(
        slug="courte", name="Courte", starts_on=date(2026, 9, 14), ends_on=date(2026, 9, 18)
    )
    db.session.add(short)
    db.session.flush()
    save_rules(
        short,
        max_stops_per_week=2,
        max_km_per_day=400,
        is_august_break=True,
        is_parallel_allowed=False,
    )
    for insee in (PITHIVIERS, ALBERT, SAINT_QUENTIN):
        make_stop(edition_=short, insee=insee)

    assert services.edition_room(short, services.rules_for(short.id)) == 2
    with app.test_request_context(), force_locale("en"):
        proposal = services.propose(short, FAST, now)
        conflicts = [str(c) for c in proposal.conflicts]

    assert not proposal.is_valid
    assert conflicts[0].startswith("The edition has 3 stops but its calendar holds at most 2")
    assert len(proposal.solution.unplaced) == 1
