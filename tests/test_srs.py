"""The FSRS layer: agrees exactly with the fsrs library, keeps Anki's daily rules, and is pure.

Every time here is an explicit datetime (a frozen clock): nothing reads the real time.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import fsrs
import pytest
from fsrs.scheduler import DEFAULT_PARAMETERS
from hypothesis import given, settings
from hypothesis import strategies as st

from quizapp import srs
from quizapp.srs import (
    AGAIN,
    EASY,
    GOOD,
    HARD,
    LEARNING,
    NEW,
    RELEARNING,
    REVIEW,
    CardState,
    ReviewLogEntry,
    Settings,
)

from . import anki_reference as anki

T0 = datetime(2024, 3, 1, 12, 0, tzinfo=UTC)  # a Friday, noon UTC
NY = ZoneInfo("America/New_York")
DEFAULTS = Settings(enable_fuzzing=False)  # exact intervals; fuzz has its own tests
MIN = timedelta(minutes=1)
DAY = timedelta(days=1)

no_db = settings(database=None, deadline=None)


def review_state(
    card_id: str, due: datetime, *, interval: timedelta = 3 * DAY, **kw: object
) -> CardState:
    """A card in Review state due at ``due``."""
    fields: dict[str, object] = {
        "state": REVIEW,
        "stability": 5.0,
        "difficulty": 5.0,
        "due": due,
        "last_review": due - interval,
        "reps": 3,
    }
    fields.update(kw)
    return CardState(card_id, **fields)  # type: ignore[arg-type]


def learning_state(
    card_id: str, due: datetime, *, state: int = LEARNING, **kw: object
) -> CardState:
    fields: dict[str, object] = {
        "state": state,
        "step": 0,
        "stability": 2.0,
        "difficulty": 5.0,
        "due": due,
        "last_review": due - 10 * MIN,
        "reps": 1,
    }
    fields.update(kw)
    return CardState(card_id, **fields)  # type: ignore[arg-type]


# --- settings ------------------------------------------------------------------------------


def test_settings_defaults_are_ankis() -> None:
    s = Settings()
    assert (s.new_per_day, s.reviews_per_day) == (20, 200)
    assert s.learning_steps == (timedelta(minutes=1), timedelta(minutes=10))
    assert s.relearning_steps == (timedelta(minutes=10),)
    assert s.desired_retention == 0.90
    assert s.maximum_interval == 36500
    assert s.day_starts_hour == 4
    assert s.timezone == "UTC"
    assert s.leech_threshold == 8
    assert s.enable_fuzzing is True  # seeded: see test_fuzz_*
    assert (s.leech_action, s.new_mix, s.review_sort, s.learn_ahead_minutes) == (
        "suspend",
        "mix",
        "due",
        20,
    )


def test_scheduler_is_configured_from_settings() -> None:
    s = Settings(desired_retention=0.85, learning_steps=[MIN * 2], maximum_interval=365)
    sched = srs.scheduler(s)
    assert isinstance(sched, fsrs.Scheduler)
    assert sched.desired_retention == 0.85
    assert sched.learning_steps == (MIN * 2,)
    assert sched.relearning_steps == (10 * MIN,)
    assert sched.maximum_interval == 365
    assert sched.enable_fuzzing is False
    assert sched.parameters == tuple(DEFAULT_PARAMETERS)


def test_settings_round_trip_and_validation() -> None:
    s = Settings(timezone="America/New_York", new_per_day=5, relearning_steps=(5 * MIN, 20 * MIN))
    assert Settings.from_dict(json.loads(json.dumps(s.to_dict()))) == s
    assert s.tz == NY
    for bad in (
        {"timezone": "Mars/Olympus_Mons"},
        {"desired_retention": 1.0},
        {"day_starts_hour": 24},
        {"new_per_day": -1},
        {"learning_steps": (timedelta(0),)},
        {"maximum_interval": 0},
        {"parameters": (1.0, 2.0)},
    ):
        with pytest.raises(ValueError):
            Settings(**bad)  # type: ignore[arg-type]


# --- agreement with the library --------------------------------------------------------------

LIFE = [
    # (rating, delay after the previous due date) - on time, except two late answers
    (GOOD, timedelta(0)),  # new -> learning step 1
    (GOOD, timedelta(0)),  # -> review
    (GOOD, timedelta(hours=5)),  # review, answered 5 hours late
    (AGAIN, timedelta(0)),  # lapse -> relearning
    (GOOD, timedelta(0)),  # -> review
    (GOOD, timedelta(0)),
    (HARD, 2 * DAY),  # answered two days late
    (EASY, timedelta(0)),
]


def test_whole_life_matches_ankis_rules() -> None:
    sched = fsrs.Scheduler(enable_fuzzing=False)
    model = anki.Model(zone="UTC")
    ref = anki.Card()
    state = CardState("fact-1:card")
    now = T0
    states, intervals = [], []
    for rating, delay in LIFE:
        now = now + delay
        ref = model.answer(ref, now, rating, None)
        state = srs.review(state, rating, now, DEFAULTS).new_state
        assert_matches(state, ref, "UTC")
        assert state.last_review == now
        states.append(state.state)
        assert state.due is not None
        intervals.append(state.due - now)
        now = state.due
    assert states == [LEARNING, REVIEW, REVIEW, RELEARNING, REVIEW, REVIEW, REVIEW, REVIEW]
    assert intervals[:2] == [10 * MIN, 2 * DAY]
    assert intervals[3] == 10 * MIN
    assert all(i.total_seconds() % 86400 == 0 for i in intervals if i >= DAY)
    assert state.reps == len(LIFE)
    assert state.lapses == 1
    # the memory model is still the library's: a first Good answer is its initial state
    first, _ = sched.review_card(fsrs.Card(card_id=1, due=T0), fsrs.Rating.Good, T0)
    assert srs.review(CardState("x"), GOOD, T0, DEFAULTS).new_state.stability == first.stability


def assert_matches(state: CardState, ref: anki.Card, zone: str, hour: int = 4) -> None:
    """``state`` is what Anki's rules (tests/anki_reference.py) give."""
    names = {LEARNING: "learning", REVIEW: "review", RELEARNING: "relearning"}
    assert names[state.state] == ref.state
    assert state.stability == pytest.approx(ref.stability, rel=1e-12)
    assert state.difficulty == pytest.approx(ref.difficulty, rel=1e-12)
    assert state.due is not None
    if ref.state == "review":
        assert anki.day_number(state.due, zone, hour) == ref.due_day
        assert srs.scheduled_days(state, Settings(timezone=zone, day_starts_hour=hour)) == (
            ref.scheduled_days
        )
    else:
        assert state.step == ref.step
        assert state.due == ref.due_time


def test_first_answer_uses_initial_parameters() -> None:
    first = srs.review(CardState("f:c"), GOOD, T0, DEFAULTS).new_state
    assert first.state == LEARNING and first.step == 1
    assert first.stability == DEFAULT_PARAMETERS[2]
    assert first.difficulty == 2.118  # 2.118103970459016, kept to 3 places as Anki keeps it
    assert first.due == T0 + 10 * MIN
    easy = srs.review(CardState("f:c"), EASY, T0, DEFAULTS).new_state
    assert easy.state == REVIEW and easy.step is None
    assert easy.stability == DEFAULT_PARAMETERS[3]
    assert easy.due == T0 + 8 * DAY  # round(8.2956): at 90 % retention the interval is S


def test_new_card_converts_to_a_learning_card_due_now() -> None:
    card = CardState("f:c").to_fsrs(T0)
    assert (card.state, card.step, card.due, card.stability, card.last_review) == (
        fsrs.State.Learning,
        0,
        T0,
        None,
        None,
    )
    assert CardState.from_fsrs("f:c", card) == CardState("f:c")  # unreviewed: still new
    reviewed, _ = fsrs.Scheduler(enable_fuzzing=False).review_card(card, fsrs.Rating.Good, T0)
    state = CardState.from_fsrs("f:c", reviewed)
    assert (state.state, state.step, state.due, state.last_review) == (
        LEARNING,
        1,
        T0 + 10 * MIN,
        T0,
    )
    assert state.to_fsrs(T0).to_dict() == reviewed.to_dict()


@no_db
@given(
    steps=st.lists(
        st.tuples(
            st.sampled_from([AGAIN, HARD, GOOD, EASY]),
            st.integers(min_value=-(10**6), max_value=60 * 86400),
        ),
        min_size=1,
        max_size=25,
    ),
    zone=st.sampled_from(["UTC", "Europe/Paris", "America/New_York", "Australia/Sydney"]),
    fuzz=st.booleans(),
)
def test_any_history_follows_ankis_rules(
    steps: list[tuple[int, int]], zone: str, fuzz: bool
) -> None:
    """Any ratings, answered early or late, in any zone, with or without fuzz: the card is
    where Anki's rules put it, and lapses and reps are counted from them."""
    settings_ = Settings(leech_threshold=0, timezone=zone, enable_fuzzing=fuzz)
    model = anki.Model(zone=zone)
    ref = anki.Card()
    state = CardState("f:c")
    now = T0
    lapses = 0
    for rating, offset in steps:
        due = T0 if state.due is None else state.due
        now = max(now + MIN, due + timedelta(seconds=offset))
        lapses += ref.state == "review" and rating == AGAIN
        factor = srs.fuzz_factor("f:c", state.reps) if fuzz else None
        ref = model.answer(ref, now, rating, factor)
        state = srs.review(state, rating, now, settings_).new_state
        assert_matches(state, ref, zone)
    assert state.reps == len(steps)
    assert state.lapses == lapses


