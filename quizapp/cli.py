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
@click.option(
    "--strict", is_flag=True, help="Treat quality warnings as errors (exit 1 if there are any)."
)
@with_appcontext
def content_check(directory: Path | None, strict: bool) -> None:
    """Validate every content folder, print a summary, exit 1 listing every error.

    Then the quality linter's warnings: valid content that would make unfair items."""
    from .bank.lint import lint

    content_dir = directory or Path(current_app.config["CONTENT_DIR"])
    result = load_content(content_dir)
    if result.errors:
        click.echo(f"{len(result.errors)} error(s) in {content_dir}:", err=True)
        for error in result.errors:
            click.echo(f"  {error}", err=True)
        sys.exit(1)
    click.echo(summary_text(result.essays))
    warnings = [
        w for slug, c in result.essays.items() for w in lint(content_dir / slug, c, content_dir)
    ]
    if warnings:
        label = "error(s) (--strict)" if strict else "warning(s)"
        click.echo(f"{len(warnings)} quality {label}:", err=True)
        for warning in warnings:
            click.echo(f"  {warning}", err=True)
        if strict:
            sys.exit(1)
    else:
        click.echo("quality: no warnings")


@content_cli.command("new")
@click.argument("text_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--slug", help="The folder's name (default: from the title).")
@click.option("--title", help="The essay's title (default: its '# ' heading or the file name).")
@click.option("--author", help="The essay's author.")
@click.option("--year", type=int, help="The year the essay was published.")
@with_appcontext
def content_new(
    text_file: Path, slug: str | None, title: str | None, author: str | None, year: int | None
) -> None:
    """Start an essay folder from a plain text or Markdown file (never overwrites)."""
    from .authoring.new import new_essay_folder
    from .bank.loader import CONTENT_FILES, load_essay_folder

    content_dir = Path(current_app.config["CONTENT_DIR"])
    try:
        text = text_file.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise click.ClickException(f"{text_file}: not UTF-8 text; save it as UTF-8") from exc
    try:
        folder = new_essay_folder(
            text,
            content_dir,
            slug=slug,
            title=title,
            author=author,
            year=year,
            source_name=text_file.name,
        )
    except (ValueError, FileExistsError) as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Created {folder}/ ({', '.join(CONTENT_FILES)}).")
    _content, errors = load_essay_folder(folder, content_dir)
    if errors:
        click.echo("Next:")
        for error in errors:
            click.echo(f"  {error}")


@content_cli.command("draft")
@click.argument("slug")
@click.option(
    "--format", "fmt", type=click.Choice(["yaml", "json"]), default="yaml", show_default=True
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="File to write (default: print).",
)
@with_appcontext
def content_draft(slug: str, fmt: str, output: Path | None) -> None:
    """Propose candidate facts (facts.yaml format) and claims from an essay's text."""
    from .authoring.draft import DraftError, draft_folder, draft_json, draft_yaml

    folder = Path(current_app.config["CONTENT_DIR"]) / slug
    if not (folder / "essay.md").is_file():
        raise click.ClickException(f"no essay folder '{slug}' in {folder.parent}")
    try:
        draft = draft_folder(folder)
    except DraftError as exc:
        raise click.ClickException(str(exc)) from exc
    text = draft_yaml(draft) if fmt == "yaml" else draft_json(draft)
    if output:
        output.write_text(text, encoding="utf-8")
        click.echo(
            f"Wrote {len(draft.facts)} candidate facts and {len(draft.claims)} claim candidates "
            f"to {output}.",
            err=True,
        )
    else:
        click.echo(text, nl=False)


@content_cli.command("preview")
@click.argument("slug")
@click.option(
    "--type",
    "item_type",
    type=click.Choice([*ITEM_TYPES, "cards"]),
    help="Only items of this type, or only the flashcards.",
)
@click.option("--seed", type=int, default=0, show_default=True, help="Generator seed.")
@with_appcontext
def content_preview(slug: str, item_type: str | None, seed: int) -> None:
    """Print the essay's generated questions and flashcards as plain text."""
    from .authoring.preview import preview_text
    from .bank.loader import load_essay_folder

    content_dir = Path(current_app.config["CONTENT_DIR"])
    folder = content_dir / slug
    if not folder.is_dir():
        raise click.ClickException(f"no essay folder '{slug}' in {content_dir}")
    content, errors = load_essay_folder(folder, content_dir)
    if content is None:
        click.echo(f"{len(errors)} error(s); fix them to preview:", err=True)
        for error in errors:
            click.echo(f"  {error}", err=True)
        sys.exit(1)
    click.echo(preview_text(build_bank(content, seed), item_type), nl=False)


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


