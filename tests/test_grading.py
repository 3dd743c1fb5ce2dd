"""Grading: the points each item type earns, typed-answer matching, and form parsing."""

from __future__ import annotations

import json
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict

from quizapp import grading
from quizapp.bank import ITEM_TYPES, build_bank, load_content
from quizapp.bank.model import Item, Origin, Source
from quizapp.grading import (
    Grade,
    answer_matches,
    correct_response,
    empty_response,
    from_json,
    grade,
    parse_form,
    to_json,
)

from .conftest import TINY

SOURCES = (Source("essay", 1, "a quote"),)
ORIGIN = Origin("fact", ("fact-1",))


def make_item(
    type: str,
    answer: Any,
    options: tuple[str, ...] = (),
    prompts: tuple[str, ...] = (),
    match: tuple[str, ...] = (),
) -> Item:
    return Item(
        id=f"test:{type}",
        type=type,
        prompt="A question?",
        answer=answer,
        sources=SOURCES,
        origin=ORIGIN,
        topics=("topic",),
        options=options,
        prompts=prompts,
        match=match,
    )


FOUR = ("Mainz", "Venice", "Paris", "Westminster")
TINY_BANK = build_bank(load_content(TINY).essays["printing-press"])


def form_for(item: Item, response: grading.Response) -> dict[str, str | list[str]]:
    """The form a browser would post for ``response``."""
    family = grading.grader_for(item.type).family
    if family in ("choice_one", "choice_many"):
        return {"choice": [str(i) for i in response]}
    prefix = {"typed": "blank", "ordering": "pos", "matching": "match"}[family]
    return {
        f"{prefix}-{i}": "" if value is None else str(value) for i, value in enumerate(response)
    }


def test_every_item_type_has_a_grader() -> None:
    assert set(grading.GRADERS) == set(ITEM_TYPES)
    with pytest.raises(ValueError, match="no grader"):
        grading.grader_for("essay")


def test_grade_fraction_and_correct() -> None:
    assert Grade(0.5, 1.0, False, ()).fraction == 0.5
    assert Grade(0.0, 0.0, False, ()).fraction == 0.0
    result = grade(make_item("single", 1, FOUR), (1,))
    assert result == Grade(1.0, 1.0, True, (True, True, True, True))


# --- choice one ----------------------------------------------------------------------------


@pytest.mark.parametrize("type", ["single", "true_false", "reason", "stance"])
@pytest.mark.parametrize(
    ("response", "points", "parts"),
    [
        pytest.param((1,), 1.0, (True, True), id="right"),
        pytest.param((0,), 0.0, (False, False), id="wrong"),
        pytest.param((), 0.0, (True, False), id="none"),
    ],
)
def test_choice_one(type: str, response: tuple[int, ...], points: float, parts: tuple) -> None:
    item = make_item(type, 1, ("True", "False"))
    result = grade(item, response)
    assert (result.points, result.correct, result.parts) == (points, points == 1.0, parts)
    assert result.max_points == 1.0


# --- choice many ---------------------------------------------------------------------------

# Five options, two right (k = 2: +0.5 each), three wrong (n - k = 3: -1/3 each).
MANY = make_item("multiple", [0, 2], ("Venice", "Paris", "Westminster", "Mainz", "London"))


@pytest.mark.parametrize(
    ("response", "points"),
    [
        pytest.param((0, 2), 1.0, id="both-right"),
        pytest.param((2,), 0.5, id="one-right"),
        pytest.param((0, 1, 2), 0.6667, id="both-right-one-wrong"),
        pytest.param((0, 1), 0.1667, id="one-right-one-wrong"),
        pytest.param((0, 1, 3), 0.0, id="clamped-at-zero"),
        pytest.param((1, 3, 4), 0.0, id="all-wrong"),
        pytest.param((0, 1, 2, 3, 4), 0.0, id="everything"),
        pytest.param((), 0.0, id="none"),
    ],
)
@pytest.mark.parametrize("type", ["multiple", "reasons_multiple"])
def test_choice_many(type: str, response: tuple[int, ...], points: float) -> None:
    item = make_item(type, MANY.answer, MANY.options)
    result = grade(item, response)
    assert result.points == points
    assert result.correct is (points == 1.0)


