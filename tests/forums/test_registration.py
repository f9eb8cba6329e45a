"""Registration to a forum's day and its parallel sessions: no two at the same time, full
sessions queue on the waiting list, breaks are not offered."""

import pytest
from sqlalchemy import select

from coordination.extensions import db
from coordination.participants import services
from coordination.participants.identifiers import ParticipantError
from coordination.participants.models import Registration, SeatStatus
from tests.forums.conftest import person, workshop_by_title

FORM = {
    "first_name": "Alice",
    "last_name": "Martin",
    "email": "alice@example.org",
    "role": "Dirigeante",
    "company_name": "Usinage Martin",
    "siret": "",
    "company_size": "small",
    "naf_code": "2562B",
    "commune": "74010",
    "consent": "y",
}


def test_two_sessions_in_the_same_slot_are_refused(forum, now):
    first = workshop_by_title(forum, "Atelier financement")
    second = workshop_by_title(forum, "Atelier alternance")
    with pytest.raises(ParticipantError, match="en même temps"):
        services.register(forum, person(1), [first.id, second.id], "en", now)
    assert db.session.scalar(select(Registration)) is None


def test_sessions_whose_times_cross_are_refused(forum, now):
    # 10:30–12:00 and 11:00–12:30 overlap without sharing a start.
    first = workshop_by_title(forum, "Atelier financement")
    later = workshop_by_title(forum, "Atelier robotique")
    with pytest.raises(ParticipantError):
        services.register(forum, person(1), [first.id, later.id], "fr", now)


def test_a_morning_and_an_afternoon_session_are_fine(forum, now):
    morning = workshop_by_title(forum, "Atelier financement")
    afternoon = workshop_by_title(forum, "Atelier export")
    registration = services.register(forum, person(1), [morning.id, afternoon.id], "fr", now)
    assert sorted(s.workshop_id for s in registration.seats) == sorted([morning.id, afternoon.id])
    assert all(s.status == SeatStatus.CONFIRMED for s in registration.seats)


def test_registration_to_the_day_only(forum, now):
    registration = services.register(forum, person(1), [], "fr", now)
    assert registration.is_active and registration.seats == []


def test_a_full_session_queues_on_the_waiting_list(forum, now):
    workshop = workshop_by_title(forum, "Atelier export")  # 2 places
    seats = [
        services.register(forum, person(n), [workshop.id], "fr", now).seats[0] for n in (1, 2, 3)
    ]
    assert [s.status for s in seats] == [
        SeatStatus.CONFIRMED,
        SeatStatus.CONFIRMED,
        SeatStatus.WAITING,
    ]
    services.cancel_registration(seats[0].registration, now)
    db.session.refresh(seats[2])
    assert seats[2].status == SeatStatus.OFFERED


def test_a_break_is_not_offered_for_registration(forum):
    titles = [w.title for w in services.open_workshops(forum)]
    assert "Accueil café" not in titles
    assert "Atelier financement" in titles


def test_the_form_refuses_overlapping_sessions_and_keeps_what_was_typed(client, forum):
    first = workshop_by_title(forum, "Atelier financement")
    second = workshop_by_title(forum, "Atelier alternance")
    db.session.commit()
    client.post("/langue", data={"locale": "en"})
    response = client.post(
        f"/etapes/{forum.id}/inscription",
        data={**FORM, "workshops": [str(first.id), str(second.id)]},
    )
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'id="workshops-error"' in html
    assert "take place at the same time" in html
    assert "Atelier financement" in html and "Atelier alternance" in html
    assert 'value="Usinage Martin"' in html and 'value="Dirigeante"' in html
    assert html.count("checked") >= 2  # both choices and the consent stay ticked
    assert db.session.scalar(select(Registration)) is None


def test_the_form_shows_times_and_rooms_and_registers(client, forum):
    morning = workshop_by_title(forum, "Atelier financement")
    db.session.commit()
    page = client.get(f"/etapes/{forum.id}/inscription").get_data(as_text=True)
    assert "Salle Aravis" in page
    assert "10\u202fh\u202f30" in page or "10\u00a0h\u00a030" in page
    response = client.post(
        f"/etapes/{forum.id}/inscription", data={**FORM, "workshops": [str(morning.id)]}
    )
    assert response.status_code == 302
    registration = db.session.scalar(select(Registration))
    assert [s.workshop_id for s in registration.seats] == [morning.id]
