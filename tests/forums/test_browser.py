"""In a real browser: staff add a speaker to a forum session in place (JavaScript rows),
the programme shows it, and a visitor registers for two sessions at the same time (refused,
nothing lost) then for one."""

import re

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from coordination.campaigns.models import Edition, EditionKind
from coordination.core.clock import utcnow
from coordination.demo import DEMO_PASSWORD, load_demo_data
from coordination.extensions import db
from coordination.participants.models import Registration
from coordination.stops.models import Stop

STAFF = "equipe@demo.innovent-e.fr"


@pytest.fixture
def demo(committed, live_server):
    assert load_demo_data(utcnow())
    db.session.commit()
    return live_server


def _forum_id() -> int:
    stop_id = db.session.scalar(
        select(Stop.id).join(Edition).where(Edition.kind == EditionKind.FORUM)
    )
    db.session.commit()  # no read transaction left open for the server (SQLite)
    return stop_id


def test_staff_add_a_speaker_in_place_and_the_programme_shows_it(page: Page, demo, artifacts):
    forum = _forum_id()
    page.goto(demo("/connexion"))
    form = page.locator("form:has(input[type=password])")
    form.locator("input[name=email]").fill(STAFF)
    form.locator("input[type=password]").fill(DEMO_PASSWORD)
    form.locator("button[type=submit]").click()
    expect(page).to_have_url(demo("/mes-taches"))

    page.goto(demo(f"/etapes/{forum}/modifier"))
    # Item 2 is the opening plenary: two speakers and one empty row.
    rows = page.locator("[data-rows='agenda-1-speaker_rows']")
    expect(rows.locator("[data-row]")).to_have_count(3)
    rows.get_by_role("button", name="Ajouter un intervenant").click()
    expect(rows.locator("[data-row]")).to_have_count(4)  # in place, no round trip
    page.fill("[name='agenda-1-speaker_rows-3-name']", "Nadia Roux")
    page.fill("[name='agenda-1-speaker_rows-3-organisation']", "Région Auvergne-Rhône-Alpes")
    page.fill("[name='agenda-1-speaker_rows-3-role']", "Vice-présidente")
    page.locator("#stop-form button.button[type=submit]").last.click()
    expect(page).to_have_url(demo(f"/etapes/{forum}"))  # saved, back on the stop

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(demo(f"/forums/{forum}/programme"))
    expect(page.get_by_text("Nadia Roux")).to_be_visible()
    expect(page.get_by_text("Région Auvergne-Rhône-Alpes")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(artifacts / "forum-programme-390.png"), full_page=True)


def test_a_visitor_cannot_take_two_sessions_at_once(page: Page, demo):
    forum = _forum_id()
    page.goto(demo(f"/forums/{forum}/programme"))
    page.get_by_test_id("register").click()
    page.fill("[name=first_name]", "Lucie")
    page.fill("[name=last_name]", "Berthier")
    page.fill("[name=email]", "lucie.berthier@example.org")
    page.fill("[name=company_name]", "Berthier Usinage")
    page.select_option("[name=company_size]", "small")
    page.fill("[name=naf_code]", "25.62B")
    page.get_by_label("financer un projet", exact=False).check()
    page.get_by_label("recruter et former", exact=False).check()
    page.locator("[name=consent]").check()
    page.locator("form button[type=submit]").last.click()
    expect(page.locator("#workshops-error")).to_contain_text("en même temps")
    expect(page.locator("[name=company_name]")).to_have_value("Berthier Usinage")
    page.get_by_label("recruter et former", exact=False).uncheck()
    page.locator("form button[type=submit]").last.click()
    expect(page).to_have_url(re.compile(r".*/inscriptions/[^/]+$"))
    db.session.expire_all()
    registration = db.session.scalar(
        select(Registration).where(Registration.email == "lucie.berthier@example.org")
    )
    assert [s.workshop.title for s in registration.seats] == [
        "Atelier : financer un projet d'innovation"
    ]
