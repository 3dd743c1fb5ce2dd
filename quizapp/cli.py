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


@content_cli.command("reload")
@with_appcontext
def content_reload() -> None:
    """Check the content and make running servers load it now (they also notice edits)."""
    from .bank.loader import RELOAD_STAMP

    content_dir = Path(current_app.config["CONTENT_DIR"])
    result = load_content(content_dir)
    if result.errors:
        click.echo(f"{len(result.errors)} error(s); servers keep the last good content:", err=True)
        for error in result.errors:
            click.echo(f"  {error}", err=True)
        sys.exit(1)
    (content_dir / RELOAD_STAMP).touch()
    click.echo(summary_text(result.essays))
    click.echo("Running servers reload within a few seconds.")


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
        *control_socket_args(Path(current_app.instance_path), port),
        "quizapp.wsgi:app",
    ]  # fmt: skip
    os.execv(sys.executable, args)


# A Unix socket path holds at most 107 bytes (sun_path); longer ones cannot be bound.
MAX_SOCKET_PATH = 107


def control_socket_args(instance: Path, port: int) -> list[str]:
    """gunicorn's control socket (gunicornc) for this server only: in the instance folder,
    named by port, so two servers never share (and remove) one; off if the path is too long."""
    path = instance / f"gunicorn-{port}.ctl"
    if len(os.fsencode(path)) > MAX_SOCKET_PATH:
        return ["--no-control-socket"]
    return ["--control-socket", str(path)]


export_cli = click.Group("export", help="Export scores, gradebooks, the question bank, flashcards.")
import_cli = click.Group("import", help="Import questions from other tools.")


def _write_export(kind: str, output: Path) -> None:
    from . import upgrade_database
    from .instructor import EXPORTS, export_stream
    from .models import utcnow

    upgrade_database(current_app._get_current_object())  # type: ignore[attr-defined]
    _filename, _mimetype, chunks = export_stream(kind, utcnow())
    written = 0
    with (
        output.open("wb") as fh,
        click.progressbar(
            chunks, label=f"Writing {EXPORTS[kind][2].split(':')[0].lower()}", file=sys.stderr
        ) as bar,
    ):
        for chunk in bar:
            fh.write(chunk)
            written += len(chunk)
    click.echo(f"Wrote {output} ({written:,} bytes).")


def _output_option(default: str):  # type: ignore[no-untyped-def]
    return click.option(
        "-o",
        "--output",
        type=click.Path(dir_okay=False, path_type=Path),
        default=default,
        show_default=True,
        help="File to write.",
    )


@export_cli.command("scores")
@_output_option("scores.csv")
@with_appcontext
def export_scores(output: Path) -> None:
    """CSV: one row per student per quiz."""
    _write_export("scores", output)


@export_cli.command("gradebook")
@click.option("--format", "fmt", type=click.Choice(["moodle", "canvas"]), required=True)
@_output_option("gradebook.csv")
@with_appcontext
def export_gradebook(fmt: str, output: Path) -> None:
    """CSV that Moodle's or Canvas's gradebook import takes as it is."""
    _write_export(fmt, output)


@export_cli.command("xlsx")
@_output_option("results.xlsx")
@with_appcontext
def export_xlsx(output: Path) -> None:
    """Workbook with the scores and the item analysis."""
    _write_export("xlsx", output)


@export_cli.command("json")
@_output_option("attempts.json")
@with_appcontext
def export_json(output: Path) -> None:
    """Every attempt and response, for research."""
    _write_export("json", output)


@export_cli.command("gift")
@_output_option("question-bank.gift.txt")
@with_appcontext
def export_gift(output: Path) -> None:
    """The question bank in Moodle's GIFT format."""
    _write_export("gift", output)


@export_cli.command("anki")
@_output_option("flashcards.apkg")
@with_appcontext
def export_anki(output: Path) -> None:
    """The flashcards as an Anki package (re-importing updates notes)."""
    _write_export("anki", output)


@import_cli.command("gift")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help="Folder to write the essay folder into (e.g. content/).",
)
@click.option("--slug", help="The new essay folder's name (default: from the file name).")
@click.option("--title", help="The essay's title (default: from the file name).")
@click.option("--overwrite", is_flag=True, help="Replace an existing folder's files.")
def import_gift(
    file: Path, output: Path, slug: str | None, title: str | None, overwrite: bool
) -> None:
    """Turn a Moodle GIFT file into content files instructors can edit."""
    import re

    from .exports.gift import gift_to_content, write_content

    try:
        text = file.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise click.ClickException(f"{file}: not UTF-8 text; save it as UTF-8") from exc
    imported, errors = gift_to_content(text, source_name=str(file))
    for error in errors:
        click.echo(str(error), err=True)
    slug = slug or re.sub(r"[^a-z0-9]+", "-", file.stem.lower()).strip("-") or "imported"
    try:
        paths = write_content(
            imported,
            output,
            slug,
            title or file.stem.replace("-", " ").replace("_", " ").title(),
            overwrite=overwrite,
        )
    except (ValueError, FileExistsError) as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Imported {len(imported.facts)} facts into {output / slug}/ ({len(paths)} files).")
    if errors:
        click.echo(f"{len(errors)} question(s) could not be read (listed above).", err=True)
        sys.exit(1)


def register(app: Flask) -> None:
    app.cli.add_command(content_cli)
    app.cli.add_command(bank_cli)
    app.cli.add_command(serve)
    app.cli.add_command(export_cli)
    app.cli.add_command(import_cli)
    from .seed import seed_cli

    app.cli.add_command(seed_cli)
