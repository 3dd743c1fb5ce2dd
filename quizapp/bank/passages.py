"""Which sentences of the essay an item draws on: two items of one attempt that draw on the
same sentence give each other away in paraphrase ("cannot be counted on" in one, the key
"unreliable" in the other; "for the past seven years" against the key "7"), which no check of
the answers' words can see (the sixth blind review found it in 25 of 40 final exams).

Paraphrase also crosses sentences: a reason in the first paragraph may say what a fact of
the eighth says. The content links such pairs (``restates:``, symmetric), and two items meet
when one draws on content that restates words the other quotes or draws on: the quoted
words, not their whole sentence, since one sentence of an essay often says several things
(a link to "on Russia's list of terrorist organizations" says nothing of the rest of that
sentence). A stance item also draws on the sentences of the reasons the essay gives for its
claim (the author's grounds for it, or against the view it opposes): another item stating
them would answer it.
"""

from __future__ import annotations

import functools

from .model import EssayContent, Item
from .sentences import sentences
from .text import normalize_passage

Passage = tuple[int, int]  # (paragraph number, sentence index in it)
Span = tuple[int, int, int]  # (paragraph number, start, end) of quoted words


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
        self._spans: dict[str, tuple[frozenset[Span], frozenset[Span]]] = {}
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
        ids = set(self._direct_ids(item, linked=linked))
        if linked:
            for cid in list(ids):
                ids |= self._restated.get(cid, frozenset())
        return frozenset(ids)

    def _direct_ids(self, item: Item, *, linked: bool) -> frozenset[str]:
        """:meth:`drawn_ids` without the restatements."""
        ids = {d.origin for d in item.details}
        if linked:
            ids |= set(item.origin.ids)  # a claim's own sentence, when its text is the prompt
            if item.type == "stance":
                for cid in item.origin.ids:
                    ids.update(self._grounds.get(cid, ()))
        return frozenset(ids)

    def _span(self, para: int, quote: str) -> Span | None:
        """Where a verbatim quote lies in its paragraph: (paragraph, start, end)."""
        text, _spans = self._sentences(para)
        needle = normalize_passage(quote)
        start = text.find(needle) if needle else -1
        return (para, start, start + len(needle)) if start >= 0 else None

    def spans(self, item: Item) -> tuple[frozenset[Span], frozenset[Span]]:
        """(the words an item quotes or draws on, the words of what restates them)."""
        found = self._spans.get(item.id)
        if found is None:
            direct = self._direct_ids(item, linked=True)
            restated = self.drawn_ids(item) - direct
            quotes = {(s.para, s.quote) for s in item.sources}
            quotes |= {self._origins[i] for i in direct if i in self._origins}
            own = {self._span(p, q) for p, q in quotes}
            linked = {self._span(*self._origins[i]) for i in restated if i in self._origins}
            found = self._spans[item.id] = (
                frozenset(s for s in own if s is not None),
                frozenset(s for s in linked if s is not None),
            )
        return found

    def meet(self, a: Item, b: Item) -> bool:
        """Whether one item draws on content restating words the other quotes or draws on
        (its own or restated), so that it may give the other away in other words."""
        own_a, linked_a = self.spans(a)
        own_b, linked_b = self.spans(b)
        return _overlap(linked_a, own_b | linked_b) or _overlap(linked_b, own_a)

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
        """The sentences an item quotes, those its options state or deny, and (unless
        ``linked`` is false) those of its claim and of a stance item's grounds; what restates
        them counts by its words (:meth:`meet`), not its sentences."""
        quotes = {(s.para, s.quote) for s in item.sources}
        drawn = self._direct_ids(item, linked=linked)
        quotes |= {self._origins[i] for i in drawn if i in self._origins}
        return frozenset().union(*(self.of_quote(p, q) for p, q in quotes))


def _overlap(spans: frozenset[Span], others: frozenset[Span]) -> bool:
    return any(p == q and a < d and c < b for p, a, b in spans for q, c, d in others)
