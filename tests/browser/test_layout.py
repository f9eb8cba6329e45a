"""Every role's main pages in a real browser, on a phone (390 px) and a desk (1366 px).

On each page: the document is no wider than the viewport (nothing scrolls sideways),
the console shows no error (CSP refusals included), and axe-core finds no violation of
impact serious or critical. A screenshot of each page is kept under
test-artifacts/screenshots/layout/.
"""

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from coordination.auth.models import User
from coordination.campaigns.models import (
    Application,
    Call,
    Edition,
    EditionKind,
    EditionStatus,
    Review,
)
from coordination.clubs.models import Club
from coordination.core.clock import utcnow
from coordination.demo import DEMO_PASSWORD, load_demo_data
from coordination.extensions import db
from coordination.notifications.models import OutboxMessage
from coordination.notifications.preferences import unsubscribe_token
from coordination.programmes.models import ProgrammeEvent
from coordination.stops.models import Stop

from .fixtures import SCREENSHOTS

AXE = Path(__file__).parent / "vendor" / "axe-core-4.10.3" / "axe.min.js"
LAYOUT_SHOTS = SCREENSHOTS / "layout"
PHONE = {"width": 390, "height": 844}
DESK = {"width": 1366, "height": 768}
#: README_SCREENSHOTS=1 refreshes the README's pictures from this test: (role, path, width).
README_SHOTS = {
    ("anonymous", "/", "1366"): "screenshot-home.png",
    ("anonymous", "/", "390"): "screenshot-home-phone.png",
    ("staff", "/equipe/tableau-de-bord", "1366"): "screenshot-dashboard.png",
    ("staff", "/equipe/tableau-de-bord", "390"): "screenshot-dashboard-phone.png",
    ("staff", "/mes-taches", "1366"): "screenshot-tasks.png",
    ("partner", "/mes-taches", "390"): "screenshot-tasks-phone.png",
    ("anonymous", "/programmes/semaine-innovation-hdf", "390"): "screenshot-programme-phone.png",
}
DOCS = Path(__file__).resolve().parents[2] / "docs"
ACCOUNTS = {
    "staff": "equipe@demo.innovent-e.fr",
    "reviewer": "relecteur@demo.innovent-e.fr",
    "territory": "territoire@demo.innovent-e.fr",
    "partner": "partenaire@demo.innovent-e.fr",
}


def demo_ids() -> dict:
    """The ids the pages need, read from the demo data just loaded."""
    # The coming public edition (the demo also prepares a draft of the one after it).
    coming = db.session.scalars(
        select(Edition)
        .where(Edition.status == EditionStatus.PLANNED, Edition.kind == EditionKind.TOUR)
        .order_by(Edition.starts_on.desc())
    ).first()
    forum = db.session.scalars(
        select(Stop).join(Edition).where(Edition.kind == EditionKind.FORUM).order_by(Stop.id)
    ).first()
    call = db.session.scalars(select(Call).where(Call.edition_id == coming.id)).first()
    stop = db.session.scalars(select(Stop).order_by(Stop.starts_at)).first()
    club = db.session.scalars(select(Club).order_by(Club.id)).first()
    application = db.session.scalars(select(Application).order_by(Application.id)).first()
    review = db.session.scalars(select(Review).order_by(Review.id)).first()
    message = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).first()
    partner = db.session.scalar(select(User).where(User.email == ACCOUNTS["partner"]))
    events = {
        e.status: e
        for e in db.session.scalars(select(ProgrammeEvent).order_by(ProgrammeEvent.id.desc()))
    }
    partner_events = {
        e.status: e
        for e in db.session.scalars(select(ProgrammeEvent).order_by(ProgrammeEvent.id.desc()))
        if e.created_by_id == partner.id
    }
    # The demo's week of innovation and one of its published events.
    programme = db.session.scalars(
        select(Edition).where(Edition.kind == EditionKind.INNOVATION_WEEK)
    ).first()
    return {
        "programme": programme.slug,
        "programme_event": events["published"].stop_id,
        "slug": coming.slug,
        "edition": coming.id,
        "stop_slug": stop.edition.slug,
        "call": call.id,
        "stop": stop.id,
        "club": club.slug,
        "application": application.id if application else None,
        "review": review.id if review else None,
        "message": message.id if message else None,
        "partner": partner.id,
        "unsubscribe": unsubscribe_token("p1@example.org"),
        "week": events["published"].edition_id,
        "event": events["published"].id,
        "submitted_event": events["submitted"].id,
        "partner_draft": partner_events["draft"].id,
        "partner_returned": partner_events["returned"].id,
        "partner_published": partner_events["published"].id,
        "forum": forum.id,
    }