@bank_cli.command("sample")
@click.argument("slug")
@click.argument("quiz_id")
@click.option("--seed", type=int, default=0, show_default=True, help="The first attempt's seed.")
@click.option("--count", type=click.IntRange(1, 10_000), default=1, show_default=True)
@click.option("--format", "fmt", type=click.Choice(["json"]), default="json", show_default=True)
@with_appcontext
def bank_sample(slug: str, quiz_id: str, seed: int, count: int, fmt: str) -> None:
    """Print the attempts that seeds SEED..SEED+COUNT-1 would draw for a quiz: a JSON list
    of attempts, each a list of entries in `bank export`'s format."""
    from .bank import assemble_quiz, bank_entries
    from .content import store

    s = store()
    if s.errors:
        for error in s.errors:
            click.echo(str(error), err=True)
        sys.exit(1)
    content = s.snapshot.essays.get(slug)
    if content is None:
        raise click.BadParameter(
            f"no essay '{slug}'; choose from {', '.join(s.snapshot.essays)}", param_hint="SLUG"
        )
    quiz = content.quiz(quiz_id)
    if quiz is None:
        raise click.BadParameter(
            f"no quiz '{quiz_id}'; choose from {', '.join(q.id for q in content.quizzes)}",
            param_hint="QUIZ_ID",
        )
    attempts = []
    for n in range(seed, seed + count):
        bank = build_bank(content, n)  # as a student's attempt with seed n draws it
        items = assemble_quiz(bank, quiz, n)
        ids = {i.id for i in items}
        by_id = {e["id"]: e for e in bank_entries(bank, lambda i, ids=ids: i.id in ids)}
        attempts.append({"seed": n, "items": [by_id[i.id] for i in items]})
    json.dump(attempts, sys.stdout, ensure_ascii=False, indent=2)
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


def _write_export(kind: str, output: Path, course_slug: str | None = None) -> None:
    from . import courses, upgrade_database
    from .instructor import EXPORTS, export_stream
    from .models import utcnow

    upgrade_database(current_app._get_current_object())  # type: ignore[attr-defined]
    course = None
    if course_slug is not None:
        course = courses.by_slug(course_slug)
        if course is None:
            raise click.BadParameter(f"no course {course_slug!r}", param_hint="--course")
    _filename, _mimetype, chunks = export_stream(kind, utcnow(), course)
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


_course_option = click.option(
    "--course",
    "course_slug",
    metavar="SLUG",
    help="Only this course's students and assigned quizzes (default: everyone, every quiz).",
)


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
@_course_option
@with_appcontext
def export_scores(output: Path, course_slug: str | None) -> None:
    """CSV: one row per student per quiz."""
    _write_export("scores", output, course_slug)


@export_cli.command("gradebook")
@click.option("--format", "fmt", type=click.Choice(["moodle", "canvas"]), required=True)
@_output_option("gradebook.csv")
@_course_option
@with_appcontext
def export_gradebook(fmt: str, output: Path, course_slug: str | None) -> None:
    """CSV that Moodle's or Canvas's gradebook import takes as it is."""
    _write_export(fmt, output, course_slug)


@export_cli.command("xlsx")
@_output_option("results.xlsx")
@_course_option
@with_appcontext
def export_xlsx(output: Path, course_slug: str | None) -> None:
    """Workbook with the scores and the item analysis."""
    _write_export("xlsx", output, course_slug)


@export_cli.command("json")
@_output_option("attempts.json")
@_course_option
@with_appcontext
def export_json(output: Path, course_slug: str | None) -> None:
    """Every attempt and response, for research."""
    _write_export("json", output, course_slug)


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


def _read_text(file: Path) -> str:
    try:
        return file.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise click.ClickException(f"{file}: not UTF-8 text; save it as UTF-8") from exc


