"""``quizapp attempts regrade``."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

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
    from ..content import snapshot
    from ..db import upgrade_database
    from ..models import utcnow
    from ..regrade import apply_regrade, plan_regrade

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