@pytest.fixture
def demo(committed, live_server):
    """The demo data, committed, and the ids the pages need."""
    assert load_demo_data(utcnow())
    db.session.flush()
    ids = demo_ids()
    db.session.commit()
    return live_server, ids


def _pages(role: str, ids: dict) -> list[str]:
    public = [
        "/",
        "/editions",
        f"/editions/{ids['slug']}",
        "/appels",
        f"/appels/{ids['call']}",
        "/etapes",
        f"/etapes/{ids['stop']}",
        f"/etapes/{ids['stop']}/inscription",
        "/clubs/",
        f"/clubs/{ids['club']}",
        "/clubs/inscription",
        "/credits",
        f"/courriels/desabonnement/{ids['unsubscribe']}",
        f"/programmes/{ids['programme']}",
        f"/programmes/{ids['programme']}?group=city",
        f"/etapes/{ids['programme_event']}",
        f"/etapes/{ids['programme_event']}/inscription",
        f"/forums/{ids['forum']}/programme",
        f"/etapes/{ids['forum']}",
        f"/etapes/{ids['forum']}/inscription",
    ]
    signed_in = ["/mes-taches", "/calendrier/", "/profil"]
    pages = {
        "anonymous": [*public, "/connexion"],
        "staff": [
            "/equipe/tableau-de-bord",
            "/territoires",
            "/appels/gestion",
            f"/appels/gestion/{ids['call']}/candidatures",
            f"/appels/gestion/{ids['call']}/candidatures?status=submitted&sort=-score",
            "/equipe/recherche?q=demo",
            "/clubs/demandes",
            "/equipe/partenaires/",
            "/equipe/partenaires/?sort=-region",
            f"/clubs/{ids['club']}/adhesions",
            "/equipe/comptes?sort=-signed_in",
            "/etapes/planning",
            f"/etapes/planning/{ids['stop_slug']}",
            f"/etapes/planning/{ids['stop_slug']}/calendrier",
            f"/etapes/planning/{ids['stop_slug']}/frise",
            f"/etapes/planification/{ids['slug']}",
            f"/etapes/{ids['stop']}",
            f"/etapes/{ids['stop']}/modifier",
            f"/etapes/{ids['stop']}/participants",
            f"/etapes/{ids['stop']}/participants/emargement",
            f"/etapes/{ids['stop']}/participants/tableau?sort=-present",
            f"/etapes/{ids['forum']}/modifier",
            f"/etapes/{ids['forum']}/participants",
            "/observatoire",
            "/equipe/courriels/",
            f"/equipe/courriels/agenda/{ids['slug']}",
            *([f"/equipe/courriels/{ids['message']}"] if ids["message"] else []),
            f"/equipe/courriels/editions/{ids['edition']}/textes",
            f"/equipe/courriels/editions/{ids['edition']}/textes/campaigns--decision_accepted/fr",
            f"/equipe/courriels/editions/{ids['edition']}/textes/clubs--meeting_invitation/fr",
            "/equipe/courriels/groupes",
            f"/equipe/courriels/groupes/nouveau?group=stop:{ids['stop']}",
            f"/equipe/comptes/{ids['partner']}",
            f"/gestion/editions/{ids['week']}",
            f"/gestion/editions/{ids['week']}/appel-evenements",
            f"/gestion/editions/{ids['week']}/evenements",
            f"/gestion/editions/{ids['week']}/evenements?status=published&sort=-commune",
            f"/gestion/evenements/{ids['event']}",
            f"/gestion/evenements/{ids['submitted_event']}",
            f"/equipe/programmes/{ids['programme']}/chiffres",
            *signed_in,
        ],
        "reviewer": [
            "/appels/relectures",
            *([f"/appels/relectures/{ids['review']}"] if ids["review"] else []),
            *signed_in,
        ],
        "territory": [
            "/appels/mes-candidatures",
            *([f"/appels/candidatures/{ids['application']}"] if ids["application"] else []),
            f"/appels/{ids['call']}",
            "/observatoire",
            *signed_in,
        ],
        "partner": [
            "/partenaire/",
            f"/clubs/{ids['club']}",
            "/observatoire",
            "/partenaire/evenements",
            f"/partenaire/evenements/proposer/{ids['week']}",
            f"/partenaire/evenements/{ids['partner_draft']}",
            f"/partenaire/evenements/{ids['partner_returned']}",
            f"/partenaire/evenements/{ids['partner_published']}",
            *signed_in,
        ],
    }
    return pages[role]


