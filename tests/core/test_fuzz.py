"""Every route, every role, every form, bad input: never a 500 (SQLite and PostgreSQL).

A systematic generator rather than random draws, so a failure names the exact request and
reruns the same way: each rule of the url_map is requested as anonymous and as each demo
role, with real ids from the demo data; each form found on the pages is posted with a
NUL, a huge integer, a 10,000-character string and impossible dates in every field;
query strings and path parts get the same values. A NUL is always a 400.
"""

from datetime import UTC, datetime
from html.parser import HTMLParser
from urllib.parse import quote, urlencode, urlsplit

import pytest
from sqlalchemy import select

from coordination.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, load_demo_data
from coordination.extensions import db

NUL = "\x00"
HUGE_INT = "9" * 25
LONG = "x" * 10_000
BAD_VALUES = [NUL, HUGE_INT, str(2**31), LONG, "2026-02-31"]
#: Query parameters the views read (q, page, status…), all sent at once.
QUERY_NAMES = ["q", "page", "status", "region", "edition", "par", "theme", "mois", "next", "club"]
#: One request with every kind of bad value at once (the NUL one is separate).
MIXED_QUERY = {name: LONG for name in QUERY_NAMES} | {
    "page": HUGE_INT,
    "club": HUGE_INT,
    "edition": str(2**31),
    "mois": "2026-13-45",
}
#: URL parts that are not ids, and the rows an id part stands for.
ID_MODELS = {
    "application_id": ("coordination.campaigns.models", "Application"),
    "call_id": ("coordination.campaigns.models", "Call"),
    "file_id": ("coordination.campaigns.models", "ApplicationFile"),
    "review_id": ("coordination.campaigns.models", "Review"),
    "club_id": ("coordination.clubs.models", "Club"),
    "meeting_id": ("coordination.clubs.models", "ClubMeeting"),
    "membership_id": ("coordination.clubs.models", "Membership"),
    "organisation_id": ("coordination.clubs.models", "PartnerOrganisation"),
    "message_id": ("coordination.notifications.models", "OutboxMessage"),
    "registration_id": ("coordination.participants.models", "Registration"),
    "workshop_id": ("coordination.participants.models", "Workshop"),
    "question_id": ("coordination.participants.models", "NeedQuestion"),
    "stop_id": ("coordination.stops.models", "Stop"),
    "territory_id": ("coordination.territories.models", "Territory"),
}


class FormFinder(HTMLParser):
    """The POST forms of a page: their action and the names of their fields."""

    def __init__(self):
        super().__init__()
        self.forms: list[tuple[str, set[str], set[str]]] = []
        self._current = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (attrs.get("method") or "").lower() == "post":
            self._current = (attrs.get("action") or "", set(), set())
            self.forms.append(self._current)
        elif self._current is not None and tag in ("input", "select", "textarea", "button"):
            name = attrs.get("name")
            if name and name != "csrf_token":
                kind = self._current[2] if attrs.get("type") == "file" else self._current[1]
                kind.add(name)

    def handle_endtag(self, tag):
        if tag == "form":
            self._current = None


def _first_id(module: str, name: str) -> int:
    import importlib

    model = getattr(importlib.import_module(module), name)
    return db.session.scalar(select(model.id).order_by(model.id)) or 1


def _url_values(rule, slugs: dict[str, str]) -> dict[str, object]:
    values = {}
    for argument in rule.arguments:
        if argument in ID_MODELS:
            values[argument] = _first_id(*ID_MODELS[argument])
        elif argument == "slug":
            values[argument] = slugs["club" if rule.rule.startswith("/clubs") else "edition"]
        elif argument == "fmt":
            values[argument] = "csv"
        else:
            values[argument] = "demo-value"
    return values


def _build(rule, values: dict[str, object]) -> str:
    parts = {key: quote(str(value), safe="") for key, value in values.items()}
    path = rule.rule
    for argument in rule.arguments:
        start = path.index("<")
        path = path[:start] + parts[argument] + path[path.index(">", start) + 1 :]
    return path


