"""The daily queue (Anki's v3 order), study-ahead, pulling cards forward, retiring cards."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from .card import CardState
from .days import _utc, day_bounds, study_day
from .settings import NEW, REVIEW, Settings
from .statistics import retrievability

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
