"""Every user-facing string has its French translation."""

from pathlib import Path

from babel.messages.checkers import python_format
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
METHOD_MAP = [
    ("coordination/**.py", "python"),
    ("templates/**.html", "jinja2"),
    ("templates/**.txt", "jinja2"),
]
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None}


def source_messages() -> dict[str, str]:
    found = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(
        str(ROOT), METHOD_MAP, keywords=KEYWORDS, options_map={"templates/**": {}}
    ):
        msgid = message[0] if isinstance(message, tuple) else message
        found.setdefault(msgid, f"{filename}:{lineno}")
    return found


def french_catalogue():
    path = ROOT / "coordination/translations/fr/LC_MESSAGES/messages.po"
    with path.open("rb") as handle:
        return read_po(handle)


def test_every_source_string_has_a_french_translation():
    catalogue = french_catalogue()
    missing = []
    for msgid, where in source_messages().items():
        entry = catalogue.get(msgid)
        if entry is None or not entry.string or entry.fuzzy:
            missing.append(f"{where}: {msgid!r}")
    assert missing == [], "run `make translations-update` and translate:\n" + "\n".join(missing)


def test_french_translations_keep_their_placeholders():
    errors = []
    catalogue = french_catalogue()
    for entry in catalogue:
        if entry.id and entry.string:
            try:
                python_format(catalogue, entry)
            except Exception as error:  # babel raises TranslationError
                errors.append(f"{entry.id!r}: {error}")
    assert errors == []
