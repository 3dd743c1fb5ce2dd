"""single: a fact's sentence with one blank; the student picks the answer among four."""

from __future__ import annotations

from ..compose import Choice, choice_item, distractor_pool, fact_item, pick_even, rng_for
from ..model import EssayContent, Fact, Item
from ..text import cloze_stem
from ._shared import asks_chosen, gift_choice_one, guess_one_of
from .base import ItemType


def generate(content: EssayContent, fact: Fact, seed: int) -> list[Item]:
    own, borrowed = distractor_pool(content, fact)
    if not fact.choice or len(fact.blanks) != 1 or len(own) + len(borrowed) < 3:
        return []
    rng = rng_for(seed, f"{fact.id}:single")
    key = Choice(fact.blanks[0].answer, fact.id, "")
    # Never a key that stands out by its form ("only marginally" among single adverbs): a
    # student picks it without the essay. No such set of distractors: no item (the linter
    # asks the author for distractors of the key's form).
    wrong = pick_even(rng, key.text, own, borrowed, 3)
    if wrong is None:
        return []
    options, correct, details = choice_item(rng, [key], wrong)
    return [
        fact_item(
            content,
            fact,
            f"{fact.id}:single",
            type="single",
            prompt=cloze_stem(fact.text),
            options=options,
            answer=correct[0],
            details=details,
        )
    ]


TYPE = ItemType(
    name="single",
    made_from="fact",
    generate=generate,  # type: ignore[arg-type]
    family="choice_one",
    gift=gift_choice_one,
    guess=guess_one_of,
    asks=asks_chosen,
    summary="a fact with one answer; the student picks it among 4 options",
)
