"""Item analysis of quiz attempts: Moodle's quiz statistics report, as pure functions.

The figures, their names and their formulas follow Moodle's quiz statistics report:

- the question figures as ``core_question\\statistics\\questions\\calculator``
  (``question/classes/statistics/questions/calculator.php``) computes them and
  ``quiz_statistics_table`` (``mod/quiz/report/statistics/statistics_table.php``) shows them;
- the test figures as ``quiz_statistics\\calculator``
  (``mod/quiz/report/statistics/classes/calculator.php``) computes them;
- the random guess scores as each question type's ``get_random_guess_score()``;
- the definitions are written up in the Moodle developer docs page "Quiz statistics
  calculations" (https://docs.moodle.org/dev/Quiz_statistics_calculations).

Input
-----
A sequence of :class:`AttemptScores`, one per attempt. The caller picks the attempts: Moodle
uses each student's first attempt by default and offers "all attempts" as an option, each
attempt then counting as if a different student had made it. An attempt holds one
:class:`ItemResponse` per slot (question position). Give unanswered questions a mark of 0
(Moodle uses the final mark of every question in the attempt). Marks may be negative
(negative marking) but not above the maximum.

Notation
--------
For a group of responses (one slot, or one item id) with ``s`` responses, response ``i``
having mark ``x_i`` out of ``m_i``, in an attempt whose total is ``T_i = sum of the attempt's
marks`` (Moodle's ``summarks``), the *rest of the test* is ``o_i = T_i - x_i``. Means are
``mean(y) = sum(y_i) / s``; variances and covariances are the *sample* ones (divisor ``s - 1``),
as in Moodle::

    V(y)    = sum((y_i - mean(y))^2) / (s - 1)
    C(y, z) = sum((y_i - mean(y)) * (z_i - mean(z))) / (s - 1)

Question figures (per slot, and per item id), all in %
------------------------------------------------------
count (Moodle ``s``)
    Number of responses in the group.
facility index (F)
    ``F = 100 * mean(x_i / m_i)``; Moodle: ``100 * mean(x) / maxmark``, the same when the
    maximum mark is constant (in Moodle it is the slot's). ``None`` if a maximum is 0.
standard deviation (SD)
    ``SD = 100 * sqrt(V(x_i / m_i))``; Moodle: ``100 * sqrt(V(x)) / maxmark``. Needs s >= 2.
random guess score (RGS)
    The mean, over the group's responses, of :func:`random_guess_score`: Moodle's
    ``get_random_guess_score()`` of each question type, in %:

    - single-answer choice with ``n`` options (one right, the rest worth 0): ``100 / n``
      (Moodle ``qtype_multichoice``: the mean of the options' fractions);
    - true/false: 50 (``qtype_truefalse``);
    - multiple-answer choice: ``None``; Moodle does not compute it ("pretty much impossible
      to compute for _multi questions");
    - matching with ``n`` choices: ``100 / n`` (``qtype_match``: ``1 / count(choices)``);
    - typed answers (cloze, short answer) and ordering: 0 (Moodle's default for question
      types that don't override it, "for almost any open-ended question type");
    - a type this module doesn't know: ``None``.

    For a slot that draws different items, this mean over the items drawn into it is the
    expected score of a random guesser on that slot.
intended weight
    ``100 * mean(m) / max total`` (Moodle: the slot's maximum mark as a % of the quiz's).
effective weight (slots only)
    ``EW_p = 100 * sqrt(C(x_p, T)) / sum over slots q with C(x_q, T) >= 0 of sqrt(C(x_q, T))``;
    ``None`` (Moodle shows "negative covariance") when ``C(x_p, T) < 0``, and when the
    slot has fewer than 2 responses (Moodle's null covariance then gives 0).
discrimination index (DI)
    The correlation of the question's marks with the rest of the test::

        DI = 100 * C(x, o) / sqrt(V(x) * V(o))

    ``None`` when ``V(x) * V(o) = 0`` (or s < 2). It lies in [-100, 100].
discriminative efficiency (DE)
    The covariance as a fraction of the largest it could be for these marks, reached when both
    lists are sorted in the same order (Moodle's ``covariancemax``)::

        C_max = sum((x_(k) - mean(x)) * (o_(k) - mean(o))) / (s - 1)
                (x_(k), o_(k): the k-th smallest x and the k-th smallest o)
        DE    = 100 * C(x, o) / C_max

    ``None`` when ``C_max = 0``. ``DE <= 100``.
flag
    ``"low"`` when ``DI < 30``, with the reason in ``flag_reason``. The bands follow the
    guidance of Moodle's quiz reports documentation: 50 and above very good, 30 to 50
    adequate, 20 to 30 weak, 0 to 20 very weak, negative: the question is probably invalid
    (the better students on the rest of the test did worse on it: check the key and the
    wording). ``dubious`` is Moodle's own mark in the table: ``DE < 15``.

Per item id. A slot can draw different items in different attempts (random questions).
Slot figures use the marks in the slot whatever item was drawn, as Moodle does per
position. Item figures group the responses by item id across slots; ``o`` is again the rest
of the test ``T - x``. Moodle's calculator uses the whole total ``T`` (item included) as
``o`` for the sub-questions of random slots. ``include_item_in_total=True`` gives that.

Test figures
------------
With ``s`` attempts with totals ``T_a``, ``p`` slots (positions), and ``M`` the maximum total
(the mean of the attempts' maxima, which is the quiz's maximum when all attempts have the
same one), the figures in % are % of ``M``:

- ``mean = 100 * mean(T) / M``; ``median``: the middle total, or the mean of the two middle
  ones, ``100 * median / M``;
- ``SD = 100 * sqrt(V(T)) / M`` (s >= 2);
- with ``m_r = sum((T_a - mean(T))^r) / s``, ``k2 = s * m2 / (s - 1)`` (``= V(T)``),
  ``k3 = s^2 * m3 / ((s - 1)(s - 2))`` and
  ``k4 = s^2 * ((s + 1) * m4 - 3 * (s - 1) * m2^2) / ((s - 1)(s - 2)(s - 3))``:
  ``skewness = k3 / k2^(3/2)`` (s >= 3) and ``kurtosis = k4 / k2^2`` (excess; s >= 4);
- coefficient of internal consistency (Cronbach's alpha, in %), with ``V(x_p)`` the mark
  variance of slot ``p``::

      CIC = 100 * p / (p - 1) * (1 - sum over slots of V(x_p) / V(T))

- error ratio ``ER = 100 * sqrt(1 - CIC / 100)``;
- standard error ``SE = ER / 100 * sqrt(V(T))`` marks, shown as ``100 * SE / M``.

Like Moodle, CIC, ER and SE need s >= 3 (Moodle computes them with the skewness),
``p >= 2`` and ``V(T) != 0``. A slot seen in fewer than 2 attempts adds 0 to the sum of
variances (Moodle adds its null variance).

A figure that can't be computed (too few attempts, zero variance, a zero maximum mark) is
``None``: these functions don't raise on data, only on malformed records
(:class:`ItemResponse` and :class:`AttemptScores` check their fields).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Literal, TypeVar

from .analysis_math import _EPS, _clamp, _constant, _covariance, _mean, _median, _variance
from .bank.types import REGISTRY

__all__ = [
    "DISCRIMINATION_GUIDELINE",
    "DUBIOUS_EFFICIENCY",
    "AttemptScores",
    "DiscriminationBand",
    "ItemResponse",
    "QuestionStatistics",
    "QuizReport",
    "QuizStatistics",
    "analyse",
    "discrimination_band",
    "item_statistics",
    "quiz_statistics",
    "random_guess_score",
    "slot_statistics",
]


DISCRIMINATION_GUIDELINE = 30.0
"""Discrimination index (%) under which a question is flagged ``"low"``."""

DUBIOUS_EFFICIENCY = 15.0
"""Discriminative efficiency (%) under which Moodle marks a question as dubious."""


DiscriminationBand = Literal["very good", "adequate", "weak", "very weak", "negative"]


# --- input ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ItemResponse:
    """The final mark of one question (item) in one slot of one attempt."""

    item_id: str
    item_type: str
    slot: int
    mark: float
    max_mark: float
    options: int = 0  # choice and matching items: the number of options; 0 otherwise

    def __post_init__(self) -> None:
        if not (math.isfinite(self.mark) and math.isfinite(self.max_mark)):
            raise ValueError(f"{self.item_id}: marks must be finite numbers")
        if self.max_mark < 0:
            raise ValueError(f"{self.item_id}: max_mark must not be negative")
        if self.mark > self.max_mark + _EPS * max(1.0, abs(self.max_mark)):
            raise ValueError(f"{self.item_id}: mark {self.mark} is above max_mark {self.max_mark}")
        if self.options < 0:
            raise ValueError(f"{self.item_id}: options must not be negative")

    @property
    def fraction(self) -> float | None:
        """``mark / max_mark``, or ``None`` when the maximum is 0."""
        return self.mark / self.max_mark if self.max_mark > 0 else None


@dataclass(frozen=True)
class AttemptScores:
    """One attempt: the response in each of its slots."""

    attempt_id: int
    responses: tuple[ItemResponse, ...]

    def __post_init__(self) -> None:
        slots = [r.slot for r in self.responses]
        if len(slots) != len(set(slots)):
            raise ValueError(f"attempt {self.attempt_id}: a slot appears twice")

    @property
    def total(self) -> float:
        """The attempt's total mark (Moodle's ``summarks``): the sum of its marks."""
        return math.fsum(r.mark for r in self.responses)

    @property
    def max_total(self) -> float:
        return math.fsum(r.max_mark for r in self.responses)


# --- output --------------------------------------------------------------------------------


@dataclass(frozen=True)
class QuestionStatistics:
    """Moodle's question statistics for one slot or one item id; figures in %."""

    kind: Literal["slot", "item"]
    slot: int | None  # the slot, for slot statistics
    item_id: str | None  # the item, for item statistics (or a slot's only item)
    item_ids: tuple[str, ...]  # the items seen (several in a random slot)
    item_types: tuple[str, ...]
    slots: tuple[int, ...]  # the slots the responses came from (Moodle's "positions")
    count: int  # Moodle's s
    max_mark: float  # mean maximum mark of the responses
    mean_mark: float | None
    mark_variance: float | None  # V(x), in marks^2
    facility: float | None
    standard_deviation: float | None
    random_guess_score: float | None
    intended_weight: float | None
    effective_weight: float | None
    negative_covariance: bool  # C(x, T) < 0: Moodle's "negcovar"
    discrimination_index: float | None
    discriminative_efficiency: float | None
    discrimination_band: DiscriminationBand | None
    flag: Literal["low"] | None
    flag_reason: str | None
    dubious: bool  # discriminative efficiency under 15% (Moodle's "dubious" row)


