"""The data behind the instructor's class pages and the exports: a course's class results,
class memory, item analysis and export streams (the web downloads and the CLI use the same
code). No views: they are in instructor.py, which imports what they and the CLI use."""

from __future__ import annotations

import io
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from fractions import Fraction
from statistics import fmean
from typing import Any

from sqlalchemy import Text, case, cast, func, select
from sqlalchemy.orm import defer, selectinload

from . import courses, marks, srs
from .analysis import AttemptScores, ItemResponse, QuizReport, analyse
from .bank import Bank, EssayContent, Quiz, build_bank
from .content import snapshot
from .exports import anki, gift, gradebook
from .exports.gradebook import QuizColumn, QuizGrade, StudentRow
from .extensions import db
from .models import Attempt, CardStateRow, Course, ResponseRow, ReviewLog, User

# --- class results ------------------------------------------------------------------------


def students(course: Course | None = None) -> list[User]:
    """The course's students (None: every student account, for the CLI on the server)."""
    if course is not None:
        return courses.students(course)
    return list(
        db.session.execute(
            select(User).where(User.role == "student").order_by(User.name, User.id)
        ).scalars()
    )


def class_grid(
    essays: dict[str, EssayContent], course_id: int | None = None
) -> dict[int, dict[tuple[str, str], QuizGrade]]:
    """user id -> (essay, quiz id) -> the quiz grade under its grading method, for the
    course's students (None: everyone's)."""
    stmt = (
        select(Attempt)
        .options(defer(Attempt.questions))  # grades need points only, not the snapshots
        .where(Attempt.submitted_at.is_not(None))
        .order_by(Attempt.user_id, Attempt.essay, Attempt.quiz_id, Attempt.number)
    )
    if course_id is not None:
        stmt = stmt.where(Attempt.user_id.in_(courses.student_id_list(course_id)))
    rows = db.session.execute(stmt).scalars()
    grouped: dict[tuple[int, str, str], list[Attempt]] = defaultdict(list)
    for attempt in rows:
        grouped[(attempt.user_id, attempt.essay, attempt.quiz_id)].append(attempt)
    grid: dict[int, dict[tuple[str, str], QuizGrade]] = defaultdict(dict)
    for (user_id, essay, quiz_id), attempts in grouped.items():
        content = essays.get(essay)
        quiz = content.quiz(quiz_id) if content else None
        method = quiz.grading if quiz else attempts[-1].grading
        decimals = attempts[-1].decimals
        max_points = attempts[-1].max_points
        ratio = marks.combine(method, [attempt_ratio(a) for a in attempts])
        grid[user_id][(essay, quiz_id)] = QuizGrade(
            percent=None if ratio is None else marks.round_mark(ratio * 100, decimals),
            points=None
            if ratio is None
            else marks.round_mark(ratio * marks.from_float(max_points), decimals),
            max_points=max_points,
            attempts=len(attempts),
            first_at=attempts[0].submitted_at,
            last_at=attempts[-1].submitted_at,
            ratio=ratio,
            decimals=decimals,
        )
    return grid


def attempt_ratio(attempt: Attempt) -> Fraction:
    """An attempt's total as an exact fraction of its maximum (0 when it has none)."""
    return marks.ratio(attempt.exact_points, attempt.max_points)


def course_quizzes(
    essays: dict[str, EssayContent], course: Course | None
) -> list[tuple[EssayContent, Quiz]]:
    """The quizzes a course assigns, in content order (None: every quiz)."""
    assigned = None
    if course is not None:
        assigned = {(a.essay, a.quiz_id) for a in courses.assignments(course)}
    return [
        (c, q)
        for c in essays.values()
        for q in c.quizzes
        if assigned is None or (c.slug, q.id) in assigned
    ]


def quiz_columns(
    essays: dict[str, EssayContent], course: Course | None = None
) -> list[tuple[EssayContent, str, str, int]]:
    return [(c, q.id, q.title, q.questions) for c, q in course_quizzes(essays, course)]


# --- class memory -------------------------------------------------------------------------


@dataclass(frozen=True)
class FactMemory:
    card_id: str
    front: str
    topic: str | None
    students: int
    mean_retrievability: float | None
    lapse_rate: float | None  # Again on Review cards / reviews of Review cards
    para: int


