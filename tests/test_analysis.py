"""Tests for quizapp.analysis: Moodle's quiz statistics, checked against hand-worked numbers."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quizapp.analysis import (
    AttemptScores,
    ItemResponse,
    QuestionStatistics,
    analyse,
    discrimination_band,
    item_statistics,
    quiz_statistics,
    random_guess_score,
    slot_statistics,
)
from quizapp.bank import ITEM_TYPES

TOL = 1e-6

# (item id, type, slot, max mark, options)
ITEMS = (
    ("q1", "single", 1, 1.0, 4),
    ("q2", "true_false", 2, 1.0, 2),
    ("q3", "multiple", 3, 2.0, 5),  # partial credit, out of 2
    ("q4", "ordering", 4, 1.0, 0),  # the weak students get it right: negative discrimination
)

#              q1   q2   q3   q4    total T
MARKS = (
    (1.0, 1.0, 2.0, 0.0),  # A   4
    (1.0, 1.0, 1.5, 1.0),  # B   4.5
    (1.0, 0.0, 1.0, 0.0),  # C   2
    (0.0, 0.0, 1.0, 0.0),  # D   1
    (0.0, 0.0, 0.5, 1.0),  # E   1.5
    (0.0, 1.0, 0.0, 1.0),  # F   2
)


def make_attempt(attempt_id: int, marks: tuple[float, ...]) -> AttemptScores:
    return AttemptScores(
        attempt_id,
        tuple(
            ItemResponse(item_id, kind, slot, mark, max_mark, options)
            for (item_id, kind, slot, max_mark, options), mark in zip(ITEMS, marks, strict=True)
        ),
    )


ATTEMPTS = tuple(make_attempt(i, m) for i, m in enumerate(MARKS, start=1))


def by_slot(stats: tuple[QuestionStatistics, ...]) -> dict[int, QuestionStatistics]:
    return {s.slot: s for s in stats if s.slot is not None}


def close(actual: float | None, expected: float) -> bool:
    return actual is not None and math.isclose(actual, expected, rel_tol=0, abs_tol=TOL)


# --- the hand-worked data set ----------------------------------------------------------------
#
# s = 6 attempts, p = 4 slots, maximum total M = 1 + 1 + 2 + 1 = 5.
#
# Totals T = 4, 4.5, 2, 1, 1.5, 2; sum 15, mean 2.5.
#   deviations 1.5, 2, -0.5, -1.5, -1, -0.5
#   squares    2.25, 4, 0.25, 2.25, 1, 0.25         sum 10  -> V(T) = 10/5 = 2
#   cubes      3.375, 8, -0.125, -3.375, -1, -0.125 sum 6.75
#   4th powers 5.0625, 16, 0.0625, 5.0625, 1, 0.0625 sum 27.25
# Sorted totals 1, 1.5, 2, 2, 4, 4.5: median (2 + 2)/2 = 2.
#
# Per slot, x = marks, o = rest of the test = T - x; sums of products of deviations, then / 5:
#
# q1: x = 1,1,1,0,0,0          mean 0.5  dev ±0.5           Sxx 1.5 -> V(x) 0.3
#     o = 3,3.5,1,1,1.5,2      mean 2    dev 1,1.5,-1,-1,-0.5,0  Soo 5.5 -> V(o) 1.1
#     Sxo = .5 + .75 - .5 + .5 + .25 + 0 = 1.5 -> C(x,o) 0.3
#     DI = 100 * 0.3 / sqrt(0.3 * 1.1) = 52.2233
#     sorted: x dev -.5,-.5,-.5,.5,.5,.5 with o 1,1,1.5,2,3,3.5 dev -1,-1,-.5,0,1,1.5
#     Smax = .5 + .5 + .25 + 0 + .5 + .75 = 2.5 -> Cmax 0.5; DE = 100 * 0.3 / 0.5 = 60
#     F = 50, SD = 100 * sqrt(0.3) = 54.7723, RGS = 100/4 = 25
# q2: x = 1,1,0,0,0,1          mean 0.5                     V(x) 0.3
#     o = 3,3.5,2,1,1.5,1      mean 2    dev 1,1.5,0,-1,-0.5,-1  Soo 5.5 -> V(o) 1.1
#     Sxo = .5 + .75 + 0 + .5 + .25 - .5 = 1.5 -> C 0.3; DI = 52.2233
#     sorted o 1,1,1.5,2,3,3.5: Cmax 0.5; DE 60. F = 50, RGS = 50 (true/false)
# q3: x = 2,1.5,1,1,0.5,0      mean 1    dev 1,.5,0,0,-.5,-1  Sxx 2.5 -> V(x) 0.5
#     o = 2,3,1,0,1,2          mean 1.5  dev .5,1.5,-.5,-1.5,-.5,.5  Soo 5.5 -> V(o) 1.1
#     Sxo = .5 + .75 + 0 + 0 + .25 - .5 = 1.0 -> C 0.2
#     DI = 100 * 0.2 / sqrt(0.5 * 1.1) = 26.9680  (weak: flagged)
#     sorted: x dev -1,-.5,0,0,.5,1 with o 0,1,1,2,2,3 dev -1.5,-.5,-.5,.5,.5,1.5
#     Smax = 1.5 + .25 + 0 + 0 + .25 + 1.5 = 3.5 -> Cmax 0.7; DE = 100 * 0.2 / 0.7 = 28.5714
#     F = 100 * 1/2 = 50; SD = 100 * sqrt(0.5) / 2 = 35.3553; RGS None (multiple answer)
# q4: x = 0,1,0,0,1,1          mean 0.5                     V(x) 0.3
#     o = 4,3.5,2,1,0.5,1      mean 2    dev 2,1.5,0,-1,-1.5,-1  Soo 10.5 -> V(o) 2.1
#     Sxo = -1 + .75 + 0 + .5 - .75 - .5 = -1.0 -> C -0.2
#     DI = 100 * -0.2 / sqrt(0.3 * 2.1) = -25.1976  (negative: flagged)
#     sorted o 0.5,1,1,2,3.5,4 dev -1.5,-1,-1,0,1.5,2 with x dev -.5,-.5,-.5,.5,.5,.5
#     Smax = .75 + .5 + .5 + 0 + .75 + 1 = 3.5 -> Cmax 0.7; DE = -28.5714 (< 15: dubious)
#     F = 50, RGS = 0 (ordering)
#
# Covariance with the overall mark, C(x, T) (T dev 1.5,2,-.5,-1.5,-1,-.5):
#   q1 (.75 + 1 - .25 + .75 + .5 + .25)/5 = 0.6    q2 (.75 + 1 + .25 + .75 + .5 - .25)/5 = 0.6
#   q3 (1.5 + 1 + 0 + 0 + .5 + .5)/5 = 0.7         q4 (-.75 + 1 + .25 + .75 - .5 - .25)/5 = 0.1
#   (they add up to V(T) = 2). Effective weight = 100 * sqrt(C) / (sum of the sqrt(C)).
#
# Test figures:
#   mean 2.5 -> 50%; median 2 -> 40%; SD sqrt(2) = 1.414214 -> 28.2843%
#   m2 = 10/6, m3 = 6.75/6 = 1.125, m4 = 27.25/6; k2 = 6 * m2 / 5 = 2
#   k3 = 36 * 1.125 / (5 * 4) = 2.025; skewness = 2.025 / 2^1.5 = 0.715946
#   k4 = 36 * (7 * 27.25/6 - 3 * 5 * (10/6)^2) / (5 * 4 * 3) = 36 * (-9.875) / 60 = -5.925
#   kurtosis = -5.925 / 2^2 = -1.48125
#   sum of V(x_p) = 0.3 + 0.3 + 0.5 + 0.3 = 1.4
#   CIC = 100 * 4/3 * (1 - 1.4 / 2) = 40
#   ER = 100 * sqrt(1 - 0.4) = 77.4597
#   SE = 0.774597 * sqrt(2) = sqrt(1.2) = 1.095445 marks -> 100 * 1.095445 / 5 = 21.9089%


def test_quiz_figures_match_the_hand_computation() -> None:
    quiz = quiz_statistics(ATTEMPTS)
    assert quiz.attempts == 6
    assert quiz.positions == 4
    assert close(quiz.max_total, 5)
    assert close(quiz.mean_mark, 2.5)
    assert close(quiz.mean, 50)
    assert close(quiz.median_mark, 2)
    assert close(quiz.median, 40)
    assert close(quiz.standard_deviation_mark, math.sqrt(2))
    assert close(quiz.standard_deviation, 100 * math.sqrt(2) / 5)
    assert close(quiz.skewness, 2.025 / 2**1.5)
    assert close(quiz.kurtosis, -5.925 / 4)
    assert close(quiz.sum_of_mark_variance, 1.4)
    assert close(quiz.cic, 100 * 4 / 3 * (1 - 1.4 / 2))
    assert close(quiz.cic, 40)
    assert close(quiz.error_ratio, 100 * math.sqrt(0.6))
    assert close(quiz.standard_error_mark, math.sqrt(0.6) * math.sqrt(2))
    assert close(quiz.standard_error, 100 * math.sqrt(1.2) / 5)


def test_slot_figures_match_the_hand_computation() -> None:
    slots = by_slot(slot_statistics(ATTEMPTS))
    assert sorted(slots) == [1, 2, 3, 4]
    q1, q2, q3, q4 = slots[1], slots[2], slots[3], slots[4]

    for stat in (q1, q2, q3, q4):
        assert stat.count == 6
        assert close(stat.facility, 50)
    assert close(q1.standard_deviation, 100 * math.sqrt(0.3))
    assert close(q3.standard_deviation, 100 * math.sqrt(0.5) / 2)
    assert close(q1.mark_variance, 0.3)
    assert close(q3.mark_variance, 0.5)

    assert close(q1.random_guess_score, 25)
    assert close(q2.random_guess_score, 50)
    assert q3.random_guess_score is None
    assert close(q4.random_guess_score, 0)

    assert close(q1.discrimination_index, 100 * 0.3 / math.sqrt(0.3 * 1.1))
    assert close(q2.discrimination_index, 100 * 0.3 / math.sqrt(0.3 * 1.1))
    assert close(q3.discrimination_index, 100 * 0.2 / math.sqrt(0.5 * 1.1))
    assert close(q4.discrimination_index, 100 * -0.2 / math.sqrt(0.3 * 2.1))
    assert close(q1.discriminative_efficiency, 60)
    assert close(q2.discriminative_efficiency, 60)
    assert close(q3.discriminative_efficiency, 100 * 0.2 / 0.7)
    assert close(q4.discriminative_efficiency, -100 * 0.2 / 0.7)

    assert close(q1.intended_weight, 20)
    assert close(q3.intended_weight, 40)
    roots = math.sqrt(0.6) * 2 + math.sqrt(0.7) + math.sqrt(0.1)
    assert close(q1.effective_weight, 100 * math.sqrt(0.6) / roots)
    assert close(q3.effective_weight, 100 * math.sqrt(0.7) / roots)
    assert close(q4.effective_weight, 100 * math.sqrt(0.1) / roots)
    assert not any(s.negative_covariance for s in (q1, q2, q3, q4))


def test_flags_follow_the_guideline() -> None:
    slots = by_slot(slot_statistics(ATTEMPTS))
    assert slots[1].discrimination_band == "very good"
    assert slots[1].flag is None and slots[1].flag_reason is None
    assert slots[3].discrimination_band == "weak"
    assert slots[3].flag == "low"
    assert slots[3].flag_reason is not None and "30%" in slots[3].flag_reason
    assert slots[4].discrimination_band == "negative"
    assert slots[4].flag == "low"
    assert slots[4].flag_reason is not None and "negative" in slots[4].flag_reason
    assert slots[4].dubious and "dubious" in slots[4].flag_reason
    assert not slots[3].dubious  # DE 28.57% is not under 15%


def test_item_figures_equal_slot_figures_when_each_slot_has_one_item() -> None:
    report = analyse(ATTEMPTS)
    items = {s.item_id: s for s in report.items}
    for slot in report.slots:
        assert slot.item_ids == (slot.item_id,)
        item = items[slot.item_id]
        assert item.kind == "item" and item.slots == (slot.slot,)
        assert item.count == slot.count
        assert item.facility == slot.facility
        assert item.discrimination_index == slot.discrimination_index
        assert item.discriminative_efficiency == slot.discriminative_efficiency
        assert item.effective_weight is None


# --- random slots: different items in the same slot ----------------------------------------
#
# Slot 1 draws item "a" or "b"; slot 2 always holds "c". Marks (slot 1 item, mark; slot 2):
#   1: a 1, c 1  T 2      2: a 1, c 0  T 1      3: b 0, c 1  T 1      4: b 1, c 1  T 2
#   5: a 0, c 0  T 0      6: b 0, c 0  T 0
# Item "a" (attempts 1, 2, 5): x = 1, 1, 0; rest o = 1, 0, 0
#   mean x 2/3, dev 1/3, 1/3, -2/3: Sxx = 2/3 -> V 1/3; mean o 1/3, dev 2/3, -1/3, -1/3:
#   Soo = 2/3 -> V 1/3; Sxo = 2/9 - 1/9 + 2/9 = 1/3 -> C 1/6; DI = 100 * (1/6) / (1/3) = 50
#   With the item in the total (Moodle's sub-question way): o = T = 2, 1, 0: mean 1,
#   dev 1, 0, -1: V 1; Sxo = 1/3 + 0 + 2/3 = 1 -> C 1/2; DI = 100 * (1/2) / sqrt(1/3) = 86.6025
# Slot 1 (all six): x = 1,1,0,1,0,0 mean 1/2; o = 1,0,1,1,0,0 mean 1/2
#   Sxo = .25 - .25 - .25 + .25 + .25 + .25 = 0.5 -> C 0.1; V(x) = V(o) = 0.3; DI = 100/3


def _random_slot_attempts() -> tuple[AttemptScores, ...]:
    rows = [("a", 1, 1), ("a", 1, 0), ("b", 0, 1), ("b", 1, 1), ("a", 0, 0), ("b", 0, 0)]
    return tuple(
        AttemptScores(
            i,
            (
                ItemResponse(item, "single", 1, float(m1), 1.0, 3),
                ItemResponse("c", "true_false", 2, float(m2), 1.0, 2),
            ),
        )
        for i, (item, m1, m2) in enumerate(rows, start=1)
    )


def test_random_slot_gives_slot_and_item_figures() -> None:
    attempts = _random_slot_attempts()
    slots = by_slot(slot_statistics(attempts))
    assert slots[1].item_ids == ("a", "b") and slots[1].item_id is None
    assert slots[1].count == 6
    assert close(slots[1].facility, 50)
    assert close(slots[1].discrimination_index, 100 / 3)
    assert close(slots[1].random_guess_score, 100 / 3)

    items = {s.item_id: s for s in item_statistics(attempts)}
    assert set(items) == {"a", "b", "c"}
    assert items["a"].count == 3 and items["a"].slots == (1,)
    assert close(items["a"].facility, 100 * 2 / 3)
    assert close(items["a"].discrimination_index, 50)

    moodle_way = {s.item_id: s for s in item_statistics(attempts, include_item_in_total=True)}
    assert close(moodle_way["a"].discrimination_index, 100 * 0.5 / math.sqrt(1 / 3))

    assert {s.item_id for s in item_statistics(attempts, min_count=4)} == {"c"}


# --- edge cases ------------------------------------------------------------------------------


def test_no_attempts() -> None:
    report = analyse([])
    assert report.slots == () and report.items == ()
    quiz = report.quiz
    assert quiz.attempts == 0 and quiz.positions == 0
    assert quiz.mean is None and quiz.median is None and quiz.standard_deviation is None
    assert quiz.cic is None and quiz.error_ratio is None and quiz.standard_error is None


def test_one_attempt() -> None:
    report = analyse(ATTEMPTS[:1])
    quiz = report.quiz
    assert quiz.attempts == 1
    assert close(quiz.mean, 80) and close(quiz.median, 80)  # 4 out of 5
    assert quiz.standard_deviation is None and quiz.skewness is None and quiz.kurtosis is None
    assert quiz.cic is None and quiz.error_ratio is None and quiz.standard_error is None
    for stat in report.slots + report.items:
        assert stat.count == 1
        assert stat.facility is not None
        assert stat.standard_deviation is None
        assert stat.discrimination_index is None
        assert stat.discriminative_efficiency is None
        assert stat.effective_weight is None
        assert stat.flag is None


def test_two_attempts_have_sd_but_no_cic() -> None:
    # Moodle computes CIC, ER and SE together with the skewness: from 3 attempts.
    quiz = quiz_statistics(ATTEMPTS[:2])  # totals 4 and 4.5: V(T) = 0.125
    assert close(quiz.standard_deviation_mark, math.sqrt(0.125))
    assert quiz.skewness is None and quiz.cic is None


def test_all_equal_marks() -> None:
    attempts = [make_attempt(i, (1.0, 0.0, 1.0, 1.0)) for i in range(5)]
    report = analyse(attempts)
    quiz = report.quiz
    assert close(quiz.mean, 60) and close(quiz.standard_deviation, 0)
    assert quiz.skewness is None and quiz.kurtosis is None
    assert quiz.cic is None and quiz.error_ratio is None and quiz.standard_error is None
    for stat in report.slots:
        assert close(stat.standard_deviation, 0)
        assert stat.discrimination_index is None
        assert stat.discriminative_efficiency is None
        assert stat.discrimination_band is None and stat.flag is None
        assert stat.effective_weight is None  # every covariance is 0


def test_equal_marks_on_one_item_only() -> None:
    attempts = [make_attempt(i, (1.0, *m[1:])) for i, m in enumerate(MARKS)]
    q1 = by_slot(slot_statistics(attempts))[1]
    assert close(q1.facility, 100) and close(q1.standard_deviation, 0)
    assert q1.discrimination_index is None and q1.discriminative_efficiency is None


def test_item_with_a_single_response() -> None:
    attempts = list(ATTEMPTS)
    extra = ItemResponse("rare", "short_answer", 5, 1.0, 1.0)
    attempts[0] = AttemptScores(1, (*ATTEMPTS[0].responses, extra))
    report = analyse(attempts)
    rare = next(s for s in report.items if s.item_id == "rare")
    assert rare.count == 1 and close(rare.facility, 100)
    assert rare.standard_deviation is None and rare.discrimination_index is None
    assert rare.random_guess_score == 0
    assert report.quiz.positions == 5
    assert all(s.item_id != "rare" for s in analyse(attempts, min_item_count=2).items)


def test_zero_max_mark_gives_no_facility() -> None:
    attempts = [AttemptScores(i, (ItemResponse("z", "single", 1, 0.0, 0.0, 4),)) for i in range(3)]
    stat = slot_statistics(attempts)[0]
    assert stat.facility is None and stat.standard_deviation is None
    assert quiz_statistics(attempts).mean is None


def test_malformed_records_are_rejected() -> None:
    with pytest.raises(ValueError):
        ItemResponse("x", "single", 1, 2.0, 1.0, 4)
    with pytest.raises(ValueError):
        ItemResponse("x", "single", 1, float("nan"), 1.0, 4)
    with pytest.raises(ValueError):
        ItemResponse("x", "single", 1, 0.0, -1.0, 4)
    response = ItemResponse("x", "single", 1, 1.0, 1.0, 4)
    with pytest.raises(ValueError):
        AttemptScores(1, (response, response))


# --- random guess scores and bands -------------------------------------------------------------


@pytest.mark.parametrize(
    ("item_type", "options", "expected"),
    [
        ("single", 4, 25.0),
        ("reason", 5, 20.0),
        ("stance", 2, 50.0),
        ("true_false", 2, 50.0),
        ("matching", 4, 25.0),
        ("evidence_matching", 3, 100 / 3),
        ("multiple", 5, None),
        ("reasons_multiple", 4, None),
        ("cloze", 0, 0.0),
        ("short_answer", 0, 0.0),
        ("ordering", 4, 0.0),
        ("single", 0, None),
        ("essay", 0, None),
    ],
)
def test_random_guess_score(item_type: str, options: int, expected: float | None) -> None:
    actual = random_guess_score(item_type, options)
    assert actual == pytest.approx(expected) if expected is not None else actual is None


def test_every_item_type_of_the_bank_is_known() -> None:
    unknown = [t for t in ITEM_TYPES if random_guess_score(t, 4) is None]
    assert sorted(unknown) == ["multiple", "reasons_multiple"]  # Moodle gives none for these


def test_discrimination_bands() -> None:
    assert discrimination_band(None) is None
    assert discrimination_band(75) == "very good"
    assert discrimination_band(50) == "very good"
    assert discrimination_band(30) == "adequate"
    assert discrimination_band(29.99) == "weak"
    assert discrimination_band(20) == "weak"
    assert discrimination_band(0) == "very weak"
    assert discrimination_band(-0.01) == "negative"


# --- properties --------------------------------------------------------------------------------


@st.composite
def attempt_sets(draw: st.DrawFn, *, grid: bool) -> list[AttemptScores]:
    """Complete attempts (every slot answered); each slot draws from a small pool of items."""
    n_slots = draw(st.integers(1, 5))
    maxima = [draw(st.sampled_from([0.5, 1.0, 2.0, 3.0])) for _ in range(n_slots)]
    n_attempts = draw(st.integers(0, 12))
    if grid:
        fraction = st.integers(0, 8).map(lambda k: k / 8)
    else:
        fraction = st.floats(0, 1, allow_nan=False, allow_infinity=False)
    attempts = []
    for a in range(n_attempts):
        responses = []
        for slot in range(1, n_slots + 1):
            variant = draw(st.integers(0, 2))
            kind = draw(st.sampled_from(["single", "true_false", "multiple", "cloze"]))
            responses.append(
                ItemResponse(
                    f"s{slot}v{variant}",
                    kind,
                    slot,
                    draw(fraction) * maxima[slot - 1],
                    maxima[slot - 1],
                    4,
                )
            )
        attempts.append(AttemptScores(a, tuple(responses)))
    return attempts


def _check_bounds(attempts: list[AttemptScores]) -> None:
    report = analyse(attempts)
    for stat in report.slots + report.items:
        assert stat.facility is not None and 0 <= stat.facility <= 100
        assert stat.standard_deviation is None or stat.standard_deviation >= 0
        di = stat.discrimination_index
        assert di is None or -100 <= di <= 100
        de = stat.discriminative_efficiency
        assert de is None or de <= 100
        assert (stat.flag == "low") == (di is not None and di < 30)
    weights = [s.effective_weight for s in report.slots if s.effective_weight is not None]
    assert (
        not weights
        or math.isclose(math.fsum(weights), 100)
        or any(s.negative_covariance for s in report.slots)
    )
    quiz = report.quiz
    assert quiz.mean is None or 0 <= quiz.mean <= 100 + TOL
    if quiz.cic is not None:
        assert quiz.cic <= 100 + 1e-9
        assert quiz.error_ratio is not None and quiz.error_ratio >= 0


@settings(max_examples=200, deadline=None)
@given(attempt_sets(grid=True))
def test_figures_stay_in_range(attempts: list[AttemptScores]) -> None:
    _check_bounds(attempts)


@settings(max_examples=100, deadline=None)
@given(attempt_sets(grid=False))
def test_arbitrary_marks_do_not_raise(attempts: list[AttemptScores]) -> None:
    report = analyse(attempts)
    for stat in report.slots + report.items:
        assert stat.facility is not None and 0 <= stat.facility <= 100
        di = stat.discrimination_index
        assert di is None or -100 <= di <= 100
