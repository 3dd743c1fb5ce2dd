"""true_false: a fact's statement, true, or false by a statement the content proves false."""

from __future__ import annotations

from quizapp.exports.giftformat import feedback, question

from ..compose import (
    TRUE_FALSE,
    accepted,
    explain,
    fact_source,
    false_statements,
    rng_for,
    says,
)
from ..model import EssayContent, Fact, Item, OptionDetail, Origin
from ..text import cloze_fill
from .base import ItemType


def generate(content: EssayContent, fact: Fact, seed: int) -> list[Item]:
    """The true statement, and a false one when the content gives one."""
    explanation = explain(fact)
    common = {
        "type": "true_false",
        "options": TRUE_FALSE,
        "sources": (fact_source(content, fact),),
        "origin": Origin("fact", (fact.id,)),
        "topics": (fact.topic,),
        "core": fact.core,
    }
    items = [
        Item(
            id=f"{fact.id}:true_false",
            prompt=cloze_fill(fact.text),
            answer=0,
            explanation=f"True. {explanation}",
            details=(
                OptionDetail(fact.id, "key"),
                OptionDetail(fact.id, "distractor", "the essay states it"),
            ),
            **common,  # type: ignore[arg-type]
        )
    ]
    falsehoods = false_statements(fact)
    if falsehoods:
        statement, why = rng_for(seed, f"{fact.id}:true_false:false").choice(falsehoods)
        items.append(
            Item(
                id=f"{fact.id}:true_false:false",
                prompt=statement,
                answer=1,
                # "False: The author grants that..." read as if the grant were false.
                explanation=f"False. {says(explanation, 'The essay says: ')}",
                details=(
                    OptionDetail(fact.id, "distractor", why),
                    OptionDetail(fact.id, "key"),
                ),
                **common,  # type: ignore[arg-type]
            )
        )
    return items


def gift(item: Item) -> tuple[list[str], str | None]:
    answer = "T" if item.answer == 0 else "F"
    return [question(item.id, item.prompt, [answer], feedback(item))], None


def asks(item: Item, content: EssayContent) -> set[str]:
    """The statement hinges on its fact's answers: another question showing them answers it."""
    facts = {f.id: f for f in content.facts}
    return set().union(*(accepted(facts[i]) for i in item.origin.ids if i in facts))


TYPE = ItemType(
    name="true_false",
    made_from="fact",
    generate=generate,  # type: ignore[arg-type]
    family="choice_one",
    gift=gift,
    guess=lambda options: 50.0,
    asks=asks,
    summary="a fact, shown true, or false by one of its `false` statements",
)
