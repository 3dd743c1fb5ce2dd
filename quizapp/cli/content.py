"""``quizapp content`` (check, new, draft, preview, links, reload) and ``quizapp bank`` (export,
sample)."""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import click
from flask import current_app
from flask.cli import with_appcontext

from ..bank import ITEM_TYPES, EssayContent, build_bank, load_content

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
    from ..bank.lint import lint

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
    from ..authoring.new import new_essay_folder
    from ..bank.loader import CONTENT_FILES, load_essay_folder

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
    from ..authoring.draft import DraftError, draft_folder, draft_json, draft_yaml

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
    from ..authoring.preview import preview_text

    content, _folder, _content_dir = _load_or_exit(slug, "to preview")
    click.echo(preview_text(build_bank(content, seed), item_type), nl=False)


def _load_or_exit(slug: str, purpose: str) -> tuple[EssayContent, Path, Path]:
    """One essay folder of the app's content, loaded as it stands on disk (not the running
    snapshot); its errors printed and exit status 1 when it does not load."""
    from ..bank.loader import load_essay_folder

    content_dir = Path(current_app.config["CONTENT_DIR"])
    folder = content_dir / slug
    if not folder.is_dir():
        raise click.ClickException(f"no essay folder '{slug}' in {content_dir}")
    content, errors = load_essay_folder(folder, content_dir)
    if content is None:
        click.echo(f"{len(errors)} error(s); fix them {purpose}:", err=True)
        for error in errors:
            click.echo(f"  {error}", err=True)
        sys.exit(1)
    return content, folder, content_dir


@content_cli.command("links")
@click.argument("slug")
@click.option(
    "--min-overlap",
    type=click.FloatRange(0.0, 1.0),
    default=0.4,
    show_default=True,
    help="Weighted share of the shorter text's content words the other must have.",
)
@with_appcontext
def content_links(slug: str, min_overlap: float) -> None:
    """List content in different sentences that may say the same and is not linked yet:
    hints for `restates:` (never errors; read each against the essay)."""
    from ..bank.restatements import hints

    content, folder, content_dir = _load_or_exit(slug, "first")
    found = hints(folder, content, content_dir, min_overlap=min_overlap)
    for hint in found:
        click.echo(str(hint))
    linked = sum(len(v) for v in content.restatements().values()) // 2
    click.echo(
        f"{len(found)} candidate restatement(s) to read; {linked} link(s) already written.",
        err=True,
    )


@content_cli.command("reload")
@with_appcontext
def content_reload() -> None:
    """Check the content and make running servers load it now (they also notice edits)."""
    from ..bank.loader import RELOAD_STAMP

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
    from ..bank import bank_entries
    from ..content import store

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
    from ..bank import assemble_quiz, bank_entries
    from ..content import store

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