def class_memory(bank: Bank, now: datetime, course_id: int | None = None) -> list[FactMemory]:
    """Per card, the class's mean retrievability now and lapse rate, most forgotten first
    (the course's students; None: everyone)."""
    essay = bank.content.slug
    settings = srs.Settings()
    retr: dict[str, list[float]] = defaultdict(list)
    # Only the columns the forgetting curve needs (a stored state that is not new has both).
    states = select(CardStateRow.card_id, CardStateRow.stability, CardStateRow.last_review).where(
        CardStateRow.essay == essay, CardStateRow.state != srs.NEW, CardStateRow.retired.is_(False)
    )
    essay_is = ReviewLog.essay == essay
    if course_id is not None:
        # A course: through each student's reviews. ``essay || ''`` keeps the essay's own
        # index (ix_review_log_essay_card) out of the plan: SQLite would walk the essay's
        # whole review log with it, seconds at school scale, for 25 students' rows.
        essay_is = ReviewLog.essay.concat("") == essay
    logs = (
        select(ReviewLog.card_id, func.count(), func.sum(case((ReviewLog.rating == 1, 1), else_=0)))
        .where(essay_is, ReviewLog.state_before == srs.REVIEW)
        .group_by(ReviewLog.card_id)
    )
    if course_id is not None:
        ids = courses.student_id_list(course_id)
        states = states.where(CardStateRow.user_id.in_(ids))
        logs = logs.where(ReviewLog.user_id.in_(ids))
    recall = srs.recall_probability
    for card_id, stability, last_review in db.session.execute(states):
        if stability and last_review is not None:
            days = (now - last_review).total_seconds() / 86400.0
            retr[card_id].append(recall(stability, days, settings))
        else:  # as srs.retrievability says of a state without a memory
            retr[card_id].append(0.0)
    lapses: dict[str, int] = {}
    reviews: dict[str, int] = {}
    for card_id, n_reviews, n_lapses in db.session.execute(logs):
        reviews[card_id], lapses[card_id] = n_reviews, int(n_lapses or 0)
    out = []
    for card in bank.cards:
        values = retr.get(card.id, [])
        n_reviews = reviews.get(card.id, 0)
        out.append(
            FactMemory(
                card_id=card.id,
                front=card.front,
                topic=card.topic,
                students=len(values),
                mean_retrievability=round(fmean(values), 4) if values else None,
                lapse_rate=round(lapses.get(card.id, 0) / n_reviews, 4) if n_reviews else None,
                para=card.source.para,
            )
        )
    # Forgetting first: lowest retrievability, then highest lapse rate; unstudied cards last.
    out.sort(
        key=lambda m: (
            m.mean_retrievability is None,
            m.mean_retrievability if m.mean_retrievability is not None else 2.0,
            -(m.lapse_rate or 0.0),
        )
    )
    return out


# --- item analysis ------------------------------------------------------------------------


def submitted_attempts(essay: str, quiz_id: str, course_id: int | None = None) -> list[Any]:
    """(id, user_id, questions) of a quiz's submitted attempts, by student then number: the
    course's students' (None: everyone's)."""
    stmt = (
        select(Attempt.id, Attempt.user_id, Attempt.questions)
        .where(
            Attempt.essay == essay,
            Attempt.quiz_id == quiz_id,
            Attempt.submitted_at.is_not(None),
        )
        .order_by(Attempt.user_id, Attempt.number)
    )
    if course_id is not None:
        stmt = stmt.where(Attempt.user_id.in_(courses.student_id_list(course_id)))
    return list(db.session.execute(stmt).all())


