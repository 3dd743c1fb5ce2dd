"""Taking quizzes: attempts, saving answers as the student goes, feedback, submission, review.

Every write is guarded so that nothing counts twice and nothing saved is lost: an attempt
number is unique per student and quiz, a response is one row per question updated in
place, and saves and submission both go through a conditional UPDATE of the attempt row,
which serializes them (a save that loses the race with submission is refused, never
half-applied).
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from fractions import Fraction
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from werkzeug.wrappers import Response as WerkzeugResponse

from . import course_rules, courses, grading, marks
from .bank import Item, Quiz, assemble_quiz, build_bank
from .bank.model import REVIEW_SHOWS, ReviewOptions
from .bank.types import item_type
from .cards import pull_forward_cards
from .content import snapshot
from .extensions import db
from .models import (
    Attempt,
    MarkChange,
    QuestionFlag,
    QuestionReport,
    Response,
    User,
    grade_of,
    utcnow,
)

bp = Blueprint("quiz", __name__, url_prefix="/quiz")

# Saves that arrive this long after the time limit still count (the countdown posts the page's
# answer at 0:00, and the request takes a moment); later ones never do. Moodle's grace period.
GRACE = timedelta(seconds=30)
# How long after submitting the "immediately after the attempt" review options apply (Moodle).
IMMEDIATELY = timedelta(minutes=2)
MAX_DB_ID = 2**31 - 1  # ids are INTEGER columns: a bigger one is crafted (400, no overflow)
MAX_NOTE_CHARS = 1000


# --- attempts: start, save, submit (user and time passed in; the content from current_app) --


def attempts_for(user_id: int, essay: str, quiz_id: str) -> list[Attempt]:
    return list(
        db.session.execute(
            db.select(Attempt)
            .filter_by(user_id=user_id, essay=essay, quiz_id=quiz_id)
            .order_by(Attempt.number)
        ).scalars()
    )


def attempts_left(quiz: Quiz, attempts: list[Attempt]) -> int | None:
    """None when unlimited."""
    if quiz.attempts == 0:
        return None
    return max(0, quiz.attempts - len(attempts))


class AttemptRefused(Exception):
    pass


def start_attempt(
    user: User,
    essay: str,
    quiz: Quiz,
    now: datetime,
    seed: int | None = None,
    *,
    opens_at: datetime | None = None,
) -> Attempt:
    """Resume the unfinished attempt, or start a new one if the limit allows and the quiz
    is open (``quiz`` is the student's: their course's settings and override applied, see
    :func:`quizapp.courses.quiz_for`).

    Two tabs (or a double click) starting at once get the same attempt: the unique
    (user, essay, quiz, number) constraint lets only one insert through.
    """
    for _ in range(3):
        existing = attempts_for(user.id, essay, quiz.id)
        for attempt in existing:
            if not attempt.finished:
                if expire_if_due(attempt, now):
                    continue
                return attempt
        if attempts_left(quiz, existing) == 0:
            raise AttemptRefused(f"You have used all {quiz.attempts} attempts at this quiz.")
        problem = course_rules.window_problem(opens_at, quiz.closes, now)
        if problem == "not open yet":
            raise AttemptRefused("This quiz is not open yet.")
        if problem:
            raise AttemptRefused("This quiz is closed.")
        content = snapshot().essays[essay]
        seed = seed if seed is not None else secrets.randbits(48)
        items = assemble_quiz(build_bank(content, seed), quiz, seed)
        attempt = Attempt(
            user_id=user.id,
            essay=essay,
            quiz_id=quiz.id,
            quiz_title=quiz.title,
            number=len(existing) + 1,
            seed=seed,
            feedback=quiz.feedback,
            grading=quiz.grading,
            questions=[item.to_dict() for item in items],
            started_at=now,
            updated_at=now,
            deadline=attempt_deadline(quiz, now),
            max_points=sum(item.max_points for item in items),
            decimals=quiz.decimals,
        )
        db.session.add(attempt)
        try:
            db.session.commit()
            return attempt
        except IntegrityError:
            db.session.rollback()  # someone else started it a moment ago: use theirs
            seed = None
    raise AttemptRefused("The attempt could not be started; please try again.")


def attempt_deadline(quiz: Quiz, now: datetime) -> datetime | None:
    """When an attempt started ``now`` ends: its time limit, or the quiz's close if sooner."""
    return course_rules.deadline(quiz, now)


