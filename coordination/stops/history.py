"""The history of a stop in words, dates in Paris time through Babel: "Déplacée du mardi
1er juin au mardi 8 juin 2027 par Camille Martin", never field names or UTC."""

from datetime import date, datetime

from flask_babel import format_date, get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from coordination.core.clock import to_local
from coordination.stops.models import StopChange

#: The details a change may touch, as staff call them.
FIELD_LABELS = {
    "title": _l("title"),
    "description": _l("description"),
    "venue_name": _l("venue"),
    "venue_address": _l("venue address"),
    "city": _l("city"),
    "commune_insee": _l("commune"),
    "latitude": _l("coordinates"),
    "longitude": _l("coordinates"),
    "host_contacts": _l("host contacts"),
    "partners": _l("partners"),
    "capacity": _l("capacity"),
    "status": _l("status"),
    "application_id": _l("application"),
    "agenda": _l("agenda"),
    "starts_at": _l("times"),
    "ends_at": _l("times"),
}


def _day(value: date, with_year: bool) -> str:
    """A day in words, "mardi 1er juin 2027" in French (Babel has no "1er")."""
    french = str(get_locale() or "fr").startswith("fr")
    if french and value.day == 1:
        pattern = "EEEE '1er' MMMM" + (" y" if with_year else "")
    else:
        pattern = "EEEE d MMMM" + (" y" if with_year else "")
    return format_date(value, pattern)


def _local_day(text: str) -> date | None:
    try:
        return to_local(datetime.fromisoformat(text)).date()
    except (TypeError, ValueError):
        return None


def describe(change: StopChange) -> str:
    """One sentence for one line of a stop's history, in the reader's language."""
    who = change.by.display_name if change.by else None
    action = change.action
    if action == "rescheduled":
        old, new = (change.changes or {}).get("starts_at", [None, None])
        before, after = _local_day(old), _local_day(new)
        if before and after and before != after:
            span = {
                "before": _day(before, before.year != after.year),
                "after": _day(after, True),
            }
            if who:
                return _("Moved from %(before)s to %(after)s by %(who)s", who=who, **span)
            return _("Moved from %(before)s to %(after)s", **span)
        return _("Times changed by %(who)s", who=who) if who else _("Times changed")
    if action == "cancelled":
        reason = (change.note or "").strip()
        if who and reason:
            return _("Cancelled by %(who)s: %(reason)s", who=who, reason=reason)
        if reason:
            return _("Cancelled: %(reason)s", reason=reason)
        return _("Cancelled by %(who)s", who=who) if who else _("Cancelled")
    if action == "updated":
        labels = sorted({str(FIELD_LABELS.get(name, name)) for name in change.changes or {}})
        what = ", ".join(labels)
        if who:
            return _("Changed by %(who)s: %(what)s", who=who, what=what)
        return _("Changed: %(what)s", what=what)
    simple = {
        "created": (_("Created by %(who)s"), _("Created")),
        "confirmed": (_("Confirmed by %(who)s"), _("Confirmed")),
        "held": (_("Marked as held by %(who)s"), _("Marked as held")),
        "agenda": (_("Agenda changed by %(who)s"), _("Agenda changed")),
    }
    with_who, alone = simple.get(action, (_("Changed by %(who)s"), _("Changed")))
    return with_who % {"who": who} if who else alone
