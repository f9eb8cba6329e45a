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
