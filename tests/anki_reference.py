"""An independent model of how Anki (v3 scheduler, FSRS on) schedules one card, for tests.

Written from Anki's rules (rslib/src/scheduler/states/{learning,relearning,review,fuzz}.rs and
timing.rs), not from ``quizapp.srs``: days are integer day numbers counted from the learner's
rollover hour in their zone; the memory model is FSRS as the ``fsrs`` library computes it, given
the number of days elapsed as Anki counts them. Only default-style settings are modelled: at
least one learning and one relearning step, intraday steps.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import fsrs


def day_number(at: datetime, zone: str, rollover: int) -> date:
    """Anki's day of ``at``: the local date, the day starting at ``rollover`` o'clock."""
    local = at.astimezone(ZoneInfo(zone))
    return local.date() if local.hour >= rollover else local.date() - timedelta(days=1)


def fuzz_bounds(interval: float, minimum: int, maximum: int) -> tuple[int, int]:
    """Anki manual, "Fuzz": no fuzz under 2.5 days; 15% of the days between 2.5 and 7, 10%
    between 7 and 20, 5% beyond, plus one day, either side."""
    minimum = min(minimum, maximum)
    interval = min(max(interval, minimum), maximum)
    if interval < 2.5:
        delta = 0.0
    else:
        delta = 1.0 + 0.15 * (min(interval, 7) - 2.5)
        delta += 0.1 * max(0.0, min(interval, 20) - 7) + 0.05 * max(0.0, interval - 20)
    lower = min(max(math.floor(interval - delta + 0.5), minimum), maximum)
    upper = min(max(math.floor(interval + delta + 0.5), minimum), maximum)
    if upper == lower and 2 < upper < maximum:
        upper += 1
    return lower, upper


def fuzzed(interval: float, minimum: int, maximum: int, factor: float | None) -> int:
    minimum = min(max(minimum, 1), max(maximum, 1))
    if factor is None:
        return min(max(math.floor(interval + 0.5), minimum), maximum)
    lower, upper = fuzz_bounds(interval, minimum, maximum)
    return math.floor(lower + factor * (1 + upper - lower))


def floor_from_previous(interval: float, previous: int, maximum: int) -> int:
    """A passed review: more than the previous interval when FSRS grew it, and not less than
    it when it stayed within the fuzz range."""
    if math.floor(interval + 0.5) > previous:
        return previous + 1
    if previous <= fuzz_bounds(interval, 1, maximum)[1]:
        return previous
    return 0


@dataclass(frozen=True)
class Card:
    state: str = "new"  # new, learning, review, relearning
    step: int = 0  # index of the current (re)learning step
    stability: float | None = None
    difficulty: float | None = None
    last_review: datetime | None = None
    due_time: datetime | None = None  # (re)learning cards
    due_day: date | None = None  # review cards
    scheduled_days: int = 0
    reps: int = 0


@dataclass(frozen=True)
class Model:
    zone: str
    rollover: int = 4
    retention: float = 0.9
    learning_steps: tuple[timedelta, ...] = (timedelta(minutes=1), timedelta(minutes=10))
    relearning_steps: tuple[timedelta, ...] = (timedelta(minutes=10),)
    maximum: int = 36500

    def _fsrs(self) -> fsrs.Scheduler:
        return fsrs.Scheduler(desired_retention=self.retention, enable_fuzzing=False)

    def memory(self, card: Card, now: datetime, rating: int) -> tuple[float, float]:
        """FSRS's next stability and difficulty, ``days_elapsed`` counted in Anki's days."""
        sched = self._fsrs()
        if card.state == "new":
            c = fsrs.Card(card_id=1, due=now)
        else:
            assert card.last_review is not None
            elapsed = (
                day_number(now, self.zone, self.rollover)
                - day_number(card.last_review, self.zone, self.rollover)
            ).days
            c = fsrs.Card(
                card_id=1,
                state=fsrs.State.Review,
                stability=card.stability,
                difficulty=card.difficulty,
                last_review=now - timedelta(days=max(0, elapsed)),
                due=now,
            )
        out, _ = sched.review_card(c, fsrs.Rating(rating), now)
        return float(out.stability), float(out.difficulty)

    def interval(self, stability: float) -> float:
        sched = self._fsrs()
        return stability / sched._FACTOR * (self.retention ** (1 / sched._DECAY) - 1)

    def answer(self, card: Card, now: datetime, rating: int, factor: float | None) -> Card:
        today = day_number(now, self.zone, self.rollover)
        memory = {r: self.memory(card, now, r) for r in (1, 2, 3, 4)}
        raw = {r: self.interval(memory[r][0]) for r in memory}
        s, d = memory[rating]
        # Anki stores stability to 4 places and difficulty to 3 (storage/card/data.rs)
        s, d = math.floor(s * 1e4 + 0.5) / 1e4, math.floor(d * 1e3 + 0.5) / 1e3
        base = replace(card, stability=s, difficulty=d, last_review=now, reps=card.reps + 1)

        def review(days: int) -> Card:
            return replace(
                base,
                state="review",
                due_day=today + timedelta(days=days),
                due_time=None,
                scheduled_days=days,
            )

        def step(state: str, index: int, delay: timedelta) -> Card:
            return replace(base, state=state, step=index, due_time=now + delay, due_day=None)

        if card.state == "review":
            if rating == 1:
                return step("relearning", 0, self.relearning_steps[0])
            days, floor = {}, 1
            for r in (2, 3, 4):
                minimum = max(floor, floor_from_previous(raw[r], card.scheduled_days, self.maximum))
                days[r] = fuzzed(raw[r], minimum, self.maximum, factor)
                floor = days[r] + 1
            return review(days[rating])
        steps = self.relearning_steps if card.state == "relearning" else self.learning_steps
        state = "relearning" if card.state == "relearning" else "learning"
        index = 0 if card.state == "new" else card.step
        good = fuzzed(raw[3], 1, self.maximum, factor)
        if rating == 4:
            return review(fuzzed(max(1, math.floor(raw[4] + 0.5)), good + 1, self.maximum, factor))
        if rating == 1:
            return step(state, 0, steps[0])
        if rating == 2:
            if index == 0:
                delay = (steps[0] + steps[1]) / 2 if len(steps) > 1 else steps[0] * 1.5
            else:
                delay = steps[index]
            return step(state, index, delay)
        if index + 1 < len(steps):
            return step(state, index + 1, steps[index + 1])
        return review(fuzzed(max(1, math.floor(raw[3] + 0.5)), 1, self.maximum, factor))
