"""A learner simulated through the app's own queue and review path (``quizapp cards
simulate``): one JSON-ready line per answered card."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from . import srs
from .cards import daily_queue, load_state, record_review
from .clock import iso_z


def simulate_event(
    user_id: int,
    essay: str,
    card_ids: Sequence[str],
    card_topics: dict[str, str | None],
    at: datetime,
    card_id: str,
    rating: int,
    settings: srs.Settings,
) -> dict[str, Any]:
    """Answer ``card_id`` with ``rating`` at ``at`` through the app's own queue and review
    path, as a learner would; the JSON-ready line ``quizapp cards simulate`` prints.

    ``queued`` says whether today's queue (learn-ahead included) offered the card then;
    ``interval_days`` is the interval in study days for a Review card, and the time to the
    next learning step in (fractional) days otherwise.
    """
    queue = daily_queue(user_id, essay, card_ids, card_topics, at, settings)
    before = load_state(user_id, essay, card_id)
    recorded = record_review(user_id, essay, card_id, rating, at, settings, before.reps)
    state = load_state(user_id, essay, card_id)
    line: dict[str, Any] = {
        "at": iso_z(at),
        "card": card_id,
        "rating": rating,
        "queued": queue.shows(card_id),
    }
    if recorded is None:
        line["error"] = "suspended" if before.suspended else "not reviewable"
    interval: float | int | None = srs.scheduled_days(state, settings)
    if interval is None and state.due is not None and state.last_review is not None:
        interval = round((state.due - state.last_review) / timedelta(days=1), 6)
    line.update(
        state=state.state_name,
        step=state.step,
        stability=state.stability,
        difficulty=state.difficulty,
        due=iso_z(state.due),
        interval_days=interval,
        leech=state.leech,
        suspended=state.suspended,
    )
    return line