def test_non_utc_aware_times_are_accepted_and_stored_in_utc() -> None:
    local = T0.astimezone(NY)
    a = srs.review(CardState("f:c"), GOOD, local, DEFAULTS).new_state
    b = srs.review(CardState("f:c"), GOOD, T0, DEFAULTS).new_state
    assert a == b
    assert a.due is not None and a.due.tzinfo is UTC
    zoned_utc = T0.replace(tzinfo=ZoneInfo("UTC"))  # fsrs itself rejects this tzinfo
    assert srs.review(CardState("f:c"), GOOD, zoned_utc, DEFAULTS).new_state == b


def test_naive_datetimes_raise() -> None:
    naive = datetime(2024, 3, 1, 12)
    with pytest.raises(ValueError, match="timezone-aware"):
        srs.review(CardState("f:c"), GOOD, naive, DEFAULTS)
    with pytest.raises(ValueError):
        srs.study_day(naive, NY)
    with pytest.raises(ValueError):
        srs.build_queue([], naive, DEFAULTS, 0, 0)
    with pytest.raises(ValueError):
        srs.preview_intervals(CardState("f:c"), naive, DEFAULTS)
    with pytest.raises(ValueError):
        srs.pull_forward(CardState("f:c"), naive)
    with pytest.raises(ValueError):
        review_state("f:c", naive)


def test_bad_inputs_raise() -> None:
    for rating in (0, 5, True, 3.0):
        with pytest.raises(ValueError, match=r"^rating must be 1 \(Again\), 2 \(Hard\)"):
            srs.review(CardState("f:c"), rating, T0, DEFAULTS)  # type: ignore[arg-type]
    for duration in (-1, 1.5, "5", True):
        with pytest.raises(ValueError, match=r"^duration_ms must be a non-negative integer"):
            srs.review(CardState("f:c"), GOOD, T0, DEFAULTS, duration_ms=duration)  # type: ignore[arg-type]
    assert srs.review(CardState("f:c"), GOOD, T0, DEFAULTS, duration_ms=0).log.duration_ms == 0
    with pytest.raises(ValueError):
        CardState("f:c", state=4)
    with pytest.raises(ValueError, match="needs"):
        CardState("f:c", state=REVIEW)
    with pytest.raises(ValueError, match=r"^f:c is suspended$"):
        srs.review(review_state("f:c", T0, suspended=True), GOOD, T0, DEFAULTS)
    with pytest.raises(ValueError, match=r"^f:c is retired$"):
        srs.review(review_state("f:c", T0, retired=True), GOOD, T0, DEFAULTS)


# --- the log and undo --------------------------------------------------------------------


def test_log_entry_records_the_review() -> None:
    before = review_state("f:c", T0, lapses=2)
    result = srs.review(before, AGAIN, T0 + timedelta(microseconds=123), DEFAULTS, duration_ms=4200)
    log = result.log
    assert log.card_id == "f:c"
    assert log.rating == AGAIN
    assert log.reviewed_at == T0 + timedelta(microseconds=123)
    assert log.duration_ms == 4200
    assert log.state_before == before.to_dict()
    assert log.state_after == result.new_state.to_dict()
    assert log.kind == "review" and log.is_lapse
    assert result.new_state.lapses == 3 and result.new_state.state == RELEARNING
    assert result.became_leech is False
    assert ReviewLogEntry.from_dict(json.loads(json.dumps(log.to_dict()))) == log


def test_undo_restores_the_exact_state() -> None:
    state = CardState("f:c")
    now = T0 + timedelta(microseconds=987654)
    history = []
    for rating in (GOOD, GOOD, GOOD, AGAIN, HARD):
        result = srs.review(state, rating, now, DEFAULTS, duration_ms=1500)
        history.append((state, result.log))
        state = result.new_state
        assert state.due is not None
        now = state.due + timedelta(seconds=17, microseconds=3)
    for original, log in reversed(history):
        stored = json.loads(json.dumps(log.to_dict()))  # as the web layer would persist it
        restored = srs.undo(ReviewLogEntry.from_dict(stored))
        assert restored == original
        assert restored.to_dict() == original.to_dict()  # same isoformat strings, same floats
        assert restored.due is None or restored.due.tzinfo is UTC
        # and answering again gives the same result as the first time (no fuzz)
        assert srs.review(restored, log.rating, log.reviewed_at, DEFAULTS, 1500).log == log


card_states = st.builds(
    lambda i, code, step, stab, diff, due, gap, reps, lapses, flags: CardState(
        f"fact-{i}:card",
        state=code,
        step=None if code in (NEW, REVIEW) else step,
        stability=None if code == NEW else stab,
        difficulty=None if code == NEW else diff,
        due=None if code == NEW else due,
        last_review=None if code == NEW else due - timedelta(seconds=gap),
        reps=reps,
        lapses=lapses,
        suspended=flags[0],
        leech=flags[1],
        retired=flags[2],
        priority=flags[3],
    ),
    st.integers(min_value=0, max_value=10**6),
    st.sampled_from([NEW, LEARNING, REVIEW, RELEARNING]),
    st.integers(min_value=0, max_value=3),
    st.floats(min_value=0.001, max_value=40000, allow_nan=False),
    st.floats(min_value=1.0, max_value=10.0, allow_nan=False),
    st.datetimes(
        min_value=datetime(2020, 1, 1),
        max_value=datetime(2030, 1, 1),
        timezones=st.just(UTC),
    ),
    st.integers(min_value=1, max_value=10**8),
    st.integers(min_value=0, max_value=500),
    st.integers(min_value=0, max_value=50),
    st.tuples(st.booleans(), st.booleans(), st.booleans(), st.booleans()),
)


@no_db
@given(card_states)
def test_state_dict_round_trip_is_exact(state: CardState) -> None:
    data = json.loads(json.dumps(state.to_dict()))
    assert CardState.from_dict(data) == state
    assert CardState.from_dict(data).to_dict() == state.to_dict()


# --- leeches -----------------------------------------------------------------------------


def test_leech_after_eight_lapses() -> None:
    state = review_state("f:c", T0)
    now = T0
    flags = []
    for _ in range(8):
        result = srs.review(state, AGAIN, now, DEFAULTS)
        flags.append(result.became_leech)
        state = result.new_state
        if state.suspended:
            break
        assert state.due is not None
        state = srs.review(state, GOOD, state.due, DEFAULTS).new_state  # relearnt
        assert state.state == REVIEW and state.due is not None
        now = state.due
    assert flags == [False] * 7 + [True]
    assert state.lapses == 8 and state.leech and state.suspended
    queue = srs.build_queue([replace(state, due=T0)], now + 30 * DAY, DEFAULTS, 0, 0)
    assert queue.total == 0
    with pytest.raises(ValueError, match="suspended"):
        srs.review(state, GOOD, now, DEFAULTS)

    # unsuspended by the student, it is a leech again at 12 lapses (Anki: every threshold/2)
    state = replace(state, suspended=False)
    flags = []
    for _ in range(4):
        assert state.due is not None
        state = srs.review(state, GOOD, state.due, DEFAULTS).new_state
        assert state.state == REVIEW and state.due is not None
        result = srs.review(state, AGAIN, state.due, DEFAULTS)
        flags.append(result.became_leech)
        state = result.new_state
    assert flags == [False, False, False, True]
    assert state.lapses == 12 and state.suspended


def test_again_outside_review_state_is_not_a_lapse() -> None:
    learning = learning_state("f:c", T0)
    relearning = learning_state("f:d", T0, state=RELEARNING, lapses=3)
    assert srs.review(learning, AGAIN, T0, DEFAULTS).new_state.lapses == 0
    assert srs.review(relearning, AGAIN, T0, DEFAULTS).new_state.lapses == 3
    assert srs.review(CardState("f:e"), AGAIN, T0, DEFAULTS).new_state.lapses == 0


def test_leech_threshold_zero_disables_leeches() -> None:
    state = review_state("f:c", T0, lapses=50)
    result = srs.review(state, AGAIN, T0, Settings(leech_threshold=0))
    assert not result.became_leech and not result.new_state.suspended


@pytest.mark.parametrize(
    ("threshold", "leech_at"),
    [
        (1, list(range(1, 13))),  # half of 1, rounded up, is 1: every lapse
        (2, list(range(2, 13))),
        (5, [5, 8, 11]),  # then every 3 (half of 5, rounded up)
        (8, [8, 12]),
    ],
)
def test_leech_at_the_threshold_then_every_half_threshold(
    threshold: int, leech_at: list[int]
) -> None:
    """Anki's rule, whatever the setting: the lapse that reaches the threshold, then every
    half threshold (rounded up) after it."""
    settings_ = Settings(enable_fuzzing=False, leech_threshold=threshold, leech_action="tag")
    found = [
        lapses
        for lapses in range(1, 13)
        if srs.review(review_state("f:c", T0, lapses=lapses - 1), AGAIN, T0, settings_).became_leech
    ]
    assert found == [n for n in leech_at if n <= 12]


# --- intervals and labels ------------------------------------------------------------------


