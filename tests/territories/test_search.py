"""Searches: communes by the start of their name (indexed), EPCIs and territories."""

import pytest
from sqlalchemy import text

from coordination.territories.models import Territory
from coordination.territories.queries import search_epcis, search_territories
from coordination.territories.services import (
    commune_search_statement,
    save_territory,
    search_communes,
)


def _names(communes) -> list[str]:
    return [commune.name for commune in communes]


@pytest.mark.parametrize(
    "typed", ["saint quentin", "SAINT-QUENTIN", "Saint-Quentin", "  saint   quentin ", "saint-qu"]
)
def test_search_communes_ignores_case_hyphens_and_spaces(typed):
    assert _names(search_communes(typed, limit=3)) == [
        "Saint-Quentin",
        "Saint-Quentin-Fallavier",
        "Saint-Quentin-la-Poterie",
    ]


@pytest.mark.parametrize("typed", ["meaulte", "Méaulte", "MEAULTE", "méault"])
def test_search_communes_ignores_accents(typed):
    assert _names(search_communes(typed)) == ["Méaulte"]


def test_search_communes_matches_the_start_of_the_name_only():
    # Abbreviations are not expanded: "st" is not "saint".
    found = search_communes("st", limit=5)
    assert _names(found) == [
        "Strasbourg",
        "Stains",
        "Stiring-Wendel",
        "Steenvoorde",
        "Staffelfelden",
    ]
    assert _names(search_communes("quentin")) == []


@pytest.mark.parametrize("typed", ["l'isle", "L’ISLE", "l isle", "L-Isle", "isle"])
def test_search_communes_finds_names_whatever_the_article(typed):
    # Names carry their article ("L'Isle-Adam"); the search finds them with or without it.
    assert _names(search_communes(typed, limit=4)) == [
        "L'Isle-sur-la-Sorgue",
        "L'Isle-d'Abeau",
        "L'Isle-Adam",
        "L'Isle-Jourdain",
    ]


def test_search_communes_finds_le_mans_and_la_rochelle():
    assert _names(search_communes("Le Mans", limit=1)) == ["Le Mans"]
    assert _names(search_communes("mans", limit=1)) == ["Le Mans"]
    assert [(c.name, c.departement_code) for c in search_communes("la rochelle")] == [
        ("La Rochelle", "17"),
        ("La Rochelle", "70"),
    ]
    # A commune stored with its article is found with or without it.
    assert "Le Vernet-Chaméane" in _names(search_communes("le vernet cham"))
    assert "Le Vernet-Chaméane" in _names(search_communes("vernet cham"))


@pytest.mark.parametrize("typed", ["", "   ", "-'’", "l'"])
def test_search_communes_without_letters_finds_nothing_or_keeps_the_letter(typed):
    expected = _names(search_communes("l")) if typed == "l'" else []
    assert _names(search_communes(typed)) == expected


def test_search_communes_most_populated_first_and_limited():
    found = search_communes("pa", limit=2)
    assert _names(found) == ["Paris", "Pau"]


def _plan(db_session, statement) -> str:
    connection = db_session.connection()
    sql = str(statement.compile(dialect=connection.dialect, compile_kwargs={"literal_binds": True}))
    if connection.dialect.name == "postgresql":
        # The table is small enough for a sequential scan to win; forbid it to see
        # whether the index *can* serve the range (it cannot under a non-C collation).
        connection.execute(text("SET LOCAL enable_seqscan = off"))
        rows = connection.execute(text("EXPLAIN " + sql)).scalars()
    else:
        rows = (row[-1] for row in connection.execute(text("EXPLAIN QUERY PLAN " + sql)))
    return "\n".join(rows)


def test_search_communes_uses_the_index(db_session):
    plan = _plan(db_session, commune_search_statement("saint quentin"))

    if db_session.connection().dialect.name == "postgresql":
        assert (
            "Index Scan using ix_communes_search_name" in plan
            or "Bitmap Index Scan on ix_communes_search_name" in plan
        ), plan
    else:
        assert "USING INDEX ix_communes_search_name (search_name>? AND search_name<?)" in plan, plan


def test_search_epcis_by_name_commune_or_siren():
    assert [e.siren for e in search_epcis("coquelicot")] == ["248000747"]
    # Through its commune Pithiviers: the EPCI's name says "Pithiverais".
    assert [e.siren for e in search_epcis("Pithiviers")] == ["200066280"]
    assert [e.siren for e in search_epcis("200 066 2")] == ["200066223", "200066231", "200066280"]
    assert search_epcis("  ") == []


def test_search_epcis_puts_name_matches_first():
    assert [e.name for e in search_epcis("saint quentin", limit=3)] == [
        "Communauté d'agglomération de Saint-Quentin-en-Yvelines",
        "Communauté d'agglomération du Saint-Quentinois",
        # Holds Saint-Quentin-sur-Sauxillanges; commune matches come by name.
        "Communauté d'agglomération Agglo Pays d'Issoire",
    ]


@pytest.fixture
def territories(db_session):
    def make(name, sirens, code=None):
        return save_territory(
            None,
            name=name,
            official_code=code,
            region_code=None,
            is_industry_territory=True,
            epci_sirens=sirens,
        )

    return {
        "pithiverais": make("Pithiverais", ["200066280"], "TI-24-001"),
        "coquelicot": make("Pays du Coquelicot", ["248000747"], "TI-32-001"),
        "saint_quentin": make("Saint-Quentinois", ["200071892"]),
    }


def _territory_names(found: list[Territory]) -> list[str]:
    return [territory.name for territory in found]


def test_search_territories_by_name_commune_departement_or_code(territories):
    assert _territory_names(search_territories("coquel")) == ["Pays du Coquelicot"]
    assert _territory_names(search_territories("quentinois")) == ["Saint-Quentinois"]
    # Méaulte is a commune of the Pays du Coquelicot.
    assert _territory_names(search_territories("Méaulte")) == ["Pays du Coquelicot"]
    assert _territory_names(search_territories("45")) == ["Pithiverais"]
    assert _territory_names(search_territories("02")) == ["Saint-Quentinois"]
    assert _territory_names(search_territories("ti-32")) == ["Pays du Coquelicot"]
    assert search_territories("") == []
    assert search_territories("Strasbourg") == []


def test_search_territories_lists_name_matches_before_commune_matches(territories):
    # The Pays du Coquelicot holds communes named "Saint-…"; the one named so comes first.
    assert _territory_names(search_territories("saint")) == [
        "Saint-Quentinois",
        "Pays du Coquelicot",
    ]


def test_saved_territory_takes_the_region_of_most_of_its_communes(territories):
    assert territories["pithiverais"].region_code == "24"
    assert territories["saint_quentin"].region_code == "32"