def test_choice_many_parts_are_per_option() -> None:
    # selected right, selected wrong, unselected right, unselected wrong, unselected wrong
    assert grade(MANY, (0, 1)).parts == (True, False, False, True, True)


def test_choice_many_all_options_right_costs_nothing() -> None:
    item = make_item("multiple", [0, 1], ("a", "b"))
    assert grade(item, (0, 1)).points == 1.0
    assert grade(item, (1,)).points == 0.5


def test_choice_many_without_a_right_option_is_right_only_when_left_blank() -> None:
    item = make_item("multiple", [], ("a", "b", "c"))
    assert grade(item, ()) == Grade(1.0, 1.0, True, (True, True, True))
    assert grade(item, (1,)) == Grade(0.0, 1.0, False, (True, False, True))


# --- typed answers -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "accepted", "mode", "expected"),
    [
        # normalization: case, accents, punctuation, leading articles
        ("venice", ["Venice"], "fuzzy", True),
        ("  VENICE. ", ["Venice"], "fuzzy", True),
        ("the Kremlin", ["Kremlin"], "fuzzy", True),
        ("Kremlin", ["The Kremlin"], "fuzzy", True),
        ("The Kremlin", ["Kremlin"], "exact", True),
        ("Sao Paulo", ["São Paulo"], "fuzzy", True),
        ("Mulheim", ["Mülheim"], "exact", True),
        # fuzzy: small slips in longer names are accepted
        ("Lavrof", ["Lavrov"], "fuzzy", True),
        ("Lavorv", ["Lavrov"], "fuzzy", True),  # two swapped letters: one edit
        ("Kazakstan", ["Kazakhstan"], "fuzzy", True),
        ("Kazakstn", ["Kazakhstan"], "fuzzy", True),  # 10+ letters: two edits
        ("Venise", ["Venice"], "fuzzy", True),
        ("Westminister", ["Westminster"], "fuzzy", True),
        ("Gutenburg", ["Johannes Gutenberg", "Gutenberg"], "fuzzy", True),
        ("Johanes Gutenburg", ["Johannes Gutenberg", "Gutenberg"], "fuzzy", True),
        ("Guten berg", ["Gutenberg"], "fuzzy", True),
        ("JohannesGutenberg", ["Johannes Gutenberg"], "fuzzy", True),
        ("Sergei Lavrov", ["Sergei Lavrov", "Lavrov"], "fuzzy", True),
        ("Lavrov", ["Sergei Lavrov", "Lavrov"], "fuzzy", True),
        ("Puton", ["Putin"], "fuzzy", True),  # five letters allow one edit
        # fuzzy: different names are rejected
        ("Iran", ["Iraq"], "fuzzy", False),
        ("Iraq", ["Iran"], "fuzzy", False),
        ("Irak", ["Iraq"], "fuzzy", False),  # four letters or fewer: exact only
        ("Mali", ["Bali"], "fuzzy", False),
        ("Paris", ["Venice"], "fuzzy", False),
        ("Austria", ["Australia"], "fuzzy", False),
        ("Slovakia", ["Slovenia"], "fuzzy", False),
        ("East Germany", ["West Germany"], "fuzzy", False),
        ("North Korea", ["South Korea"], "fuzzy", False),
        ("Lavrov", ["Sergei Lavrov"], "fuzzy", False),
        ("Putinn", ["Putin", "Vladimir Putin"], "fuzzy", True),
        ("Abes", ["Thebes"], "fuzzy", False),  # a word's start is no article
        ("Catch-23", ["Catch-22"], "fuzzy", False),  # digits are never fuzzy
        ("2004", ["2003"], "fuzzy", False),
        # exact: years, dates, numbers
        ("2003", ["2003"], "exact", True),
        ("2004", ["2003"], "exact", False),
        ("2,003", ["2003"], "exact", True),  # a thousands separator
        ("2 003", ["2003"], "exact", True),
        ("20,03", ["2003"], "exact", False),  # not a thousands separator
        ("1,000", ["1000"], "exact", True),
        ("2.50", ["2.5"], "exact", True),
        ("25", ["2.5"], "exact", False),
        ("200", ["two hundred", "200"], "exact", True),
        ("Two Hundred", ["two hundred", "200"], "exact", True),
        ("two hundred", ["200"], "exact", True),  # number words
        ("two hundrd", ["two hundred", "200"], "exact", False),  # no slips in exact blanks
        ("2003", ["2003"], "fuzzy", True),
        ("14 June 1455", ["14 June 1455"], "exact", True),
        ("15 June 1455", ["14 June 1455"], "exact", False),
        # nothing typed, or garbage
        ("", ["Venice"], "fuzzy", False),
        ("   ", ["Venice"], "fuzzy", False),
        ("...", ["Venice"], "fuzzy", False),
        ("the", ["Venice"], "fuzzy", False),
        ("Venice\x00", ["Venice"], "fuzzy", False),
        ("Venice" + " " * 400, ["Venice"], "fuzzy", False),
        ("Venice", [], "fuzzy", False),
    ],
)
def test_answer_matches(given: str, accepted: list[str], mode: str, expected: bool) -> None:
    assert answer_matches(given, accepted, mode) is expected


