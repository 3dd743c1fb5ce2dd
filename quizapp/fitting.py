"""Fitting the FSRS parameters to reviews and storing them: a student's own (the settings
page) or a whole course's (``quizapp cards optimize``); the fit itself is ``optimizer``."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select

from . import optimizer, srs
from .cards import (
    SETTINGS_VERSION,
    log_entries,
    reschedule_user,
    settings_for,
    stored_settings,
    user_logs,
)
from .extensions import db
from .models import ReviewLog, User, utcnow


def figures(result: optimizer.Optimized, at: datetime) -> dict[str, Any]:
    """What the settings page shows of the last fit (``User.srs_settings["optimized"]``)."""
    return {
        "at": at.isoformat(),
        "reviews": result.reviews,
        "log_loss_before": result.log_loss_before,
        "log_loss_after": result.log_loss_after,
        "rmse_before": result.rmse_before,
        "rmse_after": result.rmse_after,
    }


def optimize_user(user: User, now: datetime) -> tuple[optimizer.Optimized, int]:
    """Fit the parameters to ``user``'s own reviews, keep them and reschedule their cards;
    returns the fit and how many cards moved. ValueError (too few reviews) changes nothing."""
    current = settings_for(user)
    result = optimizer.optimize(user_logs(user.id), current)
    data = dict(user.srs_settings or {})
    data["parameters"] = list(result.parameters)
    data["optimized"] = figures(result, now)
    return result, _store(user, current, data)


def reset_parameters(user: User) -> int:
    """Back to the default parameters; returns how many cards moved."""
    current = settings_for(user)
    data = dict(user.srs_settings or {})
    data["parameters"] = list(srs.Settings().parameters)
    data.pop("optimized", None)
    return _store(user, current, data)


def _store(user: User, current: srs.Settings, data: dict[str, Any]) -> int:
    data["version"] = SETTINGS_VERSION
    data["enable_fuzzing"] = current.enable_fuzzing
    user.srs_settings = data  # type: ignore[assignment]
    db.session.commit()
    return reschedule_user(user.id, current, settings_for(user))


def optimize_course(essay: str, apply: bool) -> tuple[optimizer.Optimized, int]:
    """Fit FSRS parameters to every student's reviews of ``essay`` (each student's days in
    their own zone). With ``apply``, students who have not fitted parameters of their own
    get these, and their cards are rescheduled. Returns the fit and how many students got it.
    """
    rows = db.session.execute(
        select(ReviewLog).where(ReviewLog.essay == essay).order_by(ReviewLog.reviewed_at)
    ).scalars()
    by_user: dict[int, list[ReviewLog]] = {}
    for row in rows:
        by_user.setdefault(row.user_id, []).append(row)
    sequences: list[list[tuple[int, int]]] = []
    used = 0
    for user_id, user_rows in by_user.items():
        user = db.session.get(User, user_id)
        assert user is not None
        mine = settings_for(user)
        seqs, n = optimizer.review_sequences(log_entries(user_rows), mine.tz, mine.day_starts_hour)
        sequences += seqs
        used += n
    result = optimizer.fit(sequences, used, srs.Settings())
    applied = 0
    if apply:
        for user_id in by_user:
            user = db.session.get(User, user_id)
            assert user is not None
            own = (user.srs_settings or {}).get("optimized")
            if own and own.get("scope") != "course":
                continue  # their own fit stays
            before = settings_for(user)
            data = stored_settings(before) | {
                "parameters": list(result.parameters),
                "optimized": {"scope": "course", "essay": essay, **figures(result, utcnow())},
            }
            user.srs_settings = data
            db.session.commit()
            reschedule_user(user_id, before, settings_for(user))
            applied += 1
    return result, applied
