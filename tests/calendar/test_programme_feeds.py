"""An open programme's feeds: the edition feed carries its events (format, organisers),
and one feed per city, valid iCalendar, cached and answered 304 like the others."""

from datetime import date

import icalendar
import vobject

from coordination.extensions import db
from coordination.programmes.models import ProgrammeEvent
from tests.programmes.public_factories import ARRAS, LILLE, make_week, publish


def events_of(body: bytes) -> dict[str, icalendar.Event]:
    calendar = icalendar.Calendar.from_ical(body)
    return {str(e["SUMMARY"]): e for e in calendar.walk("VEVENT")}


def _programme():
    week = make_week()
    lille = publish(
        week,
        "Conférence IA",
        LILLE,
        date(2027, 10, 11),
        event_format="conference",
        organisers=("Université de Lille", "CCI Grand Lille"),
    )
    arras = publish(
        week,
        "Salon",
        ARRAS,
        date(2027, 10, 13),
        registration=False,
        capacity=None,
        event_format="exhibition",
    )
    db.session.commit()
    return week, lille, arras


def test_edition_feed_describes_events_with_format_and_organisers(client, db_session):
    week, lille, arras = _programme()
    response = client.get(f"/calendrier/editions/{week.slug}.ics")
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    vobject.readOne(text, validate=True)
    events = events_of(response.data)
    assert set(events) == {"Conférence IA — Lille", "Salon — Arras"}
    description = str(events["Conférence IA — Lille"]["DESCRIPTION"])
    assert "Format\u202f: Conférence" in description
    assert "Organisé par\u202f: CCI Grand Lille, Université de Lille" in description
    assert "Pour\u202f: Dirigeants de PME" in description
    assert "Inscription inutile." in str(events["Salon — Arras"]["DESCRIPTION"])
    assert str(events["Conférence IA — Lille"]["UID"]) == lille.stop.uid


def test_city_feed_has_only_that_citys_events(client, db_session):
    week, lille, arras = _programme()
    response = client.get(f"/calendrier/editions/{week.slug}/villes/{LILLE}.ics")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    text = response.get_data(as_text=True)
    vobject.readOne(text, validate=True)
    calendar = icalendar.Calendar.from_ical(response.data)
    assert str(calendar["X-WR-CALNAME"]) == f"{week.name} — Lille"
    assert list(events_of(response.data)) == ["Conférence IA — Lille"]
    assert "Organisé par" in str(events_of(response.data)["Conférence IA — Lille"]["DESCRIPTION"])


def test_city_feed_unknown_edition_or_commune_is_404(client, db_session):
    week, *_ = _programme()
    assert client.get(f"/calendrier/editions/{week.slug}/villes/00000.ics").status_code == 404
    assert client.get(f"/calendrier/editions/{week.slug}/villes/5935.ics").status_code == 404
    assert client.get(f"/calendrier/editions/nope/villes/{LILLE}.ics").status_code == 404


def test_city_feed_is_cached_and_a_change_to_the_event_changes_its_etag(client, db_session):
    week, lille, _arras = _programme()
    path = f"/calendrier/editions/{week.slug}/villes/{LILLE}.ics"
    first = client.get(path)
    etag = first.headers["ETag"]
    assert client.get(path, headers={"If-None-Match": etag}).status_code == 304
    assert client.get(path).data == first.data
    # Only the event's row changes (its format): the feed shows it, so its ETag moves.
    event = db.session.get(ProgrammeEvent, lille.id)
    event.format = "round_table"
    db.session.commit()
    changed = client.get(path, headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert "Format\u202f: Table ronde" in str(
        events_of(changed.data)["Conférence IA — Lille"]["DESCRIPTION"]
    )


def test_one_event_ics_has_the_event_title(client, db_session):
    week, lille, _arras = _programme()
    response = client.get(f"/calendrier/etapes/{lille.stop_id}.ics")
    assert response.status_code == 200
    assert list(events_of(response.data)) == ["Conférence IA — Lille"]
