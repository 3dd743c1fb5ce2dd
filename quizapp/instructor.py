"""The instructor area: content status and preview, class results, item analysis, class
memory, and exports (the same code path serves the web downloads and the CLI)."""

from __future__ import annotations

import io
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from fractions import Fraction
from functools import wraps
from statistics import fmean
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    stream_with_context,
    url_for,
)
from flask_login import current_user, login_required
from sqlalchemy import case, func, select
from sqlalchemy.orm import defer, selectinload
from werkzeug.wrappers import Response as WerkzeugResponse

from . import courses, grading, marks, srs
from .analysis import AttemptScores, ItemResponse, QuizReport, analyse
from .auth import instructor_required
from .bank import Bank, EssayContent, Item, Quiz, build_bank
from .cards import load_states
from .content import snapshot, store
from .exports import anki, gift, gradebook
from .exports.gradebook import QuizColumn, QuizGrade, StudentRow
from .extensions import db
from .models import (
    Attempt,
    CardState,
    Course,
    QuestionReport,
    ReviewLog,
    User,
    utcnow,
)
from .models import (
    Response as ResponseRow,
)
from .quiz import MAX_DB_ID, given_answer_lines
from .regrade import apply_regrade, override_mark, plan_regrade

bp = Blueprint("instructor", __name__, url_prefix="/instructor")


# --- the course a page is about -------------------------------------------------------------
#
# The class pages (results, a student, item analysis, class memory, reports, exports) show one
# course: ``?course=<slug>``, else the course last shown, else the first the user teaches.
# Its instructors and teaching assistants see it; only its instructors change anything.


def course_staff_required(view: Any) -> Any:
    @wraps(view)
    @login_required
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        g.course = _current_course(write=request.method == "POST")
        return view(*args, **kwargs)

    return wrapped


def _current_course(*, write: bool) -> Course:
    roles = ("instructor",) if write else courses.STAFF_ROLES
    if not current_user.is_instructor and not courses.staff_courses(current_user.id):
        abort(403)  # a student
    slug = request.args.get("course")
    if slug:
        course = courses.by_slug(slug) if len(slug) <= 80 else None
        if course is None or courses.role_in(current_user.id, course.id) not in roles:
            abort(404)  # another teacher's course does not exist, as far as you can tell
    else:
        mine = [c for c, r in courses.staff_courses(current_user.id) if r in roles]
        if not mine:
            if current_user.is_instructor or courses.staff_courses(current_user.id):
                flash("Create a course first (or ask its instructor to add you).", "info")
                abort(redirect(url_for("courses.index")))
            abort(403)
        remembered = session.get("course")
        course = next((c for c in mine if c.slug == remembered), mine[0])
    session["course"] = course.slug
    return course


@bp.url_defaults
def _keep_course(endpoint: str, values: dict[str, Any]) -> None:
    course = g.get("course")
    if course is not None and "course" not in values and endpoint in COURSE_PAGES:
        values["course"] = course.slug


def _refuse() -> None:
    """403 for someone who teaches nothing; 404 for staff of other courses (another
    teacher's student does not exist, as far as they can tell)."""
    abort(404 if courses.staff_courses(current_user.id) else 403)