def test_preview_intervals_of_a_new_card() -> None:
    preview = srs.preview_intervals(CardState("f:c"), T0, DEFAULTS)
    assert preview == {AGAIN: MIN, HARD: timedelta(minutes=5.5), GOOD: 10 * MIN, EASY: 8 * DAY}
    assert [srs.format_interval(preview[r]) for r in (1, 2, 3, 4)] == ["1m", "6m", "10m", "8d"]


def test_preview_matches_the_actual_review() -> None:
    state = review_state("f:c", T0, interval=10 * DAY, stability=9.0)
    now = T0 + timedelta(hours=3)
    preview = srs.preview_intervals(state, now, DEFAULTS)
    for rating in (AGAIN, HARD, GOOD, EASY):
        due = srs.review(state, rating, now, DEFAULTS).new_state.due
        assert due == now + preview[rating]
    assert preview[AGAIN] == 10 * MIN  # the relearning step
    assert preview[HARD] < preview[GOOD] < preview[EASY]


@pytest.mark.parametrize(
    ("interval", "label"),
    [
        (timedelta(0), "0s"),
        (timedelta(seconds=45), "45s"),
        (timedelta(seconds=59.6), "1m"),
        (MIN, "1m"),
        (timedelta(minutes=5.5), "6m"),
        (10 * MIN, "10m"),
        (timedelta(minutes=59, seconds=40), "1h"),
        (timedelta(hours=1), "1h"),
        (timedelta(hours=1, minutes=29), "1h"),
        (timedelta(hours=1, minutes=30), "2h"),
        (timedelta(hours=23, minutes=40), "1d"),
        (DAY, "1d"),
        (3 * DAY, "3d"),
        (30 * DAY, "30d"),
        (31 * DAY, "1mo"),
        (45 * DAY, "1.5mo"),
        (61 * DAY, "2mo"),
        (350 * DAY, "11.5mo"),
        (364 * DAY, "1y"),  # 11.97 months rounds to 12.0: shown in years
        (365 * DAY, "1y"),
        (438 * DAY, "1.2y"),
        (36500 * DAY, "100y"),
    ],
)
def test_format_interval(interval: timedelta, label: str) -> None:
    assert srs.format_interval(interval) == label


def test_format_interval_rejects_negative() -> None:
    with pytest.raises(ValueError):
        srs.format_interval(timedelta(seconds=-1))


# --- study days ----------------------------------------------------------------------------


def test_study_day_rolls_over_at_4am_local() -> None:
    # New York in winter is UTC-5: 4 am local is 09:00 UTC
    assert srs.study_day(datetime(2024, 1, 15, 8, 59, tzinfo=UTC), NY) == date(2024, 1, 14)
    assert srs.study_day(datetime(2024, 1, 15, 9, 0, tzinfo=UTC), NY) == date(2024, 1, 15)
    # 02:00 UTC on the 15th is still 21:00 on the 14th in New York
    assert srs.study_day(datetime(2024, 1, 15, 2, 0, tzinfo=UTC), NY) == date(2024, 1, 14)
    assert srs.study_day(datetime(2024, 1, 15, 2, 0, tzinfo=UTC), "UTC", 0) == date(2024, 1, 15)
    assert srs.study_day(datetime(2024, 1, 15, 2, 0, tzinfo=UTC), "Asia/Tokyo") == date(2024, 1, 15)


def test_study_day_across_dst_changes() -> None:
    # 10 March 2024: New York springs forward at 2 am (EST -> EDT)
    at_330_local = datetime(2024, 3, 10, 3, 30, tzinfo=NY)
    assert at_330_local.utcoffset() == timedelta(hours=-4)
    assert srs.study_day(at_330_local, NY) == date(2024, 3, 9)
    assert srs.study_day(datetime(2024, 3, 10, 4, 0, tzinfo=NY), NY) == date(2024, 3, 10)
    start, end = srs.day_bounds(date(2024, 3, 9), NY)
    assert start == datetime(2024, 3, 9, 9, 0, tzinfo=UTC)  # 4 am EST
    assert end == datetime(2024, 3, 10, 8, 0, tzinfo=UTC)  # 4 am EDT
    assert end - start == timedelta(hours=23)
    # 3 November 2024: back to EST at 2 am, so that study day lasts 25 hours
    start, end = srs.day_bounds(date(2024, 11, 2), NY)
    assert (start, end) == (
        datetime(2024, 11, 2, 8, 0, tzinfo=UTC),
        datetime(2024, 11, 3, 9, 0, tzinfo=UTC),
    )
    assert srs.study_day(datetime(2024, 11, 3, 3, 30, tzinfo=NY), NY) == date(2024, 11, 2)
    # the 1 am hour happens twice; with the day starting at 1 am, both belong to the 3rd
    first_1am = datetime(2024, 11, 3, 5, 0, tzinfo=UTC)
    assert srs.day_bounds(date(2024, 11, 3), NY, 1)[0] == first_1am
    assert srs.study_day(first_1am - timedelta(seconds=1), NY, 1) == date(2024, 11, 2)
    assert srs.study_day(first_1am + timedelta(minutes=90), NY, 1) == date(2024, 11, 3)
    # a day start inside the spring gap (2 am) begins when the clocks jump
    assert srs.day_bounds(date(2024, 3, 10), NY, 2)[0] == datetime(2024, 3, 10, 7, 0, tzinfo=UTC)


@no_db
@given(
    st.datetimes(
        min_value=datetime(2020, 1, 1), max_value=datetime(2030, 1, 1), timezones=st.just(UTC)
    ),
    st.sampled_from(
        ["UTC", "America/New_York", "Europe/London", "Australia/Lord_Howe", "Asia/Kolkata"]
    ),
    st.integers(min_value=0, max_value=23),
)
def test_study_day_lies_within_its_bounds(now: datetime, tz: str, hour: int) -> None:
    day = srs.study_day(now, tz, hour)
    start, end = srs.day_bounds(day, tz, hour)
    assert start <= now < end
    assert srs.study_day(start, tz, hour) == day
    assert srs.study_day(end, tz, hour) == day + DAY
    assert srs.day_bounds(day + DAY, tz, hour)[0] == end


def test_review_at_330_local_counts_for_the_previous_day() -> None:
    s = Settings(timezone="America/New_York")
    evening = datetime(2024, 3, 9, 22, 0, tzinfo=NY)
    night = datetime(2024, 3, 10, 3, 30, tzinfo=NY)  # after the DST jump, before 4 am
    morning = datetime(2024, 3, 10, 9, 0, tzinfo=NY)
    logs = [
        srs.review(CardState(f"f:{i}"), GOOD, t, s, duration_ms=1000).log
        for i, t in enumerate((evening, night, morning))
    ]
    assert srs.reviews_by_day(logs, NY) == {date(2024, 3, 9): 2, date(2024, 3, 10): 1}
    assert srs.done_today(logs, night, s) == (2, 0)
    assert srs.done_today(logs, morning, s) == (1, 0)
    assert srs.today_summary(logs, night, NY).reviews == 2


# --- daily queue ---------------------------------------------------------------------------


def test_new_cards_in_content_order_capped_by_the_daily_limit() -> None:
    ids = [f"fact-{i:02}:card" for i in range(30)]
    queue = srs.build_queue([], T0, DEFAULTS, 0, 0, all_card_ids_in_order=ids)
    assert [s.card_id for s in queue.new] == ids[:20]
    assert all(s == CardState(s.card_id) for s in queue.new)
    assert queue.new_available == 30
    partly = srs.build_queue([], T0, DEFAULTS, 5, 0, all_card_ids_in_order=ids)
    assert [s.card_id for s in partly.new] == ids[:15]
    assert srs.build_queue([], T0, DEFAULTS, 20, 0, all_card_ids_in_order=ids).new == ()
    assert srs.build_queue([], T0, DEFAULTS, 25, 0, all_card_ids_in_order=ids).new == ()
    # cards already studied are not new; stored new states keep their content position
    seen = [
        review_state(ids[0], T0 + 30 * DAY),
        CardState(ids[3]),
        learning_state(ids[1], T0 + MIN),
    ]
    queue = srs.build_queue(seen, T0, DEFAULTS, 0, 0, all_card_ids_in_order=ids)
    assert [s.card_id for s in queue.new] == [ids[2], *ids[3:22]]


def test_reviews_due_today_by_due_capped_at_200() -> None:
    states = [review_state(f"r:{i:03}", T0 - timedelta(minutes=i)) for i in range(250)]
    queue = srs.build_queue(states, T0, DEFAULTS, 0, 0)
    assert queue.review_count == 200 and queue.reviews_due == 250
    assert [s.card_id for s in queue.review] == [f"r:{i:03}" for i in range(249, 49, -1)]
    assert srs.build_queue(states, T0, DEFAULTS, 0, 190).review_count == 10
    assert srs.build_queue(states, T0, DEFAULTS, 0, 200).review_count == 0
    assert srs.build_queue(states, T0, DEFAULTS, 0, 0, all_card_ids_in_order=[]).new == ()


