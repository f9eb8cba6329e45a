"""A new operator, from an empty database, reaches a running edition through the web
interface alone after one `flask users create`: a territory, an edition, its call open,
a reviewer invited and a first stop planned (real Chromium, nothing from the demo)."""

import re

from playwright.sync_api import Page, expect
from sqlalchemy import func, select

from coordination.auth.models import User
from coordination.campaigns.models import Call, Edition
from coordination.extensions import db
from coordination.notifications.models import OutboxMessage
from coordination.stops.models import Stop
from coordination.territories.models import Territory


def test_empty_install_to_a_running_edition(app, committed, live_server, page: Page):
    assert db.session.scalar(select(func.count()).select_from(User)) == 0
    result = app.test_cli_runner().invoke(
        args=["users", "create", "operateur@innovent-e.example", "--name", "Camille Martin"]
        + ["--role", "staff"]
    )
    assert result.exit_code == 0, result.output
    db.session.remove()  # SQLite: end the read before the server writes
    page.goto(result.output.strip().splitlines()[-1])
    page.get_by_role("main").locator("button[type=submit]").click()
    expect(page.locator(".flash-success")).to_be_visible()

    # A territory by hand: the CC du Pithiverais (SIREN 200066280).
    page.goto(live_server("/territoires/nouveau"))
    page.locator("input[name=name]").fill("Pithiverais")
    page.locator("select[name=region_code]").select_option("24")
    page.locator("#epci_sirens-search").press_sequentially("200066280")
    page.get_by_role("button", name="Ajouter").first.click()
    page.get_by_role("main").locator("button[type=submit]").click()
    expect(page.locator(".flash-success")).to_contain_text("Pithiverais")

    # An edition, public, and its call.
    page.goto(live_server("/gestion/editions/nouvelle"))
    form = page.locator("#edition-form")
    form.locator("select[name=kind]").select_option("tour")
    form.locator("input[name=name]").fill("Tournée 2031")
    form.locator("input[name=slug]").fill("tournee-2031")
    form.locator("input[name=starts_on]").fill("2031-06-02")
    form.locator("input[name=ends_on]").fill("2031-10-24")
    form.locator("input[name=is_public]").check()
    form.locator("button[type=submit]").click()
    expect(page.locator("[data-state=public]")).to_be_visible()
    page.locator("#open-call").click()
    call_form = page.locator("#call-form")
    call_form.locator("input[name=title]").fill("Appel 2031")
    call_form.locator("input[name=opens_at]").fill("2031-01-05T09:00")
    call_form.locator("input[name=closes_at]").fill("2031-03-31T12:00")
    call_form.locator("textarea[name=criteria_text]").fill("Ancrage | Roots\nProjet")
    call_form.locator("button[type=submit]").click()
    expect(page.locator("#criterion-list li")).to_have_count(2)

    # A reviewer invited from the accounts page.
    page.goto(live_server("/equipe/comptes"))
    page.get_by_role("link", name="Inviter une personne").click()
    page.get_by_label("Adresse électronique").fill("relectrice@univ.example")
    page.get_by_label("Nom", exact=True).fill("Rose Relectrice")
    page.get_by_label("Relecteur").check()
    page.get_by_role("button", name="Envoyer l’invitation").click()
    expect(page.locator(".flash-success")).to_contain_text("relectrice@univ.example")

    # The first stop, by hand, with the commune search.
    edition_id = db.session.scalar(select(Edition.id).where(Edition.slug == "tournee-2031"))
    db.session.rollback()
    page.goto(live_server(f"/gestion/editions/{edition_id}"))
    page.locator("#add-stop").click()
    stop_form = page.locator("#new-stop-form")
    stop_form.locator("select[name=territory_id]").select_option(label="Pithiverais")
    stop_form.locator("input[name=commune_name]").press_sequentially("pithiv")
    stop_form.locator("button[data-insee='45252']").click()
    stop_form.locator("input[name=venue_name]").fill("Salle des fêtes")
    stop_form.locator("input[name=day]").fill("2031-06-10")
    stop_form.locator("#save-stop").click()
    expect(page).to_have_url(re.compile(r"/etapes/\d+$"))

    territory = db.session.scalar(select(Territory))
    stop = db.session.scalar(select(Stop))
    call = db.session.scalar(select(Call))
    invitation = db.session.scalar(
        select(OutboxMessage).where(OutboxMessage.to_email == "relectrice@univ.example")
    )
    reviewer = db.session.scalar(select(User).where(User.email == "relectrice@univ.example"))
    assert (territory.name, territory.region_code) == ("Pithiverais", "24")
    assert (call.edition_id, call.title) == (edition_id, "Appel 2031")
    assert (stop.edition_id, stop.territory_id, stop.commune_insee, stop.city) == (
        edition_id,
        territory.id,
        "45252",
        "Pithiviers",
    )
    assert reviewer.roles == {"reviewer"}
    assert invitation.template == "auth/invitation"
    db.session.rollback()
