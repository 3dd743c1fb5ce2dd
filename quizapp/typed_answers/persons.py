"""A name in a short sentence, set against a wrong answer, or named by its office, each a pure
function over a blank's whole list of accepted answers (fuzzy blanks):

- sentence: "It was Putin", "it's Putin", "Putin did", "Putin himself", "Moscow itself" (the
  rest must be accepted on its own).
- contrast (names): "Moscow, not the Taliban", "Russia (not the Taliban)", "Moscow rather than the
  Taliban": the first part accepted, the second refused AND named by the item's own texts or
  question, so that the contrast is the item's own; never "Putin, not Russia" when Russia is
  accepted too, "not Putin", or a second answer joined by "or"/"and".
- office: the person named by an office the item gives them, with a country linked to them,
  with or without the name: "the Russian president", "Russia's president", "the president of
  Russia", "Putin, the Russian president", "Russia's president, Putin", "Putin (Russia's
  president)", "Russia's President Vladimir Putin", "Pres. Putin". The office is a title an
  accepted answer puts before the name ("President Putin") or the texts do; the country is one
  the texts link to the person: "<country's|adjective> <office> <name>", or the texts say
  "his <noun>" of the person and "<country>'s <noun>" ("Putin ... his diplomats" and
  "Russia's diplomats"). Never another office ("the Russian prime minister", "the Russian
  foreign minister"), another country ("the French president"), or the office alone ("the
  president": which one?).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from ..bank.text import normalize_passage
from .frames import TITLES
from .names import adjectives, bases
from .rules import ALTERNATIVE, CONTRAST, FILLER, OFFICE, Match
from .words import Word, fold, words

# (given, rules) -> how the given matches the blank's accepted answers, or None
AnswerMatcher = Callable[[str, frozenset[str]], Match | None]

# --- a short sentence around the answer -------------------------------------------------------

_SENTENCE = re.compile(
    r"^(?:it\s+(?:was|is)|it's|that\s+(?:was|is)|that's)\s+(?P<a>.+?)(?:\s+who)?$"
    r"|^(?P<b>.+?)\s+(?:did|does|did so|does so|has|had|himself|herself|itself|themselves)$",
    re.IGNORECASE,
)


def in_sentence(given: str, rules: frozenset[str], match: AnswerMatcher) -> Match | None:
    """ "It was Putin", "Putin did", "Moscow itself": the rest accepted on its own."""
    m = _SENTENCE.match(_text(given))
    if m is None:
        return None
    found = match(m["a"] or m["b"], rules - {FILLER})
    return None if found is None else Match(found.answer, found.rules | {FILLER})


# --- a contrast with a wrong answer -----------------------------------------------------------

_CONTRAST = re.compile(
    r"^(?P<x>[^,()]+?)\s*(?:,\s*(?:and\s+)?not|\(\s*not|,?\s+rather\s+than|,?\s+and\s+not)"
    r"\s+(?P<y>[^()]+?)\s*\)?$",
    re.IGNORECASE,
)
_HEDGE = frozenset({"or", "and", "nor", "also", "but"})


def _text(given: str) -> str:
    return normalize_passage(given).strip().rstrip(".!")


def _named(part: str, texts: Sequence[str]) -> bool:
    target = [w.fold for w in words(part)]
    if target[:1] == ["the"]:
        target = target[1:]
    if not target:
        return False
    for text in texts:
        seq = [w.fold for w in words(text)]
        if any(seq[i : i + len(target)] == target for i in range(len(seq) - len(target) + 1)):
            return True
    return False


def contrasted(
    given: str,
    context: Sequence[str],
    question: str,
    rules: frozenset[str],
    match: AnswerMatcher,
) -> Match | None:
    """ "X, not Y" where X is accepted, Y refused and named by the item's own texts."""
    m = _CONTRAST.match(_text(given))
    if m is None:
        return None
    x, y = m["x"], m["y"]
    if any(w.fold in _HEDGE for w in words(y)) or any(w.fold in _HEDGE for w in words(x)):
        return None
    inner = rules - {CONTRAST}
    found = match(x, inner)
    if found is None or not any(ch.isupper() for ch in found.answer):
        return None  # names only: a term "rather than" another is the question's own contrast
    if match(y, inner) is not None or not _named(y, (*context, question)):
        return None
    if not any(w.raw[:1].isupper() for w in words(y)):
        return None  # "Moscow, not the mouse" denies the blank's own role, not another name
    return Match(found.answer, found.rules | {CONTRAST})


# --- an office ----------------------------------------------------------------------------------

_ABBREVIATED = {"pres": "president", "gen": "general", "sen": "senator", "gov": "governor"}
_SENTENCE_END = re.compile(r"[.;:!?]\s")


def _titles(accepted: Sequence[str], texts: Sequence[str], name: str) -> frozenset[str]:
    """Titles an accepted answer puts before the name ("President Putin") or the texts put
    right before the person's last name."""
    found = {fold(a.split()[0]) for a in accepted if a.split() and fold(a.split()[0]) in TITLES}
    for text in texts:
        seq = [w.fold for w in words(text)]
        for i in range(len(seq) - 1):
            if seq[i] in TITLES and seq[i + 1] == name:
                found.add(seq[i])
    return frozenset(found)


