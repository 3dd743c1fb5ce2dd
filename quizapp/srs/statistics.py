"""Statistics over card states and review logs: counts, future due, retention, today's summary."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import NamedTuple

from .card import CardState
from .days import TzLike, _utc, study_day
from .review import ReviewLogEntry
from .settings import AGAIN, MATURE_INTERVAL, NEW, REVIEW, Settings, _cached_scheduler

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
