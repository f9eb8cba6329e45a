"""The public programme of a week of innovation: by day, city and format, places left,
the map and the timeline, and its links from the edition and home pages."""

from datetime import date, time

import pytest

from coordination.extensions import db
from tests.programmes.public_factories import (
    AMIENS,
    ARRAS,
    LILLE,
    make_week,
    public_week,  # noqa: F401  (the week fixture)
    publish,
    register,
)


@pytest.fixture
def programme(week, now):
    full = publish(
        week,
        "Conférence IA",
        LILLE,
        date(2027, 10, 11),
        capacity=1,
        event_format="conference",
        organisers=("Université de Lille", "CCI Grand Lille"),
    )
    register(full, 1, now)
    register(full, 2, now)  # waiting list
    free = publish(
        week,
        "Salon des sous-traitants",
        ARRAS,
        date(2027, 10, 13),
        registration=False,
        capacity=None,
        event_format="exhibition",
    )
    open_doors = publish(
        week,
        "Portes ouvertes CETIM",
        AMIENS,
        date(2027, 10, 11),
        hours=(time(9, 0), time(12, 0)),
        capacity=30,
    )
    db.session.commit()
    return week, full, free, open_doors


def card_of(html: str, event) -> str:
    start = html.index(f'data-stop-id="{event.stop_id}"')
    return html[start : html.index("</li>", start)]


def test_programme_lists_events_by_day_with_places(client, programme):
    week, full, free, open_doors = programme
    response = client.get(f"/programmes/{week.slug}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    # Monday first (the morning event before the afternoon one), then Wednesday.
    assert (
        html.index("Portes ouvertes CETIM")
        < html.index("Conférence IA")
        < html.index("Salon des sous-traitants")
    )
    assert 'data-group="2027-10-11"' in html and 'data-group="2027-10-13"' in html
    assert "Complet\u202f: liste d’attente" in card_of(html, full)
    assert "1 personne en attente" in card_of(html, full)
    # Organisers by name.
    assert "CCI Grand Lille, Université de Lille" in card_of(html, full)
    assert "Inscription inutile" in card_of(html, free)
    assert "30 places restantes" in card_of(html, open_doors)
    assert "14\u00a0h – 17\u00a0h" in card_of(html, full)
    assert "Conférence" in card_of(html, full)


def test_filters_by_city_format_and_day_in_the_address(client, programme):
    week, full, free, open_doors = programme
    by_city = client.get(f"/programmes/{week.slug}?city={ARRAS}").get_data(as_text=True)
    assert f'data-stop-id="{free.stop_id}"' in by_city
    assert f'data-stop-id="{full.stop_id}"' not in by_city
    by_format = client.get(f"/programmes/{week.slug}?format=conference").get_data(as_text=True)
    assert f'data-stop-id="{full.stop_id}"' in by_format
    assert f'data-stop-id="{open_doors.stop_id}"' not in by_format
    by_day = client.get(f"/programmes/{week.slug}?day=2027-10-11").get_data(as_text=True)
    assert by_day.count('class="card programme-event"') == 2
    # Nonsense in the address is ignored, never an error.
    junk = client.get(f"/programmes/{week.slug}?day=31-02&city=x%27y&format=party&group=x")
    assert junk.status_code == 200
    assert junk.get_data(as_text=True).count('class="card programme-event"') == 3


def test_group_by_city(client, programme):
    week, *_ = programme
    html = client.get(f"/programmes/{week.slug}?group=city").get_data(as_text=True)
    assert (
        html.index('data-group="Amiens"')
        < html.index('data-group="Arras"')
        < html.index('data-group="Lille"')
    )


def test_map_and_timeline_show_every_event(client, programme):
    week, full, free, open_doors = programme
    html = client.get(f"/programmes/{week.slug}").get_data(as_text=True)
    for event in (full, free, open_doors):
        assert f'data-stop-id="{event.stop_id}"><title>' in html
    assert 'data-marker-count="3"' in html
    assert 'data-item-count="3"' in html
    # Zoomed on the events: not the whole of France's view box.
    assert 'viewBox="0 0 613 585"' not in html


def test_feed_links_on_the_programme(client, programme):
    week, *_ = programme
    html = client.get(f"/programmes/{week.slug}").get_data(as_text=True)
    assert f"/calendrier/editions/{week.slug}.ics" in html
    assert f"/calendrier/editions/{week.slug}/villes/{LILLE}.ics" in html
    assert "webcal://" in html
    assert "Google Calendar" in html


def test_tour_and_draft_editions_have_no_programme(client, edition, db_session):
    draft = make_week(status="draft")
    db_session.commit()
    assert client.get(f"/programmes/{edition.slug}").status_code == 404
    assert client.get(f"/programmes/{draft.slug}").status_code == 404
    assert client.get("/programmes/nope").status_code == 404


def test_empty_programme_says_so(client, week, db_session):
    db_session.commit()
    html = client.get(f"/programmes/{week.slug}").get_data(as_text=True)
    assert "Le programme sera publié prochainement." in html


def test_edition_and_home_pages_link_the_programme(client, programme):
    week, *_ = programme
    assert f"/programmes/{week.slug}" in client.get(f"/editions/{week.slug}").get_data(as_text=True)
    assert f"/programmes/{week.slug}" in client.get("/").get_data(as_text=True)


def test_closed_edition_not_on_home_page(client, db_session):
    closed = make_week(status="closed")
    db_session.commit()
    assert f"/programmes/{closed.slug}" not in client.get("/").get_data(as_text=True)
    assert client.get(f"/programmes/{closed.slug}").status_code == 200


def test_programme_query_count_does_not_grow_with_events(client, week, now, query_counter):
    def add(n):
        event = publish(
            week,
            f"Événement {n}",
            LILLE,
            date(2027, 10, 11 + n),
            organisers=(f"Organisme {n}", "CCI Grand Lille"),
        )
        register(event, n, now)
        db.session.commit()

    def count() -> int:
        with query_counter() as statements:
            assert client.get(f"/programmes/{week.slug}").status_code == 200
        return len(statements)

    add(0)
    one = count()
    add(1)
    add(2)
    assert count() == one