def test_answer_matches_is_fuzzy_by_default() -> None:
    assert answer_matches("Lavrof", ["Lavrov"])
    assert not answer_matches("Lavrof", ["Lavrov"], "exact")


CLOZE = make_item(
    "cloze", [["Venice"], ["Westminster"], ["1476"]], match=("fuzzy",) * 2 + ("exact",)
)


@pytest.mark.parametrize(
    ("response", "points", "parts"),
    [
        pytest.param(("Venice", "Westminster", "1476"), 1.0, (True, True, True), id="all"),
        pytest.param(("venise", "the Westminster", "1,476"), 1.0, (True, True, True), id="lenient"),
        pytest.param(("Venice", "Westminster", "1477"), 0.6667, (True, True, False), id="year-off"),
        pytest.param(("Venice", "", ""), 0.3333, (True, False, False), id="one"),
        pytest.param(("Venice", "Venice", "Venice"), 0.3333, (True, False, False), id="repeated"),
        pytest.param(("Westminster", "Venice", "1476"), 0.3333, (False, False, True), id="swapped"),
        pytest.param(("", "", ""), 0.0, (False, False, False), id="empty"),
    ],
)
def test_cloze(response: tuple[str, ...], points: float, parts: tuple[bool, ...]) -> None:
    result = grade(CLOZE, response)
    assert (result.points, result.parts, result.correct) == (points, parts, points == 1.0)
    # the exact mark, summed over an attempt before rounding once: thirds, not 0.3333
    assert result.exact == Fraction(sum(parts), 3)


def test_short_answer_takes_any_listed_alternative() -> None:
    item = make_item("short_answer", [["Johannes Gutenberg", "Gutenberg"]], match=("fuzzy",))
    assert grade(item, ("Gutenberg",)).correct
    assert grade(item, ("johannes gutenburg",)).correct
    assert grade(item, ("Caxton",)).points == 0.0
    assert correct_response(item) == ("Johannes Gutenberg",)


def test_a_blank_given_as_one_string_is_its_only_accepted_answer() -> None:
    item = make_item("cloze", ["Venice", ["Westminster", "London"]])
    assert grade(item, ("Venice", "London")).correct
    assert correct_response(item) == ("Venice", "Westminster")


def test_items_with_nothing_to_answer_earn_nothing() -> None:
    """A stored question gone wrong (no blanks, no slots, an answer that is not a list) is
    never a free point."""
    for item in (
        make_item("cloze", []),
        make_item("cloze", "Venice"),
        make_item("ordering", [], EVENTS),
        make_item("matching", [], ("Mainz",), prompts=()),
    ):
        assert empty_response(item) == ()
        assert grade(item, ()) == Grade(0.0, 1.0, False, ()), item.answer


def test_each_graders_score_and_rules_agree() -> None:
    """``score`` and ``accepted_by`` say what ``score_and_rules`` says, for every grader."""
    for item in TINY_BANK.items:
        grader = grading.grader_for(item.type)
        for response in (correct_response(item), empty_response(item)):
            points, parts, rules = grader.score_and_rules(item, response)
            assert grader.score(item, response) == (points, parts)
            assert grader.accepted_by(item, response) == rules
            if grader.family == "typed" and response == correct_response(item):
                assert all(rules), item.id


