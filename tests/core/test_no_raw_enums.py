"""Every page of the demo, in French, for each role: no raw status, kind or decision value
(« pending », « waitlisted »…) reaches people; the CSV exports' headers and cells neither."""

import enum
import html
import re

import pytest
from sqlalchemy import select

from coordination.auth.models import AccountAction, DigestFrequency, Role
from coordination.campaigns.models import (
    ApplicationStatus,
    Call,
    Decision,
    EditionKind,
    EditionStatus,
)
from coordination.clubs.models import Club, MeetingStatus, MembershipStatus, PartnerKind
from coordination.core.clock import utcnow
from coordination.demo import DEMO_PASSWORD, load_demo_data
from coordination.extensions import db
from coordination.notifications.models import MessageStatus
from coordination.participants.models import SeatStatus
from coordination.planner.models import RunStatus
from coordination.stops.models import StopStatus
from tests.browser.test_layout import ACCOUNTS, _pages, demo_ids

ENUMS: list[type[enum.StrEnum]] = [
    AccountAction,
    ApplicationStatus,
    Decision,
    DigestFrequency,
    EditionKind,
    EditionStatus,
    MeetingStatus,
    MembershipStatus,
    MessageStatus,
    PartnerKind,
    Role,
    RunStatus,
    SeatStatus,
    StopStatus,
]
#: Values that are also French words a page may rightly use.
FRENCH_WORDS = {"association", "forum", "tour", "off"}
RAW = re.compile(
    r"\b("
    + "|".join(
        sorted(
            {re.escape(v.value) for e in ENUMS for v in e if v.value not in FRENCH_WORDS},
            key=len,
            reverse=True,
        )
    )
    + r")\b"
)


def _visible_text(page: str) -> str:
    page = re.sub(r"(?is)<(script|style|code|pre|template)\b.*?</\1>", " ", page)
    page = re.sub(r"(?s)<!--.*?-->", " ", page)
    # A part marked as English (the other language's preview of a wording) is English.
    page = re.sub(r'(?is)<(section|div|article|p)\b[^>]*\blang="en"[^>]*>.*?</\1>', " ", page)
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


@pytest.fixture
def demo(db_session):
    assert load_demo_data(utcnow())
    ids = demo_ids()
    db.session.commit()
    return ids


@pytest.mark.parametrize("role", ["anonymous", "staff", "reviewer", "territory", "partner"])
def test_no_raw_enum_value_on_any_page_in_french(client, demo, role):
    if role != "anonymous":
        response = client.post(
            "/connexion", data={"email": ACCOUNTS[role], "password": DEMO_PASSWORD}
        )
        assert response.status_code == 302
    found = []
    for path in _pages(role, demo):
        response = client.get(path)
        assert response.status_code == 200, path
        text = _visible_text(response.get_data(as_text=True))
        found += [
            f"{path}: {m.group(0)!r} in …{text[max(m.start() - 40, 0) : m.end() + 20]!r}…"
            for m in RAW.finditer(text)
        ]
    assert not found, "\n".join(found)


def test_no_raw_enum_value_in_the_csv_exports(client, demo):
    client.post("/connexion", data={"email": ACCOUNTS["staff"], "password": DEMO_PASSWORD})
    call = db.session.scalars(select(Call).order_by(Call.id)).first()
    club = db.session.scalars(select(Club).order_by(Club.id)).first()
    paths = [
        f"/appels/gestion/{call.id}/export.csv",
        f"/clubs/{club.slug}/membres.csv",
        "/equipe/partenaires/export.csv",
        f"/etapes/{demo['stop']}/participants.csv",
    ]
    found = []
    for path in paths:
        response = client.get(path)
        if response.status_code == 404 and "participants" in path:
            continue
        assert response.status_code == 200, path
        body = response.get_data(as_text=True)
        found += [f"{path}: {m.group(0)!r}" for m in RAW.finditer(body)]
        assert not re.search(r"\b\d{4}-\d{2}-\d{2}\b", body), f"{path}: ISO date"
    assert not found, "\n".join(found)
