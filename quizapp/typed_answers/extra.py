"""The rules of ``dates2``, ``persons``, ``orgs`` and ``collective`` put together for one
accepted answer (``extra_forms``) and for a blank's whole list (``extra_answer_forms``)."""

from __future__ import annotations

from collections.abc import Sequence

from .collective import countries_of
from .dates2 import TextMatcher, year_forms
from .orgs import org_forms
from .persons import AnswerMatcher, person_forms
from .rules import Match, _fewest


def extra_forms(
    given: str,
    key: str,
    mode: str,
    context: Sequence[str],
    question: str,
    rules: frozenset[str],
    match: TextMatcher,
) -> set[str] | None:
    """The fewest rules of these modules that make ``given`` the accepted answer ``key``."""
    found: list[set[str] | None] = []
    if mode == "exact":
        found.append(year_forms(given, key, mode, context, question, rules, match))
    else:
        found.append(org_forms(given, key, context, question, rules, match))
        found.append(countries_of(given, key, rules, match))
    return _fewest(found)


def extra_answer_forms(
    given: str,
    accepted: Sequence[str],
    mode: str,
    context: Sequence[str],
    question: str,
    rules: frozenset[str],
    match: AnswerMatcher,
) -> Match | None:
    """A name in a short sentence, set against a wrong answer, or named by its office
    (``persons``): rules that need the blank's whole list of accepted answers."""
    if mode != "fuzzy":
        return None
    return person_forms(given, accepted, context, question, rules, match)