def items_of(attempt: Attempt) -> list[Item]:
    return [Item.from_dict(q) for q in attempt.questions]


def item_at(attempt: Attempt, position: int) -> Item:
    """One question of the attempt (building only it: a page shows one at a time)."""
    return Item.from_dict(attempt.questions[position])


def _guard(attempt: Attempt, now: datetime) -> bool:
    """Lock the attempt row for this transaction if it is still open (its deadline plus the
    grace period not passed); False if not."""
    stmt = (
        update(Attempt)
        .where(Attempt.id == attempt.id, Attempt.submitted_at.is_(None))
        .values(updated_at=now)
    )
    if attempt.deadline is not None:
        stmt = stmt.where(Attempt.deadline > now - GRACE)
    return db.session.execute(stmt).rowcount == 1


def response_at(attempt: Attempt, position: int) -> Response | None:
    return db.session.execute(
        db.select(Response).filter_by(attempt_id=attempt.id, position=position)
    ).scalar_one_or_none()


@dataclass(frozen=True)
class SaveResult:
    saved: bool
    reason: str = ""  # "locked", "closed", "empty" (a check of no answer) when not saved


def is_blank(item: Item, response: Any) -> bool:
    """Whether ``response`` answers nothing at all (every part left empty)."""
    coerced = grading.grader_for(item.type).coerce(item, response)
    return all(part in (None, "") for part in coerced)


def save_answer(
    attempt: Attempt, position: int, answer: Any, now: datetime, *, check: bool = False
) -> SaveResult:
    """Save (and with ``check``, grade and lock) one answer. Idempotent; never duplicates.

    Checking an empty answer is refused (``reason="empty"``): it would lock a zero."""
    item = item_at(attempt, position)
    if check and is_blank(item, answer):
        return SaveResult(False, "empty")
    for _ in range(3):
        if not _guard(attempt, now):
            db.session.rollback()
            return SaveResult(False, "closed")
        row = response_at(attempt, position)
        if row is not None and row.locked:
            db.session.rollback()
            return SaveResult(False, "locked")
        stored = grading.to_json(answer)
        result = grading.grade(item, answer) if check else None
        if row is None:
            row = Response(attempt_id=attempt.id, position=position, item_id=item.id)
            db.session.add(row)
        row.answer = stored
        row.saved_at = now
        row.points = result.points if result else None
        row.mark = marks.dump(result.exact) if result else None
        row.locked = check
        try:
            db.session.commit()
            return SaveResult(True)
        except IntegrityError:
            db.session.rollback()  # a concurrent first save of this question: update it
    return SaveResult(False, "closed")


def missed_cards(item: Item, result: grading.Grade) -> list[str]:
    """The flashcards behind the parts of a question the student got wrong."""
    if result.correct:
        return []
    ids = item.origin.ids
    if len(ids) > 1 and len(result.parts) == len(ids):
        # ordering, matching: part i is about origin i
        return [f"{ids[i]}:card" for i, ok in enumerate(result.parts) if not ok]
    return [f"{i}:card" for i in ids]


def submit_attempt(attempt: Attempt, now: datetime) -> bool:
    """Grade and close the attempt once; False if it was closed already."""
    items = items_of(attempt)
    stmt = (
        update(Attempt)
        .where(Attempt.id == attempt.id, Attempt.submitted_at.is_(None))
        .values(submitted_at=now, updated_at=now)
    )
    if db.session.execute(stmt).rowcount != 1:
        db.session.rollback()
        return False
    rows = {
        r.position: r
        for r in db.session.execute(db.select(Response).filter_by(attempt_id=attempt.id)).scalars()
    }
    total = Fraction(0)
    misses: set[str] = set()
    for position, item in enumerate(items):
        row = rows.get(position)
        if row is None:
            row = Response(
                attempt_id=attempt.id,
                position=position,
                item_id=item.id,
                answer=grading.to_json(grading.empty_response(item)),
                saved_at=now,
            )
            db.session.add(row)
        result = grading.grade(item, grading.from_json(item, row.answer))
        row.points = result.points
        row.mark = marks.dump(result.exact)
        row.locked = True
        total += result.exact
        misses.update(missed_cards(item, result))
    db.session.execute(
        update(Attempt)
        .where(Attempt.id == attempt.id)
        .values(points=float(total), mark=marks.dump(total))
    )
    # Quizzes feed memory: each missed fact's flashcard becomes due now.
    pull_forward_cards(attempt.user_id, attempt.essay, sorted(misses), now)
    db.session.commit()
    db.session.refresh(attempt)
    return True


