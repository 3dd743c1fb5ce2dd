"""The generator: properties that hold for any seed, and ids that survive rewording."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quizapp.bank import EssayContent, assemble_quiz, build_bank, load_content
from quizapp.bank.generate import _date_key
from quizapp.bank.text import cloze_fill, normalize_answer

from .conftest import SHIPPED, TINY

CHOICE_ONE = {"single", "true_false", "reason", "stance"}
CHOICE_MANY = {"multiple", "reasons_multiple"}


def _load(folder: Path) -> list[EssayContent]:
    result = load_content(folder)
    assert result.ok, [str(e) for e in result.errors]
    return list(result.essays.values())


ESSAYS = _load(TINY) + (_load(SHIPPED) if SHIPPED.exists() and any(SHIPPED.iterdir()) else [])
seeds = st.integers(min_value=0, max_value=2**32)


def facts_by_id(content: EssayContent) -> dict:
    return {f.id: f for f in content.facts}


@pytest.mark.parametrize("content", ESSAYS, ids=lambda c: c.slug)
@settings(max_examples=25, deadline=None)
@given(seed=seeds)
def test_choice_items_are_well_formed(content: EssayContent, seed: int) -> None:
    facts = facts_by_id(content)
    for item in build_bank(content, seed).items:
        if item.type in CHOICE_ONE | CHOICE_MANY:
            normalized = [normalize_answer(o) for o in item.options]
            assert len(set(normalized)) == len(normalized), f"{item.id}: repeated option"
        if item.type in CHOICE_ONE:
            assert isinstance(item.answer, int) and 0 <= item.answer < len(item.options)
        if item.type == "single":
            assert len(item.options) == 4
            fact = facts[item.origin.ids[0]]
            accepted = {normalize_answer(a) for b in fact.blanks for a in b.answers}
            right = [o for o in item.options if normalize_answer(o) in accepted]
            assert right == [item.options[item.answer]], f"{item.id}: exactly one correct option"
        if item.type == "multiple":
            fact = facts[item.origin.ids[0]]
            accepted = {normalize_answer(a) for b in fact.blanks for a in b.answers}
            right = [i for i, o in enumerate(item.options) if normalize_answer(o) in accepted]
            assert right == item.answer and len(right) == len(fact.blanks)
        if item.type in CHOICE_MANY:
            assert item.answer == sorted(set(item.answer)) and len(item.answer) >= 2


@pytest.mark.parametrize("content", ESSAYS, ids=lambda c: c.slug)
@settings(max_examples=25, deadline=None)
@given(seed=seeds)
def test_false_statements_differ_from_the_truth(content: EssayContent, seed: int) -> None:
    facts = facts_by_id(content)
    for item in build_bank(content, seed).items:
        if item.type != "true_false":
            continue
        truth = cloze_fill(facts[item.origin.ids[0]].text)
        if item.answer == 0:
            assert item.prompt == truth
        else:
            assert normalize_answer(item.prompt) != normalize_answer(truth), item.id


@pytest.mark.parametrize("content", ESSAYS, ids=lambda c: c.slug)
@settings(max_examples=25, deadline=None)
@given(seed=seeds)
def test_ordering_follows_the_dates_and_matching_pairs_are_right(
    content: EssayContent, seed: int
) -> None:
    facts = facts_by_id(content)
    claims = {c.id: c for c in content.all_claims}
    for item in build_bank(content, seed).items:
        if item.type == "ordering":
            assert sorted(item.answer) == list(range(len(item.options))) and len(item.options) >= 3
            # origin ids are listed chronologically; the answer must give that order
            dates = [_date_key(facts[i].date) for i in item.origin.ids]
            assert dates == sorted(dates) and len(set(dates)) == len(dates)
            labels = [item.options[i] for i in item.answer]
            assert labels == [facts[i].event or "" for i in item.origin.ids] or all(labels)
        if item.type == "matching":
            assert sorted(item.answer) == list(range(len(item.options)))
            for prompt_index, fid in enumerate(item.origin.ids):
                chosen = item.options[item.answer[prompt_index]]
                assert chosen == facts[fid].blanks[0].answer
        if item.type == "evidence_matching":
            for prompt_index, cid in enumerate(item.origin.ids):
                assert claims[cid].stance == "endorses", "evidence supports endorsed claims only"
                assert item.options[item.answer[prompt_index]] == claims[cid].text
                assert item.prompts[prompt_index] in {r.text for r in claims[cid].reasons}


@pytest.mark.parametrize("content", ESSAYS, ids=lambda c: c.slug)
@settings(max_examples=10, deadline=None)
@given(seed=seeds)
def test_item_ids_and_counts_do_not_depend_on_the_seed(content: EssayContent, seed: int) -> None:
    base = build_bank(content, 0)
    other = build_bank(content, seed)
    assert [i.id for i in base.items] == [i.id for i in other.items]
    assert len({i.id for i in base.items}) == len(base.items), "item ids are unique"
    assert build_bank(content, seed) == other, "same seed, same bank"


@pytest.mark.parametrize("content", ESSAYS, ids=lambda c: c.slug)
@settings(max_examples=15, deadline=None)
@given(seed=seeds)
def test_every_quiz_can_be_assembled_per_its_mix(content: EssayContent, seed: int) -> None:
    bank = build_bank(content, seed)
    for quiz in content.quizzes:
        items = assemble_quiz(bank, quiz, seed)
        assert Counter(i.type for i in items) == Counter(dict(quiz.mix))
        assert len({i.id for i in items}) == len(items) == quiz.questions
        assert all(set(i.topics) <= set(quiz.topics) for i in items)
        assert [i.id for i in assemble_quiz(bank, quiz, seed)] == [i.id for i in items]


def test_every_item_and_card_cites_a_real_passage() -> None:
    for content in ESSAYS:
        bank = build_bank(content, 0)
        for entry in list(bank.items) + list(bank.cards):
            for source in entry.sources:
                paragraph = content.essay.paragraph(source.para)
                assert paragraph is not None and source.essay == content.slug
                assert normalize_answer(source.quote) in normalize_answer(paragraph.text), entry.id


def test_rewording_a_fact_keeps_its_item_and_card_ids(tiny_dir: Path) -> None:
    before = build_bank(load_content(tiny_dir).essays["printing-press"], 0)
    facts = tiny_dir / "printing-press" / "facts.yaml"
    text = facts.read_text()
    facts.write_text(
        text.replace(
            "{{Johannes Gutenberg|Gutenberg}} built a press with movable metal type.",
            "The press with movable metal type was the work of {{Johannes Gutenberg|Gutenberg}}.",
        )
    )
    after_content = load_content(tiny_dir).essays["printing-press"]
    after = build_bank(after_content, 0)
    assert [i.id for i in after.items] == [i.id for i in before.items]
    assert [c.id for c in after.cards] == [c.id for c in before.cards]
    card = next(c for c in after.cards if c.id == "gutenberg-press:card")
    assert card.back.startswith("The press with movable metal type was the work of")


def test_one_card_per_fact_and_per_claim() -> None:
    for content in ESSAYS:
        cards = build_bank(content, 0).cards
        assert {c.id for c in cards} == {f"{f.id}:card" for f in content.facts} | {
            f"{c.id}:card" for c in content.all_claims
        }
