"""The item-type registry: one record per type, and everything looks types up there."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from quizapp import analysis, grading
from quizapp.bank import ITEM_TYPES, REGISTRY, build_bank, load_content
from quizapp.bank.types import made_from
from quizapp.exports.gift import bank_to_gift

from .conftest import SHIPPED, TINY

BANKS = [build_bank(c, 0) for c in load_content(TINY).essays.values()] + [
    build_bank(c, 0) for c in load_content(SHIPPED).essays.values()
]


def test_every_type_is_registered_once_and_generated_in_one_phase() -> None:
    assert tuple(REGISTRY) == ITEM_TYPES and len(set(ITEM_TYPES)) == len(ITEM_TYPES)
    phases = [t.name for kind in ("fact", "claim", "topic", "group") for t in made_from(kind)]
    assert sorted(phases) == sorted(ITEM_TYPES)


@pytest.mark.parametrize("name", ITEM_TYPES)
def test_each_type_generates_grades_exports_and_analyses_its_items(name: str) -> None:
    kind = REGISTRY[name]
    items = [i for b in BANKS for i in b.items if i.type == name]
    assert items, f"the shipped essays make {name} items"
    assert grading.grader_for(name) is grading.FAMILIES[kind.family]
    for item in items[:5]:
        right = grading.correct_response(item)
        assert grading.grade(item, right).fraction == 1, item.id
        assert grading.grade(item, grading.empty_response(item)).fraction == 0, item.id
        questions, why = kind.gift(item)
        assert questions or why, item.id
        guess = analysis.random_guess_score(name, len(item.options))
        assert guess is None or 0 <= guess <= 100


def test_unknown_types_are_refused() -> None:
    with pytest.raises(ValueError):
        grading.grader_for("essay_question")
    assert analysis.random_guess_score("essay_question", 4) is None


def test_gift_export_skips_only_what_gift_cannot_hold() -> None:
    text = bank_to_gift(BANKS[0])
    skipped = [line for line in text.splitlines() if line.startswith("// - ")]
    assert skipped and all("ordering" in line for line in skipped), skipped


def test_no_type_name_tests_outside_the_registry() -> None:
    """Grading, statistics and exports ask the registry; they test no type names."""
    root = Path(__file__).resolve().parent.parent / "quizapp"
    for path in (root / "grading.py", root / "analysis.py", root / "exports" / "gift.py"):
        tests = re.findall(r"\bitem\.type\s*(?:==|!=|in\b)", path.read_text())
        assert not tests, f"{path.name} tests item types: {tests}"
