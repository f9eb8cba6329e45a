"""`flask territories import`."""

from pathlib import Path

from sqlalchemy import func, select

from coordination.territories.models import Territory

SAMPLE = Path(__file__).with_name("sample_territoires_industrie.csv")


def _territory_count(db_session) -> int:
    return db_session.scalar(select(func.count()).select_from(Territory))


def test_import_command_reports_created_then_unchanged(app, db_session):
    runner = app.test_cli_runner()

    first = runner.invoke(args=["territories", "import", str(SAMPLE)])
    second = runner.invoke(args=["territories", "import", str(SAMPLE)])

    assert first.exit_code == 0, first.output
    assert first.output == (
        "Importing 10 rows\n"
        "created: TI-24-001 Pithiverais\n"
        "created: TI-32-001 Pays du Coquelicot (Albert-Méaulte)\n"
        "created: TI-32-002 Saint-Quentinois et Vermandois\n"
        "10 rows read: 3 created, 0 updated, 0 unchanged, 0 rows skipped\n"
    )
    assert second.output == (
        "Importing 10 rows\n10 rows read: 0 created, 0 updated, 3 unchanged, 0 rows skipped\n"
    )
    assert _territory_count(db_session) == 3


def test_import_command_lists_updates_and_skipped_rows(app, db_session, tmp_path):
    runner = app.test_cli_runner()
    runner.invoke(args=["territories", "import", str(SAMPLE)])
    changed = tmp_path / "changed.csv"
    changed.write_text(
        SAMPLE.read_text(encoding="utf-8-sig")
        .replace("Pithiverais;", "Grand Pithiverais;")
        .replace("02334;Fresnoy-le-Grand;240200493", "02334;Fresnoy-le-Grand;999999999"),
        encoding="utf-8",
    )

    result = runner.invoke(args=["territories", "import", str(changed)])

    assert result.exit_code == 0, result.output
    assert result.output == (
        "Importing 10 rows\n"
        "updated: TI-24-001 Grand Pithiverais (name)\n"
        "skipped line 11: unknown EPCI 999999999\n"
        "10 rows read: 0 created, 1 updated, 2 unchanged, 1 rows skipped\n"
    )


def test_import_command_dry_run_saves_nothing(app, db_session):
    result = app.test_cli_runner().invoke(args=["territories", "import", "--dry-run", str(SAMPLE)])

    assert result.exit_code == 0, result.output
    assert result.output.endswith(
        "10 rows read: 3 created, 0 updated, 0 unchanged, 0 rows skipped (dry run: nothing saved)\n"
    )
    assert _territory_count(db_session) == 0


def test_import_command_explains_a_file_of_another_shape(app, db_session, tmp_path):
    path = tmp_path / "communes.csv"
    path.write_text("nom;code\nPithiviers;45252\n", encoding="utf-8")

    result = app.test_cli_runner().invoke(args=["territories", "import", str(path)])

    assert result.exit_code == 1
    assert result.output == (
        "Error: This is not the list of territoires d'industrie: no column for the "
        "territory's identifier (e.g. id_ti, code_ti, identifiant); its name (e.g. lib_ti, "
        "nom_ti, libellé territoire); the EPCI's SIREN or the commune's INSEE code (e.g. "
        "siren_epci, code_epci, insee_com, code_insee). Columns found: nom, code.\n"
    )
    assert _territory_count(db_session) == 0
