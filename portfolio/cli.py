"""Command-line tools: `flask --app portfolio db|users|tokens|seed-demo|backup|restore ...`."""

from __future__ import annotations

import datetime as dt

import click
from flask import Flask, current_app, url_for
from flask.cli import AppGroup
from sqlalchemy import func, select

from portfolio import migrate
from portfolio.db import get_session
from portfolio.domain.roles import Role
from portfolio.models import Pilot, User
from portfolio.services import tokens, users

db_cli = AppGroup("db", help="The database schema (Alembic migrations).")
users_cli = AppGroup("users", help="User accounts.")
tokens_cli = AppGroup("tokens", help="Personal API tokens.")
reminders_cli = AppGroup("reminders", help="E-mail reminders (run by a scheduler, e.g. daily).")


@reminders_cli.command("send")
@click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="The date to count from (default: today).")
def reminders_send(today) -> None:
    """Remind pilot leaders and benefit owners of follow-ups due or overdue; never the same reminder twice."""
    from portfolio.services import mail

    base = (current_app.config.get("BASE_URL") or "http://localhost:5000").rstrip("/")
    day = today.date() if today else dt.date.today()
    session = get_session()
    with current_app.test_request_context(base_url=base):  # links, not a request: no locale from a user
        link_for = lambda pilot: url_for("pilots.show", code=pilot.code, _external=True)  # noqa: E731
        sent = mail.send_follow_up_reminders(session, today=day, link_for=link_for)
    session.commit()
    click.echo(f"Sent {sent} reminder(s).")


@db_cli.command("upgrade")
@click.argument("revision", default="head")
def db_upgrade(revision: str) -> None:
    """Upgrade the database to REVISION (default: the newest)."""
    migrate.upgrade(current_app.config["DATABASE_URL"], revision)
    click.echo(f"Database upgraded to {revision}.")


@db_cli.command("downgrade")
@click.argument("revision")
def db_downgrade(revision: str) -> None:
    """Downgrade the database to REVISION (e.g. -1 or base)."""
    migrate.downgrade(current_app.config["DATABASE_URL"], revision)
    click.echo(f"Database downgraded to {revision}.")


@users_cli.command("create")
@click.option("--email", required=True, help="The user's e-mail address (the login).")
@click.option("--name", required=True, help="The user's full name.")
@click.option(
    "--role", "roles", multiple=True, required=True, type=click.Choice([r.value for r in Role]),
    help="A role; repeat for several.",
)
@click.password_option(help="Asked for when not given (at least 12 characters).")
def users_create(email: str, name: str, roles: tuple[str, ...], password: str) -> None:
    """Create a user, e.g. the first admin."""
    session = get_session()
    try:
        user = users.create_user(session, email=email, name=name, roles=[Role(r) for r in roles],
                                 password=password, actor=None)
    except users.PasswordPolicyError as error:
        reasons = {"too_short": "at least 12 characters are needed", "too_long": "at most 256 characters",
                   "common": "it is too common"}
        raise click.ClickException(f"Password refused: {reasons[error.args[0]]}.") from None
    except users.DuplicateEmailError:
        raise click.ClickException(f"A user with e-mail {email} already exists.") from None
    session.commit()
    click.echo(f"Created {user.email} with roles: {', '.join(sorted(roles))}.")


@tokens_cli.command("create")
@click.argument("email")
@click.option("--name", default="API", help="A name to recognise the token by.")
@click.option("--days", default=tokens.DEFAULT_LIFETIME_DAYS, show_default=True,
              type=click.IntRange(1, max(tokens.LIFETIME_CHOICES)), help="How many days the token works.")
def tokens_create(email: str, name: str, days: int) -> None:
    """Create an API token for EMAIL, valid for DAYS days, and print it once."""
    session = get_session()
    user = users.get_by_email(session, email)
    if user is None or not user.active:
        raise click.ClickException(f"No active user with e-mail {email}.")
    _token, raw = tokens.create_token(session, user, name, actor=None, days=days)
    session.commit()
    click.echo(raw)


@click.command("seed-demo")
@click.option("--if-empty", is_flag=True, help="Only seed a database with no users and no pilots.")
@click.option("--pilots", "generated", type=click.IntRange(min=0), default=0,
              help="Also add this many generated pilots (the demo is loaded first when it is not there).")
