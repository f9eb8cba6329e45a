"""In a real browser: staff reword the acceptance letter, preview it, save, go back to default."""

import re

from playwright.sync_api import Page, expect
from sqlalchemy import select

from coordination.auth.services import find_user_by_email
from coordination.campaigns.models import Edition, EditionStatus
from coordination.core.clock import utcnow
from coordination.demo import load_demo_data
from coordination.extensions import db
from coordination.notifications.models import MessageTemplate
from tests.browser.test_layout import _axe_violations, _sign_in

PHONE = {"width": 390, "height": 844}


def _saved(locale: str) -> str | None:
    """The saved English subject, read in a transaction that ends before the browser acts."""
    db.session.expire_all()
    subject = db.session.scalar(
        select(MessageTemplate.subject).where(
            MessageTemplate.kind == "calendar/invitation", MessageTemplate.locale == locale
        )
    )
    db.session.rollback()
    return subject


def test_staff_edit_a_wording_see_the_preview_and_return_to_default(
    committed, live_server, page: Page
):
    assert load_demo_data(utcnow())
    edition = db.session.scalar(select(Edition).where(Edition.status == EditionStatus.PLANNED))
    edition_id = edition.id
    assert find_user_by_email("equipe@demo.innovent-e.fr") is not None
    db.session.commit()
    page.set_viewport_size(PHONE)
    _sign_in(page, live_server, "equipe@demo.innovent-e.fr")

    page.goto(live_server(f"/gestion/editions/{edition_id}"))
    page.locator("#edit-wordings").click()
    page.locator("tr[data-kind='calendar/invitation'] a").last.click()  # English
    expect(page).to_have_url(re.compile(r"/textes/calendar--invitation/en$"))
    expect(page.locator("#wording-variables")).to_contain_text("{yes_url}")

    form = page.locator("#wording-form")
    form.locator("input[name=subject]").fill("Join us: {event}")
    form.locator("textarea[name=body]").fill(
        "{greeting}\n\nSee you {when} at {place}.\n\n{yes_url}"
    )
    form.locator("button[value=save]").click()
    # An unknown variable: shown before saving, what was typed is kept.
    expect(page.locator("#wording-problems")).to_contain_text("{place}")
    expect(form.locator("textarea[name=body]")).to_have_value(re.compile(r"at \{place\}"))
    assert _saved("en") is None

    form.locator("textarea[name=body]").fill(
        "{greeting}\n\nSee you {when} at {where}.\n\n{yes_url}"
    )
    form.locator("button[value=preview]").click()
    english = page.locator("#preview-en")
    expect(english).to_contain_text("Join us: Tournée de l'innovation — ")
    expect(english).to_contain_text("See you ")
    expect(english).to_contain_text("/calendrier/reponse/")
    expect(page.locator("#preview-fr")).to_contain_text("Invitation")  # French: the default
    assert _saved("en") is None
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert _axe_violations(page) == []

    page.locator("#wording-form button[value=save]").click()
    expect(page.locator("#wording-reset")).to_be_visible()
    assert _saved("en") == "Join us: {event}"

    page.locator("#wording-reset").click()
    page.locator("dialog.confirm-dialog button[value=yes]").click()
    expect(page.locator("#wording-reset")).to_have_count(0)
    assert _saved("en") is None
