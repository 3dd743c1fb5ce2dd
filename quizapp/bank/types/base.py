"""What an item type is: everything the app does with items of one type, in one record."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from ..compose import Group
from ..model import Claim, EssayContent, Fact, Item

MadeFrom = Literal["fact", "claim", "topic", "group"]
# How a response is graded (quizapp.grading's graders by family) and which controls the
# quiz page shows (templates/quiz/_controls.html).
Family = Literal["choice_one", "choice_many", "typed", "ordering", "matching"]
Generator = Callable[[EssayContent, "Fact | Claim | Group", int], list[Item]]
GiftWriter = Callable[[Item], tuple[list[str], str | None]]


@dataclass(frozen=True)
class ItemType:
    """One item type, registered once in :data:`quizapp.bank.types.REGISTRY`.

    - ``generate``: the items of this type made from one fact, one claim, or one group of
      content (a topic's, or the whole essay's), per ``made_from``;
    - ``family``: how a response is graded and which controls the quiz page shows;
    - ``gift``: the GIFT questions for an item, or none and why it is skipped;
    - ``guess``: the expected score (%) of a random guess, as Moodle's statistics define it,
      given the number of options (None where Moodle computes none);
    - ``asks``: the answers the item asks for (normalized), that no other question of the
      same attempt may show;
    - ``summary``: one line for the instructor (what it is made from, what the student does).
    """

    name: str
    made_from: MadeFrom
    generate: Generator
    family: Family
    gift: GiftWriter
    guess: Callable[[int], float | None]
    asks: Callable[[Item, EssayContent], set[str]]
    summary: str
