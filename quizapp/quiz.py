"""Taking quizzes: attempts, saving answers as the student goes, feedback, submission, review.

Every write is guarded so that nothing counts twice and nothing saved is lost: an attempt
number is unique per student and quiz, a response is one row per question updated in
place, and saves and submission both go through a conditional UPDATE of the attempt row,
which serializes them (a save that loses the race with submission is refused, never
half-applied).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from werkzeug.wrappers import Response as WerkzeugResponse

from . import grading
from .bank import Item, Quiz, assemble_quiz, build_bank
from .cards import pull_forward_cards
from .content import snapshot
from .extensions import db
from .models import Attempt, QuizMiss, Response, User, utcnow
from .stats import quiz_grade

bp = Blueprint("quiz", __name__, url_prefix="/quiz")


# --- service functions (explicit inputs, no request globals) ------------------------------


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
    user: User, essay: str, quiz: Quiz, now: datetime, seed: int | None = None
) -> Attempt:
    """Resume the unfinished attempt, or start a new one if the limit allows.

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
            deadline=now + timedelta(minutes=quiz.time_limit) if quiz.time_limit else None,
            max_points=sum(item.max_points for item in items),
        )
        db.session.add(attempt)
        try:
            db.session.commit()
            return attempt
        except IntegrityError:
            db.session.rollback()  # someone else started it a moment ago: use theirs
            seed = None
    raise AttemptRefused("The attempt could not be started; please try again.")


def items_of(attempt: Attempt) -> list[Item]:
    return [Item.from_dict(q) for q in attempt.questions]


def _guard(attempt: Attempt, now: datetime) -> bool:
    """Lock the attempt row for this transaction if it is still open; False if not."""
    stmt = (
        update(Attempt)
        .where(Attempt.id == attempt.id, Attempt.submitted_at.is_(None))
        .values(updated_at=now)
    )
    if attempt.deadline is not None:
        stmt = stmt.where(Attempt.deadline > now)
    return db.session.execute(stmt).rowcount == 1


def response_at(attempt: Attempt, position: int) -> Response | None:
    return db.session.execute(
        db.select(Response).filter_by(attempt_id=attempt.id, position=position)
    ).scalar_one_or_none()


@dataclass(frozen=True)
class SaveResult:
    saved: bool
    reason: str = ""  # "locked", "closed" when not saved


def save_answer(
    attempt: Attempt, position: int, answer: Any, now: datetime, *, check: bool = False
) -> SaveResult:
    """Save (and with ``check``, grade and lock) one answer. Idempotent; never duplicates."""
    item = items_of(attempt)[position]
    for _ in range(3):
        if not _guard(attempt, now):
            db.session.rollback()
            return SaveResult(False, "closed")
        row = response_at(attempt, position)
        if row is not None and row.locked:
            db.session.rollback()
            return SaveResult(False, "locked")
        stored = grading.to_json(answer)
        points = grading.grade(item, answer).points if check else None
        if row is None:
            row = Response(attempt_id=attempt.id, position=position, item_id=item.id)
            db.session.add(row)
        row.answer = stored
        row.saved_at = now
        row.points = points
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
    total = 0.0
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
        row.locked = True
        total += result.points
        misses.update(missed_cards(item, result))
    db.session.execute(
        update(Attempt).where(Attempt.id == attempt.id).values(points=round(total, 4))
    )
    for card_id in sorted(misses):
        db.session.add(
            QuizMiss(
                user_id=attempt.user_id,
                attempt_id=attempt.id,
                essay=attempt.essay,
                card_id=card_id,
                missed_at=now,
                applied_at=now,
            )
        )
    # Quizzes feed memory: each missed fact's flashcard becomes due now.
    pull_forward_cards(attempt.user_id, attempt.essay, sorted(misses), now)
    db.session.commit()
    db.session.refresh(attempt)
    return True


