"""The pure iCalendar builders, checked with two independent parsers."""

from datetime import UTC, datetime

import icalendar
import pytest
import vobject

from coordination.calendar.ics import CalendarEvent, Person, build_feed, build_invitation

ORGANIZER = Person("InnovENT-E", "plateforme@innovent-e.example")
ATTENDEE = Person("Karim Benali", "karim@cci.example")


def event(**fields) -> CalendarEvent:
    values = {
        "uid": "stop-1@innovent-e",
        "sequence": 0,
        # Saturday 24 October 2026 09:30 Paris (summer time) to Sunday 25, 16:00 (winter time)
        "starts_at": datetime(2026, 10, 24, 7, 30, tzinfo=UTC),
        "ends_at": datetime(2026, 10, 25, 15, 0, tzinfo=UTC),
        "summary": "Étape de Saint-Quentin : ateliers-débats sur l'innovation, l'international "
        "et les compétences des PME-PMI industrielles",
        "changed_at": datetime(2026, 9, 1, 10, 0, tzinfo=UTC),
        "location": "Palais de Fervaques, Saint-Quentin",
        "url": "https://coordination.example/etapes/1",
        "geo": (49.84642, 3.2884),
        "description": "Programme :\n9h30 accueil",
    }
    values.update(fields)
    return CalendarEvent(**values)


def lines(text: str) -> list[str]:
    return text.split("\r\n")


def test_feed_parses_strictly_and_keeps_its_fields():
    body = build_feed("Tournée 2026", [event()]).decode()
    calendar = vobject.readOne(body, validate=True)
    vevent = calendar.vevent
    assert vevent.uid.value == "stop-1@innovent-e"
    assert vevent.sequence.value == "0"
    assert vevent.status.value == "CONFIRMED"
    assert vevent.geo.value == "49.84642;3.2884"
    assert vevent.url.value == "https://coordination.example/etapes/1"
    parsed = icalendar.Calendar.from_ical(body)
    assert parsed.get("method") is None  # no METHOD in a subscription feed


def test_feed_lines_end_in_crlf_and_fold_at_75_octets():
    body = build_feed("Tournée 2026", [event()])
    assert body.endswith(b"\r\n")
    assert b"\n" not in body.replace(b"\r\n", b"")
    assert max(len(line) for line in body.split(b"\r\n")) <= 75
    assert any(line.startswith(b" ") for line in body.split(b"\r\n"))  # the summary folds


def test_feed_names_itself_once_with_refresh_hints():
    text = build_feed("Tournée 2026", [event()]).decode()
    assert lines(text).count("NAME:Tournée 2026") == 1
    assert lines(text).count("X-WR-CALNAME:Tournée 2026") == 1
    assert "REFRESH-INTERVAL;VALUE=DURATION:PT6H" in lines(text)
    assert "X-PUBLISHED-TTL:PT6H" in lines(text)


def test_every_tzid_has_its_vtimezone():
    text = build_feed("T", [event()]).decode()
    assert "DTSTART;TZID=Europe/Paris:20261024T093000" in lines(text)
    assert "BEGIN:VTIMEZONE" in lines(text) and "TZID:Europe/Paris" in lines(text)


def test_event_across_the_october_change_shows_the_right_local_hours():
    text = build_feed("T", [event()]).decode()
    parsed = vobject.readOne(text, validate=True).vevent
    assert parsed.dtstart.value.isoformat() == "2026-10-24T09:30:00+02:00"
    assert parsed.dtend.value.isoformat() == "2026-10-25T16:00:00+01:00"
    assert "DTEND;TZID=Europe/Paris:20261025T160000" in lines(text)


def test_same_data_renders_to_the_same_bytes():
    events = [event(), event(uid="meeting-2@innovent-e", summary="Club")]
    assert build_feed("T", events) == build_feed("T", list(reversed(events)))


def test_dtstamp_is_the_last_change_not_now():
    text = build_feed("T", [event()]).decode()
    assert "DTSTAMP:20260901T100000Z" in lines(text)
    assert "LAST-MODIFIED:20260901T100000Z" in lines(text)


def test_cancelled_event_stays_in_the_feed_marked_cancelled():
    text = build_feed("T", [event(status="CANCELLED", sequence=3)]).decode()
    assert "STATUS:CANCELLED" in lines(text)
    assert "SEQUENCE:3" in lines(text)


def test_empty_feed_is_valid():
    vobject.readOne(build_feed("Rien", []).decode(), validate=True)


def test_invitation_request_has_organizer_and_rsvp_attendee():
    text = build_invitation(event(), ORGANIZER, ATTENDEE)
    vobject.readOne(text, validate=True)
    unfolded = text.replace("\r\n ", "")
    assert "METHOD:REQUEST" in lines(unfolded)
    assert "ORGANIZER;CN=InnovENT-E:mailto:plateforme@innovent-e.example" in lines(unfolded)
    attendee = next(line for line in lines(unfolded) if line.startswith("ATTENDEE"))
    for part in ('CN="Karim Benali"', "ROLE=REQ-PARTICIPANT", "PARTSTAT=NEEDS-ACTION", "RSVP=TRUE"):
        assert part in attendee
    assert attendee.endswith(":mailto:karim@cci.example")


def test_update_keeps_the_uid_and_raises_the_sequence():
    first = icalendar.Calendar.from_ical(build_invitation(event(), ORGANIZER, ATTENDEE))
    second = icalendar.Calendar.from_ical(build_invitation(event(sequence=1), ORGANIZER, ATTENDEE))
    (a,), (b,) = first.walk("VEVENT"), second.walk("VEVENT")
    assert a["UID"] == b["UID"]
    assert (int(a["SEQUENCE"]), int(b["SEQUENCE"])) == (0, 1)


def test_cancel_carries_the_uid_and_status_cancelled():
    text = build_invitation(event(sequence=2), ORGANIZER, ATTENDEE, method="CANCEL")
    vobject.readOne(text, validate=True)
    assert "METHOD:CANCEL" in lines(text)
    assert "STATUS:CANCELLED" in lines(text)
    assert "UID:stop-1@innovent-e" in lines(text)


def test_unknown_method_or_status_is_refused():
    with pytest.raises(ValueError):
        build_invitation(event(), ORGANIZER, ATTENDEE, method="PUBLISH")
    with pytest.raises(ValueError):
        build_feed("T", [event(status="MAYBE")])
