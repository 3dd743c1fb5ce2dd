"""The rules of ``dates2``, ``persons``, ``orgs`` and ``collective`` put together for one
accepted answer (``extra_forms``) and for a blank's whole list (``extra_answer_forms``)."""

from __future__ import annotations

from collections.abc import Sequence

from .dates2 import TextMatcher, year_forms
from .rules import _fewest


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
    return _fewest(found)
