"""`flask territories …`: import the official list of territoires d'industrie."""

from pathlib import Path

import click
from flask.cli import AppGroup

from coordination.extensions import db
from coordination.territories.importing import (
    TerritoryFileError,
    TerritoryImportReport,
    import_territories,
    read_territory_file,
)

territories_cli = AppGroup("territories", help="Territoires d'industrie.")


@territories_cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Report what would change and save nothing.")
def import_command(file: Path, dry_run: bool):
    """Import the official CSV list of territoires d'industrie from FILE (safe to re-run)."""
    try:
        rows = read_territory_file(file)
    except TerritoryFileError as error:
        raise click.ClickException(str(error)) from error
    with click.progressbar(rows, label=f"Importing {len(rows)} rows") as progress:
        report = import_territories(progress)
    if dry_run:
        db.session.rollback()
    else:
        db.session.commit()
    _print_report(report, dry_run)


def _print_report(report: TerritoryImportReport, dry_run: bool) -> None:
    for territory in report.created:
        click.echo(f"created: {territory.code} {territory.name}")
    for territory in report.updated:
        click.echo(f"updated: {territory.code} {territory.name} ({', '.join(territory.changes)})")
    for skipped in report.skipped:
        click.echo(f"skipped line {skipped.line}: {skipped.reason}")
    for territory in report.not_in_file:
        click.echo(f"not in the file, left as is: {territory.code} {territory.name}")
    click.echo(report.summary() + (" (dry run: nothing saved)" if dry_run else ""))