def test_a_blank_with_no_usable_answer_has_an_empty_key_and_takes_nothing() -> None:
    item = make_item("cloze", [[], ["Westminster"], [7]])  # stored JSON gone wrong
    assert correct_response(item) == ("", "Westminster", "")
    assert grade(item, ("", "Westminster", "7")).parts == (False, True, False)


def test_blank_without_a_match_mode_is_fuzzy() -> None:
    item = make_item("cloze", [["Westminster"]])
    assert grade(item, ("Westminister",)).correct


# --- ordering and matching -----------------------------------------------------------------

EVENTS = ("Printing reaches England", "Gutenberg builds his press", "Bible printed", "Towns")


@pytest.mark.parametrize(
    ("response", "points", "parts"),
    [
        pytest.param((1, 2, 0, 3), 1.0, (True, True, True, True), id="right"),
        pytest.param((1, 2, 3, 0), 0.5, (True, True, False, False), id="last-two-swapped"),
        pytest.param((2, 1, 0, 3), 0.5, (False, False, True, True), id="first-two-swapped"),
        pytest.param((3, 0, 2, 1), 0.0, (False, False, False, False), id="reversed"),
        pytest.param((1, 1, 1, 1), 0.25, (True, False, False, False), id="one-option-everywhere"),
        pytest.param((1, None, None, 3), 0.5, (True, False, False, True), id="gaps"),
        pytest.param((None,) * 4, 0.0, (False,) * 4, id="empty"),
    ],
)
def test_ordering(response: tuple[int | None, ...], points: float, parts: tuple) -> None:
    result = grade(make_item("ordering", [1, 2, 0, 3], EVENTS), response)
    assert (result.points, result.parts, result.correct) == (points, parts, points == 1.0)


PROMPTS = ("Caxton set up at _____.", "The Bible was printed at _____.", "_____ became largest.")


@pytest.mark.parametrize("type", ["matching", "evidence_matching"])
@pytest.mark.parametrize(
    ("response", "points", "parts"),
    [
        pytest.param((2, 0, 1), 1.0, (True, True, True), id="right"),
        pytest.param((2, 1, 0), 0.3333, (True, False, False), id="one"),
        pytest.param((0, 1, 2), 0.0, (False, False, False), id="none-right"),
        pytest.param((2, 2, 2), 0.3333, (True, False, False), id="same-option-everywhere"),
        pytest.param((None, 0, None), 0.3333, (False, True, False), id="gaps"),
        pytest.param((None,) * 3, 0.0, (False,) * 3, id="empty"),
    ],
)
def test_matching(type: str, response: tuple, points: float, parts: tuple) -> None:
    item = make_item(type, [2, 0, 1], ("Mainz", "Venice", "Westminster"), prompts=PROMPTS)
    result = grade(item, response)
    assert (result.points, result.parts, result.correct) == (points, parts, points == 1.0)


# --- empty responses, forms, JSON ----------------------------------------------------------

SINGLE = make_item("single", 2, FOUR)
ORDERING = make_item("ordering", [1, 2, 0, 3], EVENTS)
MATCHING = make_item("matching", [2, 0, 1], ("Mainz", "Venice", "Westminster"), prompts=PROMPTS)


@pytest.mark.parametrize(
    ("item", "empty"),
    [
        (SINGLE, ()),
        (MANY, ()),
        (CLOZE, ("", "", "")),
        (ORDERING, (None,) * 4),
        (MATCHING, (None,) * 3),
    ],
    ids=lambda v: v.type if isinstance(v, Item) else "",
)
def test_empty_response_scores_zero(item: Item, empty: tuple) -> None:
    assert empty_response(item) == empty
    assert parse_form(item, {}) == empty
    result = grade(item, empty)
    assert result.points == 0.0 and not result.correct


@pytest.mark.parametrize(
    ("form", "expected"),
    [
        ({"choice": "2"}, (2,)),
        ({"choice": ["2"]}, (2,)),
        ({"choice": " 2 "}, (2,)),
        ({"choice": "02"}, (2,)),
        ({"choice": ["2", "2"]}, (2,)),
        ({"choice": ["1", "2"]}, ()),  # two answers to a one-answer question
        ({}, ()),
        ({"choice": ""}, ()),
        ({"choice": []}, ()),
        ({"choice": "abc"}, ()),
        ({"choice": "-1"}, ()),
        ({"choice": "+1"}, ()),
        ({"choice": "4"}, ()),
        ({"choice": "1.0"}, ()),
        ({"choice": "1_0"}, ()),
        ({"choice": "١"}, ()),  # an Arabic-Indic digit
        ({"choice": "2\x00"}, ()),
        ({"choice": "9" * 5000}, ()),
        ({"choice": "99999999999999999999"}, ()),
        ({"Choice": "2", "blank-0": "2"}, ()),
    ],
)
def test_parse_form_choice_one(form: dict, expected: tuple) -> None:
    assert parse_form(SINGLE, form) == expected


