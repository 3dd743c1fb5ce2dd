"""Taking quizzes, the pages: the overview, a question, the summary, submission, the review and
reporting a question. Thin views over the services in ``quiz``.
"""

from __future__ import annotations

import re
from datetime import datetime
from decimal import Decimal

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response as WerkzeugResponse

from . import course_rules, courses, grading, marks
from .content import snapshot
from .extensions import db
from .models import (
    Attempt,
    grade_of,
    utcnow,
)
from .quiz import (
    GRACE,
    MAX_DB_ID,
    MAX_NOTE_CHARS,
    AttemptRefused,
    attempts_for,
    attempts_left,
    correct_answer_lines,
    expire_if_due,
    flagged_positions,
    item_at,
    items_of,
    mark_history,
    question_state,
    report_question,
    reports_of,
    review_questions,
    save_answer,
    shown_grade,
    shows_for,
    start_attempt,
    stored_answer_is_blank,
    submit_attempt,
    toggle_flag,
)

bp = Blueprint("quiz", __name__, url_prefix="/quiz")


# --- views --------------------------------------------------------------------------------


def _quiz_or_404(essay: str, quiz_id: str, now: datetime) -> course_rules.Effective:
    """The quiz as the signed-in user gets it; 404 when no course of theirs assigns it."""
    content = snapshot().essays.get(essay) or abort(404)
    quiz = content.quiz(quiz_id) or abort(404)
    return courses.quiz_for(current_user, essay, quiz, now) or abort(404)


def _own_attempt(attempt_id: int, *, instructors_may_read: bool = False) -> Attempt:
    if attempt_id > MAX_DB_ID:
        abort(400)
    attempt = db.session.get(Attempt, attempt_id)
    if attempt is None:
        abort(404)
    if attempt.user_id != current_user.id and not (
        instructors_may_read and courses.staff_sees_student(current_user.id, attempt.user_id)
    ):
        abort(404)  # another student's attempt does not exist, as far as you can tell
    return attempt


@bp.get("/<essay>/<quiz_id>")
@login_required
def overview(essay: str, quiz_id: str) -> str:
    now = utcnow()
    given = _quiz_or_404(essay, quiz_id, now)
    quiz = given.quiz
    attempts = attempts_for(current_user.id, essay, quiz_id)
    for attempt in attempts:
        expire_if_due(attempt, now)
    finished = [a for a in attempts if a.finished]
    shows = {a.id: shows_for(a, now) for a in finished}
    grade = None
    if finished and all("marks" in shows[a.id] for a in finished):
        grade = grade_of(quiz.grading, finished)
    return render_template(
        "quiz/overview.html",
        essay=snapshot().essays[essay],
        quiz=quiz,
        attempts=attempts,
        open_attempt=next((a for a in attempts if not a.finished), None),
        left=attempts_left(quiz, attempts),
        grade=grade,
        shows=shows,
        closed=quiz.closes is not None and now >= quiz.closes,
        not_open=course_rules.window_problem(given.opens_at, None, now) != "",
        opens_at=given.opens_at,
        due_at=given.due_at,
    )


@bp.post("/<essay>/<quiz_id>/start")
@login_required
def start(essay: str, quiz_id: str) -> WerkzeugResponse:
    now = utcnow()
    given = _quiz_or_404(essay, quiz_id, now)
    try:
        attempt = start_attempt(current_user, essay, given.quiz, now, opens_at=given.opens_at)
    except AttemptRefused as exc:
        flash(str(exc), "error")
        return redirect(url_for("quiz.overview", essay=essay, quiz_id=quiz_id))
    answered = {r.position for r in attempt.responses}
    first_open = next((i for i in range(len(attempt.questions)) if i not in answered), 0)
    return redirect(url_for("quiz.question", attempt_id=attempt.id, n=first_open + 1))


def _closed_redirect(attempt: Attempt) -> WerkzeugResponse:
    return redirect(url_for("quiz.review", attempt_id=attempt.id))


