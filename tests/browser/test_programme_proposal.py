"""A partner proposes an event into a week of innovation, staff publish it, and it
appears on its public stop page (real Chromium)."""

import re
from datetime import timedelta

from playwright.sync_api import Page, expect
from sqlalchemy import select

from coordination.auth.services import create_user
from coordination.campaigns.models import Edition, EditionKind
from coordination.clubs.models import PartnerOrganisation
from coordination.clubs.organisations import add_contact, organisation_key
from coordination.core.clock import to_local, utcnow
from coordination.extensions import db
from coordination.participants.models import Registration, SeatStatus
from coordination.programmes.models import EventCall, ProgrammeEvent

PASSWORD = "correct horse battery"


def _sign_in(page: Page, server, email: str) -> None:
    page.goto(server("/connexion"))
    form = page.locator("form:has(input[type=password])")
    form.locator("input[name=email]").fill(email)
    form.locator("input[type=password]").fill(PASSWORD)
    form.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(r".*/mes-taches$"))


def test_partner_proposes_staff_publish_public_sees(committed, live_server, page: Page):
    now = utcnow()
    first_day = to_local(now).date() + timedelta(days=30)
    create_user("equipe@example.org", "Camille Staff", ("staff",), password=PASSWORD)
    partner = create_user("karim@example.org", "Karim Partner", (), password=PASSWORD)
    cci = PartnerOrganisation(
        name="CCI test", search_name=organisation_key("CCI test"), kind="other", interests=[]
    )
    other = PartnerOrganisation(
        name="Université test",
        search_name=organisation_key("Université test"),
        kind="university",
        interests=[],
    )
    db.session.add_all([cci, other])
    db.session.flush()
    add_contact(cci, partner, now, is_approved=True)
    week = Edition(
        slug="semaine-test",
        kind=EditionKind.INNOVATION_WEEK,
        status="planned",
        name="Semaine de l'innovation test",
        starts_on=first_day,
        ends_on=first_day + timedelta(days=4),
    )
    db.session.add(week)
    db.session.flush()
    db.session.add(
        EventCall(
            edition_id=week.id,
            opens_at=now - timedelta(days=1),
            closes_at=now + timedelta(days=10),
            instructions="Proposez vos événements.",
        )
    )
    db.session.commit()
    week_id = week.id
    db.session.remove()

    # The partner proposes an event from "my events".
    _sign_in(page, live_server, "karim@example.org")
    page.goto(live_server("/partenaire/evenements"))
    page.locator(f"[data-propose='{week_id}']").click()
    form = page.locator("#event-form")
    form.locator("input[name=title]").fill("Portes ouvertes du fab lab")
    form.locator("select[name=format]").select_option("open_doors")
    form.locator("input[name=audience]").fill("Dirigeants de PME")
    form.locator("input[name=day]").fill((first_day + timedelta(days=1)).isoformat())
    form.locator("input[name=starts]").fill("14:00")
    form.locator("input[name=ends]").fill("17:00")
    form.locator("input[name=venue_name]").fill("Fab lab")
    form.locator("input[name=venue_address]").fill("2 place du Théâtre")
    form.locator("input[name=commune_name]").press_sequentially("arras")
    form.locator("button[data-insee='62041']").click()
    form.locator("input[name=capacity]").fill("25")
    form.locator("textarea[name=description]").fill("Démonstrations et visite.")
    page.locator("#organiser-filter").fill("univ")
    form.get_by_label("Université test").check()
    page.locator("#submit-event").click()
    expect(page.locator(".flash-success")).to_be_visible()
    expect(page.locator("#event-status")).to_have_text("Soumis")

    # Staff publish it from the edition's proposals.
    page.context.clear_cookies()
    _sign_in(page, live_server, "equipe@example.org")
    page.goto(live_server(f"/gestion/editions/{week_id}"))
    page.locator("#event-proposals").click()
    page.get_by_role("link", name="Portes ouvertes du fab lab").click()
    page.locator("#publish").click()
    expect(page.locator("#event-status")).to_have_text("Publié")
    event = db.session.scalar(select(ProgrammeEvent))
    assert {o.name for o in event.organisers} == {"CCI test", "Université test"}
    stop_id = event.stop_id
    db.session.remove()

    # Anyone sees it on its stop page.
    page.context.clear_cookies()
    page.goto(live_server(f"/etapes/{stop_id}"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Portes ouvertes du fab lab")
    expect(page.get_by_role("main")).to_contain_text("Arras")

    # A visitor on a phone finds it on the programme's map and registers.
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server("/programmes/semaine-test"))
    page.locator(f"#programme-map circle.stop-marker[data-stop-id='{stop_id}']").click()
    expect(page).to_have_url(live_server(f"/etapes/{stop_id}"))
    page.get_by_test_id("register").click()
    form = page.locator("#registration-form")
    form.locator("input[name=first_name]").fill("Alice")
    form.locator("input[name=last_name]").fill("Martin")
    form.locator("input[name=email]").fill("alice@example.org")
    form.locator("input[name=company_name]").fill("Usinage Martin")
    form.locator("select[name=company_size]").select_option("small")
    form.locator("input[name=naf_code]").fill("25.62B")
    form.locator("input[name=consent]").check()
    form.locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/inscriptions/[^/]+$"))

    # The organiser checks her in on the phone, from "my events".
    _sign_in(page, live_server, "karim@example.org")
    page.goto(live_server(f"/etapes/{stop_id}/participants"))
    visitor = page.locator("#participants li", has_text="Martin")
    visitor.get_by_role("button", name="Cocher présent").click()
    expect(visitor.get_by_role("button")).to_contain_text("Présent")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    db.session.expire_all()
    registration = db.session.scalar(
        select(Registration).where(Registration.email == "alice@example.org")
    )
    assert registration.stop_id == stop_id and registration.checked_in_at is not None
    assert [seat.status for seat in registration.seats] == [SeatStatus.CONFIRMED]
