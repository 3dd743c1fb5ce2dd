"""The ``quizapp`` command: Flask's CLI group for this app, plus the app's own commands,
one module per command group."""

from __future__ import annotations

from flask import Flask
from flask.cli import FlaskGroup

from .attempts import attempts_cli
from .cards import cards_cli
from .content import bank_cli, content_cli, summary_text
from .courses import courses_cli
from .serve import MAX_SOCKET_PATH, control_socket_args, default_workers, serve
from .transfer import export_cli, import_cli
from .users import users_cli

__all__ = [
    "MAX_SOCKET_PATH",
    "control_socket_args",
    "default_workers",
    "main",
    "register",
    "summary_text",
]


def main() -> None:
    from .. import create_app

    cli = FlaskGroup(create_app=create_app, help="Essay Study: quizzes and flashcards from essays.")
    cli.main(prog_name="quizapp")


def register(app: Flask) -> None:
    app.cli.add_command(users_cli)
    app.cli.add_command(courses_cli)
    app.cli.add_command(cards_cli)
    app.cli.add_command(content_cli)
    app.cli.add_command(bank_cli)
    app.cli.add_command(serve)
    app.cli.add_command(export_cli)
    app.cli.add_command(import_cli)
    app.cli.add_command(attempts_cli)
    from ..seed import seed_cli

    app.cli.add_command(seed_cli)
