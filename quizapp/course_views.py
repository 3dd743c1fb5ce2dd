"""Course pages: my courses, joining by code or link, and for a course's instructors its
join code, members, assignments and per-student overrides. Thin views over courses.py."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response as WerkzeugResponse

from . import course_rules, courses
from .content import snapshot
from .extensions import db
from .models import Assignment, Course, utcnow
from .quiz import MAX_DB_ID

bp = Blueprint("courses", __name__, url_prefix="/courses")

MAX_FIELD = 200


def _text(name: str, limit: int = MAX_FIELD) -> str:
    value = request.form.get(name, "")
    return value.strip()[:limit] if isinstance(value, str) else ""


def _course_or_404(slug: str, *, write: bool = False) -> tuple[Course, str]:
    course = courses.by_slug(slug) if len(slug) <= 80 else None
    role = courses.role_in(current_user.id, course.id) if course else None
    if course is None or role not in (("instructor",) if write else courses.STAFF_ROLES):
        abort(404)
    assert course is not None and role is not None
    return course, role


def _local_datetime(name: str) -> datetime | None:
    """A ``datetime-local`` field, read in the instructor's time zone, as aware UTC."""
    value = _text(name, 40)
    if not value:
        return None
    problem = courses.CourseError(f"{name.replace('_', ' ')}: give a date and a time.")
    try:
        given = datetime.fromisoformat(value)
        if not 1900 <= given.year <= 9000:
            raise problem
        if given.tzinfo is None:
            given = given.replace(tzinfo=ZoneInfo(current_user.timezone or "UTC"))
        return given.astimezone(UTC)
    except (ValueError, OverflowError):
        raise problem from None


def _int(name: str, *, blank: int | None = None) -> int | None:
    value = _text(name, 10)
    if not value:
        return blank
    if not (value.isascii() and value.isdigit()):
        raise courses.CourseError(f"{name.replace('_', ' ')}: give a whole number.")
    return int(value)


def _back(course: Course, anchor: str = "") -> WerkzeugResponse:
    return redirect(url_for("courses.show", slug=course.slug) + anchor)


@bp.get("/")
@login_required
def index() -> str:
    return render_template(
        "courses/index.html",
        mine=courses.courses_of(current_user.id),
        may_create=current_user.is_instructor,
    )


@bp.post("/")
@login_required
def create() -> WerkzeugResponse:
    if not current_user.is_instructor:
        abort(403)
    try:
        course = courses.create_course(
            _text("title"), _text("term", 80), current_user._get_current_object(), utcnow()
        )
    except courses.CourseError as exc:
        flash(str(exc), "error")
        return redirect(url_for("courses.index"))
    flash(f"Course “{course.title}” created; share its join code {course.join_code}.", "success")
    return _back(course)


@bp.route("/join", methods=["GET", "POST"])
@login_required
def join() -> str | WerkzeugResponse:
    code = request.values.get("code", "")
    code = code if isinstance(code, str) else ""
    if request.method == "POST":
        course = courses.by_code(code)
        if course is None:
            flash("No course has this join code; check it with your instructor.", "error")
            return render_template("courses/join.html", code=code), 400  # type: ignore[return-value]
        if courses.join(current_user._get_current_object(), course, utcnow()):
            flash(f"You joined {course.title}.", "success")
        else:
            flash(f"You are in {course.title} already.", "info")
        return redirect(url_for("home.index"))
    return render_template("courses/join.html", code=course_rules.normalize_code(code))


@bp.get("/join/<code>")
def join_link(code: str) -> WerkzeugResponse:
    """A join link: signed in, the join form filled in (joining is a POST); otherwise the
    registration form with the code."""
    if not current_user.is_authenticated:
        return redirect(url_for("auth.register", code=course_rules.normalize_code(code)))
    return redirect(url_for("courses.join", code=course_rules.normalize_code(code)))


@bp.get("/<slug>")
@login_required
def show(slug: str) -> str:
    course, role = _course_or_404(slug)
    essays = snapshot().essays
    rows = courses.assignments(course)
    quizzes = {(c.slug, q.id): (c, q) for c in essays.values() for q in c.quizzes}
    return render_template(
        "courses/show.html",
        course=course,
        role=role,
        members=courses.members(course),
        students=courses.students(course),
        assignments=[(a, quizzes.get((a.essay, a.quiz_id))) for a in rows],
        overrides=courses.overrides(a.id for a in rows),
        all_quizzes=list(quizzes.values()),
        presets=course_rules.REVIEW_PRESETS,
        preset_of=course_rules.preset_of,
        join_url=url_for("courses.join_link", code=course.join_code, _external=True),
    )


