"""On a phone, in a real browser: register to a full workshop, cancel, the next person
is offered the place. Checks database state, URLs and outbox rows, not wording."""

import re

from playwright.sync_api import Page, expect
from sqlalchemy import select

from coordination.extensions import db
from coordination.notifications.models import OutboxMessage
from coordination.participants import services
from coordination.participants.models import Registration, Seat, SeatStatus
from tests.participants.conftest import workshops_of

PHONE = {"width": 390, "height": 844}


def _register(page: Page, live_server, stop_id: int, workshop_id: int, n: int) -> None:
    page.goto(live_server(f"/etapes/{stop_id}/inscription"))
    form = page.locator("#registration-form")
    form.locator("input[name=first_name]").fill(f"Prénom{n}")
    form.locator("input[name=last_name]").fill(f"Nom{n}")
    form.locator("input[name=email]").fill(f"phone{n}@example.org")
    form.locator("input[name=company_name]").fill(f"Société {n}")
    form.locator("select[name=company_size]").select_option("small")
    form.locator("input[name=naf_code]").fill("25.62B")
    form.locator("input[name=commune]").fill("45252")
    form.locator(f"input[name=workshops][value='{workshop_id}']").check()
    form.locator("input[name=consent]").check()
    form.locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/inscriptions/[^/]+$"))


def _registration(n: int) -> Registration:
    db.session.expire_all()
    return db.session.scalar(
        select(Registration).where(Registration.email == f"phone{n}@example.org")
    )


def _messages(email: str) -> list[OutboxMessage]:
    return list(
        db.session.scalars(
            select(OutboxMessage).where(OutboxMessage.to_email == email).order_by(OutboxMessage.id)
        )
    )


def test_phone_register_wait_cancel_and_offer(committed, live_server, page: Page, stop, artifacts):
    workshop = workshops_of(stop)[0]
    workshop.capacity = 1
    stop_id, workshop_id = stop.id, workshop.id
    db.session.commit()  # for real, and the read transaction ends before the browser acts
    page.set_viewport_size(PHONE)

    # The first person takes the only place and gets an invitation.
    _register(page, live_server, stop_id, workshop_id, 1)
    first = _registration(1)
    assert page.url == live_server(f"/inscriptions/{services.make_token('registration', first.id)}")
    assert [(s.workshop_id, s.status) for s in first.seats] == [(workshop_id, "confirmed")]
    (confirmation,) = _messages("phone1@example.org")
    assert confirmation.template == "participants/confirmation"
    assert confirmation.calendar_method == "REQUEST"
    assert "METHOD:REQUEST" in confirmation.calendar_ics
    manage_link = re.search(r"https?://\S+/inscriptions/[\w.\-]+", confirmation.text_body)
    assert manage_link, confirmation.text_body
    manage_link = manage_link.group(0)
    assert manage_link == page.url
    db.session.commit()

    # The second person lands on the waiting list.
    _register(page, live_server, stop_id, workshop_id, 2)
    second = _registration(2)
    assert [s.status for s in second.seats] == [SeatStatus.WAITING]
    second_id, second_seat_id = second.id, second.seats[0].id
    page.screenshot(path=str(artifacts / "screenshots" / "participants-phone-390x844.png"))
    db.session.commit()

    # The first person opens the link of their email and cancels.
    page.goto(manage_link)
    expect(page.locator("#registration-status")).to_have_attribute("data-status", "registered")
    page.locator("#cancel-form button[type=submit]").click()
    # It asks first, in a dialog answered with the keyboard: focus starts on "keep".
    dialog = page.locator("dialog.confirm-dialog")
    expect(dialog).to_be_visible()
    expect(dialog.locator("button[value=no]")).to_be_focused()
    page.keyboard.press("Tab")
    expect(dialog.locator("button[value=yes]")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page).to_have_url(manage_link)
    expect(page.locator("#registration-status")).to_have_attribute("data-status", "cancelled")
    page.screenshot(
        path=str(artifacts / "screenshots" / "participants-phone-390x844-cancelled.png"),
        full_page=True,
    )

    first = _registration(1)
    assert first.cancelled_at is not None
    assert [s.status for s in first.seats] == [SeatStatus.CANCELLED]
    seat = db.session.get(Seat, second_seat_id)
    assert seat.registration_id == second_id and seat.status == SeatStatus.OFFERED
    assert [m.calendar_method for m in _messages("phone1@example.org")] == ["REQUEST", "CANCEL"]
    offers = [m for m in _messages("phone2@example.org") if m.template == "participants/offer"]
    assert len(offers) == 1
    assert services.make_token("offer", second_seat_id) in offers[0].text_body
    db.session.commit()
