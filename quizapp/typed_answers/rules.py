"""The rules' names, their plain words for the review page, and the :class:`Match` a typed
answer gets: of the ways to match, the one with the fewest rules wins.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

EXACT = "exact"
ALTERNATIVE = "alternative"
CASE = "case/accents"
TYPO = "typo"
PLURAL = "plural"
NUMBER = "number words"
FRAME = "frame"
QUALIFIER = "qualifier"
CONTINUED = "essay's words"
ANY_ORDER = "any order"
SYNONYM = "synonym"
OF_PHRASE = "of-phrase"
ECHO = "question's words"
INITIAL = "initial"
MODIFIER = "modifier"
POSSESSIVE = "possessive"
PEOPLE = "people or state"
RESTATED = "restatement"
INITIALISM = "initialism"
DATE = "date form"
LABELLED = "numbered label"
DESCRIPTION = "description"
PLACE = "place form"
DETAIL = "further detail"
UNIT = "number form"
APPROXIMATION = "approximation"
EXPANSION = "full name"
HEAD = "head noun"
OFFICE = "office"
FILLER = "sentence"
CONTRAST = "contrast"

# Display order, most telling first; every rule but "exact" can be switched off.
RULE_ORDER: tuple[str, ...] = (
    ALTERNATIVE,
    ANY_ORDER,
    RESTATED,
    INITIALISM,
    PEOPLE,
    PLACE,
    EXPANSION,
    OFFICE,
    CONTRAST,
    HEAD,
    FILLER,
    POSSESSIVE,
    DESCRIPTION,
    DETAIL,
    ECHO,
    OF_PHRASE,
    SYNONYM,
    MODIFIER,
    FRAME,
    LABELLED,
    DATE,
    INITIAL,
    QUALIFIER,
    CONTINUED,
    APPROXIMATION,
    UNIT,
    NUMBER,
    PLURAL,
    TYPO,
    CASE,
)
RULES: frozenset[str] = frozenset(RULE_ORDER)

PLAIN: dict[str, str] = {
    ALTERNATIVE: "another answer the question accepts",
    ANY_ORDER: "the same parts in another order or joined differently",
    PEOPLE: "the place named by its people, state or government (“the Russian government”)",
    RESTATED: "the answer restated in other accepted words (“Moscow (Russia)”, “Moscow/Russia”)",
    INITIALISM: "the initials of the answer (“EEU”)",
    PLACE: "the place with its compass point or a word such as “region” (“Northern Caucasus”)",
    EXPANSION: "the full name of the initials (“North Atlantic Treaty Organization”)",
    OFFICE: "the person named by the office the item gives them (“the Russian president”)",
    CONTRAST: "the answer set against a wrong one (“Moscow, not the Taliban”)",
    HEAD: "the answer with a word such as “network” or “'s” after it (“al-Qaeda network”)",
    FILLER: "the answer in a short sentence or with “itself” (“It was Putin”, “Moscow itself”)",
    POSSESSIVE: "the answer with an owner the item itself names (“Vitkine of Le Monde”)",
    DESCRIPTION: "the answer with a description the item itself gives (“the French daily”, "
    "“Vitkine, a Le Monde journalist”)",
    DETAIL: "the answer followed by a further detail the essay gives with it",
    UNIT: "the number with its unit abbreviated or restated (“7 yrs”, “seven (7)”)",
    APPROXIMATION: "the number with “about” or “around” where the question asks how many",
    LABELLED: "the number as a Roman numeral or an ordinal (“Article IV”)",
    DATE: "the same date written another way (“01/09/2004”)",
    ECHO: "the answer inside words of the question itself",
    OF_PHRASE: "the same words with “of” turned around (“guarantee of security”)",
    SYNONYM: "a common synonym of the answer's last word (“accord” for “agreement”)",
    MODIFIER: "the answer with a word of degree before it (“major concessions”)",
    FRAME: "the answer with a word such as “the”, “in” or “Article” added or left out",
    INITIAL: "a first name written as its initial (“S. Lavrov”)",
    QUALIFIER: "the answer with one more word the essay itself uses with it",
    CONTINUED: "the answer followed by the essay's own next words",
    NUMBER: "the same number written another way",
    PLURAL: "the singular or plural of the answer",
    TYPO: "a small spelling slip",
    CASE: "other capitals, accents or punctuation",
}


@dataclass(frozen=True)
class Match:
    """A typed answer accepted: the accepted answer it matched and the rules it needed."""

    answer: str
    rules: frozenset[str]

    @property
    def exact(self) -> bool:
        return not self.rules

    @property
    def names(self) -> tuple[str, ...]:
        """The rules, in display order; ``("exact",)`` for an exact answer."""
        return tuple(r for r in RULE_ORDER if r in self.rules) or (EXACT,)

    @property
    def note(self) -> str | None:
        return note_for(self.names)


def note_for(names: Iterable[str]) -> str | None:
    """Plain words for a non-exact acceptance ("Accepted: a small spelling slip"), else None."""
    words = [PLAIN[n] for n in RULE_ORDER if n in set(names)]
    return "Accepted: " + "; ".join(words) if words else None


def _fewest(candidates: Iterable[set[str] | None]) -> set[str] | None:
    found = [c for c in candidates if c is not None]
    if not found:
        return None
    return min(found, key=lambda c: (len(c), sorted(RULE_ORDER.index(r) for r in c)))
