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

import functools
import math
import random
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import fsrs
from fsrs.scheduler import DEFAULT_PARAMETERS

# ---------------------------------------------------------------------------------------------
# States and ratings

NEW = 0
LEARNING = int(fsrs.State.Learning)  # 1
REVIEW = int(fsrs.State.Review)  # 2
RELEARNING = int(fsrs.State.Relearning)  # 3
STATE_NAMES: Mapping[int, str] = {
    NEW: "new",
    LEARNING: "learning",
    REVIEW: "review",
    RELEARNING: "relearning",
}

AGAIN = int(fsrs.Rating.Again)  # 1
HARD = int(fsrs.Rating.Hard)  # 2
GOOD = int(fsrs.Rating.Good)  # 3
EASY = int(fsrs.Rating.Easy)  # 4
RATINGS = (AGAIN, HARD, GOOD, EASY)
RATING_NAMES: Mapping[int, str] = {AGAIN: "Again", HARD: "Hard", GOOD: "Good", EASY: "Easy"}

MATURE_INTERVAL = timedelta(days=21)  # Anki's line between young and mature cards

TzLike = str | tzinfo

LEECH_ACTIONS = ("suspend", "tag")
NEW_MIXES = ("mix", "after", "before")
REVIEW_SORTS = ("due", "retrievability")


# ---------------------------------------------------------------------------------------------
# Time helpers


def _utc(value: datetime, name: str = "now") -> datetime:
    """``value`` as an aware UTC datetime (``tzinfo is datetime.UTC``); naive raises."""
    if not isinstance(value, datetime):
        raise TypeError(f"{name} must be a datetime, not {type(value).__name__}")
    if value.tzinfo is None or value.tzinfo.utcoffset(value) is None:
        raise ValueError(f"{name} must be timezone-aware (got naive {value.isoformat()})")
    return value.astimezone(UTC)


def _zone(tz: TzLike) -> tzinfo:
    if isinstance(tz, tzinfo):
        return tz
    try:
        return ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"unknown time zone: {tz!r}") from exc


def _check_hour(day_starts_hour: int) -> None:
    if isinstance(day_starts_hour, bool) or not 0 <= day_starts_hour <= 23:
        raise ValueError(f"day_starts_hour must be 0-23, got {day_starts_hour!r}")


