"""Secret links in outbox messages: masked wherever staff read a message.

A link is secret when it leads to one of the platform's pages that take a `token` or
`secret` in their path (one-time sign-in, invitation answers, registration management,
cancellation, seat offers, questionnaires, club registration, private feeds). The outbox
keeps the real message for delivery; every staff page reads it through `staff_copy`, so
the token never reaches a staff member's screen, and a masked link leads nowhere.
"""

import re
from dataclasses import dataclass
from itertools import product
from urllib.parse import urlsplit

from flask import current_app
from werkzeug.exceptions import HTTPException

#: What stands for a token in a masked link.
MASK = "…"
#: Route arguments that carry a recipient's secret.
SECRET_ARGUMENTS = ("token", "secret")
_URL = re.compile(r"https?://[^\s\"'<>()\[\]]+")
_TRAILING = ".,;:!?"


@dataclass(frozen=True)
class StaffCopy:
    """What staff may read of a message: its texts with secret links masked."""

    subject: str
    text_body: str
    html_body: str
    calendar_ics: str | None
    last_error: str | None
    idempotency_key: str


def secrets_in(*texts: str | None) -> set[str]:
    """Return the tokens carried by the platform's secret links in these texts."""
    found: set[str] = set()
    for text in texts:
        for match in _URL.finditer(text or ""):
            found.update(_secrets_of_url(match.group(0)))
    return found


def mask(text: str | None, secrets: set[str]) -> str | None:
    """Replace every occurrence of these secrets in a text by the mask."""
    if not text or not secrets:
        return text
    for secret in sorted(secrets, key=len, reverse=True):
        text = text.replace(secret, MASK)
    return text


def staff_copy(message) -> StaffCopy:
    """Return the message as staff may read it: every secret link masked everywhere."""
    secrets = secrets_in(message.text_body, message.html_body, message.calendar_ics)
    return StaffCopy(
        subject=mask(message.subject, secrets),
        text_body=mask(message.text_body, secrets),
        html_body=mask(message.html_body, secrets),
        calendar_ics=mask(message.calendar_ics, secrets),
        last_error=mask(message.last_error, secrets),
        idempotency_key=mask(message.idempotency_key, secrets),
    )


def _secrets_of_url(url: str) -> set[str]:
    base = urlsplit(current_app.config["BASE_URL"])
    parts = urlsplit(url)
    if parts.netloc.lower() != base.netloc.lower():
        return set()
    root = base.path.rstrip("/")
    if root and not parts.path.startswith(root + "/"):
        return set()
    path = parts.path[len(root) :] or "/"
    adapter = current_app.url_map.bind(base.netloc, script_name=root or "/")
    found: set[str] = set()
    # A link at the end of a sentence: its full stop is not part of the token.
    for candidate, method in product({path, path.rstrip(_TRAILING)}, ("GET", "POST")):
        try:
            _endpoint, values = adapter.match(candidate, method=method)
        except HTTPException:
            continue
        for name in SECRET_ARGUMENTS:
            value = values.get(name)
            if isinstance(value, str) and value:
                found.add(value)
    return found