def expire_if_due(attempt: Attempt, now: datetime) -> bool:
    """Submit an attempt whose time is up, with what was saved before the deadline."""
    if attempt.finished or attempt.deadline is None or now < attempt.deadline:
        return False
    submit_attempt(attempt, attempt.deadline)
    return True


# --- views --------------------------------------------------------------------------------


def _quiz_or_404(essay: str, quiz_id: str) -> Quiz:
    content = snapshot().essays.get(essay) or abort(404)
    return content.quiz(quiz_id) or abort(404)


def _own_attempt(attempt_id: int, *, instructors_may_read: bool = False) -> Attempt:
    attempt = db.session.get(Attempt, attempt_id)
    if attempt is None:
        abort(404)
    if attempt.user_id != current_user.id and not (
        instructors_may_read and current_user.is_instructor
    ):
        abort(404)  # another student's attempt does not exist, as far as you can tell
    return attempt


@bp.get("/<essay>/<quiz_id>")
@login_required
def overview(essay: str, quiz_id: str) -> str:
    quiz = _quiz_or_404(essay, quiz_id)
    attempts = attempts_for(current_user.id, essay, quiz_id)
    now = utcnow()
    for attempt in attempts:
        expire_if_due(attempt, now)
    finished = [a for a in attempts if a.finished]
    grade = quiz_grade(quiz.grading, [a.percent or 0.0 for a in finished]) if finished else None
    return render_template(
        "quiz/overview.html",
        essay=snapshot().essays[essay],
        quiz=quiz,
        attempts=attempts,
        open_attempt=next((a for a in attempts if not a.finished), None),
        left=attempts_left(quiz, attempts),
        grade=grade,
    )


@bp.post("/<essay>/<quiz_id>/start")
@login_required
def start(essay: str, quiz_id: str) -> WerkzeugResponse:
    quiz = _quiz_or_404(essay, quiz_id)
    try:
        attempt = start_attempt(current_user, essay, quiz, utcnow())
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
    if expire_if_due(attempt, utcnow()):
        flash("Time is up: your attempt was submitted with the answers you had saved.", "info")
    if attempt.finished:
        return _closed_redirect(attempt)
    items = items_of(attempt)
    if not 1 <= n <= len(items):
        abort(404)
    item = items[n - 1]
    row = response_at(attempt, n - 1)
    saved = grading.from_json(item, row.answer) if row else grading.empty_response(item)
    feedback = grading.grade(item, saved) if row is not None and row.locked else None
    responses = {r.position: r for r in attempt.responses}
    return render_template(
        "quiz/question.html",
        attempt=attempt,
        item=item,
        n=n,
        total=len(items),
        saved=saved,
        row=row,
        feedback=feedback,
        responses=responses,
        answer_lines=correct_answer_lines(item),
    )


@bp.post("/attempt/<int:attempt_id>/<int:n>")
@login_required
def answer(attempt_id: int, n: int) -> WerkzeugResponse:
    attempt = _own_attempt(attempt_id)
    now = utcnow()
    if expire_if_due(attempt, now):
        flash("Time is up: this answer came after the time limit and was not counted.", "error")
        return _closed_redirect(attempt)
    if attempt.finished:
        flash("This attempt is already submitted; nothing was changed.", "info")
        return _closed_redirect(attempt)
    items = items_of(attempt)
    if not 1 <= n <= len(items):
        abort(404)
    action = request.form.get("action", "save")
    response = grading.parse_form(items[n - 1], _form_dict())
    check = action == "check" and attempt.feedback == "immediate"
    result = save_answer(attempt, n - 1, response, now, check=check)
    if not result.saved and result.reason == "closed":
        flash("Time is up: this answer came after the time limit and was not counted.", "error")
        return _closed_redirect(attempt)
    if action == "check":
        return redirect(url_for("quiz.question", attempt_id=attempt.id, n=n) + "#feedback")
    if action == "prev" and n > 1:
        return redirect(url_for("quiz.question", attempt_id=attempt.id, n=n - 1))
    if action == "next" and n < len(items):
        return redirect(url_for("quiz.question", attempt_id=attempt.id, n=n + 1))
    if action.startswith("goto-") and action[5:].isascii() and action[5:].isdigit():
        target = int(action[5:])
        if 1 <= target <= len(items):
            return redirect(url_for("quiz.question", attempt_id=attempt.id, n=target))
    if action in ("finish", "next"):
        return redirect(url_for("quiz.summary", attempt_id=attempt.id))
    flash("Answer saved.", "success")
    return redirect(url_for("quiz.question", attempt_id=attempt.id, n=n))


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
    if expire_if_due(attempt, utcnow()) or attempt.finished:
        return _closed_redirect(attempt)
    items = items_of(attempt)
    responses = {r.position: r for r in attempt.responses}
    return render_template("quiz/summary.html", attempt=attempt, items=items, responses=responses)


