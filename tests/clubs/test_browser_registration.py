"""Partner registration end to end in a real browser: request, confirmation link from the
outbox, staff approval, welcome email. Headings are checked in English (after switching)."""

import re

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from coordination.auth.services import create_user
from coordination.clubs.models import Club, Membership
from coordination.core.text import search_key
from coordination.extensions import db
from coordination.notifications.models import OutboxMessage
from coordination.territories.models import Epci, Territory

PASSWORD = "correct horse battery"


@pytest.fixture
def club_and_staff(committed, live_server):
    territory = Territory(
        name="Saint-Quentinois",
        search_name=search_key("Saint-Quentinois"),
        region_code="32",
        epcis=list(db.session.scalars(select(Epci).where(Epci.siren == "200071892"))),
    )
    club = Club(
        slug="club-saint-quentin",
        name="Club territorial Saint-Quentin",
        is_open=True,
        territories=[territory],
    )
    db.session.add(club)
    create_user("equipe@example.org", "Camille Staff", ("staff",), password=PASSWORD)
    db.session.commit()
    return live_server


def _read(query):
    """Read with a fresh session and end it at once: on SQLite an open transaction holds
    the write lock the server needs."""
    db.session.remove()
    try:
        return [tuple(row) for row in db.session.execute(query)]
    finally:
        db.session.remove()


def _messages(template: str) -> list[tuple[str, str]]:
    return _read(
        select(OutboxMessage.to_email, OutboxMessage.text_body).where(
            OutboxMessage.template == template
        )
    )


def test_partner_registers_confirms_and_is_approved(page: Page, club_and_staff):
    server = club_and_staff
    page.goto(server("/clubs/"))
    page.get_by_role("banner").locator("button[name=locale][value=en]").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.get_by_test_id("register-link").click()
    expect(page).to_have_url(server("/clubs/inscription"))

    page.get_by_label("Organisation name").fill("Université de Picardie Jules Verne")
    page.get_by_label("Kind of organisation").select_option("university")
    page.get_by_label("SIRET number (optional)").fill("800 000 002 00017")
    page.get_by_label("Région", exact=True).select_option("32")
    page.get_by_label("Your name").fill("Claire Dubois")
    page.get_by_label("Your email address").fill("claire.dubois@example.org")
    page.get_by_label("Find clubs by territory, city or département").fill("Saint-Quentin")
    page.get_by_role("button", name="Search the clubs").click()
    expect(page.get_by_label("Organisation name")).to_have_value(
        "Université de Picardie Jules Verne"
    )
    page.get_by_label(re.compile("Club territorial Saint-Quentin")).check()
    page.get_by_label("Innovation", exact=True).check()
    page.get_by_label("I agree that my data is used as described above.").check()
    page.get_by_role("button", name="Send my request").click()

    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()
    [(_, confirmation)] = _messages("clubs/confirm_registration")
    link = re.search(r"http://\S+/clubs/inscription/confirmer/\S+", confirmation)
    page.goto(link.group(0))
    page.get_by_test_id("confirm-registration").click()
    expect(page.get_by_role("heading", name="Your request is sent")).to_be_visible()
    expect(page.locator("#requested-clubs li")).to_have_count(1)

    page.goto(server("/connexion"))
    with_password = page.get_by_role("region", name="With a password")
    with_password.get_by_label("Email address").fill("equipe@example.org")
    with_password.get_by_label("Password").fill(PASSWORD)
    with_password.get_by_role("button", name="Sign in").click()
    page.get_by_role("banner").locator("a[href='/clubs/demandes']").click()
    [(membership_id, status)] = _read(select(Membership.id, Membership.status))
    assert status == "pending"
    page.get_by_test_id(f"approve-{membership_id}").click()
    # The organisation is told by email: it asks first, focus on "not yet".
    dialog = page.locator("dialog.confirm-dialog")
    expect(dialog.locator("button[value=no]")).to_be_focused()
    dialog.locator("button[value=yes]").click()
    expect(page.locator(f"[data-membership-id='{membership_id}']")).to_have_count(0)

    [(to_email, welcome)] = _messages("clubs/membership_approved")
    assert to_email == "claire.dubois@example.org"
    assert server("/clubs/club-saint-quentin") in welcome
    assert _read(select(Membership.status)) == [("approved",)]