def expire_if_due(attempt: Attempt, now: datetime, grace: timedelta = timedelta(0)) -> bool:
    """Submit an attempt whose time (plus ``grace``) is up, with what was saved in time.

    Pages give no grace (a student looking at a question after the limit is done); a save
    of an answer gets ``GRACE``, so the answer the countdown posts at 0:00 still counts."""
    if attempt.finished or attempt.deadline is None or now < attempt.deadline + grace:
        return False
    submit_attempt(attempt, attempt.deadline)
    return True


# --- what a student sees of a question: states and review options --------------------------


def question_state(row: Response | None, flagged: bool, show_marks: bool = True) -> list[str]:
    """The summary's words for one question: its state, then "flagged" if it is."""
    if row is None or row.answer is None or _blank_json(row.answer):
        state = "not answered"
    elif not row.locked:
        state = "answered"
    elif not show_marks:
        state = "checked"
    else:
        exact = row.exact_points or Fraction(0)
        state = (
            "checked: right"
            if exact >= 1
            else ("checked: partly right" if exact > 0 else "checked: wrong")
        )
    return [state, "flagged"] if flagged else [state]


def _blank_json(answer: Any) -> bool:
    return isinstance(answer, list) and all(part in (None, "") for part in answer)


def review_moment(
    submitted_at: datetime | None,
    now: datetime,
    *,
    closes: datetime | None,
    no_attempts_left: bool,
) -> str:
    """Which of Moodle's four review moments applies to an attempt at ``now``.

    ``during`` until submitted; ``after_close`` once the quiz closed or the student has used
    every attempt (nothing is left to protect); ``immediately`` for two minutes after
    submitting; ``later`` after that."""
    if submitted_at is None:
        return "during"
    if (closes is not None and now >= closes) or no_attempts_left:
        return "after_close"
    if now - submitted_at < IMMEDIATELY:
        return "immediately"
    return "later"


def review_shows(
    options: ReviewOptions, moment: str, *, instructor: bool = False
) -> frozenset[str]:
    """What is shown at ``moment``; instructors always see everything."""
    return frozenset(REVIEW_SHOWS) if instructor else options.at(moment)


def _quiz_of(attempt: Attempt, now: datetime) -> Quiz | None:
    """The attempt's quiz as its student gets it (their course's settings and override)."""
    content = snapshot().essays.get(attempt.essay)
    quiz = content.quiz(attempt.quiz_id) if content else None
    user = db.session.get(User, attempt.user_id)
    if quiz is None or user is None:
        return quiz
    found = courses.quiz_for(user, attempt.essay, quiz, now)
    return found.quiz if found else quiz


def shows_for(attempt: Attempt, now: datetime, *, instructor: bool = False) -> frozenset[str]:
    """What this attempt's student sees now, under its quiz's review options."""
    quiz = _quiz_of(attempt, now)
    options = quiz.review_options if quiz else ReviewOptions.default(attempt.feedback)
    no_left = False
    if attempt.finished and quiz is not None and quiz.attempts:
        done = attempts_for(attempt.user_id, attempt.essay, attempt.quiz_id)
        no_left = len(done) >= quiz.attempts and all(a.finished for a in done)
    moment = review_moment(
        attempt.submitted_at,
        now,
        closes=quiz.closes if quiz else None,
        no_attempts_left=no_left,
    )
    return review_shows(options, moment, instructor=instructor)


def flagged_positions(attempt: Attempt) -> set[int]:
    return set(
        db.session.execute(
            db.select(QuestionFlag.position).filter_by(attempt_id=attempt.id)
        ).scalars()
    )


