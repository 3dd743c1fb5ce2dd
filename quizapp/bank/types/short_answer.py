"""short_answer: a fact's direct question; the student types the answer."""

from __future__ import annotations

from ..compose import fact_item
from ..model import EXACT_KINDS, EssayContent, Fact, Item
from ._shared import asks_typed, gift_short_answer, guess_zero
from .base import ItemType


def generate(content: EssayContent, fact: Fact, seed: int) -> list[Item]:
    if not fact.question or not fact.typed:
        return []
    return [
        fact_item(
            content,
            fact,
            f"{fact.id}:short_answer",
            type="short_answer",
            prompt=fact.question,
            answer=[list(fact.blanks[0].answers)],
            match=("exact" if fact.kind in EXACT_KINDS else "fuzzy",),
        )
    ]


TYPE = ItemType(
    name="short_answer",
    made_from="fact",
    generate=generate,  # type: ignore[arg-type]
    family="typed",
    gift=gift_short_answer,
    guess=guess_zero,
    asks=asks_typed,
    summary="a fact with a `question`; the student types the answer",
)
