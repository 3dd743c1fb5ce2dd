"""``quizapp content preview``: the generated items and cards as plain text, for a teacher who
edits the content files in a text editor and wants to see what students will get."""

from __future__ import annotations

from ..bank.generate import Bank
from ..bank.model import Card, Item

CARDS = "cards"
MARK = "  <- right"


def _options(item: Item, right: set[int]) -> list[str]:
    return [
        f"    {chr(ord('a') + i)}) {option}{MARK if i in right else ''}"
        for i, option in enumerate(item.options)
    ]


def item_text(item: Item) -> str:
    paras = list(dict.fromkeys(s.para for s in item.sources))
    where = ("paragraph " if len(paras) == 1 else "paragraphs ") + ", ".join(map(str, paras))
    lines = [f"[{item.type}] {item.id}  ({where})", f"  {item.prompt}"]
    if item.type in {"cloze", "short_answer"}:
        for n, answers in enumerate(item.answer, start=1):
            label = "Answer" if len(item.answer) == 1 else f"Blank {n}"
            lines.append(f"    {label}: {' | '.join(answers)}")
    elif item.type == "ordering":
        lines += [f"    {n}. {item.options[i]}" for n, i in enumerate(item.answer, start=1)]
    elif item.prompts:
        lines += [
            f"    {prompt}  ->  {item.options[i]}"
            for prompt, i in zip(item.prompts, item.answer, strict=True)
        ]
    elif isinstance(item.answer, list):
        lines += _options(item, set(item.answer))
    else:
        lines += _options(item, {item.answer})
    if item.explanation:
        lines.append(f"  Explanation: {item.explanation}")
    return "\n".join(lines)


def card_text(card: Card) -> str:
    lines = [
        f"[card: {card.type}] {card.id}  (paragraph {card.source.para})",
        f"  Front: {card.front}",
        f"  Back: {card.back}",
    ]
    lines += [f"    - {extra}" for extra in card.extra]
    return "\n".join(lines)


def preview_text(bank: Bank, item_type: str | None = None) -> str:
    """Every item (of one type, or every card with ``item_type='cards'``) as plain text."""
    blocks: list[str] = []
    if item_type != CARDS:
        items = [i for i in bank.items if item_type is None or i.type == item_type]
        blocks += [item_text(i) for i in items]
    if item_type in {None, CARDS}:
        blocks += [card_text(c) for c in bank.cards]
    counts = f"{len(bank.items)} items, {len(bank.cards)} cards in '{bank.content.slug}'"
    shown = f"; showing {len(blocks)}" if item_type else ""
    return f"# {counts}{shown}\n\n" + "\n\n".join(blocks) + "\n"
