"""Spaced repetition: a thin, pure layer over the ``fsrs`` library.

Every scheduling decision (stability, difficulty, next due date, learning steps) is made by
``fsrs.Scheduler.review_card``; this module only adds what an app around it needs:

- per-student :class:`Settings` with Anki's defaults and a :func:`scheduler` built from them;
- :class:`CardState`, one student's state for one flashcard, as a plain dataclass that the
  web layer persists (``to_dict``/``from_dict``) and that converts to and from ``fsrs.Card``;
- :func:`review`, which wraps ``review_card`` and adds repetition and lapse counts, leech
  detection and a :class:`ReviewLogEntry` carrying full before/after snapshots (undo is
  restoring ``log.state_before`` and deleting the log);
- study days that roll over at ``day_starts_hour`` local time (:func:`study_day`,
  :func:`day_bounds`), the daily :class:`Queue` (:func:`build_queue`) and study-ahead;
- statistics over states and logs.

Nothing here touches Flask, a database or the clock: the current time is always an explicit,
timezone-aware argument (naive datetimes raise ``ValueError``), and every datetime this module
returns or stores is in UTC.
"""

from __future__ import annotations

from .card import CardState, CardStateDict
from .days import TzLike, day_bounds, study_day
from .queue import Queue, build_queue, intersperse, pull_forward, retire_missing, study_ahead
from .review import (
    ReviewLogEntry,
    ReviewResult,
    answer_states,
    button_labels,
    constrained_fuzz_bounds,
    due_in_days,
    elapsed_days,
    format_interval,
    fuzz_delta,
    fuzz_factor,
    minimum_review_fuzz_interval,
    preview_days,
    preview_intervals,
    replay,
    reschedule,
    review,
    scheduled_days,
    undo,
    with_review_fuzz,
)
from .settings import (
    AGAIN,
    EASY,
    GOOD,
    HARD,
    LEARNING,
    LEECH_ACTIONS,
    MATURE_INTERVAL,
    MAX_STEP_SECONDS,
    MAX_STEPS,
    NEW,
    NEW_MIXES,
    RATING_NAMES,
    RATINGS,
    RELEARNING,
    REVIEW,
    REVIEW_SORTS,
    STATE_NAMES,
    Settings,
    SettingsDict,
    format_steps,
    parse_steps,
    scheduler,
)
from .statistics import (
    CardCounts,
    DoneToday,
    Retention,
    TodaySummary,
    counts,
    done_today,
    future_due,
    recall_probability,
    retrievability,
    reviews_by_day,
    today_summary,
    true_retention,
)

__all__ = [
    "AGAIN",
    "EASY",
    "GOOD",
    "HARD",
    "LEARNING",
    "LEECH_ACTIONS",
    "MATURE_INTERVAL",
    "MAX_STEPS",
    "MAX_STEP_SECONDS",
    "NEW",
    "NEW_MIXES",
    "RATINGS",
    "RATING_NAMES",
    "RELEARNING",
    "REVIEW",
    "REVIEW_SORTS",
    "STATE_NAMES",
    "CardCounts",
    "CardState",
    "CardStateDict",
    "DoneToday",
    "Queue",
    "Retention",
    "ReviewLogEntry",
    "ReviewResult",
    "Settings",
    "SettingsDict",
    "TodaySummary",
    "TzLike",
    "answer_states",
    "build_queue",
    "button_labels",
    "constrained_fuzz_bounds",
    "counts",
    "day_bounds",
    "done_today",
    "due_in_days",
    "elapsed_days",
    "format_interval",
    "format_steps",
    "future_due",
    "fuzz_delta",
    "fuzz_factor",
    "intersperse",
    "minimum_review_fuzz_interval",
    "parse_steps",
    "preview_days",
    "preview_intervals",
    "pull_forward",
    "recall_probability",
    "replay",
    "reschedule",
    "retire_missing",
    "retrievability",
    "review",
    "reviews_by_day",
    "scheduled_days",
    "scheduler",
    "study_ahead",
    "study_day",
    "today_summary",
    "true_retention",
    "undo",
    "with_review_fuzz",
]