@pytest.mark.parametrize(
    ("form", "expected"),
    [
        ({"choice": ["0", "2"]}, (0, 2)),
        ({"choice": ["2", "0", "2"]}, (0, 2)),
        ({"choice": "3"}, (3,)),
        ({"choice": ["0", "x", "7", "-1", "", "2\x00", "4"]}, (0, 4)),
        ({"choice": []}, ()),
        ({}, ()),
    ],
)
def test_parse_form_choice_many(form: dict, expected: tuple) -> None:
    assert parse_form(MANY, form) == expected


@pytest.mark.parametrize(
    ("form", "expected"),
    [
        (
            {"blank-0": "Venice", "blank-1": "Westminster", "blank-2": "1476"},
            ("Venice", "Westminster", "1476"),
        ),
        ({"blank-0": ["  Venice "], "blank-2": "1476"}, ("Venice", "", "1476")),
        ({"blank-0": ["Venice", "Paris"]}, ("", "", "")),  # ambiguous
        ({"blank-0": "Ven\x00ice"}, ("", "", "")),
        ({"blank-0": "x" * (grading.MAX_ANSWER_CHARS + 1)}, ("", "", "")),
        # the limit counts the answer as typed (spaces too): 300 characters pass, 301 do not
        ({"blank-0": "Venice".ljust(grading.MAX_ANSWER_CHARS)}, ("Venice", "", "")),
        ({"blank-0": "Venice".ljust(grading.MAX_ANSWER_CHARS + 1)}, ("", "", "")),
        ({"blank-0": "\ud800"}, ("", "", "")),  # a lone surrogate cannot be stored
        ({"blank-3": "extra", "blank--1": "x", "blank-x": "y"}, ("", "", "")),
        ({}, ("", "", "")),
    ],
)
def test_parse_form_typed(form: dict, expected: tuple) -> None:
    assert parse_form(CLOZE, form) == expected


def test_the_answer_limit_is_300_characters_as_typed() -> None:
    assert grading.MAX_ANSWER_CHARS == 300
    item = make_item("short_answer", [["Venice"]])
    at_limit, over = "Venice".ljust(300), "Venice".ljust(301)
    assert answer_matches(at_limit, ["Venice"]) and not answer_matches(over, ["Venice"])
    assert grade(item, (at_limit,)).correct and not grade(item, (over,)).correct
    assert from_json(item, [at_limit]) == ("Venice",) and from_json(item, [over]) == ("",)


@pytest.mark.parametrize(
    ("item", "form", "expected"),
    [
        (ORDERING, {"pos-0": "1", "pos-1": "2", "pos-2": "0", "pos-3": "3"}, (1, 2, 0, 3)),
        (ORDERING, {"pos-0": "1", "pos-1": "x", "pos-2": "9", "pos-4": "0"}, (1, None, None, None)),
        (ORDERING, {"pos-0": ["1", "2"], "pos-3": ["3"]}, (None, None, None, 3)),
        (MATCHING, {"match-0": "2", "match-1": "0", "match-2": "1"}, (2, 0, 1)),
        (MATCHING, {"match-0": "3", "match-1": "", "match-2": "1\x00"}, (None, None, None)),
        (MATCHING, {"pos-0": "2", "match-3": "1"}, (None, None, None)),
    ],
    ids=lambda v: v.type if isinstance(v, Item) else "",
)
def test_parse_form_slots(item: Item, form: dict, expected: tuple) -> None:
    assert parse_form(item, form) == expected


def test_parse_form_reads_a_werkzeug_multidict() -> None:
    assert parse_form(MANY, MultiDict([("choice", "0"), ("choice", "2")])) == (0, 2)
    assert parse_form(SINGLE, MultiDict([("choice", "1")])) == (1,)
    assert parse_form(CLOZE, MultiDict([("blank-1", "Westminster")])) == ("", "Westminster", "")


