"""Which sentences of the essay an item draws on: two items of one attempt that draw on the
same sentence give each other away in paraphrase ("cannot be counted on" in one, the key
"unreliable" in the other; "for the past seven years" against the key "7"), which no check of
the answers' words can see (the sixth blind review found it in 25 of 40 final exams).

Paraphrase also crosses sentences: a reason in the first paragraph may say what a fact of
the eighth says. The content links such pairs (``restates:``, symmetric), and an item draws
on the sentences of everything its content restates or is restated by. A stance item also
draws on the reasons the essay gives for its claim (the author's grounds for it, or against
the view it opposes): another item stating them would answer it.
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
        self._restated = content.restatements()
        self._grounds = {
            c.id: tuple(f"{c.id}#reason-{i}" for i in range(1, len(c.reasons) + 1))
            for c in content.all_claims
        }

    @staticmethod
    def _origin_quotes(content: EssayContent) -> dict[str, tuple[int, str]]:
        """Every content id an option can come from, with its paragraph and quote."""
        return {
            cid: (s.para, s.quote)
            for cid, s in content.statements().items()
            if s.quote  # an opposing view may have none
        }

    def drawn_ids(self, item: Item, *, linked: bool = True) -> frozenset[str]:
        """The content an item draws on: what its options come from; and, unless ``linked``
        is false, what it tests (a reason item's claim, stated in its prompt), the author's
        grounds for a stance item's claim, and whatever restates any of these."""
        ids = {d.origin for d in item.details}
        if not linked:
            return frozenset(ids)
        ids |= set(item.origin.ids)  # a claim's own sentence, when its text is the prompt
        if item.type == "stance":
            for cid in item.origin.ids:
                ids.update(self._grounds.get(cid, ()))
        for cid in list(ids):
            ids |= self._restated.get(cid, frozenset())
        return frozenset(ids)

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

    def of_item(self, item: Item, *, linked: bool = True) -> frozenset[Passage]:
        """The sentences an item quotes, those its options state or deny, and those of the
        content it draws on (:meth:`drawn_ids`; its own content only, without ``linked``)."""
        quotes = {(s.para, s.quote) for s in item.sources}
        drawn = self.drawn_ids(item, linked=linked)
        quotes |= {self._origins[i] for i in drawn if i in self._origins}
        return frozenset().union(*(self.of_quote(p, q) for p, q in quotes))