def _countries(texts: Sequence[str], name: str, titles: frozenset[str]) -> frozenset[str]:
    """Countries (folded, as named or as an adjective) the texts link to the person."""
    owned: set[str] = set()  # nouns the person owns: "his diplomats"
    linked: set[str] = set()
    sentences = [s for t in texts for s in _SENTENCE_END.split(normalize_passage(t))]
    for sentence in sentences:
        seq = [w.fold for w in words(sentence)]
        if name not in seq:
            continue
        for i, w in enumerate(seq[:-1]):
            if w in ("his", "her"):
                owned.add(seq[i + 1])
            # "Russia's President Putin", "Russian President Putin"
            if seq[i + 1] in titles and i + 2 < len(seq) and seq[i + 2] == name:
                linked.add(w)
    for sentence in sentences:
        seq = [w.fold for w in words(sentence)]
        for i in range(len(seq) - 2):
            if seq[i + 1] == "s" and seq[i + 2] in owned:
                linked.add(seq[i])  # "Russia's diplomats"
    return frozenset(linked)


def _is_country(word: str, countries: frozenset[str]) -> bool:
    w = fold(word)
    return (
        w in countries
        or any(b in countries for b in bases(w))
        or any(w in adjectives(c) for c in countries)
    )


_OFFICE = [
    # the Russian president / Russian President / Russia's president
    re.compile(r"^(?:the\s+)?(?P<c>[a-z]+)(?:'s)?\s+(?P<t>[a-z]+)$", re.I),
    # the president of Russia
    re.compile(r"^(?:the\s+)?(?P<t>[a-z]+)\s+of\s+(?:the\s+)?(?P<c>[a-z]+)$", re.I),
]


def _office(phrase: str, titles: frozenset[str], countries: frozenset[str]) -> bool:
    phrase = phrase.strip()
    for pattern in _OFFICE:
        m = pattern.match(phrase)
        if m is not None:
            title = _ABBREVIATED.get(fold(m["t"]), fold(m["t"]))
            if title in titles and _is_country(m["c"], countries):
                return True
    return False


_WITH_NAME = [
    re.compile(r"^(?P<n>[^,()]+?)\s*,\s*(?P<o>[^,()]+)$"),  # Putin, the Russian president
    re.compile(r"^(?P<o>[^,()]+?)\s*,\s*(?P<n>[^,()]+)$"),  # Russia's president, Putin
    re.compile(r"^(?P<n>[^,()]+?)\s*\(\s*(?P<o>[^,()]+?)\s*\)$"),  # Putin (Russia's president)
]
_BEFORE_NAME = [
    # Russia's President Vladimir Putin, the Russian president Putin
    re.compile(r"^(?P<o>(?:the\s+)?[a-z]+(?:'s)?\s+[a-z]+)\.?\s+(?P<n>.+)$", re.I),
    # President of Russia Vladimir Putin
    re.compile(r"^(?P<o>(?:the\s+)?[a-z]+\s+of\s+(?:the\s+)?[a-z]+)\s+(?P<n>.+)$", re.I),
]
_ABBREVIATED_TITLE = re.compile(r"^(?P<t>pres|gen|sen|gov)\.?\s+(?P<n>.+)$", re.I)


def by_office(
    given: str,
    accepted: Sequence[str],
    context: Sequence[str],
    question: str,
    rules: frozenset[str],
    match: AnswerMatcher,
) -> Match | None:
    """The person named by an office the item gives them, with or without the name."""
    typed = set(re.findall(r"[a-z]+", fold(given)))
    if not typed & (TITLES | _ABBREVIATED.keys()):
        return None  # no office named: nothing to read
    key = next((a for a in accepted if isinstance(a, str)), "")
    ws: tuple[Word, ...] = words(key)
    if not ws or not key[:1].isupper():
        return None
    name = ws[-1].fold
    texts = (*context, question)
    titles = _titles(accepted, texts, name)
    if not titles:
        return None
    inner = rules - {OFFICE}
    text = _text(given)
    if (m := _ABBREVIATED_TITLE.match(text)) is not None:
        title = _ABBREVIATED[m["t"].lower()]
        found = match(f"{title.capitalize()} {m['n']}", inner)
        return None if found is None else Match(found.answer, found.rules | {OFFICE})
    countries = _countries(texts, name, titles)
    if not countries:
        return None
    if _office(text, titles, countries):
        return Match(key, frozenset({OFFICE}))
    for pattern in _WITH_NAME:
        m = pattern.match(text)
        if m is not None and _office(m["o"], titles, countries):
            found = match(m["n"], inner)
            if found is not None:
                return Match(found.answer, (found.rules - {ALTERNATIVE}) | {OFFICE})
    for pattern in _BEFORE_NAME:
        m = pattern.match(text)
        if m is not None and _office(m["o"], titles, countries):
            found = match(m["n"], inner)
            if found is not None:
                return Match(found.answer, (found.rules - {ALTERNATIVE}) | {OFFICE})
    return None


def person_forms(
    given: str,
    accepted: Sequence[str],
    context: Sequence[str],
    question: str,
    rules: frozenset[str],
    match: AnswerMatcher,
) -> Match | None:
    """The first of these rules that makes ``given`` one of the accepted answers."""
    found = None
    if FILLER in rules:
        found = in_sentence(given, rules, match)
    if found is None and CONTRAST in rules:
        found = contrasted(given, context, question, rules, match)
    if found is None and OFFICE in rules:
        found = by_office(given, accepted, context, question, rules, match)
    return found