@bp.post("/<slug>/code")
@login_required
def new_code(slug: str) -> WerkzeugResponse:
    course, _role = _course_or_404(slug, write=True)
    code = courses.regenerate_code(course)
    flash(f"New join code {code}: the old code and link no longer work.", "success")
    return _back(course, "#join")


@bp.post("/<slug>/members")
@login_required
def add_member(slug: str) -> WerkzeugResponse:
    course, _role = _course_or_404(slug, write=True)
    role = _text("role", 20)
    try:
        user = courses.add_member(course, _text("email", 254), role, utcnow())
    except courses.CourseError as exc:
        flash(str(exc), "error")
        return _back(course, "#members")
    flash(f"{user.name} is a{'n' if role == 'instructor' else ''} {role} of the course.", "success")
    return _back(course, "#members")


@bp.post("/<slug>/members/<int:user_id>/remove")
@login_required
def remove_member(slug: str, user_id: int) -> WerkzeugResponse:
    if user_id > MAX_DB_ID:
        abort(400)
    course, _role = _course_or_404(slug, write=True)
    try:
        removed = courses.remove_member(course, user_id)
    except courses.CourseError as exc:
        flash(str(exc), "error")
        return _back(course, "#members")
    flash("Removed from the course." if removed else "Not a member.", "info")
    return _back(course, "#members")


def _assignment_input() -> courses.AssignmentInput:
    essay, _, quiz_id = _text("quiz").partition("/")
    preset = _text("review", 20)
    if preset not in course_rules.REVIEW_PRESETS:
        raise courses.CourseError("Choose one of the review options.")
    return courses.AssignmentInput(
        essay=essay,
        quiz_id=quiz_id,
        opens_at=_local_datetime("opens_at"),
        closes_at=_local_datetime("closes_at"),
        due_at=_local_datetime("due_at"),
        attempts=_int("attempts"),
        time_limit=_int("time_limit"),
        review=course_rules.review_preset(preset),
    )


@bp.post("/<slug>/assignments")
@login_required
def assign(slug: str) -> WerkzeugResponse:
    course, _role = _course_or_404(slug, write=True)
    try:
        courses.assign(course, _assignment_input(), snapshot().essays)
    except courses.CourseError as exc:
        flash(str(exc), "error")
        return _back(course, "#assignments")
    flash("Assignment saved.", "success")
    return _back(course, "#assignments")


def _assignment_or_404(course: Course, assignment_id: int) -> Assignment:
    if assignment_id > MAX_DB_ID:
        abort(400)
    row = db.session.get(Assignment, assignment_id)
    if row is None or row.course_id != course.id:
        abort(404)
    return row


@bp.post("/<slug>/assignments/<int:assignment_id>/remove")
@login_required
def unassign(slug: str, assignment_id: int) -> WerkzeugResponse:
    course, _role = _course_or_404(slug, write=True)
    row = _assignment_or_404(course, assignment_id)
    courses.unassign(course, row.id)
    flash("Assignment removed; the attempts made stay.", "info")
    return _back(course, "#assignments")


@bp.post("/<slug>/assignments/<int:assignment_id>/overrides")
@login_required
def set_override(slug: str, assignment_id: int) -> WerkzeugResponse:
    course, _role = _course_or_404(slug, write=True)
    row = _assignment_or_404(course, assignment_id)
    try:
        user_id = _int("user_id")
        if user_id is None or user_id > MAX_DB_ID:
            raise courses.CourseError("Choose a student.")
        courses.set_override(
            row,
            user_id,
            extra_minutes=_int("extra_minutes", blank=0) or 0,
            extra_attempts=_int("extra_attempts", blank=0) or 0,
            closes_at=_local_datetime("closes_at"),
        )
    except courses.CourseError as exc:
        flash(str(exc), "error")
        return _back(course, f"#a{row.id}")
    flash("Override saved; it applies to the student's next attempt.", "success")
    return _back(course, f"#a{row.id}")


@bp.post("/<slug>/assignments/<int:assignment_id>/overrides/<int:user_id>/remove")
@login_required
def remove_override(slug: str, assignment_id: int, user_id: int) -> WerkzeugResponse:
    if user_id > MAX_DB_ID:
        abort(400)
    course, _role = _course_or_404(slug, write=True)
    row = _assignment_or_404(course, assignment_id)
    courses.remove_override(row, user_id)
    flash("Override removed.", "info")
    return _back(course, f"#a{row.id}")


def local_input(value: datetime | None, tz: str) -> str:
    """A stored UTC time as a ``datetime-local`` value in the viewer's zone."""
    if value is None:
        return ""
    return value.astimezone(ZoneInfo(tz or "UTC")).strftime("%Y-%m-%dT%H:%M")


@bp.app_template_filter("local_input")
def _local_input_filter(value: datetime | None) -> str:
    tz: Any = current_user.timezone if current_user.is_authenticated else "UTC"
    return local_input(value, tz)
