"""Snapshot tests of the platform's emails: a change to a template shows up as a diff.

Set UPDATE_SNAPSHOTS=1 to rewrite the snapshots after an intended change.
"""

import os
from datetime import UTC, datetime
from pathlib import Path

import pytest

from coordination.auth.models import User
from coordination.notifications.digests import DigestItem, DigestSection
from coordination.notifications.rendering import render_email

SNAPSHOTS = Path(__file__).parent / "snapshots"


def check_snapshot(name: str, rendered) -> None:
    text = f"Subject: {rendered.subject}\n\n{rendered.text}\n----- html -----\n{rendered.html}\n"
    path = SNAPSHOTS / f"{name}.txt"
    if os.environ.get("UPDATE_SNAPSHOTS") == "1":
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"no snapshot {path.name}: run with UPDATE_SNAPSHOTS=1 and review it"
    assert text == path.read_text(encoding="utf-8")


@pytest.mark.parametrize("locale", ["fr", "en"])
def test_login_link_email(app, locale):
    user = User(email="camille@example.org", name="Camille Martin")
    rendered = render_email(
        "auth/login_link",
        locale,
        {"user": user, "url": "http://localhost/connexion/lien/SECRET", "minutes": 30},
    )
    check_snapshot(f"login_link.{locale}", rendered)


@pytest.mark.parametrize("locale", ["fr", "en"])
def test_digest_email(app, locale):
    user = User(email="camille@example.org", name="Camille Martin")
    section = DigestSection("calls", "Calls closing within 7 days", lambda since, until: [])
    items = [DigestItem("Appel 2027 — 22/01/2027 12:00", "http://localhost/editions/tournee-2027")]
    rendered = render_email(
        "notifications/digest",
        locale,
        {
            "user": user,
            "sections": [(section, items)],
            "period_start": datetime(2026, 3, 1, 6, 30, tzinfo=UTC),
            "period_end": datetime(2026, 3, 2, 6, 30, tzinfo=UTC),
        },
    )
    check_snapshot(f"digest.{locale}", rendered)


def test_emails_greet_by_name_never_by_address(app, make_user):
    from coordination.notifications.rendering import render_email

    unnamed = make_user("anonyme@example.org")
    named = make_user("camille@example.org", name="Camille Martin (équipe InnovENT-E)")
    context = {"url": "http://localhost/connexion/lien/x", "minutes": 30}
    with app.test_request_context():
        plain = render_email("auth/login_link", "fr", {**context, "user": unnamed})
        greeted = render_email("auth/login_link", "fr", {**context, "user": named})
    assert "Bonjour,\n" in plain.text and "anonyme@example.org" not in plain.text
    assert "Bonjour Camille Martin (équipe InnovENT-E)," in greeted.text
