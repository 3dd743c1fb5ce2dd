"""Typed answers, review 9: dates the texts state, time phrases, offices, organizations, a
place's countries (``dates2``, ``persons``, ``orgs``, ``collective``)."""

from __future__ import annotations

import calendar
import datetime

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from quizapp.grading import answer_matches
from quizapp.typed_answers import DATE, FRAME, RULES, match_answer

DUBROVKA = (
    "the Dubrovka theater in Moscow (October 2, 2002)",
    "The essay gives October 2, 2002; in fact the siege began on October 23, 2002, and ended on "
    "October 26. The Beslan school siege came two years later, in September 2004.",
)
TERROR_LIST = (
    "on its list of terrorist organizations since 2003",
    "Russia's Supreme Court banned the Taliban as a terrorist organization in February 2003.",
)
SINCE_Q = "Since what year has Russia listed the Taliban as terrorists?"
SEVEN = ["7", "seven", "the past seven years", "for the past seven years"]
SEVEN_Q = "For how many years has Moscow been in discussions with the Taliban?"


def rules_of(given_: str, accepted: list[str], mode: str, context=(), question="") -> set | None:
    found = match_answer(given_, accepted, mode, context, question=question)
    return None if found is None else set(found.rules)


@pytest.mark.parametrize(
    ("given_", "accepted", "context", "question", "expected"),
    [
        # a year typed with the date its texts state (the essay's, or the explanation's)
        ("October 2002", ["2002"], DUBROVKA, "", {DATE}),
        ("October 2, 2002", ["2002"], DUBROVKA, "", {DATE}),
        ("23 October 2002", ["2002"], DUBROVKA, "", {DATE}),
        ("October 26, 2002", ["2002"], DUBROVKA, "", {DATE}),  # the year of the date before
        ("October 23-26, 2002", ["2002"], DUBROVKA, "", {DATE}),
        ("23–26 October 2002", ["2002"], DUBROVKA, "", {DATE}),
        ("2002 (October)", ["2002"], DUBROVKA, "", {DATE}),
        ("2002, in October", ["2002"], DUBROVKA, "", {DATE}),
        ("late October 2002", ["2002"], DUBROVKA, "", {DATE}),
        ("autumn 2002", ["2002"], DUBROVKA, "", {DATE}),
        ("the fall of 2002", ["2002"], DUBROVKA, "", {DATE}),
        ("2003 (February)", ["2003"], TERROR_LIST, SINCE_Q, {DATE}),
        # another month or day of the right year, or one the texts do not state
        ("September 2002", ["2002"], DUBROVKA, "", None),
        ("January 2002", ["2002"], DUBROVKA, "", None),
        ("May 9, 2002", ["2002"], DUBROVKA, "", None),
        ("September 1, 2002", ["2002"], DUBROVKA, "", None),
        ("1 September 2002", ["2002"], DUBROVKA, "", None),
        ("October 24, 2002", ["2002"], DUBROVKA, "", None),
        ("October 22-26, 2002", ["2002"], DUBROVKA, "", None),
        ("October 26-23, 2002", ["2002"], DUBROVKA, "", None),
        ("mid-October 2002", ["2002"], DUBROVKA, "", None),
        ("summer 2002", ["2002"], DUBROVKA, "", None),
        ("2002 (September)", ["2002"], DUBROVKA, "", None),
        ("October 2004", ["2002"], DUBROVKA, "", None),
        ("September 2003", ["2003"], TERROR_LIST, SINCE_Q, None),
        ("October 2002", ["2002"], (), "", None),  # no text states a month
        # the blank asks for the year: a month or a day alone is refused
        ("October", ["2002"], DUBROVKA, "", None),
        ("October 2", ["2002"], DUBROVKA, "", None),
        # a day key asks for the day: a part of its month or a season is less than that
        ("late October 2002", ["October 23, 2002"], DUBROVKA, "", None),
        ("autumn 2002", ["October 23, 2002"], DUBROVKA, "", None),
        ("autumn 2002", ["October 2002"], DUBROVKA, "", None),
        # since a year
        ("as of 2003", ["2003"], TERROR_LIST, SINCE_Q, {FRAME}),
        ("from 2003 on", ["2003"], TERROR_LIST, SINCE_Q, {FRAME}),
        ("since 2003 onward", ["2003"], TERROR_LIST, SINCE_Q, {FRAME}),
        ("2003 onwards", ["2003"], TERROR_LIST, SINCE_Q, {FRAME}),
        ("starting in 2003", ["2003"], TERROR_LIST, "", {FRAME}),  # the texts say "since 2003"
        ("from February 2003 on", ["2003"], TERROR_LIST, SINCE_Q, {FRAME}),
        ("as of 2003", ["since 2003"], (), "", {FRAME}),
        ("as of 2004", ["2003"], TERROR_LIST, SINCE_Q, None),
        ("until 2003", ["2003"], TERROR_LIST, SINCE_Q, None),
        ("before 2003", ["2003"], TERROR_LIST, SINCE_Q, None),
        ("after 2003", ["2003"], TERROR_LIST, SINCE_Q, None),
        ("from September 2003 on", ["2003"], TERROR_LIST, SINCE_Q, None),
        ("as of 2002", ["2002"], DUBROVKA, "", None),  # an event, not a state since a year
        # a span inside "the last / past ..."
        ("the last seven years", SEVEN, (), SEVEN_Q, {FRAME, "alternative"}),
        ("over the past seven years", SEVEN, (), SEVEN_Q, {FRAME, "alternative"}),
        ("for 7 years now", ["7"], (), SEVEN_Q, {FRAME, "question's words"}),
        ("the last 7 years", ["7"], (), SEVEN_Q, {FRAME, "question's words"}),
        ("the last seven", SEVEN, (), SEVEN_Q, None),
        ("the last seven months", SEVEN, (), SEVEN_Q, None),
        ("the last 8 years", SEVEN, (), SEVEN_Q, None),
        ("the past 17 years", SEVEN, (), SEVEN_Q, None),
        ("not the last seven years", SEVEN, (), SEVEN_Q, None),
    ],
)
def test_dates_and_time_phrases(given_, accepted, context, question, expected) -> None:
    assert rules_of(given_, accepted, "exact", context, question) == expected


