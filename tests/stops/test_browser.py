"""The planning calendar (FullCalendar) in a real browser: drag a stop to another day,
move it back with the keyboard through its date field, switch to the week and list views."""

import re
from datetime import time, timedelta

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from coordination.core.clock import local_datetime, to_local, utcnow
from coordination.demo import DEMO_PASSWORD, load_demo_data
from coordination.extensions import db
from coordination.stops.models import Stop

STAFF = "equipe@demo.innovent-e.fr"


@pytest.fixture
def demo(committed, live_server):
    assert load_demo_data(utcnow())
    db.session.commit()
    return live_server


def _sign_in(page: Page, demo) -> None:
    page.goto(demo("/connexion"))
    form = page.locator("form:has(input[type=password])")
    form.locator("input[name=email]").fill(STAFF)
    form.locator("input[type=password]").fill(DEMO_PASSWORD)
    form.locator("button[type=submit]").click()
    expect(page).to_have_url(demo("/mes-taches"))


def test_staff_drags_a_stop_to_another_day_and_back(page: Page, demo, artifacts):
    stop = db.session.scalar(select(Stop).where(Stop.title == "Saint-Quentin"))
    stop_id, day, slug = stop.id, to_local(stop.starts_at).date(), stop.edition.slug
    # End the read transaction: on SQLite it would hold the lock the server needs.
    db.session.commit()
    errors: list[str] = []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    _sign_in(page, demo)
    page.goto(demo(f"/etapes/planning/{slug}/calendrier?mois={day.year}-{day.month:02d}"))

    event = page.locator(f".fc-event[data-stop-id='{stop_id}']")
    expect(event).to_be_visible()
    page.screenshot(path=str(artifacts / "stops-calendar-1280x800.png"), full_page=True)
    target_day = day + timedelta(days=1)
    target = page.locator(f"td.fc-daygrid-day[data-date='{target_day.isoformat()}']")
    # FullCalendar follows the pointer: press, move in steps, release over the next day.
    source_box, target_box = event.bounding_box(), target.bounding_box()
    page.mouse.move(source_box["x"] + 8, source_box["y"] + source_box["height"] / 2)
    page.mouse.down()
    page.mouse.move(
        target_box["x"] + target_box["width"] / 2,
        target_box["y"] + target_box["height"] / 2,
        steps=12,
    )
    page.mouse.up()

    # The same move as the date field: the page comes back with the stop on its new day.
    moved = page.locator(
        f"td[data-date='{target_day.isoformat()}'] .fc-event[data-stop-id='{stop_id}']"
    )
    expect(moved).to_be_visible()
    expect(page.locator(f"#day-{stop_id}")).to_have_value(target_day.isoformat())
    db.session.expire_all()
    assert db.session.get(Stop, stop_id).starts_at == local_datetime(target_day, time(9, 0))
    db.session.commit()

    # Undo with the keyboard: the stop's date field and its button.
    field = page.locator(f"#day-{stop_id}")
    field.fill(day.isoformat())
    field.press("Tab")
    page.keyboard.press("Enter")
    expect(
        page.locator(f"td[data-date='{day.isoformat()}'] .fc-event[data-stop-id='{stop_id}']")
    ).to_be_visible()
    db.session.expire_all()
    assert db.session.get(Stop, stop_id).sequence == 2

    # Week and list views, in French.
    page.get_by_role("button", name="Planning").click()
    expect(page.locator(f".fc-list-event[data-stop-id='{stop_id}']")).to_be_visible()
    page.get_by_role("button", name="Semaine").click()
    expect(page.locator(".fc-timeGridWeek-view")).to_be_visible()
    assert errors == []


def test_the_calendar_is_usable_with_the_keyboard(page: Page, demo):
    stop = db.session.scalar(select(Stop).where(Stop.title == "Saint-Quentin"))
    stop_id, day, slug = stop.id, to_local(stop.starts_at).date(), stop.edition.slug
    db.session.commit()
    _sign_in(page, demo)
    page.goto(demo(f"/etapes/planning/{slug}/calendrier?mois={day.year}-{day.month:02d}"))
    title = page.locator(".fc-toolbar-title")
    month = title.text_content()

    # The toolbar's buttons take the focus and answer Enter: next month, then back.
    next_button = page.locator(".fc-next-button")
    next_button.focus()
    page.keyboard.press("Enter")
    expect(title).not_to_have_text(month)
    page.keyboard.press("Shift+Tab")
    expect(page.locator(".fc-prev-button")).to_be_focused()
    page.keyboard.press("Enter")
    expect(title).to_have_text(month)

    # Each stop is a link reached with Tab, named with its status (and warnings), that
    # Enter opens; the list view is one Enter away too.
    event = page.locator(f"a.fc-event[data-stop-id='{stop_id}']")
    expect(event).to_have_attribute("aria-label", re.compile("Saint-Quentin"))
    for _step in range(80):
        page.keyboard.press("Tab")
        if event.evaluate("el => el === document.activeElement"):
            break
    expect(event).to_be_focused()
    page.keyboard.press("Enter")
    expect(page).to_have_url(demo(f"/etapes/{stop_id}"))
    page.go_back()
    list_button = page.locator(".fc-listMonth-button")
    list_button.focus()
    page.keyboard.press("Enter")
    expect(page.locator(f".fc-list-event[data-stop-id='{stop_id}'] a")).to_be_visible()
