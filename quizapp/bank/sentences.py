"""A paragraph cut into sentences (pysbd), with their offsets."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

_ABBREVIATION_END = re.compile(
    r"(?:\b(?:c|ca|cf|vs|approx|no|nos|st|mt|gen|col|lt|sgt|rev|fr|vol|pp?|fig)\.|\b[A-Z]\.)\s*$",
    re.IGNORECASE,
)


@lru_cache(maxsize=1)
def _segmenter() -> Any:
    import pysbd

    return pysbd.Segmenter(language="en", clean=False)


def sentences(paragraph: str) -> list[tuple[int, str]]:
    """The paragraph's sentences with their offsets; each is a verbatim slice of it."""
    out: list[tuple[int, str]] = []
    pos = 0
    pending: tuple[int, str] | None = None
    for segment in _segmenter().segment(paragraph):
        piece = segment.strip()
        if not piece:
            continue
        start = paragraph.find(piece, pos)
        if start < 0:
            continue
        pos = start + len(piece)
        if pending is not None:
            start = pending[0]
            piece = paragraph[start:pos]
            pending = None
        if _ABBREVIATION_END.search(piece) and pos < len(paragraph):
            pending = (start, piece)  # "c. 1850", "J. Smith": pysbd cut after the period
            continue
        out.append((start, piece))
    if pending is not None:
        out.append(pending)
    return out
