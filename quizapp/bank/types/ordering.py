"""ordering: 3-5 events whose date the content states; the student puts them in order."""

from __future__ import annotations

from rapidfuzz import fuzz

from ..compose import Group, date_key, dates_conflict, fact_source, format_date, rng_for, shuffled
from ..model import EssayContent, Fact, Item, OptionDetail, Origin
from ._shared import asks_nothing, guess_zero
from .base import ItemType

ORDER_MIN, ORDER_MAX = 3, 5  # events in an item
SAME_STORY = 70  # rapidfuzz token_set_ratio from which two events tell one story


def generate(content: EssayContent, group: Group, seed: int) -> list[Item]:  # type: ignore[override]
    key, topics, facts = group.key, group.topics, list(group.facts)
    # Only events: a dated fact with an event label (states and periods carry no date).
    dated = sorted((f for f in facts if f.date and f.event), key=lambda f: f.id)
    rng = rng_for(0, f"{key}:ordering")  # grouping, like ids, does not depend on the seed
    rng.shuffle(dated)
    groups: list[list[Fact]] = []
    for fact in dated:
        for group in groups:
            if len(group) < ORDER_MAX and all(
                not dates_conflict(fact.date or "", g.date or "")
                # "X's reign begins" and "X's reign ends" would order themselves.
                and fuzz.token_set_ratio(fact.event or "", g.event or "") < SAME_STORY
                for g in group
            ):
                group.append(fact)
                break
        else:
            groups.append([fact])
    groups = [g for g in groups if len(g) >= ORDER_MIN]
    items = []
    for k, group in enumerate(groups, start=1):
        item_id = f"{key}:ordering" if len(groups) == 1 else f"{key}:ordering:{k}"
        chronological = sorted(group, key=lambda f: date_key(f.date or ""))
        labels = [f.event or "" for f in chronological]
        options, _, order = shuffled(rng_for(seed, item_id), labels, [])
        answer = [order.index(i) for i in range(len(labels))]
        items.append(
            Item(
                id=item_id,
                type="ordering",
                prompt="Put these events in the order in which they happened, earliest first.",
                options=options,
                answer=answer,
                sources=tuple(fact_source(content, f) for f in chronological),
                origin=Origin("fact", tuple(f.id for f in chronological)),
                topics=topics,
                explanation="; ".join(
                    f"{format_date(f.date or '')}: {f.event}" for f in chronological
                ),
                details=tuple(OptionDetail(chronological[i].id, "key") for i in order),
                core=all(f.core for f in group),
            )
        )
    return items


def gift(item: Item) -> tuple[list[str], str | None]:
    return [], "GIFT has no ordering question"


TYPE = ItemType(
    name="ordering",
    made_from="group",
    generate=generate,  # type: ignore[arg-type]
    family="ordering",
    gift=gift,
    guess=guess_zero,
    asks=asks_nothing,
    summary="3-5 events with a stated `date`; the student puts them in chronological order",
)
