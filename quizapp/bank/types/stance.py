"""stance: does the author endorse or reject a claim, or one of the views it argues against?"""

from __future__ import annotations

from ..compose import STANCE_OPTIONS, claim_source, claim_topics, quoted
from ..model import Claim, EssayContent, Item, OptionDetail, Origin, Source
from ..text import normalize_answer
from ._shared import gift_choice_one, guess_one_of
from .base import ItemType


def generate(content: EssayContent, claim: Claim, seed: int) -> list[Item]:
    topics = claim_topics(content, claim)
    origin = Origin("argument", (claim.id,))
    source = claim_source(content, claim)
    verdict = "endorses" if claim.stance == "endorses" else "rejects"
    why = claim.explanation or " ".join(r.text for r in claim.reasons)
    endorsed = claim.stance == "endorses"
    items = [
        Item(
            id=f"{claim.id}:stance",
            type="stance",
            prompt=f"Does the author endorse or reject this view? {quoted(claim.text)}.",
            options=STANCE_OPTIONS,
            answer=0 if endorsed else 1,
            sources=(source,),
            origin=origin,
            topics=topics,
            explanation=f"The author {verdict} it. {why}".strip(),
            details=(
                OptionDetail(claim.id, "key")
                if endorsed
                else OptionDetail(claim.id, "distractor", f"the author {verdict} it"),
                OptionDetail(claim.id, "distractor", f"the author {verdict} it")
                if endorsed
                else OptionDetail(claim.id, "key"),
            ),
            core=claim.core,
        )
    ]
    for i, view in enumerate(claim.opposing, start=1):
        items.append(
            Item(
                id=f"{claim.id}:opposing-{i}:stance",
                type="stance",
                prompt=f"Does the author endorse or reject this view? {quoted(view.text)}.",
                options=STANCE_OPTIONS,
                answer=1,
                sources=(Source(content.slug, view.para, view.quote),) if view.quote else (source,),
                origin=origin,
                topics=topics,
                explanation=f"The author rejects it. {view.rebuttal or ''}".strip(),
                details=(
                    OptionDetail(f"{claim.id}#opposing-{i}", "distractor", "the author rejects it"),
                    OptionDetail(f"{claim.id}#opposing-{i}", "key"),
                ),
                core=claim.core,
            )
        )
    return items


def asks(item: Item, content: EssayContent) -> set[str]:
    """The view itself: shown as a claim elsewhere in the attempt (an evidence-matching
    option), it would tell the student the author holds it."""
    start, end = item.prompt.find("“"), item.prompt.rfind("”")
    return {normalize_answer(item.prompt[start + 1 : end])} if 0 <= start < end else set()


TYPE = ItemType(
    name="stance",
    made_from="claim",
    generate=generate,  # type: ignore[arg-type]
    family="choice_one",
    gift=gift_choice_one,
    guess=guess_one_of,
    asks=asks,
    summary="a claim or an opposing view; the student says whether the author endorses it",
)