@dataclass(frozen=True)
class QuizStatistics:
    """Moodle's test statistics; mean, median, SD and SE in % of the maximum total."""

    attempts: int
    positions: int  # p: the number of slots
    max_total: float | None
    mean: float | None
    median: float | None
    standard_deviation: float | None
    skewness: float | None
    kurtosis: float | None
    cic: float | None  # coefficient of internal consistency (Cronbach's alpha), %
    error_ratio: float | None
    standard_error: float | None
    mean_mark: float | None
    median_mark: float | None
    standard_deviation_mark: float | None
    standard_error_mark: float | None
    sum_of_mark_variance: float  # sum over slots of V(x_p)


@dataclass(frozen=True)
class QuizReport:
    quiz: QuizStatistics
    slots: tuple[QuestionStatistics, ...]
    items: tuple[QuestionStatistics, ...]


# --- question figures ----------------------------------------------------------------------


def random_guess_score(item_type: str, options: int = 0) -> float | None:
    """The expected score (%) of a random guess at one question, as Moodle defines it.

    ``None`` when Moodle doesn't compute it (multiple-answer choice) or it can't be known
    (no options given for a choice or matching item, an unknown type).
    """
    registered = REGISTRY.get(item_type)
    return registered.guess(options) if registered else None


def discrimination_band(index: float | None) -> DiscriminationBand | None:
    """The guideline band of a discrimination index (%)."""
    if index is None:
        return None
    if index >= 50:
        return "very good"
    if index >= DISCRIMINATION_GUIDELINE:
        return "adequate"
    if index >= 20:
        return "weak"
    if index >= 0:
        return "very weak"
    return "negative"


