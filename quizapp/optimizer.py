"""Fitting the FSRS parameters to a learner's own reviews with ``fsrs-rs-python`` (Anki's own
Rust FSRS optimizer; no torch, nothing downloaded at run time).

Pure: the review log and the learner's zone and rollover hour go in, parameters and the log
loss before and after come out. Days between reviews are study days, as the scheduler counts
them (:func:`quizapp.srs.elapsed_days`), and a card's history is used from its first answer
as a new card, as Anki does.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import fsrs_rs_python as fsrs_rs

from . import srs

MIN_REVIEWS = 400  # fewer reviews than this and the fit is not worth having (Anki asks ~400)


@dataclass(frozen=True)
class Optimized:
    parameters: tuple[float, ...]
    reviews: int  # reviews used
    items: int  # training items (one per review after a card's first, on a later day)
    log_loss_before: float
    log_loss_after: float
    rmse_before: float
    rmse_after: float


def review_sequences(
    logs: Iterable[srs.ReviewLogEntry], tz: srs.TzLike, day_starts_hour: int
) -> tuple[list[list[tuple[int, int]]], int]:
    """The training sequences in ``logs`` as ``(rating, study days since the previous
    review)`` pairs, and how many reviews they use.

    Per card, its reviews in time order starting at its first answer as a new card (earlier
    ones, e.g. cut by an undo, are dropped); each review after the first that falls on a
    later study day than the one before ends a sequence holding the card's history up to it.
    """
    by_card: dict[str, list[srs.ReviewLogEntry]] = defaultdict(list)
    for log in logs:
        by_card[log.card_id].append(log)
    sequences: list[list[tuple[int, int]]] = []
    used = 0
    for card_logs in by_card.values():
        card_logs.sort(key=lambda log: log.reviewed_at)
        first = next((i for i, log in enumerate(card_logs) if log.state_before_code == 0), None)
        if first is None:
            continue
        history = card_logs[first:]
        reviews: list[tuple[int, int]] = []
        previous = None
        for log in history:
            delta = (
                0
                if previous is None
                else srs.elapsed_days(previous, log.reviewed_at, tz, day_starts_hour)
            )
            reviews.append((log.rating, delta))
            previous = log.reviewed_at
            if len(reviews) > 1 and delta > 0:
                sequences.append(list(reviews))
        used += len(history)
    return sequences, used


def training_items(
    logs: Iterable[srs.ReviewLogEntry], tz: srs.TzLike, day_starts_hour: int
) -> tuple[list[fsrs_rs.FSRSItem], int]:
    """:func:`review_sequences` as ``fsrs_rs.FSRSItem`` objects."""
    sequences, used = review_sequences(logs, tz, day_starts_hour)
    items = [fsrs_rs.FSRSItem([fsrs_rs.FSRSReview(r, d) for r, d in seq]) for seq in sequences]
    return items, used


def optimize(
    logs: Sequence[srs.ReviewLogEntry],
    settings: srs.Settings,
    minimum_reviews: int = MIN_REVIEWS,
) -> Optimized:
    """Fit the parameters to one learner's ``logs``; ValueError when there are too few
    reviews. Days between reviews are study days in ``settings``' zone."""
    sequences, used = review_sequences(logs, settings.tz, settings.day_starts_hour)
    return fit(sequences, used, settings, minimum_reviews)


def fit(
    sequences: Sequence[Sequence[tuple[int, int]]],
    used: int,
    settings: srs.Settings,
    minimum_reviews: int = MIN_REVIEWS,
) -> Optimized:
    """Fit the parameters to :func:`review_sequences` output (of one learner, or of several
    put together: a course); ValueError when there are too few reviews.

    The result's parameters are accepted by :class:`quizapp.srs.Settings` (checked here), and
    the log losses are both measured on the same items, with ``settings``' parameters and
    with the new ones.
    """
    if used < minimum_reviews or not sequences:
        raise ValueError(
            f"optimizing needs at least {minimum_reviews} reviews of cards first seen here; "
            f"there are {used}"
        )
    items = [fsrs_rs.FSRSItem([fsrs_rs.FSRSReview(r, d) for r, d in seq]) for seq in sequences]
    fitted = fsrs_rs.FSRS(list(fsrs_rs.DEFAULT_PARAMETERS)).compute_parameters(
        items, num_relearning_steps=len(settings.relearning_steps)
    )
    parameters = tuple(float(p) for p in fitted)
    srs.Settings.from_dict(settings.to_dict() | {"parameters": list(parameters)})  # accepted?
    before = fsrs_rs.FSRS(list(settings.parameters)).evaluate(items)
    after = fsrs_rs.FSRS(list(parameters)).evaluate(items)
    return Optimized(
        parameters=parameters,
        reviews=used,
        items=len(items),
        log_loss_before=float(before.log_loss),
        log_loss_after=float(after.log_loss),
        rmse_before=float(before.rmse_bins),
        rmse_after=float(after.rmse_bins),
    )