def test_reviews_due_before_the_end_of_the_study_day_in_new_york() -> None:
    s = Settings(timezone="America/New_York")
    now = datetime(2024, 3, 9, 20, 0, tzinfo=NY)  # study day 9 March ends 08:00 UTC on the 10th
    states = [
        review_state("due-0330", datetime(2024, 3, 10, 3, 30, tzinfo=NY)),  # 07:30 UTC: today
        review_state("due-0430", datetime(2024, 3, 10, 4, 30, tzinfo=NY)),  # tomorrow
        review_state("overdue", datetime(2024, 3, 1, 12, 0, tzinfo=NY)),
        learning_state("learn-now", now - MIN),
        learning_state("learn-later", now + 5 * MIN),
        learning_state("relearn-now", now - 2 * MIN, state=RELEARNING),
    ]
    queue = srs.build_queue(states, now, s, 0, 0)
    assert [c.card_id for c in queue.review] == ["overdue", "due-0330"]
    assert [c.card_id for c in queue.learning] == ["relearn-now", "learn-now"]
    assert queue.next_learning_due == now + 5 * MIN
    assert queue.next_card is not None and queue.next_card.card_id == "relearn-now"
    # in UTC the same instant is in a study day ending 04:00 UTC on the 10th
    assert [c.card_id for c in srs.build_queue(states, now, DEFAULTS, 0, 0).review] == ["overdue"]


def test_next_card_learning_then_review_then_new() -> None:
    lrn = learning_state("l", T0 - MIN)
    rev = review_state("r", T0)
    queue = srs.build_queue([rev, lrn], T0, DEFAULTS, 0, 0, all_card_ids_in_order=["n", "r", "l"])
    assert queue.next_card == lrn
    assert (queue.learning_count, queue.review_count, queue.new_count) == (1, 1, 1)
    assert srs.build_queue([rev], T0, DEFAULTS, 0, 0, all_card_ids_in_order=["n"]).next_card == rev
    only_new = srs.build_queue([], T0, DEFAULTS, 0, 0, all_card_ids_in_order=["n"])
    assert only_new.next_card == CardState("n")
    assert srs.build_queue([], T0, DEFAULTS, 0, 0).next_card is None


def test_topic_filter() -> None:
    states = [review_state("a:1", T0), review_state("b:1", T0), review_state("thesis:1", T0)]
    topics = {"a:1": "alpha", "b:1": "beta", "thesis:1": None, "a:2": "alpha", "b:2": "beta"}
    ids = ["a:1", "b:1", "thesis:1", "a:2", "b:2"]
    queue = srs.build_queue(
        states, T0, DEFAULTS, 0, 0, {"alpha"}, topics, all_card_ids_in_order=ids
    )
    assert [c.card_id for c in queue.review] == ["a:1"]
    assert [c.card_id for c in queue.new] == ["a:2"]
    with pytest.raises(ValueError):
        srs.build_queue(states, T0, DEFAULTS, 0, 0, topic_filter={"alpha"})


def test_duplicate_ids_raise() -> None:
    with pytest.raises(ValueError, match="duplicate state for card x"):
        srs.build_queue([CardState("x"), CardState("x")], T0, DEFAULTS, 0, 0)
    with pytest.raises(ValueError, match="duplicate card id in all_card_ids_in_order: x"):
        srs.build_queue([], T0, DEFAULTS, 0, 0, all_card_ids_in_order=["x", "x"])


def test_negative_counts_raise_naming_the_argument() -> None:
    for args, name in (
        ((-1, 0, 0), "new_done_today"),
        ((0, -1, 0), "reviews_done_today"),
        ((0, 0, -2), "more_new"),
    ):
        new_done, reviews_done, more_new = args
        with pytest.raises(ValueError, match=f"^{name} must not be negative"):
            srs.build_queue([], T0, DEFAULTS, new_done, reviews_done, more_new=more_new)
    with pytest.raises(ValueError, match=r"^limit must not be negative"):
        srs.study_ahead([], T0, DEFAULTS, -1)


def test_states_the_content_order_does_not_list_follow_it() -> None:
    """A stored card missing from ``all_card_ids_in_order`` comes after the listed ones, in
    ``states`` order, whatever its kind; ties on the due time keep that order too."""
    states = [
        CardState("unlisted-new"),
        review_state("unlisted-r", T0 - DAY),
        review_state("listed-r", T0 - DAY),
        learning_state("unlisted-l", T0 - MIN),
        learning_state("listed-l", T0 - MIN),
    ]
    ids = ["listed-r", "listed-new", "listed-l"]
    queue = srs.build_queue(states, T0, DEFAULTS, 0, 0, all_card_ids_in_order=ids)
    assert [c.card_id for c in queue.new] == ["listed-new", "unlisted-new"]
    assert queue.new_available == 2
    more = srs.build_queue(states, T0, DEFAULTS, 0, 0, all_card_ids_in_order=ids, more_new=3)
    assert more.new_available == 5 and more.new == queue.new
    assert [c.card_id for c in queue.review] == ["listed-r", "unlisted-r"]
    assert [c.card_id for c in queue.learning] == ["listed-l", "unlisted-l"]


def test_scheduled_days_only_for_review_cards() -> None:
    assert srs.scheduled_days(review_state("r", T0 + 3 * DAY), DEFAULTS) == 3
    assert srs.scheduled_days(learning_state("l", T0 + 10 * MIN), DEFAULTS) is None
    assert srs.scheduled_days(CardState("n"), DEFAULTS) is None


def test_study_day_bounds_are_utc_whatever_the_servers_zone(monkeypatch) -> None:
    import time as time_module

    monkeypatch.setenv("TZ", "Asia/Kolkata")
    time_module.tzset()
    try:
        start, end = srs.day_bounds(date(2024, 3, 1), "America/New_York")
    finally:
        monkeypatch.undo()
        time_module.tzset()
    assert start.utcoffset() == end.utcoffset() == timedelta(0)
    assert (start, end) == (
        datetime(2024, 3, 1, 9, 0, tzinfo=UTC),
        datetime(2024, 3, 2, 9, 0, tzinfo=UTC),
    )


def test_the_day_start_hour_bounds_today_in_the_queue_and_study_ahead() -> None:
    """With the day starting at midnight, 03:30 is already the next study day: a review due
    at 10:00 is today's, one due at 02:00 the next night is not (with Anki's 4 am, 03:30
    still belongs to the day before)."""
    midnight = Settings(enable_fuzzing=False, day_starts_hour=0)
    now = datetime(2024, 3, 2, 3, 30, tzinfo=UTC)
    today = review_state("today", datetime(2024, 3, 2, 10, 0, tzinfo=UTC))
    tonight = review_state("tonight", datetime(2024, 3, 3, 2, 0, tzinfo=UTC))
    queue = srs.build_queue([today, tonight], now, midnight, 0, 0)
    assert [c.card_id for c in queue.review] == ["today"]
    ahead = srs.study_ahead([today, tonight], now, midnight, 10)
    assert [c.card_id for c in ahead] == ["tonight"]
    # answered at 03:00: today at midnight's start, so not drilled again
    at_three = replace(tonight, last_review=datetime(2024, 3, 2, 3, 0, tzinfo=UTC))
    assert srs.study_ahead([at_three], now, midnight, 10) == []
    # answered at 23:00 the evening before: yesterday at midnight's start, today at 4 am's
    evening = replace(tonight, last_review=datetime(2024, 3, 1, 23, 0, tzinfo=UTC))
    assert srs.study_ahead([evening], now, midnight, 10) == [evening]
    assert srs.study_ahead([evening], now, DEFAULTS, 10) == []


@no_db
@given(
    states=st.lists(card_states, max_size=40, unique_by=lambda s: s.card_id),
    now=st.datetimes(
        min_value=datetime(2020, 1, 1), max_value=datetime(2030, 1, 1), timezones=st.just(UTC)
    ),
    new_per_day=st.integers(min_value=0, max_value=10),
    reviews_per_day=st.integers(min_value=0, max_value=10),
    new_done=st.integers(min_value=0, max_value=12),
    reviews_done=st.integers(min_value=0, max_value=12),
    unseen=st.integers(min_value=0, max_value=5),
)
def test_queue_invariants(
    states: list[CardState],
    now: datetime,
    new_per_day: int,
    reviews_per_day: int,
    new_done: int,
    reviews_done: int,
    unseen: int,
) -> None:
    s = Settings(
        new_per_day=new_per_day, reviews_per_day=reviews_per_day, timezone="America/New_York"
    )
    ids = [f"unseen-{i}" for i in range(unseen)] + [c.card_id for c in reversed(states)]
    queue = srs.build_queue(states, now, s, new_done, reviews_done, all_card_ids_in_order=ids)
    listed = [*queue.learning, *queue.review, *queue.new]
    # suspended (including leeches) and retired cards never appear
    assert all(c.active for c in listed)
    assert not any(c.suspended or c.retired for c in listed)
    assert len({c.card_id for c in listed}) == len(listed)
    # Anki v3: new cards count against the review limit too; quiz-missed new cards bypass both
    room = max(0, reviews_per_day - reviews_done - new_done)
    ordinary_new = [c for c in queue.new if not c.priority]
    assert len(queue.review) <= room
    assert len(queue.review) + len(ordinary_new) <= room
    assert len(ordinary_new) <= max(0, new_per_day - new_done)
    missed_new = {c.card_id for c in states if c.active and c.is_new and c.priority}
    assert missed_new <= {c.card_id for c in queue.new}
    _, day_end = srs.day_bounds(srs.study_day(now, s.tz), s.tz)
    assert all(c.is_learning and c.due is not None and c.due <= now for c in queue.learning)
    assert all(
        c.is_learning and c.due is not None and now < c.due <= now + 20 * MIN
        for c in queue.learning_ahead
    )
    assert all(
        c.state == REVIEW and c.due is not None and (c.due < day_end or c.priority)
        for c in queue.review
    )
    assert all(c.is_new for c in queue.new)
    assert sorted(c.card_id for c in queue.main) == sorted(
        c.card_id for c in (*queue.review, *queue.new)
    )
    # the queue is full when there is room: nothing due is left out for no reason
    due_reviews = [
        c
        for c in states
        if c.active and c.state == REVIEW and c.due and (c.due < day_end or c.priority)
    ]
    assert len(queue.review) == min(room, len(due_reviews))
    for c in srs.study_ahead(states, now, s, 100):
        assert c.active and c.state == REVIEW and c.due is not None and c.due >= day_end


