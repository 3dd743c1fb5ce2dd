"""``quizapp export`` (scores, gradebooks, the question bank, flashcards) and ``quizapp import``
(CSV and GIFT questions)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click
from flask import current_app
from flask.cli import with_appcontext

from ..bank.text import slugify

export_cli = click.Group("export", help="Export scores, gradebooks, the question bank, flashcards.")
import_cli = click.Group("import", help="Import questions from other tools.")


def _write_export(kind: str, output: Path, course_slug: str | None = None) -> None:
    from .. import courses
    from ..class_reports import EXPORTS, export_stream
    from ..db import upgrade_database
    from ..models import utcnow

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
    from ..bank.loader import load_essay_folder
    from ..importers.attach import ImportError_, append_to_facts, attach, essay_folder

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
    from ..importers.csvfile import read_csv

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

    from ..importers.gift import gift_to_content, write_content

    text = _read_text(file)
    if essay_slug:
        from ..importers.attach import gift_questions

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
    slug = slug or slugify(file.stem, "imported")
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