def _forms(day: datetime.date, month_forms: bool, day_forms: bool) -> list[str]:
    """A date written every way the grader reads one: its month, or its day."""
    month, abbr = calendar.month_name[day.month], calendar.month_abbr[day.month]
    y, d, m = day.year, day.day, day.month
    out = []
    if month_forms:
        out += [f"{month} {y}", f"{abbr}. {y}", f"in {month} {y}", f"{y} ({month})",
                f"{y}, in {month}", f"late {month} {y}", f"early {month} {y}",
                f"the end of {month} {y}"]  # fmt: skip
    if day_forms:
        out += [f"{month} {d}, {y}", f"{d} {month} {y}", f"{month} {d}th, {y}", f"{y} ({month} {d})",
                f"the {d}th of {month} {y}", f"on {d} {abbr} {y}"]  # fmt: skip
        if d > 12 or m > 12 or d == m:
            out += [f"{d:02}/{m:02}/{y}", f"{m}/{d}/{y}", f"{d}.{m}.{y}"]
    return out


_DAYS = st.dates(datetime.date(1900, 1, 1), datetime.date(2030, 12, 31))


@settings(max_examples=60, deadline=None)
@given(key_day=_DAYS, month=st.integers(1, 12), day=st.integers(1, 28), month_only=st.booleans())
def test_another_month_or_day_of_the_year_is_refused(
    key_day: datetime.date, month: int, day: int, month_only: bool
) -> None:
    """For a full-date key, a month key, and a year key whose texts state the date, any other
    month or day of the same year is refused in every written form."""
    other = datetime.date(key_day.year, month, day)
    assume((other.month, other.day) != (key_day.month, key_day.day))
    if month_only:
        assume(other.month != key_day.month)
    name = calendar.month_name[key_day.month]
    full, month_key = f"{name} {key_day.day}, {key_day.year}", f"{name} {key_day.year}"
    context = (f"It happened on {full}.",)
    other_month = other.month != key_day.month
    # a day of the key's month is in a month key, and that month is right for a year key
    for key in (full, month_key, str(key_day.year)):
        day_forms = not month_only and (key != month_key or other_month)
        for form in _forms(other, month_forms=other_month, day_forms=day_forms):
            found = match_answer(form, [key], "exact", context)
            assert found is None, (form, key, found)
    # and the date itself is taken for its year
    assert match_answer(month_key, [str(key_day.year)], "exact", context) is not None
    assert match_answer(full, [str(key_day.year)], "exact", context) is not None


