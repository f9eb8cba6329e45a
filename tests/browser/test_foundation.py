"""The foundation as a person meets it, in a real browser: language, sign-in, sign-out.

Headings are checked in English only (after switching): the French catalogue changes
often, so in French only the structure (lang attribute, URLs, elements) is checked.
"""

import re

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from coordination.core.clock import utcnow
from coordination.demo import DEMO_PASSWORD, load_demo_data
from coordination.extensions import db
from coordination.notifications.models import OutboxMessage

STAFF = "equipe@demo.innovent-e.fr"
PARTNER = "partenaire@demo.innovent-e.fr"


@pytest.fixture
def demo(committed, live_server):
    """The demo accounts and editions, committed for the server's own connections."""
    assert load_demo_data(utcnow())
    db.session.commit()
    return live_server


def _switch_to_english(page: Page) -> None:
    page.get_by_role("banner").locator("button[name=locale][value=en]").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")


def _sign_out_button(page: Page):
    return page.get_by_role("banner").locator("form[action='/deconnexion'] button")


def test_language_switch_sign_in_and_out(page: Page, demo, artifacts):
    page.goto(demo("/"))
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    # The demo's coming edition has an open call, listed on the home page.
    expect(page.get_by_role("main").locator("a[href^='/editions/']")).not_to_have_count(0)
    page.screenshot(path=str(artifacts / "home-fr-1280x800.png"), full_page=True)

    _switch_to_english(page)
    expect(page).to_have_url(demo("/"))
    expect(page.get_by_role("heading", name="Open calls for applications")).to_be_visible()
    page.screenshot(path=str(artifacts / "home-en-1280x800.png"), full_page=True)

    # Remembered on the next page.
    page.get_by_role("banner").get_by_role("link", name="Sign in").click()
    expect(page).to_have_url(demo("/connexion"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", name="Sign in", level=1)).to_be_visible()

    with_password = page.get_by_role("region", name="With a password")
    with_password.get_by_label("Email address").fill(STAFF)
    with_password.get_by_label("Password").fill(DEMO_PASSWORD)
    with_password.get_by_role("button", name="Sign in").click()

    # Signing in lands on "my tasks".
    expect(page).to_have_url(demo("/mes-taches"))
    nav = page.get_by_role("banner")
    # The language chosen before signing in is kept for the account.
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(nav.locator("a[href='/connexion']")).to_have_count(0)
    expect(_sign_out_button(page)).to_be_visible()
    expect(nav.get_by_role("link", name="Outbox")).to_be_visible()
    nav.get_by_role("link", name="Outbox").click()
    expect(page).to_have_url(demo("/equipe/courriels/"))
    expect(page.get_by_role("heading", level=1)).to_be_visible()

    page.get_by_role("banner").get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(demo("/"))
    expect(nav.get_by_role("link", name="Sign in")).to_be_visible()
    expect(nav.get_by_role("link", name="Outbox")).to_have_count(0)
    expect(_sign_out_button(page)).to_have_count(0)
    # Signed out for real: a staff page sends to the sign-in page.
    page.goto(demo("/equipe/courriels/"))
    expect(page).to_have_url(re.compile(re.escape(demo("/connexion")) + r"(\?.*)?$"))


def test_one_time_sign_in_link(page: Page, demo):
    page.goto(demo("/"))
    _switch_to_english(page)
    page.get_by_role("banner").get_by_role("link", name="Sign in").click()

    with_link = page.get_by_role("region", name="With a link by email")
    with_link.get_by_role("textbox").fill(PARTNER)
    with_link.get_by_role("button", name="Send me a link").click()
    expect(page).to_have_url(demo("/connexion/lien"))
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text(PARTNER)

    link = _newest_link_sent_to(PARTNER)
    assert link.startswith(demo("/connexion/lien/")), link

    # A GET only shows a button (mail scanners must not spend the link); the POST signs in.
    page.goto(link)
    expect(page.get_by_role("heading", name="Sign in", level=1)).to_be_visible()
    expect(_sign_out_button(page)).to_have_count(0)
    page.get_by_role("main").get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(demo("/mes-taches"))
    expect(_sign_out_button(page)).to_be_visible()
    expect(page.get_by_role("banner").locator("a[href='/equipe/courriels/']")).to_have_count(0)
    page.goto(demo("/profil"))
    expect(page).to_have_url(demo("/profil"))
    expect(page.get_by_role("main")).to_contain_text(PARTNER)

    _sign_out_button(page).click()
    expect(page).to_have_url(demo("/"))
    expect(page.locator("html")).to_have_attribute("lang", "en")

    # The same link a second time no longer works.
    page.goto(link)
    expect(page.get_by_role("heading", name="This link no longer works")).to_be_visible()
    expect(page.get_by_role("main").get_by_role("button", name="Sign in")).to_have_count(0)
    expect(_sign_out_button(page)).to_have_count(0)


def _newest_link_sent_to(email: str) -> str:
    message = db.session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.to_email == email)
        .order_by(OutboxMessage.id.desc())
        .limit(1)
    ).first()
    body = message.text_body if message is not None else None
    db.session.rollback()  # end the read: on SQLite it would block the server's writes
    assert body is not None, f"no message queued for {email}"
    found = re.search(r"https?://\S+/connexion/lien/[A-Za-z0-9_-]+", body)
    assert found, body
    return found.group(0)
