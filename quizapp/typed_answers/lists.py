"""Lists in any order: a key's parts, how they are joined, and the best pairing of typed parts
with them.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence

_JOINER = re.compile(r"\s*(?:,|;|&|\+|\band\b|\bor\b|\bas well as\b|\bplus\b)\s*", re.IGNORECASE)
MAX_PARTS = 6


def split_list(text: str) -> tuple[list[str], frozenset[str]]:
    """The parts of a list ("copper, rare earths and uranium") and how they are joined."""
    parts, joins = [], set()
    pos = 0
    for m in _JOINER.finditer(text):
        parts.append(text[pos : m.start()])
        j = m.group().strip().lower()
        joins.add("or" if j == "or" else "," if j in (",", ";") else "and")
        pos = m.end()
    parts.append(text[pos:])
    return [p.strip() for p in parts if p.strip()], frozenset(joins)


def joins_compatible(given: frozenset[str], accepted: frozenset[str]) -> bool:
    """ "and" (also "&", "as well as", "plus") and "or" never stand for each other."""
    return not (("and" in given and "or" in accepted) or ("or" in given and "and" in accepted))


def best_assignment(matrix: Sequence[Sequence[set[str] | None]]) -> tuple[int, ...] | None:
    """A permutation p accepting part i as part p[i] for every i, with the fewest rules and
    the fewest moved parts; None when there is none."""
    n = len(matrix)
    best: tuple[tuple[int, int], tuple[int, ...]] | None = None
    for perm in itertools.permutations(range(n)):
        cells = [matrix[i][perm[i]] for i in range(n)]
        if any(c is None for c in cells):
            continue
        cost = (
            len(set().union(*(c for c in cells if c is not None))),
            sum(i != p for i, p in enumerate(perm)),
        )
        if best is None or cost < best[0]:
            best = (cost, perm)
    return best[1] if best else None