def test_every_new_rule_can_be_switched_off() -> None:
    assert match_answer("October 2002", ["2002"], "exact", DUBROVKA, RULES - {DATE}) is None
    assert (
        match_answer("as of 2003", ["2003"], "exact", TERROR_LIST, RULES - {FRAME}, SINCE_Q) is None
    )


PUTIN = ["Vladimir Putin", "Putin", "President Putin", "President Vladimir Putin"]
PUTIN_TEXTS = (
    "Putin seems to have completed a form of safe-conduct for his diplomats",
    "Russia kept its embassy in Kabul open after the Taliban takeover, while most Western "
    "countries evacuated theirs; Afghanistan's new rulers protect its diplomats.",
)
PUTIN_Q = (
    "Who seems, in the short term, to have obtained a form of safe-conduct for Russia's diplomats?"
)
LAVROV = ["Sergei Lavrov", "Lavrov", "Foreign Minister Lavrov"]
LAVROV_TEXTS = ("even though Sergei Lavrov has referred to them as a force", "Putin agreed.")
MOSCOW = ["Moscow", "Russia", "the Kremlin"]
MOUSE_Q = "In the cat-and-mouse game with the Taliban, the mouse is _____."
NATO = ["the Atlantic Alliance", "NATO", "the Alliance"]
NATO_TEXTS = ("The essay says 'the Alliance', meaning the Atlantic Alliance, NATO.",)
QAEDA = ["Al-Qaeda", "al-Qaeda", "al Qaeda"]
EUROPE = ["Europe", "Europeans", "European countries", "the EU", "European Union"]


