"""Dates, times and numbers as people read them, through Babel, in the user's language.

French has rules Babel's patterns leave out: the first of the month is « 1er », hours
read « 9 h » or « 9 h 30 », and a narrow no-break space comes before « : ; ? ! » and
inside « ». The templates use the filters registered by `register_filters`.
"""

import re
from datetime import date, datetime

from flask import Flask
from flask_babel import (
    Domain,
    format_date,
    format_datetime,
    format_decimal,
    get_locale,
    gettext,
)

from coordination.core.clock import to_local

#: Named patterns; anything else is used as a Babel pattern. "long" and "full" carry no
#: UTC offset (Babel's own "long" datetime does), since every time shown is Paris time.
DATE_PATTERNS = {
    "short": "d MMM",
    "medium": "d MMM y",
    "long": "d MMMM y",
    "full": "EEEE d MMMM y",
    "month": "MMMM y",
}
NARROW_NBSP = "\u202f"
NBSP = "\u00a0"
# A lone `d` (day of month) outside quoted literals.
_DAY = re.compile(r"(?<![d'])d(?![d'])")


def _is_french() -> bool:
    return str(get_locale() or "fr").startswith("fr")


def _day_pattern(pattern: str, day: int) -> str:
    """The pattern with « 1er » for the first of the month in French."""
    if day != 1 or not _is_french():
        return pattern
    parts = pattern.split("'")
    # Even parts are outside quotes.
    parts[::2] = [_DAY.sub("d'er'", part) for part in parts[::2]]
    return "'".join(parts)


def local_date(value: date | datetime | None, fmt: str = "long") -> str:
    """A date (or the Paris date of a UTC datetime): « mardi 1er juin 2027 »."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = to_local(value).date()
    pattern = DATE_PATTERNS.get(fmt, fmt)
    return format_date(value, _day_pattern(pattern, value.day))


def local_time(value: datetime | None) -> str:
    """A Paris clock time: « 9 h », « 9 h 30 » in French, « 9:30 AM » in English."""
    if value is None:
        return ""
    local = to_local(value)
    if _is_french():
        return f"{local.hour}{NBSP}h" + (f"{NBSP}{local.minute:02d}" if local.minute else "")
    return format_datetime(value, "h:mm a")


def local_datetime(value: datetime | None, fmt: str = "medium") -> str:
    """A UTC datetime in Paris time: « mardi 1er juin 2027 à 9 h » (fmt full/long/medium/short)."""
    if value is None:
        return ""
    named = {"long": "full", "medium": "long", "short": "medium"}
    if fmt in ("HH:mm", "time"):
        return local_time(value)
    if fmt not in named and fmt not in DATE_PATTERNS:
        # A Babel pattern given by the template (« EEE d », « HH:mm »).
        local = to_local(value)
        return format_datetime(value, _day_pattern(fmt, local.day))
    day = local_date(value, named.get(fmt, fmt))
    return gettext("%(day)s at %(time)s", day=day, time=local_time(value))


def spreadsheet_datetime(value: datetime | None) -> str:
    """A Paris date and time for CSV exports, « 02/12/2026 14:30 »: French spreadsheets read
    it as a date (ISO would be text to them), whatever the interface's language."""
    return to_local(value).strftime("%d/%m/%Y %H:%M") if value is not None else ""


def spreadsheet_date(value: date | datetime | None) -> str:
    """A Paris date for CSV exports, « 02/12/2026 » (see spreadsheet_datetime)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = to_local(value).date()
    return value.strftime("%d/%m/%Y")


def local_time_range(start: datetime | None, end: datetime | None, fmt: str = "full") -> str:
    """« mardi 1er juin 2027, de 9 h à 17 h », or from one day to another."""
    if start is None:
        return ""
    if end is None:
        return local_datetime(start, {"full": "long", "long": "medium"}.get(fmt, fmt))
    if to_local(start).date() == to_local(end).date():
        return gettext(
            "%(day)s, from %(start)s to %(end)s",
            day=local_date(start, fmt),
            start=local_time(start),
            end=local_time(end),
        )
    return gettext(
        "from %(start)s to %(end)s",
        start=gettext("%(day)s at %(time)s", day=local_date(start, fmt), time=local_time(start)),
        end=gettext("%(day)s at %(time)s", day=local_date(end, fmt), time=local_time(end)),
    )


def local_date_range(start: date | None, end: date | None, fmt: str = "long") -> str:
    """« du 1er juin au 30 octobre 2027 »."""
    if start is None or end is None:
        return local_date(start or end, fmt)
    if start == end:
        return local_date(start, fmt)
    return gettext(
        "from %(start)s to %(end)s", start=local_date(start, fmt), end=local_date(end, fmt)
    )


def decimal(value, digits: int = 1) -> str:
    """A number with the locale's decimal mark and `digits` decimals: « 2,5 », « 4,0 »."""
    if value is None:
        return ""
    return format_decimal(value, format="#,##0." + "0" * digits if digits else "#,##0")


_BEFORE = re.compile(r"(?<=\S)[ \u00a0]?([:;?!»])(?=\s|$|<|[.,)])")
_AFTER = re.compile(r"«[ \u00a0]?(?=\S)")


def french_spacing(text: str) -> str:
    """French typography: a narrow no-break space before « : ; ? ! » and inside « »."""
    if not text:
        return text
    text = _BEFORE.sub(lambda m: NARROW_NBSP + m.group(1), text)
    return _AFTER.sub("«" + NARROW_NBSP, text)


class FrenchTypographyDomain(Domain):
    """The message catalogue, with French spacing applied once when a catalogue loads.

    Translators type ordinary spaces (or none); every French string shown or mailed gets
    the narrow no-break spaces, so no string is fixed by hand and new ones need nothing.
    """

    def get_translations(self):
        translations = super().get_translations()
        catalog = getattr(translations, "_catalog", None)
        if catalog and not getattr(translations, "typography_applied", False):
            if str(get_locale() or "").startswith("fr"):
                for key, value in catalog.items():
                    if key and isinstance(value, str):
                        catalog[key] = french_spacing(value)
            translations.typography_applied = True
        return translations


def register_filters(app: Flask) -> None:
    """The template filters: local_date, local_datetime, local_time, local_time_range…"""
    app.jinja_env.filters.update(
        local_date=local_date,
        local_datetime=local_datetime,
        local_time=local_time,
        local_time_range=local_time_range,
        local_date_range=local_date_range,
        decimal=decimal,
    )
    from coordination.extensions import babel

    # Flask-Babel reads its domain from this cached property: ours adds the typography.
    babel.domain_instance = FrenchTypographyDomain(
        domain=app.config.get("BABEL_DOMAIN", "messages")
    )
