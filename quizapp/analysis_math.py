"""The small statistics of the item analysis (``quizapp.analysis``): means, sample variances
and covariances that come out exactly 0 for constant marks, medians; pure functions."""

from __future__ import annotations

import math
from collections.abc import Sequence

_EPS = 1e-9  # relative spread under which a list of marks counts as constant


def _mean(values: Sequence[float]) -> float:
    return math.fsum(values) / len(values)


def _constant(values: Sequence[float]) -> bool:
    """True when the values are all equal, up to rounding."""
    scale = max(1.0, max(abs(v) for v in values))
    return max(values) - min(values) <= _EPS * scale


def _variance(values: Sequence[float]) -> float | None:
    """Sample variance (divisor n - 1); exactly 0 for constant values; None if n < 2."""
    n = len(values)
    if n < 2:
        return None
    if _constant(values):
        return 0.0
    m = _mean(values)
    return math.fsum((v - m) ** 2 for v in values) / (n - 1)


def _covariance(xs: Sequence[float], ys: Sequence[float]) -> float | None:
    """Sample covariance; exactly 0 if either list is constant; None if n < 2."""
    n = len(xs)
    if n < 2:
        return None
    if _constant(xs) or _constant(ys):
        return 0.0
    mx, my = _mean(xs), _mean(ys)
    return math.fsum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / (n - 1)


def _median(values: Sequence[float]) -> float:
    ordered = sorted(values)
    n = len(ordered)
    mid = n // 2
    return ordered[mid] if n % 2 else (ordered[mid - 1] + ordered[mid]) / 2


def _clamp(value: float, low: float, high: float) -> float:
    return min(high, max(low, value))
