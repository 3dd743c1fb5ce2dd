"""quizzes.yaml: each quiz's topics, size, mix, review options and closing time."""

from __future__ import annotations

import difflib
from datetime import UTC, datetime
from typing import Any, Literal

from ..model import (
    FEEDBACK_MODES,
    GRADING_METHODS,
    REVIEW_MOMENTS,
    REVIEW_SHOWS,
    Quiz,
    ReviewOptions,
)
from ..types import ITEM_TYPES
from ..yamlines import LineDict
from .errors import _Errors

QUIZ_FIELDS = (
    "id",
    "title",
    "topics",
    "questions",
    "mix",
    "attempts",
    "grading",
    "time_limit",
    "feedback",
    "shuffle",
    "decimals",
    "review",
    "closes",
)


def _load_quizzes(data: Any, topic_ids: set[str], errs: _Errors) -> list[tuple[Quiz, LineDict]]:
    quizzes = []
    seen: dict[str, str] = {}
    for rec in errs.records(data, "quiz"):
        errs.unknown_keys(rec, QUIZ_FIELDS, "a quiz")
        qid = errs.ident(rec, "a quiz", seen)
        title = errs.text(rec, "title", "a quiz")
        topics = _quiz_topics(rec, topic_ids, errs)
        questions = errs.integer(rec, "questions", "a quiz", minimum=1)
        mix = _quiz_mix(rec, questions, errs)
        attempts = errs.integer(rec, "attempts", "a quiz", minimum=0)
        grading = errs.choice(rec, "grading", GRADING_METHODS, "a quiz")
        feedback = errs.choice(rec, "feedback", FEEDBACK_MODES, "a quiz")
        time_limit = errs.integer(rec, "time_limit", "a quiz", required=False, minimum=1)
        shuffle = rec.get("shuffle", True)
        if not isinstance(shuffle, bool):
            errs.add(
                rec.line_of("shuffle"), "'shuffle' must be true or false", "write 'shuffle: true'"
            )
            shuffle = None
        decimals = 2
        if "decimals" in rec:
            decimals = errs.integer(rec, "decimals", "a quiz", minimum=0)
            if decimals is not None and decimals > 5:
                errs.add(
                    rec.line_of("decimals"),
                    f"'decimals' must be at most 5, not {decimals}",
                    "write 'decimals: 2'",
                )
                decimals = None
        review = _quiz_review(rec, errs)
        closes = _quiz_closes(rec, errs)
        if (
            qid
            and title
            and topics
            and questions
            and mix is not None
            and attempts is not None
            and grading
            and feedback
            and shuffle is not None
            and decimals is not None
            and review is not False
            and closes is not False
        ):
            quiz = Quiz(
                qid,
                title,
                topics,
                questions,
                mix,
                attempts,
                grading,
                feedback,
                shuffle,
                time_limit,
                decimals=decimals,
                review=review,
                closes=closes,
            )
            quizzes.append((quiz, rec))
    return quizzes


def _quiz_review(rec: LineDict, errs: _Errors) -> ReviewOptions | Literal[False] | None:
    """The quiz's review options (None: the defaults); False after an error."""
    if "review" not in rec:
        return None
    value = rec["review"]
    example = "write 'review: {later: [marks], after_close: [marks, right_answers, feedback]}'"
    if not isinstance(value, LineDict):
        errs.add(rec.line_of("review"), "'review' must map moments to what is shown", example)
        return False
    default = ReviewOptions.default(str(rec.get("feedback")))
    moments: dict[str, frozenset[str]] = {m: default.at(m) for m in REVIEW_MOMENTS}
    ok = True
    for key, line in value.duplicates:
        errs.add(line, f"'{key}' is given twice in 'review'", "keep one of them")
        ok = False
    for moment, shows in value.items():
        line = value.line_of(moment)
        if moment not in REVIEW_MOMENTS:
            close = difflib.get_close_matches(str(moment), REVIEW_MOMENTS, n=1)
            fix = f"did you mean '{close[0]}'?" if close else f"use {', '.join(REVIEW_MOMENTS)}"
            errs.add(line, f"unknown review moment '{moment}'", fix)
            ok = False
            continue
        items = [] if shows is None else shows if isinstance(shows, list) else [shows]
        picked = set()
        for show in items:
            if not isinstance(show, str) or show not in REVIEW_SHOWS:
                close = difflib.get_close_matches(str(show), REVIEW_SHOWS, n=1)
                fix = f"did you mean '{close[0]}'?" if close else f"use {', '.join(REVIEW_SHOWS)}"
                errs.add(line, f"unknown review option '{show}' for '{moment}'", fix)
                ok = False
            else:
                picked.add(show)
        moments[moment] = frozenset(picked)
    return ReviewOptions(**moments) if ok else False


def _quiz_closes(rec: LineDict, errs: _Errors) -> datetime | Literal[False] | None:
    """When the quiz closes (UTC), from an ISO 8601 date and time; False after an error."""
    value = rec.get("closes")
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(str(value).strip().replace("Z", "+00:00"))
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        errs.add(
            rec.line_of("closes"),
            f"'closes' must be a date and time with its time zone, not {value!r}",
            "write 'closes: 2026-12-15T18:00:00Z' (Z: UTC)",
        )
        return False
    return moment.astimezone(UTC)


def _quiz_topics(rec: LineDict, topic_ids: set[str], errs: _Errors) -> tuple[str, ...] | None:
    value = rec.get("topics")
    if value is None:
        errs.add(rec.line, "a quiz has no 'topics'", "add 'topics: [topic-id]' or 'topics: all'")
        return None
    if value == "all":
        return tuple(sorted(topic_ids))
    values = value if isinstance(value, list) else [value]
    out = []
    for v in values:
        if not isinstance(v, str) or v not in topic_ids:
            close = difflib.get_close_matches(str(v), sorted(topic_ids), n=1)
            fix = (
                f"did you mean '{close[0]}'?"
                if close
                else "use topic ids from topics.yaml, or 'all'"
            )
            errs.add(rec.line_of("topics"), f"unknown topic '{v}'", fix)
            return None
        out.append(v)
    return tuple(out)


def _quiz_mix(
    rec: LineDict, questions: int | None, errs: _Errors
) -> tuple[tuple[str, int], ...] | None:
    value = rec.get("mix")
    if not isinstance(value, LineDict) or not value:
        errs.add(
            rec.line_of("mix"),
            "a quiz needs a 'mix' of question types",
            "write 'mix: {single: 4, cloze: 4}'",
        )
        return None
    out = []
    ok = True
    for key, count in value.items():
        if key not in ITEM_TYPES:
            close = difflib.get_close_matches(key, ITEM_TYPES, n=1)
            fix = f"did you mean '{close[0]}'?" if close else f"use one of: {', '.join(ITEM_TYPES)}"
            errs.add(value.line_of(key), f"unknown question type '{key}'", fix)
            ok = False
        elif isinstance(count, bool) or not isinstance(count, int) or count < 1:
            errs.add(
                value.line_of(key),
                f"the count for '{key}' must be a whole number >= 1",
                f"remove '{key}' from the mix to ask none" if count == 0 else f"write '{key}: 1'",
            )
            ok = False
        else:
            out.append((key, count))
    if ok and questions is not None and sum(c for _, c in out) != questions:
        total = sum(c for _, c in out)
        errs.add(
            value.line,
            f"the mix adds up to {total} questions but 'questions' is {questions}",
            f"make the counts add up to {questions}, or write 'questions: {total}'",
        )
        ok = False
    return tuple(out) if ok else None
