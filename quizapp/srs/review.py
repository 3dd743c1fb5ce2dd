"""Reviewing a card: ``fsrs`` plus Anki's fuzz, repetition and lapse counts, leeches, undo, the
intervals on the answer buttons.
"""

from __future__ import annotations

import math
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any

import fsrs

from .card import CardState
from .days import TzLike, _utc, _zone, day_bounds, study_day
from .settings import (
    AGAIN,
    EASY,
    GOOD,
    HARD,
    NEW,
    RATINGS,
    REVIEW,
    STATE_NAMES,
    Settings,
    _cached_scheduler,
)

# ---------------------------------------------------------------------------------------------
# Reviewing


@dataclass(frozen=True)
class ReviewLogEntry:
    """One answered card. ``state_before``/``state_after`` are :meth:`CardState.to_dict`
    snapshots; undo is ``CardState.from_dict(entry.state_before)`` plus deleting the entry."""

    card_id: str
    rating: int
    reviewed_at: datetime
    duration_ms: int | None
    state_before: dict[str, Any]
    state_after: dict[str, Any]

    def __post_init__(self) -> None:
        object.__setattr__(self, "reviewed_at", _utc(self.reviewed_at, "reviewed_at"))

    @property
    def before(self) -> CardState:
        return CardState.from_dict(self.state_before)

    @property
    def after(self) -> CardState:
        return CardState.from_dict(self.state_after)

    @property
    def state_before_code(self) -> int:
        """The card's state before this review (0 new, 1 learning, 2 review, 3 relearning)."""
        return int(self.state_before.get("state", NEW))

    @property
    def kind(self) -> str:
        """``new``, ``learning``, ``review`` or ``relearning``: what was reviewed."""
        return STATE_NAMES[self.state_before_code]

    @property
    def is_lapse(self) -> bool:
        return self.state_before_code == REVIEW and self.rating == AGAIN

    def to_dict(self) -> dict[str, Any]:
        return {
            "card_id": self.card_id,
            "rating": self.rating,
            "reviewed_at": self.reviewed_at.isoformat(),
            "duration_ms": self.duration_ms,
            "state_before": dict(self.state_before),
            "state_after": dict(self.state_after),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ReviewLogEntry:
        duration = data.get("duration_ms")
        return cls(
            card_id=data["card_id"],
            rating=int(data["rating"]),
            reviewed_at=_utc(datetime.fromisoformat(data["reviewed_at"]), "reviewed_at"),
            duration_ms=None if duration is None else int(duration),
            state_before=dict(data["state_before"]),
            state_after=dict(data["state_after"]),
        )


@dataclass(frozen=True)
class ReviewResult:
    new_state: CardState
    log: ReviewLogEntry
    became_leech: bool = False


def _check_rating(rating: int) -> fsrs.Rating:
    if isinstance(rating, bool) or not isinstance(rating, int) or rating not in RATINGS:
        raise ValueError(
            f"rating must be 1 (Again), 2 (Hard), 3 (Good) or 4 (Easy), not {rating!r}"
        )
    return fsrs.Rating(rating)


def _is_leech_lapse(lapses: int, threshold: int) -> bool:
    """Anki's rule: a leech at ``threshold`` lapses, then again every half threshold (rounded
    up) after that (so a card unsuspended at 8 is suspended again at 12, 16...)."""
    if threshold <= 0 or lapses < threshold:
        return False
    return (lapses - threshold) % max(1, math.ceil(threshold / 2)) == 0


# -- Anki's review intervals: fuzz and ordering (rslib/src/scheduler/states/fuzz.rs, review.rs)

# (start, end, factor): each day of the interval inside [start, end) adds factor days of fuzz
_FUZZ_RANGES: tuple[tuple[float, float, float], ...] = (
    (2.5, 7.0, 0.15),
    (7.0, 20.0, 0.1),
    (20.0, math.inf, 0.05),
)


def _round(value: float) -> int:
    """Rust's ``f32::round`` for the non-negative values used here: halves round up."""
    return math.floor(value + 0.5)


def _round_places(value: float, places: int) -> float:
    """Anki keeps a card's memory state to 4 decimal places for stability and 3 for
    difficulty (rslib/src/storage/card/data.rs); the next review starts from those, so the
    stored state is rounded the same way (the interval of this answer is not)."""
    scale = 10**places
    return math.floor(value * scale + 0.5) / scale


def fuzz_factor(card_id: str, reps: int) -> float:
    """The fuzz factor in ``[0, 1)`` for ``card_id`` answered for the ``reps + 1``-th time.

    Seeded by the card and its review count (as Anki seeds by card id and reps), so every
    process, the preview and the answer agree, and undo-then-answer gives the same interval.
    """
    return random.Random(f"{card_id}\x1f{reps}").random()


def fuzz_delta(interval: float) -> float:
    """Days of fuzz either side of ``interval``: none below 2.5 days, else 1 day plus a share
    of the interval in each range."""
    if interval < 2.5:
        return 0.0
    delta = 1.0
    for start, end, factor in _FUZZ_RANGES:
        delta += factor * max(0.0, min(interval, end) - start)
    return delta


def constrained_fuzz_bounds(interval: float, minimum: int, maximum: int) -> tuple[int, int]:
    """The fuzz range ``[lower, upper]`` of ``interval`` within ``[minimum, maximum]``."""
    minimum = min(minimum, maximum)
    interval = min(max(interval, float(minimum)), float(maximum))
    delta = fuzz_delta(interval)
    lower = min(max(_round(interval - delta), minimum), maximum)
    upper = min(max(_round(interval + delta), minimum), maximum)
    if upper == lower and 2 < upper < maximum:
        upper = lower + 1
    return lower, upper


def with_review_fuzz(factor: float | None, interval: float, minimum: int, maximum: int) -> int:
    """``interval`` in whole days, fuzzed by ``factor`` (None: no fuzz), within the bounds."""
    if factor is None:
        return min(max(_round(interval), minimum), maximum)
    lower, upper = constrained_fuzz_bounds(interval, minimum, maximum)
    return math.floor(lower + factor * (1 + upper - lower))


def minimum_review_fuzz_interval(interval: float, previous: int, maximum: int) -> int:
    """Anki's floor for a passed review: longer than the previous interval if the new one
    grew, never shorter than it unless it shrank beyond the fuzz range (new parameters)."""
    _, upper = constrained_fuzz_bounds(interval, 1, maximum)
    if _round(interval) > previous:
        return previous + 1
    if previous <= upper:
        return previous
    return 0


def _bounds(minimum: int, maximum: int) -> tuple[int, int]:
    maximum = max(1, maximum)
    return min(max(minimum, 1), maximum), maximum


def _constrain(factor: float | None, interval: float, minimum: int, maximum: int) -> int:
    low, high = _bounds(minimum, maximum)
    return with_review_fuzz(factor, interval, low, high)


def _raw_interval(stability: float, settings: Settings) -> float:
    """FSRS's interval in (fractional) days for ``stability`` at the desired retention."""
    sched = _cached_scheduler(settings)
    return (stability / sched._FACTOR) * (settings.desired_retention ** (1 / sched._DECAY) - 1)


def elapsed_days(last_review: datetime, now: datetime, tz: TzLike, day_starts_hour: int) -> int:
    """Whole study days from ``last_review`` to ``now`` in the learner's zone (Anki's
    ``days_elapsed``): 20:00 one evening to 19:50 the next is 1 day; 03:00 to 05:00 across a
    4 am rollover is 1 day; never negative."""
    return max(
        0,
        (study_day(now, tz, day_starts_hour) - study_day(last_review, tz, day_starts_hour)).days,
    )


def due_in_days(now: datetime, days: int, tz: TzLike, day_starts_hour: int) -> datetime:
    """The UTC instant a card answered at ``now`` and given ``days`` days falls due: the same
    local wall time ``days`` study days later, so that ``study_day(due) - study_day(now)`` is
    exactly ``days`` whatever the clock changes in between (if that wall time does not exist
    or lands on another study day, the start of the due study day)."""
    now = _utc(now)
    zone = _zone(tz)
    target = study_day(now, zone, day_starts_hour) + timedelta(days=days)
    candidate = (now.astimezone(zone) + timedelta(days=days)).astimezone(UTC)
    if study_day(candidate, zone, day_starts_hour) == target:
        return candidate
    return day_bounds(target, zone, day_starts_hour)[0]


def scheduled_days(state: CardState, settings: Settings) -> int | None:
    """The interval in study days a Review card was last given (Anki's ``scheduled_days``)."""
    if state.state != REVIEW or state.due is None or state.last_review is None:
        return None
    return elapsed_days(state.last_review, state.due, settings.tz, settings.day_starts_hour)


def answer_states(state: CardState, now: datetime, settings: Settings) -> dict[int, CardState]:
    """The card's scheduling state after each answer 1-4 at ``now`` (counters untouched).

    Memory (stability, difficulty) and learning steps are ``fsrs.Scheduler.review_card``'s,
    with the time since the last review counted in study days (:func:`elapsed_days`), as
    Anki does. Intervals of Review cards are whole study days chosen by Anki's rules:

    - a Review card passed: Hard >= 1, Good > Hard, Easy > Good, each at least one day longer
      than the previous interval when FSRS lengthens it and never shorter than it within the
      fuzz range (``passing_fsrs_review_intervals``);
    - a graduating (re)learning card: Good (or Hard) at least 1 day, Easy > Good;
    - each fuzzed with the card's seeded :func:`fuzz_factor` when ``enable_fuzzing``.

    Review cards fall due at :func:`due_in_days`; learning steps are real time. The stored
    stability and difficulty are rounded as Anki stores them (:func:`_round_places`).
    """
    now = _utc(now)
    tz, hour = settings.tz, settings.day_starts_hour
    card = state.to_fsrs(now)
    if state.last_review is not None:
        # the library counts (now - last_review).days: give it the study days instead
        card.last_review = now - timedelta(days=elapsed_days(state.last_review, now, tz, hour))
    sched = _cached_scheduler(settings)
    results = {r: sched.review_card(card, fsrs.Rating(r), review_datetime=now)[0] for r in RATINGS}
    factor = fuzz_factor(state.card_id, state.reps) if settings.enable_fuzzing else None
    maximum = settings.maximum_interval
    raw = {r: _raw_interval(float(c.stability), settings) for r, c in results.items()}
    days: dict[int, int] = {}
    if state.state == REVIEW:
        previous = scheduled_days(state, settings) or 0
        floor = 1
        for r in (HARD, GOOD, EASY):
            minimum = max(floor, minimum_review_fuzz_interval(raw[r], previous, maximum), 1)
            days[r] = _constrain(factor, raw[r], minimum, maximum)
            floor = days[r] + 1
    else:
        good = _constrain(factor, raw[GOOD], 1, maximum)
        for r in (HARD, GOOD):
            days[r] = _constrain(factor, max(1, _round(raw[r])), 1, maximum)
        days[EASY] = _constrain(factor, max(1, _round(raw[EASY])), good + 1, maximum)
    days[AGAIN] = _constrain(factor, max(1, _round(raw[AGAIN])), 1, maximum)

    out: dict[int, CardState] = {}
    for r, result in results.items():
        after = state.with_fsrs(result)
        if after.state == REVIEW:
            after = replace(after, due=due_in_days(now, days[r], tz, hour))
        out[r] = replace(
            after,
            last_review=now,
            stability=_round_places(float(result.stability), 4),
            difficulty=_round_places(float(result.difficulty), 3),
        )
    return out


def reschedule(state: CardState, settings: Settings) -> CardState:
    """A Review card's due date for new settings (desired retention, parameters, maximum
    interval): the interval FSRS gives its stability now, fuzzed as its last review was,
    counted from the day of that review, as Anki's "reschedule cards on change" does. The
    card may come out overdue. Other cards are returned unchanged."""
    if state.state != REVIEW or state.last_review is None or state.stability is None:
        return state
    factor = fuzz_factor(state.card_id, max(0, state.reps - 1)) if settings.enable_fuzzing else None
    days = _constrain(
        factor, _raw_interval(state.stability, settings), 1, settings.maximum_interval
    )
    due = due_in_days(state.last_review, days, settings.tz, settings.day_starts_hour)
    return replace(state, due=due)


def replay(
    state: CardState, logs: Sequence[ReviewLogEntry], settings: Settings
) -> CardState | None:
    """``state`` with its scheduling recomputed by answering its whole history again under
    ``settings`` (new FSRS parameters); counters and flags kept. None when ``logs`` is not
    the card's whole history (it must start with its first answer and hold ``reps`` reviews).
    """
    ordered = sorted(logs, key=lambda log: log.reviewed_at)
    if not ordered or len(ordered) != state.reps or ordered[0].state_before_code != NEW:
        return None
    quiet = replace(settings, leech_threshold=0)
    current = CardState(state.card_id)
    for log in ordered:
        current = review(current, log.rating, log.reviewed_at, quiet).new_state
    return replace(
        state,
        state=current.state,
        step=current.step,
        stability=current.stability,
        difficulty=current.difficulty,
        due=current.due,
        last_review=current.last_review,
    )


def review(
    state: CardState,
    rating: int,
    now: datetime,
    settings: Settings,
    duration_ms: int | None = None,
) -> ReviewResult:
    """Answer ``state``'s card with ``rating`` (1 Again - 4 Easy) at ``now``.

    Scheduling is :func:`answer_states`'s. On top of it: ``reps`` + 1; a lapse (Again on a card
    in Review state) adds to ``lapses``, and reaching the leech threshold (see
    :func:`_is_leech_lapse`) sets ``leech`` and ``became_leech`` on the result, and
    ``suspended`` when ``settings.leech_action`` is ``"suspend"``; ``priority`` is cleared.
    Suspended and retired cards cannot be reviewed.
    """
    now = _utc(now)
    fsrs_rating = _check_rating(rating)
    if duration_ms is not None and (
        isinstance(duration_ms, bool) or not isinstance(duration_ms, int) or duration_ms < 0
    ):
        raise ValueError(f"duration_ms must be a non-negative integer or None, not {duration_ms!r}")
    if state.suspended or state.retired:
        raise ValueError(f"{state.card_id} is {'retired' if state.retired else 'suspended'}")

    scheduled = answer_states(state, now, settings)[int(fsrs_rating)]
    lapse = state.state == REVIEW and fsrs_rating == fsrs.Rating.Again
    lapses = state.lapses + (1 if lapse else 0)
    became_leech = lapse and _is_leech_lapse(lapses, settings.leech_threshold)
    new_state = replace(
        scheduled,
        reps=state.reps + 1,
        lapses=lapses,
        priority=False,
        leech=state.leech or became_leech,
        suspended=state.suspended or (became_leech and settings.leech_action == "suspend"),
    )
    log = ReviewLogEntry(
        card_id=state.card_id,
        rating=int(fsrs_rating),
        reviewed_at=now,
        duration_ms=duration_ms,
        state_before=state.to_dict(),
        state_after=new_state.to_dict(),
    )
    return ReviewResult(new_state=new_state, log=log, became_leech=became_leech)


def undo(log: ReviewLogEntry) -> CardState:
    """The state to restore when undoing ``log`` (the caller also deletes ``log``)."""
    return CardState.from_dict(log.state_before)


def preview_intervals(state: CardState, now: datetime, settings: Settings) -> dict[int, timedelta]:
    """For each rating 1-4, how long after ``now`` the card would be due if answered so
    (exactly what :func:`review` schedules)."""
    now = _utc(now)
    return {r: s.due - now for r, s in answer_states(state, now, settings).items()}


def preview_days(state: CardState, now: datetime, settings: Settings) -> dict[int, int | None]:
    """For each rating, the interval in study days if it makes the card a Review card, else
    None (a learning step)."""
    tz, hour = settings.tz, settings.day_starts_hour
    return {
        r: elapsed_days(now, s.due, tz, hour) if s.state == REVIEW and s.due else None
        for r, s in answer_states(state, now, settings).items()
    }


def button_labels(state: CardState, now: datetime, settings: Settings) -> dict[int, str]:
    """The label on each answer button: a learning step as the time until it (``"10m"``), a
    Review interval as its study days (``"1d"`` even when a clock change makes that day 23
    hours long), in :func:`format_interval`'s units."""
    now = _utc(now)
    tz, hour = settings.tz, settings.day_starts_hour
    labels = {}
    for r, after in answer_states(state, now, settings).items():
        assert after.due is not None
        if after.state == REVIEW:
            labels[r] = format_interval(timedelta(days=elapsed_days(now, after.due, tz, hour)))
        else:
            labels[r] = format_interval(after.due - now)
    return labels


_SECOND = 1.0
_MINUTE = 60.0
_HOUR = 3600.0
_DAY = 86400.0
_YEAR = 365.0 * _DAY
_MONTH = _YEAR / 12.0
# (size in seconds, suffix, decimals), smallest first
_UNITS: tuple[tuple[float, str, int], ...] = (
    (_SECOND, "s", 0),
    (_MINUTE, "m", 0),
    (_HOUR, "h", 0),
    (_DAY, "d", 0),
    (_MONTH, "mo", 1),
    (_YEAR, "y", 1),
)


def _round_half_up(value: float, decimals: int) -> float:
    scale = 10**decimals
    return math.floor(value * scale + 0.5) / scale


def format_interval(td: timedelta) -> str:
    """An Anki-style answer-button label: ``"45s"``, ``"10m"``, ``"1h"``, ``"3d"``,
    ``"1.5mo"``, ``"1.2y"``.

    The rule (Anki's ``answer_button_time``): take the largest unit the interval reaches
    (minute 60 s, hour, day 24 h, month = 365/12 days, year = 365 days); seconds, minutes,
    hours and days are rounded to a whole number, months and years to one decimal, a trailing
    ``.0`` dropped; halves round up. If rounding reaches the next unit it is shown in that
    unit (59m 40s is ``"1h"``, not ``"60m"``). Zero is ``"0s"``; negative raises ValueError.
    """
    seconds = td.total_seconds()
    if seconds < 0:
        raise ValueError(f"interval must not be negative, got {td}")
    index = 0
    while index + 1 < len(_UNITS) and seconds >= _UNITS[index + 1][0]:
        index += 1
    while True:
        size, suffix, decimals = _UNITS[index]
        amount = _round_half_up(seconds / size, decimals)
        if index + 1 < len(_UNITS) and amount * size >= _UNITS[index + 1][0]:
            index += 1
            continue
        text = f"{amount:.{decimals}f}" if decimals else str(int(amount))
        if "." in text:
            text = text.rstrip("0").rstrip(".")
        return text + suffix
