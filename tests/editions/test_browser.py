"""From no data at all: a staff member signs in by a one-time link, creates an edition,
opens its call and adds a stop by hand with the commune search (real Chromium)."""

import re
from datetime import date

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from coordination.auth.services import ensure_user, issue_login_link
from coordination.campaigns.models import Call, Edition
from coordination.core.clock import utcnow
from coordination.core.text import search_key
from coordination.extensions import db
from coordination.stops.models import Stop
from coordination.territories.models import Territory


@pytest.fixture
def staff_link(committed, live_server):
    """Only a staff account (and one territory of the reference data) exist."""
    staff = ensure_user("camille@innovent-e.example", "staff", name="Camille Martin")
    db.session.add(
        Territory(name="Pithiverais", search_name=search_key("Pithiverais"), region_code="24")
    )
    db.session.flush()
    url = issue_login_link(staff, utcnow(), "/gestion/editions")
    db.session.commit()
    db.session.remove()
    return url


def _fits_390(page: Page) -> None:
    page.set_viewport_size({"width": 390, "height": 800})
    width = page.evaluate("document.documentElement.scrollWidth")
    page.set_viewport_size({"width": 1280, "height": 800})
    assert width <= 390


def test_staff_create_edition_open_call_and_add_stop_by_hand(page: Page, staff_link, live_server):
    page.goto(staff_link)
    page.get_by_role("main").locator("button[type=submit]").click()
    expect(page).to_have_url(live_server("/gestion/editions"))
    expect(page.locator(".staff-nav a[href='/gestion/editions']")).to_be_visible()

    page.get_by_role("main").locator("a[href='/gestion/editions/nouvelle']").click()
    form = page.locator("#edition-form")
    form.locator("select[name=kind]").select_option("tour")
    form.locator("input[name=name]").fill("Tournée 2031")
    form.locator("input[name=slug]").fill("tournee-2031")
    form.locator("input[name=starts_on]").fill("2031-06-02")
    form.locator("input[name=ends_on]").fill("2031-10-24")
    form.locator("input[name=is_public]").check()
    form.locator("button[type=submit]").click()
    expect(page.locator("[data-state=public]")).to_be_visible()
    _fits_390(page)

    page.locator("#open-call").click()
    call_form = page.locator("#call-form")
    expect(call_form.locator("select[name=edition_id] option:checked")).to_have_text("Tournée 2031")
    call_form.locator("input[name=title]").fill("Appel 2031")
    call_form.locator("input[name=opens_at]").fill("2031-01-05T09:00")
    call_form.locator("input[name=closes_at]").fill("2031-03-31T12:00")
    call_form.locator("textarea[name=criteria_text]").fill("Ancrage | Roots\nProjet")
    call_form.locator("button[type=submit]").click()
    expect(page.locator("#criterion-list li")).to_have_count(2)

    edition_id = db.session.scalar(select(Edition.id).where(Edition.slug == "tournee-2031"))
    db.session.rollback()
    page.goto(live_server(f"/gestion/editions/{edition_id}"))
    expect(page.locator("#edition-calls")).to_contain_text("Appel 2031")
    page.locator("#add-stop").click()
    stop_form = page.locator("#new-stop-form")
    stop_form.locator("select[name=territory_id]").select_option(label="Pithiverais")
    stop_form.locator("input[name=commune_name]").press_sequentially("pithiv")
    stop_form.locator("button[data-insee='45252']").click()
    expect(stop_form.locator("input[name=commune_name]")).to_have_value("Pithiviers")
    stop_form.locator("input[name=venue_name]").fill("Salle des fêtes")
    stop_form.locator("input[name=day]").fill("2031-06-10")
    _fits_390(page)
    stop_form.locator("#save-stop").click()
    expect(page).to_have_url(re.compile(r"/etapes/\d+$"))

    stop = db.session.scalar(select(Stop))
    call = db.session.scalar(select(Call))
    assert (stop.city, stop.commune_insee, stop.venue_name, stop.edition_id) == (
        "Pithiviers",
        "45252",
        "Salle des fêtes",
        edition_id,
    )
    assert stop.starts_at.date() == date(2031, 6, 10)
    assert (call.title, call.edition_id, [c.label_fr for c in call.criteria]) == (
        "Appel 2031",
        edition_id,
        ["Ancrage", "Projet"],
    )
    db.session.rollback()
