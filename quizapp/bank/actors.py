"""Who a sentence of the argument model is about: its named actors, with the names the content
itself treats as one ("Moscow", "Russia", "the Kremlin" as accepted wordings of one blank).

A reason borrowed from another claim as a distractor must be about an actor of the claim it is
offered for: "Sergei Lavrov has called the Taliban a recognized political force" among the
options for "Beijing saw geostrategic advantages" is ruled out by its subject alone (the ninth
blind review). Pure: no Flask, no database.
"""

from __future__ import annotations

import functools
import re

from .model import EssayContent

# Kinds of fact whose accepted wordings name one actor in several ways.
_NAMING_KINDS = frozenset({"person", "place", "organization"})
_CAPITALIZED = re.compile(r"\b[A-Z][A-Za-z]+")
_LOWER = re.compile(r"\b[a-z][a-z]+")
_ONE_NAME = re.compile(r"(?:the )?([A-Z][A-Za-z]+)")


def _stem(word: str) -> str:
    """Russia, Russian and Russia's as one; China and Chinese; America and American."""
    return word.lower()[:4]


@functools.lru_cache(maxsize=16)
def _naming(
    alternatives: tuple[tuple[str, ...], ...], texts: tuple[str, ...]
) -> tuple[dict[str, str], frozenset[str]]:
    """Each name's stem mapped to its group's, from the blanks whose alternatives are single
    names; and the words the texts write in lower case (so a capital at the start of a
    sentence, "Terrorism that grows...", is not taken for a name)."""
    parent: dict[str, str] = {}

    def root(stem: str) -> str:
        while parent.get(stem, stem) != stem:
            stem = parent[stem]
        return stem

    for answers in alternatives:
        stems = [_stem(m.group(1)) for a in answers if (m := _ONE_NAME.fullmatch(a.strip()))]
        for stem in stems[1:]:
            parent[root(stem)] = root(stems[0])
    groups = {stem: root(stem) for stem in parent}
    lower = frozenset(w for t in texts for w in _LOWER.findall(t))
    return groups, lower


def naming(content: EssayContent, texts: tuple[str, ...]) -> tuple[dict[str, str], frozenset[str]]:
    alternatives = tuple(
        blank.answers
        for fact in content.facts
        if fact.kind in _NAMING_KINDS
        for blank in fact.blanks
    )
    return _naming(alternatives, texts)


def names(text: str, groups: dict[str, str], lower: frozenset[str]) -> list[str]:
    """The named actors of a text in order, each as its group's stem."""
    return [
        groups.get(_stem(w), _stem(w)) for w in _CAPITALIZED.findall(text) if w.lower() not in lower
    ]


def about_one_of(
    text: str, about: list[str], naming: tuple[dict[str, str], frozenset[str]]
) -> bool:
    """Whether the text's subject (its first named actor) is one of the actors named in
    ``about`` (a claim and its reasons). A text that names no one is about no one."""
    groups, lower = naming
    found = names(text, groups, lower)
    wanted = {n for t in about for n in names(t, groups, lower)}
    return bool(found) and found[0] in wanted
