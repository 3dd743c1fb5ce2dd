"""Names typed with what belongs to them: an owner the item's own texts give the answer ("Le
Monde's Benoît Vitkine"), and a place typed as its people, state or government ("the Russian
government" for "Russia"), the adjective derived by a regular suffix, never looked up.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from ..bank.text import normalize_passage
from .phrases import NOT_QUALIFIERS
from .rules import ANY_ORDER, PEOPLE, TYPO
from .words import Word, fold, same_words, typo_close, words

# --- possessive: an owner the item's own texts give the answer ------------------------------

# "Le Monde's Benoît Vitkine", "the Russians' ..." (quotes already straightened)
_POSSESSIVE = re.compile(r"^(?P<owner>\S.*?)(?:'s|(?<=s)')\s+(?P<rest>\S.*)$", re.IGNORECASE)
_SENTENCE = re.compile(r"[.;:!?]\s")
# Words that link a name to its owner after it ("Benoît Vitkine of Le Monde").
OWNED_BY = frozenset({"of", "from", "at"})
# Words that may stand between an owner's "'s" and the answer ("Le Monde's journalist ...").
MAX_BETWEEN = 3


def possessive_parts(given: str) -> tuple[str, str] | None:
    """A typed "X's Y" (or "Xs' Y") as its owner X and the rest Y, or None."""
    m = _POSSESSIVE.match(normalize_passage(given))
    if m is None or not words(m.group("owner")) or not words(m.group("rest")):
        return None
    return m.group("owner"), m.group("rest")


def _find(seq: Sequence[str], part: Sequence[str]) -> Iterable[int]:
    n = len(part)
    return (i for i in range(len(seq) - n + 1) if tuple(seq[i : i + n]) == tuple(part))


def _content(ws: Sequence[str]) -> bool:
    return all(w not in NOT_QUALIFIERS and w != "s" for w in ws)


def owner_linked(owner: Sequence[Word], answer: Sequence[Word], texts: Iterable[str]) -> bool:
    """Whether one sentence of the item's own texts gives the answer this owner: "<owner>'s
    [up to three words] <answer>" ("Le Monde's journalist Benoît Vitkine") or "<answer> of /
    from / at [the] <owner>". Naming both apart ("Vitkine ... contradicts Russia's doctrine"),
    or joined by "and" or a comma, is no link."""
    own = [w.fold for w in owner]
    if own and own[0] == "the" and len(own) > 1:
        own = own[1:]
    ans = [w.fold for w in answer]
    if not own or not ans:
        return False
    for text in texts:
        for sentence in _SENTENCE.split(normalize_passage(text)):
            # a comma, a dash or a bracket ends the link ("China, Iran")
            for piece in re.split(r"[,()\[\]—–]|\s-\s", sentence):
                seq = [w.fold for w in words(piece)]
                for i in _find(seq, own):
                    after = i + len(own)
                    if after >= len(seq) or seq[after] != "s":
                        continue
                    for j in _find(seq, ans):
                        between = seq[after + 1 : j]
                        if j > after and len(between) <= MAX_BETWEEN and _content(between):
                            return True
                for j in _find(seq, ans):
                    rest = seq[j + len(ans) :]
                    if rest[:1] and rest[0] in OWNED_BY:
                        rest = rest[1:]
                        if rest[:1] == ["the"]:
                            rest = rest[1:]
                        if rest[: len(own)] == own:
                            return True
    return False


# --- a place as its people, state or government --------------------------------------------

# The closed list of collective nouns a place's adjective takes ("the Russian government").
COLLECTIVE: frozenset[tuple[str, ...]] = frozenset(
    tuple(n.split())
    for n in (
        "country", "countries", "state", "states", "nation", "nations", "government",
        "governments", "authorities", "leaders", "leadership", "people", "peoples",
        "population", "member states", "member countries", "members", "federation",
        "republic", "capitals", "regime", "officials",
    )
)  # fmt: skip
_VOWELS = frozenset("aeiouy")
COMPASS_POINTS = frozenset({"north", "south", "east", "west"})
# Adjectives that name the whole people with "the" and no -s ("the Chinese", "the Turkish").
PEOPLE_AS_ADJECTIVE = ("ese", "ish")


def adjectives(place: str) -> frozenset[str]:
    """A place name's adjective or demonym by the regular suffixes, folded: -a -> -an
    ("Russian"), -a -> -ese ("Chinese"), -e -> -ean ("European"), -y -> -ian ("Italian"), -o ->
    -an ("Mexican"), a consonant -> -ian, -an, -i, -ese ("Iranian", "Afghan...", "Pakistani",
    "Japanese"), -land -> -lish ("English", "Polish"), a compass point -> -ern ("Eastern").
    Irregular ones ("French", "Dutch") are not derived: a listed alternative
    decides those."""
    p = fold(place)
    if len(p) < 3 or not p.isalpha() or place.isupper():
        return frozenset()  # an acronym stands before the noun as it is ("EU", "ASEAN")
    if p in COMPASS_POINTS:
        return frozenset({p + "ern"})  # "the Middle East": "Middle Eastern countries"
    last = p[-1]
    if last == "a":
        return frozenset({p + "n", p[:-1] + "ese"})
    if last == "e":
        return frozenset({p + "an", p[:-1] + "ian"})
    if last == "y":
        return frozenset({p[:-1] + "ian", p[:-1] + "an"})
    if last == "o":
        return frozenset({p[:-1] + "an"})
    if last in _VOWELS:
        return frozenset({p + "an"})  # Mali -> Malian
    found = {p + "ian", p + "an", p + "i", p + "ese"}
    if p.endswith("land") and len(p) > 4:
        found.add(p[:-3] + "ish")  # England: English, Poland: Polish
    if p.endswith("us") and len(p) > 5:
        found.add(p[:-2] + "ian")  # Caucasus: Caucasian
    return frozenset(found)


def _demonym_plural(word: str, place: str) -> bool:
    """ "Russians" for "Russia": an -an/-ian/-i adjective of the place plus -s (the people)."""
    w = fold(word)
    return w.endswith("s") and w[:-1] in adjectives(place) and w[-2] in "ni"


def bases(adjective: str) -> frozenset[str]:
    """The place names an adjective is regularly derived from ("iranian" -> "iran"), folded."""
    t = fold(adjective)
    found = {t[:-1], t[:-2], t[:-3], t[:-3] + "a", t[:-3] + "e", t[:-3] + "y", t[:-2] + "y"}
    found |= {t[:-2] + "o", t[:-3] + "us"}
    return frozenset(b for b in found if b and t in adjectives(b))


def _adjective_rules(typed: Word, place: Word, rules: frozenset[str]) -> set[str] | None:
    """The typed word is the place's adjective; a slip is judged on the place name it is
    derived from, with that name's allowance ("Rusian": "Rusia" for "Russia"), so that
    "Iranian" is never a slip for "Iraq" nor "Austrian" for "Australia"."""
    if typed.fold in adjectives(place.raw):
        return set()
    if TYPO in rules and any(typo_close(b, place.fold) for b in bases(typed.fold)):
        return {TYPO}
    return None


def _swapped(ws: Sequence[Word]) -> tuple[Word, ...] | None:
    """ "Eastern and Central" for "Central and Eastern": two single words joined by "and"."""
    if len(ws) == 3 and ws[1].fold in ("and", "&"):
        return (ws[2], ws[1], ws[0])
    return None


def _modifiers(
    typed: Sequence[Word], key: Sequence[Word], mode: str, rules: frozenset[str]
) -> set[str] | None:
    """The words before the place's own (adjective) word: the key's, or two of them swapped."""
    if not typed and not key:
        return set()
    if len(typed) != len(key):
        return None
    tags = same_words(typed, key, mode, rules)
    if tags is None and ANY_ORDER in rules and (swapped := _swapped(typed)) is not None:
        tags = same_words(swapped, key, mode, rules)
        tags = None if tags is None else tags | {ANY_ORDER}
    return tags


def _place_key(key: Sequence[Word]) -> bool:
    return bool(key) and key[-1].raw[:1].isupper() and key[-1].fold.isalpha()


def _name_as_modifier(key: Sequence[Word]) -> bool:
    """A name that stands before a noun as it is: an acronym ("EU countries") or a name of two
    words or more ("European Union countries"); "Russia authorities" is not English."""
    return len(key) > 1 or (key[0].raw.isupper() and len(key[0].raw) >= 2)


def as_people(
    given: Sequence[Word], key: Sequence[Word], mode: str, rules: frozenset[str]
) -> set[str] | None:
    """A place ``key`` typed as its people or state: its adjective plus a collective noun
    ("Russian authorities", "the Russian Federation", "European governments", "Eastern and
    Central European countries"), the name itself before the noun ("EU member states"), or
    its people ("the Russians"). Never the adjective alone
    ("Russian"), another place's adjective ("Prussian government"), or a noun outside
    :data:`COLLECTIVE`."""
    if mode != "fuzzy" or PEOPLE not in rules or not _place_key(key) or len(given) < 1:
        return None
    found: list[set[str]] = []
    place = key[-1]
    # the people as "the" and an adjective in -ese or -ish: "the Chinese" for "China"
    if (
        len(given) == len(key) + 1
        and given[0].fold == "the"
        and given[-1].fold.endswith(PEOPLE_AS_ADJECTIVE)
    ):
        adjective = _adjective_rules(given[-1], place, rules)
        tags = _modifiers(given[1:-1], key[:-1], mode, rules)
        if adjective is not None and tags is not None:
            found.append(tags | adjective)
    # the people: "Russians", "Central and Eastern Europeans"
    if _demonym_plural(given[-1].fold, place.raw):
        tags = _modifiers(given[:-1], key[:-1], mode, rules)
        if tags is not None:
            found.append(tags)
    for n in range(1, 3):
        if len(given) <= n or tuple(w.fold for w in given[-n:]) not in COLLECTIVE:
            continue
        head = given[:-n]
        # the adjective: "Russian government", "Eastern and Central European countries"
        adjective = _adjective_rules(head[-1], place, rules)
        if adjective is not None:
            tags = _modifiers(head[:-1], key[:-1], mode, rules)
            if tags is not None:
                found.append(tags | adjective)
        # the name itself: "EU countries", "European Union countries"
        if _name_as_modifier(key):
            # an acronym takes no slip: "Asian countries" is not "ASEAN countries"
            acronym = len(key) == 1 and key[0].raw.isupper()
            tags = same_words(head, key, mode, rules - {TYPO} if acronym else rules)
            if tags is not None:
                found.append(tags)
    if not found:
        return None
    return min(found, key=len) | {PEOPLE}
