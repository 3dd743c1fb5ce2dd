"""Hints for ``restates:`` links: content in different sentences that may say the same.

Two items of one attempt that draw on content saying the same thing give each other away,
whatever sentence each quotes (a reason of the first paragraph, "concerned for its Caucasus
oblasts", answers a fact of the eighth). The content links such pairs with ``restates:``
(:meth:`~quizapp.bank.model.EssayContent.restatements`); this module finds the candidates an
author should read: pairs whose content words overlap strongly (numbers as digits, function
words out, words cut to a stem, rare words weighing more) and that nothing links yet. They
are hints, never errors: sharing words is not saying the same, and synonyms ("godsend",
"windfall") escape it.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path

from ..typed_answers.words import parse_number
from .loader import ContentError
from .model import Claim, EssayContent, Fact, OpposingView, Reason
from .passages import Passages
from .text import cloze_fill

STOP_WORDS = frozenset(
    ("a", "about", "above", "after", "again", "against", "all", "also", "although", "am", "an",
     "and", "any", "are", "as", "at", "be", "because", "been", "before", "being", "between", "both",
     "but", "by", "can", "could", "did", "do", "does", "doing", "down", "during", "each", "even",
     "ever", "every", "few", "for", "from", "further", "had", "has", "have", "having", "he", "her",
     "here", "hers", "him", "his", "how", "however", "i", "if", "in", "into", "is", "it", "its",
     "itself", "just", "may", "might", "more", "most", "much", "must", "my", "no", "nor", "not",
     "now", "of", "off", "on", "once", "one", "only", "or", "other", "our", "out", "over", "own",
     "same", "says", "said", "should", "so", "some", "such", "than", "that", "the", "their", "them",
     "then", "there", "these", "they", "this", "those", "through", "thus", "to", "too", "under",
     "until", "up", "upon", "very", "was", "we", "were", "what", "when", "where", "whether",
     "which", "while", "who", "whom", "whose", "why", "will", "with", "within", "without", "would",
     "yet", "you", "your", "author", "essay")
)  # fmt: skip
_WORD = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_SUFFIXES = (
    "ations",
    "ation",
    "ments",
    "ment",
    "ness",
    "ings",
    "ing",
    "ies",
    "ied",
    "ed",
    "es",
    "s",
)
MIN_OVERLAP = 0.5  # weighted share of the shorter text's content words found in the other
MIN_SHARED = 3  # and at least this many content words in common


def stem(word: str) -> str:
    """A crude stem, enough to meet a word's forms (fears/feared, oblasts/oblast), cut to
    seven letters (destabilize/destabilization)."""
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            word = word[: -len(suffix)]
            break
    return word[:7]


def content_words(text: str) -> frozenset[str]:
    """A text's content words: numbers as digits ("seven" and "7" meet), function words
    out, each word stemmed."""
    found: set[str] = set()
    for word in _WORD.findall(text.lower().replace("’", "'")):
        if word in STOP_WORDS:
            continue
        number = parse_number(word)
        if number is not None:
            found.add(str(number[0]))
        elif len(word) > 2:
            found.add(stem(word))
    return frozenset(found)


@dataclass(frozen=True)
class Candidate:
    """Two pieces of content, in different sentences and not linked, that may say the same."""

    first: str  # content ids, the first in file order
    second: str
    score: float
    shared: tuple[str, ...]


def statement_text(statement: Fact | Claim | Reason | OpposingView) -> str:
    return cloze_fill(statement.text) if isinstance(statement, Fact) else statement.text


def _owner(cid: str) -> str:
    return cid.partition("#")[0]


def candidates(
    content: EssayContent, min_overlap: float = MIN_OVERLAP, min_shared: int = MIN_SHARED
) -> list[Candidate]:
    """Unlinked pairs of content in different sentences whose content words overlap by
    ``min_overlap`` or more (rare words weighing more), strongest first. A claim, its
    reasons and its views are never paired with each other: its items draw on all of them."""
    statements = content.statements()
    words = {cid: content_words(statement_text(s)) for cid, s in statements.items()}
    counts: dict[str, int] = {}
    for ws in words.values():
        for w in ws:
            counts[w] = counts.get(w, 0) + 1
    weight = {w: math.log((len(words) + 1) / n) for w, n in counts.items()}
    linked = content.restatements()
    index = Passages(content)
    sentences = {
        cid: index.of_quote(s.para, s.quote) if s.quote else frozenset()
        for cid, s in statements.items()
    }
    ids = list(statements)
    found: list[Candidate] = []
    for n, a in enumerate(ids):
        for b in ids[n + 1 :]:
            if _owner(a) == _owner(b) or b in linked.get(a, ()):
                continue
            if sentences[a] & sentences[b]:
                continue  # one sentence: items on them are kept apart already
            shared = words[a] & words[b]
            if len(shared) < min_shared:
                continue
            smaller = min(sum(weight[w] for w in words[a]), sum(weight[w] for w in words[b]))
            score = sum(weight[w] for w in shared) / smaller if smaller else 0.0
            if score >= min_overlap:
                found.append(Candidate(a, b, round(score, 2), tuple(sorted(shared))))
    return sorted(found, key=lambda c: (-c.score, c.first, c.second))


def hints(
    folder: Path, content: EssayContent, content_dir: Path | None = None, **limits: float
) -> list[ContentError]:
    """The candidates as ``file:line: what; fix`` hints, at the line of the first of the
    pair (where its ``restates:`` would go)."""
    from .lint import _Lines

    lines = _Lines(folder, content_dir or folder.parent)
    statements = content.statements()
    out = []
    for c in candidates(content, **limits):  # type: ignore[arg-type]
        owner, _, part = c.first.partition("#")
        is_fact = isinstance(statements[owner], Fact)
        if part:
            kind, _, number = part.rpartition("-")
            key = "reasons" if kind == "reason" else "opposing"
            line = lines.at(owner, key, int(number) - 1)
        else:
            line = lines.at(owner)
        file = lines.facts_file if is_fact else lines.args_file
        a, b = statement_text(statements[c.first]), statement_text(statements[c.second])
        out.append(
            ContentError(
                file,
                line,
                f"'{c.first}' and '{c.second}' may say the same (overlap {c.score:.2f}: "
                f"{', '.join(c.shared)}): “{a}” / “{b}”",
                f"if one states or gives away the other, add 'restates: [{c.second}]' to "
                f"'{c.first}'; if they only share a topic, leave them",
            )
        )
    return out
