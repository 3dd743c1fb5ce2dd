"""cloze: a fact's sentence with its answers blanked; the student types each one."""

from __future__ import annotations

from quizapp.exports.giftformat import feedback, question, short_answers

from ..compose import fact_item
from ..model import EXACT_KINDS, EssayContent, Fact, Item
from ..text import BLANK, cloze_stem
from ._shared import asks_typed, guess_zero
from .base import ItemType


def generate(content: EssayContent, fact: Fact, seed: int) -> list[Item]:  # type: ignore[override]
    if not fact.typed:
        return []
    match = tuple("exact" if fact.kind in EXACT_KINDS else "fuzzy" for _ in fact.blanks)
    return [
        fact_item(
            content,
            fact,
            f"{fact.id}:cloze",
            type="cloze",
            prompt=cloze_stem(fact.text),
            answer=[list(b.answers) for b in fact.blanks],
            match=match,
        )
    ]


def gift(item: Item) -> tuple[list[str], str | None]:
    """One short-answer question per blank (GIFT has no multi-blank cloze)."""
    blanks = item.answer
    if len(blanks) == 1:
        return [question(item.id, item.prompt, short_answers(blanks[0]), feedback(item))], None
    parts = item.prompt.split(BLANK)
    if len(parts) != len(blanks) + 1:
        return [], "its blanks cannot be told apart from the text"
    questions = []
    for n in range(len(blanks)):
        text = parts[0]
        for j, part in enumerate(parts[1:]):
            text += (BLANK if j == n else blanks[j][0]) + part
        title = f"{item.id}:blank-{n + 1}"
        questions.append(question(title, text, short_answers(blanks[n]), feedback(item)))
    return questions, None


TYPE = ItemType(
    name="cloze",
    made_from="fact",
    generate=generate,  # type: ignore[arg-type]
    family="typed",
    gift=gift,
    guess=guess_zero,
    asks=asks_typed,
    summary="a fact; the student types the missing answer(s)",
)