def _attach_to_essay(slug: str, questions: list[Any], file: Path, problems: int) -> None:
    """Add imported questions to essay SLUG's facts.yaml, each on the paragraph stating it."""
    from .bank.loader import load_essay_folder
    from .importers.attach import ImportError_, append_to_facts, attach, essay_folder

    content_dir = Path(current_app.config["CONTENT_DIR"])
    folder = content_dir / slug
    if not (folder / "essay.md").is_file():
        raise click.ClickException(f"no essay folder '{slug}' in {content_dir}")
    try:
        essay, topic_paras, ids = essay_folder(folder)
    except ImportError_ as exc:
        raise click.ClickException(str(exc)) from exc
    if not questions:
        raise click.ClickException(f"{file}: no question could be read")
    attachment = attach(essay, topic_paras, questions, ids)
    path = append_to_facts(folder, attachment, file.name)
    click.echo(
        f"Added {len(attachment.placed)} of {len(questions)} question(s) to {path}, each on the "
        "paragraph that states it."
    )
    for q, _record in attachment.unmatched:
        click.echo(
            f"{q.source}: no sentence of the essay states '{q.answers[0] if q.answers else ''}';"
            " it is in facts.yaml as a comment: add 'para' and a verbatim 'quote' to place it",
            err=True,
        )
    _content, errors = load_essay_folder(folder, content_dir)
    if errors:
        click.echo("'quizapp content check' now reports:")
        for error in errors:
            click.echo(f"  {error}")
    if problems:
        sys.exit(1)


@import_cli.command("csv")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--essay", "slug", required=True, help="The essay folder to add the questions to.")
@with_appcontext
def import_csv(file: Path, slug: str) -> None:
    """Add a CSV/TSV flashcard export (term/definition, or question/answer/distractors)."""
    from .importers.csvfile import read_csv

    questions, errors = read_csv(_read_text(file), file.name)
    for error in errors:
        click.echo(str(error), err=True)
    _attach_to_essay(slug, questions, file, len(errors))


@import_cli.command("gift")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder to write a new, stand-in essay folder into (e.g. content/).",
)
@click.option("--essay", "essay_slug", help="Add the questions to this essay instead.")
@click.option("--slug", help="The new essay folder's name (default: from the file name).")
@click.option("--title", help="The essay's title (default: from the file name).")
@click.option("--overwrite", is_flag=True, help="Replace an existing folder's files.")
@with_appcontext
def import_gift(
    file: Path,
    output: Path | None,
    essay_slug: str | None,
    slug: str | None,
    title: str | None,
    overwrite: bool,
) -> None:
    """Add Moodle GIFT questions to an essay (--essay), or make a stand-in essay folder (-o)."""
    import re

    from .importers.gift import gift_to_content, write_content

    text = _read_text(file)
    if essay_slug:
        from .importers.attach import gift_questions

        questions, gift_errors = gift_questions(text, file.name)
        for error in gift_errors:
            click.echo(str(error), err=True)
        _attach_to_essay(essay_slug, questions, file, len(gift_errors))
        return
    if output is None:
        raise click.UsageError("give --essay SLUG to add to an essay, or -o DIR for a new folder")
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


attempts_cli = click.Group("attempts", help="Manage submitted quiz attempts.")


@attempts_cli.command("regrade")
@click.option("--essay", "slug", help="Only this essay (its folder name).")
@click.option("--quiz", "quiz_id", help="Only this quiz (needs --essay).")
@click.option("--dry-run", is_flag=True, help="List what would change; change nothing.")
@with_appcontext
def attempts_regrade(slug: str | None, quiz_id: str | None, dry_run: bool) -> None:
    """Grade submitted attempts again with the current content's answers.

    Lists every attempt whose marks change and by how much, then applies it (unless
    --dry-run), keeping the old marks in each question's history."""
    from . import upgrade_database
    from .content import snapshot
    from .models import utcnow
    from .regrade import apply_regrade, plan_regrade

    upgrade_database(current_app._get_current_object())  # type: ignore[attr-defined]
    essays = snapshot().essays
    if slug is not None and slug not in essays:
        raise click.BadParameter(f"no essay '{slug}'", param_hint="--essay")
    if quiz_id is not None and (slug is None or essays[slug].quiz(quiz_id) is None):
        raise click.BadParameter(f"no quiz '{quiz_id}' in that essay", param_hint="--quiz")
    plan = plan_regrade(essays, slug, quiz_id)
    for c in plan:
        sign = "+" if c.delta > 0 else ""
        click.echo(
            f"attempt {c.attempt_id} ({c.user_email}, {c.essay}/{c.quiz_id} #{c.number}): "
            f"{c.shown(c.old_total)}/{c.old_max:g} -> {c.shown(c.new_total)}/{c.new_max:g} "
            f"({sign}{c.shown(c.delta)})"
        )
        for q in c.questions:
            old = "-" if q.old is None else c.shown(q.old)
            new = "removed" if q.new is None else c.shown(q.new)
            click.echo(f"  question {q.position + 1} {q.item_id}: {old} -> {new}")
    if not plan:
        click.echo("No attempt's mark changes.")
        return
    if dry_run:
        click.echo(f"Dry run: {len(plan)} attempt(s) would change; nothing was changed.")
        return
    changed = apply_regrade(plan, utcnow(), None)
    click.echo(f"Regraded: {changed} attempt(s) changed.")


