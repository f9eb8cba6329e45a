"""`flask planner …`: the routing core on plain TSPTW instances."""

import click
from flask.cli import AppGroup

from coordination.planner import tsptw

planner_cli = AppGroup("planner", help="The planner of an edition's stops.")


@planner_cli.command("tsptw")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--time-limit",
    type=click.FloatRange(min=0.1),
    default=10.0,
    show_default=True,
    help="Seconds of search.",
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=2,
    show_default=True,
    help="CP-SAT workers (cores).",
)
def tsptw_command(path: str, time_limit: float, workers: int) -> None:
    """Solve one TSPTW instance file; the last line is `cost=<number> tour=0 … 0`."""
    try:
        instance = tsptw.read(path)
    except tsptw.InstanceError as error:
        raise click.ClickException(str(error)) from error
    result = tsptw.solve(instance, time_limit=time_limit, workers=workers)
    click.echo(
        f"nodes={instance.n} feasible={'yes' if result.is_feasible else 'no'} "
        f"late={result.violations} seconds={result.seconds:.1f} {' '.join(result.notes)}"
    )
    click.echo(result.line())
