"""The French catalogue as a French organisation writes it: checked once, here."""

import re
from pathlib import Path

from babel.messages.pofile import read_po

from coordination.core.formatting import french_spacing

CATALOGUE = (
    Path(__file__).resolve().parents[2] / "coordination/translations/fr/LC_MESSAGES/messages.po"
)
PLACEHOLDER = re.compile(r"%\(\w+\)s")


def _translations() -> list[tuple[str, str]]:
    with CATALOGUE.open("rb") as handle:
        catalog = read_po(handle)
    pairs = []
    for message in catalog:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        pairs.extend((ids[-1], text) for text in strings)
    return pairs


def test_no_plural_written_with_parentheses():
    assert [text for _, text in _translations() if "(s)" in text] == []


def test_the_spacing_applied_at_load_keeps_every_placeholder():
    for msgid, text in _translations():
        spaced = french_spacing(text)
        assert sorted(PLACEHOLDER.findall(spaced)) == sorted(PLACEHOLDER.findall(text)), msgid
        # Never a plain or doubled space left before the high punctuation.
        assert not re.search(r"[ \u00a0][:;?!»]", spaced), (msgid, spaced)
