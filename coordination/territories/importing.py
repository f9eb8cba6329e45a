"""Import of the official list of territoires d'industrie (a CSV from the ANCT or a
spreadsheet): read, check, create or update each territory as the set of its EPCIs."""

import codecs
import csv
import io
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import selectinload
from stdnum.fr import siren as siren_number

from coordination.core.text import search_key
from coordination.extensions import db
from coordination.territories.models import Commune, Departement, Epci, Territory
from coordination.territories.services import _majority, region_counts_by_epci


class TerritoryFileError(Exception):
    """The file is not a CSV list of territoires d'industrie that can be read."""


#: Accepted column names, folded (no accents, case, punctuation or small words).
COLUMN_ALIASES = {
    "code": {
        "id ti",
        "code ti",
        "identifiant",
        "identifiant ti",
        "id territoire",
        "code territoire",
        "identifiant territoire",
        "id territoire industrie",
        "code territoire industrie",
        "identifiant territoire industrie",
    },
    "name": {
        "lib ti",
        "nom ti",
        "libelle ti",
        "territoire",
        "libelle territoire",
        "nom territoire",
        "territoire industrie",
        "libelle territoire industrie",
        "nom territoire industrie",
    },
    "epci": {"siren epci", "epci", "code epci", "epci siren", "siren", "num epci", "id epci"},
    "commune": {
        "insee com",
        "code insee",
        "insee",
        "code commune",
        "code insee commune",
        "insee commune",
        "com",
        "codgeo",
        "depcom",
    },
}
_SMALL_WORDS = {"de", "du", "des", "d", "l", "la", "le"}
MISSING_COLUMN_HINTS = {
    "code": "the territory's identifier (e.g. id_ti, code_ti, identifiant)",
    "name": "its name (e.g. lib_ti, nom_ti, libellé territoire)",
    "epci or commune": (
        "the EPCI's SIREN or the commune's INSEE code (e.g. siren_epci, code_epci, "
        "insee_com, code_insee)"
    ),
}


@dataclass(frozen=True)
class TerritoryRow:
    """One line of the official file: a commune (or an EPCI) of a territory."""

    line: int
    code: str
    name: str = ""
    epci_siren: str = ""
    insee_code: str = ""


@dataclass(frozen=True)
class SkippedRow:
    line: int
    reason: str


@dataclass(frozen=True)
class ImportedTerritory:
    code: str
    name: str
    #: What changed on an update: "name", "EPCIs", "région", "industry flag".
    changes: tuple[str, ...] = ()


@dataclass
class TerritoryImportReport:
    rows: int = 0
    created: list[ImportedTerritory] = field(default_factory=list)
    updated: list[ImportedTerritory] = field(default_factory=list)
    unchanged: list[ImportedTerritory] = field(default_factory=list)
    skipped: list[SkippedRow] = field(default_factory=list)
    #: Official territories already stored but absent from the file: left as they are.
    not_in_file: list[ImportedTerritory] = field(default_factory=list)

    def summary(self) -> str:
        """One line: how many territories were created, updated, unchanged; rows skipped."""
        return (
            f"{self.rows} rows read: {len(self.created)} created, {len(self.updated)} updated, "
            f"{len(self.unchanged)} unchanged, {len(self.skipped)} rows skipped"
        )


def _fold_header(header: str) -> str:
    return " ".join(word for word in search_key(header).split() if word not in _SMALL_WORDS)


def _decode(raw: bytes) -> str:
    if raw.startswith(b"PK\x03\x04"):
        raise TerritoryFileError(
            "This is a spreadsheet (xlsx or zip), not a CSV file: save it as CSV first."
        )
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return raw.decode("utf-16")
    if raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8) :]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    # Excel on Windows writes cp1252; latin-1 decodes any byte left over.
    try:
        return raw.decode("cp1252")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


def _columns(header: list[str]) -> dict[str, int]:
    columns: dict[str, int] = {}
    for index, title in enumerate(header):
        folded = _fold_header(title)
        for role, aliases in COLUMN_ALIASES.items():
            if folded in aliases and role not in columns:
                columns[role] = index
    return columns


def _delimiter(text: str) -> str:
    first = next((line for line in text.splitlines() if line.strip()), "")
    # The official file uses ";"; a copy re-saved elsewhere may use "," or tabs.
    return max(
        (";", ",", "\t"),
        key=lambda delimiter: len(_columns(next(csv.reader([first], delimiter=delimiter)))),
    )


def _missing_columns_message(header: list[str], missing: list[str]) -> str:
    found = ", ".join(cell.strip() for cell in header if cell.strip()) or "none"
    return (
        f"This is not the list of territoires d'industrie: no column for {'; '.join(missing)}. "
        f"Columns found: {found}."
    )


def read_territory_file(path: str | Path) -> list[TerritoryRow]:
    """Read the official CSV (UTF-8 with or without BOM, or cp1252) into rows; raise
    TerritoryFileError if it is not a list of territories."""
    try:
        raw = Path(path).read_bytes()
    except OSError as error:
        raise TerritoryFileError(f"Cannot read {path}: {error.strerror}.") from error
    text = _decode(raw)
    if not text.strip():
        raise TerritoryFileError("The file is empty.")
    if "\x00" in text:
        raise TerritoryFileError("This is not a text file: expected a CSV file.")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    try:
        header = next((record for record in reader if any(cell.strip() for cell in record)), [])
        columns = _columns(header)
        missing = [MISSING_COLUMN_HINTS[role] for role in ("code", "name") if role not in columns]
        if "epci" not in columns and "commune" not in columns:
            missing.append(MISSING_COLUMN_HINTS["epci or commune"])
        if missing:
            raise TerritoryFileError(_missing_columns_message(header, missing))

        def cell(record: list[str], role: str) -> str:
            index = columns.get(role)
            return record[index].strip() if index is not None and index < len(record) else ""

        rows = []
        for record in reader:
            if any(value.strip() for value in record):
                rows.append(
                    TerritoryRow(
                        # The line as a text editor or spreadsheet numbers it, header included.
                        line=reader.line_num,
                        code=cell(record, "code"),
                        name=cell(record, "name"),
                        epci_siren=cell(record, "epci"),
                        insee_code=cell(record, "commune"),
                    )
                )
    except csv.Error as error:
        raise TerritoryFileError(f"This is not a readable CSV file: {error}.") from error
    return rows


