"""The instructor area: content status and preview, class results, item analysis, class
memory, and exports (the same code path serves the web downloads and the CLI)."""

from __future__ import annotations

import io
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from statistics import fmean

from flask import Blueprint, Response, abort, render_template, request, stream_with_context
from sqlalchemy import case, func, select
from sqlalchemy.orm import defer, selectinload

from . import srs
from .analysis import AttemptScores, ItemResponse, QuizReport, analyse
from .auth import instructor_required
from .bank import Bank, EssayContent, build_bank
from .cards import STATE_COLUMNS, load_states, state_from_row
from .content import snapshot, store
from .exports import anki, gift, gradebook
from .exports.gradebook import QuizColumn, QuizGrade, StudentRow
from .extensions import db
from .models import Attempt, CardState, ReviewLog, User, utcnow
from .stats import quiz_grade

bp = Blueprint("instructor", __name__, url_prefix="/instructor")


# --- class results ------------------------------------------------------------------------


def students() -> list[User]:
    return list(
        db.session.execute(
            select(User).where(User.role == "student").order_by(User.name, User.id)
        ).scalars()
    )


def class_grid(essays: dict[str, EssayContent]) -> dict[int, dict[tuple[str, str], QuizGrade]]:
    """user id -> (essay, quiz id) -> the quiz grade under its grading method."""
    rows = db.session.execute(
        select(Attempt)
        .options(defer(Attempt.questions))  # grades need points only, not the snapshots
        .where(Attempt.submitted_at.is_not(None))
        .order_by(Attempt.user_id, Attempt.essay, Attempt.quiz_id, Attempt.number)
    ).scalars()
    grouped: dict[tuple[int, str, str], list[Attempt]] = defaultdict(list)
    for attempt in rows:
        grouped[(attempt.user_id, attempt.essay, attempt.quiz_id)].append(attempt)
    grid: dict[int, dict[tuple[str, str], QuizGrade]] = defaultdict(dict)
    for (user_id, essay, quiz_id), attempts in grouped.items():
        content = essays.get(essay)
        quiz = content.quiz(quiz_id) if content else None
        method = quiz.grading if quiz else attempts[-1].grading
        percent = quiz_grade(method, [a.percent or 0.0 for a in attempts])
        max_points = attempts[-1].max_points
        grid[user_id][(essay, quiz_id)] = QuizGrade(
            percent=percent,
            points=None if percent is None else round(percent * max_points / 100, 4),
            max_points=max_points,
            attempts=len(attempts),
            first_at=attempts[0].submitted_at,
            last_at=attempts[-1].submitted_at,
        )
    return grid


def quiz_columns(essays: dict[str, EssayContent]) -> list[tuple[EssayContent, str, str, int]]:
    return [(c, q.id, q.title, q.questions) for c in essays.values() for q in c.quizzes]


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


def class_memory(bank: Bank, now: datetime) -> list[FactMemory]:
    """Per card, the class's mean retrievability now and lapse rate, most forgotten first."""
    essay = bank.content.slug
    settings = srs.Settings()
    retr: dict[str, list[float]] = defaultdict(list)
    columns = [getattr(CardState, name) for name in STATE_COLUMNS]
    for row in db.session.execute(
        select(*columns).where(
            CardState.essay == essay, CardState.state != srs.NEW, CardState.retired.is_(False)
        )
    ):
        state = state_from_row(row)
        retr[row.card_id].append(srs.retrievability(state, now, settings))
    lapses: dict[str, int] = {}
    reviews: dict[str, int] = {}
    for card_id, n_reviews, n_lapses in db.session.execute(
        select(ReviewLog.card_id, func.count(), func.sum(case((ReviewLog.rating == 1, 1), else_=0)))
        .where(ReviewLog.essay == essay, ReviewLog.state_before == srs.REVIEW)
        .group_by(ReviewLog.card_id)
    ):
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


# --- views --------------------------------------------------------------------------------


