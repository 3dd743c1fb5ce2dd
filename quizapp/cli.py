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
        "quizapp.wsgi:app",
    ]  # fmt: skip
    os.execv(sys.executable, args)


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


cards_cli = click.Group("cards", help="Flashcard scheduling tools.")


@cards_cli.command("simulate")
@click.option("--essay", "slug", required=True, help="The essay (its folder name).")
@click.option("--tz", "zone", required=True, help="The learner's IANA time zone.")
@click.option("--no-fuzz", is_flag=True, help="Switch interval fuzz off.")
@click.option("--new-per-day", type=int)
@click.option("--reviews-per-day", type=int)
@click.option("--learning-steps", help='e.g. "1m 10m"')
@click.option("--relearning-steps", help='e.g. "10m"')
@click.option("--desired-retention", type=float)
@click.option("--maximum-interval", type=int)
@click.option("--day-starts-hour", type=int)
@click.option("--leech-threshold", type=int)
@click.option("--leech-action", type=click.Choice(["suspend", "tag"]))
@click.option("--new-mix", type=click.Choice(["mix", "after", "before"]))
@click.option("--review-sort", type=click.Choice(["due", "retrievability"]))
@click.option("--learn-ahead-minutes", type=int)
@with_appcontext
def cards_simulate(slug: str, zone: str, no_fuzz: bool, **flags: Any) -> None:
    """Replay reviews read as JSON lines on stdin through the app's queue and scheduler.

    Each input line is {"at": "<UTC ISO time>", "card": "<card id>", "rating": 1-4}; each
    output line gives the card after that answer: at, card, rating, queued (whether the
    queue offered it then), state, step, stability, difficulty, due (UTC), interval_days.
    The reviews go to a throwaway database, never the app's.
    """
    import tempfile
    from datetime import datetime

    from . import create_app, srs
    from .cards import simulate_event, stored_settings
    from .content import snapshot
    from .extensions import db
    from .models import User

    essays = snapshot().essays
    if slug not in essays:
        raise click.BadParameter(
            f"no essay '{slug}'; choose from {', '.join(essays)}", param_hint="--essay"
        )
    data: dict[str, Any] = {"timezone": zone, "enable_fuzzing": not no_fuzz}
    for name, value in flags.items():
        if value is None:
            continue
        if name in ("learning_steps", "relearning_steps"):
            try:
                value = [s.total_seconds() for s in srs.parse_steps(value)]
            except ValueError as exc:
                raise click.BadParameter(f"bad step {exc}", param_hint=f"--{name}") from exc
        data[name] = value
    try:
        settings = srs.Settings.from_dict(data)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from exc
    bank = snapshot().bank(slug)
    ids = [c.id for c in bank.cards]
    topics = {c.id: c.topic for c in bank.cards}
    content_dir = current_app.config["CONTENT_DIR"]
    with tempfile.TemporaryDirectory(prefix="quizapp-simulate-") as tmp:
        sim = create_app(
            {
                "DATABASE_URL": f"sqlite:///{tmp}/simulate.sqlite",
                "INSTANCE_PATH": tmp,
                "CONTENT_DIR": content_dir,
                "SECRET_KEY": "simulation",
                "AUTO_MIGRATE": False,
            }
        )
        with sim.app_context():
            db.create_all()
            user = User(
                email="simulated@example.invalid",
                name="Simulated",
                password_hash="-",
                timezone=zone,
                srs_settings=stored_settings(settings),
            )
            db.session.add(user)
            db.session.commit()
            for number, raw in enumerate(sys.stdin, start=1):
                if not raw.strip():
                    continue
                try:
                    event = json.loads(raw)
                    at = datetime.fromisoformat(str(event["at"]))
                    card, rating = str(event["card"]), int(event["rating"])
                    if at.tzinfo is None:
                        raise ValueError("'at' needs a time zone (end it in Z for UTC)")
                    if card not in topics:
                        raise ValueError(f"no card {card!r} in {slug}")
                    if rating not in (1, 2, 3, 4):
                        raise ValueError("rating must be 1-4")
                except (ValueError, KeyError, TypeError) as exc:
                    click.echo(f"line {number}: {exc}", err=True)
                    sys.exit(1)
                line = simulate_event(user.id, slug, ids, topics, at, card, rating, settings)
                click.echo(json.dumps(line))
            db.session.remove()
            db.engine.dispose()


@cards_cli.command("optimize")
@click.option("--essay", "slug", required=True, help="The essay (its folder name).")
@click.option(
    "--apply",
    is_flag=True,
    help="Give the fitted parameters to every student of the essay who has not fitted their "
    "own, and reschedule their cards.",
)
@with_appcontext
def cards_optimize(slug: str, apply: bool) -> None:
    """Fit FSRS parameters to all students' reviews of an essay; print them as JSON."""
    from .cards import optimize_course

    try:
        result, applied = optimize_course(slug, apply)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from exc
    out = {
        "essay": slug,
        "reviews": result.reviews,
        "items": result.items,
        "log_loss_before": result.log_loss_before,
        "log_loss_after": result.log_loss_after,
        "rmse_before": result.rmse_before,
        "rmse_after": result.rmse_after,
        "parameters": list(result.parameters),
        "students_given_them": applied,
    }
    click.echo(json.dumps(out))


def register(app: Flask) -> None:
    app.cli.add_command(cards_cli)
    app.cli.add_command(content_cli)
    app.cli.add_command(bank_cli)
    app.cli.add_command(serve)
    app.cli.add_command(export_cli)
    app.cli.add_command(import_cli)
    from .seed import seed_cli

    app.cli.add_command(seed_cli)
