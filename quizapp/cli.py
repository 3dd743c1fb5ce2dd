"""The ``quizapp`` command: Flask's CLI group for this app, plus the app's own commands."""

from __future__ import annotations

import json
import multiprocessing
import os
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import click
from flask import Flask, current_app
from flask.cli import FlaskGroup, with_appcontext

from .bank import ITEM_TYPES, build_bank, load_content


def main() -> None:
    from . import create_app

    cli = FlaskGroup(create_app=create_app, help="Essay Study: quizzes and flashcards from essays.")
    cli.main(prog_name="quizapp")


content_cli = click.Group("content", help="Check and reload the content files.")
bank_cli = click.Group("bank", help="Look at what the content generates.")


@content_cli.command("check")
@click.option(
    "--dir",
    "directory",
    type=click.Path(file_okay=False, path_type=Path),
    help="Content folder (default: CONTENT_DIR).",
)
@with_appcontext
def content_check(directory: Path | None) -> None:
    """Validate every content folder, print a summary, exit 1 listing every error."""
    content_dir = directory or Path(current_app.config["CONTENT_DIR"])
    result = load_content(content_dir)
    if result.errors:
        click.echo(f"{len(result.errors)} error(s) in {content_dir}:", err=True)
        for error in result.errors:
            click.echo(f"  {error}", err=True)
        sys.exit(1)
    click.echo(summary_text(result.essays))


def summary_text(essays: dict[str, Any]) -> str:
    lines = [f"essays: {len(essays)}"]
    totals: Counter[str] = Counter()
    for slug, content in essays.items():
        bank = build_bank(content, seed=0)
        types = Counter(i.type for i in bank.items)
        totals.update(types)
        lines += [
            f"{slug}: “{content.essay.title}” ({content.essay.author}, {content.essay.year})",
            f"  paragraphs: {len(content.essay.paragraphs)}",
            f"  topics: {len(content.topics)}",
            f"  facts: {len(content.facts)}",
            f"  arguments: {len(content.all_claims)} (thesis: {'yes' if content.thesis else 'no'},"
            f" claims: {len(content.claims)})",
            f"  quizzes: {len(content.quizzes)}",
            f"  items: {len(bank.items)} of {len(types)} types",
        ]
        lines += [f"    {t}: {types[t]}" for t in ITEM_TYPES if types[t]]
        lines.append(f"  cards: {len(bank.cards)}")
    return "\n".join(lines)


@bank_cli.command("export")
@click.option("--format", "fmt", type=click.Choice(["json"]), default="json", show_default=True)
@click.option("--essay", "slug", help="Only this essay (its folder name).")
@click.option("--seed", type=int, default=0, show_default=True, help="Generator seed.")
@with_appcontext
def bank_export(fmt: str, slug: str | None, seed: int) -> None:
    """Print every generated item and card as a JSON list."""
    from .bank import bank_entries
    from .content import store

    s = store()
    if s.errors:
        for error in s.errors:
            click.echo(str(error), err=True)
        sys.exit(1)
    essays = s.snapshot.essays
    if slug and slug not in essays:
        raise click.BadParameter(
            f"no essay '{slug}'; choose from {', '.join(essays)}", param_hint="--essay"
        )
    entries = []
    for content in essays.values():
        if slug is None or content.slug == slug:
            entries += bank_entries(build_bank(content, seed))
    json.dump(entries, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def default_workers() -> int:
    return max(2, min(2 * multiprocessing.cpu_count() + 1, 9))


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, type=int, show_default=True)
@click.option(
    "--workers", type=int, default=None, help="Worker processes (default: 2 x cores + 1)."
)
@with_appcontext
def serve(host: str, port: int, workers: int | None) -> None:
    """Serve the app with gunicorn (a production server)."""
    from . import upgrade_database

    # Migrate once, before any worker starts; then hand this process over to gunicorn,
    # which builds the app afresh (no CLI app context may leak into request handling).
    upgrade_database(current_app._get_current_object())  # type: ignore[attr-defined]
    click.echo(f"Essay Study: open http://{host}:{port}/ (Ctrl+C stops the server)")
    sys.stdout.flush()
    args = [
        sys.executable, "-m", "gunicorn",
        "--bind", f"{host}:{port}",
        "--workers", str(workers or default_workers()),
        "--preload",
        "--access-logfile", "-",
        "quizapp.wsgi:app",
    ]  # fmt: skip
    os.execv(sys.executable, args)


def register(app: Flask) -> None:
    app.cli.add_command(content_cli)
    app.cli.add_command(bank_cli)
    app.cli.add_command(serve)
