"""A visitor opens a week of innovation's programme, finds an event on its map, follows
it to the event's page and registers: the place in the event's single workshop is taken."""

import re
from datetime import date

from playwright.sync_api import Page, expect
from sqlalchemy import select

from coordination.extensions import db
from coordination.participants.models import Registration, SeatStatus
from tests.programmes.public_factories import AMIENS, LILLE, make_week, publish

PHONE = {"width": 390, "height": 844}


def test_visitor_finds_an_event_on_the_map_and_registers(committed, live_server, page: Page):
    week = make_week()
    publish(week, "Conférence à Amiens", AMIENS, date(2027, 10, 11), capacity=10)
    event = publish(week, "Portes ouvertes à Lille", LILLE, date(2027, 10, 12), capacity=1)
    slug, stop_id = week.slug, event.stop_id
    db.session.commit()
    page.set_viewport_size(PHONE)

    page.goto(live_server(f"/programmes/{slug}"))
    marker = page.locator(f"#programme-map circle.stop-marker[data-stop-id='{stop_id}']")
    expect(marker).to_have_count(1)
    expect(marker.locator("title")).to_contain_text("Portes ouvertes à Lille")
    marker.click()  # the marker is inside its link to the event's page
    expect(page).to_have_url(live_server(f"/etapes/{stop_id}"))
    expect(page.locator("#event-organisers")).to_have_text("CCI Grand Lille")

    page.get_by_test_id("register").click()
    form = page.locator("#registration-form")
    expect(form.locator("input[name=workshops]")).to_have_count(0)
    form.locator("input[name=first_name]").fill("Alice")
    form.locator("input[name=last_name]").fill("Martin")
    form.locator("input[name=email]").fill("alice@example.org")
    form.locator("input[name=company_name]").fill("Usinage Martin")
    form.locator("select[name=company_size]").select_option("small")
    form.locator("input[name=naf_code]").fill("25.62B")
    form.locator("input[name=commune]").fill("59350")
    form.locator("input[name=consent]").check()
    form.locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/inscriptions/[^/]+$"))

    db.session.expire_all()
    registration = db.session.scalar(
        select(Registration).where(Registration.email == "alice@example.org")
    )
    assert registration.stop_id == stop_id
    assert [seat.status for seat in registration.seats] == [SeatStatus.CONFIRMED]
    db.session.commit()  # ends the read transaction (SQLite's lock) before the browser acts

    # The programme now says the event is full.
    page.goto(live_server(f"/programmes/{slug}"))
    card = page.locator(f".programme-event[data-stop-id='{stop_id}']")
    expect(card.locator(".places-full")).to_have_count(1)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
