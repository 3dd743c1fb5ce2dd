"""Cues that give composed items away without the essay (the eighth blind review): a
reason that restates its claim in other words, a pair given by a name, and evidence
matching built so that neither happens."""

from __future__ import annotations

import dataclasses

import pytest

from quizapp.bank import build_bank
from quizapp.bank.compose import Choice, Group, argument_texts
from quizapp.bank.cues import (
    circular,
    competing,
    even_register,
    given_by_name,
    idea_weights,
    modal,
    name_vocabulary,
    odd_register,
)
from quizapp.bank.model import Reason
from quizapp.bank.types import evidence_matching, multiple

from .test_composed import SHIPPED_CONTENT

TEXTS = argument_texts(SHIPPED_CONTENT)
IDEAS = idea_weights(TEXTS)
VOCABULARY = name_vocabulary(TEXTS)
NAMES = frozenset(VOCABULARY)


@pytest.mark.parametrize(
    ("reason", "claim", "restates"),
    [
        # the review's circular pairs: synonyms, antonyms and phrases
        (
            "The dominant perception, including in Central Asia, is that the Western Allies "
            "cannot be counted on.",
            "The West urgently needs to show that it is a reliable ally.",
            True,
        ),
        (
            "Giving in to the temptation of half-measures against terrorism could only be "
            "fatal, the author warns.",
            "Europeans must not settle for limited and ad hoc responses to the terrorist risk.",
            True,
        ),
        (
            "Moscow knows perfectly well that Russia's resources are quite limited and hard to "
            "mobilize.",
            "The West has more means than Russia to overcome the fall of Afghanistan.",
            True,
        ),
        # grounds that need the essay: a shared actor is no restatement
        (
            "The reinforcement of Russia's military bases in Tajikistan and Kyrgyzstan may not "
            "be enough.",
            "Russia risks a US-style loss of credibility if it cannot guarantee the security of "
            "the Central Asian countries.",
            False,
        ),
        (
            "The hostage-takings at the Dubrovka theater and the Beslan school still haunt "
            "Russian memories.",
            "A renewal of terrorist hostage-takings inside Russia would have political "
            "consequences for the Kremlin at home.",
            False,
        ),
        (
            "Russia has no direct economic interest of any kind to pursue in Afghanistan.",
            "Unlike China, Russia will not try to exploit Afghanistan's raw materials.",
            False,
        ),
    ],
)
def test_a_reason_that_restates_its_claim_is_circular(
    reason: str, claim: str, restates: bool
) -> None:
    assert circular(reason, claim, IDEAS, NAMES) is restates


def test_metonyms_name_one_actor() -> None:
    found = {VOCABULARY[k] for k in ("mosc", "krem", "russ")}
    assert len(found) == 1
    assert VOCABULARY["beij"] == VOCABULARY["chin"]
    assert VOCABULARY["west"] != VOCABULARY["wash"]  # the West is not Washington


CLAIMS = [
    "Joe Biden's own choices diminished the United States.",
    "Beijing saw geostrategic advantages in the Taliban's victory.",
    "Russia's intensified contacts with the Taliban served its own security.",
    "Moscow fears terror will spread to its near abroad.",
]


@pytest.mark.parametrize(
    ("reasons", "keyed", "named", "rivals"),
    [
        # Biden and Beijing each stand in one claim only: two pairs given by name
        (
            ["Joe Biden made concessions on Nord Stream 2.", "Beijing wants to weaken India."],
            [0, 1],
            [0, 1],
            [],
        ),
        # Moscow/Russia stands in two claims: the reason could go to either
        (["Moscow sought guarantees for its embassy in Kabul."], [2], [], [0]),
        # no name at all: neither given by name nor competing by actor
        (["Without American troops, intelligence will be harder."], [3], [], []),
    ],
)
def test_names_that_give_a_pair_away(
    reasons: list[str], keyed: list[int], named: list[int], rivals: list[int]
) -> None:
    assert given_by_name(reasons, keyed, CLAIMS, VOCABULARY) == named
    assert competing(reasons, keyed, CLAIMS, VOCABULARY) == rivals


def test_evidence_matching_is_not_matched_by_names_or_restatements() -> None:
    claims = {c.id: c for c in SHIPPED_CONTENT.all_claims}
    items = [
        item
        for seed in range(3)
        for item in build_bank(SHIPPED_CONTENT, seed).items
        if item.type == "evidence_matching"
    ]
    assert len({i.id for i in items}) >= 4
    for item in items:
        prompts, options = list(item.prompts), list(item.options)
        named = given_by_name(prompts, item.answer, options, VOCABULARY)
        assert len(named) <= evidence_matching.NAMED_MAX, (item.id, named)
        assert competing(prompts, item.answer, options, VOCABULARY), item.id
        for reason, k in zip(prompts, item.answer, strict=True):
            claim = claims[item.details[k].origin]
            assert not circular(reason, claim.text, IDEAS, NAMES), (item.id, reason)