def seed_demo(if_empty: bool, generated: int) -> None:
    """Load the demo data: units, goals, pilots and one account per role."""
    from portfolio import demo, demo_generated

    session = get_session()
    has_data = session.scalar(select(func.count(User.id))) or session.scalar(select(func.count(Pilot.id)))
    demo_loaded = users.get_by_email(session, demo.ACCOUNTS[0][0]) is not None
    if generated and demo_loaded:
        pass  # add generated pilots next to the demo already there
    elif if_empty and has_data:
        click.echo("The database already has data; demo data not loaded.")
        if not demo_loaded:
            return
    else:
        try:
            demo.seed(session)
        except ValueError as error:
            raise click.ClickException(str(error)) from None
        session.commit()
        click.echo("Demo data loaded.")
    if generated:
        counts = demo_generated.generate(session, generated)
        session.commit()
        click.echo(f"Generated {counts['pilots']} pilots: " + ", ".join(
            f"{count} {name.replace('_', ' ')}" for name, count in sorted(counts.items()) if name != "pilots") + ".")
    click.echo("Demo accounts (password: portfolio-demo):")
    for email, role in demo.ACCOUNTS:
        click.echo(f"  {email:<26} {role}")


@click.command("backup")
@click.argument("file", type=click.Path(dir_okay=False, writable=True))
def backup_command(file: str) -> None:
    """Write a backup of the whole database (papers included) to FILE."""
    from portfolio import backup

    try:
        path = backup.backup(current_app.config["DATABASE_URL"], file)
    except backup.BackupError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Backup written to {path} ({path.stat().st_size} bytes, revision "
               f"{backup.backup_revision(current_app.config['DATABASE_URL'], path)}).")


@click.command("restore")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--force", is_flag=True, help="Replace a database that already holds data.")
def restore_command(file: str, force: bool) -> None:
    """Restore the database from a backup FILE (into an empty database unless --force)."""
    from portfolio import backup
    from portfolio.db import get_db

    try:
        result = backup.restore(current_app.config["DATABASE_URL"], file, get_db().engine, force=force)
    except backup.BackupError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Restored {file} (migration revision {result.revision}).")
    if not result.at_head:
        click.echo("The backup is from an older version: run `flask --app portfolio db upgrade` next.")
@click.command("paper")
@click.argument("code")
@click.option("-o", "--output", type=click.File("wb"), required=True, help="The PDF file to write ('-' for stdout).")
@click.option("--version", "number", type=int, default=None,
              help="Write stored version N unchanged instead of the paper as the data stands now.")
@click.option("--language", type=click.Choice(["sv", "en"]), default=None, help="Language (default: Swedish).")
def paper(code: str, output, number: int | None, language: str | None) -> None:
    """Write the decision paper of pilot CODE as a PDF.

    Without --version, the paper is rendered from the pilot's data as it stands now, exactly as
    "Skapa beslutsunderlag" would render its next version, but nothing is stored.
    """
    from portfolio.papers import render_pdf
    from portfolio.services import economics, papers

    session = get_session()
    pilot = economics.pilot_by_code(session, code)
    if pilot is None:
        raise click.ClickException(f"No pilot with code {code}.")
    if number is not None:
        stored = papers.get_version(session, pilot, number)
        if stored is None:
            raise click.ClickException(f"{code} has no paper version {number}.")
        output.write(stored.pdf)
        click.echo(f"Wrote {code} version {number} (SHA-256 {stored.sha256}).", err=True)
        return
    context = papers.build_context(session, pilot, number=papers.next_number(session, pilot),
                                   language=language or current_app.config["BABEL_DEFAULT_LOCALE"])
    output.write(render_pdf(context))
    draft = " (draft)" if context.is_draft else ""
    click.echo(f"Wrote the paper of {code}{draft}, data fingerprint {context.fingerprint[:12]}; not stored.", err=True)


def init_app(app: Flask) -> None:
    """Register the command groups."""
    for command in (db_cli, users_cli, tokens_cli, reminders_cli, seed_demo, paper, backup_command, restore_command):
        app.cli.add_command(command)