@bp.get("/attempt/<int:attempt_id>/<int:n>")
@login_required
def question(attempt_id: int, n: int) -> str | WerkzeugResponse:
    attempt = _own_attempt(attempt_id)
    now = utcnow()
    if expire_if_due(attempt, now):
        flash("Time is up: your attempt was submitted with the answers you had saved.", "info")
    if attempt.finished:
        return _closed_redirect(attempt)
    total = len(attempt.questions)
    if not 1 <= n <= total:
        abort(404)
    item = item_at(attempt, n - 1)
    responses = {r.position: r for r in attempt.responses}
    row = responses.get(n - 1)
    saved = grading.from_json(item, row.answer) if row else grading.empty_response(item)
    feedback = None
    if row is not None and row.locked:
        computed = grading.grade(item, saved)
        exact = row.exact_points
        feedback = shown_grade(
            item, computed, computed.exact if exact is None else exact, attempt.decimals
        )
    flagged = flagged_positions(attempt)
    return render_template(
        "quiz/question.html",
        attempt=attempt,
        item=item,
        n=n,
        total=total,
        saved=saved,
        row=row,
        feedback=feedback,
        responses=responses,
        answered={p for p, r in responses.items() if not stored_answer_is_blank(r.answer)},
        flagged=flagged,
        shows=shows_for(attempt, now),
        server_now=now,
        answer_lines=correct_answer_lines(item),
    )


ACTIONS = frozenset({"save", "check", "prev", "next", "finish", "flag", "timeout"})
_GOTO = re.compile(r"goto-([0-9]{1,6})")


@bp.post("/attempt/<int:attempt_id>/<int:n>")
@login_required
def answer(attempt_id: int, n: int) -> WerkzeugResponse:
    attempt = _own_attempt(attempt_id)
    action = request.form.get("action", "save")
    goto = _GOTO.fullmatch(action)
    if action not in ACTIONS and goto is None:
        abort(400)
    now = utcnow()
    if expire_if_due(attempt, now, GRACE):
        flash("Time is up: this answer came after the time limit and was not counted.", "error")
        return _closed_redirect(attempt)
    if attempt.finished:
        flash("This attempt is already submitted; nothing was changed.", "info")
        return _closed_redirect(attempt)
    total = len(attempt.questions)
    if not 1 <= n <= total:
        abort(404)
    response = grading.parse_form(item_at(attempt, n - 1), _form_dict())
    check = action == "check" and attempt.feedback == "immediate"
    result = save_answer(attempt, n - 1, response, now, check=check)
    if not result.saved and result.reason == "closed":
        flash("Time is up: this answer came after the time limit and was not counted.", "error")
        return _closed_redirect(attempt)
    if attempt.deadline is not None and now >= attempt.deadline:
        # Saved within the grace period: that was the last answer; the attempt ends now.
        submit_attempt(attempt, now)
        flash("Time is up: your attempt was submitted, with the answer on the page.", "info")
        return _closed_redirect(attempt)
    here = url_for("quiz.question", attempt_id=attempt.id, n=n)
    if result.reason == "empty":
        flash("Choose or type an answer before checking it; the question is still open.", "error")
        return redirect(here)
    if result.reason == "locked" and action in ("save", "check"):
        flash("This question is already checked: its answer is locked and was not changed.", "info")
        return redirect(here + "#feedback")
    if action == "flag":
        flagged = toggle_flag(attempt, n - 1, now)
        flash(f"Question {n} {'flagged' if flagged else 'unflagged'}.", "info")
        return redirect(here)
    if action == "check":
        return redirect(here + "#feedback")
    if action == "prev" and n > 1:
        return redirect(url_for("quiz.question", attempt_id=attempt.id, n=n - 1))
    if action == "next" and n < total:
        return redirect(url_for("quiz.question", attempt_id=attempt.id, n=n + 1))
    if goto is not None:
        target = int(goto.group(1))
        if 1 <= target <= total:
            return redirect(url_for("quiz.question", attempt_id=attempt.id, n=target))
    if action in ("finish", "next"):
        return redirect(url_for("quiz.summary", attempt_id=attempt.id))
    if action == "timeout":  # the countdown ran out early by the browser's clock
        return redirect(here)
    flash("Answer saved.", "success")
    return redirect(here)


def _form_dict() -> dict[str, str | list[str]]:
    out: dict[str, str | list[str]] = {}
    for key in request.form:
        values = request.form.getlist(key)
        out[key] = values if len(values) > 1 or key == "choice" else values[0]
    return out


