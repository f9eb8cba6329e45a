"""The feed's direct text builder against the icalendar objects it replaced."""

from datetime import UTC, datetime, timedelta

import icalendar
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coordination.calendar import feeds
from coordination.calendar.ics import CalendarEvent, build_feed, build_feed_objects
from coordination.calendar.ics_text import escape_text, fold

#: What people type (line breaks as browsers send them, CRLF); no other control character.
TRICKY = [*",;\\\n:\"'^ éèàçÉœ—€🎉👩‍🔬𝄞\t", "\r\n"]
text = st.lists(
    st.one_of(
        st.sampled_from(TRICKY),
        st.characters(codec="utf-8", exclude_categories=("Cc", "Cs")),
    ),
    max_size=300,
).map("".join)
long_text = st.builds(
    lambda a, n: a * n, st.sampled_from(["é", "🎉", "x", "\\", ",", "a;"]), st.integers(0, 200)
)
some_text = st.one_of(text, long_text)
moments = st.datetimes(
    min_value=datetime(1900, 1, 1), max_value=datetime(2200, 12, 31), timezones=st.just(UTC)
)


@st.composite
def calendar_events(draw):
    starts = draw(moments)
    return CalendarEvent(
        uid=draw(st.one_of(st.uuids().map(lambda u: f"{u}@innovent-e"), some_text)),
        sequence=draw(st.integers(0, 2**31 - 1)),
        starts_at=starts,
        ends_at=starts + draw(st.timedeltas(timedelta(minutes=1), timedelta(days=40))),
        summary=draw(some_text),
        changed_at=draw(moments),
        status=draw(st.sampled_from(["TENTATIVE", "CONFIRMED", "CANCELLED"])),
        description=draw(some_text),
        location=draw(some_text),
        url=draw(st.sampled_from(["", "https://example.org/etapes/12", "https://e.x/c/é?a=1,2"])),
        geo=draw(
            st.none()
            | st.tuples(st.floats(-90, 90, allow_nan=False), st.floats(-180, 180, allow_nan=False))
        ),
        categories=tuple(draw(st.lists(some_text.filter(bool), max_size=3))),
    )


def properties(body: bytes) -> list[tuple[str, list[tuple[str, str, str]]]]:
    """Every property of every component, parsed by icalendar: (name, params, value)."""
    calendar = icalendar.Calendar.from_ical(body)
    return [
        (
            component.name,
            [
                (
                    name,
                    repr(sorted(getattr(value, "params", {}).items())),
                    repr(
                        [str(c) for c in value.cats]
                        if name == "CATEGORIES"
                        else component.decoded(name)
                    ),
                )
                for name, value in component.items()
            ],
        )
        for component in calendar.walk()
    ]


def check_lines(body: bytes) -> None:
    assert body.endswith(b"\r\n")
    for raw in body.split(b"\r\n")[:-1]:
        assert len(raw) <= 75
        raw.decode("utf-8")  # never a character split across a fold
        assert b"\n" not in raw and b"\r" not in raw


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(calendar_events(), max_size=6),
    # icalendar wrote the feed's name unescaped, a line break in it broke the line: the text
    # builder writes it the same, on one line (checked below).
    some_text.map(lambda name: "".join(c for c in name if c not in "\r\n")),
    st.sampled_from(["Europe/Paris", "America/New_York", "UTC"]),
)
def test_text_builder_gives_icalendars_bytes_and_properties(events, name, timezone):
    fast = build_feed(name, events, timezone)
    reference = build_feed_objects(name, events, timezone)
    check_lines(fast)
    assert properties(fast) == properties(reference)
    assert fast == reference


def test_a_line_break_in_the_feeds_name_stays_on_one_line():
    body = build_feed("Zoé\r\nDupont, \\ x\n", [])
    assert b"\r\nNAME:Zo\xc3\xa9 Dupont, \\ x\r\n" in body
    assert str(icalendar.Calendar.from_ical(body)["X-WR-CALNAME"]) == "Zoé Dupont, \\ x"


@given(some_text)
def test_escaped_text_reads_back_as_itself(value):
    moment = datetime(2027, 3, 1, 8, tzinfo=UTC)
    event = CalendarEvent(
        uid="u@x",
        sequence=0,
        starts_at=moment,
        ends_at=moment + timedelta(hours=1),
        summary="x" + value,
        changed_at=moment,
        description="x" + value,
    )
    parsed = icalendar.Calendar.from_ical(build_feed("x", [event])).walk("VEVENT")[0]
    expected = "x" + value.replace("\\N", "\n").replace("\r\n", "\n")
    assert str(parsed["DESCRIPTION"]) == expected == str(parsed["SUMMARY"])


@given(st.text(alphabet=st.sampled_from("aé🎉\\;, "), max_size=400))
def test_folding_keeps_lines_short_and_unfolds_to_the_original(value):
    folded = fold("DESCRIPTION:" + value)
    for piece in folded.split("\r\n"):
        assert len(piece.encode()) <= 75
    assert folded.replace("\r\n ", "") == "DESCRIPTION:" + value


def test_folding_examples():
    assert fold("A:" + "x" * 72) == "A:" + "x" * 72  # 74 octets: unchanged
    assert fold("A:" + "x" * 73) == "A:" + "x" * 72 + "\r\n x"
    # 2 + 36 × 2 = 74 octets, then a 2-octet "é" would make 76: folded before it, whole.
    assert fold("A:" + "é" * 37) == "A:" + "é" * 36 + "\r\n é"
    assert escape_text("a,b;c\\d\ne\r\nf") == "a\\,b\\;c\\\\d\\ne\\nf"


def test_a_real_feed_of_stops_and_meetings_is_unchanged_in_meaning(
    club_setup, make_meeting, stop_setup, app, db_session, monkeypatch
):
    club, *_ = club_setup("club-texte")
    for i, words in enumerate(["a, b; c\\d", "ligne 1\nligne 2 é🎉 " + "long " * 30, "Œuvre"]):
        make_meeting(
            club,
            title=words,
            agenda=words * 3,
            place=words,
            starts_at=datetime(2026, 10, 24 + i, 7, 30, tzinfo=UTC),
            ends_at=datetime(2026, 10, 24 + i, 9, tzinfo=UTC),
        )
    stop_setup()
    db_session.flush()
    content = feeds.FeedContent(
        name="InnovENT-E — Zoé, « test »", meeting_conditions=[], stop_conditions=[]
    )
    with app.test_request_context():
        fast = feeds.render(content)
        monkeypatch.setattr(feeds, "build_feed", build_feed_objects)
        reference = feeds.render(content)
    assert fast.count(b"BEGIN:VEVENT") == 4
    check_lines(fast)
    assert properties(fast) == properties(reference)
    assert fast == reference
