"""In a real browser: staff write to the participants of one workshop of a stop —
preview, count, list, confirmation dialog, send — and one outbox row per person appears."""

import re

from playwright.sync_api import Page, expect
from sqlalchemy import select

from coordination.extensions import db
from coordination.notifications.models import GroupMessage, OutboxMessage
from tests.participants.conftest import workshops_of


def test_staff_write_to_a_stops_participants(
    committed, live_server, page: Page, stop, register, staff, artifacts
):
    first, second = workshops_of(stop)
    register(stop, 1, workshops=[first])
    register(stop, 2, workshops=[first, second])
    register(stop, 3, workshops=[second])
    stop_id, first_id, email = stop.id, first.id, staff.email
    db.session.commit()  # for real, and the read transaction ends before the browser acts

    page.goto(live_server("/connexion"))
    form = page.locator("form:has(input[type=password])")
    form.locator("input[name=email]").fill(email)
    form.locator("input[type=password]").fill("correct horse battery")
    form.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(r".*/mes-taches$"))

    page.goto(live_server(f"/etapes/{stop_id}"))
    page.get_by_test_id("write-to-participants").click()
    expect(page).to_have_url(re.compile(r"/equipe/courriels/groupes/nouveau\?group=stop"))
    page.locator("select[name=workshop_id]").select_option(str(first_id))
    page.locator("input[name=subject]").fill("Parking")
    page.locator("textarea[name=body]").fill("Le parking est rue Haute.\n\nÀ bientôt.")
    page.locator("#group-preview").click()

    expect(page.locator("#group-count")).to_have_attribute("data-count", "2")
    expect(page.locator("#group-rendered")).to_contain_text("Le parking est rue Haute.")
    page.locator("#group-list summary").click()
    expect(page.locator("#group-list")).to_contain_text("p1@example.org")
    expect(page.locator("#group-list")).not_to_contain_text("p3@example.org")
    db.session.expire_all()
    assert db.session.scalar(select(GroupMessage)) is None  # the preview sent nothing
    db.session.commit()
    page.screenshot(path=str(artifacts / "screenshots" / "group-message-preview.png"))

    page.locator("#group-send").click()
    dialog = page.locator("dialog.confirm-dialog")
    expect(dialog).to_be_visible()
    dialog.locator("button[value=yes]").click()
    expect(page).to_have_url(re.compile(r"/equipe/courriels/groupes$"))
    expect(page.locator("#group-messages")).to_contain_text("Parking")

    db.session.expire_all()
    message = db.session.scalar(select(GroupMessage))
    assert message.recipient_count == 2 and message.group_params["workshop_id"] == first_id
    rows = db.session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.template == "notifications/group")
        .order_by(OutboxMessage.to_email)
    ).all()
    assert [r.to_email for r in rows] == ["p1@example.org", "p2@example.org"]
    assert all(r.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click" for r in rows)