@bp.get("/")
@instructor_required
def index() -> str:
    s = store()
    snap = s.current()
    summaries = []
    for slug, content in snap.essays.items():
        bank = snap.bank(slug)
        types: dict[str, int] = defaultdict(int)
        for item in bank.items:
            types[item.type] += 1
        summaries.append((content, bank, dict(types)))
    return render_template(
        "instructor/index.html",
        errors=s.errors,
        loaded_at=snap.loaded_at,
        summaries=summaries,
        n_students=db.session.execute(
            select(func.count()).select_from(User).where(User.role == "student")
        ).scalar_one(),
    )


@bp.get("/preview/<essay>")
@instructor_required
def preview(essay: str) -> str:
    snap = snapshot()
    content = snap.essays.get(essay) or abort(404)
    bank = snap.bank(essay)
    by_origin: dict[str, list[object]] = defaultdict(list)
    for item in bank.items:
        if len(item.origin.ids) == 1:
            by_origin[item.origin.ids[0]].append(item)
    for card in bank.cards:
        by_origin[card.origin.ids[0]].append(card)
    groups = [
        (
            t,
            [f for f in content.facts if f.topic == t.id],
            [c for c in content.claims if c.topic == t.id],
        )
        for t in content.topics
    ]
    group_items = [i for i in bank.items if len(i.origin.ids) > 1]
    return render_template(
        "instructor/preview.html",
        content=content,
        groups=groups,
        by_origin=by_origin,
        group_items=group_items,
    )


@bp.get("/results")
@instructor_required
def results() -> str:
    essays = snapshot().essays
    return render_template(
        "instructor/results.html",
        students=students(),
        columns=quiz_columns(essays),
        grid=class_grid(essays),
    )


@bp.get("/students/<int:user_id>")
@instructor_required
def student(user_id: int) -> str:
    user = db.session.get(User, user_id) or abort(404)
    attempts = list(
        db.session.execute(
            select(Attempt).where(Attempt.user_id == user_id).order_by(Attempt.started_at)
        ).scalars()
    )
    cards = []
    now = utcnow()
    for slug in snapshot().essays:
        states = load_states(user_id, slug)
        ids = [c.id for c in snapshot().bank(slug).cards]
        n_reviews = db.session.execute(
            select(func.count())
            .select_from(ReviewLog)
            .where(ReviewLog.user_id == user_id, ReviewLog.essay == slug)
        ).scalar_one()
        cards.append((snapshot().essays[slug], srs.counts(states, ids), n_reviews))
    return render_template(
        "instructor/student.html", user=user, attempts=attempts, cards=cards, now=now
    )


@bp.get("/memory/<essay>")
@instructor_required
def memory(essay: str) -> str:
    snap = snapshot()
    content = snap.essays.get(essay) or abort(404)
    return render_template(
        "instructor/memory.html", content=content, rows=class_memory(snap.bank(essay), utcnow())
    )


# --- item analysis ------------------------------------------------------------------------


def quiz_report(essay: str, quiz_id: str, first_only: bool = False) -> tuple[QuizReport, int]:
    """Moodle's statistics for a quiz over its submitted attempts (or each student's first)."""
    attempts = list(
        db.session.execute(
            select(Attempt)
            .options(selectinload(Attempt.responses))
            .where(
                Attempt.essay == essay,
                Attempt.quiz_id == quiz_id,
                Attempt.submitted_at.is_not(None),
            )
            .order_by(Attempt.user_id, Attempt.number)
        ).scalars()
    )
    if first_only:
        seen: set[int] = set()
        attempts = [a for a in attempts if not (a.user_id in seen or seen.add(a.user_id))]
    scores = []
    for attempt in attempts:
        questions = attempt.questions
        scores.append(
            AttemptScores(
                attempt_id=attempt.id,
                responses=tuple(
                    ItemResponse(
                        item_id=r.item_id,
                        item_type=questions[r.position]["type"],
                        slot=r.position,
                        mark=r.points or 0.0,
                        max_mark=1.0,
                        options=len(questions[r.position].get("options") or ()),
                    )
                    for r in attempt.responses
                ),
            )
        )
    return analyse(scores, min_item_count=1), len(attempts)


