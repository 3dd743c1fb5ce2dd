"""Statistics over a learner's work: pure functions with explicit inputs."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta
from statistics import fmean
from zoneinfo import ZoneInfo


def mastery_by_topic(
    answers: Iterable[tuple[str, Sequence[str], float, datetime]],
) -> dict[str, float]:
    """Per topic, the mean score (0-1) of the latest answer to each question.

    ``answers`` holds (item id, item topics, fraction of points, answered at). A question
    answered several times counts once, by its latest answer, so mastery tracks what the
    student knows now.
    """
    latest: dict[str, tuple[datetime, float, Sequence[str]]] = {}
    for item_id, topics, fraction, at in answers:
        if item_id not in latest or at >= latest[item_id][0]:
            latest[item_id] = (at, fraction, topics)
    per_topic: dict[str, list[float]] = defaultdict(list)
    for _at, fraction, topics in latest.values():
        for topic in topics:
            per_topic[topic].append(fraction)
    return {topic: round(fmean(values), 3) for topic, values in per_topic.items()}


def local_day(moment: datetime, tz: str, day_starts_hour: int = 0) -> date:
    """The learner's calendar day for a UTC moment."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime; pass an aware UTC datetime")
    return (moment.astimezone(ZoneInfo(tz)) - timedelta(hours=day_starts_hour)).date()


def study_streak(days: Iterable[date], today: date) -> int:
    """Consecutive study days ending today (or yesterday, when today is not done yet)."""
    studied = set(days)
    day = today if today in studied else today - timedelta(days=1)
    streak = 0
    while day in studied:
        streak += 1
        day -= timedelta(days=1)
    return streak