@dataclass
class _Draft:
    names: Counter = field(default_factory=Counter)
    epci_sirens: set[str] = field(default_factory=set)
    regions: Counter = field(default_factory=Counter)
    #: EPCIs met without a commune: their région counts come from all their communes.
    epcis_without_commune: set[str] = field(default_factory=set)
    lines: list[int] = field(default_factory=list)


def _clean_insee(value: str) -> str:
    # A spreadsheet turns "01001" into "1001".
    return value.zfill(5) if value.isdigit() and len(value) == 4 else value.upper()


def import_territories(rows: Iterable[TerritoryRow]) -> TerritoryImportReport:
    """Create or update the official territoires d'industrie from the file's rows, each
    territory being the set of its communes' EPCIs; flush, do not commit."""
    report = TerritoryImportReport()
    communes = {
        insee: (epci_siren, region_code)
        for insee, epci_siren, region_code in db.session.execute(
            select(Commune.insee_code, Commune.epci_siren, Departement.region_code).join(
                Departement, Commune.departement_code == Departement.code
            )
        )
    }
    known_epcis = set(db.session.scalars(select(Epci.siren)))
    drafts: dict[str, _Draft] = defaultdict(_Draft)

    for row in rows:
        report.rows += 1
        reason = _skip_reason(row, communes, known_epcis)
        if reason:
            report.skipped.append(SkippedRow(row.line, reason))
            continue
        draft = drafts[row.code]
        draft.lines.append(row.line)
        if row.name:
            draft.names[row.name] += 1
        insee = _clean_insee(row.insee_code)
        epci_siren = siren_number.compact(row.epci_siren) or communes[insee][0]
        draft.epci_sirens.add(epci_siren)
        if insee:
            draft.regions[communes[insee][1]] += 1
        else:
            draft.epcis_without_commune.add(epci_siren)

    without_commune = set().union(*(d.epcis_without_commune for d in drafts.values()))
    epci_regions = region_counts_by_epci(without_commune) if without_commune else {}
    existing = {
        territory.official_code: territory
        for territory in db.session.scalars(
            select(Territory)
            .where(Territory.official_code.is_not(None))
            .options(selectinload(Territory.epcis))
        )
    }
    all_sirens = set().union(*(d.epci_sirens for d in drafts.values()))
    epcis = {
        epci.siren: epci
        for epci in db.session.scalars(select(Epci).where(Epci.siren.in_(all_sirens)))
    }

    for code in sorted(drafts):
        draft = drafts[code]
        name = _majority(draft.names) or (existing[code].name if code in existing else "")
        if not name:
            report.skipped.extend(
                SkippedRow(line, f"no name for territory {code} on any of its rows")
                for line in draft.lines
            )
            continue
        for siren in draft.epcis_without_commune:
            draft.regions.update(epci_regions.get(siren, Counter()))
        region_code = _majority(draft.regions)
        members = [epcis[siren] for siren in sorted(draft.epci_sirens)]
        territory = existing.get(code)
        if territory is None:
            db.session.add(
                Territory(
                    official_code=code,
                    name=name,
                    search_name=search_key(name),
                    region_code=region_code,
                    is_industry_territory=True,
                    epcis=members,
                )
            )
            report.created.append(ImportedTerritory(code, name))
            continue
        changes = []
        if territory.name != name:
            changes.append("name")
            territory.name = name
            territory.search_name = search_key(name)
        if {epci.siren for epci in territory.epcis} != draft.epci_sirens:
            changes.append("EPCIs")
            territory.epcis = members
        if territory.region_code != region_code:
            changes.append("région")
            territory.region_code = region_code
        if not territory.is_industry_territory:
            changes.append("industry flag")
            territory.is_industry_territory = True
        target = report.updated if changes else report.unchanged
        target.append(ImportedTerritory(code, name, tuple(changes)))

    report.skipped.sort(key=lambda skipped: skipped.line)
    report.not_in_file = [
        ImportedTerritory(code, territory.name)
        for code, territory in sorted(existing.items())
        if code not in drafts and territory.is_industry_territory
    ]
    db.session.flush()
    return report


def _skip_reason(
    row: TerritoryRow, communes: dict[str, tuple[str | None, str]], known_epcis: set[str]
) -> str | None:
    if not row.code:
        return "missing territory identifier"
    if len(row.code) > 30:
        return f"territory identifier longer than 30 characters: {row.code[:40]}"
    if len(row.name) > 200:
        return f"territory name longer than 200 characters ({row.code})"
    insee = _clean_insee(row.insee_code)
    if insee and insee not in communes:
        return f"unknown commune {row.insee_code}"
    epci_siren = siren_number.compact(row.epci_siren)
    if epci_siren:
        return None if epci_siren in known_epcis else f"unknown EPCI {row.epci_siren}"
    if not insee:
        return "no EPCI nor commune"
    if communes[insee][0] is None:
        return f"commune {insee} belongs to no EPCI"
    return None


def import_territory_file(path: str | Path) -> TerritoryImportReport:
    """Read the official CSV at `path` and import it (flush, no commit)."""
    return import_territories(read_territory_file(path))