def quiz_report(
    essay: str,
    quiz_id: str,
    first_only: bool = False,
    course_id: int | None = None,
    *,
    attempts: list[Any] | None = None,
) -> tuple[QuizReport, int]:
    """Moodle's statistics for a quiz over its submitted attempts (or each student's first),
    by the course's students (None: everyone); ``attempts``: those rows, loaded already."""
    if attempts is None:
        attempts = submitted_attempts(essay, quiz_id, course_id)
    if first_only:
        seen: set[int] = set()
        attempts = [a for a in attempts if not (a.user_id in seen or seen.add(a.user_id))]
    # The marks as plain rows (no ORM objects, no answers decoded), by attempt and position.
    marks_of: dict[int, list[tuple[int, str, float | None]]] = defaultdict(list)
    ids = [a.id for a in attempts]
    for start in range(0, len(ids), 500):
        for attempt_id, position, item_id, points in db.session.execute(
            select(
                ResponseRow.attempt_id,
                ResponseRow.position,
                ResponseRow.item_id,
                ResponseRow.points,
            )
            .where(ResponseRow.attempt_id.in_(ids[start : start + 500]))
            .order_by(ResponseRow.attempt_id, ResponseRow.position)
        ):
            marks_of[attempt_id].append((position, item_id, points))
    scores = []
    for attempt in attempts:
        questions = attempt.questions
        scores.append(
            AttemptScores(
                attempt_id=attempt.id,
                responses=tuple(
                    ItemResponse(
                        item_id=item_id,
                        item_type=questions[position]["type"],
                        slot=position,
                        mark=points or 0.0,
                        max_mark=1.0,
                        options=len(questions[position].get("options") or ()),
                    )
                    for position, item_id, points in marks_of[attempt.id]
                    if not questions[position].get("retired")  # removed by a regrade
                ),
            )
        )
    return analyse(scores, min_item_count=1), len(attempts)


def analysis_rows(
    essays: dict[str, EssayContent], course: Course | None = None
) -> Iterator[gradebook.AnalysisRow]:
    course_id = course.id if course else None
    for content, quiz in course_quizzes(essays, course):
        report, _n = quiz_report(content.slug, quiz.id, course_id=course_id)
        for q in report.items:
            yield gradebook.AnalysisRow(
                essay=content.slug,
                quiz_id=quiz.id,
                slot=None,
                item_id=q.item_id or ",".join(q.item_ids),
                type=",".join(q.item_types),
                count=q.count,
                facility=q.facility,
                sd=q.standard_deviation,
                random_guess=q.random_guess_score,
                discrimination=q.discrimination_index,
                efficiency=q.discriminative_efficiency,
                flag=q.flag_reason or "",
            )


# --- exports: one code path for the web downloads and the CLI -------------------------------

EXPORTS = {
    "scores": ("scores.csv", "text/csv", "Scores: one row per student per quiz"),
    "moodle": ("gradebook-moodle.csv", "text/csv", "Gradebook for Moodle's CSV import"),
    "canvas": ("gradebook-canvas.csv", "text/csv", "Gradebook for Canvas's CSV import"),
    "xlsx": (
        "results.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "Workbook: scores and item analysis",
    ),
    "json": ("attempts.json", "application/json", "Every attempt and response, for research"),
    "gift": ("question-bank.gift.txt", "text/plain", "Question bank in Moodle's GIFT format"),
    "anki": ("flashcards.apkg", "application/octet-stream", "Flashcards as an Anki deck"),
}


def gradebook_rows(
    essays: dict[str, EssayContent], course: Course | None = None
) -> tuple[list[QuizColumn], list[StudentRow]]:
    """The gradebook of a course: its assigned quizzes, exactly its students (None: every
    quiz and every student)."""
    columns = [
        QuizColumn(c.slug, q.id, q.title, float(q.questions))
        for c, q in course_quizzes(essays, course)
    ]
    grid = class_grid(essays, course.id if course else None)
    rows = [StudentRow(u.id, u.name, u.email, dict(grid.get(u.id, {}))) for u in students(course)]
    return columns, rows


