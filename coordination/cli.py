"""Command-line interface: `flask setup`, `flask mail test`, `flask outbox deliver`, …"""

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from flask_migrate import upgrade

from coordination.core.clock import utcnow
from coordination.extensions import db

geo_cli = AppGroup("geo", help="Reference data: régions, départements, EPCI, communes.")
mail_cli = AppGroup("mail", help="Mail settings.")
outbox_cli = AppGroup("outbox", help="The outbox of emails.")
scheduler_cli = AppGroup("scheduler", help="The job scheduler.")
digests_cli = AppGroup("digests", help="Staff digests.")
demo_cli = AppGroup("demo", help="Demo data.")


def _print_load_reports(reports) -> None:
    for name, report in reports.items():
        click.echo(
            f"{name}: {report.created} created, {report.updated} updated, "
            f"{report.unchanged} unchanged"
        )


@geo_cli.command("load")
def geo_load():
    """Load the bundled reference data (safe to re-run)."""
    from coordination.territories.services import load_reference_data

    _print_load_reports(load_reference_data())
    db.session.commit()


@demo_cli.command("load")
@click.option(
    "--size",
    type=click.Choice(["small", "large"]),
    default="small",
    show_default=True,
    help="small: a few of everything; large: the real scale (36 stops of 2019, 180 applications…).",
)
def demo_load(size: str):
    """Load the demo data once (re-running changes nothing)."""
    from coordination.demo import load_demo_data

    if size == "large":
        from coordination.demo_large import load_large_demo

        added = load_large_demo(utcnow())
        db.session.commit()
        click.echo(", ".join(f"{name}: {count} added" for name, count in added.items()))
        return
    created = load_demo_data(utcnow())
    db.session.commit()
    click.echo("demo data loaded" if created else "demo data already present")


@click.command("setup")
def setup():
    """Migrate the database, load reference and demo data: everything `make run` needs."""
    from coordination.demo import DEMO_ACCOUNTS, load_demo_data
    from coordination.territories.services import load_reference_data

    upgrade()
    _print_load_reports(load_reference_data())
    db.session.commit()
    load_demo_data(utcnow())
    db.session.commit()
    click.echo(f"\nThe platform: {current_app.config['BASE_URL']}/")
    click.echo("Demo accounts (password for all: demo-password-2026):")
    for email, roles in DEMO_ACCOUNTS:
        click.echo(f"  {email:<40} {', '.join(roles)}")


@mail_cli.command("test")
@click.argument("address")
def mail_test(address: str):
    """Queue a test message to ADDRESS (delivered by the next delivery pass)."""
    from coordination.notifications.services import queue_email

    now = utcnow()
    message = queue_email(
        key=f"mail-test:{address}:{now.isoformat()}",
        template="notifications/test",
        to_email=address,
        context={"backend": current_app.config["MAIL_BACKEND"], "now": now},
        now=now,
    )
    db.session.commit()
    click.echo(f"queued message {message.id} to {address}; run `flask outbox deliver` to send now")


@outbox_cli.command("deliver")
def outbox_deliver():
    """Run one delivery pass and say what was sent and what failed."""
    from coordination.notifications.models import OutboxMessage
    from coordination.notifications.services import deliver_due_messages

    report = deliver_due_messages(utcnow(), worker="cli")
    for label, ids in (
        ("sent", report.sent),
        ("retry", report.retrying),
        ("failed", report.failed),
    ):
        for message_id in ids:
            message = db.session.get(OutboxMessage, message_id)
            detail = f" ({message.last_error})" if message.last_error else ""
            click.echo(f"{label}: #{message_id} to {message.to_email}: {message.subject}{detail}")
    click.echo(
        f"{len(report.sent)} sent, {len(report.retrying)} to retry, {len(report.failed)} failed"
    )
    if report.paused_until:
        # A provider's rate limit: every worker waits; nothing has failed because of it.
        click.echo(f"provider rate limit: sending paused until {report.paused_until:%H:%M:%S} UTC")


@scheduler_cli.command("run")
def scheduler_run():
    """Run the jobs (leader) or wait as a standby while another copy leads."""
    from coordination.scheduler import run_scheduler

    run_scheduler(current_app._get_current_object())


@digests_cli.command("send")
def digests_send():
    """Queue the digests that are due now (the scheduler does this every few minutes)."""
    from coordination.notifications.digests import send_due_digests

    report = send_due_digests(utcnow())
    db.session.commit()
    click.echo(f"{report.sent} digests queued, {report.empty} had nothing to say")


def register_commands(app: Flask) -> None:
    """Attach every command group to the app."""
    from coordination.auth.cli import users_cli
    from coordination.planner.cli import planner_cli
    from coordination.territories.cli import territories_cli

    for command in (geo_cli, mail_cli, outbox_cli, scheduler_cli, digests_cli, demo_cli, setup):
        app.cli.add_command(command)
    app.cli.add_command(territories_cli)
    app.cli.add_command(planner_cli)
    app.cli.add_command(users_cli)