def _sign_in(page: Page, server, email: str) -> None:
    page.goto(server("/connexion"))
    form = page.locator("form:has(input[type=password])")
    form.locator("input[name=email]").fill(email)
    form.locator("input[type=password]").fill(DEMO_PASSWORD)
    form.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(r".*/mes-taches$"))


def _widest(page: Page) -> str:
    """The deepest elements reaching past the viewport's right edge, to say what to fix."""
    return page.evaluate(
        """() => {
          const w = document.documentElement.clientWidth, out = [];
          for (const el of document.body.querySelectorAll('*')) {
            const r = el.getBoundingClientRect();
            const past = c => c.getBoundingClientRect().right > w + 1;
            if (r.right > w + 1 && ![...el.children].some(past)) {
              const cls = typeof el.className === 'string' && el.className
                ? '.' + el.className.split(' ').join('.') : '';
              out.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + cls +
                ' ' + Math.round(r.right));
            }
          }
          return out.slice(0, 4).join(', ');
        }"""
    )


def _axe_violations(page: Page) -> list[str]:
    """Serious and critical axe-core violations on the page, one line each."""
    # Evaluated through the DevTools protocol, so the page's CSP does not refuse it.
    page.evaluate(AXE.read_text(encoding="utf-8") + "\n;0")
    result = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
        ".filter(v => v.impact === 'serious' || v.impact === 'critical')"
        ".map(v => v.id + ': ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | '))"
    )
    return result


@pytest.mark.parametrize("role", ["anonymous", "staff", "reviewer", "territory", "partner"])
def test_pages_fit_phone_and_desk_without_errors(browser, demo, role):
    server, ids = demo
    problems: list[str] = []
    LAYOUT_SHOTS.mkdir(parents=True, exist_ok=True)
    for label, viewport in (("390", PHONE), ("1366", DESK)):
        context = browser.new_context(viewport=viewport, locale="fr-FR")
        context.set_default_timeout(15_000)
        page = context.new_page()
        errors: list[str] = []
        page.on("console", lambda m, seen=errors: m.type == "error" and seen.append(m.text))
        page.on("pageerror", lambda e, seen=errors: seen.append(str(e)))
        try:
            if role != "anonymous":
                _sign_in(page, server, ACCOUNTS[role])
            for path in _pages(role, ids):
                errors.clear()
                response = page.goto(server(path))
                page.wait_for_load_state("load")
                where = f"{role} {label}px {path}"
                if response is None or response.status != 200:
                    problems.append(f"{where}: status {response and response.status}")
                    continue
                width = page.evaluate("document.documentElement.scrollWidth")
                if width > viewport["width"]:
                    problems.append(f"{where}: {width}px wide, {_widest(page)}")
                problems.extend(f"{where}: console: {e}" for e in errors)
                problems.extend(f"{where}: axe {v}" for v in _axe_violations(page))
                name = re.sub(r"[^A-Za-z0-9]+", "-", path).strip("-") or "home"
                page.screenshot(
                    path=str(LAYOUT_SHOTS / f"{role}-{name}-{label}.png"), full_page=True
                )
                readme_shot = README_SHOTS.get((role, path, label))
                if readme_shot and os.environ.get("README_SCREENSHOTS") == "1":
                    page.screenshot(path=str(DOCS / readme_shot))
        finally:
            context.close()
    assert not problems, "\n".join(problems)


