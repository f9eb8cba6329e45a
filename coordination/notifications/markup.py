"""Staff-written message wording: plain text with {variables}, never code.

A template is text with `{name}` placeholders and nothing else: no attribute access, no
filters, no expressions. Checking lists every problem (unknown name, stray brace) so the
edit page shows them before saving; rendering substitutes values into text, or into
escaped HTML paragraphs for the HTML part.
"""

import re
from dataclasses import dataclass

from markupsafe import Markup, escape

_TOKEN = re.compile(r"\{([^{}]*)\}")
_NAME = re.compile(r"[a-z][a-z0-9_]{0,39}")
_URL = re.compile(r"https?://[^\s<>\"']+")


@dataclass(frozen=True)
class MarkupProblem:
    #: "unknown" (a name not offered), "syntax" (a brace that opens or closes nothing
    #: or a placeholder that is not a plain name).
    kind: str
    text: str


def problems(source: str, allowed: set[str]) -> list[MarkupProblem]:
    """Every problem of a template: unknown variables and broken braces, in order."""
    found: list[MarkupProblem] = []
    rest = []
    position = 0
    for match in _TOKEN.finditer(source):
        rest.append(source[position : match.start()])
        position = match.end()
        name = match.group(1).strip()
        if not _NAME.fullmatch(match.group(1)):
            found.append(MarkupProblem("syntax", match.group(0)))
        elif name not in allowed:
            found.append(MarkupProblem("unknown", name))
    rest.append(source[position:])
    for piece in rest:
        for brace in re.findall(r"[{}]", piece):
            found.append(MarkupProblem("syntax", brace))
    return found


def render_text(source: str, values: dict[str, str]) -> str:
    """The template with each {name} replaced by its value (assumes a checked template)."""
    return _TOKEN.sub(lambda m: str(values.get(m.group(1), "")), source)


def render_html(source: str, values: dict[str, str]) -> Markup:
    """Escaped HTML paragraphs (blank line apart), values escaped too, links clickable."""
    text = render_text(source, values)
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text.replace("\r\n", "\n"))]
    return Markup("\n").join(Markup("<p>{}</p>").format(_linked(p)) for p in paragraphs if p)


def _linked(paragraph: str) -> Markup:
    return Markup("<br>\n").join(_linked_line(line) for line in paragraph.split("\n"))


def _linked_line(line: str) -> Markup:
    out = Markup("")
    position = 0
    for match in _URL.finditer(line):
        out += escape(line[position : match.start()])
        out += Markup('<a href="{0}">{0}</a>').format(match.group(0))
        position = match.end()
    return out + escape(line[position:])
