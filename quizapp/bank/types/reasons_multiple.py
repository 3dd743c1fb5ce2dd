"""reasons_multiple: tick every reason the essay gives for a claim; one to all but one of the
five options is right."""

from __future__ import annotations

from ..compose import (
    Choice,
    argument_texts,
    choice_item,
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
from ._shared import asks_chosen, gift_choice_many, guess_none
from .base import ItemType

SELECT_MIN, SELECT_MAX = 4, 5  # options in an item


def generate(content: EssayContent, claim: Claim, seed: int) -> list[Item]:
    pool = reason_distractors(content, claim)
    n_options = min(SELECT_MAX, len(claim.reasons) + len(pool))
    if not claim.reasons or n_options < SELECT_MIN:
        return []
    rng = rng_for(seed, f"{claim.id}:reasons_multiple")
    low = max(1, n_options - len(pool))
    high = min(len(claim.reasons), n_options - 1)
    if low > high:
        return []
    n_keys = rng.randint(low, high)
    weights = rarity(argument_texts(content))
    reasons = least_telling(rng, claim, pool, n_keys, weights)
    keys = [Choice(r.text, reason_id(claim, r), "") for r in reasons]
    length = sum(len(r.text) for r in reasons) // len(reasons)
    about = " ".join([claim.text, *(r.text for r in reasons)])
    wrong = closest_in_length(rng, pool, length, n_options - n_keys, about, weights)
    # Never keys alone in the register of a forecast ("ISIS could...") among plain facts.
    wrong = even_register([k.text for k in keys], wrong, pool)
    options, correct, details = choice_item(rng, keys, wrong, plain=True)
    subject = "for rejecting the view" if claim.stance == "rejects" else "for the claim"
    return [
        Item(
            id=f"{claim.id}:reasons_multiple",
            type="reasons_multiple",
            prompt=f"Select every reason the essay gives {subject} {quoted(claim.text)}.",
            options=options,
            answer=correct,
            sources=tuple(Source(content.slug, r.para, r.quote) for r in reasons),
            origin=Origin("argument", (claim.id,)),
            topics=claim_topics(content, claim),
            explanation=" ".join(r.text for r in reasons),
            details=details,
            core=claim.core,
        )
    ]


TYPE = ItemType(
    name="reasons_multiple",
    made_from="claim",
    generate=generate,  # type: ignore[arg-type]
    family="choice_many",
    gift=gift_choice_many,
    guess=guess_none,
    asks=asks_chosen,
    summary="a claim; the student ticks every reason the essay gives (1 to all but one)",
)
