"""The applicant's journey in a real browser: link, draft, leave, come back, upload, submit.

Only structure, ids, URLs and the database are checked (pages are in French by default).
"""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from coordination.auth.services import create_user
from coordination.campaigns.models import Application, Call, Edition
from coordination.core.clock import utcnow
from coordination.core.text import search_key
from coordination.extensions import db
from coordination.notifications.models import OutboxMessage
from coordination.territories.models import Territory
from tests.campaigns.conftest import PDF

CONTACT = "sandrine@coquelicot.example"
STAFF = "equipe@example.org"
PASSWORD = "correct horse battery"


@pytest.fixture
def open_call(committed, live_server):
    from datetime import date

    now = utcnow()
    call = Call(
        edition=Edition(
            slug="tournee-browser",
            name="Tournée",
            starts_on=date(2027, 6, 1),
            ends_on=date(2027, 10, 1),
        ),
        title="Appel navigateur",
        description="Accueillir une étape",
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=30),
    )
    db.session.add(call)
    db.session.add(
        Territory(
            name="Pays du Coquelicot",
            search_name=search_key("Pays du Coquelicot"),
            region_code="32",
        )
    )
    create_user(STAFF, "Camille", ("staff",), password=PASSWORD)
    call_id = call.id
    # Commit and end the session: on SQLite an open transaction would block the server.
    db.session.commit()
    db.session.remove()
    return call_id


def _newest_link(email: str) -> str:
    body = db.session.scalars(
        select(OutboxMessage.text_body)
        .where(OutboxMessage.to_email == email, OutboxMessage.template == "auth/login_link")
        .order_by(OutboxMessage.id.desc())
        .limit(1)
    ).first()
    db.session.rollback()  # end the read: on SQLite it would block the server's writes
    assert body is not None
    return re.search(r"https?://\S+/connexion/lien/[A-Za-z0-9_-]+", body).group(0)


def _ask_link_and_sign_in(page: Page, server, call_id: int) -> None:
    page.goto(server(f"/appels/{call_id}"))
    page.locator("#access-form input[name=email]").fill(CONTACT)
    page.locator("#access-form button[type=submit]").click()
    expect(page.locator("#link-sent")).to_be_visible()
    page.goto(_newest_link(CONTACT))
    page.get_by_role("main").locator("button[type=submit]").click()
    expect(page).to_have_url(server(f"/appels/{call_id}/candidature"))


def test_contact_drafts_leaves_returns_uploads_submits_and_staff_sees_it(
    page: Page,
    open_call,
    live_server,
):
    call_id = open_call
    _ask_link_and_sign_in(page, live_server, call_id)
    form = page.locator("#application-form")
    form.locator("select[name=territory_id]").select_option(
        label="Pays du Coquelicot (Hauts-de-France)"
    )
    form.locator("input[name='contacts-0-name']").fill("Sandrine Petit")
    form.locator("input[name='contacts-0-email']").fill(CONTACT)
    form.locator("input[name=host_city]").fill("Albert")
    form.locator("input[name=venue]").fill("Halle Marcel Dassault")
    form.locator("input[name='availability-0-start']").fill("2027-09-14")
    form.locator("input[name='availability-0-end']").fill("2027-09-18")
    # "Add another" rows, in place: a second contact and window; a third contact removed.
    page.locator("#add-contact").click()
    form.locator("input[name='contacts-1-name']").fill("Marc Durand")
    form.locator("input[name='contacts-1-email']").fill("marc@coquelicot.example")
    page.locator("#add-contact").click()
    form.locator("input[name='contacts-2-name']").fill("À enlever")
    form.locator("button[value='remove-contacts-2']").click()
    expect(form.locator("input[name='contacts-2-name']")).to_have_count(0)
    expect(form.locator("[data-rows=contacts] [data-row]")).to_have_count(2)
    page.locator("#add-window").click()
    form.locator("input[name='availability-1-start']").fill("2027-10-05")
    form.locator("input[name='availability-1-end']").fill("2027-10-08")
    form.locator("input[name=themes][value=innovation]").check()
    form.locator("textarea[name=partners]").fill("Université de Picardie")
    form.locator("input[name=expected_smes]").fill("40")
    form.locator("textarea[name=motivation]").fill("Le pôle aéronautique")
    # Saved as typed: the autosave answers and the status line says so.
    expect(page.locator("#save-status")).to_contain_text(re.compile(r"\d{1,2}\s?h\s?\d\d"))

    # Leave (sign out) and come back through a new link: the draft is there.
    page.get_by_role("banner").locator("form[action='/deconnexion'] button").click()
    _ask_link_and_sign_in(page, live_server, call_id)
    expect(form.locator("input[name=venue]")).to_have_value("Halle Marcel Dassault")
    expect(form.locator("textarea[name=motivation]")).to_have_value("Le pôle aéronautique")
    expect(form.locator("input[name='contacts-1-name']")).to_have_value("Marc Durand")
    expect(form.locator("input[name='availability-1-end']")).to_have_value("2027-10-08")

    form.locator("input[name=files]").set_input_files(
        files=[{"name": "dossier.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    page.locator("#submit-application").click()
    expect(page).to_have_url(re.compile(r"/appels/candidatures/\d+$"))
    expect(page.locator("#status [data-status=submitted]")).to_be_visible()
    expect(page.locator("#files")).to_contain_text("dossier.pdf")

    application = db.session.scalar(select(Application).where(Application.call_id == call_id))
    assert application.status == "submitted"
    assert [f.original_name for f in application.files] == ["dossier.pdf"]
    assert [c["name"] for c in application.rows("contacts", ("name",))] == [
        "Sandrine Petit",
        "Marc Durand",
    ]
    assert application.rows("availability", ("start", "end")) == [
        {"start": "2027-09-14", "end": "2027-09-18"},
        {"start": "2027-10-05", "end": "2027-10-08"},
    ]
    db.session.rollback()

    # Staff sees it in the call's applications.
    page.get_by_role("banner").locator("form[action='/deconnexion'] button").click()
    page.goto(live_server("/connexion"))
    page.locator("input[name=email]").first.fill(STAFF)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("input[name=password]").press("Enter")
    page.goto(live_server(f"/appels/gestion/{call_id}/candidatures"))
    expect(page.locator("#ranking")).to_contain_text("Pays du Coquelicot")