def _flag(
    index: float | None, efficiency: float | None
) -> tuple[Literal["low"] | None, str | None]:
    if index is None or index >= DISCRIMINATION_GUIDELINE:
        return None, None
    if index < 0:
        reason = (
            f"negative discrimination ({index:.2f}%): students who did better on the rest of "
            "the quiz did worse on this question; check the key and the wording"
        )
    else:
        reason = (
            f"{discrimination_band(index)} discrimination ({index:.2f}%): under the "
            f"{DISCRIMINATION_GUIDELINE:.0f}% guideline, the question separates stronger "
            "from weaker students poorly"
        )
    if efficiency is not None and efficiency < DUBIOUS_EFFICIENCY:
        reason += (
            f"; discriminative efficiency {efficiency:.2f}% is under "
            f"{DUBIOUS_EFFICIENCY:.0f}% (dubious in Moodle's report)"
        )
    return "low", reason


@dataclass(frozen=True)
class _Row:
    """One response with what the question figures need from its attempt."""

    response: ItemResponse
    total: float  # T: the attempt's total


def _question_statistics(
    rows: Sequence[_Row],
    *,
    kind: Literal["slot", "item"],
    max_total: float | None,
    include_item_in_total: bool,
) -> QuestionStatistics:
    responses = [row.response for row in rows]
    s = len(responses)
    marks = [r.mark for r in responses]
    others = [row.total if include_item_in_total else row.total - row.response.mark for row in rows]
    max_mark = _mean([r.max_mark for r in responses])
    item_ids = tuple(sorted({r.item_id for r in responses}))
    slots = tuple(sorted({r.slot for r in responses}))

    fractions = [r.fraction for r in responses]
    facility: float | None = None
    sd: float | None = None
    if all(f is not None for f in fractions):
        fracs = [f for f in fractions if f is not None]
        facility = 100 * _mean(fracs)
        frac_variance = _variance(fracs)
        sd = None if frac_variance is None else 100 * math.sqrt(frac_variance)

    guesses = [random_guess_score(r.item_type, r.options) for r in responses]
    rgs = (
        _mean([g for g in guesses if g is not None])
        if all(g is not None for g in guesses)
        else None
    )

    mark_variance = _variance(marks)
    other_variance = _variance(others)
    covariance = _covariance(marks, others)
    index: float | None = None
    if mark_variance and other_variance and covariance is not None:
        index = _clamp(100 * covariance / math.sqrt(mark_variance * other_variance), -100, 100)

    efficiency: float | None = None
    if covariance is not None and not (_constant(marks) or _constant(others)):
        mx, mo = _mean(marks), _mean(others)
        pairs = zip(sorted(marks), sorted(others), strict=True)
        covariance_max = math.fsum((x - mx) * (o - mo) for x, o in pairs) / (s - 1)
        if covariance_max > 0:
            efficiency = min(100.0, 100 * covariance / covariance_max)

    flag, reason = _flag(index, efficiency)
    return QuestionStatistics(
        kind=kind,
        slot=slots[0] if kind == "slot" else None,
        item_id=item_ids[0] if len(item_ids) == 1 else None,
        item_ids=item_ids,
        item_types=tuple(sorted({r.item_type for r in responses})),
        slots=slots,
        count=s,
        max_mark=max_mark,
        mean_mark=_mean(marks),
        mark_variance=mark_variance,
        facility=facility,
        standard_deviation=sd,
        random_guess_score=rgs,
        intended_weight=100 * max_mark / max_total if max_total else None,
        effective_weight=None,  # set by slot_statistics, which sees every slot
        negative_covariance=False,
        discrimination_index=index,
        discriminative_efficiency=efficiency,
        discrimination_band=discrimination_band(index),
        flag=flag,
        flag_reason=reason,
        dubious=efficiency is not None and efficiency < DUBIOUS_EFFICIENCY,
    )