def test_study_ahead() -> None:
    states = [
        review_state("r-later", T0 + 5 * DAY, interval=10 * DAY),
        review_state("r-sooner", T0 + 2 * DAY, interval=10 * DAY),
        review_state("r-due", T0 - DAY),
        review_state("r-suspended", T0 + DAY, suspended=True),
        review_state("r-retired", T0 + DAY, retired=True),
        learning_state("l-soon", T0 + 5 * MIN),
        CardState("new"),
    ]
    ahead = srs.study_ahead(states, T0, DEFAULTS, 10)
    # learning cards keep their steps: they come back through the queue, not as "ahead"
    assert [c.card_id for c in ahead] == ["r-sooner", "r-later"]
    assert [c.card_id for c in srs.study_ahead(states, T0, DEFAULTS, 1)] == ["r-sooner"]
    assert srs.study_ahead(states, T0, DEFAULTS, 0) == []
    # a card answered today (ahead or not) is not drilled again the same day
    answered = srs.review(ahead[0], GOOD, T0, DEFAULTS).new_state
    again = srs.study_ahead([answered, states[0]], T0 + MIN, DEFAULTS, 10)
    assert [c.card_id for c in again] == ["r-later"]
    # a card due exactly when today's study day ends is not today's: it can be studied ahead
    _, day_end = srs.day_bounds(srs.study_day(T0, DEFAULTS.tz), DEFAULTS.tz)
    at_the_end = review_state("r-at-end", day_end)
    assert srs.build_queue([at_the_end], T0, DEFAULTS, 0, 0).review == ()
    assert srs.study_ahead([at_the_end], T0, DEFAULTS, 10) == [at_the_end]
    # by topic, as the queue does
    topics = {"r-later": "alpha", "r-sooner": "beta"}
    by_topic = srs.study_ahead(states, T0, DEFAULTS, 10, {"alpha"}, topics)
    assert [c.card_id for c in by_topic] == ["r-later"]
    with pytest.raises(ValueError, match=r"^topic_filter needs card_topics$"):
        srs.study_ahead(states, T0, DEFAULTS, 10, {"alpha"})


def test_again_while_studying_ahead_keeps_the_relearning_step() -> None:
    """Bug 3: rated Again while studying ahead, a card came back seconds later."""
    card = review_state("r", T0 + 5 * DAY, interval=10 * DAY, stability=10.0)
    lapsed = srs.review(card, AGAIN, T0, DEFAULTS).new_state
    assert lapsed.state == RELEARNING and lapsed.due == T0 + 10 * MIN
    other = review_state("o", T0 + 6 * DAY, interval=10 * DAY)
    later = T0 + timedelta(seconds=10)
    queue = srs.build_queue([lapsed, other], later, DEFAULTS, 0, 0)
    assert queue.learning == () and queue.main == ()
    # studying ahead offers the other card, not the one in its relearning step
    assert [c.card_id for c in srs.study_ahead([lapsed, other], later, DEFAULTS, 10)] == ["o"]


# --- pulling cards forward after a quiz miss -------------------------------------------------


def test_pull_forward_new_card_goes_to_the_front_of_new_cards() -> None:
    ids = [f"c{i}" for i in range(30)]
    missed = srs.pull_forward(CardState("c25"), T0)
    assert missed.priority and missed.is_new
    queue = srs.build_queue([missed], T0, DEFAULTS, 0, 0, all_card_ids_in_order=ids)
    assert [c.card_id for c in queue.new[:3]] == ["c25", "c0", "c1"]
    assert queue.new_count == 20
    reviewed = srs.review(missed, GOOD, T0, DEFAULTS).new_state
    assert reviewed.priority is False


def test_pull_forward_review_card_goes_first_today() -> None:
    future = review_state("r", T0 + 40 * DAY)
    others = [review_state(f"o{i}", T0 - DAY) for i in range(5)]
    assert srs.build_queue([future, *others], T0, DEFAULTS, 0, 0).reviews_due == 5
    missed = srs.pull_forward(future, T0)
    assert missed.due == future.due and missed.priority  # the interval stays known
    capped = Settings(reviews_per_day=3)
    queue = srs.build_queue([*others, missed], T0, capped, 0, 0)
    assert queue.review[0] == missed  # the cap cannot push it out
    assert queue.review_count == 3
    after = srs.review(missed, GOOD, T0, DEFAULTS).new_state
    assert after.priority is False and after.due is not None and after.due > T0
    # an overdue card keeps its due date too
    overdue = review_state("late", T0 - 3 * DAY)
    assert srs.pull_forward(overdue, T0).due == T0 - 3 * DAY


def test_pull_forward_learning_card_and_inactive_cards() -> None:
    lrn = learning_state("l", T0 + 8 * MIN)
    pulled = srs.pull_forward(lrn, T0)
    assert pulled.due == T0 and pulled.priority is True  # marked, as every pulled card is
    assert srs.build_queue([pulled], T0, DEFAULTS, 0, 0).learning == (pulled,)
    suspended = review_state("s", T0 + DAY, suspended=True)
    retired = CardState("x", retired=True)
    assert srs.pull_forward(suspended, T0) == suspended
    assert srs.pull_forward(retired, T0) == retired


# --- statistics ----------------------------------------------------------------------------


def test_retrievability_is_the_librarys() -> None:
    state = review_state("r", T0 + 7 * DAY, interval=7 * DAY, stability=7.0)
    sched = fsrs.Scheduler(enable_fuzzing=False)
    for days in (0, 3, 7, 30):
        now = T0 + days * DAY
        expected = sched.get_card_retrievability(state.to_fsrs(now), now)
        assert srs.retrievability(state, now, DEFAULTS) == expected
    assert srs.retrievability(state, T0, DEFAULTS) == 1.0
    assert srs.retrievability(state, T0 + 7 * DAY, DEFAULTS) == pytest.approx(0.9)
    assert srs.retrievability(CardState("n"), T0, DEFAULTS) == 0.0


def test_counts() -> None:
    states = [
        CardState("n1"),
        learning_state("l1", T0),
        learning_state("l2", T0, state=RELEARNING),
        review_state("y1", T0, interval=20 * DAY),
        review_state("m1", T0, interval=21 * DAY),
        review_state("m2", T0, interval=400 * DAY),
        review_state("s1", T0, suspended=True, leech=True),
        CardState("s2", suspended=True),
        review_state("x1", T0, retired=True, suspended=True),
    ]
    result = srs.counts(states, all_card_ids=["n1", "l1", "unseen-1", "unseen-2"])
    assert result == srs.CardCounts(new=3, learning=2, young=1, mature=2, suspended=2, retired=1)
    assert result.total == 11


def test_future_due() -> None:
    now = datetime(2024, 3, 9, 20, 0, tzinfo=NY)
    states = [
        review_state("overdue", now - 3 * DAY),
        learning_state("soon", now + 5 * MIN),
        review_state("tonight-0330", datetime(2024, 3, 10, 3, 30, tzinfo=NY)),
        review_state("tomorrow", datetime(2024, 3, 10, 9, 0, tzinfo=NY)),
        review_state("in-3-days", datetime(2024, 3, 12, 12, 0, tzinfo=NY)),
        review_state("far", datetime(2024, 6, 1, 12, 0, tzinfo=NY)),
        review_state("suspended", now, suspended=True),
        CardState("new"),
    ]
    result = srs.future_due(states, now, NY, days=4)
    assert result == [
        (date(2024, 3, 9), 3),
        (date(2024, 3, 10), 1),
        (date(2024, 3, 11), 0),
        (date(2024, 3, 12), 1),
    ]
    assert len(srs.future_due(states, now, NY)) == 30


def entry(
    card_id: str, at: datetime, state_before: int, rating: int, ms: int | None = 1000
) -> ReviewLogEntry:
    before = (
        CardState(card_id)
        if state_before == NEW
        else learning_state(card_id, at, state=state_before)
        if state_before in (LEARNING, RELEARNING)
        else review_state(card_id, at)
    )
    return ReviewLogEntry(card_id, rating, at, ms, before.to_dict(), before.to_dict())


