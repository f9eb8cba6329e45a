"""From an empty database to a first invitation, in a real browser: `flask users create`,
the printed link, the accounts page, a reviewer invited. Nothing from the demo."""

import re

from playwright.sync_api import Page, expect
from sqlalchemy import func, select

from coordination.auth.models import User
from coordination.extensions import db
from coordination.notifications.models import OutboxMessage


def test_first_staff_account_invites_a_reviewer(app, committed, live_server, page: Page):
    assert db.session.scalar(select(func.count()).select_from(User)) == 0
    result = app.test_cli_runner().invoke(
        args=[
            "users",
            "create",
            "premiere@innovent-e.example",
            "--name",
            "Alix Première",
            "--role",
            "staff",
        ]
    )
    assert result.exit_code == 0, result.output
    # On SQLite an open transaction holds the write lock: end it before the server works.
    db.session.remove()
    url = result.output.strip().splitlines()[-1]
    assert url.startswith(live_server.url + "/connexion/lien/")

    page.goto(url)
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".flash-success")).to_be_visible()
    page.get_by_role("navigation", name="Équipe InnovENT-E").get_by_role(
        "link", name="Comptes"
    ).click()
    expect(page).to_have_url(live_server("/equipe/comptes"))
    expect(page.get_by_test_id("accounts")).to_contain_text("premiere@innovent-e.example")

    page.get_by_role("link", name="Inviter une personne").click()
    page.get_by_label("Adresse électronique").fill("relectrice@univ.example")
    page.get_by_label("Nom", exact=True).fill("Rose Relectrice")
    page.get_by_label("Relecteur").check()
    page.get_by_role("button", name="Envoyer l’invitation").click()
    expect(page.locator(".flash-success")).to_contain_text("relectrice@univ.example")
    expect(page.get_by_role("heading", level=1)).to_have_text("Rose Relectrice")

    page.get_by_role("link", name="Retour aux comptes").click()
    expect(page.get_by_test_id("accounts")).to_contain_text("relectrice@univ.example")
    page.goto(live_server("/equipe/comptes/journal"))
    expect(page.get_by_test_id("audit-log")).to_contain_text("ligne de commande")
    expect(page.get_by_test_id("audit-log")).to_contain_text("Invité par courriel")

    db.session.remove()
    message = db.session.scalar(
        select(OutboxMessage).where(OutboxMessage.to_email == "relectrice@univ.example")
    )
    assert message.template == "auth/invitation"
    assert re.search(re.escape(live_server.url) + r"/connexion/lien/\S+", message.text_body)
    db.session.remove()
    # At 390 px the accounts table scrolls inside its box, not the page.
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto(live_server("/equipe/comptes"))
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
