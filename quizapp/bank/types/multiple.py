"""multiple: "select every statement the essay supports", true statements of some facts of a
topic and written false statements of others; one to all but one option is right."""

from __future__ import annotations

from ..compose import (
    NEAR,
    Choice,
    Group,
    choice_item,
    chunks,
    explain,
    fact_source,
    overlap,
    rarity,
    rng_for,
    says,
)
from ..cues import odd_register
from ..model import EssayContent, Fact, Item, Origin
from ..passages import Passages
from ..text import cloze_fill
from ._shared import asks_chosen, gift_choice_many, guess_none
from .base import ItemType

SELECT_MIN, SELECT_MAX = 4, 5  # statements in an item


def generate(content: EssayContent, group: Group, seed: int) -> list[Item]:  # type: ignore[override]
    key, topics, facts = group.key, group.topics, list(group.facts)
    """ "Select every statement the essay supports": true and written-false statements of
    different facts, with a number of keys that varies from one to all but one."""
    pool = [f for f in facts if f.false]
    pool.sort(key=lambda f: f.id)
    rng = rng_for(0, f"{key}:multiple")  # grouping does not depend on the seed
    rng.shuffle(pool)
    sizes = chunks(len(pool), SELECT_MIN, SELECT_MAX)
    # Facts about one thing ("the CSTO refused to apply Article 4" and "... its Council of
    # Ministers") go to different items: one statement would show another false.
    texts = tuple(t for f in facts for t in (cloze_fill(f.text), *f.false))
    weights = rarity(texts)

    # Nor do facts from one sentence of the essay: the true statement of one would show
    # the other's false one false (the sixth blind review).
    sentences = Passages(content)

    def close(a: Fact, b: Fact) -> bool:
        if sentences.of_quote(a.para, a.quote) & sentences.of_quote(b.para, b.quote):
            return True
        return any(
            overlap(x, y, weights) >= NEAR
            for x in (cloze_fill(a.text), *a.false)
            for y in (cloze_fill(b.text), *b.false)
        )

    groups: list[list[Fact]] = [[] for _ in sizes]
    # The facts close to most others are placed first, while every item still has room.
    degree = {f.id: sum(close(f, o) for o in pool if o is not f) for f in pool}
    for fact in sorted(pool, key=lambda f: -degree[f.id]):  # stable: the shuffle breaks ties
        free = [g for g, size in zip(groups, sizes, strict=True) if len(g) < size]
        apart = [g for g in free if not any(close(fact, other) for other in g)]
        if free:  # a pool too small for one item has no chunk at all
            (apart or free)[0].append(fact)
    items = []
    for k, chunk in enumerate(groups):
        item_id = f"{key}:multiple" if len(sizes) == 1 else f"{key}:multiple:{k + 1}"
        irng = rng_for(seed, item_id)
        n_keys = irng.randint(1, len(chunk) - 1)
        false_of = {f.id: irng.choice(f.false) for f in chunk}
        # Which facts are the true statements: the first turn of the chunk whose keys do not
        # stand out by register (every true one a "could" among plain false ones).
        for turn in range(len(chunk)):
            order = chunk[turn:] + chunk[:turn]
            truths, falses = order[:n_keys], order[n_keys:]
            if not odd_register(
                [cloze_fill(f.text) for f in truths], [false_of[f.id] for f in falses]
            ):
                break
        else:
            truths, falses = chunk[:n_keys], chunk[n_keys:]
        keys = [Choice(cloze_fill(f.text), f.id, "") for f in truths]
        wrong = [
            Choice(false_of[f.id], f.id, says(cloze_fill(f.text), "the essay says: "))
            for f in falses
        ]
        options, correct, details = choice_item(irng, keys, wrong)
        items.append(
            Item(
                id=item_id,
                type="multiple",
                prompt="Select every statement that matches what the essay says.",
                options=options,
                answer=correct,
                sources=tuple(fact_source(content, f) for f in chunk),
                origin=Origin("fact", tuple(f.id for f in chunk)),
                topics=topics,
                explanation=" ".join(explain(f) for f in truths)
                + " "
                + " ".join(says(cloze_fill(f.text), "The essay says instead: ") for f in falses),
                details=details,
                core=all(f.core for f in chunk),
            )
        )
    return items


TYPE = ItemType(
    name="multiple",
    made_from="topic",
    generate=generate,  # type: ignore[arg-type]
    family="choice_many",
    gift=gift_choice_many,
    guess=guess_none,
    asks=asks_chosen,
    summary="4-5 facts of a topic with `false` statements; the student ticks every true one",
)