def toggle_flag(attempt: Attempt, position: int, now: datetime) -> bool:
    """Flag the question, or unflag it; True when it is flagged afterwards."""
    existing = db.session.execute(
        db.select(QuestionFlag).filter_by(attempt_id=attempt.id, position=position)
    ).scalar_one_or_none()
    if existing is not None:
        db.session.delete(existing)
        db.session.commit()
        return False
    db.session.add(QuestionFlag(attempt_id=attempt.id, position=position, flagged_at=now))
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()  # flagged by a double click a moment ago
    return True


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
        answered={p for p, r in responses.items() if not _blank_json(r.answer)},
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


def shown_grade(
    item: Item, computed: grading.Grade, exact: Fraction, decimals: int
) -> grading.Grade:
    """A grade whose points are ``exact`` rounded once to the quiz's decimals, for display."""
    shown = marks.round_mark(exact, decimals)
    return grading.Grade(
        points=float(shown),
        max_points=item.max_points,
        correct=exact >= marks.from_float(item.max_points),
        parts=computed.parts,
        rules=computed.rules,  # which typed-answer rule accepted each blank
        exact=exact,
    )


def mark_history(attempt: Attempt) -> dict[int, list[MarkChange]]:
    out: dict[int, list[MarkChange]] = {}
    for change in db.session.execute(
        db.select(MarkChange).filter_by(attempt_id=attempt.id).order_by(MarkChange.id)
    ).scalars():
        out.setdefault(change.position, []).append(change)
    return out


def review_questions(attempt: Attempt) -> list[dict[str, Any]]:
    """Each question of a submitted attempt with its answer, the right one and its mark.

    The mark is the stored one (it may have been overridden or regraded since); the verdict
    follows it, and the right answer is the snapshot's (updated by a regrade)."""
    items = items_of(attempt)
    rows = {r.position: r for r in attempt.responses}
    questions = []
    for position, item in enumerate(items):
        row = rows.get(position)
        given = grading.from_json(item, row.answer) if row else grading.empty_response(item)
        computed = grading.grade(item, given)
        exact = row.exact_points if row is not None else None
        grade = shown_grade(
            item, computed, computed.exact if exact is None else exact, attempt.decimals
        )
        questions.append(
            {
                "n": position + 1,
                "position": position,
                "item": item,
                "row": row,
                "retired": bool(attempt.questions[position].get("retired")),
                "given": given_answer_lines(item, given),
                "right": correct_answer_lines(item),
                "grade": grade,
            }
        )
    return questions


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
    own_reports = list(
        db.session.execute(
            db.select(QuestionReport)
            .filter_by(attempt_id=attempt.id, user_id=attempt.user_id)
            .order_by(QuestionReport.id)
        ).scalars()
    )
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
    db.session.add(
        QuestionReport(
            user_id=current_user.id,
            attempt_id=attempt.id,
            position=n - 1,
            item_id=str(attempt.questions[n - 1].get("id", "")),
            note=note,
            created_at=utcnow(),
        )
    )
    db.session.commit()
    flash("Thank you: your report was sent to the instructors.", "success")
    return redirect(url_for("quiz.review", attempt_id=attempt.id) + f"#q{n}")


# --- how answers read ---------------------------------------------------------------------


def correct_answer_lines(item: Item) -> list[str]:
    family = item_type(item.type).family
    if family == "choice_one":
        return [item.options[item.answer]]
    if family in ("choice_many", "ordering"):
        return [item.options[i] for i in item.answer]
    if family == "typed":
        return [" or ".join(accepted) for accepted in item.answer]
    if family == "matching":
        return [f"{p} → {item.options[i]}" for p, i in zip(item.prompts, item.answer, strict=True)]
    return []


def given_answer_lines(item: Item, given: Any) -> list[str]:
    def option(i: int | None) -> str:
        return item.options[i] if i is not None and 0 <= i < len(item.options) else "(no answer)"

    family = item_type(item.type).family
    if family in ("choice_one", "choice_many"):
        return [option(i) for i in given] or ["(no answer)"]
    if family == "typed":
        return [g if g else "(no answer)" for g in given]
    if family == "ordering":
        return [option(i) for i in given]
    if family == "matching":
        return [f"{p} → {option(i)}" for p, i in zip(item.prompts, given, strict=True)]
    return []
