"""The agenda inside a stop's .ics description: times as the pages write them (Babel, the
platform's formatting), in the feed reader's or the recipient's language."""

from datetime import time

import icalendar
import vobject
from sqlalchemy import select

from coordination.notifications.models import OutboxMessage
from coordination.stops.services import confirm_stop, save_stop

NBSP = "\u00a0"
FRENCH = {f"9{NBSP}h · Accueil", f"10{NBSP}h{NBSP}30 · Ateliers-débats", "Clôture"}
ENGLISH = {"9:00 AM · Accueil", "10:30 AM · Ateliers-débats", "Clôture"}


def _with_agenda(stop_setup, now):
    stop, people = stop_setup()
    agenda = [
        {"title": "Accueil", "starts_on": time(9, 0), "room": "", "speakers": ""},
        {"title": "Ateliers-débats", "starts_on": time(10, 30), "room": "", "speakers": ""},
        {"title": "Clôture", "starts_on": None, "room": "", "speakers": ""},
    ]
    save_stop(stop, None, now, fields={}, agenda=agenda)
    return stop, people


def _description(body: bytes) -> str:
    vobject.readOne(body.decode(), validate=True)  # still valid iCalendar
    (event,) = icalendar.Calendar.from_ical(body).walk("VEVENT")
    return str(event["DESCRIPTION"])


def _agenda(description: str) -> set[str]:
    """The agenda's lines (an item without a time sorts first or last by database)."""
    return set(description.split("\n\n")[0].split("\n"))


def test_feed_descriptions_write_agenda_times_in_the_readers_language(
    client, stop_setup, db_session, now
):
    stop, people = _with_agenda(stop_setup, now)
    confirm_stop(stop, None, now)
    db_session.commit()
    path = f"/calendrier/editions/{people['edition'].slug}.ics"

    french = _description(client.get(path).data)
    assert _agenda(french) == FRENCH and "09:00" not in french

    client.post("/langue", data={"locale": "en"})
    assert _agenda(_description(client.get(path).data)) == ENGLISH
    single = client.get(f"/calendrier/etapes/{stop.id}.ics")
    assert _agenda(_description(single.data)) == ENGLISH


def test_invitations_write_agenda_times_in_each_recipients_language(stop_setup, db_session, now):
    stop, people = _with_agenda(stop_setup, now)
    people["member"].locale = "en"
    confirm_stop(stop, None, now)
    sent = {
        m.to_email: _description(m.calendar_ics.encode())
        for m in db_session.scalars(
            select(OutboxMessage).where(OutboxMessage.idempotency_key.startswith("invite:"))
        )
    }
    assert _agenda(sent["host@saint-quentin.example"]) == FRENCH
    assert _agenda(sent[people["lead"].email]) == FRENCH
    assert _agenda(sent[people["member"].email]) == ENGLISH
