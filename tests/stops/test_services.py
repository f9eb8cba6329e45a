"""Creating stops from accepted applications; confirm, reschedule, cancel and their history."""

from datetime import UTC, date, datetime, time, timedelta

import pytest

from coordination.core.clock import local_datetime
from coordination.core.signals import stop_changed
from coordination.stops.models import StopStatus
from coordination.stops.services import (
    StopError,
    accepted_without_stop,
    cancel_stop,
    confirm_stop,
    create_stop_from_application,
    create_stops_from_accepted,
    mark_held,
    mark_past_stops_held,
    move_to_day,
    reschedule_stop,
    save_stop,
    set_agenda,
    update_stop,
)
from tests.stops.conftest import ALBERT


def test_unreleased_or_withdrawn_acceptances_make_no_stop(edition, make_accepted, staff, now):
    # A stop would tell the territory before the decisions go out together.
    unreleased = make_accepted(released=False)
    withdrawn = make_accepted()
    withdrawn.status = "withdrawn"
    assert accepted_without_stop(edition) == []
    for application in (unreleased, withdrawn):
        with pytest.raises(StopError):
            create_stop_from_application(application, staff, now)


@pytest.fixture
def announced():
    """Every stop_changed sent during the test: (stop, change, by, now)."""
    seen = []

    def receiver(stop, now, change, by, **_extra):
        seen.append((stop, change, by, now))

    stop_changed.connect(receiver)
    yield seen
    stop_changed.disconnect(receiver)


def test_create_stops_from_accepted_applications_prefills_from_answers(
    edition, make_accepted, staff, now
):
    application = make_accepted()
    make_accepted(decision="rejected")
    make_accepted(decision="waitlisted")

    (stop,) = create_stops_from_accepted(edition, staff, now)

    assert stop.application_id == application.id
    assert stop.territory_id == application.territory_id
    assert (stop.title, stop.city, stop.commune_insee) == ("Albert", "Albert", ALBERT)
    assert (stop.latitude, stop.longitude) == (50.00476, 2.64925)
    assert stop.venue_name == "Salle des fêtes"
    assert stop.availability == [["2026-09-12", "2026-09-18"]]
    # 12 September 2026 is a Saturday: the first weekday of the window, 09:00 Paris.
    assert stop.starts_at == datetime(2026, 9, 14, 7, 0, tzinfo=UTC)
    assert stop.ends_at == datetime(2026, 9, 14, 15, 0, tzinfo=UTC)
    assert stop.host_contacts == [
        {
            "name": "Sandrine Petit",
            "function": "Chargée de mission",
            "email": "sandrine@territoire.example",
            "phone": "03 22 00 00 00",
        }
    ]
    assert stop.partners == "Université de Picardie, CCI"
    assert (stop.status, stop.sequence) == (StopStatus.TENTATIVE, 0)
    assert stop.uid.startswith("stop-") and stop.uid.endswith("@innovent-e")
    assert [(c.action, c.by_id, c.at) for c in stop.changes] == [("created", staff.id, now)]


def test_create_stops_from_accepted_twice_creates_nothing_more(edition, make_accepted, staff, now):
    make_accepted()
    create_stops_from_accepted(edition, staff, now)

    assert create_stops_from_accepted(edition, staff, now) == []
    assert accepted_without_stop(edition) == []


def test_rejected_application_does_not_become_a_stop(make_accepted, staff, now):
    with pytest.raises(StopError):
        create_stop_from_application(make_accepted(decision="rejected"), staff, now)


def test_application_without_availability_starts_on_the_editions_first_weekday(
    edition, make_accepted, staff, now
):
    edition.starts_on = date(2026, 6, 6)  # a Saturday
    application = make_accepted(**{"availability-0-start": "", "availability-0-end": ""})

    stop = create_stop_from_application(application, staff, now)

    assert stop.starts_at == local_datetime(date(2026, 6, 8), time(9, 0))
    assert stop.availability == []


def test_confirm_records_raises_sequence_and_announces(make_stop, staff, now, announced):
    stop = make_stop()

    confirm_stop(stop, staff, now)

    assert (stop.status, stop.sequence, stop.confirmed_at, stop.updated_at) == (
        StopStatus.CONFIRMED,
        1,
        now,
        now,
    )
    change = stop.changes[0]
    assert (change.action, change.by_id, change.at, change.changes) == (
        "confirmed",
        staff.id,
        now,
        {"status": ["tentative", "confirmed"]},
    )
    assert announced == [(stop, "confirmed", staff, now)]


