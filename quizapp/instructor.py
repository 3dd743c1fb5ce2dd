"""The instructor area: content status and preview, class results, item analysis, class
memory, and exports (the same code path serves the web downloads and the CLI)."""

from __future__ import annotations

import re
from collections import defaultdict
from fractions import Fraction
from functools import wraps
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
from sqlalchemy import func, select
from werkzeug.wrappers import Response as WerkzeugResponse

from . import courses, grading, marks, srs
from .bank import Item
from .cards import load_states

# The class pages' data (class_reports.py); tests and the CLI import these names from here.
from .class_reports import (
    EXPORTS,
    class_grid,
    class_memory,
    export_stream,
    item_texts,
    quiz_columns,
    quiz_report,
    students,
    submitted_attempts,
)
from .content import snapshot, store
from .extensions import db
from .models import (
    Attempt,
    Course,
    QuestionReport,
    ReviewLog,
    User,
    utcnow,
)
from .quiz import MAX_DB_ID, given_answer_lines
from .regrade import apply_regrade, override_mark, plan_regrade
from .signin import instructor_required

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
