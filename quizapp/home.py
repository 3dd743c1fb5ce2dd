"""The home page: a welcome for visitors, the student's dashboard once signed in."""

from __future__ import annotations

from collections import defaultdict

from flask import Blueprint, render_template
from flask_login import current_user
from sqlalchemy.orm import defer

from . import course_rules, courses
from .cards import daily_queue, settings_for
from .content import snapshot
from .extensions import db
from .models import Attempt, grade_of, utcnow
from .progress import streak, topic_mastery
from .quiz import attempts_left

bp = Blueprint("home", __name__)


def _cards_in_content_order(slug: str) -> tuple[list[str], dict[str, str | None]]:
    """The essay's card ids in content order and their topics, once per content snapshot."""
    snap = snapshot()

    def build() -> tuple[list[str], dict[str, str | None]]:
        cards = snap.bank(slug).cards
        return [c.id for c in cards], {c.id: c.topic for c in cards}

    return snap.derived(("home.cards", slug), build)


@bp.get("/")
def index() -> str:
    essays = list(snapshot().essays.values())
    if not current_user.is_authenticated:
        return render_template("home/welcome.html", essays=essays)
    user = current_user._get_current_object()  # the proxy looks the user up on every use
    now = utcnow()
    everything = snapshot().essays
    given, assigned = courses.given_and_assigned(user, everything, now)
    shown = {essay for essay, _quiz_id in given}
    essays = [c for slug, c in everything.items() if slug in shown]
    mine: dict[tuple[str, str], list[Attempt]] = defaultdict(list)
    for attempt in db.session.execute(
        db.select(Attempt)
        .options(defer(Attempt.questions))
        .filter_by(user_id=user.id)
        .order_by(Attempt.number)
    ).scalars():
        mine[(attempt.essay, attempt.quiz_id)].append(attempt)
    quizzes = []
    for (slug, _quiz_id), effective in given.items():
        content, quiz = everything[slug], effective.quiz
        attempts = mine[(content.slug, quiz.id)]
        done = [a for a in attempts if a.finished]
        quizzes.append(
            {
                "essay": content,
                "quiz": quiz,
                "grade": grade_of(quiz.grading, done),
                "done": len(done),
                "left": attempts_left(quiz, attempts),
                "open": any(not a.finished for a in attempts),
            }
        )
    settings = settings_for(user)
    due = []
    for content in essays:
        ids, topics = _cards_in_content_order(content.slug)
        queue = daily_queue(user.id, content.slug, ids, topics, now, settings)
        due.append((content, queue))
    # the finished ones of the attempts read above (as progress.finished_attempts gives them)
    attempts = sorted(
        (a for group in mine.values() for a in group if a.submitted_at is not None),
        key=lambda a: a.submitted_at,
    )
    # (the attempts read above say which quizzes are done: no query of its own)
    done = {(a.essay, a.quiz_id) for a in attempts}
    assigned_items = courses.due_items(user, everything, now, given, assigned=assigned, done=done)
    return render_template(
        "home/dashboard.html",
        due=due,
        quizzes=quizzes,
        mastery=[(c, topic_mastery(user.id, c)) for c in essays],
        recent=list(reversed(attempts[-5:])),
        streak=streak(user, attempts, now),
        due_next=course_rules.due_next(assigned_items, now),
        my_courses=courses.courses_of(user.id),
        now=now,
    )
