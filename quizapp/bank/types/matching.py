"""matching: 4-6 statements of facts of one kind (dates, numbers, people, places), each
matched to the answer that fills its blank, with one spare option so the last pair is never
forced. Terms are never matched: each statement's own wording (a set phrase, a collocation:
"guarantees for its embassy") pairs a term with its sentence without the essay, as the fifth
blind review found in every term matching it drew. Nor are organizations: they are of
different sorts (a newspaper, an alliance, a terrorist group), and "writes for ___" or "groups
linked to ___" picks its own (the fifth and sixth reviews)."""

from __future__ import annotations

import random
from collections import defaultdict

from ..compose import Choice, Group, accepted, fact_source, family, leaks_into, rng_for, shuffled
from ..model import EssayContent, Fact, Item, OptionDetail, Origin
from ..text import cloze_fill, cloze_stem, normalize_answer
from ._shared import asks_chosen, gift_matching, guess_one_of
from .base import ItemType

MATCH_MIN, MATCH_MAX = 4, 6  # pairs in an item
MATCHING_PROMPTS = {
    "date": "Match each statement with the date that fills its blank.",
    "number": "Match each statement with the number that fills its blank.",
    "person": "Match each statement with the person who fills its blank.",
    "place": "Match each statement with the place that fills its blank.",
}
UNMATCHED = frozenset({"term", "title", "organization"})


def generate(content: EssayContent, group: Group, seed: int) -> list[Item]:  # type: ignore[override]
    key, topics, facts = group.key, group.topics, list(group.facts)
    items = []
    by_family: dict[str, list[Fact]] = defaultdict(list)
    for fact in facts:
        if len(fact.blanks) == 1 and fact.kind not in UNMATCHED:
            by_family[family(fact)].append(fact)
    for kind, members in sorted(by_family.items()):
        distinct: dict[str, Fact] = {}
        for fact in sorted(members, key=lambda f: f.id):
            distinct.setdefault(normalize_answer(fact.blanks[0].answer), fact)
        pool = list(distinct.values())
        base = f"{key}:matching:{kind.replace(':', '-')}"
        rng = rng_for(0, base)  # grouping, like ids, does not depend on the seed
        rng.shuffle(pool)
        # No statement may hold another pair's answer: that would give the pair away.
        chunks: list[list[Fact]] = []
        for fact in pool:
            for chunk in chunks:
                if len(chunk) < MATCH_MAX and not any(
                    leaks_into(accepted(f), cloze_stem(fact.text))
                    or leaks_into(accepted(fact), cloze_stem(f.text))
                    for f in chunk
                ):
                    chunk.append(fact)
                    break
            else:
                chunks.append([fact])
        chunks = [c for c in chunks if len(c) >= MATCH_MIN]
        for k, chunk in enumerate(chunks, start=1):
            item_id = base if len(chunks) == 1 else f"{base}:{k}"
            irng = rng_for(seed, item_id)
            answers = [f.blanks[0].answer for f in chunk]
            # One option more than statements, so the last pair is never forced.
            spare = spare_option(irng, chunk, pool)
            values = answers + ([spare.text] if spare else [])
            options, _, order = shuffled(irng, values, [])
            answer = [order.index(i) for i in range(len(chunk))]
            details = tuple(
                OptionDetail(chunk[i].id, "key")
                if i < len(chunk)
                else OptionDetail(spare.origin, "distractor", spare.why_wrong)  # type: ignore[union-attr]
                for i in order
            )
            items.append(
                Item(
                    id=item_id,
                    type="matching",
                    prompt=MATCHING_PROMPTS[kind.split(":")[0]],
                    prompts=tuple(cloze_stem(f.text) for f in chunk),
                    options=options,
                    answer=answer,
                    sources=tuple(fact_source(content, f) for f in chunk),
                    origin=Origin("fact", tuple(f.id for f in chunk)),
                    topics=topics,
                    explanation=" ".join(cloze_fill(f.text) for f in chunk),
                    details=details,
                    core=all(f.core for f in chunk),
                )
            )
    return items


def spare_option(rng: random.Random, chunk: list[Fact], pool: list[Fact]) -> Choice | None:
    """An extra option for a matching item: the answer of a same-kind fact left out of it,
    else a written distractor of one of its facts; never one that fits or leaks."""
    taken = set().union(*(accepted(f) for f in chunk))
    stems = " ".join(cloze_stem(f.text) for f in chunk)
    candidates = [
        Choice(f.blanks[0].answer, f.id, f"the answer of a fact not shown here ({f.id})")
        for f in pool
        if f not in chunk
    ]
    if not candidates:
        candidates = [
            Choice(d, f.id, f"a written distractor for {f.id}")
            for f in chunk
            for d in f.distractors
        ]
    candidates = [
        c
        for c in candidates
        if normalize_answer(c.text) not in taken
        and not leaks_into([normalize_answer(c.text)], stems)
    ]
    return rng.choice(candidates) if candidates else None


TYPE = ItemType(
    name="matching",
    made_from="group",
    generate=generate,  # type: ignore[arg-type]
    family="matching",
    gift=gift_matching,
    guess=guess_one_of,
    asks=asks_chosen,
    summary="4-6 facts of one kind (terms: one class, one per paragraph), plus a spare option",
)