def test_menu_folds_on_a_phone_and_fits_one_line_on_a_desk(browser, demo):
    server, _ids = demo
    phone = browser.new_context(viewport=PHONE, locale="fr-FR")
    page = phone.new_page()
    try:
        _sign_in(page, server, ACCOUNTS["staff"])
        toggle = page.locator(".menu-toggle")
        menus = page.locator("#site-menus")
        expect(toggle).to_be_visible()
        expect(menus).to_be_hidden()
        # Folded, the header leaves the first screen to the page.
        assert page.locator("header.site-header").bounding_box()["height"] < 100
        toggle.focus()
        page.keyboard.press("Enter")
        expect(toggle).to_have_attribute("aria-expanded", "true")
        expect(menus.get_by_role("link", name="Courriels")).to_be_visible()
        page.keyboard.press("Escape")
        expect(menus).to_be_hidden()
        expect(toggle).to_be_focused()
    finally:
        phone.close()

    desk = browser.new_context(viewport=DESK, locale="fr-FR")
    page = desk.new_page()
    try:
        _sign_in(page, server, ACCOUNTS["staff"])
        expect(page.locator(".menu-toggle")).to_be_hidden()
        links = page.locator(".staff-nav a")
        tops = {round(links.nth(i).bounding_box()["y"]) for i in range(links.count())}
        assert len(tops) == 1, tops
        public = page.locator(".menu-public a, .menu-mine a, .menu-mine button")
        tops = {round(public.nth(i).bounding_box()["y"]) for i in range(public.count())}
        assert len(tops) == 1, tops
    finally:
        desk.close()


def test_list_filter_buttons_are_ordinary_buttons(browser, demo):
    """The submit button of every filtered list (« Filtrer », « Chercher »): one line high
    and wider than tall, on a phone and a desk (Pico's [role=search] group stretched it
    into a tall oval beside the filters at 390 px)."""
    server, ids = demo
    lists = [
        "/equipe/partenaires/",
        f"/clubs/{ids['club']}/adhesions",
        "/equipe/comptes",
        "/equipe/courriels/",
        f"/equipe/courriels/agenda/{ids['slug']}",
        f"/etapes/{ids['stop']}/participants/tableau",
    ]
    problems = []
    LAYOUT_SHOTS.mkdir(parents=True, exist_ok=True)
    for label, viewport in (("390", PHONE), ("1366", DESK)):
        context = browser.new_context(viewport=viewport, locale="fr-FR")
        page = context.new_page()
        try:
            _sign_in(page, server, ACCOUNTS["staff"])
            for path in lists:
                page.goto(server(path))
                form = page.locator("form.list-filters, form.filters").first
                button = form.locator("button[type=submit]")
                box = button.bounding_box()
                line = button.evaluate("b => parseFloat(getComputedStyle(b).lineHeight)")
                if box["height"] > line + 30 or box["width"] < box["height"]:
                    size = f"{box['width']:.0f}×{box['height']:.0f} px"
                    problems.append(f"{label}px {path}: button {size}")
                name = re.sub(r"[^A-Za-z0-9]+", "-", path).strip("-")
                form.screenshot(path=str(LAYOUT_SHOTS / f"list-filters-{name}-{label}.png"))
        finally:
            context.close()
    assert not problems, "\n".join(problems)
