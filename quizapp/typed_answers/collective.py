"""A place's countries said the other way round (tagged "people or state", as the rule it
extends): "the countries of Europe", "the governments of the European Union", "Europe's
governments" are read as "European countries", "European Union governments", and "powers"
as "countries" ("European powers"); the possessive only with a plural noun ("Putin's
government" is another entity, "Europe's governments" its states); the people-or-state rule
then judges them, so "the
countries of Eastern Europe" is not Europe and "Russia's governments" not Europe either.
"""

from __future__ import annotations

import re

from ..bank.text import normalize_passage
from .dates2 import TextMatcher
from .names import COLLECTIVE, adjectives
from .rules import PEOPLE
from .words import Word, words

# Nouns of COLLECTIVE said of one word, and "powers" for "countries" ("European powers").
NOUNS = frozenset(n[0] for n in COLLECTIVE if len(n) == 1) | {"powers", "power"}
# "the Republic of China" is Taiwan, "the Federation of ..." another body: never "N of X"
NOT_OF = frozenset({"republic", "federation"})
_AS_COUNTRY = {"powers": "countries", "power": "country"}
_OF = re.compile(r"^(?:the\s+)?(?P<noun>[a-z]+)\s+of\s+(?:the\s+)?(?P<place>[^\s].*)$", re.I)
_OWNED = re.compile(r"^(?:the\s+)?(?P<place>[^\s].*?)(?:'s|s')\s+(?P<noun>[a-z]+)$", re.I)


def _readings(place: str, noun: str) -> list[str]:
    """ "Europe" + "governments": "European governments" (every regular adjective) and
    "Europe governments" (a name before a noun, which the people rule takes only for a name of
    two words or an acronym)."""
    ws: tuple[Word, ...] = words(place)
    if not ws:
        return []
    head = " ".join(w.raw for w in ws[:-1])
    out = [f"{place} {noun}"]
    for adjective in sorted(adjectives(ws[-1].raw)):
        out.append(f"{head} {adjective.capitalize()} {noun}".strip())
    return out


def countries_of(
    given: str, key: str, rules: frozenset[str], match: TextMatcher
) -> set[str] | None:
    """ "the countries of X", "X's governments", "X powers" matched as "X countries" by the
    people-or-state rule."""
    if PEOPLE not in rules or not key[:1].isupper():
        return None
    low = given.lower()
    if " of " not in low and "'" not in low and "’" not in low and "power" not in low:
        return None  # no "N of X", "X's N" or "powers": nothing to read
    text = normalize_passage(given).strip().rstrip(".")
    candidates: list[str] = []
    for pattern in (_OF, _OWNED):
        m = pattern.match(text)
        if m is not None and m["noun"].lower() in NOUNS - NOT_OF:
            if pattern is _OWNED and not m["noun"].lower().endswith("s"):
                continue  # "Putin's government" is his; "Europe's governments" are its states
            noun = _AS_COUNTRY.get(m["noun"].lower(), m["noun"].lower())
            candidates += _readings(m["place"], noun)
    ws = text.split()
    if len(ws) >= 2 and ws[-1].lower() in _AS_COUNTRY:
        candidates.append(" ".join([*ws[:-1], _AS_COUNTRY[ws[-1].lower()]]))
    found = [t | {PEOPLE} for c in candidates if (t := match(c, key, rules)) is not None]
    return min(found, key=len) if found else None
