"""Words the item's own texts add, or a common swap: a qualifier from the item's quote or
explanation, a synonym of a generic last word, "X of Y" turned around.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence

from ..bank.text import normalize_passage
from .frames import ARTICLES, PREPOSITIONS
from .rules import OF_PHRASE, PLURAL, QUALIFIER, SYNONYM, _fewest
from .words import Word, _singulars, fold, is_numberish, same_words, words

_CLAUSE = re.compile(r"[.,;:!?()\[\]{}\"“”«»—–]|\s-\s|'s\b|’s\b")
NOT_QUALIFIERS = frozenset(
    {
        "not", "no", "non", "nor", "never", "neither", "either", "without", "except", "anti",
        "and", "or", "but", "than", "versus", "vs", "other", "others", "another", "former", "ex",
        "pseudo", "so", "called", "nearly", "almost", "half", "semi", "against", "instead",
        "unlike", "beyond", "outside", "s",
        # function words: they do not qualify a name or a term
        "is", "are", "was", "were", "be", "been", "being", "has", "have", "had", "will",
        "would", "can", "could", "may", "might", "must", "shall", "should", "do", "does", "did",
        "when", "where", "which", "who", "whom", "whose", "what", "that", "this", "these",
        "those", "it", "they", "he", "she", "we", "also", "only", "quite", "very", "much",
        "more", "most", "less", "least", "too", "even", "still", "just", "as", "under", "over",
        "after", "before", "about", "between", "among", "through", "like", "via", "per",
        "upon", "onto", "toward", "towards", "across", "behind", "around", "if", "then",
    }
    | ARTICLES
    | PREPOSITIONS["fuzzy"]
    | PREPOSITIONS["exact"]
)  # fmt: skip


@functools.lru_cache(maxsize=1024)
def _clauses(text: str) -> tuple[tuple[str, ...], ...]:
    """A text's clauses, each as its folded words (cached: an item's texts are read often)."""
    return tuple(
        tuple(w.fold for w in words(clause)) for clause in _CLAUSE.split(normalize_passage(text))
    )


def qualifiers(key: Sequence[Word], context: Iterable[str]) -> tuple[set[str], set[str]]:
    """Words the item's own texts put right before / right after the whole key, in one clause."""
    target = tuple(w.fold for w in key)
    before: set[str] = set()
    after: set[str] = set()
    n = len(target)
    for text in context:
        for folded in _clauses(text):
            for i in range(len(folded) - n + 1):
                if folded[i : i + n] != target:
                    continue
                if i > 0:
                    before.add(folded[i - 1])
                if i + n < len(folded):
                    after.add(folded[i + n])
    ok = {
        w
        for w in before | after
        if w.isalpha() and len(w) >= 2 and w not in NOT_QUALIFIERS and not is_numberish(w)
    }
    return before & ok, after & ok


def _qualified(
    given: Sequence[Word], key: Sequence[Word], context: Sequence[str], rules: frozenset[str]
) -> set[str] | None:
    if len(given) != len(key) + 1 or not context:
        return None
    before, after = qualifiers(key, context)
    if given[0].fold in before:
        tags = same_words(given[1:], key, "fuzzy", rules)
        if tags is not None:
            return tags | {QUALIFIER}
    if given[-1].fold in after:
        tags = same_words(given[:-1], key, "fuzzy", rules)
        if tags is not None:
            return tags | {QUALIFIER}
    return None


# Words after which a continuation would add a second answer or turn the first around.
NOT_CONTINUING = frozenset({"and", "or", "nor", "but", "not", "never", "versus", "vs", "except"})


# --- a synonym of a generic last word; "X of Y" turned around ------------------------------

# Generic nouns a teacher takes for one another at the end of a longer answer ("the Doha
# accord"); never a word that carries the answer alone.
SYNONYMS: tuple[frozenset[str], ...] = (
    frozenset({"agreement", "accord", "deal", "pact", "treaty"}),
    frozenset({"state", "country", "nation"}),
    frozenset({"organization", "organisation", "group"}),
    frozenset({"talks", "negotiations", "discussions"}),
    frozenset({"withdrawal", "pullout"}),
    frozenset({"border", "frontier"}),
    frozenset({"aim", "goal", "objective"}),
    frozenset({"threat", "danger", "menace"}),
)


def synonym_tags(given: str, accepted: str) -> set[str] | None:
    """``{SYNONYM}`` (plus ``{PLURAL}`` when one is plural) when two words are listed synonyms."""
    g, a = fold(given), fold(accepted)
    if g == a:
        return None
    for group in SYNONYMS:
        gs = [w for w in {g} | _singulars(g) if w in group]
        acc = [w for w in {a} | _singulars(a) if w in group]
        if gs and acc and gs[0] != acc[0]:
            return {SYNONYM} if (g in group) == (a in group) else {SYNONYM, PLURAL}
    return None


def _synonymous(
    given: Sequence[Word], key: Sequence[Word], mode: str, rules: frozenset[str]
) -> set[str] | None:
    if mode != "fuzzy" or len(key) < 2 or len(given) != len(key):
        return None
    head = synonym_tags(given[-1].fold, key[-1].fold)
    rest = same_words(given[:-1], key[:-1], mode, rules) if head else None
    if head is None or rest is None or (PLURAL in head and PLURAL not in rules):
        return None
    return rest | head


_OF = Word("of", "of")


def of_turned(key: Sequence[Word]) -> list[tuple[Word, ...]]:
    """A term's "X of Y" as "Y X" and "Y X" as "X of Y" ("guarantee of security", "security
    guarantee"): lower-case words only (names keep their order), no other small word."""
    folds = [w.fold for w in key]
    if not all(w.raw.islower() and w.raw.isalpha() for w in key):
        return []
    if any(f in NOT_QUALIFIERS for f in folds if f != "of"):
        return []
    if folds.count("of") == 1:
        k = folds.index("of")
        if 1 <= k <= 2 and 1 <= len(key) - k - 1 <= 2:
            return [(*key[k + 1 :], *key[:k])]
        return []
    if "of" not in folds and 2 <= len(key) <= 3:
        return [(key[-1], _OF, *key[:-1])]
    return []


def _of_phrase(
    given: Sequence[Word], key: Sequence[Word], mode: str, rules: frozenset[str]
) -> set[str] | None:
    if mode != "fuzzy":
        return None
    return _fewest(
        (tags | {OF_PHRASE}) if (tags := same_words(given, form, mode, rules)) is not None else None
        for form in of_turned(key)
    )
