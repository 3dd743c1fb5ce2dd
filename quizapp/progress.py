"""A student's progress: grade history per quiz, mastery per topic, streak, results as CSV rows
(the service; the pages are progress_views.py)."""

from __future__ import annotations

import functools
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import String, bindparam, func, literal, type_coerce
from sqlalchemy.orm import defer

from .bank import EssayContent
from .exports.gradebook import safe_csv_cell
from .extensions import db
from .models import Attempt, User, grade_of
from .models import ResponseRow as Answer
from .stats import local_day, mastery_by_topic, study_streak


@dataclass(frozen=True)
class QuizHistory:
    essay: str
    quiz_id: str
    title: str
    grading: str
    attempts: list[Attempt]

    @property
    def grade(self) -> float | None:
        return grade_of(self.grading, self.attempts)


def finished_attempts(user_id: int) -> list[Attempt]:
    return list(
        db.session.execute(
            db.select(Attempt)
            .options(defer(Attempt.questions))  # large JSON, not needed for grades
            .filter(Attempt.user_id == user_id, Attempt.submitted_at.is_not(None))
            .order_by(Attempt.submitted_at)
        ).scalars()
    )


def histories(attempts: list[Attempt]) -> list[QuizHistory]:
    grouped: dict[tuple[str, str], list[Attempt]] = {}
    for a in attempts:
        grouped.setdefault((a.essay, a.quiz_id), []).append(a)
    return [
        QuizHistory(essay, quiz_id, group[-1].quiz_title, group[-1].grading, group)
        for (essay, quiz_id), group in grouped.items()
    ]


def _question_topics(dialect: str) -> Any:
    """The ``topics`` of the question an answer is to, read from its attempt's snapshot by the
    database (so the whole snapshot is never sent over and parsed for a few short lists), as
    JSON text: a student's answers share a handful of topic lists, decoded once each."""
    if dialect == "postgresql":
        found = Attempt.questions.op("->")(Answer.position).op("->>")(literal("topics"))
    else:  # SQLite's JSON1 functions (an array comes back as its JSON text)
        found = func.json_extract(Attempt.questions, func.printf("$[%d].topics", Answer.position))
    return type_coerce(found, String)


@functools.cache
def _mastery_statement(dialect: str) -> Any:
    """Built once per database dialect, with bound parameters (the home page runs it)."""
    return (
        db.select(Answer.item_id, _question_topics(dialect), Answer.points, Answer.saved_at)
        .join(Attempt, Answer.attempt_id == Attempt.id)
        .filter(
            Attempt.user_id == bindparam("user_id"),
            Attempt.essay == bindparam("essay"),
            Answer.points.is_not(None),
        )
    )


def topic_mastery(user_id: int, content: EssayContent) -> list[tuple[str, str, float | None]]:
    """(topic id, title, mastery 0-1 or None when never tested) for each of the essay's topics."""
    rows = db.session.execute(
        _mastery_statement(db.engine.dialect.name), {"user_id": user_id, "essay": content.slug}
    ).all()
    decoded: dict[str | None, list[str]] = {None: []}
    answers = []
    for item_id, topics, points, saved_at in rows:
        if topics not in decoded:
            decoded[topics] = json.loads(topics)
        answers.append((item_id, decoded[topics], points or 0.0, saved_at))
    mastery = mastery_by_topic(answers)
    return [(t.id, t.title, mastery.get(t.id)) for t in content.topics]


def streak(user: User, attempts: list[Attempt], now: datetime) -> int:
    days = [local_day(a.submitted_at, user.timezone) for a in attempts if a.submitted_at]
    return study_streak(days, local_day(now, user.timezone))


CSV_HEADER = [
    "essay", "quiz_id", "quiz_title", "attempt", "started_at_utc", "submitted_at_utc",
    "points", "max_points", "percent",
]  # fmt: skip


def results_rows(attempts: list[Attempt]) -> Iterator[list[object]]:
    yield CSV_HEADER
    for a in attempts:
        yield [
            safe_csv_cell(v)
            for v in (
                a.essay,
                a.quiz_id,
                a.quiz_title,
                a.number,
                a.started_at.isoformat(),
                a.submitted_at.isoformat() if a.submitted_at else "",
                a.shown_points,  # rounded once, as on the pages
                a.max_points,
                a.percent,
            )
        ]