def test_confirm_twice_is_refused(make_stop, staff, now):
    stop = make_stop()
    confirm_stop(stop, staff, now)

    with pytest.raises(StopError):
        confirm_stop(stop, staff, now)
    assert stop.sequence == 1


def test_reschedule_records_old_and_new_times(make_stop, staff, now, announced):
    stop = make_stop(day=date(2026, 9, 15))
    old_start, old_end = stop.starts_at, stop.ends_at
    new_start = local_datetime(date(2026, 9, 22), time(10, 0))
    new_end = local_datetime(date(2026, 9, 22), time(18, 0))

    reschedule_stop(stop, new_start, new_end, staff, now)

    assert (stop.starts_at, stop.ends_at, stop.sequence) == (new_start, new_end, 1)
    assert stop.changes[0].action == "rescheduled"
    assert stop.changes[0].changes == {
        "starts_at": [old_start.isoformat(), new_start.isoformat()],
        "ends_at": [old_end.isoformat(), new_end.isoformat()],
    }
    assert announced == [(stop, "rescheduled", staff, now)]


def test_reschedule_to_the_same_times_changes_nothing(make_stop, staff, now, announced):
    stop = make_stop()

    assert reschedule_stop(stop, stop.starts_at, stop.ends_at, staff, now) == {}
    assert (stop.sequence, stop.changes, announced) == (0, [], [])


def test_reschedule_refuses_an_end_before_the_start(make_stop, staff, now):
    stop = make_stop()

    with pytest.raises(StopError):
        reschedule_stop(stop, stop.ends_at, stop.starts_at, staff, now)


def test_move_keeps_the_paris_wall_clock_across_dst(make_stop, staff, now):
    # From summer time (UTC+2) to winter time (UTC+1): still 09:00-17:00 in Paris.
    stop = make_stop(day=date(2026, 10, 22))
    assert stop.starts_at == datetime(2026, 10, 22, 7, 0, tzinfo=UTC)

    move_to_day(stop, date(2026, 10, 27), staff, now)

    assert stop.starts_at == datetime(2026, 10, 27, 8, 0, tzinfo=UTC)
    assert stop.ends_at == datetime(2026, 10, 27, 16, 0, tzinfo=UTC)


def test_undo_a_move_by_moving_back(make_stop, staff, now):
    stop = make_stop(day=date(2026, 9, 15))
    original = (stop.starts_at, stop.ends_at)

    move_to_day(stop, date(2026, 9, 16), staff, now)
    move_to_day(stop, date(2026, 9, 15), staff, now + timedelta(minutes=1))

    assert (stop.starts_at, stop.ends_at) == original
    assert [c.action for c in stop.changes] == ["rescheduled", "rescheduled"]
    assert stop.sequence == 2


def test_cancel_records_reason_and_announces(make_stop, staff, now, announced):
    stop = make_stop(status=StopStatus.CONFIRMED, sequence=1)

    cancel_stop(stop, staff, now, reason="Salle indisponible")

    assert (stop.status, stop.sequence, stop.cancelled_at, stop.cancel_reason) == (
        StopStatus.CANCELLED,
        2,
        now,
        "Salle indisponible",
    )
    assert (stop.changes[0].action, stop.changes[0].note) == ("cancelled", "Salle indisponible")
    assert announced == [(stop, "cancelled", staff, now)]


def test_cancelled_stop_cannot_be_rescheduled_or_confirmed(make_stop, staff, now):
    stop = make_stop()
    cancel_stop(stop, staff, now)

    with pytest.raises(StopError):
        move_to_day(stop, date(2026, 9, 20), staff, now)
    with pytest.raises(StopError):
        confirm_stop(stop, staff, now)
    with pytest.raises(StopError):
        cancel_stop(stop, staff, now)


def test_history_lists_every_step_in_order(make_stop, staff, now):
    stop = make_stop()
    confirm_stop(stop, staff, now)
    move_to_day(stop, date(2026, 9, 16), staff, now + timedelta(hours=1))
    cancel_stop(stop, staff, now + timedelta(hours=2))

    assert [c.action for c in stop.changes] == ["confirmed", "rescheduled", "cancelled"]
    assert stop.sequence == 3


