"""Typed answers with more words around the key (typed_answers/details.py and the place form),
review 8: the essay's further detail after the answer, a description of a name, a unit
abbreviated or a number restated, an approximation, a place's adjective or administrative units.
Each rule: answers it accepts and answers it must refuse, then properties."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quizapp.typed_answers import (
    DESCRIPTION,
    FRAME,
    NUMBER,
    PLACE,
    RULES,
    adjectives,
    bases,
    match_answer,
)
from quizapp.typed_answers.details import described
from quizapp.typed_answers.rules import APPROXIMATION, CONTINUED, DETAIL, UNIT
from quizapp.typed_answers.words import words

# The items' own texts (quote, explanation), as the seed essay's bank gives them, widened where
# the essay's sentence goes on (the further detail is judged on the item's texts only).
CEE = ["Central and Eastern Europe", "Eastern Europe", "CEE"]
CEE_TEXTS = (
    "one mainly towards the countries of Central and Eastern Europe, but also, more "
    "indirectly, towards its near abroad, the other mainly towards Taiwan",
    "Moscow aimed its narrative mainly at the countries of Central and Eastern Europe.",
)
SEVEN = ["7", "seven", "the past seven years", "for the past seven years"]
SEVEN_TEXTS = (
    "been in discussions with them for the past seven years and openly since at least 2019",
    "According to Russia's leaders, Moscow has been in discussions with the Taliban for the "
    "past 7 years.",
)
HOW_LONG = "For how many years has Moscow been in discussions with the Taliban?"
STANS = ("mainly Kazakhstan, Uzbekistan, Tajikistan",)
NEAR_ABROAD = ("concerned for its near abroad in Central Asia, mainly Kazakhstan, Uzbekistan, "
               "Tajikistan.",)  # fmt: skip
VITKINE = ["Benoît Vitkine", "Vitkine"]
VITKINE_TEXTS = (
    "as Le Monde’s journalist Benoît Vitkine summarized it well",
    "The journalist Benoît Vitkine wrote that treating the Taliban as a recognized force "
    "contradicts Russia's doctrine of support for legitimate states, but that this is "
    "secondary for Moscow.",
)
VITKINE_Q = "Which journalist does the author quote on Russia's doctrine?"
LAVROV = ["Sergei Lavrov", "Lavrov", "the Russian foreign minister", "Russia's foreign minister"]
LAVROV_TEXTS = ("Sergei Lavrov has been Russia's foreign minister since 2004.",)
LE_DRIAN = ["Jean-Yves Le Drian", "Le Drian"]
LE_DRIAN_TEXTS = (
    "as Jean-Yves Le Drian, then the French Minister of Defense, pointed out",
    "Jean-Yves Le Drian pointed out that the Kremlin has fought ISIS only marginally in Syria. "
    "Le Drian was France's Minister of Defense from 2012 to 2017 and then foreign minister "
    "until 2022, hence the essay's 'then'.",
)
OFFICE = ["Minister of Defense", "Defense Minister", "Minister of Defence"]
OFFICE_TEXTS = (
    "then the French Minister of Defense",
    "At the time of the remark on Syria that the author cites, Jean-Yves Le Drian was the "
    "French Minister of Defense.",
)
BEIJING = ["Beijing", "China", "the PRC", "PRC"]
BEIJING_TEXTS = (
    "Unlike Beijing, which, albeit with great caution, considers economic opportunities",
    "Unlike Russia, Beijing cautiously considers economic opportunities in Afghanistan.",
)
BEIJING_Q = "Which capital, unlike Moscow, cautiously considers economic opportunities?"
CAUCASUS = ["Caucasus", "North Caucasus"]
CAUCASUS_TEXTS = (
    "within the Russian Federation, mainly in the Caucasus",
    "Inside the Russian Federation, Moscow fears terrorist movements will grow stronger mainly "
    "in the Caucasus.",
)
CENTRAL_ASIA_TEXTS = (
    "cannot look on the major security risks facing the countries of Central Asia",
    "Westerners cannot be indifferent to the major security risks facing the countries of "
    "Central Asia.",
)


def rules_of(given_: str, accepted: list[str], mode: str, texts: tuple, question: str = ""):
    found = match_answer(given_, accepted, mode, texts, question=question)
    return None if found is None else found.rules


# --- 1. the essay's own further detail after the answer ------------------------------------


@pytest.mark.parametrize(
    ("given_", "accepted", "mode", "texts"),
    [
        ("Central and Eastern Europe, and more indirectly its near abroad", CEE, "fuzzy", CEE_TEXTS),
        ("Central and Eastern Europe and, indirectly, its near abroad", CEE, "fuzzy", CEE_TEXTS),
        ("Central and Eastern Europe (and indirectly its near abroad)", CEE, "fuzzy", CEE_TEXTS),
        ("Central and Eastern Europe - more indirectly its near abroad", CEE, "fuzzy", CEE_TEXTS),
        ("7 years, openly since 2019", SEVEN, "exact", SEVEN_TEXTS),
        ("seven years and openly since 2019", SEVEN, "exact", SEVEN_TEXTS),
        ("7 years (openly since at least 2019)", SEVEN, "exact", SEVEN_TEXTS),
        # examples of a place that the texts name as its parts
        ("Central Asia (Kazakhstan, Uzbekistan, Tajikistan)", ["Central Asia"], "fuzzy",
         NEAR_ABROAD),
        ("Central Asia (Kazakhstan, Uzbekistan)", ["Central Asia"], "fuzzy", NEAR_ABROAD),
    ],
)  # fmt: skip
def test_the_answer_with_the_essays_further_detail(
    given_: str, accepted: list[str], mode: str, texts: tuple
) -> None:
    found = rules_of(given_, accepted, mode, texts)
    assert found is not None and DETAIL in found, given_
    assert match_answer(given_, accepted, mode, texts, RULES - {DETAIL}) is None


@pytest.mark.parametrize(
    ("given_", "accepted", "mode", "texts"),
    [
        # another answer before the key, or beside it
        ("Central Asia, then Central and Eastern Europe", CEE, "fuzzy", CEE_TEXTS),
        ("Central and Eastern Europe and Central Asia", CEE, "fuzzy", CEE_TEXTS),
        ("Central and Eastern Europe, and more indirectly Central Asia", CEE, "fuzzy", CEE_TEXTS),
        ("Central and Eastern Europe and Taiwan", CEE, "fuzzy", CEE_TEXTS),
        # hedges of every form
        ("Central and Eastern Europe or its near abroad", CEE, "fuzzy", CEE_TEXTS),
        ("Central and Eastern Europe, maybe its near abroad", CEE, "fuzzy", CEE_TEXTS),
        ("Central and Eastern Europe, not its near abroad", CEE, "fuzzy", CEE_TEXTS),
        ("Central and Eastern Europe (perhaps its near abroad)", CEE, "fuzzy", CEE_TEXTS),
        ("7 or 8", SEVEN, "exact", SEVEN_TEXTS),
        ("6 or 7", SEVEN, "exact", SEVEN_TEXTS),
        ("7 years, or 8", SEVEN, "exact", SEVEN_TEXTS),
        ("7-8", SEVEN, "exact", SEVEN_TEXTS),
        # a detail the texts do not give after the key
        ("7 years, openly since 2018", SEVEN, "exact", SEVEN_TEXTS),
        ("seven years (since 2014)", SEVEN, "exact", SEVEN_TEXTS),
        ("Central and Eastern Europe, and more indirectly its near abroad", CEE, "fuzzy",
         ("one mainly towards the countries of Central and Eastern Europe",)),
        # the next answer of a list the texts give is no detail
        ("Kazakhstan, Uzbekistan", ["Kazakhstan"], "fuzzy", STANS),
        ("Kazakhstan and Uzbekistan", ["Kazakhstan"], "fuzzy", STANS),
        # examples the texts do not give as the place's parts
        ("Central Asia (Kazakhstan, Kyrgyzstan)", ["Central Asia"], "fuzzy", NEAR_ABROAD),
        ("Central Asia (Afghanistan)", ["Central Asia"], "fuzzy", NEAR_ABROAD),
        ("Central Asia (Kazakhstan, Uzbekistan, Tajikistan)", ["Central Asia"], "fuzzy",
         CENTRAL_ASIA_TEXTS),
        # another subject of the sentence
        ("Vitkine, the Taliban", VITKINE, "fuzzy", VITKINE_TEXTS),
        ("Le Drian, the Kremlin", LE_DRIAN, "fuzzy", LE_DRIAN_TEXTS),
        ("Le Drian, then foreign minister", LE_DRIAN, "fuzzy", LE_DRIAN_TEXTS),
    ],
)  # fmt: skip
def test_a_further_detail_never_adds_another_answer_or_a_hedge(
    given_: str, accepted: list[str], mode: str, texts: tuple
) -> None:
    assert rules_of(given_, accepted, mode, texts) is None, given_


# --- 2. a description beside a name ----------------------------------------------------------


@pytest.mark.parametrize(
    ("given_", "accepted", "texts", "question"),
    [
        ("Benoît Vitkine, a Le Monde journalist", VITKINE, VITKINE_TEXTS, VITKINE_Q),
        ("Benoît Vitkine, journalist at Le Monde", VITKINE, VITKINE_TEXTS, VITKINE_Q),
        ("Benoît Vitkine of the newspaper Le Monde", VITKINE, VITKINE_TEXTS, VITKINE_Q),
        ("Le Monde journalist Vitkine", VITKINE, VITKINE_TEXTS, VITKINE_Q),
        ("Vitkine (a Le Monde journalist)", VITKINE, VITKINE_TEXTS, VITKINE_Q),
        ("Jean-Yves Le Drian, the French defense minister", LE_DRIAN, LE_DRIAN_TEXTS, ""),
        ("Le Drian (French defense minister)", LE_DRIAN, LE_DRIAN_TEXTS, ""),
        ("French Defense Minister", OFFICE, OFFICE_TEXTS, ""),
        ("Chinese capital Beijing", BEIJING, BEIJING_TEXTS, BEIJING_Q),
        ("the Chinese capital Beijing", BEIJING, BEIJING_TEXTS, BEIJING_Q),
        ("Beijing, the Chinese capital", BEIJING, BEIJING_TEXTS, BEIJING_Q),
        ("the Russian Caucasus", CAUCASUS, CAUCASUS_TEXTS, ""),
        ("Russian North Caucasus", CAUCASUS, CAUCASUS_TEXTS, ""),
        # another accepted answer after a comma
        ("Sergei Lavrov, the Russian foreign minister", LAVROV, LAVROV_TEXTS, ""),
        ("Lavrov, Russia's foreign minister", LAVROV, LAVROV_TEXTS, ""),
    ],
)
def test_a_name_with_a_description_its_texts_give(
    given_: str, accepted: list[str], texts: tuple, question: str
) -> None:
    found = rules_of(given_, accepted, "fuzzy", texts, question)
    assert found is not None and DESCRIPTION in found, given_
    off = RULES - {DESCRIPTION}
    assert match_answer(given_, accepted, "fuzzy", texts, off, question) is None


@pytest.mark.parametrize(
    ("given_", "accepted", "texts", "question"),
    [
        # a description the texts do not give
        ("Vitkine, a Le Figaro journalist", VITKINE, VITKINE_TEXTS, VITKINE_Q),
        ("Le Figaro journalist Vitkine", VITKINE, VITKINE_TEXTS, VITKINE_Q),
        ("Vitkine, a Russian journalist", VITKINE, VITKINE_TEXTS, VITKINE_Q),
        ("Vitkine, a Le Monde minister", VITKINE, VITKINE_TEXTS, VITKINE_Q),
        ("Vitkine of the magazine Le Monde", VITKINE, VITKINE_TEXTS, VITKINE_Q),
        ("Le Drian, the French foreign minister", LE_DRIAN, LE_DRIAN_TEXTS, ""),
        ("Le Drian (French foreign minister)", LE_DRIAN, LE_DRIAN_TEXTS, ""),
        ("Le Drian, the Russian defense minister", LE_DRIAN, LE_DRIAN_TEXTS, ""),
        ("Le Drian, Minister of the Interior", LE_DRIAN, LE_DRIAN_TEXTS, ""),
        ("Russian Defense Minister", OFFICE, OFFICE_TEXTS, ""),
        ("Foreign Defense Minister", OFFICE, OFFICE_TEXTS, ""),
        ("Russian capital Beijing", BEIJING, BEIJING_TEXTS, BEIJING_Q),
        ("the Georgian Caucasus", CAUCASUS, CAUCASUS_TEXTS, ""),
        ("Russian South Caucasus", CAUCASUS, CAUCASUS_TEXTS, ""),
        ("the four Caucasus", CAUCASUS, ("the four Caucasus republics",), ""),
        # another name as the description, or the description of another name
        ("Vitkine, Le Drian", VITKINE, VITKINE_TEXTS, VITKINE_Q),
        ("Vitkine (Lavrov)", VITKINE, VITKINE_TEXTS, VITKINE_Q),
        ("Vitkine, then Le Monde", VITKINE, VITKINE_TEXTS, VITKINE_Q),
        ("Le Monde, then Benoît Vitkine", VITKINE, VITKINE_TEXTS, VITKINE_Q),
        ("Le Monde Benoît Vitkine", VITKINE, VITKINE_TEXTS, VITKINE_Q),
        ("Le Monde journalist then Vitkine", VITKINE, VITKINE_TEXTS, VITKINE_Q),
        ("Lavrov, a Le Monde journalist", VITKINE, VITKINE_TEXTS, VITKINE_Q),
        ("Lavrov, the French defense minister", LE_DRIAN, LE_DRIAN_TEXTS, ""),
        ("Lavrov, the Russian defense minister", LAVROV, LAVROV_TEXTS, ""),
        ("Putin, the Russian foreign minister", LAVROV, LAVROV_TEXTS, ""),
        ("Lavrov, Putin", LAVROV, LAVROV_TEXTS, ""),
        ("Le Drian, the Kremlin minister", LE_DRIAN, LE_DRIAN_TEXTS, ""),  # near, no owner
        ("Beijing (Russia)", BEIJING, BEIJING_TEXTS, BEIJING_Q),
        ("Moscow Beijing", BEIJING, BEIJING_TEXTS, BEIJING_Q),
        ("Chinese city Shanghai", BEIJING, BEIJING_TEXTS, BEIJING_Q),
        # the hedges the frame fix of session 5 refuses stay refused
        ("Foreign Minister, then Defense Minister", OFFICE, OFFICE_TEXTS, ""),
        ("Defense Minister, then Foreign Minister", OFFICE, OFFICE_TEXTS, ""),
        ("Defense Minister (Foreign Minister)", OFFICE, OFFICE_TEXTS, ""),
        ("Prime Minister (then Defense Minister)", OFFICE, OFFICE_TEXTS, ""),
        ("Foreign Minister; Defense Minister", OFFICE, OFFICE_TEXTS, ""),
        # other names for Beijing: no general rule (see the report on Peking)
        ("Peking", BEIJING, BEIJING_TEXTS, BEIJING_Q),
        ("Shanghai", BEIJING, BEIJING_TEXTS, BEIJING_Q),
        ("Taipei", BEIJING, BEIJING_TEXTS, BEIJING_Q),
        ("ROC", BEIJING, BEIJING_TEXTS, BEIJING_Q),
    ],
)
def test_a_description_the_texts_do_not_give_is_refused(
    given_: str, accepted: list[str], texts: tuple, question: str
) -> None:
    assert rules_of(given_, accepted, "fuzzy", texts, question) is None, given_


def test_a_description_needs_every_word_near_the_name() -> None:
    texts = ("as Le Monde’s journalist Benoît Vitkine summarized it well",)
    assert described(words("a Le Monde journalist"), VITKINE, texts, "")
    assert described(words("of the newspaper Le Monde"), VITKINE, texts, "")  # a journalist's
    assert not described(words("a Le Monde minister"), VITKINE, texts, "")
    assert not described(words("a Le Monde journalist"), VITKINE, (), "")  # no texts
    far = ("Benoît Vitkine summarized it well, and a French daily reported it",)
    assert not described(words("a French journalist"), VITKINE, far, "")  # past "and"


# --- 3. places: the adjective with a head noun, administrative units ------------------------


@pytest.mark.parametrize(
    ("given_", "accepted", "expected"),
    [
        ("the Central Asian region", ["Central Asia"], {PLACE, FRAME}),
        ("Central Asian area", ["Central Asia"], {PLACE}),
        ("the Central Asian republics", ["Central Asia"], {PLACE, FRAME}),
        ("Caucasus oblasts", CAUCASUS, {PLACE}),
        ("its Caucasus oblasts", CAUCASUS, {PLACE, FRAME}),
        ("the Caucasus republics", CAUCASUS, {PLACE, FRAME}),
        ("the Caucasian region", CAUCASUS, {PLACE, FRAME}),
        ("North Caucasian republics", ["North Caucasus"], {PLACE}),
        # another place, one unit, or no place at all
        ("the South Asian region", ["Central Asia"], None),
        ("the Asian region", ["Central Asia"], None),
        ("Central Asian Afghanistan", ["Central Asia"], None),
        ("the South Caucasus", CAUCASUS, None),
        ("Transcaucasia", CAUCASUS, None),
        ("South Caucasian republics", CAUCASUS, None),
        ("the Caucasus republic", CAUCASUS, None),  # one of them
        ("Caucasian", CAUCASUS, None),
        ("Prussian region", ["Russia"], None),
    ],
)
def test_a_place_with_its_adjective_or_units(
    given_: str, accepted: list[str], expected: set | None
) -> None:
    assert rules_of(given_, accepted, "fuzzy", CENTRAL_ASIA_TEXTS) == expected


def test_a_name_in_us_takes_ian() -> None:
    assert "caucasian" in adjectives("Caucasus")
    assert "caucasus" in bases("Caucasian")
    assert "usian" not in adjectives("Usus")  # too short a stem: no adjective by rule


# --- 4. numbers: units abbreviated, restated, approximated -----------------------------------


@pytest.mark.parametrize(
    ("given_", "accepted", "mode", "question", "expected"),
    [
        ("7 yrs", ["7 years"], "exact", "", {UNIT}),
        ("7yrs", ["7 years"], "exact", "", {UNIT}),
        ("1 yr", ["1 year"], "exact", "", {UNIT}),
        ("6 mos", ["six months"], "exact", "", {UNIT, NUMBER}),
        ("40 km", ["40 kilometres"], "exact", "", {UNIT}),
        ("seven (7) years", ["7 years"], "exact", "", {UNIT, NUMBER}),
        ("7 (seven) years", ["7 years"], "exact", "", {UNIT}),
        ("about seven years", ["7 years"], "exact", HOW_LONG, {APPROXIMATION, NUMBER}),
        ("around 7 years", ["7 years"], "exact", HOW_LONG, {APPROXIMATION}),
        ("some seven years", ["7 years"], "exact", HOW_LONG, {APPROXIMATION, NUMBER}),
        ("roughly 7", ["7"], "exact", HOW_LONG, {APPROXIMATION}),
        ("about 7 yrs", ["7 years"], "exact", HOW_LONG, {APPROXIMATION, UNIT}),
        # refused: another number or unit, a bound, a range, no "how many"
        ("7 yrs", ["7 months"], "exact", "", None),
        ("8 yrs", ["7 years"], "exact", "", None),
        ("seven (8) years", ["7 years"], "exact", "", None),
        ("7 (7) years", ["7 years"], "exact", "", None),
        ("about 6 years", ["7 years"], "exact", HOW_LONG, None),
        ("at least 7 years", ["7 years"], "exact", HOW_LONG, None),
        ("over 7 years", ["7 years"], "exact", HOW_LONG, None),
        ("nearly 7 years", ["7 years"], "exact", HOW_LONG, None),
        ("up to 7 years", ["7 years"], "exact", HOW_LONG, None),
        ("7-8 years", ["7 years"], "exact", HOW_LONG, None),
        ("about seven months", ["7 years"], "exact", HOW_LONG, None),
        ("about 7 years", ["7 years"], "exact", "In which year did the talks start?", None),
        ("about 7 years", ["about 7 years"], "exact", HOW_LONG, set()),
        ("about Moscow", ["Moscow"], "fuzzy", HOW_LONG, None),
    ],
)
def test_numbers_abbreviated_restated_or_approximated(
    given_: str, accepted: list[str], mode: str, question: str, expected: set | None
) -> None:
    assert rules_of(given_, accepted, mode, (), question) == expected


def test_the_review_8_numbers_with_the_items_texts() -> None:
    """The talks item's own texts: "7 years" is the essay's words, the rest the new rules."""
    assert rules_of("7 yrs", SEVEN, "exact", SEVEN_TEXTS) == {UNIT, CONTINUED}
    assert rules_of("about seven years", SEVEN, "exact", SEVEN_TEXTS, HOW_LONG) == {
        APPROXIMATION,
        CONTINUED,
        NUMBER,
    }
    assert rules_of("seven months", SEVEN, "exact", SEVEN_TEXTS, HOW_LONG) is None


# --- properties -------------------------------------------------------------------------------


@settings(max_examples=150, deadline=None)
@given(n=st.integers(1, 99), m=st.integers(1, 99), word=st.sampled_from(["about", "around"]))
def test_an_approximation_never_makes_another_number_right(n: int, m: int, word: str) -> None:
    found = match_answer(f"{word} {m} years", [f"{n} years"], "exact", question=HOW_LONG)
    assert (found is not None) == (n == m)


@settings(max_examples=150, deadline=None)
@given(
    n=st.integers(1, 60),
    m=st.integers(1, 60),
    unit=st.sampled_from([("yrs", "years"), ("mos", "months"), ("hrs", "hours")]),
)
def test_an_abbreviated_unit_is_the_same_unit_and_number_only(
    n: int, m: int, unit: tuple[str, str]
) -> None:
    short, full = unit
    assert (match_answer(f"{m} {short}", [f"{n} {full}"], "exact") is not None) == (n == m)
    assert match_answer(f"{n} {short}", [f"{n} weeks"], "exact") is None


HEDGE_FORMS = ("{k} or {o}", "{o}, then {k}", "{k}, then {o}", "{k} ({o})", "{k}, {o}",
               "{k} and {o}", "{o} {k}", "{k} / {o}", "{k}; {o}", "{k}, maybe {o}")  # fmt: skip
ANSWERS = ("Central and Eastern Europe", "Central Asia", "Taiwan", "Le Drian", "Vitkine",
           "Beijing", "Moscow", "Caucasus", "Le Monde", "Le Figaro", "Kazakhstan")  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(
    key=st.sampled_from(ANSWERS),
    other=st.sampled_from(ANSWERS),
    form=st.sampled_from(HEDGE_FORMS),
    texts=st.sampled_from([CEE_TEXTS, VITKINE_TEXTS, LE_DRIAN_TEXTS, BEIJING_TEXTS, STANS]),
)
def test_a_second_answer_is_never_a_detail_or_a_description(
    key: str, other: str, form: str, texts: tuple
) -> None:
    """Two answers the item's texts do not give together, in every joining: refused."""
    if other == key or any(other in t and key in t for t in texts):
        return
    assert match_answer(form.format(k=key, o=other), [key], "fuzzy", texts) is None
