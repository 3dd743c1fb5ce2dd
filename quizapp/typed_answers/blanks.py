"""Blanks of one prompt that form one list ("_____ and _____"): their answers may come in any
order."""

from __future__ import annotations

import re

from ..bank.text import BLANK
from .lists import MAX_PARTS

_RESPECTIVELY = re.compile(r"\W*respectively\b", re.IGNORECASE)
_GAP = re.compile(r"\s*(?:,\s*(?:and|or|&)?|;|and|or|&|as well as|plus)\s*", re.IGNORECASE)


def blank_groups(prompt: str, count: int, blank: str = BLANK) -> list[list[int]]:
    """Blanks that form one list in the prompt ("_____ and _____", "_____, _____ and _____"):
    their answers may come in any order. Every other blank is a group of its own."""
    pieces = prompt.split(blank)
    if len(pieces) - 1 != count:
        return [[i] for i in range(count)]
    groups: list[list[int]] = []
    for i in range(count):
        if i > 0 and _GAP.fullmatch(pieces[i]) and len(groups[-1]) < MAX_PARTS:
            groups[-1].append(i)
        else:
            groups.append([i])
    # "... _____ and _____, respectively": there the order is the point
    out: list[list[int]] = []
    for g in groups:
        if len(g) > 1 and _RESPECTIVELY.match(pieces[g[-1] + 1]):
            out.extend([i] for i in g)
        else:
            out.append(g)
    return out