@bp.get("/attempt/<int:attempt_id>/summary")
@login_required
def summary(attempt_id: int) -> str | WerkzeugResponse:
    attempt = _own_attempt(attempt_id)
    now = utcnow()
    if expire_if_due(attempt, now) or attempt.finished:
        return _closed_redirect(attempt)
    items = items_of(attempt)
    responses = {r.position: r for r in attempt.responses}
    flagged = flagged_positions(attempt)
    show_marks = "marks" in shows_for(attempt, now)
    states = [question_state(responses.get(i), i in flagged, show_marks) for i in range(len(items))]
    unanswered = sum(1 for s in states if s[0] == "not answered")
    return render_template(
        "quiz/summary.html", attempt=attempt, items=items, states=states, unanswered=unanswered
    )


@bp.post("/attempt/<int:attempt_id>/submit")
@login_required
def submit(attempt_id: int) -> WerkzeugResponse:
    attempt = _own_attempt(attempt_id)
    now = utcnow()
    if not expire_if_due(attempt, now, GRACE) and submit_attempt(attempt, now):
        if "marks" in shows_for(attempt, now):
            flash(f"Attempt submitted: {attempt.percent:g}%.", "success")
        else:
            flash("Attempt submitted.", "success")
    return _closed_redirect(attempt)


@bp.app_template_filter("mark")
def mark_filter(value: Decimal | float | None) -> str:
    """A mark as shown: a rounded Decimal as it is (``14.17``), a float without trailing zeros."""
    if value is None:
        return "–"
    if isinstance(value, Decimal):
        return marks.text(value)
    return f"{value:g}"


@bp.app_template_filter("markof")
def mark_of_filter(value: str | None, attempt: Attempt) -> str:
    """A stored exact mark, rounded to the attempt's decimals."""
    exact = marks.parse(value)
    return "–" if exact is None else marks.text(marks.round_mark(exact, attempt.decimals))


@bp.get("/attempt/<int:attempt_id>/review")
@login_required
def review(attempt_id: int) -> str | WerkzeugResponse:
    attempt = _own_attempt(attempt_id, instructors_may_read=True)
    now = utcnow()
    expire_if_due(attempt, now)
    if not attempt.finished:
        if attempt.user_id != current_user.id:
            abort(404)
        flash("Submit the attempt to see its review.", "info")
        return redirect(url_for("quiz.summary", attempt_id=attempt.id))
    instructor = attempt.user_id != current_user.id  # course staff (checked above)
    finished = [
        a for a in attempts_for(attempt.user_id, attempt.essay, attempt.quiz_id) if a.finished
    ]
    overall = grade_of(attempt.grading, finished)
    own_reports = reports_of(attempt)
    return render_template(
        "quiz/review.html",
        attempt=attempt,
        questions=review_questions(attempt),
        overall=overall,
        finished=finished,
        shows=shows_for(attempt, now, instructor=instructor or current_user.is_instructor),
        instructor=instructor,
        can_override=instructor
        and courses.staff_sees_student(current_user.id, attempt.user_id, write=True),
        history=mark_history(attempt),
        reports={r.position: r for r in own_reports} if not instructor else {},
        max_note=MAX_NOTE_CHARS,
    )


@bp.post("/attempt/<int:attempt_id>/report/<int:n>")
@login_required
def report(attempt_id: int, n: int) -> WerkzeugResponse:
    """A student reports a problem with a question of their own submitted attempt."""
    attempt = _own_attempt(attempt_id)
    if not attempt.finished:
        abort(404)
    if not 1 <= n <= len(attempt.questions):
        abort(404)
    note = request.form.get("note", "")
    note = note.strip() if isinstance(note, str) else ""
    if not note or "\x00" in note or len(note) > MAX_NOTE_CHARS:
        flash(
            f"Write what is wrong with the question (at most {MAX_NOTE_CHARS} characters).", "error"
        )
        return redirect(url_for("quiz.review", attempt_id=attempt.id) + f"#q{n}")
    report_question(attempt, n - 1, note, utcnow())
    flash("Thank you: your report was sent to the instructors.", "success")
    return redirect(url_for("quiz.review", attempt_id=attempt.id) + f"#q{n}")