@pytest.mark.parametrize(
    ("item", "response"),
    [
        (SINGLE, (2,)),
        (SINGLE, ()),
        (MANY, (0, 1, 4)),
        (CLOZE, ("Venice", "", 'l\'été "1476"')),
        (ORDERING, (1, None, 0, 3)),
        (MATCHING, (None, None, None)),
    ],
    ids=lambda v: v.type if isinstance(v, Item) else "",
)
def test_json_round_trip(item: Item, response: tuple) -> None:
    stored = to_json(response)
    assert isinstance(stored, list)
    assert from_json(item, json.loads(json.dumps(stored))) == response
    assert from_json(item, json.dumps(stored)) == response


@pytest.mark.parametrize(
    ("item", "data", "expected"),
    [
        (SINGLE, None, ()),
        (SINGLE, {"choice": 2}, ()),
        (SINGLE, [True], ()),
        (SINGLE, [2.0], ()),
        (SINGLE, [7], ()),
        (SINGLE, "not json", ()),
        (SINGLE, "[" * 100_000, ()),
        (MANY, [4, 0, 0, "x", None, -1], (0, 4)),
        (CLOZE, ["Venice"], ("Venice", "", "")),
        (CLOZE, ["a", "b", "c", "d"], ("a", "b", "c")),
        (CLOZE, [1, None, ["x"]], ("", "", "")),
        (ORDERING, [1, 2], (1, 2, None, None)),
        (ORDERING, [1, 2, 0, 3, 4, 5], (1, 2, 0, 3)),
        (MATCHING, b"[2, 0, 1]", (2, 0, 1)),
        (MATCHING, b"\xff", (None, None, None)),
    ],
    ids=lambda v: v.type if isinstance(v, Item) else "",
)
def test_from_json_tolerates_garbage(item: Item, data: Any, expected: tuple) -> None:
    assert from_json(item, data) == expected
    assert 0.0 <= grade(item, from_json(item, data)).points <= 1.0


def test_grade_coerces_a_malformed_response() -> None:
    assert grade(SINGLE, ("2",)).correct  # type: ignore[arg-type]
    assert grade(CLOZE, ("Venice",)).points == 0.3333
    assert grade(ORDERING, (1, 2, 0, 3, 9)).correct
    assert grade(MATCHING, ("x", None)).points == 0.0  # type: ignore[arg-type]


# --- the generated bank --------------------------------------------------------------------


@pytest.mark.parametrize("item", TINY_BANK.items, ids=lambda i: i.id)
def test_bank_items_grade_right_empty_and_posted(item: Item) -> None:
    right = correct_response(item)
    assert grade(item, right) == Grade(1.0, 1.0, True, grade(item, right).parts)
    assert all(grade(item, right).parts)
    assert parse_form(item, form_for(item, right)) == right
    assert grade(item, empty_response(item)).points == 0.0


FIELDS = [
    "choice",
    *(f"blank-{i}" for i in range(4)),
    *(f"pos-{i}" for i in range(6)),
    *(f"match-{i}" for i in range(6)),
]
VALUES = st.one_of(
    st.text(max_size=40),
    st.integers(min_value=-3, max_value=8).map(str),
    st.sampled_from(["", " 1 ", "1\x00", "9" * 5000, "x" * 400, "1e3", "0x1", "Venice", "1476"]),
)
FORMS = st.dictionaries(
    st.one_of(st.sampled_from(FIELDS), st.text(max_size=10)),
    st.one_of(VALUES, st.lists(VALUES, max_size=5)),
    max_size=12,
)


@settings(max_examples=300, deadline=None)
@given(item=st.sampled_from(TINY_BANK.items), form=FORMS)
def test_any_form_parses_and_grades_within_bounds(item: Item, form: dict) -> None:
    response = parse_form(item, form)
    result = grade(item, response)
    assert 0.0 <= result.points <= result.max_points == 1.0
    assert result.correct is (result.points == result.max_points)
    assert round(result.points, 4) == result.points
    assert from_json(item, json.loads(json.dumps(to_json(response)))) == response
    assert parse_form(item, form_for(item, response)) == response
