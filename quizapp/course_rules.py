"""The rules of course assignments, pure: which settings a quiz has for one student (the
content file's defaults, the course's assignment, the student's override), whether it is
open at a given time, and what is due next. No Flask, no database; times are aware UTC.
"""

from __future__ import annotations

import re
import secrets
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from .bank.model import REVIEW_MOMENTS, REVIEW_SHOWS, Quiz, ReviewOptions
from .bank.text import slugify

# Join codes: no 0/O, 1/I/L, so a code read aloud or copied from a board is typed right.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8


def new_join_code(length: int = CODE_LENGTH) -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))


def normalize_code(text: str) -> str:
    """A typed join code as stored: upper case, spaces and dashes dropped ("ab3d-ef9h")."""
    return re.sub(r"[\s-]+", "", unicodedata.normalize("NFKC", text)).upper()[:32]


def course_slug(title: str, term: str = "") -> str:
    """A URL and file-name slug for a course: "Modern History", "Fall 2026" ->
    "modern-history-fall-2026" (ASCII letters and digits only, at most 60 characters)."""
    return slugify(f"{title} {term}", "course", 60)


@dataclass(frozen=True)
class Terms:
    """A course's assignment of a quiz; None keeps the content file's setting."""

    opens_at: datetime | None = None
    closes_at: datetime | None = None
    due_at: datetime | None = None
    attempts: int | None = None  # 0 = unlimited
    time_limit: int | None = None  # minutes; 0 = no limit
    review: ReviewOptions | None = None


@dataclass(frozen=True)
class Accommodation:
    """One student's override of an assignment."""

    extra_minutes: int = 0
    extra_attempts: int = 0
    closes_at: datetime | None = None  # replaces the assignment's close for this student


@dataclass(frozen=True)
class Effective:
    """A quiz as one student gets it: the settings used to start and time an attempt."""

    quiz: Quiz  # attempts, time limit, close and review options already resolved
    opens_at: datetime | None
    due_at: datetime | None


def effective(quiz: Quiz, terms: Terms | None, accommodation: Accommodation | None) -> Effective:
    """The content file's quiz settings, overridden by the course, then by the student's
    accommodation: extra attempts on a limited quiz (an unlimited one stays unlimited), extra
    minutes on a timed one, a close of their own."""
    terms = terms or Terms()
    acc = accommodation or Accommodation()
    attempts = quiz.attempts if terms.attempts is None else terms.attempts
    if attempts:
        attempts += max(0, acc.extra_attempts)
    limit = quiz.time_limit if terms.time_limit is None else (terms.time_limit or None)
    if limit:
        limit += max(0, acc.extra_minutes)
    closes = quiz.closes if terms.closes_at is None else terms.closes_at
    if acc.closes_at is not None:
        closes = acc.closes_at
    due = terms.due_at
    if due is not None and acc.closes_at is not None and acc.closes_at > due:
        due = acc.closes_at  # a later close moves the student's due date with it
    resolved = replace(
        quiz,
        attempts=attempts,
        time_limit=limit,
        closes=closes,
        review=terms.review or quiz.review,
    )
    return Effective(resolved, terms.opens_at, due)


def window_problem(opens_at: datetime | None, closes_at: datetime | None, now: datetime) -> str:
    """Why no attempt may start at ``now`` ("not open yet", "closed"), or "" when one may."""
    if opens_at is not None and now < opens_at:
        return "not open yet"
    if closes_at is not None and now >= closes_at:
        return "closed"
    return ""


def pick(candidates: Sequence[Effective], now: datetime) -> Effective | None:
    """A student in several courses that assign the same quiz gets the most generous one at
    ``now``: an open one first (the latest close), else the one that opens soonest, else the
    one that closed last."""
    if not candidates:
        return None

    def key(e: Effective) -> tuple[int, float]:
        problem = window_problem(e.opens_at, e.quiz.closes, now)
        if not problem:
            closes = e.quiz.closes
            return (0, -(closes.timestamp() if closes else float("inf")))
        if problem == "not open yet":
            assert e.opens_at is not None
            return (1, e.opens_at.timestamp())
        assert e.quiz.closes is not None
        return (2, -e.quiz.closes.timestamp())

    return min(candidates, key=key)


def deadline(quiz: Quiz, started: datetime) -> datetime | None:
    """When an attempt started at ``started`` ends: its time limit, or the close if sooner."""
    ends = [started + timedelta(minutes=quiz.time_limit)] if quiz.time_limit else []
    if quiz.closes is not None:
        ends.append(quiz.closes)
    return min(ends) if ends else None


@dataclass(frozen=True)
class DueItem:
    essay: str
    quiz_id: str
    title: str
    due_at: datetime | None
    closes_at: datetime | None
    opens_at: datetime | None
    done: bool  # at least one submitted attempt


def due_next(items: Iterable[DueItem], now: datetime, limit: int = 5) -> list[DueItem]:
    """What a student should do next: quizzes with a date (due or closing), not done and not
    closed, by that date, then title. An undated quiz is never "due" (the home page lists
    every quiz anyway)."""
    pending = [
        i
        for i in items
        if not i.done
        and (i.due_at is not None or i.closes_at is not None)
        and (i.closes_at is None or now < i.closes_at)
    ]
    far = datetime.max.replace(tzinfo=now.tzinfo)
    pending.sort(key=lambda i: (i.due_at or i.closes_at or far, i.title))
    return pending[:limit]


REVIEW_PRESETS = {
    "": "the quiz file's review options",
    "all": "everything (marks, right answers, feedback) after each attempt",
    "marks": "marks only, until the quiz closes or no attempt is left",
    "none": "nothing until the quiz closes, then everything",
}


def review_preset(name: str) -> dict[str, list[str]] | None:
    """The stored review options of a named preset (None: the quiz file's)."""
    everything = list(REVIEW_SHOWS)
    if name == "all":
        return {m: everything for m in REVIEW_MOMENTS}
    if name == "marks":
        return {
            "during": [],
            "immediately": ["marks"],
            "later": ["marks"],
            "after_close": everything,
        }
    if name == "none":
        return {"during": [], "immediately": [], "later": [], "after_close": everything}
    return None


def review_from_json(value: dict[str, list[str]] | None) -> ReviewOptions | None:
    if not value:
        return None
    parts = {m: frozenset(s for s in value.get(m, []) if s in REVIEW_SHOWS) for m in REVIEW_MOMENTS}
    return ReviewOptions(**parts)


def preset_of(value: dict[str, list[str]] | None) -> str:
    for name in REVIEW_PRESETS:
        if review_preset(name) == (value or None):
            return name
    return ""
