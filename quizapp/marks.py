"""Marks, exactly: pure functions, no Flask, no database.

A question's mark is a fraction of its points (1/3 of a cloze with three blanks, 2/3 of a
multiple-answer question...). Marks are kept as exact ``fractions.Fraction`` values from the
grader to the total and to the quiz grade over several attempts, and rounded **once**, half
up, to the quiz's decimal places, only when shown or exported. Every page and every export
goes through ``round_mark`` so that 85/6 reads 14.17 everywhere (never 14.16 in one file
because a percent rounded to one decimal was turned back into points).

Exact marks are stored as text (``"85/6"``, ``"14"``), which every database keeps as is.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction

DEFAULT_DECIMALS = 2
MAX_DECIMALS = 5
# The graders' partial credits are k/n with n at most a few dozen (options, blanks, slots),
# so a float they computed is recovered exactly by the nearest fraction of small denominator.
MAX_DENOMINATOR = 10_000


def from_float(value: float) -> Fraction:
    """The exact mark a grader meant by ``value`` (e.g. 0.6666666666666666 -> 2/3)."""
    return Fraction(value).limit_denominator(MAX_DENOMINATOR)


def parse(text: str | None, fallback: float | None = None) -> Fraction | None:
    """A stored exact mark (``"85/6"``); else ``fallback`` (an old float column); else None."""
    if text:
        try:
            return Fraction(text)
        except (ValueError, ZeroDivisionError):
            pass
    if fallback is None:
        return None
    return Fraction(Decimal(repr(float(fallback))))


def dump(value: Fraction) -> str:
    """The text stored for an exact mark."""
    return str(value)


def round_mark(value: Fraction, decimals: int = DEFAULT_DECIMALS) -> Decimal:
    """``value`` rounded half up (a tie goes away from zero) to ``decimals`` places, exactly."""
    scaled = abs(value) * 10**decimals
    whole = scaled.numerator // scaled.denominator
    if scaled - whole >= Fraction(1, 2):
        whole += 1
    return Decimal(-whole if value < 0 else whole).scaleb(-decimals)


def percent(total: Fraction, max_points: Fraction | float, decimals: int) -> Decimal | None:
    """``total`` out of ``max_points`` as a percent, rounded once."""
    maximum = max_points if isinstance(max_points, Fraction) else from_float(max_points)
    if not maximum:
        return None
    return round_mark(total * 100 / maximum, decimals)


def text(value: Decimal | None) -> str:
    """A rounded mark for people and CSV cells: ``14.17``, ``14.1``, ``14``; "" for None."""
    if value is None:
        return ""
    if value == value.to_integral_value():
        return str(value.quantize(Decimal(1)))
    return format(value.normalize(), "f")


def combine(method: str, totals: Sequence[Fraction]) -> Fraction | None:
    """A quiz's grade over the submitted attempts (in order), exact, under its method."""
    if not totals:
        return None
    if method == "highest":
        return max(totals)
    if method == "average":
        return sum(totals, Fraction(0)) / len(totals)
    if method == "first":
        return totals[0]
    if method == "last":
        return totals[-1]
    raise ValueError(f"unknown grading method {method!r}")


def ratio(exact: Fraction | None, max_points: float) -> Fraction:
    """An attempt's total as an exact fraction of its maximum (0 when it has none)."""
    maximum = from_float(max_points)
    return (exact or Fraction(0)) / maximum if maximum else Fraction(0)


def grade_percent(
    method: str, attempts: Sequence[tuple[Fraction | None, float]], decimals: int
) -> Decimal | None:
    """A quiz's grade in percent over its submitted attempts ((exact points, maximum) in
    order), combined exactly under the quiz's method and rounded once: the one figure the
    student's pages, the instructor's pages and every export show."""
    combined = combine(method, [ratio(exact, maximum) for exact, maximum in attempts])
    return None if combined is None else round_mark(combined * 100, decimals)
