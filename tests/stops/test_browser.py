"""The month calendar in a real browser: drag a stop to another day, then move it back."""

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
    expect(page).to_have_url(demo("/"))


def test_staff_drags_a_stop_to_another_day_and_back(page: Page, demo, artifacts):
    stop = db.session.scalar(select(Stop).where(Stop.title == "Saint-Quentin"))
    stop_id, day, slug = stop.id, to_local(stop.starts_at).date(), stop.edition.slug
    # End the read transaction: on SQLite it would hold the lock the server needs.
    db.session.commit()
    _sign_in(page, demo)
    page.goto(demo(f"/etapes/planning/{slug}/calendrier?mois={day.year}-{day.month:02d}"))

    source = page.locator(f".calendar-stop[data-stop-id='{stop_id}']")
    target_day = day + timedelta(days=1)
    page.screenshot(path=str(artifacts / "stops-calendar-1280x800.png"), full_page=True)
    # Grab the card by its top-left corner (its title), not by the date field inside it.
    target = page.locator(f"td[data-day='{target_day.isoformat()}']")
    source.drag_to(target, source_position={"x": 4, "y": 4})

    cell = page.locator(f"td[data-day='{target_day.isoformat()}']")
    expect(cell.locator(f".calendar-stop[data-stop-id='{stop_id}']")).to_be_visible()
    db.session.expire_all()
    assert db.session.get(Stop, stop_id).starts_at == local_datetime(target_day, time(9, 0))
    db.session.commit()

    # Undo with the date field of the same form.
    form = cell.locator(f".calendar-stop[data-stop-id='{stop_id}'] form")
    form.locator("input[name=day]").fill(day.isoformat())
    form.locator("button").click()
    expect(
        page.locator(f"td[data-day='{day.isoformat()}'] .calendar-stop[data-stop-id='{stop_id}']")
    ).to_be_visible()
    db.session.expire_all()
    assert db.session.get(Stop, stop_id).sequence == 2
