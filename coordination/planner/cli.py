"""`flask planner …`: the routing core on plain TSPTW instances, and the planner's worker."""

import sys

import click
from flask.cli import AppGroup

from coordination.planner import tsptw

planner_cli = AppGroup("planner", help="The planner of an edition's stops.")

#: Exit status when no tour meets every window within the time limit.
NO_VALID_TOUR = 3


@planner_cli.command("tsptw")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--time-limit",
    type=click.FloatRange(min=0.1),
    default=10.0,
    show_default=True,
    help="Seconds of search.",
)
@click.option("--seed", type=int, default=0, show_default=True, help="PyVRP's random seed.")
def tsptw_command(path: str, time_limit: float, seed: int) -> None:
    """Solve one TSPTW instance file; the last line is `cost=<number> tour=0 … 0`.

    Exits with status 3, printing no tour, when none meets every window in time."""
    try:
        instance = tsptw.read(path)
    except tsptw.InstanceError as error:
        raise click.ClickException(str(error)) from error
    result = tsptw.solve(instance, time_limit=time_limit, seed=seed)
    if not result.is_feasible:
        click.echo(
            f"nodes={instance.n}: no tour visiting every node within its window was found "
            f"in {time_limit:g} s. {' '.join(result.notes)}",
            err=True,
        )
        sys.exit(NO_VALID_TOUR)
    first = result.first_valid_after
    click.echo(
        f"nodes={instance.n} valid=yes seconds={result.seconds:.1f} "
        f"first_valid_after={first or 0:.2f}s"
    )
    click.echo(result.line())


@planner_cli.command("work")
@click.option("--once", is_flag=True, help="Run what is queued, then stop.")
@click.option(
    "--poll",
    type=click.FloatRange(min=0.5),
    default=5.0,
    show_default=True,
    help="Seconds between looks at the queue.",
)
def work_command(once: bool, poll: float) -> None:
    """Run queued planner runs (what the scheduler process does every few seconds)."""
    import time

    from coordination.core.clock import utcnow
    from coordination.extensions import db
    from coordination.planner.jobs import run_planner

    while True:
        count = run_planner(utcnow())
        db.session.remove()
        if count:
            click.echo(f"planner runs done: {count}")
        if once:
            return
        time.sleep(poll)
