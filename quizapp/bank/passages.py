"""Which sentences of the essay an item draws on: two items of one attempt that draw on the
same sentence give each other away in paraphrase ("cannot be counted on" in one, the key
"unreliable" in the other; "for the past seven years" against the key "7"), which no check of
the answers' words can see (the sixth blind review found it in 25 of 40 final exams).
"""

from __future__ import annotations

import functools

from .model import EssayContent, Item
from .sentences import sentences
from .text import normalize_passage

Passage = tuple[int, int]  # (paragraph number, sentence index in it)


@functools.lru_cache(maxsize=512)
def sentence_spans(text: str) -> tuple[tuple[int, int], ...]:
    """Where each sentence of a paragraph starts and ends: segmenting is slow (pysbd), and
    every bank of an essay (one per attempt) asks again for the same paragraphs."""
    return tuple((start, start + len(s)) for start, s in sentences(text))


class Passages:
    """The sentences each quote of one essay's content lies in, computed once per bank."""

    def __init__(self, content: EssayContent) -> None:
        self.content = content
        self._paragraphs: dict[int, tuple[str, tuple[tuple[int, int], ...]]] = {}
        self._quotes: dict[tuple[int, str], frozenset[Passage]] = {}
        self._origins = self._origin_quotes(content)

    @staticmethod
    def _origin_quotes(content: EssayContent) -> dict[str, tuple[int, str]]:
        """Every content id an option can come from, with its paragraph and quote."""
        found: dict[str, tuple[int, str]] = {}
        for fact in content.facts:
            found[fact.id] = (fact.para, fact.quote)
        for claim in content.all_claims:
            found[claim.id] = (claim.para, claim.quote)
            for i, reason in enumerate(claim.reasons, start=1):
                found[f"{claim.id}#reason-{i}"] = (reason.para, reason.quote)
            for i, view in enumerate(claim.opposing, start=1):
                if view.quote:
                    found[f"{claim.id}#opposing-{i}"] = (view.para, view.quote)
        return found

    def _sentences(self, para: int) -> tuple[str, tuple[tuple[int, int], ...]]:
        if para not in self._paragraphs:
            paragraph = self.content.essay.paragraph(para)
            text = normalize_passage(paragraph.text) if paragraph else ""
            self._paragraphs[para] = (text, sentence_spans(text) if text else ())
        return self._paragraphs[para]

    def of_quote(self, para: int, quote: str) -> frozenset[Passage]:
        """The sentences a verbatim quote of a paragraph overlaps (none if it is not found)."""
        key = (para, quote)
        if key not in self._quotes:
            text, spans = self._sentences(para)
            needle = normalize_passage(quote)
            start = text.find(needle) if needle else -1
            found: frozenset[Passage] = frozenset()
            if start >= 0:
                end = start + len(needle)
                found = frozenset(
                    (para, n) for n, (a, b) in enumerate(spans) if a < end and start < b
                )
            self._quotes[key] = found
        return self._quotes[key]

    def of_item(self, item: Item) -> frozenset[Passage]:
        """The sentences an item quotes, and those its options state or deny."""
        quotes = {(s.para, s.quote) for s in item.sources}
        quotes |= {self._origins[d.origin] for d in item.details if d.origin in self._origins}
        return frozenset().union(*(self.of_quote(p, q) for p, q in quotes))