@pytest.mark.parametrize(
    ("given_", "accepted", "context", "question", "expected"),
    [
        # a person by the office the item gives them, with or without the name
        ("the Russian president", PUTIN, PUTIN_TEXTS, PUTIN_Q, {"office"}),
        ("Russia's president", PUTIN, PUTIN_TEXTS, PUTIN_Q, {"office"}),
        ("the president of Russia", PUTIN, PUTIN_TEXTS, PUTIN_Q, {"office"}),
        ("Russia's president, Putin", PUTIN, PUTIN_TEXTS, PUTIN_Q, {"office"}),
        ("Putin, the Russian president", PUTIN, PUTIN_TEXTS, PUTIN_Q, {"office"}),
        ("Vladimir Putin, Russia's president", PUTIN, PUTIN_TEXTS, PUTIN_Q, {"office"}),
        ("President of Russia Vladimir Putin", PUTIN, PUTIN_TEXTS, PUTIN_Q, {"office"}),
        ("Pres. Putin", PUTIN, PUTIN_TEXTS, PUTIN_Q, {"office", "alternative"}),
        ("the Russian prime minister", PUTIN, PUTIN_TEXTS, PUTIN_Q, None),
        ("the Afghan president", PUTIN, PUTIN_TEXTS, PUTIN_Q, None),  # not his country
        ("the French president", PUTIN, PUTIN_TEXTS, PUTIN_Q, None),
        ("the president", PUTIN, PUTIN_TEXTS, PUTIN_Q, None),  # which one?
        ("Lavrov, the Russian president", PUTIN, PUTIN_TEXTS, PUTIN_Q, None),
        ("the Russian president", PUTIN, (), "", None),  # no text links him to Russia
        ("the Russian president", LAVROV, LAVROV_TEXTS, "", None),  # not his title
        # in a short sentence, or with "itself"
        ("It was Putin", PUTIN, (), "", {"sentence", "alternative"}),
        ("Putin did.", PUTIN, (), "", {"sentence", "alternative"}),
        ("Putin himself", PUTIN, (), "", {"sentence", "alternative"}),
        ("Moscow itself", MOSCOW, (), MOUSE_Q, {"sentence"}),
        ("It was Lavrov", PUTIN, (), "", None),
        ("Putin did not", PUTIN, (), "", None),
        # set against a wrong answer the item names
        ("Moscow, not the Taliban", MOSCOW, (), MOUSE_Q, {"contrast"}),
        ("Russia, not the Taliban", MOSCOW, (), MOUSE_Q, {"contrast", "alternative"}),
        ("Moscow (not the Taliban)", MOSCOW, (), MOUSE_Q, {"contrast"}),
        ("Moscow rather than the Taliban", MOSCOW, (), MOUSE_Q, {"contrast"}),
        ("the Taliban, not Moscow", MOSCOW, (), MOUSE_Q, None),
        ("Moscow, not Russia", MOSCOW, (), MOUSE_Q, None),  # both accepted: a contradiction
        ("Moscow, not the Kremlin", MOSCOW, ("the Kremlin",), MOUSE_Q, None),  # both accepted
        ("Moscow, not Beijing", MOSCOW, (), MOUSE_Q, None),  # a contrast the item never makes
        ("Moscow, not the Taliban or Beijing", MOSCOW, (), MOUSE_Q, None),
        ("not Moscow", MOSCOW, (), MOUSE_Q, None),
        ("Putin, not Lavrov", LAVROV, LAVROV_TEXTS, "", None),
        ("Lavrov, not Putin", LAVROV, LAVROV_TEXTS, "", {"contrast", "alternative"}),
        # organizations
        ("North Atlantic Treaty Organization", NATO, NATO_TEXTS, "", {"full name", "alternative"}),
        ("the North Atlantic Treaty Organisation", NATO, (), "", {"full name", "alternative"}),
        ("North Atlantic Council", NATO, NATO_TEXTS, "", None),
        ("Collective Security Treaty Organization", NATO, NATO_TEXTS, "", None),
        ("NATO alliance", NATO, NATO_TEXTS, "", {"head noun", "alternative"}),
        ("NATO alliance", ["NATO"], (), "", None),  # the texts never call it an alliance
        ("the Taliban network", QAEDA, (), "", None),
        ("Al-Qaeda network", QAEDA, (), "", {"head noun"}),
        ("Al-Qaeda's", QAEDA, (), "", {"head noun"}),
        ("Benoît Vitkine's", ["Benoît Vitkine", "Vitkine"], (), "", None),
        ("Al-Qa'ida", QAEDA, (), "", {"typo"}),
        ("Al-Kaida", QAEDA, (), "", {"typo"}),
        ("Al-Quaida", QAEDA, (), "", {"typo"}),
        ("Qaeda", QAEDA, (), "", {"typo"}),
        ("Al-Aqsa", QAEDA, (), "", None),
        ("ISIS", QAEDA, (), "", None),
        ("Russian", ["Russia"], (), "", None),  # a demonym is no transliteration
        # a place's countries said the other way round
        ("the countries of Europe", EUROPE, (), "", {"people or state"}),
        ("European powers", EUROPE, (), "", {"people or state"}),
        ("Europe's governments", EUROPE, (), "", {"people or state"}),
        ("the countries of the European Union", EUROPE, (), "", {"people or state", "alternative"}),
        ("the countries of Eastern Europe", EUROPE, (), "", None),
        ("Eastern Europe", EUROPE, (), "", None),
        ("Russia's governments", EUROPE, (), "", None),
        ("Asian powers", EUROPE, (), "", None),
        ("Putin's government", ["Putin"], (), "", None),
        ("the Republic of China", ["China"], (), "", None),  # Taiwan
        ("the government of China", ["China"], (), "", {"people or state"}),
    ],
)
def test_names_offices_organizations_and_places(
    given_, accepted, context, question, expected
) -> None:
    assert rules_of(given_, accepted, "fuzzy", context, question) == expected


# --- review 10: a role the question names is no frame for the answer -------------------------

MOUSE_Q = "In the cat-and-mouse game with the Taliban, the mouse is _____."
MOUSE_CONTEXT = ("the mouse here being Moscow",)


@pytest.mark.parametrize(
    ("typed", "right"),
    [
        ("Moscow (the cat)", False),
        ("Moscow, the cat", False),
        ("Russia, the cat", False),
        ("the cat, Moscow", False),
        ("Moscow - the cat", False),
        ("Russia (cat)", False),
        ("Moscow, cat", False),
        ("Moscow, the cat in the game", False),
        ("Moscow, not the mouse", False),
        ("Moscow, not the Taliban", True),
        ("Moscow", True),
    ],
)
def test_a_role_the_question_names_does_not_frame_the_answer(typed: str, right: bool) -> None:
    accepted = ["Moscow", "Russia"]
    assert answer_matches(typed, accepted, "fuzzy", MOUSE_CONTEXT, question=MOUSE_Q) is right