courses_cli = click.Group("courses", help="Create courses, list them, add people and quizzes.")


@courses_cli.command("create")
@click.argument("title")
@click.option("--term", default="", help="e.g. 'Fall 2026'.")
@click.option("--instructor", "email", help="Email of the course's first instructor.")
@click.option("--assign-all", is_flag=True, help="Assign every quiz of every essay.")
@click.option("--code", help="Use this join code (default: a random one).")
@with_appcontext
def courses_create(
    title: str, term: str, email: str | None, assign_all: bool, code: str | None
) -> None:
    """Create a course; prints its slug and join code."""
    from . import course_rules, courses, upgrade_database
    from .auth import lookup_email
    from .content import snapshot
    from .extensions import db
    from .models import User, utcnow

    upgrade_database(current_app._get_current_object())  # type: ignore[attr-defined]
    creator = None
    if email:
        creator = db.session.execute(
            db.select(User).filter_by(email=lookup_email(email)[0])
        ).scalar_one_or_none()
        if creator is None or not creator.is_instructor:
            raise click.BadParameter(f"no instructor account {email}", param_hint="--instructor")
    wanted = course_rules.normalize_code(code) if code else None
    if wanted is not None and (len(wanted) < 6 or courses.by_code(wanted) is not None):
        # checked before anything is made: a refused command leaves no course behind
        raise click.BadParameter("at least 6 letters or digits, not in use", param_hint="--code")
    try:
        course = courses.create_course(title, term, creator, utcnow())
    except courses.CourseError as exc:
        raise click.ClickException(str(exc)) from exc
    if wanted is not None:
        course.join_code = wanted
        db.session.commit()
    if assign_all:
        courses.assign_all(course, snapshot().essays)
    click.echo(f"Created {course.slug} (join code {course.join_code}).")


@courses_cli.command("list")
@with_appcontext
def courses_list() -> None:
    """Every course: slug, join code, people, title."""
    from sqlalchemy import func, select

    from . import upgrade_database
    from .extensions import db
    from .models import Course, CourseMember

    upgrade_database(current_app._get_current_object())  # type: ignore[attr-defined]
    counts = dict(
        db.session.execute(
            select(CourseMember.course_id, func.count()).group_by(CourseMember.course_id)
        ).all()
    )
    for course in db.session.execute(select(Course).order_by(Course.slug)).scalars():
        people = counts.get(course.id, 0)
        click.echo(
            f"{course.slug}\t{course.join_code}\t{people} people\t{course.title} {course.term}"
        )


@courses_cli.command("add")
@click.argument("slug")
@click.argument("emails", nargs=-1, required=True)
@click.option(
    "--role",
    type=click.Choice(["instructor", "ta", "student"]),
    default="student",
    show_default=True,
)
@with_appcontext
def courses_add(slug: str, emails: tuple[str, ...], role: str) -> None:
    """Add existing accounts to a course."""
    from . import courses, upgrade_database
    from .models import utcnow

    upgrade_database(current_app._get_current_object())  # type: ignore[attr-defined]
    course = courses.by_slug(slug)
    if course is None:
        raise click.BadParameter(f"no course {slug!r}", param_hint="SLUG")
    for email in emails:
        try:
            user = courses.add_member(course, email, role, utcnow())
        except courses.CourseError as exc:
            raise click.ClickException(str(exc)) from exc
        click.echo(f"{user.email} is a{'n' if role == 'instructor' else ''} {role} of {slug}.")


def register(app: Flask) -> None:
    app.cli.add_command(courses_cli)
    app.cli.add_command(cards_cli)
    app.cli.add_command(content_cli)
    app.cli.add_command(bank_cli)
    app.cli.add_command(serve)
    app.cli.add_command(export_cli)
    app.cli.add_command(import_cli)
    app.cli.add_command(attempts_cli)
    from .seed import seed_cli

    app.cli.add_command(seed_cli)