def _dt_to_str(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def _dt_from_str(value: str | None, name: str) -> datetime | None:
    return None if value is None else _utc(datetime.fromisoformat(value), name)


# ---------------------------------------------------------------------------------------------
# Settings


@dataclass(frozen=True)
class Settings:
    """One student's (or the app's) scheduling settings, defaulting to Anki's.

    ``enable_fuzzing`` is on, as in Anki. The fuzz is Anki's (``states/fuzz.rs``) and seeded
    per card and review (:func:`fuzz_factor`), never the process-global random generator: the
    interval on an answer button is exactly the one the card gets, and undoing a review and
    answering again gives the same due date.

    ``leech_threshold`` 0 disables leech detection; ``leech_action`` is ``"suspend"`` (tag and
    suspend, Anki's default) or ``"tag"`` (tag only). ``new_mix`` places new cards among the
    reviews (``"mix"``, Anki's default, spreads them evenly), ``"after"`` or ``"before"`` them;
    ``review_sort`` orders reviews by ``"due"`` date or by ``"retrievability"`` (the most
    forgotten first). ``learn_ahead_minutes`` is Anki's learn-ahead limit: a learning card due
    that soon is shown rather than "all done".
    """

    new_per_day: int = 20
    reviews_per_day: int = 200
    learning_steps: tuple[timedelta, ...] = (timedelta(minutes=1), timedelta(minutes=10))
    relearning_steps: tuple[timedelta, ...] = (timedelta(minutes=10),)
    desired_retention: float = 0.90
    maximum_interval: int = 36500  # days
    day_starts_hour: int = 4  # local hour at which the study day rolls over
    timezone: str = "UTC"  # IANA name, resolved with zoneinfo
    leech_threshold: int = 8  # lapses
    enable_fuzzing: bool = True
    parameters: tuple[float, ...] = tuple(DEFAULT_PARAMETERS)  # the FSRS model weights
    leech_action: str = "suspend"  # or "tag"
    new_mix: str = "mix"  # or "after", "before"
    review_sort: str = "due"  # or "retrievability"
    learn_ahead_minutes: int = 20

    def __post_init__(self) -> None:
        object.__setattr__(self, "learning_steps", tuple(self.learning_steps))
        object.__setattr__(self, "relearning_steps", tuple(self.relearning_steps))
        object.__setattr__(self, "parameters", tuple(float(p) for p in self.parameters))
        for name in ("new_per_day", "reviews_per_day", "leech_threshold", "learn_ahead_minutes"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise ValueError(f"{name} must be a non-negative integer, got {value!r}")
        for name in ("learning_steps", "relearning_steps"):
            steps = getattr(self, name)
            if not all(isinstance(s, timedelta) and s > timedelta(0) for s in steps):
                raise ValueError(f"{name} must be positive timedeltas, got {steps!r}")
        if not 0.0 < self.desired_retention < 1.0:
            raise ValueError(f"desired_retention must be in (0, 1), got {self.desired_retention}")
        if isinstance(self.maximum_interval, bool) or self.maximum_interval < 1:
            raise ValueError(f"maximum_interval must be >= 1 day, got {self.maximum_interval}")
        _check_hour(self.day_starts_hour)
        _zone(self.timezone)  # raises ValueError on an unknown name
        for name, allowed in (
            ("leech_action", LEECH_ACTIONS),
            ("new_mix", NEW_MIXES),
            ("review_sort", REVIEW_SORTS),
        ):
            if getattr(self, name) not in allowed:
                raise ValueError(f"{name} must be one of {allowed}, got {getattr(self, name)!r}")
        # the library validates the weights; fail here rather than at the first review
        _cached_scheduler(self)

    @property
    def tz(self) -> tzinfo:
        return _zone(self.timezone)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready; steps are stored in seconds."""
        return {
            "new_per_day": self.new_per_day,
            "reviews_per_day": self.reviews_per_day,
            "learning_steps": [s.total_seconds() for s in self.learning_steps],
            "relearning_steps": [s.total_seconds() for s in self.relearning_steps],
            "desired_retention": self.desired_retention,
            "maximum_interval": self.maximum_interval,
            "day_starts_hour": self.day_starts_hour,
            "timezone": self.timezone,
            "leech_threshold": self.leech_threshold,
            "enable_fuzzing": self.enable_fuzzing,
            "parameters": list(self.parameters),
            "leech_action": self.leech_action,
            "new_mix": self.new_mix,
            "review_sort": self.review_sort,
            "learn_ahead_minutes": self.learn_ahead_minutes,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Settings:
        """The inverse of :meth:`to_dict`; missing keys take their defaults."""
        kwargs = dict(data)
        for name in ("learning_steps", "relearning_steps"):
            if name in kwargs:
                kwargs[name] = tuple(timedelta(seconds=s) for s in kwargs[name])
        if "parameters" in kwargs:
            kwargs["parameters"] = tuple(kwargs["parameters"])
        return cls(**kwargs)


def scheduler(settings: Settings) -> fsrs.Scheduler:
    """A fresh ``fsrs.Scheduler`` configured from ``settings``.

    Its own fuzz is always off: the library fuzzes with the unseeded global random generator,
    and this module applies Anki's seeded fuzz to whole study days instead (:func:`answer_states`).
    """
    return fsrs.Scheduler(
        parameters=settings.parameters,
        desired_retention=settings.desired_retention,
        learning_steps=settings.learning_steps,
        relearning_steps=settings.relearning_steps,
        maximum_interval=settings.maximum_interval,
        enable_fuzzing=False,
    )


@functools.lru_cache(maxsize=64)
def _cached_scheduler(settings: Settings) -> fsrs.Scheduler:
    # internal use only: review_card and get_card_retrievability never mutate the scheduler
    return scheduler(settings)


# ---------------------------------------------------------------------------------------------
# Card state


@dataclass(frozen=True)
class CardState:
    """One student's scheduling state for one flashcard (``card_id`` as in ``bank.Card``).

    ``state`` is 0 for a new (never reviewed) card, otherwise the ``fsrs.State`` value:
    1 Learning, 2 Review, 3 Relearning. ``step``, ``stability``, ``difficulty``, ``due`` and
    ``last_review`` mirror ``fsrs.Card`` and are ``None`` on a new card (``due`` may be set on a
    new card but the queue ignores it). ``priority`` is set by :func:`pull_forward` and cleared
    by the next review. All datetimes are normalised to UTC on construction; naive ones raise.
    """

    card_id: str
    state: int = NEW
    step: int | None = None
    stability: float | None = None
    difficulty: float | None = None
    due: datetime | None = None
    last_review: datetime | None = None
    reps: int = 0
    lapses: int = 0
    suspended: bool = False
    leech: bool = False
    retired: bool = False
    priority: bool = False

    def __post_init__(self) -> None:
        if not isinstance(self.card_id, str) or not self.card_id:
            raise ValueError(f"card_id must be a non-empty string, got {self.card_id!r}")
        if isinstance(self.state, bool) or self.state not in STATE_NAMES:
            raise ValueError(f"state must be one of {sorted(STATE_NAMES)}, got {self.state!r}")
        object.__setattr__(self, "state", int(self.state))
        for name in ("due", "last_review"):
            value = getattr(self, name)
            if value is not None:
                object.__setattr__(self, name, _utc(value, name))
        for name in ("reps", "lapses"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise ValueError(f"{name} must be a non-negative integer, got {value!r}")
        if self.state != NEW:
            missing = [
                name
                for name in ("stability", "difficulty", "due", "last_review")
                if getattr(self, name) is None
            ]
            if self.state in (LEARNING, RELEARNING) and self.step is None:
                missing.append("step")
            if missing:
                raise ValueError(
                    f"{self.card_id}: a {STATE_NAMES[self.state]} card needs {', '.join(missing)}"
                )

    @property
    def state_name(self) -> str:
        return STATE_NAMES[self.state]

    @property
    def is_new(self) -> bool:
        return self.state == NEW

    @property
    def is_learning(self) -> bool:
        """In Learning or Relearning: short steps, shown as soon as due."""
        return self.state in (LEARNING, RELEARNING)

    @property
    def active(self) -> bool:
        """Neither suspended nor retired: eligible for queues."""
        return not (self.suspended or self.retired)

    @property
    def interval(self) -> timedelta | None:
        """The interval the card was last scheduled with (``due - last_review``)."""
        if self.due is None or self.last_review is None:
            return None
        return self.due - self.last_review

    # -- fsrs conversion --------------------------------------------------------------------

    def to_fsrs(self, now: datetime) -> fsrs.Card:
        """The ``fsrs.Card`` to review at ``now``.

        A new card becomes ``Card(state=Learning, step=0, due=now)``, which is what
        ``fsrs.Card()`` is when created at ``now``. The library's integer ``card_id`` plays no
        part in scheduling, so it is always 0 (passing it also keeps ``fsrs.Card`` from
        reading the clock and sleeping to make one up).
        """
        now = _utc(now)
        if self.state == NEW:
            return fsrs.Card(card_id=0, state=fsrs.State.Learning, step=0, due=now)
        return fsrs.Card(
            card_id=0,
            state=fsrs.State(self.state),
            step=self.step,
            stability=self.stability,
            difficulty=self.difficulty,
            due=self.due,
            last_review=self.last_review,
        )

    def with_fsrs(self, card: fsrs.Card) -> CardState:
        """A copy with the scheduling fields taken from ``card``; counters and flags kept.

        A card the library has never reviewed (no ``last_review``, no memory state) is new.
        """
        if card.last_review is None and card.stability is None and card.difficulty is None:
            return replace(
                self,
                state=NEW,
                step=None,
                stability=None,
                difficulty=None,
                due=None,
                last_review=None,
            )
        return replace(
            self,
            state=int(card.state),
            step=card.step,
            stability=card.stability,
            difficulty=card.difficulty,
            due=card.due,
            last_review=card.last_review,
        )

    @classmethod
    def from_fsrs(cls, card_id: str, card: fsrs.Card) -> CardState:
        return cls(card_id=card_id).with_fsrs(card)

    # -- persistence -------------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready; ``CardState.from_dict(s.to_dict()) == s`` exactly (floats and datetimes
        to the microsecond), also through ``json.dumps``/``json.loads``."""
        return {
            "card_id": self.card_id,
            "state": self.state,
            "step": self.step,
            "stability": self.stability,
            "difficulty": self.difficulty,
            "due": _dt_to_str(self.due),
            "last_review": _dt_to_str(self.last_review),
            "reps": self.reps,
            "lapses": self.lapses,
            "suspended": self.suspended,
            "leech": self.leech,
            "retired": self.retired,
            "priority": self.priority,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> CardState:
        def opt_float(key: str) -> float | None:
            value = data.get(key)
            return None if value is None else float(value)

        step = data.get("step")
        return cls(
            card_id=data["card_id"],
            state=int(data.get("state", NEW)),
            step=None if step is None else int(step),
            stability=opt_float("stability"),
            difficulty=opt_float("difficulty"),
            due=_dt_from_str(data.get("due"), "due"),
            last_review=_dt_from_str(data.get("last_review"), "last_review"),
            reps=int(data.get("reps", 0)),
            lapses=int(data.get("lapses", 0)),
            suspended=bool(data.get("suspended", False)),
            leech=bool(data.get("leech", False)),
            retired=bool(data.get("retired", False)),
            priority=bool(data.get("priority", False)),
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


_STEP_UNITS = (("d", 86400), ("h", 3600), ("m", 60), ("s", 1))


MAX_STEPS = 20
MAX_STEP_SECONDS = 365 * 86400  # a step of a year at most: dates stay far inside datetime's


def parse_steps(text: str) -> tuple[timedelta, ...]:
    """Learning steps as written in the settings: ``"1m 10m"``, ``"90m 1d"`` (s, m, h or d,
    whole positive numbers). Raises ValueError naming the first bad step."""
    units = dict(_STEP_UNITS)
    out = []
    for part in text.split():
        number, unit = part[:-1], part[-1:]
        if (
            unit not in units
            or not (0 < len(number) <= 9 and number.isascii() and number.isdigit())
            or int(number) == 0
        ):
            raise ValueError(part)
        seconds = int(number) * units[unit]
        if seconds > MAX_STEP_SECONDS:
            raise ValueError(f"{part} (a step is a year at most)")
        out.append(timedelta(seconds=seconds))
    if len(out) > MAX_STEPS:
        raise ValueError(f"{len(out)} steps (at most {MAX_STEPS})")
    return tuple(out)


def format_steps(steps: Iterable[timedelta]) -> str:
    """The inverse of :func:`parse_steps`: each step in the largest unit that divides it
    exactly, so ``parse_steps(format_steps(s)) == s`` (``90m`` stays ``90m``, never ``2h``)."""
    parts = []
    for step in steps:
        micro = step // timedelta(microseconds=1)
        if micro <= 0 or micro % 1_000_000:
            raise ValueError(f"a step must be a whole number of seconds, got {step}")
        seconds = micro // 1_000_000
        unit, size = next((u, n) for u, n in _STEP_UNITS if seconds % n == 0)
        parts.append(f"{seconds // size}{unit}")
    return " ".join(parts)


# ---------------------------------------------------------------------------------------------
# Study days


def study_day(now: datetime, tz: TzLike, day_starts_hour: int = 4) -> date:
    """The learner's study day at ``now``: the local date, where the day rolls over at
    ``day_starts_hour`` o'clock local time (so 3:30 am belongs to the previous day).

    Computed on the local wall clock, so it stays right across DST changes.
    """
    _check_hour(day_starts_hour)
    local = _utc(now).astimezone(_zone(tz))
    return (local - timedelta(hours=day_starts_hour)).date()


def day_bounds(day: date, tz: TzLike, day_starts_hour: int = 4) -> tuple[datetime, datetime]:
    """The UTC instants ``[start, end)`` of study day ``day``: from ``day_starts_hour`` local
    on ``day`` to the same wall time the next day (23 or 25 hours across a DST change).

    A start time that falls in a DST gap maps to the instant the clocks jump; one that occurs
    twice (clocks going back) to its first occurrence; both agree with :func:`study_day`.
    """
    _check_hour(day_starts_hour)
    zone = _zone(tz)
    start = datetime.combine(day, time(day_starts_hour), tzinfo=zone)
    end = datetime.combine(day + timedelta(days=1), time(day_starts_hour), tzinfo=zone)
    return start.astimezone(UTC), end.astimezone(UTC)


# ---------------------------------------------------------------------------------------------
# Queues


@dataclass(frozen=True)
class Queue:
    """Today's cards, as Anki's v3 scheduler would show them.

    ``learning``: (re)learning cards due now; ``review`` and ``new``: today's reviews and new
    cards within the limits; ``main``: those two in study order (new cards spread among the
    reviews, or after or before them, per ``Settings.new_mix``); ``learning_ahead``:
    (re)learning cards due within the learn-ahead limit, shown only when nothing else is left.
    ``new`` includes fresh ``CardState(card_id)`` objects for cards never seen."""

    learning: tuple[CardState, ...] = ()
    review: tuple[CardState, ...] = ()
    new: tuple[CardState, ...] = ()
    reviews_due: int = 0  # review cards due today before the daily cap
    new_available: int = 0  # new cards available before the daily cap
    next_learning_due: datetime | None = None  # the soonest (re)learning card not yet due
    learning_ahead: tuple[CardState, ...] = ()
    main: tuple[CardState, ...] = ()

    @property
    def learning_count(self) -> int:
        return len(self.learning) + len(self.learning_ahead)

    @property
    def review_count(self) -> int:
        return len(self.review)

    @property
    def new_count(self) -> int:
        return len(self.new)

    @property
    def total(self) -> int:
        return self.learning_count + len(self.review) + len(self.new)

    @property
    def next_card(self) -> CardState | None:
        """Learning cards due now first (as Anki does), then reviews and new cards in
        ``main`` order, then learning cards due within the learn-ahead limit."""
        for cards in (self.learning, self.main, self.learning_ahead):
            if cards:
                return cards[0]
        return None

    def shows(self, card_id: str) -> bool:
        """Whether the card is in today's queue (the learning ones included)."""
        return any(c.card_id == card_id for c in (*self.learning, *self.main, *self.learning_ahead))


def _topic_predicate(
    topic_filter: set[str] | frozenset[str] | None,
    card_topics: Mapping[str, str | None] | None,
) -> Callable[[str], bool]:
    if topic_filter is None:
        return lambda card_id: True
    if card_topics is None:
        raise ValueError("topic_filter needs card_topics")
    return lambda card_id: card_topics.get(card_id) in topic_filter


def _index_states(states: Sequence[CardState]) -> dict[str, CardState]:
    by_id: dict[str, CardState] = {}
    for s in states:
        if s.card_id in by_id:
            raise ValueError(f"duplicate state for card {s.card_id}")
        by_id[s.card_id] = s
    return by_id


def intersperse(reviews: Sequence[CardState], new: Sequence[CardState]) -> list[CardState]:
    """New cards spread evenly among the reviews (Anki's "mix with reviews"): the i-th of n
    new cards goes where (i + 1) / (n + 1) of the reviews have been shown; ties go to the
    review."""
    keyed = [((i + 1) / (len(reviews) + 1), 0, i, c) for i, c in enumerate(reviews)]
    keyed += [((i + 1) / (len(new) + 1), 1, i, c) for i, c in enumerate(new)]
    return [c for *_, c in sorted(keyed, key=lambda k: k[:3])]


def build_queue(
    states: Sequence[CardState],
    now: datetime,
    settings: Settings,
    new_done_today: int,
    reviews_done_today: int,
    topic_filter: set[str] | frozenset[str] | None = None,
    card_topics: Mapping[str, str | None] | None = None,
    all_card_ids_in_order: Sequence[str] | None = None,
    more_new: int = 0,
) -> Queue:
    """Today's queue at ``now``, with Anki v3's rules.

    - ``learning``: Learning/Relearning cards due by ``now``, soonest first;
      ``learning_ahead``: those due within ``settings.learn_ahead_minutes``;
    - ``review``: Review cards due before the end of today's study day (``settings.timezone``,
      ``settings.day_starts_hour``) and cards pulled forward by a quiz miss (``priority``),
      those first, then by ``settings.review_sort``: due date, or retrievability at ``now``
      (lowest first); content order breaks ties;
    - ``new``: new cards (state 0, or no stored state at all) in content order
      (``all_card_ids_in_order``; states it does not list follow in ``states`` order);
    - limits as Anki v3 counts them: the review limit covers reviews *and* new cards (both
      those answered today and those shown), so reviews take
      ``reviews_per_day - reviews_done_today - new_done_today`` and new cards at most what is
      left of it and of ``new_per_day - new_done_today``; a new card missed in a quiz
      (``priority``) is shown whatever the limits (it is due at once).

    Suspended and retired cards never appear. With ``topic_filter``, only cards whose topic in
    ``card_topics`` is in the filter do (cards without a topic are then left out).
    ``more_new`` counts further new cards that come after every new card given (and so could
    not be shown today): they only add to ``new_available``.
    """
    now = _utc(now)
    for name, value in (
        ("new_done_today", new_done_today),
        ("reviews_done_today", reviews_done_today),
        ("more_new", more_new),
    ):
        if value < 0:
            raise ValueError(f"{name} must not be negative, got {value}")
    wanted = _topic_predicate(topic_filter, card_topics)
    by_id = _index_states(states)

    order: dict[str, int] = {}
    for card_id in all_card_ids_in_order or ():
        if card_id in order:
            raise ValueError(f"duplicate card id in all_card_ids_in_order: {card_id}")
        order[card_id] = len(order)
    for s in states:
        order.setdefault(s.card_id, len(order))

    _, day_end = day_bounds(
        study_day(now, settings.tz, settings.day_starts_hour), settings.tz, settings.day_starts_hour
    )
    ahead_until = now + timedelta(minutes=settings.learn_ahead_minutes)

    learning: list[CardState] = []
    ahead: list[CardState] = []
    reviews: list[CardState] = []
    new: list[CardState] = []
    next_learning_due: datetime | None = None
    for card_id in order:
        s = by_id.get(card_id) or CardState(card_id=card_id)
        if not s.active or not wanted(card_id):
            continue
        if s.state == NEW:
            new.append(s)
            continue
        assert s.due is not None
        if s.is_learning:
            if s.due <= now:
                learning.append(s)
            else:
                if next_learning_due is None or s.due < next_learning_due:
                    next_learning_due = s.due
                if s.due <= ahead_until:
                    ahead.append(s)
        elif s.due < day_end or s.priority:
            reviews.append(s)

    learning.sort(key=lambda s: (s.due, order[s.card_id]))
    ahead.sort(key=lambda s: (s.due, order[s.card_id]))
    if settings.review_sort == "retrievability":
        reviews.sort(
            key=lambda s: (not s.priority, retrievability(s, now, settings), order[s.card_id])
        )
    else:
        reviews.sort(key=lambda s: (not s.priority, s.due, order[s.card_id]))
    new.sort(key=lambda s: (not s.priority, order[s.card_id]))

    review_room = max(0, settings.reviews_per_day - reviews_done_today - new_done_today)
    shown_reviews = reviews[:review_room]
    new_room = max(0, min(settings.new_per_day - new_done_today, review_room - len(shown_reviews)))
    missed = [s for s in new if s.priority]
    shown_new = missed + [s for s in new if not s.priority][: max(0, new_room - len(missed))]
    if settings.new_mix == "after":
        main = shown_reviews + shown_new
    elif settings.new_mix == "before":
        main = shown_new + shown_reviews
    else:
        main = intersperse(shown_reviews, shown_new)
    return Queue(
        learning=tuple(learning),
        review=tuple(shown_reviews),
        new=tuple(shown_new),
        reviews_due=len(reviews),
        new_available=len(new) + more_new,
        next_learning_due=next_learning_due,
        learning_ahead=tuple(ahead),
        main=tuple(main),
    )


def study_ahead(
    states: Sequence[CardState],
    now: datetime,
    settings: Settings,
    limit: int,
    topic_filter: set[str] | frozenset[str] | None = None,
    card_topics: Mapping[str, str | None] | None = None,
) -> list[CardState]:
    """Up to ``limit`` Review cards to study ahead once today's queue is empty: active cards
    due after today's study day, not already answered today, soonest first. (Re)learning
    cards keep their steps: they come back through the queue, learn-ahead included.)"""
    now = _utc(now)
    if limit < 0:
        raise ValueError(f"limit must not be negative, got {limit}")
    wanted = _topic_predicate(topic_filter, card_topics)
    tz, hour = settings.tz, settings.day_starts_hour
    today = study_day(now, tz, hour)
    _, day_end = day_bounds(today, tz, hour)
    ahead = [
        s
        for s in states
        if s.active
        and s.state == REVIEW
        and s.due is not None
        and s.due >= day_end
        and not s.priority
        and (s.last_review is None or study_day(s.last_review, tz, hour) < today)
        and wanted(s.card_id)
    ]
    ahead.sort(key=lambda s: (s.due, s.card_id))
    return ahead[:limit]


def pull_forward(state: CardState, now: datetime) -> CardState:
    """A card missed in a quiz: mark it ``priority`` so that today's queue shows it first.

    A new card goes to the front of today's new cards, even past the daily new-card limit; a
    Review card to the front of today's reviews whatever its due date (which is kept, so its
    interval is still known); a (re)learning card becomes due now. ``priority`` is cleared by
    the next review. Suspended and retired cards are returned unchanged: a quiz miss does not
    revive them.
    """
    now = _utc(now)
    if not state.active:
        return state
    if state.state in (NEW, REVIEW):
        return replace(state, priority=True)
    assert state.due is not None
    return replace(state, due=min(state.due, now), priority=True)


def retire_missing(states: Iterable[CardState], live_ids: Iterable[str]) -> list[CardState]:
    """``states`` with ``retired`` set from whether their card is still in the content (a card
    whose fact was deleted is retired, history kept; one that is back, not)."""
    live = set(live_ids)
    return [
        s if s.retired == (s.card_id not in live) else replace(s, retired=s.card_id not in live)
        for s in states
    ]


# ---------------------------------------------------------------------------------------------
# Statistics


def retrievability(state: CardState, now: datetime, settings: Settings) -> float:
    """The predicted probability of recalling the card at ``now`` (0.0 for a new card): FSRS's
    forgetting curve at the time since the last review to the second (the library itself
    counts whole days, so 23 hours after a review it would still say 100%)."""
    now = _utc(now)
    if state.state == NEW or state.last_review is None or not state.stability:
        return 0.0
    days = (now - state.last_review).total_seconds() / 86400.0
    return recall_probability(state.stability, days, settings)


def recall_probability(stability: float, elapsed_days: float, settings: Settings) -> float:
    """FSRS's forgetting curve: the probability of recalling a memory of ``stability`` days
    ``elapsed_days`` after its last review (:func:`retrievability` of a stored state; class
    statistics call it straight on their rows' columns, without building states)."""
    sched = _cached_scheduler(settings)
    return float((1 + sched._FACTOR * max(0.0, elapsed_days) / stability) ** sched._DECAY)


@dataclass(frozen=True)
class CardCounts:
    """Anki's card-count categories. Suspended (including leeches) and retired cards count
    only there, not under their scheduling state."""

    new: int = 0
    learning: int = 0  # Learning and Relearning
    young: int = 0  # Review, interval < 21 days
    mature: int = 0  # Review, interval >= 21 days
    suspended: int = 0
    retired: int = 0

    @property
    def total(self) -> int:
        return self.new + self.learning + self.young + self.mature + self.suspended + self.retired


def counts(states: Iterable[CardState], all_card_ids: Iterable[str] | None = None) -> CardCounts:
    """Count ``states`` by category; ids in ``all_card_ids`` with no state count as new."""
    tally: dict[str, int] = defaultdict(int)
    seen: set[str] = set()
    for s in states:
        seen.add(s.card_id)
        if s.retired:
            tally["retired"] += 1
        elif s.suspended:
            tally["suspended"] += 1
        elif s.state == NEW:
            tally["new"] += 1
        elif s.is_learning:
            tally["learning"] += 1
        else:
            interval = s.interval
            mature = interval is not None and interval >= MATURE_INTERVAL
            tally["mature" if mature else "young"] += 1
    if all_card_ids is not None:
        tally["new"] += len(set(all_card_ids) - seen)
    return CardCounts(**tally)


def future_due(
    states: Iterable[CardState],
    now: datetime,
    tz: TzLike,
    days: int = 30,
    day_starts_hour: int = 4,
) -> list[tuple[date, int]]:
    """How many active, non-new cards fall due on each of the next ``days`` study days,
    today first; overdue cards count for today."""
    if days < 0:
        raise ValueError(f"days must not be negative, got {days}")
    today = study_day(now, tz, day_starts_hour)
    per_day: dict[date, int] = defaultdict(int)
    for s in states:
        if not s.active or s.state == NEW or s.due is None:
            continue
        per_day[max(today, study_day(s.due, tz, day_starts_hour))] += 1
    return [(today + timedelta(days=i), per_day[today + timedelta(days=i)]) for i in range(days)]


def reviews_by_day(
    logs: Iterable[ReviewLogEntry], tz: TzLike, day_starts_hour: int = 4
) -> dict[date, int]:
    """Reviews per study day (for a heatmap); days without reviews are absent."""
    result: dict[date, int] = defaultdict(int)
    for log in logs:
        result[study_day(log.reviewed_at, tz, day_starts_hour)] += 1
    return dict(sorted(result.items()))


class Retention(NamedTuple):
    passed: int
    failed: int
    rate: float | None  # passed / (passed + failed); None with no counted reviews


def true_retention(
    logs: Iterable[ReviewLogEntry], tz: TzLike, day_starts_hour: int = 4
) -> Retention:
    """Anki's true retention: only the first review of a card on each study day counts, and
    only if the card was in Review state before it; Again fails, Hard/Good/Easy pass."""
    first: dict[tuple[str, date], ReviewLogEntry] = {}
    for log in logs:
        key = (log.card_id, study_day(log.reviewed_at, tz, day_starts_hour))
        if key not in first or log.reviewed_at < first[key].reviewed_at:
            first[key] = log
    passed = failed = 0
    for log in first.values():
        if log.state_before_code != REVIEW:
            continue
        if log.rating == AGAIN:
            failed += 1
        else:
            passed += 1
    total = passed + failed
    return Retention(passed, failed, passed / total if total else None)


@dataclass(frozen=True)
class TodaySummary:
    reviews: int = 0
    again: int = 0
    time_spent: timedelta = field(default_factory=timedelta)  # sum of known durations

    @property
    def again_rate(self) -> float | None:
        return self.again / self.reviews if self.reviews else None


def _logs_today(
    logs: Iterable[ReviewLogEntry], now: datetime, tz: TzLike, day_starts_hour: int
) -> list[ReviewLogEntry]:
    today = study_day(now, tz, day_starts_hour)
    return [log for log in logs if study_day(log.reviewed_at, tz, day_starts_hour) == today]


def today_summary(
    logs: Iterable[ReviewLogEntry], now: datetime, tz: TzLike, day_starts_hour: int = 4
) -> TodaySummary:
    """Reviews done in the current study day, how many were Again, and the time they took."""
    today = _logs_today(logs, now, tz, day_starts_hour)
    return TodaySummary(
        reviews=len(today),
        again=sum(1 for log in today if log.rating == AGAIN),
        time_spent=timedelta(milliseconds=sum(log.duration_ms or 0 for log in today)),
    )


class DoneToday(NamedTuple):
    new: int  # new cards introduced today
    reviews: int  # Review-state cards answered today


def done_today(logs: Iterable[ReviewLogEntry], now: datetime, settings: Settings) -> DoneToday:
    """The ``new_done_today`` and ``reviews_done_today`` that :func:`build_queue` needs, from
    the current study day's logs (so undoing a review, which deletes its log, gives the slot
    back). Learning and relearning steps count against neither limit, as in Anki."""
    today = _logs_today(logs, now, settings.tz, settings.day_starts_hour)
    return DoneToday(
        new=sum(1 for log in today if log.state_before_code == NEW),
        reviews=sum(1 for log in today if log.state_before_code == REVIEW),
    )
