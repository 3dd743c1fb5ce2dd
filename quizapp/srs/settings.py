"""States, ratings and the scheduling :class:`Settings` (with Anki's defaults), the ``fsrs``
scheduler built from them, and learning steps as text.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import timedelta, tzinfo
from typing import Any, TypedDict

import fsrs
from fsrs.scheduler import DEFAULT_PARAMETERS

from .days import _check_hour, _zone

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


LEECH_ACTIONS = ("suspend", "tag")
NEW_MIXES = ("mix", "after", "before")
REVIEW_SORTS = ("due", "retrievability")


# ---------------------------------------------------------------------------------------------
# Settings


class SettingsDict(TypedDict, total=False):
    """:meth:`Settings.to_dict` (JSON): steps in seconds; a missing key takes its default."""

    new_per_day: int
    reviews_per_day: int
    learning_steps: list[float]
    relearning_steps: list[float]
    desired_retention: float
    maximum_interval: int
    day_starts_hour: int
    timezone: str
    leech_threshold: int
    enable_fuzzing: bool
    parameters: list[float]
    leech_action: str
    new_mix: str
    review_sort: str
    learn_ahead_minutes: int


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

    def to_dict(self) -> SettingsDict:
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
