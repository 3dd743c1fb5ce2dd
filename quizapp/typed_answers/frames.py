"""Frames: an article, a preposition, a title or a label around the answer, added or dropped."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .words import Word, parse_number

# Articles, and possessives that add nothing to a term ("its security" for "security").
ARTICLES = frozenset({"the", "a", "an", "le", "la", "les", "l", "its", "their", "his", "her"})
PREPOSITIONS = {
    "fuzzy": frozenset({"in", "at", "on", "to", "into", "from", "of", "for", "with", "by"}),
    "exact": frozenset({"in", "on", "since", "from", "during", "for"}),
}
LABELS = {
    "article": "article",
    "art": "article",
    "section": "section",
    "chapter": "chapter",
    "clause": "clause",
    "paragraph": "paragraph",
    "para": "paragraph",
    "number": "number",
    "no": "number",
    "nr": "number",
    "year": "year",
}


# A title before a name ("President Obama", "General de Gaulle") may be added or dropped.
TITLES = frozenset(
    {"president", "mr", "mrs", "ms", "dr", "general", "chancellor", "minister", "sir", "king",
     "queen", "prince", "pope", "senator", "governor", "secretary", "ambassador", "journalist"}
)  # fmt: skip
# Words that make a title of several words ("Foreign Minister", "then French Minister of Defense").
TITLE_WORDS = TITLES | frozenset(
    {"foreign", "prime", "defense", "defence", "interior", "deputy", "vice", "former", "then",
     "french", "russian", "american", "us", "u", "s", "of", "state", "affairs", "the"}
)  # fmt: skip


@dataclass(frozen=True)
class Framed:
    frame: frozenset[str]  # the canonical frame words, articles left out
    article: bool
    core: tuple[Word, ...]


def frames(ws: Sequence[Word], mode: str, *, typed: bool = False) -> list[Framed]:
    """Every way to read a phrase as [preposition] [article] [label] core; the bare phrase first.

    A label ("Article", "year") only frames a number; the core is never empty. What a
    student ``typed`` may also wrap a name in a title ("President Obama"); a year typed as a
    fuller date is no frame but a date the texts must state (``dates2``).
    """
    preps = PREPOSITIONS.get(mode, PREPOSITIONS["fuzzy"])
    out = [Framed(frozenset(), False, tuple(ws))]
    i, frame, article = 0, set(), False
    if i < len(ws) and ws[i].fold in preps:
        frame.add(ws[i].fold)
        i += 1
        out.append(Framed(frozenset(frame), article, tuple(ws[i:])))
    if i < len(ws) and ws[i].fold in ARTICLES:
        article = True
        i += 1
        out.append(Framed(frozenset(frame), article, tuple(ws[i:])))
    if i < len(ws) and ws[i].fold in LABELS and parse_number(ws[i + 1 :]) is not None:
        frame.add(LABELS[ws[i].fold])
        i += 1
        out.append(Framed(frozenset(frame), article, tuple(ws[i:])))
    if typed and mode != "exact":
        # a title of one or more words before a name: "President Obama", "Foreign Minister Lavrov"
        j, titles = i, 0
        while j < len(ws) - 1 and ws[j].fold in TITLE_WORDS:
            titles += ws[j].fold in TITLES
            j += 1
            if titles > 1:
                break  # one title: "Pope Pope Caucasus" is not a title and a name
            # ...before a name: the rest holds a word that is no title's ("Foreign Minister,
            # then Defense Minister" is two offices, not an office and a name)
            named = any(w.fold not in TITLE_WORDS for w in ws[j:])
            if titles and named and ws[j - 1].fold not in ("of", "the"):
                out.append(Framed(frozenset(frame | {"title"}), article, tuple(ws[j:])))
    return [f for f in out if f.core]


def frames_compatible(given: frozenset[str], accepted: frozenset[str]) -> bool:
    """A frame may be added or dropped, never swapped ("Section 5" is not "Article 5")."""
    return given <= accepted or accepted <= given
