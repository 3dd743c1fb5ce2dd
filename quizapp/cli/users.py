"""``quizapp users`` (create, reset-password, list)."""

from __future__ import annotations

import smtplib
import sys

import click
from flask import current_app
from flask.cli import AppGroup

from ..extensions import db
from ..models import User, utcnow
from ..users import (
    ROLES,
    hash_password,
    lookup_email,
    normalize_email,
    password_problem,
)

users_cli = AppGroup("users", help="Manage accounts.")


@users_cli.command("create")
@click.argument("email")
@click.option("--name", help="Display name (default: the part of the email before @).")
@click.option("--role", type=click.Choice(ROLES), default="student", show_default=True)
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def users_create(email: str, name: str | None, role: str, password_stdin: bool) -> None:
    """Create an account (instructors are created this way)."""
    from flask import current_app

    from ..db import upgrade_database

    upgrade_database(current_app)
    try:
        email = normalize_email(email)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="EMAIL") from exc
    if password_stdin:
        secret = sys.stdin.readline().rstrip("\r\n")
    else:
        secret = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    name = name or email.split("@")[0]
    problem = password_problem(secret, [email, name])
    if problem:
        raise click.ClickException(problem)
    if db.session.execute(db.select(User.id).filter_by(email=email)).first():
        raise click.ClickException(f"an account for {email} exists already")
    db.session.add(
        User(
            email=email,
            name=name,
            password_hash=hash_password(secret),
            role=role,
        )
    )
    db.session.commit()
    click.echo(f"Created {role} {email}.")


DEFAULT_BASE_URL = "http://127.0.0.1:5000"


@users_cli.command("reset-password")
@click.argument("email")
@click.option(
    "--base-url",
    help="Where the site is reached, for the link (default: QUIZAPP_BASE_URL, else "
    f"{DEFAULT_BASE_URL}).",
)
@click.option("--no-mail", is_flag=True, help="Print the link even when SMTP is set up.")
def users_reset_password(email: str, base_url: str | None, no_mail: bool) -> None:
    """Make a one-time link to set a new password (valid for an hour) and print it, or mail
    it to the account when SMTP is set up. Using it signs the account out everywhere."""
    from .. import accounts
    from ..clock import zone_text
    from ..db import upgrade_database

    upgrade_database(current_app)
    address, _valid = lookup_email(email)
    user = db.session.execute(db.select(User).filter_by(email=address)).scalar_one_or_none()
    if user is None:
        raise click.ClickException(f"no account for {address}")
    base = base_url or current_app.config.get("BASE_URL") or DEFAULT_BASE_URL
    now = utcnow()
    with current_app.test_request_context(base_url=base):
        secret = accounts.create_reset(user, now)
        link = accounts.reset_link(secret)
    until = zone_text(now + accounts.RESET_VALID, "UTC")
    settings = accounts.smtp_settings(current_app.config)
    if settings is not None and not no_mail:
        try:
            accounts.send_mail(settings, accounts.reset_message(settings, user, link, until))
        except (OSError, smtplib.SMTPException) as exc:
            raise click.ClickException(
                f"the mail to {user.email} could not be sent ({exc}); "
                "run again with --no-mail to print the link"
            ) from exc
        click.echo(f"Mailed a reset link to {user.email}; it works once, until {until}.")
        return
    click.echo(link)
    click.echo(f"It works once, until {until}.", err=True)


@users_cli.command("list")
@click.option("--role", type=click.Choice(ROLES), help="Only accounts of this role.")
def users_list(role: str | None) -> None:
    """List the accounts, oldest first: email, role, created, last seen (UTC)."""
    from ..db import upgrade_database
    from ..exports.gradebook import iso_utc

    upgrade_database(current_app)
    query = db.select(User).order_by(User.created_at, User.id)
    if role:
        query = query.where(User.role == role)
    users = db.session.execute(query).scalars().all()
    width = max([len("email"), *(len(u.email) for u in users)])
    click.echo(f"{'email':<{width}}  {'role':<10}  {'created (UTC)':<20}  last seen (UTC)")
    for u in users:
        seen = iso_utc(u.last_seen_at) if u.last_seen_at else "never"
        click.echo(f"{u.email:<{width}}  {u.role:<10}  {iso_utc(u.created_at):<20}  {seen}")
    click.echo(f"{len(users)} account{'' if len(users) == 1 else 's'}", err=True)
