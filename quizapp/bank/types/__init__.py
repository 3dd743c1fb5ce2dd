"""The item types, registered in one place.

Each type is a module of this package holding everything the app does with its items:
how they are generated, how a response is graded (its family), how they are written to
GIFT, what a random guess scores and which answers they ask for. The bank, the grader,
the statistics and the exports look a type up here instead of testing type names.
Order matters: the bank lists items in this order, fact by fact and claim by claim.
"""

from __future__ import annotations

from . import (
    cloze,
    evidence_matching,
    matching,
    multiple,
    ordering,
    reason,
    reasons_multiple,
    short_answer,
    single,
    stance,
    true_false,
)
from .base import ItemType

REGISTRY: dict[str, ItemType] = {
    t.name: t
    for t in (
        single.TYPE,
        multiple.TYPE,
        true_false.TYPE,
        cloze.TYPE,
        short_answer.TYPE,
        ordering.TYPE,
        matching.TYPE,
        reason.TYPE,
        stance.TYPE,
        evidence_matching.TYPE,
        reasons_multiple.TYPE,
    )
}
ITEM_TYPES = tuple(REGISTRY)


def item_type(name: str) -> ItemType:
    try:
        return REGISTRY[name]
    except KeyError:
        raise ValueError(f"no item type {name!r}") from None


def made_from(kind: str) -> list[ItemType]:
    """The types generated per fact, claim, topic or group, in generation order."""
    order = {
        "fact": ("cloze", "short_answer", "single", "true_false"),
        "claim": ("stance", "reason", "reasons_multiple"),
        "topic": ("multiple",),
        "group": ("ordering", "matching", "evidence_matching"),
    }[kind]
    return [REGISTRY[name] for name in order]


__all__ = ["ITEM_TYPES", "REGISTRY", "ItemType", "item_type", "made_from"]