def analysis_rows(essays: dict[str, EssayContent]) -> Iterator[gradebook.AnalysisRow]:
    for content in essays.values():
        for quiz in content.quizzes:
            report, _n = quiz_report(content.slug, quiz.id)
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


def gradebook_rows(essays: dict[str, EssayContent]) -> tuple[list[QuizColumn], list[StudentRow]]:
    columns = [
        QuizColumn(c.slug, q.id, q.title, float(q.questions))
        for c in essays.values()
        for q in c.quizzes
    ]
    grid = class_grid(essays)
    rows = [StudentRow(u.id, u.name, u.email, dict(grid.get(u.id, {}))) for u in students()]
    return columns, rows


def attempt_records() -> Iterator[dict[str, object]]:
    """Every attempt with its questions as shown and its responses (for research)."""
    users = {u.id: u for u in db.session.execute(select(User)).scalars()}
    for attempt in db.session.execute(select(Attempt).order_by(Attempt.id)).scalars():
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
            "points": attempt.points,
            "max_points": attempt.max_points,
            "questions": attempt.questions,
            "responses": [
                {
                    "position": r.position,
                    "item_id": r.item_id,
                    "answer": r.answer,
                    "points": r.points,
                    "saved_at": r.saved_at,
                }
                for r in attempt.responses
            ],
        }


def _encoded(lines: Iterator[str]) -> Iterator[bytes]:
    for line in lines:
        yield line.encode("utf-8")


def export_stream(kind: str, now: datetime) -> tuple[str, str, Iterator[bytes]]:
    """(file name, MIME type, the bytes) of one export; the CLI and the web both use it."""
    filename, mimetype, _label = EXPORTS[kind]
    essays = snapshot().essays
    if kind in ("scores", "moodle", "canvas"):
        columns, rows = gradebook_rows(essays)
        if kind == "scores":
            lines = gradebook.scores_csv(columns, rows)
        elif kind == "moodle":
            lines = gradebook.moodle_csv(columns, rows, now)
        else:
            lines = gradebook.canvas_csv(columns, rows)
        return filename, mimetype, _encoded(lines)
    if kind == "json":
        return filename, mimetype, _encoded(gradebook.research_json(attempt_records()))
    buffer = io.BytesIO()
    if kind == "xlsx":
        columns, rows = gradebook_rows(essays)
        gradebook.write_xlsx(columns, rows, list(analysis_rows(essays)), buffer)
    elif kind == "gift":
        text = "\n\n".join(gift.bank_to_gift(build_bank(c, 0)) for c in essays.values())
        buffer.write(text.encode("utf-8"))
    elif kind == "anki":
        anki.cards_to_apkg([build_bank(c, 0) for c in essays.values()], buffer)
    else:
        raise KeyError(kind)
    return filename, mimetype, iter([buffer.getvalue()])


@bp.get("/analysis/<essay>/<quiz_id>")
@instructor_required
def analysis(essay: str, quiz_id: str) -> str:
    content = snapshot().essays.get(essay) or abort(404)
    quiz = content.quiz(quiz_id) or abort(404)
    first_only = request.args.get("attempts") == "first"
    report, n = quiz_report(essay, quiz_id, first_only)
    return render_template(
        "instructor/analysis.html",
        content=content,
        quiz=quiz,
        report=report,
        n_attempts=n,
        first_only=first_only,
    )


@bp.get("/exports")
@instructor_required
def exports() -> str:
    return render_template("instructor/exports.html", exports=EXPORTS)


@bp.get("/exports/<kind>")
@instructor_required
def download(kind: str) -> Response:
    if kind not in EXPORTS:
        abort(404)
    filename, mimetype, chunks = export_stream(kind, utcnow())
    return Response(
        stream_with_context(chunks),
        mimetype=mimetype,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
