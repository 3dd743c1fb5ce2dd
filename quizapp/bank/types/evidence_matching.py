"""evidence_matching: reasons matched to the endorsed claims they are given for; each reason
fits exactly one claim shown, and one claim is left over."""

from __future__ import annotations

from ..compose import FUNCTION_WORDS, Group, chunks, quoted, rng_for, shuffled
from ..model import EssayContent, Item, OptionDetail, Origin, Source
from ..text import normalize_answer
from ._shared import asks_chosen, gift_matching, guess_one_of
from .base import ItemType

EVIDENCE_MIN, EVIDENCE_MAX = 3, 4  # claims in an item
# Words too common in this essay (or anywhere) to cue a pair.
COMMON = FUNCTION_WORDS | {
    "were", "be", "been", "has", "have", "had", "that", "this", "it", "not", "no", "than",
    "more", "most", "would", "could", "can", "will", "russia", "moscow", "russian",
}  # fmt: skip


def shared_words(a: str, b: str) -> int:
    """Distinctive words (in some form) two texts share."""

    def forms(text: str) -> set[str]:
        words = [w for w in normalize_answer(text).split() if w not in COMMON and len(w) > 2]
        return {w[: max(4, len(w) - 3)] for w in words}

    return len(forms(a) & forms(b))


def generate(content: EssayContent, group: Group, seed: int) -> list[Item]:  # type: ignore[override]
    key, topics, claims = group.key, group.topics, list(group.claims)
    # Only claims the author endorses: a rejected claim's reasons are reasons *against* it.
    pool = sorted((c for c in claims if c.reasons and c.stance == "endorses"), key=lambda c: c.id)
    base = f"{key}:evidence_matching"
    rng = rng_for(0, base)  # grouping, like ids, does not depend on the seed
    rng.shuffle(pool)
    items = []
    # One claim is always left out of each item, to stand as a spare option.
    sizes = chunks(len(pool) - 1, EVIDENCE_MIN, EVIDENCE_MAX)
    for k, size in enumerate(sizes, start=1):
        start = sum(sizes[: k - 1])
        chunk = pool[start : start + size]
        item_id = base if len(sizes) == 1 else f"{base}:{k}"
        irng = rng_for(seed, item_id)
        ids = {c.id for c in chunk}
        texts = {c.id: {normalize_answer(r.text) for r in c.reasons} for c in pool}
        reasons = []
        for claim in chunk:
            # Evidence that supports exactly one of the claims shown.
            fitting = [
                r
                for r in claim.reasons
                if not (set(r.supports) & (ids - {claim.id}))
                and not any(normalize_answer(r.text) in texts[o] for o in ids - {claim.id})
            ]
            if not fitting:
                break
            # The reason that shares the fewest words with its own claim: a shared word
            # ("Biden" in both) would match the pair without reading the essay.
            fewest = min(shared_words(r.text, claim.text) for r in fitting)
            reasons.append(
                irng.choice([r for r in fitting if shared_words(r.text, claim.text) == fewest])
            )
        if len(reasons) != len(chunk):
            continue
        shown = {normalize_answer(r.text) for r in reasons}
        spares = [
            c
            for c in pool
            if c.id not in ids
            and not any(c.id in r.supports for r in reasons)
            and not shown & texts[c.id]
        ]
        if not spares:
            continue
        spare = irng.choice(spares)
        options, _, order = shuffled(irng, [c.text for c in chunk] + [spare.text], [])
        answer = [order.index(i) for i in range(len(chunk))]
        items.append(
            Item(
                id=item_id,
                type="evidence_matching",
                prompt="Match each reason with the claim the essay gives it for. "
                "One claim is left over.",
                prompts=tuple(r.text for r in reasons),
                options=options,
                answer=answer,
                sources=tuple(Source(content.slug, r.para, r.quote) for r in reasons),
                origin=Origin("argument", tuple(c.id for c in chunk)),
                topics=topics,
                explanation=" ".join(
                    f"{quoted(r.text)} supports {quoted(c.text)}."
                    for r, c in zip(reasons, chunk, strict=True)
                ),
                details=tuple(
                    OptionDetail(chunk[i].id, "key")
                    if i < len(chunk)
                    else OptionDetail(
                        spare.id, "distractor", "a claim none of the reasons shown is given for"
                    )
                    for i in order
                ),
                core=all(c.core for c in chunk),
            )
        )
    return items


TYPE = ItemType(
    name="evidence_matching",
    made_from="group",
    generate=generate,  # type: ignore[arg-type]
    family="matching",
    gift=gift_matching,
    guess=guess_one_of,
    asks=asks_chosen,
    summary="3-4 endorsed claims plus a spare; each reason is matched to its claim",
)
