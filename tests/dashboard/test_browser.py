"""The map, timeline and charts in a real browser, on the demo data: as many markers and
timeline items as the data says, charts drawn, no script or CSP error; screenshots kept."""

import pytest
from playwright.sync_api import Page, expect

from coordination.core.clock import utcnow
from coordination.dashboard import queries
from coordination.dashboard.geo import base_map
from coordination.demo import DEMO_PASSWORD, load_demo_data
from coordination.extensions import db

STAFF = "equipe@demo.innovent-e.fr"


@pytest.fixture
def demo(committed, live_server):
    assert load_demo_data(utcnow())
    db.session.commit()
    return live_server


def _expected(statuses=None) -> dict[str, tuple[int, int]]:
    """Edition slug -> (stops placed on the map, stops on the timeline)."""
    counts = {}
    for edition in queries.editions():
        rows = queries.edition_stop_rows(edition.id, statuses)
        placed = [r for r in rows if base_map().project(r.latitude, r.longitude) is not None]
        counts[edition.slug] = (len(placed), len(rows))
    db.session.commit()  # end the read: on SQLite it would block the server
    return counts


def _errors_of(page: Page) -> list[str]:
    """Script errors, CSP refusals and failed static files (the favicon's 404 aside)."""
    errors: list[str] = []

    def on_console(message) -> None:
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            errors.append(message.text)

    def on_response(response) -> None:
        if "/static/" in response.url and response.status >= 400:
            errors.append(f"{response.status} {response.url}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("response", on_response)
    return errors


def test_edition_page_and_staff_dashboard(page: Page, demo, artifacts):
    public = _expected(queries.PUBLIC_STATUSES)
    every = _expected()
    slug = max(public, key=lambda s: public[s][1])
    markers, items = public[slug]
    assert items > 0, "the demo has an edition with confirmed stops"
    shots = artifacts / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    errors = _errors_of(page)

    page.goto(demo(f"/editions/{slug}"))
    glance = page.locator("#edition-glance")
    expect(glance.locator("circle.stop-marker")).to_have_count(markers)
    expect(glance.locator(".timeline-item")).to_have_count(items)
    expect(glance.locator("path.departement")).to_have_count(96)
    glance.scroll_into_view_if_needed()
    page.screenshot(path=str(shots / "dashboard-edition-public-1280x800.png"), full_page=True)

    page.goto(demo("/connexion"))
    form = page.locator("form:has(input[type=password])")
    form.locator("input[name=email]").fill(STAFF)
    form.locator("input[type=password]").fill(DEMO_PASSWORD)
    form.locator("button[type=submit]").click()
    expect(page).to_have_url(demo("/mes-taches"))

    page.goto(demo(f"/equipe/tableau-de-bord?edition={slug}"))
    markers, items = every[slug]
    expect(page.locator("#map circle.stop-marker")).to_have_count(markers)
    expect(page.locator("#timeline .timeline-item")).to_have_count(items)
    tables = page.locator("table[data-chart]")
    expect(page.locator("canvas[data-chart-ready]")).to_have_count(tables.count())
    page.screenshot(path=str(shots / "dashboard-staff-1280x800.png"), full_page=True)

    # By default, the running or coming edition: its applicants' départements are shaded.
    page.goto(demo("/equipe/tableau-de-bord"))
    expect(page.locator("#map path.departement")).to_have_count(96)
    page.screenshot(path=str(shots / "dashboard-staff-default-1280x800.png"), full_page=True)

    # A marker opens its stop (the last one drawn: markers of one commune overlap, and the
    # last lies on top).
    page.goto(demo(f"/equipe/tableau-de-bord?edition={slug}"))
    marker = page.locator("#map a.stop-marker-link").last
    href = marker.get_attribute("href")
    marker.click()
    expect(page).to_have_url(demo(href))
    assert errors == []
