"""Reference data (régions, départements, EPCI, communes) and territories."""

import csv
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Select, delete, func, select
from stdnum.exceptions import ValidationError as InvalidSiren
from stdnum.fr import siren as siren_number

from coordination.core.text import search_key
from coordination.extensions import db
from coordination.territories.models import Commune, Departement, Epci, Region, Territory

DATA_DIR = Path(__file__).resolve().parent / "data"

# Official names carry their article ("Le Mans", "La Rochelle", "L'Isle-Adam"); both the
# stored key and the typed text lose it, so "mans", "Le Mans" and "l'isle" all find them.
_LEADING_ARTICLE = re.compile(r"^(?:l|le|la|les) (?=\S)")


@dataclass
class LoadReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


def _read_csv(name: str) -> list[dict]:
    with open(DATA_DIR / name, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _upsert(model, key: str, rows: list[dict], report: LoadReport) -> None:
    existing = {getattr(obj, key): obj for obj in db.session.scalars(select(model))}
    new_rows = []
    for row in rows:
        current = existing.get(row[key])
        if current is None:
            new_rows.append(row)
            continue
        changed = {k: v for k, v in row.items() if getattr(current, k) != v}
        if changed:
            for field_name, value in changed.items():
                setattr(current, field_name, value)
            report.updated += 1
        else:
            report.unchanged += 1
    if new_rows:
        db.session.execute(model.__table__.insert(), new_rows)
        report.created += len(new_rows)


def _number(value: str, kind):
    # The source writes "nan" for the few communes without town-hall coordinates.
    if value is None or value.strip().lower() in ("", "nan"):
        return None
    return kind(value)


def commune_search_key(text: str) -> str:
    """Fold a commune name or typed text for prefix search, without a leading article."""
    return _LEADING_ARTICLE.sub("", search_key(text))


def load_reference_data() -> dict[str, LoadReport]:
    """Load the bundled régions, départements, EPCI and communes; safe to re-run (no commit)."""
    reports = {name: LoadReport() for name in ("regions", "departements", "epcis", "communes")}
    _upsert(Region, "code", _read_csv("regions.csv"), reports["regions"])
    _upsert(Departement, "code", _read_csv("departements.csv"), reports["departements"])
    epcis = [dict(row, search_name=search_key(row["name"])) for row in _read_csv("epci.csv")]
    _upsert(Epci, "siren", epcis, reports["epcis"])
    communes = [
        {
            "insee_code": row["insee_code"],
            "name": row["name"],
            "search_name": commune_search_key(row["name"]),
            "departement_code": row["departement_code"],
            "epci_siren": row["epci_siren"] or None,
            "population": _number(row["population"], int),
            "latitude": _number(row["latitude"], float),
            "longitude": _number(row["longitude"], float),
        }
        for row in _read_csv("communes.csv")
    ]
    _upsert(Commune, "insee_code", communes, reports["communes"])
    db.session.flush()
    return reports


def clear_reference_data() -> None:
    """Remove communes, EPCI, départements and régions (tests and re-imports)."""
    for model in (Commune, Epci, Departement, Region):
        db.session.execute(delete(model))


def prefix_range(column, prefix: str):
    """A condition "column starts with prefix" written as a range, so an index serves it."""
    # LIKE 'x%' only uses a b-tree under the C collation (PostgreSQL) or with
    # case_sensitive_like (SQLite); a range on the folded key works on both.
    return (column >= prefix) & (column < prefix + "\x7f")


def commune_search_statement(text: str, limit: int = 20) -> Select:
    """The query behind search_communes(), kept apart so tests can EXPLAIN it."""
    return (
        select(Commune)
        .where(prefix_range(Commune.search_name, commune_search_key(text)))
        .order_by(Commune.population.desc().nulls_last(), Commune.name)
        .limit(limit)
    )


def search_communes(text: str, limit: int = 20) -> list[Commune]:
    """Communes whose folded name starts with the folded text, the most populated first."""
    if not commune_search_key(text):
        return []
    return list(db.session.scalars(commune_search_statement(text, limit)))


# --- Territories edited by hand --------------------------------------------------------


def parse_sirens(text: str) -> tuple[list[str], list[str]]:
    """Split pasted text into valid SIRENs (in order, once each) and the entries that are not."""
    sirens: list[str] = []
    invalid: list[str] = []
    for entry in re.split(r"[\n,;]+", text or ""):
        entry = entry.strip()
        if not entry:
            continue
        # A line may be "200066280 Communauté de communes du Pithiverais", as copied.
        match = re.match(r"[\d .]+", entry)
        candidate = siren_number.compact(match.group(0)) if match else entry
        try:
            siren = siren_number.validate(candidate)
        except InvalidSiren:
            invalid.append(entry)
            continue
        if siren not in sirens:
            sirens.append(siren)
    return sirens, invalid


def unknown_epci_sirens(sirens: Iterable[str]) -> list[str]:
    """The SIRENs among `sirens` that name no EPCI of the reference data."""
    wanted = list(sirens)
    known = set(db.session.scalars(select(Epci.siren).where(Epci.siren.in_(wanted))))
    return [siren for siren in wanted if siren not in known]


def _majority(counts: Counter) -> str | None:
    # The most frequent; ties go to the smallest code so re-runs agree.
    if not counts:
        return None
    return min(counts.items(), key=lambda item: (-item[1], item[0]))[0]


def region_counts_by_epci(sirens: Iterable[str] | None = None) -> dict[str, Counter]:
    """For each EPCI, how many of its communes lie in each région."""
    query = (
        select(Commune.epci_siren, Departement.region_code, func.count())
        .join(Departement, Commune.departement_code == Departement.code)
        .where(Commune.epci_siren.is_not(None))
        .group_by(Commune.epci_siren, Departement.region_code)
    )
    if sirens is not None:
        query = query.where(Commune.epci_siren.in_(list(sirens)))
    counts: dict[str, Counter] = defaultdict(Counter)
    for epci_siren, region_code, count in db.session.execute(query):
        counts[epci_siren][region_code] += count
    return counts


def majority_region_code(epci_sirens: Iterable[str]) -> str | None:
    """The région holding most of the communes of these EPCIs."""
    total: Counter = Counter()
    for counts in region_counts_by_epci(epci_sirens).values():
        total.update(counts)
    return _majority(total)


def save_territory(
    territory: Territory | None,
    *,
    name: str,
    official_code: str | None,
    region_code: str | None,
    is_industry_territory: bool,
    epci_sirens: list[str],
) -> Territory:
    """Create (territory None) or update a territory from staff input; the région defaults
    to the majority région of its EPCIs' communes."""
    if territory is None:
        territory = Territory()
        db.session.add(territory)
    name = name.strip()
    territory.name = name
    territory.search_name = search_key(name)
    territory.official_code = (official_code or "").strip() or None
    territory.region_code = region_code or majority_region_code(epci_sirens)
    territory.is_industry_territory = is_industry_territory
    territory.epcis = list(db.session.scalars(select(Epci).where(Epci.siren.in_(epci_sirens))))
    db.session.flush()
    return territory
