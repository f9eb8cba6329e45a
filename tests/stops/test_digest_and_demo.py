"""The stops' digest sections and the demo data."""

from datetime import UTC, date, datetime, timedelta

from flask_babel import force_locale
from sqlalchemy import select

from coordination.core.clock import local_datetime
from coordination.extensions import db
from coordination.stops.digest import coming_stops, stops_lacking_details
from coordination.stops.models import Stop, StopStatus
from coordination.stops.queries import coming_stops as home_coming_stops
from coordination.stops.warnings import plan_warnings

HOSTS = [{"name": "Paul", "function": "", "email": "paul@example.org", "phone": ""}]


def test_digest_lists_stops_of_the_next_14_days(app, make_stop):
    until = local_datetime(date(2026, 9, 1), datetime.min.time())
    soon = make_stop(day=date(2026, 9, 10), status=StopStatus.CONFIRMED)
    make_stop(day=date(2026, 9, 20), status=StopStatus.CONFIRMED, title="Plus tard")
    make_stop(day=date(2026, 9, 11), status=StopStatus.CANCELLED, title="Annulée")

    with app.test_request_context():
        items = coming_stops(until - timedelta(days=1), until)

    assert [item.url for item in items] == [f"http://localhost/etapes/{soon.id}"]
    assert items[0].text.endswith(" — Pithiviers (Pithiviers)")


def test_digest_lists_stops_lacking_venue_date_or_hosts(app, make_stop):
    until = datetime(2026, 9, 1, tzinfo=UTC)
    complete = make_stop(
        day=date(2026, 9, 10), status=StopStatus.CONFIRMED, venue_name="Mairie", host_contacts=HOSTS
    )
    no_venue = make_stop(
        day=date(2026, 9, 11), status=StopStatus.CONFIRMED, venue_name="", host_contacts=HOSTS
    )
    tentative = make_stop(day=date(2026, 9, 14), venue_name="Mairie", host_contacts=HOSTS)
    nothing = make_stop(day=date(2026, 9, 15), venue_name="", host_contacts=[])
    make_stop(day=date(2026, 8, 10), venue_name="", host_contacts=[], title="Passée")

    with app.test_request_context(), force_locale("en"):
        items = stops_lacking_details(until - timedelta(days=1), until)
        texts = [str(item.text) for item in items]

    ids = [int(item.url.rsplit("/", 1)[1]) for item in items]
    assert ids == [no_venue.id, tentative.id, nothing.id]
    assert complete.id not in ids
    assert [t.split(": ", 1)[1] for t in texts] == [
        "missing venue",
        "missing confirmed date",
        "missing venue, confirmed date, host contacts",
    ]


def test_digest_sections_query_count_stays_flat(app, make_stop, query_counter):
    until = datetime(2026, 9, 1, tzinfo=UTC)
    make_stop(day=date(2026, 9, 3))
    with app.test_request_context(), query_counter() as one:
        coming_stops(until, until)
        stops_lacking_details(until, until)
    make_stop(day=date(2026, 9, 4))
    make_stop(day=date(2026, 9, 7))
    with app.test_request_context(), query_counter() as three:
        coming_stops(until, until)
        stops_lacking_details(until, until)

    assert len(three) == len(one)


def test_home_page_query_lists_only_coming_confirmed_stops(make_stop):
    now = datetime(2026, 9, 12, tzinfo=UTC)
    make_stop(day=date(2026, 9, 10), status=StopStatus.CONFIRMED)
    coming = make_stop(day=date(2026, 9, 15), status=StopStatus.CONFIRMED)
    make_stop(day=date(2026, 9, 16))

    assert home_coming_stops(now) == [coming]


def test_demo_has_the_2019_tour_and_a_coming_plan_with_warnings(now):
    from coordination.demo import load_demo_data

    load_demo_data(now)

    stops = db.session.scalars(select(Stop).order_by(Stop.starts_at)).all()
    tour_2019 = [s for s in stops if s.edition.slug == "tournee-2019"]
    assert [(s.city, s.status) for s in tour_2019] == [
        ("Pithiviers", "held"),
        ("Albert", "held"),
        ("Saint-Quentin", "held"),
    ]
    assert tour_2019[0].starts_at == datetime(2019, 6, 5, 7, 0, tzinfo=UTC)
    coming = [s for s in stops if s.edition.slug == f"tournee-{now.year + 1}"]
    assert {s.status for s in coming} >= {"confirmed", "tentative"}
    assert plan_warnings(coming[0].edition_id).open_count() >= 1