def test_true_retention_counting_rules() -> None:
    d1 = datetime(2024, 3, 5, 10, 0, tzinfo=NY)
    d2 = datetime(2024, 3, 6, 10, 0, tzinfo=NY)
    logs = [
        entry("A", d1 + timedelta(hours=2), REVIEW, AGAIN),  # A's second review of day 1: ignored
        entry("A", d1, REVIEW, GOOD),  # first of day 1, in Review: pass
        entry("A", d2 - timedelta(hours=6, minutes=30), REVIEW, AGAIN),  # 3:30 am: still day 1
        entry("A", d2, REVIEW, HARD),  # first of day 2: pass (Hard passes)
        entry("B", d1, REVIEW, AGAIN),  # first of day 1: fail
        entry("B", d1 + timedelta(minutes=10), RELEARNING, GOOD),  # not first: ignored
        entry("C", d1, LEARNING, GOOD),  # first of the day but not in Review: ignored
        entry("C", d1 + DAY / 2, REVIEW, AGAIN),  # in Review but not first: ignored
        entry("D", d2, NEW, AGAIN),  # a new card: ignored
        entry("E", d2, RELEARNING, EASY),  # relearning: ignored
    ]
    result = srs.true_retention(logs, NY)
    assert result == (2, 1, 2 / 3)
    passed, failed, rate = result
    assert (passed, failed) == (2, 1) and rate == pytest.approx(0.6667, abs=1e-4)
    assert srs.true_retention([], NY) == (0, 0, None)
    assert srs.true_retention(logs[6:], NY) == (0, 0, None)
    # in UTC, 3:30 am New York time (07:30 UTC) falls on day 2: A's Again is then day 2's first
    assert srs.true_retention(logs, "UTC") == (1, 2, 1 / 3)


def test_reviews_by_day_and_today_summary() -> None:
    now = datetime(2024, 3, 6, 18, 0, tzinfo=NY)
    logs = [
        entry("A", datetime(2024, 3, 6, 9, 0, tzinfo=NY), REVIEW, GOOD, 3000),
        entry("B", datetime(2024, 3, 6, 9, 1, tzinfo=NY), REVIEW, AGAIN, 5500),
        entry("C", datetime(2024, 3, 6, 4, 0, tzinfo=NY), NEW, GOOD, None),
        entry("D", datetime(2024, 3, 6, 3, 59, tzinfo=NY), REVIEW, AGAIN, 10_000),  # day before
        entry("E", datetime(2024, 3, 7, 4, 1, tzinfo=NY), REVIEW, AGAIN, 10_000),  # day after
    ]
    assert srs.reviews_by_day(logs, NY) == {
        date(2024, 3, 5): 1,
        date(2024, 3, 6): 3,
        date(2024, 3, 7): 1,
    }
    summary = srs.today_summary(logs, now, NY)
    assert summary.reviews == 3
    assert summary.again == 1
    assert summary.time_spent == timedelta(seconds=8.5)
    assert summary.again_rate == pytest.approx(1 / 3)
    empty = srs.today_summary([], now, NY)
    assert (empty.reviews, empty.time_spent, empty.again_rate) == (0, timedelta(0), None)
    s = Settings(timezone="America/New_York")
    assert srs.done_today(logs, now, s) == (1, 2)


def test_undoing_a_review_gives_the_daily_slot_back() -> None:
    ids = [f"c{i}" for i in range(3)]
    s = Settings(new_per_day=2)
    first = srs.review(CardState("c0"), GOOD, T0, s)
    logs = [first.log]
    done = srs.done_today(logs, T0, s)
    queue = srs.build_queue(
        [first.new_state], T0, s, done.new, done.reviews, all_card_ids_in_order=ids
    )
    assert [c.card_id for c in queue.new] == ["c1"]
    restored = srs.undo(logs.pop())
    done = srs.done_today(logs, T0, s)
    queue = srs.build_queue([restored], T0, s, done.new, done.reviews, all_card_ids_in_order=ids)
    assert [c.card_id for c in queue.new] == ["c0", "c1"]


def test_module_is_pure() -> None:
    source = srs.__file__
    assert source is not None
    files = sorted(Path(source).parent.glob("*.py"))
    assert len(files) > 1  # the package's modules, not only its __init__
    text = "".join(path.read_text(encoding="utf-8") for path in files)
    for forbidden in (
        "import flask",
        "from flask",
        "sqlalchemy",
        "datetime.now",
        "time.time",
        "utcnow",
    ):
        assert forbidden not in text.lower()


def test_timezone_object_or_name() -> None:
    now = datetime(2024, 1, 15, 8, 0, tzinfo=UTC)
    assert srs.study_day(now, NY) == srs.study_day(now, "America/New_York")
    fixed = timezone(timedelta(hours=-5))
    assert srs.study_day(now, fixed) == date(2024, 1, 14)
    with pytest.raises(ValueError):
        srs.study_day(now, "Nowhere/Nothing")


# --- study days, clock changes, fuzz and button order (issue 13) ----------------------------


def test_elapsed_time_counts_study_days_not_24_hour_periods() -> None:
    """Answered at 20:00 and again at 19:50 the next evening: one study day has passed, so the
    review uses the forgetting curve after 1 day (as Anki), not a same-day review."""
    paris = Settings(timezone="Europe/Paris", enable_fuzzing=False)
    first = datetime(2026, 5, 4, 18, 0, tzinfo=UTC)  # 20:00 in Paris
    state = review_state("f:c", first + DAY, interval=DAY, stability=3.0)
    assert state.last_review == first
    now = first + DAY - 10 * MIN  # 19:50 the next day: 23 h 50 min later
    assert srs.elapsed_days(first, now, "Europe/Paris", 4) == 1
    after = srs.review(state, GOOD, now, paris).new_state
    sched = fsrs.Scheduler(enable_fuzzing=False)
    card = fsrs.Card(
        card_id=1,
        state=fsrs.State.Review,
        stability=3.0,
        difficulty=5.0,
        last_review=now - DAY,
        due=now,
    )
    one_day, _ = sched.review_card(card, fsrs.Rating.Good, now)
    assert after.stability == round(one_day.stability, 4)  # stored to 4 places, as Anki
    same_day, _ = sched.review_card(
        fsrs.Card(
            card_id=1,
            state=fsrs.State.Review,
            stability=3.0,
            difficulty=5.0,
            last_review=first,
            due=now,
        ),
        fsrs.Rating.Good,
        now,
    )
    assert after.stability > same_day.stability  # the 24-hour count took it for a same-day review
    # and across the 4 am rollover: 03:00 to 05:00 is a new study day too
    assert (
        srs.elapsed_days(
            datetime(2026, 5, 5, 1, 0, tzinfo=UTC),
            datetime(2026, 5, 5, 3, 0, tzinfo=UTC),
            "Europe/Paris",
            4,
        )
        == 1
    )


CLOCK_CHANGES = [
    # zone, the local date of a clock change, which way
    ("Europe/Paris", date(2026, 3, 29), "spring"),
    ("Europe/Paris", date(2026, 10, 25), "fall"),
    ("America/New_York", date(2026, 3, 8), "spring"),
    ("America/New_York", date(2026, 11, 1), "fall"),
]


@pytest.mark.parametrize(("zone", "day", "change"), CLOCK_CHANGES)
@pytest.mark.parametrize("local_time", [(0, 30), (1, 30), (2, 30), (3, 59), (4, 37), (23, 10)])
def test_due_days_are_study_days_across_clock_changes(
    zone: str, day: date, change: str, local_time: tuple[int, int]
) -> None:
    """A card given n days is due exactly n study days later, never the same study day (the
    fall-back bug: graduating at 04:37 gave 03:37 the next morning) and never n + 1 (spring)."""
    tz = ZoneInfo(zone)
    for shift in (-1, 0):  # answered the day before the change, or on the day itself
        local = datetime.combine(day + timedelta(days=shift), time(*local_time), tzinfo=tz)
        now = local.astimezone(UTC)
        today = srs.study_day(now, zone, 4)
        for n in (1, 2, 3, 10):
            due = srs.due_in_days(now, n, zone, 4)
            assert srs.study_day(due, zone, 4) == today + timedelta(days=n), (local, n)
            assert srs.elapsed_days(now, due, zone, 4) == n
            start, end = srs.day_bounds(today + timedelta(days=n), zone, 4)
            assert start <= due < end


@pytest.mark.parametrize(("zone", "day", "change"), CLOCK_CHANGES)
def test_graduating_at_0437_on_a_clock_change_day(zone: str, day: date, change: str) -> None:
    tz = ZoneInfo(zone)
    learning = CardState("f:c")
    start = datetime.combine(day, time(4, 27), tzinfo=tz).astimezone(UTC)
    learning = srs.review(learning, GOOD, start, Settings(timezone=zone)).new_state
    now = datetime.combine(day, time(4, 37), tzinfo=tz).astimezone(UTC)
    settings_ = Settings(timezone=zone, enable_fuzzing=False)
    graduated = srs.review(learning, GOOD, now, settings_).new_state
    assert graduated.state == REVIEW and graduated.due is not None
    days = srs.scheduled_days(graduated, settings_)
    assert days is not None and days >= 1
    assert srs.study_day(graduated.due, zone, 4) == day + timedelta(days=days)
    # not shown again before the day it is due
    tomorrow_start, _ = srs.day_bounds(day + timedelta(days=1), zone, 4)
    queue = srs.build_queue([graduated], tomorrow_start - MIN, settings_, 0, 0)
    assert queue.total == 0
    assert graduated.due.astimezone(tz).time() == time(4, 37)