def _max_total(attempts: Sequence[AttemptScores]) -> float | None:
    if not attempts:
        return None
    return _mean([a.max_total for a in attempts])


_K = TypeVar("_K", int, str)


def _group(
    attempts: Iterable[AttemptScores], key: Callable[[ItemResponse], _K]
) -> dict[_K, list[_Row]]:
    groups: dict[_K, list[_Row]] = defaultdict(list)
    for attempt in attempts:
        total = attempt.total
        for response in attempt.responses:
            groups[key(response)].append(_Row(response, total))
    return groups


def slot_statistics(attempts: Sequence[AttemptScores]) -> tuple[QuestionStatistics, ...]:
    """Moodle's question statistics per slot (position), in slot order."""
    max_total = _max_total(attempts)
    groups = _group(attempts, lambda r: r.slot)
    stats: list[QuestionStatistics] = []
    overall: list[float | None] = []  # C(x_p, T): covariance with the overall mark
    for slot in sorted(groups):
        rows = groups[slot]
        stats.append(
            _question_statistics(
                rows, kind="slot", max_total=max_total, include_item_in_total=False
            )
        )
        overall.append(
            _covariance([row.response.mark for row in rows], [row.total for row in rows])
        )
    sum_sqrt = math.fsum(math.sqrt(c) for c in overall if c is not None and c >= 0)
    result = []
    for stat, cov in zip(stats, overall, strict=True):
        negative = cov is not None and cov < 0
        weight = None
        if cov is not None and not negative and sum_sqrt > 0:
            weight = 100 * math.sqrt(cov) / sum_sqrt
        result.append(replace(stat, effective_weight=weight, negative_covariance=negative))
    return tuple(result)


