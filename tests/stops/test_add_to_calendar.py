"""« Add to my calendar »: one stop as an .ics file, for whoever may see its page."""

from icalendar import Calendar

from coordination.extensions import db
from coordination.stops.models import StopStatus


def test_a_confirmed_stop_downloads_as_one_event(client, make_stop):
    stop = make_stop(status=StopStatus.CONFIRMED, title="Saint-Quentin")
    db.session.commit()

    page = client.get(f"/etapes/{stop.id}").get_data(as_text=True)
    assert f'href="/calendrier/etapes/{stop.id}.ics"' in page
    response = client.get(f"/calendrier/etapes/{stop.id}.ics")

    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    assert response.headers["Content-Disposition"] == f'attachment; filename="etape-{stop.id}.ics"'
    events = Calendar.from_ical(response.data).walk("VEVENT")
    # The same title as the invitations: the tour and the stop's town.
    assert [str(e["SUMMARY"]) for e in events] == [f"Tournée de l'innovation — {stop.city}"]
    assert events[0].decoded("DTSTART") == stop.starts_at


def test_a_tentative_stop_is_not_given_to_the_public(client, make_stop):
    stop = make_stop(status=StopStatus.TENTATIVE)
    db.session.commit()

    assert client.get(f"/calendrier/etapes/{stop.id}.ics").status_code == 404
    assert client.get("/calendrier/etapes/999999.ics").status_code == 404
