"""Import of the official list of territoires d'industrie (services and command)."""

from pathlib import Path

import pytest
from sqlalchemy import select

from coordination.territories.importing import (
    ImportedTerritory,
    SkippedRow,
    TerritoryFileError,
    TerritoryRow,
    import_territories,
    import_territory_file,
    read_territory_file,
)
from coordination.territories.models import Territory

#: Three territories built from real EPCIs and communes (UTF-8 with BOM, CRLF, ";").
#: The codes are made up in the official style; the file gives no région column.
SAMPLE = Path(__file__).with_name("sample_territoires_industrie.csv")
SAMPLE_TERRITORIES = [
    ImportedTerritory("TI-24-001", "Pithiverais"),
    ImportedTerritory("TI-32-001", "Pays du Coquelicot (Albert-Méaulte)"),
    ImportedTerritory("TI-32-002", "Saint-Quentinois et Vermandois"),
]


def _territory(db_session, code: str) -> Territory:
    return db_session.scalar(select(Territory).where(Territory.official_code == code))


def _sirens(territory: Territory) -> list[str]:
    return sorted(epci.siren for epci in territory.epcis)


def test_import_creates_each_territory_from_its_communes_epcis(db_session):
    report = import_territory_file(SAMPLE)

    assert report.rows == 10
    assert report.created == SAMPLE_TERRITORIES
    assert (report.updated, report.unchanged, report.skipped, report.not_in_file) == (
        [],
        [],
        [],
        [],
    )
    db_session.expire_all()
    saint_quentin = _territory(db_session, "TI-32-002")
    assert saint_quentin.name == "Saint-Quentinois et Vermandois"
    assert saint_quentin.search_name == "saint quentinois et vermandois"
    assert _sirens(saint_quentin) == ["200071892", "240200493"]
    assert saint_quentin.region_code == "32"
    assert saint_quentin.is_industry_territory is True
    pithiverais = _territory(db_session, "TI-24-001")
    assert (_sirens(pithiverais), pithiverais.region_code) == (["200066280"], "24")


def test_import_run_twice_changes_nothing_the_second_time(db_session):
    import_territory_file(SAMPLE)

    report = import_territory_file(SAMPLE)

    assert report.created == []
    assert report.updated == []
    assert report.unchanged == SAMPLE_TERRITORIES
    count = len(db_session.scalars(select(Territory)).all())
    assert count == 3


def test_import_reports_what_changed_on_each_updated_territory(db_session):
    import_territory_file(SAMPLE)
    pithiverais = _territory(db_session, "TI-24-001")
    pithiverais.region_code = "11"
    pithiverais.is_industry_territory = False
    db_session.flush()
    rows = [
        TerritoryRow(2, "TI-24-001", "Pithiverais", "200066280", "45252"),
        TerritoryRow(3, "TI-32-001", "Albert - Méaulte", "248000747", "80016"),
        # Saint-Quentinois loses the Pays du Vermandois.
        TerritoryRow(4, "TI-32-002", "Saint-Quentinois et Vermandois", "200071892", "02691"),
    ]

    report = import_territories(rows)

    assert report.created == []
    assert report.updated == [
        ImportedTerritory("TI-24-001", "Pithiverais", ("région", "industry flag")),
        ImportedTerritory("TI-32-001", "Albert - Méaulte", ("name",)),
        ImportedTerritory("TI-32-002", "Saint-Quentinois et Vermandois", ("EPCIs",)),
    ]
    db_session.expire_all()
    coquelicot = _territory(db_session, "TI-32-001")
    assert (coquelicot.name, coquelicot.search_name) == ("Albert - Méaulte", "albert meaulte")
    assert _sirens(_territory(db_session, "TI-32-002")) == ["200071892"]
    assert _territory(db_session, "TI-24-001").region_code == "24"
    assert _territory(db_session, "TI-24-001").is_industry_territory is True


def test_import_skips_bad_rows_with_a_reason_and_imports_the_rest(db_session):
    rows = [
        TerritoryRow(2, "", "Sans code", "200066280", "45252"),
        TerritoryRow(3, "TI-24-001", "Pithiverais", "999999999", ""),
        TerritoryRow(4, "TI-24-001", "Pithiverais", "", "99999"),
        TerritoryRow(5, "TI-24-001", "Pithiverais", "", "22016"),
        TerritoryRow(6, "TI-24-001", "Pithiverais", "", ""),
        TerritoryRow(7, "TI-24-001", "Pithiverais", "", "45252"),
        TerritoryRow(8, "TI-99-001", "", "200066280", ""),
        TerritoryRow(9, "X" * 31, "Trop long", "200066280", ""),
    ]

    report = import_territories(rows)

    assert report.skipped == [
        SkippedRow(2, "missing territory identifier"),
        SkippedRow(3, "unknown EPCI 999999999"),
        SkippedRow(4, "unknown commune 99999"),
        SkippedRow(5, "commune 22016 belongs to no EPCI"),
        SkippedRow(6, "no EPCI nor commune"),
        SkippedRow(8, "no name for territory TI-99-001 on any of its rows"),
        SkippedRow(9, "territory identifier longer than 30 characters: " + "X" * 31),
    ]
    assert report.created == [ImportedTerritory("TI-24-001", "Pithiverais")]
    assert _sirens(_territory(db_session, "TI-24-001")) == ["200066280"]


