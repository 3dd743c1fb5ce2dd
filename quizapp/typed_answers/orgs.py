"""Organizations and other names typed another way, each a pure function:

- full name (fuzzy blanks): the words whose initials an accepted initialism spells, the reverse
  of the initialism rule ("North Atlantic Treaty Organization" / "...Organisation" for "NATO"):
  three capitalized content words or more, the initialism three letters or more; never other
  words ("North Atlantic Council" is not NATO).
- head noun (fuzzy blanks, names): a name followed by its possessive (one-word names only:
  "al-Qaeda's", "NATO's"; never "Benoît Vitkine's") or a
  generic noun for a body (``HEADS``: network, group, movement, organization; "alliance",
  "bloc", "pact" only where the item's own texts use that word): "Al-Qaeda network", "the NATO
  alliance". The name must match on its own ("the Taliban network" is not al-Qaeda).
- transliteration (tagged "typo"): a name written with apostrophes, hyphens or spaces inside,
  "q"/"qu" for "k", "ae"/"ai"/"e" for "i", the Arabic article "al"/"el" dropped ("Al-Qa'ida",
  "Al-Kaida", "Al-Quaida", "Qaeda" for "al-Qaeda"); five letters or more typed and no other
  edit (the typo rule has its own: "Russian" is not "Russia", "Al-Aqsa" not al-Qaeda).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence

from ..bank.text import normalize_passage
from .dates2 import TextMatcher
from .forms import initials
from .rules import CONTINUED, DESCRIPTION, ECHO, EXPANSION, HEAD, POSSESSIVE, QUALIFIER, TYPO
from .words import fold, is_numberish, words

# --- full name: "North Atlantic Treaty Organization" for "NATO" ---------------------------------

MIN_LETTERS = 3


def expands(given: str, key: str) -> bool:
    """Whether ``given`` is a full name whose initials are the initialism ``key``."""
    k = key.replace(".", "").strip()
    if len(k) < MIN_LETTERS or not k.isalpha() or not k.isupper():
        return False
    ws = words(given)
    if ws[:1] and ws[0].fold == "the":
        ws = ws[1:]
    return len(ws) >= MIN_LETTERS and initials(" ".join(w.raw for w in ws)) == fold(k)


def _name(key: str) -> bool:
    """A name has a capital ("al-Qaeda", "NATO"); a term has none."""
    return any(ch.isupper() for ch in key)


# --- a head noun or the possessive after a name -----------------------------------------------

HEADS = frozenset({"network", "group", "movement", "organization", "organisation"})
# Nouns that name a body only where the item's own texts call it so ("the Atlantic Alliance").
HEADS_IF_SAID = frozenset({"alliance", "bloc", "pact"})
NOT_WITH_POSSESSIVE = frozenset({QUALIFIER, CONTINUED, DESCRIPTION, POSSESSIVE, ECHO})
_POSSESSIVE_END = re.compile(r"^(?P<rest>.*\S)(?:'s|s')$")


def headed(
    given: str,
    key: str,
    context: Sequence[str],
    question: str,
    rules: frozenset[str],
    match: TextMatcher,
) -> set[str] | None:
    """A name with its possessive or a head noun after it ("al-Qaeda's", "Al-Qaeda network",
    "the NATO alliance"); the rest must match the key by the other rules."""
    last = given.rstrip(". ").rsplit(None, 1)[-1:]
    if not last or (fold(last[0]) not in HEADS | HEADS_IF_SAID and last[0][-1:] not in "s'’"):
        return None  # no head noun, no possessive: nothing to read
    text = normalize_passage(given).strip().rstrip(".")
    if (m := _POSSESSIVE_END.match(text)) is not None:
        if " " in key.strip():
            return None  # a full name's possessive is the owner of something unsaid
        rest = m["rest"]
        rules = rules - NOT_WITH_POSSESSIVE  # the name itself, nothing said around it
    else:
        ws = text.rsplit(None, 1)
        if len(ws) != 2:
            return None
        rest, head = ws[0], fold(ws[1])
        if head not in HEADS and head not in HEADS_IF_SAID:
            return None
        if head not in HEADS and not any(head in fold(t) for t in (*context, question)):
            return None
        if fold(key.split()[-1]) == head:
            return None  # the key's own last word: "NATO" + "alliance" of "Atlantic Alliance"
    if not _name(key) or any(is_numberish(w.fold) for w in words(key)):
        return None
    tags = match(rest, key, rules - {HEAD})
    return None if tags is None else tags | {HEAD}


# --- transliteration ------------------------------------------------------------------------

MIN_SKELETON = 5


@functools.lru_cache(maxsize=4096)
def _letters(text: str) -> str:
    return "".join(ch for ch in text if ch.isalpha())


@functools.lru_cache(maxsize=4096)
def skeleton(name: str) -> str:
    """A name's letters with its transliteration choices folded: no spaces, hyphens or
    apostrophes, "qu"/"q" as "k", "ae"/"ai"/"ei"/"e" as "i", "ou" as "u"."""
    s = "".join(ch for ch in fold(name) if ch.isalpha())
    s = s.replace("qu", "k").replace("q", "k")
    for a, b in (("ae", "i"), ("ai", "i"), ("ei", "i"), ("e", "i"), ("ou", "u")):
        s = s.replace(a, b)
    return s


_ARTICLE = re.compile(r"^(?:al|el)[\s\-]+(?=\S)", re.IGNORECASE)


def transliterated(given: str, key: str) -> bool:
    """Whether ``given`` writes the name ``key`` in another transliteration (see above)."""
    if not _name(key):
        return False  # a term, not a name
    g, k = fold(given).strip(), fold(key).strip()
    letters = _letters(g)
    if len(letters) < MIN_SKELETON or letters == _letters(k):
        return False  # too short to tell, or only case, accents or punctuation (the case rule)
    sg, sk = skeleton(_ARTICLE.sub("", g)), skeleton(_ARTICLE.sub("", k))
    if not sg or sg != sk:
        return False
    return not any(ch.isdigit() for ch in given)


def org_forms(
    given: str,
    key: str,
    context: Sequence[str],
    question: str,
    rules: frozenset[str],
    match: TextMatcher,
) -> set[str] | None:
    """The fewest of these rules that make ``given`` the accepted answer ``key``."""
    if EXPANSION in rules and expands(given, key):
        return {EXPANSION}
    if TYPO in rules and transliterated(given, key):
        return {TYPO}
    if HEAD in rules:
        return headed(given, key, context, question, rules, match)
    return None
