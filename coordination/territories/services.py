"""Reference data (régions, départements, EPCI, communes) and territories."""

import csv
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import delete, select

from coordination.core.text import search_key
from coordination.extensions import db
from coordination.territories.models import Commune, Departement, Epci, Region

DATA_DIR = Path(__file__).resolve().parent / "data"


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
            for field, value in changed.items():
                setattr(current, field, value)
            report.updated += 1
        else:
            report.unchanged += 1
    if new_rows:
        db.session.execute(model.__table__.insert(), new_rows)
        report.created += len(new_rows)


def _number(value: str, kind):
    return kind(value) if value not in ("", None) else None


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
            "search_name": search_key(row["name"]),
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


def search_communes(text: str, limit: int = 20) -> list[Commune]:
    """Communes whose folded name starts with the folded text, the most populated first."""
    prefix = search_key(text)
    if not prefix:
        return []
    # A range on the indexed key rather than LIKE: it uses the index on every database.
    return list(
        db.session.scalars(
            select(Commune)
            .where(Commune.search_name >= prefix, Commune.search_name < prefix + "\x7f")
            .order_by(Commune.population.desc().nulls_last(), Commune.name)
            .limit(limit)
        )
    )
