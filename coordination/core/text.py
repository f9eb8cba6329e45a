"""Text helpers shared by every domain."""

import re
import unicodedata

_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def search_key(value: str) -> str:
    """Fold a name for prefix search: no accents, lower case, hyphens and quotes as spaces."""
    decomposed = unicodedata.normalize("NFKD", value)
    ascii_only = "".join(c for c in decomposed if not unicodedata.combining(c))
    ascii_only = ascii_only.replace("œ", "oe").replace("æ", "ae").replace("Œ", "oe")
    return _NON_ALNUM.sub(" ", ascii_only.lower()).strip()


MAX_ID = 2**31 - 1

#: Searches are cut to this many characters (a longer LIKE pattern fails on SQLite).
MAX_SEARCH_LENGTH = 100


def parse_id(value: str | None) -> int | None:
    """A row id typed or posted by a client, or None if it cannot be one.

    str.isdigit() accepts "²" and other digits int() refuses; ids are ASCII and fit the
    databases' integers.
    """
    if not value or not value.isascii() or not value.isdecimal():
        return None
    number = int(value)
    return number if 0 < number <= MAX_ID else None