@bp.post("/attempt/<int:attempt_id>/submit")
@login_required
def submit(attempt_id: int) -> WerkzeugResponse:
    attempt = _own_attempt(attempt_id)
    now = utcnow()
    if not expire_if_due(attempt, now) and submit_attempt(attempt, now):
        flash(f"Attempt submitted: {attempt.percent:g}%.", "success")
    return _closed_redirect(attempt)


@bp.get("/attempt/<int:attempt_id>/review")
@login_required
def review(attempt_id: int) -> str | WerkzeugResponse:
    attempt = _own_attempt(attempt_id, instructors_may_read=True)
    expire_if_due(attempt, utcnow())
    if not attempt.finished:
        if attempt.user_id != current_user.id:
            abort(404)
        flash("Submit the attempt to see its review.", "info")
        return redirect(url_for("quiz.summary", attempt_id=attempt.id))
    items = items_of(attempt)
    rows = {r.position: r for r in attempt.responses}
    questions = []
    for position, item in enumerate(items):
        row = rows.get(position)
        given = grading.from_json(item, row.answer) if row else grading.empty_response(item)
        questions.append(
            {
                "n": position + 1,
                "item": item,
                "given": given_answer_lines(item, given),
                "right": correct_answer_lines(item),
                "grade": grading.grade(item, given),
            }
        )
    finished = [
        a for a in attempts_for(attempt.user_id, attempt.essay, attempt.quiz_id) if a.finished
    ]
    overall = quiz_grade(attempt.grading, [a.percent or 0.0 for a in finished])
    return render_template(
        "quiz/review.html", attempt=attempt, questions=questions, overall=overall, finished=finished
    )


# --- how answers read ---------------------------------------------------------------------

CHOICE_ONE = {"single", "true_false", "reason", "stance"}
CHOICE_MANY = {"multiple", "reasons_multiple"}
TYPED = {"cloze", "short_answer"}
MATCHING = {"matching", "evidence_matching"}


def correct_answer_lines(item: Item) -> list[str]:
    if item.type in CHOICE_ONE:
        return [item.options[item.answer]]
    if item.type in CHOICE_MANY:
        return [item.options[i] for i in item.answer]
    if item.type in TYPED:
        return [" or ".join(accepted) for accepted in item.answer]
    if item.type == "ordering":
        return [item.options[i] for i in item.answer]
    if item.type in MATCHING:
        return [f"{p} → {item.options[i]}" for p, i in zip(item.prompts, item.answer, strict=True)]
    return []


def given_answer_lines(item: Item, given: Any) -> list[str]:
    def option(i: int | None) -> str:
        return item.options[i] if i is not None and 0 <= i < len(item.options) else "(no answer)"

    if item.type in CHOICE_ONE | CHOICE_MANY:
        return [option(i) for i in given] or ["(no answer)"]
    if item.type in TYPED:
        return [g if g else "(no answer)" for g in given]
    if item.type == "ordering":
        return [option(i) for i in given]
    if item.type in MATCHING:
        return [f"{p} → {option(i)}" for p, i in zip(item.prompts, given, strict=True)]
    return []