def test_fuzz_is_seeded_per_card_and_review() -> None:
    assert srs.fuzz_factor("a", 3) == srs.fuzz_factor("a", 3)
    factors = {srs.fuzz_factor(f"c{i}", 5) for i in range(50)}
    assert len(factors) == 50 and all(0 <= f < 1 for f in factors)
    assert srs.fuzz_factor("a", 3) != srs.fuzz_factor("a", 4)
    # Anki's ranges: 2.5-7 days 15 %, 7-20 days 10 %, beyond 5 %, plus a day
    assert srs.fuzz_delta(2.0) == srs.fuzz_delta(2.49) == 0.0
    assert srs.fuzz_delta(2.5) == 1.0  # from 2.5 days on (Anki: interval < 2.5 has none)
    assert srs.fuzz_delta(7.0) == pytest.approx(1 + 0.15 * 4.5)
    assert srs.fuzz_delta(100.0) == pytest.approx(1 + 0.15 * 4.5 + 0.1 * 13 + 0.05 * 80)
    assert srs.constrained_fuzz_bounds(100.0, 1, 36500) == (93, 107)
    assert srs.with_review_fuzz(None, 9.5, 1, 36500) == 10
    assert srs.with_review_fuzz(0.0, 100.0, 1, 36500) == 93
    assert srs.with_review_fuzz(0.999, 100.0, 1, 36500) == 107
    # a passed review's floor: one day past the previous interval when FSRS grew it; the
    # previous interval when it shrank within the fuzz range (3 days: up to 4); else none
    assert srs.minimum_review_fuzz_interval(10.0, 5, 36500) == 6
    assert srs.minimum_review_fuzz_interval(3.0, 4, 36500) == 4
    assert srs.minimum_review_fuzz_interval(3.0, 5, 36500) == 0
    # fuzz spreads a clump of cards learned together
    fuzzed = Settings()
    state = review_state("x", T0, interval=30 * DAY, stability=40.0)
    dues = {
        srs.review(replace(state, card_id=f"c{i}"), GOOD, T0, fuzzed).new_state.due
        for i in range(30)
    }
    assert len(dues) > 5


def test_passed_review_is_never_shorter_than_the_last_interval() -> None:
    """With desired retention raised, FSRS alone would shorten a passed card's interval; Anki
    keeps it at least as long as the previous one while within the fuzz range."""
    state = review_state("f:c", T0, interval=10 * DAY, stability=10.5)
    strict = Settings(enable_fuzzing=False, desired_retention=0.95)
    days = srs.preview_days(state, T0, strict)
    assert days[HARD] is not None and days[HARD] >= 10
    assert days[HARD] < days[GOOD] < days[EASY]  # type: ignore[operator]


@no_db
@given(
    state=st.builds(
        CardState,
        card_id=st.text("abc:-", min_size=1, max_size=6),
        state=st.sampled_from([NEW, LEARNING, REVIEW, RELEARNING]),
        step=st.integers(0, 1),
        stability=st.floats(0.01, 3000),
        difficulty=st.floats(1, 10),
        due=st.datetimes(datetime(2024, 1, 1), datetime(2026, 12, 31), timezones=st.just(UTC)),
        last_review=st.datetimes(
            datetime(2023, 1, 1), datetime(2026, 12, 31), timezones=st.just(UTC)
        ),
        reps=st.integers(0, 50),
    ),
    now=st.datetimes(datetime(2024, 1, 1), datetime(2027, 6, 1), timezones=st.just(UTC)),
    zone=st.sampled_from(["UTC", "Europe/Paris", "America/New_York", "Asia/Kolkata"]),
    fuzz=st.booleans(),
    retention=st.sampled_from([0.8, 0.9, 0.97]),
    maximum=st.sampled_from([3, 100, 36500]),
)
def test_button_intervals_are_ordered_and_exactly_what_gets_scheduled(
    state: CardState,
    now: datetime,
    zone: str,
    fuzz: bool,
    retention: float,
    maximum: int,
) -> None:
    if state.state == NEW:
        state = CardState(state.card_id)
    elif state.last_review is not None and state.last_review > now:
        state = replace(state, last_review=now - DAY)
    s = Settings(
        timezone=zone, enable_fuzzing=fuzz, desired_retention=retention, maximum_interval=maximum
    )
    preview = srs.preview_intervals(state, now, s)
    assert [preview[r] for r in RATINGS] == sorted(preview[r] for r in RATINGS)
    days = srs.preview_days(state, now, s)
    passing = [days[r] for r in (HARD, GOOD, EASY) if days[r] is not None]
    assert passing == sorted(passing)
    if state.state == REVIEW:  # review answers: Hard < Good < Easy unless the maximum binds
        assert all(d is not None for d in passing)
        assert len(set(passing)) == 3 or passing[-1] == maximum
    for rating in RATINGS:
        after = srs.review(state, rating, now, s).new_state
        assert after.due == now + preview[rating]
        if days[rating] is not None:
            assert srs.scheduled_days(after, s) == days[rating]
            assert 1 <= days[rating] <= maximum  # type: ignore[operator]


RATINGS = (AGAIN, HARD, GOOD, EASY)


def test_new_cards_count_against_the_review_limit_as_in_anki_v3() -> None:
    """With 195 reviews due and the default limits, Anki shows 5 new cards, not 20."""
    reviews = [review_state(f"r{i:03}", T0 - MIN) for i in range(195)]
    ids = [f"n{i:02}" for i in range(30)]
    queue = srs.build_queue(reviews, T0, DEFAULTS, 0, 0, all_card_ids_in_order=ids)
    assert (queue.review_count, queue.new_count) == (195, 5)
    # new cards already introduced today use up review room too
    assert srs.build_queue(reviews, T0, DEFAULTS, 3, 0, all_card_ids_in_order=ids).new_count == 2
    assert srs.build_queue(reviews, T0, DEFAULTS, 10, 0).review_count == 190
    # a quiz-missed new card is due at once even when the new cards of the day are used up
    missed = srs.pull_forward(CardState("n29"), T0)
    used_up = srs.build_queue([*reviews, missed], T0, DEFAULTS, 20, 0, all_card_ids_in_order=ids)
    assert [c.card_id for c in used_up.new] == ["n29"]


def test_learn_ahead_shows_a_learning_card_due_within_20_minutes() -> None:
    soon = learning_state("soon", T0 + MIN)
    later = learning_state("later", T0 + 30 * MIN)
    queue = srs.build_queue([soon, later], T0, DEFAULTS, 0, 0)
    assert queue.learning == () and queue.learning_ahead == (soon,)
    assert queue.next_card == soon and queue.learning_count == 1
    assert queue.next_learning_due == T0 + MIN
    # but only once nothing else is left
    rev = review_state("r", T0)
    assert srs.build_queue([soon, rev], T0, DEFAULTS, 0, 0).next_card == rev
    off = Settings(enable_fuzzing=False, learn_ahead_minutes=0)
    assert srs.build_queue([soon], T0, off, 0, 0).next_card is None
    # the limit itself is inside; cards ahead come soonest first
    edge = learning_state("edge", T0 + 20 * MIN)
    ahead = srs.build_queue([edge, later, soon], T0, DEFAULTS, 0, 0).learning_ahead
    assert [c.card_id for c in ahead] == ["soon", "edge"]


def test_new_cards_mixed_among_reviews_by_default() -> None:
    reviews = [review_state(f"r{i}", T0 - timedelta(minutes=10 - i)) for i in range(6)]
    ids = ["n0", "n1"]
    mixed = srs.build_queue(reviews, T0, DEFAULTS, 0, 0, all_card_ids_in_order=ids)
    assert [c.card_id for c in mixed.main] == ["r0", "r1", "n0", "r2", "r3", "n1", "r4", "r5"]
    after = Settings(enable_fuzzing=False, new_mix="after")
    q = srs.build_queue(reviews, T0, after, 0, 0, all_card_ids_in_order=ids)
    assert [c.card_id for c in q.main] == ["r0", "r1", "r2", "r3", "r4", "r5", "n0", "n1"]
    before = Settings(enable_fuzzing=False, new_mix="before")
    q = srs.build_queue(reviews, T0, before, 0, 0, all_card_ids_in_order=ids)
    assert [c.card_id for c in q.main][:2] == ["n0", "n1"]
    assert srs.intersperse([], [CardState("a")]) == [CardState("a")]
    # a tie goes to the review: with 3 reviews and 1 new card, both fall at the halfway mark
    r = [CardState(f"r{i}") for i in range(3)]
    mixed_tie = srs.intersperse(r, [CardState("n")])
    assert [c.card_id for c in mixed_tie] == ["r0", "r1", "n", "r2"]


def test_reviews_sorted_by_due_or_by_retrievability() -> None:
    # "weak" is due later but has the lower stability: it is the more forgotten now
    strong = review_state("strong", T0 - 2 * DAY, interval=30 * DAY, stability=40.0)
    weak = review_state("weak", T0 - DAY, interval=2 * DAY, stability=0.5)
    by_due = srs.build_queue([weak, strong], T0, DEFAULTS, 0, 0)
    assert [c.card_id for c in by_due.review] == ["strong", "weak"]
    s = Settings(enable_fuzzing=False, review_sort="retrievability")
    assert srs.retrievability(weak, T0, s) < srs.retrievability(strong, T0, s)
    by_r = srs.build_queue([strong, weak], T0, s, 0, 0)
    assert [c.card_id for c in by_r.review] == ["weak", "strong"]
    # a card pulled forward by a quiz miss comes first, whichever the order
    pulled = srs.pull_forward(review_state("pulled", T0 + 9 * DAY, stability=90.0), T0)
    for sort in (DEFAULTS, s):
        queue = srs.build_queue([weak, strong, pulled], T0, sort, 0, 0)
        assert queue.review[0] == pulled


