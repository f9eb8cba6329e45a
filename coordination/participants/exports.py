"""Tables of participants and of anonymised answers, as CSV (for Excel: BOM, ';') or .xlsx."""

import csv
import io

from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from coordination.core.disclosure import GENERALISED, k_anonymise
from coordination.core.formatting import spreadsheet_datetime
from coordination.participants.models import COMPANY_SIZE_LABELS, SEAT_STATUS_LABELS


def participants_table(registrations, workshops) -> list[list]:
    """A header row and one row per registration, a column per workshop."""
    header = [
        _("Last name"),
        _("First name"),
        _("Email"),
        _("Phone"),
        _("Role"),
        _("Company"),
        _("SIRET"),
        _("Company size"),
        _("NAF code"),
        _("Commune"),
        _("Registered at"),
        _("Cancelled at"),
        _("Present"),
        *[w.title for w in workshops],
    ]
    rows = [header]
    for r in registrations:
        by_workshop = {s.workshop_id: s for s in r.seats}
        rows.append(
            [
                r.last_name,
                r.first_name,
                r.email,
                r.phone,
                r.role,
                r.company_name,
                r.siret or "",
                str(COMPANY_SIZE_LABELS.get(r.company_size, r.company_size)),
                r.naf_code,
                r.commune_insee or "",
                spreadsheet_datetime(r.registered_at),
                spreadsheet_datetime(r.cancelled_at),
                _("yes") if r.checked_in_at else "",
                *[
                    str(SEAT_STATUS_LABELS[by_workshop[w.id].status]) if w.id in by_workshop else ""
                    for w in workshops
                ],
            ]
        )
    return rows


def answers_table(rows, small_cell: int) -> list[list]:
    """Anonymised answers: no person, company or commune; sector, size, then territory are
    generalised ("*") until each combination is shared by `small_cell` rows (k-anonymity,
    core/disclosure.py); a row still too rare is left out."""
    records = [
        (row.edition_slug, row.region_code, row.territory_id, row.size, row.sector) for row in rows
    ]
    released = k_anonymise(records, small_cell, keep=2)
    keys = sorted({key for row in rows for key in row.answers}, key=lambda k: (len(k), k))
    table = [
        [
            _("Edition"),
            _("Région"),
            _("Territory"),
            _("Company size"),
            _("NAF section"),
            *[f"Q{key}" for key in keys],
        ]
    ]
    for row, shown in zip(rows, released, strict=True):
        if shown is None:
            continue
        territory, size, sector = (
            value if shown[index] != GENERALISED else GENERALISED
            for index, value in ((2, row.territory), (3, row.size), (4, row.sector))
        )
        values = []
        for key in keys:
            value = row.answers.get(key, "")
            values.append(" | ".join(value) if isinstance(value, list) else value)
        table.append([row.edition, row.region, territory, size, sector, *values])
    return table


def as_csv(table: list[list]) -> str:
    """UTF-8 with a BOM and ';' separators: what Excel in French opens correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerows(table)
    return "\ufeff" + buffer.getvalue()


def as_xlsx(table: list[list], title: str) -> bytes:
    """An Excel workbook of one sheet, header in bold, columns sized to their content."""
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]
    for row in table:
        sheet.append(row)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for index, column in enumerate(zip(*table, strict=False), start=1):
        width = max(len(str(value)) for value in column)
        sheet.column_dimensions[get_column_letter(index)].width = min(max(width + 2, 8), 50)
    sheet.freeze_panes = "A2"
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()
