"""Reused reads about territories: lists and searches for pages, forms and the API."""

import re

from sqlalchemy import case, func, or_, select
from sqlalchemy.orm import selectinload

from coordination.core.text import search_key
from coordination.extensions import db
from coordination.territories.models import Commune, Epci, Region, Territory, territory_epcis
from coordination.territories.services import commune_search_key, prefix_range

_DEPARTEMENT_CODE = re.compile(r"^(?:\d{2,3}|2[ab])$", re.IGNORECASE)


def all_territories() -> list[Territory]:
    """Every territory with its région and EPCIs, by name."""
    return list(
        db.session.scalars(
            select(Territory)
            .options(selectinload(Territory.epcis), selectinload(Territory.region))
            .order_by(Territory.search_name)
        )
    )


def _territories_with_communes(condition):
    # Territories holding an EPCI that holds a commune matching `condition`.
    return select(territory_epcis.c.territory_id).where(
        territory_epcis.c.epci_siren.in_(select(Commune.epci_siren).where(condition))
    )


def search_territories(text: str, limit: int | None = 20) -> list[Territory]:
    """Territories whose name contains the text, whose code starts with it, holding a commune
    whose name starts with it, or lying in the département it names; name matches first."""
    key = search_key(text)
    if not key:
        return []
    name_matches = Territory.search_name.contains(key)
    conditions = [
        name_matches,
        func.upper(Territory.official_code).startswith(text.strip().upper(), autoescape=True),
    ]
    commune_key = commune_search_key(text)
    if commune_key:
        conditions.append(
            Territory.id.in_(
                _territories_with_communes(prefix_range(Commune.search_name, commune_key))
            )
        )
    if _DEPARTEMENT_CODE.match(text.strip()):
        departement_code = text.strip().upper().zfill(2)
        conditions.append(
            Territory.id.in_(
                _territories_with_communes(Commune.departement_code == departement_code)
            )
        )
    query = (
        select(Territory)
        .where(or_(*conditions))
        .options(selectinload(Territory.epcis), selectinload(Territory.region))
        .order_by(case((name_matches, 0), else_=1), Territory.search_name, Territory.id)
        .limit(limit)
    )
    return list(db.session.scalars(query))


def search_epcis(text: str, limit: int = 20) -> list[Epci]:
    """EPCIs whose SIREN starts with the digits typed, whose name contains the text, or holding
    a commune whose name starts with it; name matches first."""
    digits = re.sub(r"[\s.]", "", text)
    if digits.isdigit():
        condition = Epci.siren.startswith(digits)
        rank = Epci.siren
    else:
        key = search_key(text)
        if not key:
            return []
        name_matches = Epci.search_name.contains(key)
        condition = name_matches
        commune_key = commune_search_key(text)
        if commune_key:
            condition = or_(
                name_matches,
                Epci.siren.in_(
                    select(Commune.epci_siren).where(prefix_range(Commune.search_name, commune_key))
                ),
            )
        rank = case((name_matches, 0), else_=1)
    return list(
        db.session.scalars(select(Epci).where(condition).order_by(rank, Epci.name).limit(limit))
    )


def epcis_in_order(sirens: list[str]) -> list[Epci]:
    """The EPCIs with these SIRENs, in the order given (unknown SIRENs are left out)."""
    found = {
        epci.siren: epci for epci in db.session.scalars(select(Epci).where(Epci.siren.in_(sirens)))
    }
    return [found[siren] for siren in sirens if siren in found]


def official_code_in_use(code: str, except_territory_id: int | None = None) -> bool:
    """Whether another territory already has this official code."""
    query = select(Territory.id).where(Territory.official_code == code)
    if except_territory_id is not None:
        query = query.where(Territory.id != except_territory_id)
    return db.session.scalar(query.limit(1)) is not None


def region_choices() -> list[tuple[str, str]]:
    """(code, name) of every région in alphabetical order (accents ignored), for select fields."""
    regions = db.session.scalars(select(Region))
    return sorted(((r.code, r.name) for r in regions), key=lambda choice: search_key(choice[1]))
