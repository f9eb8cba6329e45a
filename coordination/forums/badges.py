"""Check-in badges as a PDF: A4 sheets of 8 badges (2 × 4) with dashed cut lines."""

import io
from dataclasses import dataclass

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

COLUMNS, ROWS = 2, 4
PER_PAGE = COLUMNS * ROWS
MARGIN = 7 * mm
#: Bitstream Vera ships with reportlab: embedded, it covers French accents and quotes.
FONT, BOLD = "Vera", "VeraBd"


@dataclass(frozen=True)
class Badge:
    name: str
    company: str
    role: str


def _fonts() -> None:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FONT, "Vera.ttf"))
        pdfmetrics.registerFont(TTFont(BOLD, "VeraBd.ttf"))


def _fit(text: str, font: str, size: float, width: float, smallest: float) -> tuple[str, float]:
    """The text at the largest size down to `smallest` that fits, else cut with "…"."""
    while size > smallest and pdfmetrics.stringWidth(text, font, size) > width:
        size -= 0.5
    while text and pdfmetrics.stringWidth(text, font, size) > width:
        text = text[:-2] + "…" if len(text) > 1 else ""
    return text, size


def _line(pdf, text: str, font: str, size: float, smallest: float, x: float, y: float, w: float):
    if not text:
        return
    text, size = _fit(text, font, size, w, smallest)
    pdf.setFont(font, size)
    pdf.drawCentredString(x, y, text)


def _cut_lines(pdf, width: float, height: float) -> None:
    pdf.saveState()
    pdf.setDash(3, 3)
    pdf.setStrokeGray(0.6)
    pdf.setLineWidth(0.4)
    for column in range(1, COLUMNS):
        pdf.line(width * column / COLUMNS, 0, width * column / COLUMNS, height)
    for row in range(1, ROWS):
        pdf.line(0, height * row / ROWS, width, height * row / ROWS)
    pdf.restoreState()


def badges_pdf(badges: list[Badge], event_name: str, event_date: str, title: str) -> bytes:
    """The badges, 8 to an A4 page, in the order given; one empty sheet if there are none."""
    _fonts()
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, invariant=1)
    pdf.setTitle(title)
    pdf.setAuthor("InnovENT-E")
    width, height = A4
    cell_w, cell_h = width / COLUMNS, height / ROWS
    inner = cell_w - 2 * MARGIN
    pages = [badges[i : i + PER_PAGE] for i in range(0, len(badges), PER_PAGE)] or [[]]
    for page in pages:
        _cut_lines(pdf, width, height)
        for n, badge in enumerate(page):
            column, row = n % COLUMNS, n // COLUMNS
            left, top = column * cell_w, height - row * cell_h
            middle = left + cell_w / 2
            pdf.setFillGray(0.35)
            _line(pdf, event_name, BOLD, 9, 6, middle, top - 12 * mm, inner)
            _line(pdf, event_date, FONT, 8.5, 6, middle, top - 17 * mm, inner)
            pdf.setFillGray(0)
            _line(pdf, badge.name, BOLD, 20, 11, middle, top - 36 * mm, inner)
            _line(pdf, badge.company, FONT, 13, 8, middle, top - 46 * mm, inner)
            pdf.setFillGray(0.3)
            _line(pdf, badge.role, FONT, 10.5, 7, middle, top - 54 * mm, inner)
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()
