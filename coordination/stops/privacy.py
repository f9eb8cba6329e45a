"""A person's entries in the stops' host-contact lists (JSON), for the RGPD export and
erasure: found by address, in the lists and in the stops' history of those lists."""

from sqlalchemy import String, cast, func, select

from coordination.extensions import db
from coordination.stops.models import Stop, StopChange


def _is(contact, email: str) -> bool:
    return isinstance(contact, dict) and (contact.get("email") or "").strip().lower() == email


def _without(contacts, email: str):
    if not isinstance(contacts, list):
        return contacts
    return [c for c in contacts if not _is(c, email)]


def _mentioning(column, email: str):
    # A first cut in SQL (the address appears in the JSON's text), checked exactly in Python.
    return func.lower(cast(column, String)).contains(email, autoescape=True)


def hosted_contacts(email: str) -> list[tuple[Stop, dict]]:
    """(stop, entry) for each stop whose host contacts name this address."""
    email = (email or "").strip().lower()
    if not email:
        return []
    stops = db.session.scalars(
        select(Stop).where(_mentioning(Stop.host_contacts, email)).order_by(Stop.id)
    )
    return [(s, c) for s in stops for c in (s.host_contacts or []) if _is(c, email)]


def forget_host_contact(email: str) -> int:
    """Remove a person's entries from the stops' host contacts and their history; the count."""
    email = (email or "").strip().lower()
    if not email:
        return 0
    removed = 0
    for stop in db.session.scalars(select(Stop).where(_mentioning(Stop.host_contacts, email))):
        kept = _without(stop.host_contacts, email)
        removed += len(stop.host_contacts or []) - len(kept)
        stop.host_contacts = kept
    for change in db.session.scalars(
        select(StopChange).where(_mentioning(StopChange.changes, email))
    ):
        values = dict(change.changes or {})
        if isinstance(values.get("host_contacts"), list):
            values["host_contacts"] = [_without(v, email) for v in values["host_contacts"]]
            change.changes = values
    db.session.flush()
    return removed