def test_mark_held_only_after_confirmation(make_stop, staff, now):
    stop = make_stop()
    with pytest.raises(StopError):
        mark_held(stop, staff, now)
    confirm_stop(stop, staff, now)

    mark_held(stop, staff, now)

    assert (stop.status, stop.sequence) == (StopStatus.HELD, 2)


def test_update_raises_sequence_only_for_calendar_fields(make_stop, staff, now, announced):
    stop = make_stop()

    update_stop(stop, {"capacity": 80, "partners": "CCI"}, staff, now)
    assert stop.sequence == 0
    update_stop(stop, {"venue_name": "Mairie"}, staff, now)
    assert stop.sequence == 1
    update_stop(stop, {"venue_name": "Mairie"}, staff, now)

    assert [c.changes for c in stop.changes] == [
        {"capacity": [None, 80], "partners": ["", "CCI"]},
        {"venue_name": ["", "Mairie"]},
    ]
    assert [a[1] for a in announced] == ["updated", "updated"]


def test_update_commune_brings_its_coordinates(make_stop, staff, now):
    stop = make_stop()

    update_stop(stop, {"commune_insee": ALBERT, "city": "Albert"}, staff, now)

    assert (stop.latitude, stop.longitude) == (50.00476, 2.64925)


def test_local_update_refuses_the_date_and_staff_fields(make_stop, staff, now):
    stop = make_stop()

    with pytest.raises(StopError):
        update_stop(stop, {"title": "Autre"}, staff, now, local_only=True)
    with pytest.raises(StopError):
        update_stop(stop, {"starts_at": stop.starts_at}, staff, now)


def test_set_agenda_replaces_items_and_records_history(make_stop, staff, now, announced):
    stop = make_stop()
    items = [
        {"title": "Innover", "starts_on": time(10, 0), "room": "A", "speakers": "CCI"},
        {"title": "Recruter", "starts_on": None, "room": "", "speakers": ""},
    ]

    assert set_agenda(stop, items, staff, now) is True
    assert set_agenda(stop, items, staff, now) is False

    assert [(i.position, i.title, i.starts_on) for i in stop.agenda_items] == [
        (0, "Innover", time(10, 0)),
        (1, "Recruter", None),
    ]
    assert [c.action for c in stop.changes] == ["agenda"]
    # The agenda is in the calendar event's description: calendars must see the change.
    assert stop.sequence == 1
    assert [a[1] for a in announced] == ["updated"]


def test_save_stop_announces_one_change_with_one_new_sequence(make_stop, staff, now, announced):
    stop = make_stop(day=date(2026, 9, 15))
    new_times = (
        local_datetime(date(2026, 9, 16), time(9, 0)),
        local_datetime(date(2026, 9, 16), time(17, 0)),
    )

    save_stop(
        stop,
        staff,
        now,
        fields={"venue_name": "Mairie"},
        times=new_times,
        agenda=[{"title": "Innover", "starts_on": None, "room": "", "speakers": ""}],
    )

    assert stop.sequence == 1
    assert [c.action for c in stop.changes] == ["updated", "rescheduled", "agenda"]
    assert announced == [(stop, "rescheduled", staff, now)]


def test_save_stop_with_nothing_changed_announces_nothing(make_stop, staff, now, announced):
    stop = make_stop()

    save_stop(stop, staff, now, fields={}, times=(stop.starts_at, stop.ends_at), agenda=[])

    assert (stop.sequence, stop.changes, announced) == (0, [], [])


def test_save_stop_refuses_times_from_a_host(make_stop, staff, now):
    stop = make_stop()

    with pytest.raises(StopError):
        save_stop(
            stop, staff, now, fields={}, times=(stop.starts_at, stop.ends_at), local_only=True
        )


def test_confirmed_stops_that_ended_become_held(make_stop, now):
    ended = make_stop(day=date(2026, 2, 27), status=StopStatus.CONFIRMED)
    coming = make_stop(day=date(2026, 3, 3), status=StopStatus.CONFIRMED)
    tentative = make_stop(day=date(2026, 2, 26))

    assert mark_past_stops_held(now) == 1

    assert (ended.status, coming.status, tentative.status) == ("held", "confirmed", "tentative")
    assert [(c.action, c.by_id) for c in ended.changes] == [("held", None)]
    assert mark_past_stops_held(now) == 0