def _bad_paths(rule, values):
    """The rule's URL with each non-id part made a NUL, a long string, and ids made huge."""
    for argument in rule.arguments:
        for bad in (NUL, LONG[:2000]) if argument not in ID_MODELS else (str(2**31), HUGE_INT):
            yield _build(rule, {**values, argument: bad}), bad == NUL


@pytest.fixture
def demo_world():
    load_demo_data(datetime(2026, 3, 2, 10, 0, tzinfo=UTC))
    db.session.commit()
    from coordination.campaigns.models import Edition
    from coordination.clubs.models import Club

    return {
        "edition": db.session.scalar(select(Edition.slug).order_by(Edition.id.desc())),
        "club": db.session.scalar(select(Club.slug).order_by(Club.id)),
    }


def _as_role(client, email):
    if email is None:
        return None
    response = client.post("/connexion", data={"email": email, "password": DEMO_PASSWORD})
    assert response.status_code == 302, email
    return client.get_cookie("session").value


def _fuzz_role(app, client, email, slugs, failures, thorough=True):
    cookie = _as_role(client, email)

    def request(method, url, expect_400=False, **kwargs):
        client._cookies.clear()
        if cookie:
            client.set_cookie("session", cookie)
        from coordination.extensions import limiter

        limiter.reset()
        response = client.open(url, method=method, **kwargs)
        if response.status_code >= 500 or (expect_400 and response.status_code != 400):
            failures.append(
                f"{email or 'anonymous'} {method} {url[:200]} -> {response.status_code}"
            )
        return response

    forms: dict[str, tuple[set[str], set[str]]] = {}
    rules = [r for r in app.url_map.iter_rules() if r.endpoint != "static"]
    for rule in rules:
        values = _url_values(rule, slugs)
        url = _build(rule, values)
        if "GET" in rule.methods:
            response = request("GET", url)
            if response.status_code == 200 and "html" in (response.content_type or ""):
                finder = FormFinder()
                finder.feed(response.get_data(as_text=True))
                for action, fields, files in finder.forms:
                    target = urlsplit(action or url).path
                    known = forms.setdefault(target, (set(), set()))
                    known[0].update(fields)
                    known[1].update(files)
            for bad in (NUL, None) if thorough else ():
                query = urlencode({name: bad or MIXED_QUERY[name] for name in QUERY_NAMES})
                request("GET", f"{url}?{query}", expect_400=bad == NUL)
        for bad_url, has_nul in _bad_paths(rule, values) if thorough else ():
            method = "GET" if "GET" in rule.methods else "POST"
            request(method, bad_url, expect_400=has_nul)
        if "POST" in rule.methods:
            forms.setdefault(url, (set(), set()))
    for target, (fields, files) in forms.items():
        for bad in BAD_VALUES:
            data = {name: bad for name in fields | {"q", "action", "next"}}
            request("POST", target, expect_400=bad == NUL, data=data)
        if files:
            import io

            for filename in (f"cv{NUL}.pdf", LONG[:5000] + ".pdf"):
                data = {name: (io.BytesIO(b"%PDF-1.4 fuzz"), filename) for name in files}
                data.update({name: "1" for name in fields})
                request("POST", target, expect_400=NUL in filename, data=data)
        request("POST", target, expect_400=True, json={"q": NUL, "items": [{"a": NUL}]})


def test_no_input_makes_a_500_for_any_role(app, client, demo_world):
    failures: list[str] = []
    # Anonymous and staff see every URL variant; the other roles, whose pages are a
    # subset, every form of theirs with every bad value (the edge guard is role-blind).
    staff_email = DEMO_ACCOUNTS[0][0]
    for email in [None] + [email for email, _roles in DEMO_ACCOUNTS]:
        _fuzz_role(app, client, email, demo_world, failures, thorough=email in (None, staff_email))
    assert failures == []


def test_a_nul_in_a_header_is_refused(client):
    response = client.get("/", headers={"X-Forwarded-For": "1.2.3.4\x00"})
    assert response.status_code == 400
    assert "NUL" in response.get_data(as_text=True)
