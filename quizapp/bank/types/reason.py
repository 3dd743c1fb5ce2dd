"""reason: which of four is a reason the essay gives for a claim (or for rejecting it)?"""

from __future__ import annotations

from ..compose import (
    Choice,
    argument_texts,
    choice_item,
    claim_source,
    claim_topics,
    closest_in_length,
    least_telling,
    quoted,
    rarity,
    reason_distractors,
    reason_id,
    rng_for,
)
from ..cues import even_register
from ..model import Claim, EssayContent, Item, Origin, Source
from ._shared import asks_chosen, gift_choice_one, guess_one_of
from .base import ItemType


def claim_question(claim: Claim) -> str:
    if claim.stance == "rejects":
        return (
            f"The author rejects the view that {quoted(claim.text)}. "
            "Which of these is a reason the essay gives for rejecting it?"
        )
    return f"Claim: {quoted(claim.text)}. Which of these is a reason the essay gives for it?"


def generate(content: EssayContent, claim: Claim, seed: int) -> list[Item]:
    pool = reason_distractors(content, claim)
    if not claim.reasons or len(pool) < 3:
        return []
    rng = rng_for(seed, f"{claim.id}:reason")
    (reason,) = least_telling(rng, claim, pool, 1, rarity(argument_texts(content)))
    key = Choice(reason.text, reason_id(claim, reason), "")
    wrong = closest_in_length(
        rng,
        pool,
        len(reason.text),
        3,
        f"{claim.text} {reason.text}",
        rarity(argument_texts(content)),
    )
    # Never the one option in the register of a forecast ("could...") among plain facts.
    wrong = even_register([key.text], wrong, pool)
    options, correct, details = choice_item(rng, [key], wrong, plain=True)
    return [
        Item(
            id=f"{claim.id}:reason",
            type="reason",
            prompt=claim_question(claim),
            options=options,
            answer=correct[0],
            sources=(Source(content.slug, reason.para, reason.quote), claim_source(content, claim)),
            origin=Origin("argument", (claim.id,)),
            topics=claim_topics(content, claim),
            explanation=reason.text,
            details=details,
            core=claim.core,
        )
    ]


TYPE = ItemType(
    name="reason",
    made_from="claim",
    generate=generate,  # type: ignore[arg-type]
    family="choice_one",
    gift=gift_choice_one,
    guess=guess_one_of,
    asks=asks_chosen,
    summary="a claim; the student picks the reason the essay gives among 4 options",
)