def current_course() -> Course:
    return g.course  # type: ignore[no-any-return]


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
    states = select(CardState.card_id, CardState.stability, CardState.last_review).where(
        CardState.essay == essay, CardState.state != srs.NEW, CardState.retired.is_(False)
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
        states = states.where(CardState.user_id.in_(ids))
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
        n_students=len(
            {
                u.id
                for course, _role in courses.staff_courses(current_user.id)
                for u in courses.students(course)
            }
        ),
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
    wanted = request.args.get("item")
    focus = next((i for i in bank.items if i.id == wanted), None) if wanted else None
    if wanted and focus is None:
        abort(404)
    return render_template(
        "instructor/preview.html",
        focus=focus,
        content=content,
        groups=groups,
        by_origin=by_origin,
        group_items=group_items,
    )


@bp.get("/results")
@course_staff_required
def results() -> str:
    essays = snapshot().essays
    course = current_course()
    return render_template(
        "instructor/results.html",
        course=course,
        students=students(course),
        columns=quiz_columns(essays, course),
        grid=class_grid(essays, course.id),
    )


@bp.get("/students/<int:user_id>")
@course_staff_required
def student(user_id: int) -> str:
    if user_id > MAX_DB_ID:
        abort(400)
    if not courses.is_student_of(current_course(), user_id):
        if "course" not in request.args:  # from a review page: the course they are in
            for course, _role in courses.staff_courses(current_user.id):
                if courses.is_student_of(course, user_id):
                    return redirect(url_for("instructor.student", user_id=user_id,
                                            course=course.slug))  # type: ignore[return-value]  # fmt: skip
        abort(404)
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
@course_staff_required
def memory(essay: str) -> str:
    snap = snapshot()
    content = snap.essays.get(essay) or abort(404)
    rows = class_memory(snap.bank(essay), utcnow(), current_course().id)
    return render_template("instructor/memory.html", content=content, rows=rows)


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
    stmt = select(Attempt).options(selectinload(Attempt.responses)).order_by(Attempt.id)
    if course is not None:
        stmt = stmt.where(Attempt.user_id.in_(courses.student_id_list(course.id)))
    for attempt in db.session.execute(stmt).scalars():
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
            "questions": attempt.questions,
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


@bp.get("/analysis/<essay>/<quiz_id>")
@course_staff_required
def analysis(essay: str, quiz_id: str) -> str:
    content = snapshot().essays.get(essay) or abort(404)
    quiz = content.quiz(quiz_id) or abort(404)
    first_only = request.args.get("attempts") == "first"
    course = current_course()
    rows = submitted_attempts(essay, quiz_id, course.id)  # the snapshots, decoded once
    report, n = quiz_report(essay, quiz_id, first_only, course.id, attempts=rows)
    bank = snapshot().bank(essay)
    n_reports: dict[str, int] = defaultdict(int)
    for (item_id,) in db.session.execute(
        select(QuestionReport.item_id)
        .join(Attempt, Attempt.id == QuestionReport.attempt_id)
        .where(
            Attempt.essay == essay,
            Attempt.quiz_id == quiz_id,
            QuestionReport.user_id.in_(courses.student_id_list(course.id)),
        )
    ):
        n_reports[item_id] += 1
    return render_template(
        "instructor/analysis.html",
        content=content,
        quiz=quiz,
        report=report,
        n_attempts=n,
        first_only=first_only,
        texts=item_texts(essay, quiz_id, bank, course.id, attempts=rows),
        live_ids={item.id for item in bank.items},
        n_reports=n_reports,
    )


# --- reports, overrides, regrades ----------------------------------------------------------


@bp.get("/reports")
@course_staff_required
def reports() -> str:
    show_all = request.args.get("show") == "all"
    item_id = request.args.get("item")
    stmt = (
        select(QuestionReport)
        .where(QuestionReport.user_id.in_(courses.student_id_list(current_course().id)))
        .order_by(QuestionReport.created_at.desc(), QuestionReport.id)
    )
    if not show_all:
        stmt = stmt.where(QuestionReport.resolved_at.is_(None))
    if item_id:
        stmt = stmt.where(QuestionReport.item_id == item_id)
    rows = []
    for r in db.session.execute(stmt.limit(500)).scalars():
        attempt = r.attempt
        data = attempt.questions[r.position] if r.position < len(attempt.questions) else None
        item = Item.from_dict(data) if data else None
        row = next((x for x in attempt.responses if x.position == r.position), None)
        given: list[str] = []
        if item is not None:
            answer = grading.from_json(item, row.answer) if row else grading.empty_response(item)
            given = given_answer_lines(item, answer)
        rows.append({"report": r, "item": item, "given": given, "attempt": attempt})
    return render_template("instructor/reports.html", rows=rows, show_all=show_all, item_id=item_id)


@bp.post("/reports/<int:report_id>/resolve")
@login_required
def resolve_report(report_id: int) -> WerkzeugResponse:
    if report_id > MAX_DB_ID:
        abort(400)
    report = db.session.get(QuestionReport, report_id) or abort(404)
    if not courses.staff_sees_student(current_user.id, report.user_id, write=True):
        _refuse()
    if report.resolved_at is None:
        report.resolved_at = utcnow()
        report.resolved_by = current_user.id
        db.session.commit()
    flash("Report marked resolved.", "success")
    return redirect(url_for("instructor.reports"))


MAX_COMMENT_CHARS = 1000
_MARK = re.compile(r"[0-9]{1,6}(?:[.,][0-9]{1,6})?|[0-9]{1,6}/[0-9]{1,6}")


def parse_mark(text: object, maximum: float) -> Fraction | None:
    """A mark typed by an instructor ("0.5", "1/3", "0,75") within 0..maximum; else None."""
    if not isinstance(text, str) or not _MARK.fullmatch(text.strip()):
        return None  # no exponents: "1e99999999" would take minutes to build
    try:
        value = Fraction(text.strip().replace(",", "."))
    except (ValueError, ZeroDivisionError):
        return None
    return value if 0 <= value <= marks.from_float(maximum) else None


@bp.post("/attempts/<int:attempt_id>/override/<int:n>")
@login_required
def override(attempt_id: int, n: int) -> WerkzeugResponse:
    if attempt_id > MAX_DB_ID:
        abort(400)
    attempt = db.session.get(Attempt, attempt_id) or abort(404)
    if not courses.staff_sees_student(current_user.id, attempt.user_id, write=True):
        _refuse()  # only an instructor of a course of the student's changes a mark
    if not attempt.finished or not 1 <= n <= len(attempt.questions):
        abort(404)
    here = url_for("quiz.review", attempt_id=attempt.id) + f"#q{n}"
    data = attempt.questions[n - 1]
    if data.get("retired"):
        flash("This question was removed from the quiz; its mark no longer counts.", "error")
        return redirect(here)
    new = parse_mark(request.form.get("mark"), Item.from_dict(data).max_points)
    comment = request.form.get("comment", "")
    comment = comment.strip() if isinstance(comment, str) else ""
    if new is None:
        flash("The mark must be a number from 0 to the question's points.", "error")
        return redirect(here)
    if not comment or len(comment) > MAX_COMMENT_CHARS or "\x00" in comment:
        flash(f"Say why in a comment (at most {MAX_COMMENT_CHARS} characters).", "error")
        return redirect(here)
    override_mark(attempt, n - 1, new, comment, current_user.id, utcnow())
    flash(f"Question {n}: mark changed; the student sees your comment.", "success")
    return redirect(here)


def _regrade_scope() -> tuple[str | None, str | None]:
    essay = request.values.get("essay") or None
    quiz_id = request.values.get("quiz") or None
    essays = snapshot().essays
    if essay is not None and essay not in essays:
        abort(404)
    if quiz_id is not None and (essay is None or essays[essay].quiz(quiz_id) is None):
        abort(404)
    return essay, quiz_id


@bp.get("/regrade")
@instructor_required
def regrade() -> str:
    essay, quiz_id = _regrade_scope()
    plan = plan_regrade(snapshot().essays, essay, quiz_id)
    return render_template(
        "instructor/regrade.html",
        plan=plan,
        essay=essay,
        quiz_id=quiz_id,
        essays=snapshot().essays,
    )


@bp.post("/regrade")
@instructor_required
def regrade_apply() -> WerkzeugResponse:
    essay, quiz_id = _regrade_scope()
    plan = plan_regrade(snapshot().essays, essay, quiz_id)
    changed = apply_regrade(plan, utcnow(), current_user.id)
    flash(f"Regrade applied: {changed} attempt{'' if changed == 1 else 's'} changed.", "success")
    return redirect(url_for("instructor.regrade", essay=essay, quiz=quiz_id))


@bp.get("/exports")
@course_staff_required
def exports() -> str:
    return render_template("instructor/exports.html", exports=EXPORTS, course=current_course())


@bp.get("/exports/<kind>")
@course_staff_required
def download(kind: str) -> Response:
    if kind not in EXPORTS:
        abort(404)
    filename, mimetype, chunks = export_stream(kind, utcnow(), current_course())
    return Response(
        stream_with_context(chunks),
        mimetype=mimetype,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


COURSE_PAGES = frozenset(
    f"instructor.{name}"
    for name in ("results", "student", "memory", "analysis", "reports", "exports", "download")
)