def test_import_takes_the_epci_of_the_commune_when_the_row_has_none(db_session):
    # A spreadsheet drops the leading zero of "02691".
    import_territories([TerritoryRow(2, "TI-32-002", "Saint-Quentinois", "", "2691")])

    territory = _territory(db_session, "TI-32-002")
    assert (_sirens(territory), territory.region_code) == (["200071892"], "32")


def test_import_sets_the_region_holding_most_of_the_communes(db_session):
    rows = [
        TerritoryRow(2, "TI-X", "Entre deux régions", "200066280", "45252"),
        TerritoryRow(3, "TI-X", "Entre deux régions", "248000747", "80016"),
        TerritoryRow(4, "TI-X", "Entre deux régions", "248000747", "80523"),
        # A tie goes to the smallest région code, so re-runs agree.
        TerritoryRow(5, "TI-Y", "Égalité", "200066280", "45252"),
        TerritoryRow(6, "TI-Y", "Égalité", "248000747", "80016"),
    ]

    import_territories(rows)

    assert _territory(db_session, "TI-X").region_code == "32"
    assert _territory(db_session, "TI-Y").region_code == "24"


def test_import_of_epcis_without_communes_counts_all_the_epcis_communes(db_session, tmp_path):
    # The 65 communes of the Pays du Coquelicot (32) outweigh the 31 of the Pithiverais (24).
    path = tmp_path / "epci_only.csv"
    path.write_text(
        "Code territoire;Nom du territoire;SIREN EPCI\n"
        "TI-X;Entre deux régions;200066280\n"
        "TI-X;Entre deux régions;248000747\n",
        encoding="utf-8",
    )

    report = import_territory_file(path)

    assert report.created == [ImportedTerritory("TI-X", "Entre deux régions")]
    territory = _territory(db_session, "TI-X")
    assert (_sirens(territory), territory.region_code) == (["200066280", "248000747"], "32")


def test_import_reports_official_territories_missing_from_the_file(db_session):
    import_territory_file(SAMPLE)

    report = import_territories([TerritoryRow(2, "TI-24-001", "Pithiverais", "200066280", "45252")])

    assert report.unchanged == [ImportedTerritory("TI-24-001", "Pithiverais")]
    assert report.not_in_file == SAMPLE_TERRITORIES[1:]
    assert _territory(db_session, "TI-32-001") is not None


@pytest.mark.parametrize(
    ("encoding", "name"),
    [
        ("utf-8-sig", "Cœur d’industrie – Méaulte"),
        ("utf-8", "Cœur d’industrie – Méaulte"),
        ("cp1252", "Cœur d’industrie – Méaulte"),
        ("latin-1", "Coeur d'industrie - Méaulte"),
    ],
)
def test_read_file_detects_the_encoding(tmp_path, encoding, name):
    path = tmp_path / "territoires.csv"
    path.write_bytes(
        f"Identifiant;Libellé territoire;Code INSEE\nTI-32-001;{name};80523\n".encode(encoding)
    )

    assert read_territory_file(path) == [TerritoryRow(2, "TI-32-001", name, "", "80523")]


def test_read_file_accepts_header_aliases_commas_and_blank_lines(tmp_path):
    path = tmp_path / "territoires.csv"
    path.write_text(
        "\nID_TI,NOM_TI,CODE_EPCI,INSEE_COM\n\nTI-24-001,Pithiverais,200066280,45252\n",
        encoding="utf-8",
    )

    assert read_territory_file(path) == [
        TerritoryRow(4, "TI-24-001", "Pithiverais", "200066280", "45252")
    ]


def test_read_file_refuses_a_csv_of_another_shape(tmp_path):
    path = tmp_path / "autre.csv"
    path.write_text("code_insee;population\n45252;8981\n", encoding="utf-8")

    with pytest.raises(TerritoryFileError) as error:
        read_territory_file(path)

    assert str(error.value) == (
        "This is not the list of territoires d'industrie: no column for the territory's "
        "identifier (e.g. id_ti, code_ti, identifiant); its name (e.g. lib_ti, nom_ti, "
        "libellé territoire). Columns found: code_insee, population."
    )


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "The file is empty."),
        (
            b"PK\x03\x04\x14\x00",
            "This is a spreadsheet (xlsx or zip), not a CSV file: save it as CSV first.",
        ),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "This is not a text file: expected a CSV file."),
    ],
)
def test_read_file_refuses_files_that_are_not_csv(tmp_path, content, message):
    path = tmp_path / "fichier.csv"
    path.write_bytes(content)

    with pytest.raises(TerritoryFileError) as error:
        read_territory_file(path)

    assert str(error.value) == message