def test_a_claim_left_only_circular_reasons_is_never_matched() -> None:
    # The review's three claims, each left with only its circular reason: no item keys them.
    circular_only = {
        "west-must-prove-reliable": "cannot be counted on",
        "west-better-placed-than-russia": "resources are quite limited",
        "resist-ad-hoc-responses": "half-measures",
    }
    # resist-ad-hoc-responses now has no reasons in the content (review 9): its one, the
    # warning restated, is put back here as the eighth review's bank had it.
    warning = Reason(
        "Giving in to the temptation of half-measures against terrorism could only be fatal.",
        13,
        "we must not give in to such temptations, which could only be fatal",
    )
    claims = []
    for claim in SHIPPED_CONTENT.claims:
        if claim.id in circular_only:
            kept = tuple(
                dataclasses.replace(r, supports=())  # unlinked, as in the eighth review's bank
                for r in (*claim.reasons, warning)
                if circular_only[claim.id] in r.text
            )
            assert kept, claim.id
            claim = dataclasses.replace(claim, reasons=kept, concessions=())
        claims.append(claim)
    content = dataclasses.replace(SHIPPED_CONTENT, claims=tuple(claims))
    for seed in range(2):
        for item in build_bank(content, seed).items:
            if item.type == "evidence_matching":
                assert not set(item.origin.ids) & set(circular_only), item.id


# --- keys that stand out by register ---------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "hedged"),
    [
        ("ISIS could benefit from the reinforcement of dissident Taliban factions.", True),
        ("The reinforcement of Russia's bases may not be enough.", True),
        ("ISIS has found many new recruits among the former soldiers.", False),
        # a modal inside what is reported leaves the statement a plain fact
        ("The Bible showed books could be copied quickly and well.", False),
        ("Moscow knows that its resources could hardly be mobilized.", False),
    ],
)
def test_modal_reads_the_statement_s_own_register(text: str, hedged: bool) -> None:
    assert modal(text) is hedged


KEYS = ["ISIS could once again find fertile ground.", "ISIS could benefit from dissidents."]
PLAIN = [
    "ISIS fighters freed from prisons have rejoined the group.",
    "ISIS receives money from abroad.",
    "ISIS has found many new recruits.",
]


def test_keys_alone_in_a_register_stand_out() -> None:
    assert odd_register(KEYS, PLAIN)
    assert odd_register(["ISIS receives money from abroad."], [*KEYS, "ISIS could recruit."])
    assert not odd_register(KEYS, [*PLAIN[:2], "ISIS could recruit among soldiers."])
    assert not odd_register(KEYS, PLAIN[:1])  # too few options to tell


def test_a_distractor_in_the_keys_register_takes_a_borrowed_one_s_place() -> None:
    written = [Choice(t, f"c#distractor-{i}", "") for i, t in enumerate(PLAIN[:2])]
    borrowed = Choice(PLAIN[2], "other#reason-1", "")
    alike = Choice("ISIS could recruit among soldiers.", "other#reason-2", "")
    picked = [*written, borrowed]
    out = even_register(KEYS, picked, [*picked, alike])
    assert out == [*written, alike]
    assert not odd_register(KEYS, [c.text for c in out])
    # none in the pool: unchanged (the linter asks the author for one)
    assert even_register(KEYS, picked, picked) == picked


def test_no_choice_item_keys_stand_out_by_register() -> None:
    for seed in range(2):
        for item in build_bank(SHIPPED_CONTENT, seed).items:
            if item.type in ("reason", "reasons_multiple", "multiple"):
                right = item.answer if isinstance(item.answer, list) else [item.answer]
                keys = [o for i, o in enumerate(item.options) if i in right]
                others = [o for i, o in enumerate(item.options) if i not in right]
                assert not odd_register(keys, others), item.id


def test_a_fact_without_choice_has_no_single_item() -> None:
    (fact,) = [f for f in SHIPPED_CONTENT.facts if f.id == "taliban-russian-terrorist-label"]
    assert not fact.choice
    ids = {i.id for i in build_bank(SHIPPED_CONTENT, 0).items}
    assert "taliban-russian-terrorist-label:single" not in ids
    assert "taliban-russian-terrorist-label:true_false" in ids or any(
        i.startswith("taliban-russian-terrorist-label:true_false") for i in ids
    )
    assert "taliban-terror-list:single" in ids  # what the essay adds: since 2003


def test_select_all_true_statements_are_not_alone_in_a_register() -> None:
    # Half the facts say what could happen (false version: a plain fact), half are plain:
    # a draw whose true statements are only the hedged ones is turned to another split.
    topic = SHIPPED_CONTENT.topics[0].id
    facts = []
    for k, fact in enumerate(f for f in SHIPPED_CONTENT.facts if f.topic == topic and f.false):
        if k % 2:
            text, false = f"Moscow {{{{acted}}}} in case {k}.", f"Moscow refused in case {k}."
        else:
            text, false = f"Moscow could {{{{act}}}} in case {k}.", f"Moscow acted in case {k}."
        facts.append(dataclasses.replace(fact, text=text, false=(false,)))
    content = dataclasses.replace(SHIPPED_CONTENT, facts=tuple(facts))
    group = Group(topic, (topic,), tuple(facts), ())
    items = [i for seed in range(12) for i in multiple.generate(content, group, seed)]
    assert items
    for item in items:
        keys = [o for i, o in enumerate(item.options) if i in item.answer]
        others = [o for i, o in enumerate(item.options) if i not in item.answer]
        assert not odd_register(keys, others), item.options
