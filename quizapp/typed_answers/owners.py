"""A name with what the item's own texts say of it: an owner before or after it ("Le Monde's
Benoît Vitkine", "Vitkine from Le Monde", "Vitkine (Le Monde)"), a description ("the French
daily Le Monde"), and an answer restated in parentheses ("Moscow (Russia)"). The phrase matcher
comes in as an argument (``match_phrase`` of the package), so that these rules stay apart.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from ..bank.text import normalize_passage
from .forms import described, parenthesized
from .names import owner_linked, possessive_parts
from .rules import (
    ALTERNATIVE,
    CONTINUED,
    DESCRIPTION,
    ECHO,
    POSSESSIVE,
    QUALIFIER,
    RESTATED,
    Match,
    _fewest,
)
from .words import Word, words

# The package's phrase matcher: (given, key, mode, context, rules) -> the rules, or None.
Phrase = Callable[
    [Sequence[Word], Sequence[Word], str, Sequence[str], frozenset[str]], set[str] | None
]


def possessive(
    given: str,
    key: Sequence[Word],
    mode: str,
    context: Sequence[str],
    question: str,
    rules: frozenset[str],
    match_phrase: Phrase,
) -> set[str] | None:
    """A name after an owner that the item's own texts give it ("Le Monde's Benoît Vitkine"
    when the quote says "Le Monde's journalist Benoît Vitkine"); the rest must be the name."""
    if mode != "fuzzy" or POSSESSIVE not in rules or not key[0].raw[:1].isupper():
        return None
    parts = possessive_parts(given)
    if parts is None:
        return None
    owner, rest = parts
    tags = match_phrase(words(rest), key, mode, context, rules - {POSSESSIVE})
    if tags is None or not owner_linked(words(owner), key, (*context, question)):
        return None
    return tags | {POSSESSIVE}


# "Vitkine from Le Monde", "Vitkine (Le Monde)", "Vitkine, a journalist at Le Monde"
_OWNED = re.compile(r"^(?P<rest>.*?\S)\s+(?:of|from|at|with)\s+(?P<owner>\S.*)$", re.IGNORECASE)
_DESCRIBED_OWNER = re.compile(
    r"^(?P<rest>[^,]*\S)\s*,\s*(?:a|an|the)\s+(?P<description>[^,]*?\S)\s+"
    r"(?:of|from|at|with)\s+(?P<owner>\S.*)$",
    re.IGNORECASE,
)


def attribution(
    given: str,
    key: Sequence[Word],
    mode: str,
    context: Sequence[str],
    question: str,
    rules: frozenset[str],
    match_phrase: Phrase,
) -> set[str] | None:
    """A name with an owner after it that the item's own texts give it: "<answer> of / from /
    at / with <owner>", "<answer> (<owner>)", "<answer>, a/the <description> at <owner>"
    (the description's words the texts' own); the rest must be the name."""
    if mode != "fuzzy" or POSSESSIVE not in rules or not key[0].raw[:1].isupper():
        return None
    texts = (*context, question)
    inner = rules - {POSSESSIVE, DESCRIPTION, RESTATED}
    found: list[set[str] | None] = []
    text = normalize_passage(given).strip()
    readings: list[tuple[str, str, str | None]] = []
    if (m := _DESCRIBED_OWNER.match(text)) is not None:
        readings.append((m["rest"], m["owner"], m["description"]))
    if (m := _OWNED.match(text)) is not None:
        readings.append((m["rest"], m["owner"], None))
    if (pair := parenthesized(text)) is not None:
        readings.append((pair[0], pair[1], None))
    for rest, owner, description in readings:
        tags = match_phrase(words(rest), key, mode, context, inner)
        if tags is None or not owner_linked(words(owner), key, texts):
            continue
        if description is not None:
            if DESCRIPTION not in rules or not described(words(description), key, texts):
                continue
            tags = tags | {DESCRIPTION}
        found.append(tags | {POSSESSIVE})
    return _fewest(found)


_DESCRIBED_AFTER = re.compile(r"^(?P<rest>[^,]*\S)\s*,\s*(?:a|an|the)\s+(?P<description>.*\S)$")


def description(
    given: str,
    key: Sequence[Word],
    mode: str,
    context: Sequence[str],
    question: str,
    rules: frozenset[str],
    match_phrase: Phrase,
) -> set[str] | None:
    """A name with a description the item's own texts give it, before or after it: "the French
    daily Le Monde", "Le Monde, a French newspaper", "the Doha agreement (2020)"; never "the
    Russian newspaper Le Monde" when the texts call it French."""
    if mode != "fuzzy" or DESCRIPTION not in rules or not key[0].raw[:1].isupper():
        return None
    texts = (*context, question)
    inner = rules - {DESCRIPTION, POSSESSIVE, RESTATED, QUALIFIER, CONTINUED, ECHO}
    found: list[set[str] | None] = []
    text = normalize_passage(given).strip()
    after = [(m["rest"], m["description"])] if (m := _DESCRIBED_AFTER.match(text)) else []
    after += [pair] if (pair := parenthesized(text)) else []
    for rest_, description_ in after:
        tags = match_phrase(words(rest_), key, mode, context, inner)
        if tags is not None and described(words(description_), key, texts):
            found.append(tags)
    ws = words(text)
    start = 1 if ws[:1] and ws[0].fold in ("the", "a", "an") else 0
    for cut in range(start + 1, min(len(ws), start + 4)):
        describing, rest = ws[start:cut], ws[cut:]
        if not rest or {w.fold for w in describing} & {w.fold for w in rest}:
            continue  # a word twice: "mr mr Caucasus"
        tags = match_phrase(rest, key, mode, context, inner)
        if tags is not None and described(describing, key, texts):
            found.append(tags)
    tags = _fewest(found)
    return None if tags is None else tags | {DESCRIPTION}


def restated(
    given: str,
    accepted: Sequence[str],
    match: Callable[[str, frozenset[str]], Match | None],
    rules: frozenset[str],
) -> Match | None:
    """ "X (Y)" where X and Y are each accepted on their own (``match(part, rules)``: "Moscow
    (Russia)", "Eurasian Economic Union (EAEU)"); refused when either part alone is ("Moscow
    (Beijing)")."""
    pair = parenthesized(given)
    if pair is None:
        return None
    inner = rules - {RESTATED}
    outer, inside = (match(p, inner) for p in pair)
    if outer is None or inside is None:
        return None
    # the restatement is the point: another accepted form inside needs no other rule's name
    return Match(outer.answer, outer.rules | (inside.rules - {ALTERNATIVE}) | {RESTATED})
