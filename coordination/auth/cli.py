"""`flask users …`: the first staff account, and accounts when the web is not at hand."""

import click
from flask.cli import AppGroup
from flask_babel import force_locale
from sqlalchemy import select

from coordination.auth import accounts
from coordination.auth.models import Role, User
from coordination.auth.services import create_login_link, find_user_by_email
from coordination.core.clock import utcnow
from coordination.core.formatting import local_datetime
from coordination.extensions import db

users_cli = AppGroup("users", help="Accounts: create, list, deactivate, reactivate.")


def _fail(error: accounts.AccountError):
    db.session.rollback()
    with force_locale("en"):
        raise click.ClickException(str(error.message))


def _user_or_fail(email: str) -> User:
    user = find_user_by_email(email)
    if user is None:
        raise click.ClickException(f"No account for {email.strip()}.")
    return user


@users_cli.command("create")
@click.argument("email")
@click.option("--name", default="", help="The person's name.")
@click.option(
    "--role",
    "roles",
    multiple=True,
    help=f"A role to give (repeatable): {', '.join(r.value for r in Role)}.",
)
@click.option("--locale", type=click.Choice(["fr", "en"]), default="fr")
def users_create(email: str, name: str, roles: tuple[str, ...], locale: str):
    """Create the account of EMAIL (or add roles to it); print a one-time sign-in link."""
    now = utcnow()
    try:
        user, created = accounts.add_account(
            email, name, roles, now, via=accounts.VIA_CLI, locale=locale
        )
        if not user.is_active:
            raise accounts.AccountError("This account is deactivated: reactivate it first.")
    except accounts.AccountError as error:
        _fail(error)
    url = create_login_link(user, now)
    db.session.commit()
    roles = ", ".join(sorted(user.roles)) or "no role"
    click.echo(f"{'created' if created else 'updated'}: {user.email} ({roles})")
    click.echo("One-time sign-in link (works once, expires soon):")
    click.echo(url)


@users_cli.command("list")
@click.option(
    "--locale",
    type=click.Choice(["fr", "en"]),
    default="fr",
    help="The language of the dates (French by default, as the pages).",
)
def users_list(locale: str):
    """List the accounts: email, name, roles, active, last sign-in (Paris time)."""
    users = db.session.scalars(select(User).order_by(User.email))
    with force_locale(locale):
        for user in users:
            last = local_datetime(user.last_sign_in_at, "short") or "never"
            click.echo(
                "\t".join(
                    (
                        user.email,
                        user.name or "-",
                        ",".join(sorted(user.roles)) or "-",
                        "active" if user.is_active else "inactive",
                        last,
                    )
                )
            )


@users_cli.command("deactivate")
@click.argument("email")
def users_deactivate(email: str):
    """Deactivate the account of EMAIL: no sign-in, no feeds; its history stays."""
    _switch_account(email, accounts.deactivate, "deactivated", "already inactive")


@users_cli.command("reactivate")
@click.argument("email")
def users_reactivate(email: str):
    """Let the account of EMAIL sign in again."""
    _switch_account(email, accounts.reactivate, "reactivated", "already active")


def _switch_account(email: str, action, done: str, unchanged: str) -> None:
    user = _user_or_fail(email)
    try:
        changed = action(user, utcnow(), actor=None, via=accounts.VIA_CLI)
    except accounts.AccountError as error:
        _fail(error)
    db.session.commit()
    click.echo(f"{done if changed else unchanged}: {user.email}")