def test_leech_action_tag_only_keeps_the_card_in_the_queue() -> None:
    card = review_state("l", T0, lapses=7)
    tag_only = Settings(enable_fuzzing=False, leech_action="tag")
    result = srs.review(card, AGAIN, T0, tag_only)
    assert result.became_leech and result.new_state.leech and not result.new_state.suspended
    suspend = srs.review(card, AGAIN, T0, DEFAULTS)
    assert suspend.became_leech and suspend.new_state.suspended
    with pytest.raises(ValueError):
        Settings(leech_action="delete")


def test_retrievability_counts_hours() -> None:
    """Bug 5: 23 hours after a review the whole-day count still said 100 %."""
    state = review_state("r", T0 + 3 * DAY, interval=3 * DAY, stability=2.0)
    assert state.last_review == T0
    assert srs.retrievability(state, T0, DEFAULTS) == 1.0
    after_23h = srs.retrievability(state, T0 + timedelta(hours=23), DEFAULTS)
    after_1d = srs.retrievability(state, T0 + DAY, DEFAULTS)
    assert 0.9 < after_1d < after_23h < 0.99
    sched = fsrs.Scheduler()
    card = state.to_fsrs(T0 + DAY)
    assert after_1d == pytest.approx(sched.get_card_retrievability(card, T0 + DAY), rel=1e-9)


def test_retire_missing() -> None:
    states = [CardState("gone"), CardState("back", retired=True), CardState("kept")]
    out = srs.retire_missing(states, ["back", "kept"])
    assert [(s.card_id, s.retired) for s in out] == [
        ("gone", True),
        ("back", False),
        ("kept", False),
    ]


@no_db
@given(st.lists(st.integers(1, 40 * 86400), min_size=1, max_size=5))
def test_steps_round_trip_exactly(seconds: list[int]) -> None:
    steps = tuple(timedelta(seconds=s) for s in seconds)
    assert srs.parse_steps(srs.format_steps(steps)) == steps
    assert srs.format_steps([timedelta(minutes=90), timedelta(hours=48)]) == "90m 2d"
    with pytest.raises(ValueError):
        srs.parse_steps("1.5h")


def test_button_labels_count_study_days_across_a_clock_change() -> None:
    paris = Settings(timezone="Europe/Paris", enable_fuzzing=False)
    # the evening before the spring change: a 1-day interval is 23 hours long
    now = datetime(2026, 3, 28, 20, 0, tzinfo=ZoneInfo("Europe/Paris"))
    card = review_state("r", now, interval=DAY, stability=0.6, difficulty=8.0)
    labels = srs.button_labels(card, now, paris)
    days = srs.preview_days(card, now, paris)
    assert days[HARD] == 1 and srs.preview_intervals(card, now, paris)[HARD] == 23 * timedelta(
        hours=1
    )
    assert labels[HARD] == "1d"
    assert labels[AGAIN] == "10m"
    assert labels == {r: srs.format_interval(DAY * d) if d else labels[r] for r, d in days.items()}


# --- new settings: reschedule and replay (pure; the settings page runs them over every card) --


def history(card_id: str, ratings: list[int], settings_: Settings) -> tuple[CardState, list]:
    """A card answered with ``ratings``, each when it falls due, and its logs."""
    state, logs, now = CardState(card_id), [], T0
    for rating in ratings:
        result = srs.review(state, rating, now, settings_)
        state, now = result.new_state, max(now + MIN, result.new_state.due or now)
        logs.append(result.log)
    return state, logs


def test_reschedule_uses_the_interval_fsrs_gives_now() -> None:
    # at 90 % retention FSRS's interval is the stability: 100 days, unfuzzed here
    card = review_state("r", T0 + 40 * DAY, interval=40 * DAY, stability=100.0)
    assert card.last_review is not None
    assert srs.reschedule(card, DEFAULTS).due == srs.due_in_days(card.last_review, 100, UTC, 4)
    # at least a day, and no more than the maximum interval
    weak = review_state("w", T0 + DAY, interval=DAY, stability=0.2)
    assert srs.reschedule(weak, DEFAULTS).due == srs.due_in_days(T0, 1, UTC, 4)
    capped = Settings(enable_fuzzing=False, maximum_interval=1)
    assert srs.reschedule(card, capped).due == srs.due_in_days(card.last_review, 1, UTC, 4)
    assert srs.answer_states(card, T0 + 40 * DAY, capped)[EASY].due == srs.due_in_days(
        T0 + 40 * DAY, 1, UTC, 4
    )


def test_reschedule_under_the_same_settings_keeps_the_fuzzed_due_date() -> None:
    """Fuzz is seeded by the card and its review count: rescheduling under unchanged
    settings lands each card on the day its last review gave it."""
    fuzzed = Settings()
    for i in range(8):
        state, _ = history(f"f:{i}", [GOOD, GOOD, GOOD, GOOD, GOOD], fuzzed)
        assert state.state == REVIEW and srs.scheduled_days(state, fuzzed) >= 7
        assert srs.reschedule(state, fuzzed) == state, state.card_id


def test_reschedule_of_a_card_graduated_by_its_first_answer() -> None:
    fuzzed = Settings()
    for i in range(8):
        state, _ = history(f"e:{i}", [EASY], fuzzed)
        assert state.state == REVIEW and state.reps == 1
        assert srs.reschedule(state, fuzzed) == state, state.card_id


def test_replay_recomputes_the_scheduling_under_new_steps() -> None:
    stepped, logs = history("c", [GOOD], DEFAULTS)
    assert (stepped.state, stepped.step) == (LEARNING, 1)
    no_steps = Settings(enable_fuzzing=False, learning_steps=())
    replayed = srs.replay(stepped, logs, no_steps)
    assert replayed is not None and (replayed.state, replayed.step) == (REVIEW, None)
    assert replayed.last_review == stepped.last_review and replayed.reps == 1
    back = srs.replay(replayed, logs, DEFAULTS)
    assert back == stepped
    # new FSRS parameters: the memory state and due date are those the history gives now
    weights = list(DEFAULT_PARAMETERS)
    weights[0:4] = [w * 2 for w in weights[0:4]]  # initial stabilities doubled
    weights[4] += 1.0  # a higher initial difficulty
    fitted = Settings(enable_fuzzing=False, parameters=tuple(weights))
    state, logs = history("p", [GOOD, GOOD, GOOD, AGAIN, GOOD, GOOD, GOOD], DEFAULTS)
    answered_again = CardState("p")  # the same answers at the same times, under the new weights
    for log in logs:
        answered_again = srs.review(answered_again, log.rating, log.reviewed_at, fitted).new_state
    replayed = srs.replay(state, logs, fitted)
    assert replayed == answered_again
    assert replayed is not None and replayed.stability != state.stability
    assert replayed.difficulty != state.difficulty and replayed.due != state.due
    # only the card's whole history, from its first answer, can be replayed
    assert srs.replay(stepped, [], DEFAULTS) is None
    assert srs.replay(replace(stepped, reps=2), logs, DEFAULTS) is None


def test_replay_goes_past_the_leech_threshold() -> None:
    """A history with more lapses than the threshold replays whole (no suspension midway)."""
    tagged = Settings(enable_fuzzing=False, leech_threshold=0)
    state, logs = history("l", [GOOD, GOOD, GOOD] + [AGAIN, GOOD] * 9, tagged)
    assert state.lapses == 9
    replayed = srs.replay(state, logs, DEFAULTS)
    assert replayed is not None and replayed.due == state.due


def test_again_without_relearning_steps_keeps_a_review_card_in_review() -> None:
    no_steps = Settings(enable_fuzzing=False, relearning_steps=())
    card = review_state("r", T0, interval=30 * DAY, stability=30.0)
    after = srs.review(card, AGAIN, T0, no_steps).new_state
    assert after.state == REVIEW and after.lapses == 1
    assert after.due == srs.due_in_days(T0, srs.preview_days(card, T0, no_steps)[AGAIN], UTC, 4)


def test_queue_shows_the_cards_it_holds() -> None:
    states = [
        learning_state("now", T0 - MIN),
        learning_state("soon", T0 + MIN),
        review_state("r", T0),
        review_state("later", T0 + 30 * DAY),
    ]
    queue = srs.build_queue(states, T0, DEFAULTS, 0, 0, all_card_ids_in_order=["n"])
    assert [c for c in ("now", "soon", "r", "n", "later", "x") if queue.shows(c)] == [
        "now",
        "soon",
        "r",
        "n",
    ]


def test_elapsed_and_due_days_follow_the_day_start_hour() -> None:
    """Both counts use the learner's day start for both ends: with the day starting at
    midnight, 03:00 and 03:30 the next night are one study day apart (as with 4 am, each
    in the day before); a day after 03:30 is 03:30 the next night."""
    answered, now = datetime(2024, 3, 2, 3, 0, tzinfo=UTC), datetime(2024, 3, 3, 3, 30, tzinfo=UTC)
    assert srs.elapsed_days(answered, now, "UTC", 0) == 1
    assert srs.elapsed_days(answered, now, "UTC", 4) == 1
    assert srs.elapsed_days(answered, now - DAY, "UTC", 0) == 0
    assert srs.due_in_days(now, 1, "UTC", 0) == now + DAY
    assert srs.due_in_days(now, 2, "UTC", 0) == now + 2 * DAY