def attempt_records(course: Course | None = None) -> Iterator[dict[str, object]]:
    """Every attempt of the course's students with its questions as shown and its responses
    (for research; None: everyone's)."""
    if course is not None:
        users = {u.id: u for u in courses.students(course)}
    else:
        users = {u.id: u for u in db.session.execute(select(User)).scalars()}
    # the responses of each batch of attempts in one statement, not one per attempt
    # the questions as the stored JSON text, spliced into the export without decoding
    stmt = (
        select(Attempt, cast(Attempt.questions, Text))
        .options(defer(Attempt.questions), selectinload(Attempt.responses))
        .order_by(Attempt.id)
    )
    if course is not None:
        stmt = stmt.where(Attempt.user_id.in_(courses.student_id_list(course.id)))
    for attempt, questions in db.session.execute(stmt):
        user = users.get(attempt.user_id)
        yield {
            "attempt_id": attempt.id,
            "user_id": attempt.user_id,
            "user_email": user.email if user else None,
            "essay": attempt.essay,
            "quiz_id": attempt.quiz_id,
            "quiz_title": attempt.quiz_title,
            "number": attempt.number,
            "seed": attempt.seed,
            "grading": attempt.grading,
            "feedback": attempt.feedback,
            "started_at": attempt.started_at,
            "deadline": attempt.deadline,
            "submitted_at": attempt.submitted_at,
            "points": attempt.shown_points,
            "points_exact": attempt.exact_points,
            "percent": attempt.percent,
            "max_points": attempt.max_points,
            "decimals": attempt.decimals,
            "questions": gradebook.RawJSON(questions),
            "responses": [
                {
                    "position": r.position,
                    "item_id": r.item_id,
                    "answer": r.answer,
                    "points": None
                    if r.exact_points is None
                    else marks.round_mark(r.exact_points, attempt.decimals),
                    "points_exact": r.exact_points,
                    "override_comment": r.override_comment,
                    "saved_at": r.saved_at,
                }
                for r in attempt.responses
            ],
        }


def _encoded(lines: Iterator[str]) -> Iterator[bytes]:
    for line in lines:
        yield line.encode("utf-8")


def export_stream(
    kind: str, now: datetime, course: Course | None = None
) -> tuple[str, str, Iterator[bytes]]:
    """(file name, MIME type, the bytes) of one export of a course (its slug starts the file
    name; None: the whole install); the CLI and the web both use it."""
    filename, mimetype, _label = EXPORTS[kind]
    if course is not None:
        filename = f"{course.slug}-{filename}"
    essays = snapshot().essays
    if kind in ("scores", "moodle", "canvas"):
        columns, rows = gradebook_rows(essays, course)
        if kind == "scores":
            lines = gradebook.scores_csv(columns, rows)
        elif kind == "moodle":
            lines = gradebook.moodle_csv(columns, rows, now)
        else:
            lines = gradebook.canvas_csv(columns, rows)
        return filename, mimetype, _encoded(lines)
    if kind == "json":
        return filename, mimetype, _encoded(gradebook.research_json(attempt_records(course)))
    buffer = io.BytesIO()
    if kind == "xlsx":
        columns, rows = gradebook_rows(essays, course)
        gradebook.write_xlsx(columns, rows, list(analysis_rows(essays, course)), buffer)
    elif kind == "gift":
        text = "\n\n".join(gift.bank_to_gift(build_bank(c, 0)) for c in essays.values())
        buffer.write(text.encode("utf-8"))
    elif kind == "anki":
        anki.cards_to_apkg([build_bank(c, 0) for c in essays.values()], buffer)
    else:
        raise KeyError(kind)
    return filename, mimetype, iter([buffer.getvalue()])


def item_texts(
    essay: str,
    quiz_id: str,
    bank: Bank,
    course_id: int | None = None,
    *,
    attempts: list[Any] | None = None,
) -> dict[str, str]:
    """Each item id's question text as the latest attempts showed it (a true/false or
    ordering prompt depends on the attempt's seed), else as the current bank words it; the
    course's students' attempts (None: anyone's), or the given rows (id, user_id, questions)."""
    if attempts is not None:
        seen: dict[str, str] = {}
        for row in sorted(attempts, key=lambda a: -a.id)[:50]:
            for q in row.questions:
                seen.setdefault(str(q.get("id")), str(q.get("prompt", "")))
        return {**{item.id: item.prompt for item in bank.items}, **seen}
    latest = (
        select(Attempt.id)
        .where(Attempt.essay == essay, Attempt.quiz_id == quiz_id)
        .order_by(Attempt.id.desc())
        .limit(50)
    )
    if course_id is not None:
        latest = latest.where(Attempt.user_id.in_(courses.student_id_list(course_id)))
    # The ids first, then their snapshots: sorting the rows with their questions attached
    # took seconds at school scale.
    ids = list(db.session.execute(latest).scalars())
    seen = {}
    for (questions,) in db.session.execute(
        select(Attempt.questions).where(Attempt.id.in_(ids)).order_by(Attempt.id.desc())
    ):
        for q in questions:
            seen.setdefault(str(q.get("id")), str(q.get("prompt", "")))
    return {**{item.id: item.prompt for item in bank.items}, **seen}
