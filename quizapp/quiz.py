"""Taking quizzes, the service layer: attempts, saving answers as the student goes, feedback,
submission, what a student sees of a question and of a submitted attempt.

Every write is guarded so that nothing counts twice and nothing saved is lost: an attempt
number is unique per student and quiz, a response is one row per question updated in
place, and saves and submission both go through a conditional UPDATE of the attempt row,
which serializes them (a save that loses the race with submission is refused, never
half-applied). Called by the views in ``quiz_views`` and by the CLI alike: the user and the
time are passed in; nothing here reads the request, the session or the signed-in user.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from fractions import Fraction
from typing import Any

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError

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
    ResponseRow,
    User,
)

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


def lock_open_attempt(attempt: Attempt, now: datetime) -> bool:
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


def response_at(attempt: Attempt, position: int) -> ResponseRow | None:
    return db.session.execute(
        db.select(ResponseRow).filter_by(attempt_id=attempt.id, position=position)
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
        if not lock_open_attempt(attempt, now):
            db.session.rollback()
            return SaveResult(False, "closed")
        row = response_at(attempt, position)
        if row is not None and row.locked:
            db.session.rollback()
            return SaveResult(False, "locked")
        stored = grading.to_json(answer)
        result = grading.grade(item, answer) if check else None
        if row is None:
            row = ResponseRow(attempt_id=attempt.id, position=position, item_id=item.id)
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
        for r in db.session.execute(
            db.select(ResponseRow).filter_by(attempt_id=attempt.id)
        ).scalars()
    }
    total = Fraction(0)
    misses: set[str] = set()
    for position, item in enumerate(items):
        row = rows.get(position)
        if row is None:
            row = ResponseRow(
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


def question_state(row: ResponseRow | None, flagged: bool, show_marks: bool = True) -> list[str]:
    """The summary's words for one question: its state, then "flagged" if it is."""
    if row is None or row.answer is None or stored_answer_is_blank(row.answer):
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


def stored_answer_is_blank(answer: Any) -> bool:
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


# --- a submitted attempt, for its review --------------------------------------------------


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


def reports_of(attempt: Attempt) -> list[QuestionReport]:
    """The problems the attempt's student reported with its questions, oldest first."""
    return list(
        db.session.execute(
            db.select(QuestionReport)
            .filter_by(attempt_id=attempt.id, user_id=attempt.user_id)
            .order_by(QuestionReport.id)
        ).scalars()
    )


def report_question(attempt: Attempt, position: int, note: str, now: datetime) -> None:
    """The attempt's student reports a problem with the question at ``position``."""
    db.session.add(
        QuestionReport(
            user_id=attempt.user_id,
            attempt_id=attempt.id,
            position=position,
            item_id=str(attempt.questions[position].get("id", "")),
            note=note,
            created_at=now,
        )
    )
    db.session.commit()


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
