"""``quizapp cards``: simulate a learner's schedule, optimise a course's FSRS parameters."""

from __future__ import annotations

import json
import sys
from typing import Any

import click
from flask import current_app
from flask.cli import with_appcontext

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

    from .. import create_app, srs
    from ..cards import stored_settings
    from ..content import snapshot
    from ..extensions import db
    from ..models import User
    from ..simulation import simulate_event

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
    from ..fitting import optimize_course

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