def item_statistics(
    attempts: Sequence[AttemptScores],
    *,
    min_count: int = 1,
    include_item_in_total: bool = False,
) -> tuple[QuestionStatistics, ...]:
    """Moodle's question statistics per item id, across the slots it was drawn into.

    Items answered in fewer than ``min_count`` attempts are left out. By default the
    discrimination uses the rest of the test (``T - x``); ``include_item_in_total=True``
    uses the whole total, as Moodle's calculator does for the items drawn by random slots.
    The effective weight is a slot figure and is ``None`` here.
    """
    max_total = _max_total(attempts)
    groups = _group(attempts, lambda r: r.item_id)
    return tuple(
        _question_statistics(
            groups[item_id],
            kind="item",
            max_total=max_total,
            include_item_in_total=include_item_in_total,
        )
        for item_id in sorted(groups)
        if len(groups[item_id]) >= min_count
    )


# --- test figures --------------------------------------------------------------------------


def quiz_statistics(
    attempts: Sequence[AttemptScores],
    slots: Sequence[QuestionStatistics] | None = None,
) -> QuizStatistics:
    """Moodle's test statistics. ``slots``: :func:`slot_statistics` of the same attempts,
    if already computed."""
    if slots is None:
        slots = slot_statistics(attempts)
    s = len(attempts)
    p = len(slots)
    sum_of_mark_variance = math.fsum(st.mark_variance or 0.0 for st in slots)
    max_total = _max_total(attempts)

    def percent(value: float | None) -> float | None:
        if value is None or not max_total:
            return None
        return 100 * value / max_total

    totals = [a.total for a in attempts]
    mean = _mean(totals) if s else None
    median = _median(totals) if s else None
    sd = skewness = kurtosis = cic = error_ratio = se = None
    if s > 1:
        k2 = _variance(totals) or 0.0
        sd = math.sqrt(k2)
        if s > 2 and k2 > 0 and mean is not None:
            deviations = [t - mean for t in totals]
            m2 = math.fsum(d**2 for d in deviations) / s
            m3 = math.fsum(d**3 for d in deviations) / s
            m4 = math.fsum(d**4 for d in deviations) / s
            k3 = s * s * m3 / ((s - 1) * (s - 2))
            skewness = k3 / k2**1.5
            if s > 3:
                k4 = s * s * ((s + 1) * m4 - 3 * (s - 1) * m2 * m2) / ((s - 1) * (s - 2) * (s - 3))
                kurtosis = k4 / (k2 * k2)
            if p > 1:
                cic = 100 * p / (p - 1) * (1 - sum_of_mark_variance / k2)
                error_ratio = 100 * math.sqrt(max(0.0, 1 - cic / 100))
                se = error_ratio * sd / 100

    return QuizStatistics(
        attempts=s,
        positions=p,
        max_total=max_total,
        mean=percent(mean),
        median=percent(median),
        standard_deviation=percent(sd),
        skewness=skewness,
        kurtosis=kurtosis,
        cic=cic,
        error_ratio=error_ratio,
        standard_error=percent(se),
        mean_mark=mean,
        median_mark=median,
        standard_deviation_mark=sd,
        standard_error_mark=se,
        sum_of_mark_variance=sum_of_mark_variance,
    )


def analyse(
    attempts: Sequence[AttemptScores],
    *,
    min_item_count: int = 1,
    include_item_in_total: bool = False,
) -> QuizReport:
    """The whole report: test figures, figures per slot and figures per item id."""
    slots = slot_statistics(attempts)
    return QuizReport(
        quiz=quiz_statistics(attempts, slots),
        slots=slots,
        items=item_statistics(
            attempts, min_count=min_item_count, include_item_in_total=include_item_in_total
        ),
    )
