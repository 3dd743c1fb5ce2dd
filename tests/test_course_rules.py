"""The pure rules of course assignments: settings, windows, the pick among courses, due next."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from quizapp import course_rules as rules
from quizapp.bank.model import Quiz, ReviewOptions

T0 = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
QUIZ = Quiz(
    id="final",
    title="Final",
    topics=("a",),
    questions=4,
    mix=(("single", 4),),
    attempts=2,
    grading="highest",
    feedback="deferred",
    time_limit=20,
)


def test_the_content_file_is_the_default() -> None:
    e = rules.effective(QUIZ, None, None)
    assert e.quiz == QUIZ and e.opens_at is None and e.due_at is None


def test_the_course_overrides_attempts_time_limit_review_and_dates() -> None:
    review = ReviewOptions.default("immediate")
    terms = rules.Terms(
        opens_at=T0, closes_at=T0 + timedelta(days=7), due_at=T0 + timedelta(days=6),
        attempts=5, time_limit=45, review=review,
    )  # fmt: skip
    e = rules.effective(QUIZ, terms, None)
    assert (e.quiz.attempts, e.quiz.time_limit, e.quiz.review) == (5, 45, review)
    assert e.quiz.closes == T0 + timedelta(days=7)
    assert (e.opens_at, e.due_at) == (T0, T0 + timedelta(days=6))
    # 0 means unlimited attempts and no time limit
    e = rules.effective(QUIZ, rules.Terms(attempts=0, time_limit=0), None)
    assert e.quiz.attempts == 0 and e.quiz.time_limit is None


def test_an_override_adds_time_attempts_and_a_later_close() -> None:
    terms = rules.Terms(closes_at=T0 + timedelta(days=1), due_at=T0 + timedelta(hours=20))
    acc = rules.Accommodation(extra_minutes=10, extra_attempts=1, closes_at=T0 + timedelta(days=3))
    e = rules.effective(QUIZ, terms, acc)
    assert e.quiz.time_limit == 30 and e.quiz.attempts == 3
    assert e.quiz.closes == T0 + timedelta(days=3)
    assert e.due_at == T0 + timedelta(days=3), "a later close moves the due date with it"
    # extra attempts on an unlimited quiz stay unlimited; extra minutes on an untimed one, none
    e = rules.effective(QUIZ, rules.Terms(attempts=0, time_limit=0), acc)
    assert e.quiz.attempts == 0 and e.quiz.time_limit is None


def test_the_window() -> None:
    opens, closes = T0, T0 + timedelta(hours=1)
    assert rules.window_problem(opens, closes, T0 - timedelta(seconds=1)) == "not open yet"
    assert rules.window_problem(opens, closes, T0) == ""
    assert rules.window_problem(opens, closes, closes - timedelta(seconds=1)) == ""
    assert rules.window_problem(opens, closes, closes) == "closed"
    assert rules.window_problem(None, None, T0) == ""


def test_the_deadline_is_the_limit_or_the_close_if_sooner() -> None:
    quiz = rules.effective(QUIZ, rules.Terms(closes_at=T0 + timedelta(minutes=15)), None).quiz
    assert rules.deadline(quiz, T0) == T0 + timedelta(minutes=15)
    assert rules.deadline(quiz, T0 - timedelta(minutes=10)) == T0 + timedelta(minutes=10)
    extra = rules.effective(QUIZ, None, rules.Accommodation(extra_minutes=25)).quiz
    assert rules.deadline(extra, T0) == T0 + timedelta(minutes=45)


def test_several_courses_give_the_most_generous_open_one() -> None:
    closed = rules.effective(QUIZ, rules.Terms(closes_at=T0 - timedelta(hours=1)), None)
    soon = rules.effective(QUIZ, rules.Terms(closes_at=T0 + timedelta(hours=1)), None)
    later = rules.effective(QUIZ, rules.Terms(closes_at=T0 + timedelta(hours=5)), None)
    future = rules.effective(QUIZ, rules.Terms(opens_at=T0 + timedelta(days=1)), None)
    never = rules.effective(QUIZ, rules.Terms(), None)
    assert rules.pick([closed, soon, later], T0) is later
    assert rules.pick([closed, soon, never], T0) is never
    assert rules.pick([closed, future], T0) is future
    assert rules.pick([closed], T0) is closed
    assert rules.pick([], T0) is None


@given(st.lists(st.integers(-48, 48), min_size=1, max_size=6), st.integers(-48, 48))
def test_pick_never_chooses_a_shut_quiz_when_one_is_open(hours: list[int], at: int) -> None:
    now = T0 + timedelta(hours=at)
    options = [rules.effective(QUIZ, rules.Terms(closes_at=T0 + timedelta(hours=h)), None)
               for h in hours]  # fmt: skip
    chosen = rules.pick(options, now)
    assert chosen is not None
    if any(rules.window_problem(o.opens_at, o.quiz.closes, now) == "" for o in options):
        assert rules.window_problem(chosen.opens_at, chosen.quiz.closes, now) == ""


def test_due_next_orders_by_date_and_leaves_out_undated_done_and_closed() -> None:
    def item(title: str, due: int | None, closes: int | None = None, done: bool = False):  # type: ignore[no-untyped-def]
        return rules.DueItem(
            essay="e", quiz_id=title, title=title,
            due_at=None if due is None else T0 + timedelta(days=due),
            closes_at=None if closes is None else T0 + timedelta(days=closes),
            opens_at=None, done=done,
        )  # fmt: skip

    items = [item("c", None), item("b", 3), item("a", 1), item("done", 0, done=True),
             item("shut", None, closes=-1), item("closing", None, closes=2)]  # fmt: skip
    assert [i.title for i in rules.due_next(items, T0)] == ["a", "closing", "b"]
    assert [i.title for i in rules.due_next(items, T0, limit=2)] == ["a", "closing"]


def test_join_codes_and_slugs() -> None:
    code = rules.new_join_code()
    assert len(code) == 8 and set(code) <= set(rules.CODE_ALPHABET)
    assert not set(code) & set("01OIL")
    assert rules.normalize_code(" ab3d-ef9h ") == "AB3DEF9H"
    assert rules.course_slug("Modern History", "Fall 2026") == "modern-history-fall-2026"
    assert rules.course_slug("Éthique & société") == "ethique-societe"
    assert rules.course_slug("!!!") == "course"


def test_review_presets_round_trip() -> None:
    for name in rules.REVIEW_PRESETS:
        assert rules.preset_of(rules.review_preset(name)) == name
    marks = rules.review_from_json(rules.review_preset("marks"))
    assert marks is not None and marks.later == frozenset({"marks"})
    assert rules.review_from_json(None) is None
