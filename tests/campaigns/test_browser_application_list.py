"""The staff list of applications in a real browser: filter, sort, bookmark, bulk actions."""

from datetime import timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from coordination.auth.services import create_user
from coordination.campaigns import services
from coordination.campaigns.models import Application, Call, Edition, Review
from coordination.core.clock import utcnow
from coordination.core.text import search_key
from coordination.extensions import db
from coordination.territories.models import Territory

STAFF = "equipe@example.org"
PASSWORD = "correct horse battery"


@pytest.fixture
def listed_call(committed, live_server):
    from datetime import date

    now = utcnow()
    call = Call(
        edition=Edition(
            slug="tournee-liste",
            name="Tournée",
            starts_on=date(2027, 6, 1),
            ends_on=date(2027, 10, 1),
        ),
        title="Appel liste",
        description="Accueillir une étape",
        opens_at=now - timedelta(days=10),
        closes_at=now + timedelta(days=30),
    )
    db.session.add(call)
    for name, region in (("Amiénois", "32"), ("Béthunois", "32"), ("Castrais", "76")):
        territory = Territory(name=name, search_name=search_key(name), region_code=region)
        db.session.add(
            Application(
                call=call,
                territory=territory,
                status="submitted",
                form_data={},
                submitted_at=now - timedelta(days=1),
            )
        )
    create_user(STAFF, "Camille", ("staff",), password=PASSWORD)
    reviewer = create_user("relecteur@example.org", "Rémi Relecteur", ("reviewer",))
    db.session.flush()
    services.add_reviewer(call, reviewer, None)
    ids = {"call": call.id, "reviewer": reviewer.id}
    db.session.commit()
    db.session.remove()
    return ids


def _rows(page):
    return page.locator("#ranking tbody tr")


def test_filter_sort_bookmark_and_bulk_actions(page, live_server, listed_call):
    page.goto(live_server("/connexion"))
    page.locator("input[name=email]").first.fill(STAFF)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("input[name=password]").press("Enter")
    path = f"/appels/gestion/{listed_call['call']}/candidatures"
    page.goto(live_server(path))
    expect(_rows(page)).to_have_count(3)

    # Filter by région, then sort by territory the other way.
    page.locator(".list-filters select[name=region]").select_option("32")
    page.locator(".list-filters button[type=submit]").click()
    expect(_rows(page)).to_have_count(2)
    page.locator("th a[href*='sort=territory']").click()
    page.locator("th a[href*='sort=-territory']").click()
    expect(page.locator("th[aria-sort=descending]")).to_have_count(1)
    expect(_rows(page).first).to_contain_text("Béthunois")
    assert "region=32" in page.url and "sort=-territory" in page.url

    # The address is the list: a reload (or a bookmark) shows the same.
    page.reload()
    expect(_rows(page)).to_have_count(2)
    expect(_rows(page).first).to_contain_text("Béthunois")

    # Every row of the page to the reviewer, after the confirmation.
    page.locator("input.select-all").check()
    page.locator("#bulk select[name=action]").select_option("assign")
    page.locator("#bulk select[name=reviewer_id]").select_option(str(listed_call["reviewer"]))
    page.locator("#bulk button[type=submit]").click()
    page.locator("dialog.confirm-dialog button[value=yes]").click()
    expect(page.locator(".flash-success")).to_be_visible()
    assert "region=32" in page.url
    expect(_rows(page)).to_have_count(2)
    reviewed = db.session.scalars(
        select(Application.id).join(Review).where(Review.reviewer_id == listed_call["reviewer"])
    ).all()
    db.session.rollback()
    assert len(reviewed) == 2

    # One row accepted.
    _rows(page).first.locator("input.select-row").check()
    page.locator("#bulk select[name=action]").select_option("accepted")
    page.locator("#bulk button[type=submit]").click()
    page.locator("dialog.confirm-dialog button[value=yes]").click()
    expect(page.locator("#ranking")).to_contain_text("(")
    decisions = dict(
        db.session.execute(
            select(Territory.name, Application.decision).join(Application.territory)
        ).all()
    )
    db.session.rollback()
    assert decisions == {"Amiénois": None, "Béthunois": "accepted", "Castrais": None}
