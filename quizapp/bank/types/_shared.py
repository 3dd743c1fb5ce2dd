"""Pieces several item types share: GIFT writers and guess scores by family."""

from __future__ import annotations

from quizapp.exports.giftformat import (
    ARROW,
    ARROW_SUBSTITUTE,
    MATCHING_MIN_PAIRS,
    SHARES,
    feedback,
    gift_escape,
    question,
    short_answers,
)

from ..model import EssayContent, Item
from ..text import normalize_answer


def gift_choice_one(item: Item) -> tuple[list[str], str | None]:
    answers = [
        ("=" if i == item.answer else "~") + gift_escape(option)
        for i, option in enumerate(item.options)
    ]
    return [question(item.id, item.prompt, answers, feedback(item))], None


def gift_choice_many(item: Item) -> tuple[list[str], str | None]:
    right = set(item.answer)
    wrong = len(item.options) - len(right)
    if len(right) not in SHARES:
        return [], f"{len(right)} right options cannot share 100% in Moodle's grades"
    plus, minus = SHARES[len(right)], SHARES.get(wrong, "5")
    answers = [
        (f"~%{plus}%" if i in right else f"~%-{minus}%") + gift_escape(option)
        for i, option in enumerate(item.options)
    ]
    return [question(item.id, item.prompt, answers, feedback(item))], None


def gift_matching(item: Item) -> tuple[list[str], str | None]:
    if len(item.prompts) < MATCHING_MIN_PAIRS:
        return [], f"Moodle needs at least {MATCHING_MIN_PAIRS} pairs to match"
    answers = [
        "="
        + gift_escape(prompt.replace(ARROW, ARROW_SUBSTITUTE))
        + f" {ARROW} "
        + gift_escape(item.options[index])
        for prompt, index in zip(item.prompts, item.answer, strict=True)
    ]
    return [question(item.id, item.prompt, answers, feedback(item))], None


def gift_short_answer(item: Item) -> tuple[list[str], str | None]:
    return [question(item.id, item.prompt, short_answers(item.answer[0]), feedback(item))], None


def guess_one_of(options: int) -> float | None:
    """A single choice or a matching statement: one right option among ``options``."""
    return 100.0 / options if options > 0 else None


def guess_none(options: int) -> float | None:
    """Moodle computes no random guess score for multiple-answer choice."""
    return None


def guess_zero(options: int) -> float | None:
    """Typed answers and ordering: a random guess scores nothing."""
    return 0.0


def asks_chosen(item: Item, content: EssayContent) -> set[str]:
    answer = item.answer if isinstance(item.answer, list) else [item.answer]
    return {normalize_answer(item.options[i]) for i in answer}


def asks_typed(item: Item, content: EssayContent) -> set[str]:
    return {normalize_answer(a) for blank in item.answer for a in blank}


def asks_nothing(item: Item, content: EssayContent) -> set[str]:
    return set()
