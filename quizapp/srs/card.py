"""One student's scheduling state for one flashcard: :class:`CardState`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any, TypedDict

import fsrs

from .days import _dt_from_str, _dt_to_str, _utc
from .settings import LEARNING, NEW, RELEARNING, STATE_NAMES

# ---------------------------------------------------------------------------------------------
# Card state


class CardStateDict(TypedDict):
    """:meth:`CardState.to_dict`, as a review log's ``before`` and ``after`` store it (JSON)."""

    card_id: str
    state: int
    step: int | None
    stability: float | None
    difficulty: float | None
    due: str | None  # ISO 8601, UTC
    last_review: str | None
    reps: int
    lapses: int
    suspended: bool
    leech: bool
    retired: bool
    priority: bool


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

    def to_dict(self) -> CardStateDict:
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
