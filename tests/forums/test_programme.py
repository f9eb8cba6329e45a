"""The forum's programme page and its calendar files."""

from datetime import time, timedelta

from icalendar import Calendar

from coordination.extensions import db
from coordination.participants import services
from coordination.stops.models import StopStatus
from coordination.stops.services import set_agenda, update_stop
from tests.forums.conftest import PROGRAMME, person, session, workshop_by_title


def _page(client, stop):
    response = client.get(f"/forums/{stop.id}/programme")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_programme_groups_sessions_by_slot_with_speakers_and_places(client, forum, now):
    full = workshop_by_title(forum, "Atelier financement")
    for n in (1, 2, 3):
        services.register(forum, person(n), [full.id], "fr", now)
    db.session.commit()
    client.post("/langue", data={"locale": "en"})
    html = _page(client, forum)
    # Time slots in order; the two 10:30–12:00 workshops share one slot, side by side.
    assert html.index("Accueil café") < html.index("Table ronde") < html.index("Atelier export")
    slot = html[html.index("10:30 AM") :]
    slot = slot[: slot.index("</section>")]
    assert "Atelier financement" in slot and "Atelier alternance" in slot
    assert "2 sessions in parallel" in slot
    assert "Atelier robotique" not in slot  # 11:00–12:30 is its own slot
    # Speakers with organisation and role; places left and the waiting list.
    assert "Karim Haddad" in html and "Université Savoie Mont Blanc" in html
    assert "Maître de conférences" in html
    assert "Full: waiting list (1 waiting)" in html
    assert "2 places left" in html
    assert "Round table" in html and "Salle Bauges" in html
    assert f"/etapes/{forum.id}.ics" in html
    assert f"/etapes/{forum.id}/inscription" in html


def test_programme_in_french(client, forum):
    db.session.commit()
    html = _page(client, forum)
    assert "Table ronde" in html and "2 sessions en parallèle" in html
    assert "10\u202fh\u202f30" in html or "10\u00a0h\u00a030" in html


def test_a_tentative_forum_is_hidden_and_an_unknown_one_is_404(client, make_forum):
    stop = make_forum(status=StopStatus.TENTATIVE)
    db.session.commit()
    assert client.get(f"/forums/{stop.id}/programme").status_code == 404
    assert client.get("/forums/999999/programme").status_code == 404


def test_session_ics_has_a_stable_uid_and_the_stops_sequence(client, forum, now):
    workshop = workshop_by_title(forum, "Atelier financement")
    db.session.commit()
    url = f"/forums/{forum.id}/sessions/{workshop.id}.ics"
    first = Calendar.from_ical(client.get(url).data).walk("VEVENT")[0]
    assert str(first["SUMMARY"]).startswith("Atelier financement")
    assert "Nicolas Chevalier, Bpifrance" in str(first["DESCRIPTION"])
    assert "Salle Aravis" in str(first["LOCATION"])
    assert first.decoded("DTEND") - first.decoded("DTSTART") == timedelta(hours=1, minutes=30)
    update_stop(forum, {"venue_name": "Nouveau lieu"}, None, now)
    db.session.commit()
    second = Calendar.from_ical(client.get(url).data).walk("VEVENT")[0]
    assert str(second["UID"]) == str(first["UID"])
    assert int(second["SEQUENCE"]) == int(first["SEQUENCE"]) + 1 == forum.sequence
    assert "Nouveau lieu" in str(second["LOCATION"])
    assert client.get(f"/forums/{forum.id}/sessions/999999.ics").status_code == 404


def test_programme_query_count_does_not_grow_with_sessions(client, forum, query_counter, now):
    db.session.commit()
    client.get(f"/forums/{forum.id}/programme")
    with query_counter() as few:
        client.get(f"/forums/{forum.id}/programme")
    more_sessions = [
        session(f"Atelier {n}", "workshop", time(16, n), time(16, 30 + n), "Salle", "A | B | C")
        for n in range(6)
    ]
    set_agenda(forum, [*PROGRAMME, *more_sessions], None, now)
    db.session.commit()
    client.get(f"/forums/{forum.id}/programme")
    with query_counter() as more:
        html = client.get(f"/forums/{forum.id}/programme").get_data(as_text=True)
    assert "Atelier 5" in html
    assert len(more) == len(few)
