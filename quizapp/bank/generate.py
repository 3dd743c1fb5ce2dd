"""Generate quiz items and flashcards from validated content, and draw attempts from them.

Pure and deterministic: the same content and seed give the same bank. Each item type
(:mod:`quizapp.bank.types`, registered in one place) generates its own items, each drawing
its random choices from a generator seeded by ``(seed, item id)``, so adding a fact never
changes the items of the others. Item and card ids derive from content ids, so rewording a
fact keeps them; how many items of each type exist does not depend on the seed.

Items are right by construction: every option records where it comes from and, for a
distractor, why the content proves it wrong (see :mod:`quizapp.bank.compose`). Attempts
test each fact and claim once and never show one question's answer in another.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from .compose import (
    FUNCTION_WORDS,
    Group,
    claim_source,
    fact_source,
    quoted,
    reason_distractors,
    rng_for,
    safe_swap,
)
from .model import Card, EssayContent, Item, Origin, Quiz, Source
from .passages import Passage, Passages
from .text import BLANK, cloze_fill, cloze_stem, normalize_answer
from .types import item_type, made_from


@dataclass(frozen=True)
class Bank:
    content: EssayContent
    seed: int
    items: tuple[Item, ...]
    cards: tuple[Card, ...]
    # item id -> (answers it asks for, as word tuples; the words it shows): built once per bank.
    _profiles: dict[str, tuple[tuple[tuple[str, ...], ...], frozenset[str]]] = field(
        default_factory=dict, compare=False, repr=False
    )
    # (item id, item id) -> whether one shows the other's answer, as drawing asks.
    _pairs: dict[tuple[str, str], bool] = field(default_factory=dict, compare=False, repr=False)
    # item id -> the essay sentences it draws on; the sentence index itself under "".
    _passages: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def passages(self, item: Item, *, linked: bool = True) -> frozenset[Passage]:
        """The sentences an item draws on (see :meth:`Passages.of_item`); without
        ``linked``, only those of its own content (not its restatements, nor a stance
        item's grounds)."""
        key = item.id if linked else f"{item.id}\x00own"
        found = self._passages.get(key)
        if found is None:
            found = self._passages[key] = self._index().of_item(item, linked=linked)
        return found  # type: ignore[no-any-return]

    def _index(self) -> Passages:
        found = self._passages.get("")
        if found is None:
            found = self._passages[""] = Passages(self.content)
        return found  # type: ignore[no-any-return]

    def profile(self, item: Item) -> tuple[tuple[tuple[str, ...], ...], frozenset[str]]:
        found = self._profiles.get(item.id)
        if found is None:
            answers = tuple(
                sorted({answer_words(a) for a in item_answer_words(item, self.content)} - {()})
            )
            words = normalize_answer(item_shows(item)).split()
            found = (answers, frozenset().union(*(word_forms(w) for w in words)))
            self._profiles[item.id] = found
        return found

    def word_leaks(self, a: Item, b: Item) -> bool:
        """Whether one item shows what the other asks for: every word of one of its answers,
        in any order and in any form of the word ("India" in "its Indian rival", "cat and
        mouse" in "Moscow is the mouse, not the cat")."""
        pair = (a.id, b.id) if a.id < b.id else (b.id, a.id)
        found = self._pairs.get(pair)
        if found is None:
            answers_a, shows_a = self.profile(a)
            answers_b, shows_b = self.profile(b)
            found = self._pairs[pair] = any(shown(x, shows_b) for x in answers_a) or any(
                shown(x, shows_a) for x in answers_b
            )
        return found

    def shares_passage(self, a: Item, b: Item, *, linked: bool = True) -> bool:
        """Whether both items draw on one sentence of the essay, so that one may state in
        other words what the other asks (see :mod:`quizapp.bank.passages`); without
        ``linked``, whether their own content shares one."""
        if self.passages(a, linked=linked) & self.passages(b, linked=linked):
            return True
        return linked and self._index().meet(a, b)

    def leaks(self, a: Item, b: Item) -> bool:
        """Whether one item may give the other away: by its words or by a shared sentence."""
        return self.word_leaks(a, b) or self.shares_passage(a, b)

    def item(self, item_id: str) -> Item | None:
        return next((i for i in self.items if i.id == item_id), None)

    def for_quiz(self, quiz: Quiz) -> dict[str, list[Item]]:
        """Items a quiz may draw, by type: those whose topics all lie in the quiz's."""
        scope = set(quiz.topics)
        by_type: dict[str, list[Item]] = defaultdict(list)
        for item in self.items:
            if set(item.topics) <= scope:
                by_type[item.type].append(item)
        return by_type


# --- cards -------------------------------------------------------------------------------


def _cards(content: EssayContent) -> list[Card]:
    cards = []
    for fact in content.facts:
        cards.append(
            Card(
                id=f"{fact.id}:card",
                type="cloze",
                front=cloze_stem(fact.text, "[…]"),
                back=cloze_fill(fact.text),
                sources=(fact_source(content, fact),),
                origin=Origin("fact", (fact.id,)),
                topic=fact.topic,
                extra=(fact.explanation,) if fact.explanation else (),
                core=fact.core,
            )
        )
    for claim in content.all_claims:
        if claim is content.thesis:
            front = f"What is the central thesis of “{content.essay.title}”?"
            back = claim.text
        elif claim.stance == "rejects":
            front = f"Why does the author reject the view that {quoted(claim.text)}?"
            back = " ".join(r.text for r in claim.reasons) or claim.explanation or ""
        elif not claim.reasons:  # asserted without grounds: taught against the view it answers
            view = claim.opposing[0]
            front = (
                f"The author rejects the view that {quoted(view.text)}. "
                "What does the author hold instead?"
            )
            back = " ".join(x for x in (claim.text, view.rebuttal) if x)
        else:
            front = f"What reasons does the essay give for the claim {quoted(claim.text)}?"
            back = " ".join(r.text for r in claim.reasons)
        cards.append(
            Card(
                id=f"{claim.id}:card",
                type="claim",
                front=front,
                back=back,
                sources=(
                    claim_source(content, claim),
                    *(Source(content.slug, r.para, r.quote) for r in claim.reasons),
                ),
                origin=Origin("argument", (claim.id,)),
                topic=claim.topic,
                extra=tuple(r.text for r in claim.reasons),
                core=claim.core,
            )
        )
    return cards


# --- the bank ----------------------------------------------------------------------------


def groups(content: EssayContent) -> list[Group]:
    """Each topic's content, then the whole essay's (key "essay")."""
    found = [
        Group(
            t.id,
            (t.id,),
            tuple(f for f in content.facts if f.topic == t.id and f.graded),
            tuple(c for c in content.claims if c.topic == t.id),
        )
        for t in content.topics
    ]
    all_topics = tuple(sorted(t.id for t in content.topics))
    graded = tuple(f for f in content.facts if f.graded)
    return [*found, Group("essay", all_topics, graded, content.claims)]


def build_bank(content: EssayContent, seed: int = 0) -> Bank:
    """Every item of every registered type, in a stable order, and the cards."""
    items: list[Item] = []
    for fact in (f for f in content.facts if f.graded):
        for kind in made_from("fact"):
            items += kind.generate(content, fact, seed)
    for claim in content.all_claims:
        for kind in made_from("claim"):
            items += kind.generate(content, claim, seed)
    every = groups(content)
    for group in every[:-1]:
        for kind in made_from("topic"):
            items += kind.generate(content, group, seed)
    for group in every:
        for kind in made_from("group"):
            items += kind.generate(content, group, seed)
    return Bank(content=content, seed=seed, items=tuple(items), cards=tuple(_cards(content)))


def eligible_counts(content: EssayContent, quiz: Quiz, bank: Bank | None = None) -> dict[str, int]:
    """How many items of each type a quiz may draw (the same for every seed)."""
    bank = bank or build_bank(content, 0)
    return {t: len(v) for t, v in bank.for_quiz(quiz).items()}


# --- assembling an attempt -----------------------------------------------------------------


def answer_words(answer: str) -> tuple[str, ...]:
    """An answer's distinctive words (normalized); all of them when it has only others."""
    words = tuple(answer.split())
    return tuple(w for w in words if w not in FUNCTION_WORDS) or words


def word_forms(word: str) -> set[str]:
    """The word and its stems of 4+ letters up to 3 letters shorter: a word and its forms
    share one (India/Indian, Asia/Asian, weaken/weakened)."""
    return {word} | {word[:k] for k in range(max(4, len(word) - 3), len(word))}


def shown(answer: tuple[str, ...], forms: frozenset[str]) -> bool:
    """Whether every word of the answer, in some form, is among the shown words' forms."""
    return all(word_forms(w) & forms for w in answer)


def item_answer_words(item: Item, content: EssayContent) -> set[str]:
    """The distinctive answers an item asks for, normalized: what another item must not show
    (its type says which: see :class:`~quizapp.bank.types.ItemType` ``asks``)."""
    return {a for a in item_type(item.type).asks(item, content) if a}


def item_shows(item: Item) -> str:
    """Everything a student reads on the item before answering."""
    return " \n ".join((item.prompt, *item.prompts, *item.options))


def involved(item: Item) -> frozenset[str]:
    """The facts and claims an item tests, and those it shows as a whole option (a matching
    item's spare answer, evidence matching's spare claim): another item about one of them
    would tell the student which option is the spare."""
    spares = (d.origin for d in item.details if d.role == "distractor" and "#" not in d.origin)
    return frozenset(item.origin.ids) | frozenset(spares)


def assemble_quiz(bank: Bank, quiz: Quiz, seed: int) -> list[Item]:
    """Draw a quiz's questions per its mix.

    Each fact or claim is tested once; no item shows another's answer; no two items draw
    on one sentence of the essay (where a short topic has too few, they share the fewest);
    core content comes first; topics are covered in proportion to their content;
    true/false statements are half true, half false. A few reshuffles settle the rare seed
    the greedy draw paints into a corner; the last resort lets an answer leak rather than
    fail the student's attempt.
    """
    return draw_quiz(bank, quiz, seed)[0]


def draw_quiz(bank: Bank, quiz: Quiz, seed: int) -> tuple[list[Item], int]:
    """:func:`assemble_quiz`'s attempt, and the index in :data:`STEPS` of the step that drew
    it (``len(STEPS)`` for the last resort): how often a quiz falls back to a step that
    lets items share a sentence is the price of the rules in variety."""
    chosen = None
    step = 0
    # In order: every rule; then items may share a sentence through a restatement or a
    # stance item's grounds, never through their own content; then they may share a
    # sentence of the essay (a quiz on one short topic may have too few to give each item
    # its own; each item still asks its own fact and shows no other's answer), as few as
    # can be; then the true/false balance gives way too.
    for step, (level, balanced) in enumerate(STEPS):  # noqa: B007 (the step is returned)
        drawn: list[list[Item]] = []
        for attempt in range(DRAWS):
            found = _draw(bank, quiz, seed, attempt, level=level, balanced=balanced)
            if found is not None:
                drawn.append(found)
                if level == NO_LEAKS:
                    break
        if drawn:
            # Where items may share sentences, the first draw (in this seed's order) sharing
            # at most two pairs more than the fewest: the very fewest is often one draw, the
            # same for every seed, and a student retaking a practice quiz would meet the same
            # questions (the smallest topic quiz drew 12 items in 15 attempts, 19 now).
            shares = [sharing(bank, d) for d in drawn]
            fewest = min(shares)
            chosen = next(
                d
                for d, (own, through) in zip(drawn, shares, strict=True)
                if own <= fewest[0] + SHARING_SLACK and own + through <= sum(fewest) + SHARING_SLACK
            )
            break
    if chosen is None:
        step = len(STEPS)
        chosen = _draw(bank, quiz, seed, 0, level=FEWEST_LEAKS, balanced=False)
    if chosen is None:
        raise ValueError(f"quiz {quiz.id!r}: its mix cannot be drawn from the bank")
    rng = rng_for(seed, f"quiz:{quiz.id}:order")
    if quiz.shuffle:
        rng.shuffle(chosen)
    else:
        order = {t: n for n, (t, _) in enumerate(quiz.mix)}
        chosen.sort(key=lambda i: order[i.type])
    return chosen, step


DRAWS = 30  # reshuffles at each level before the next
SHARING_SLACK = 2  # pairs sharing a sentence a draw may have beyond the fewest (variety)
# How strict a draw is: no answer shown in another item, each fact once and no two items on
# one sentence, their restatements' and a stance item's grounds included; the same, but
# items may share a sentence through what their content restates or a stance item's
# grounds (the fewest such pairs), never through their own content; the same, but items
# may share any sentence (the fewest pairs); the fewest leaks and repeated facts (the last
# resort, which always draws an attempt).
NO_LEAKS, APART, FEW_SHARED, FEWEST_LEAKS = 3, 2, 1, 0
# (level, true/false statements half false) in the order tried.
STEPS = (
    (NO_LEAKS, True),
    (APART, True),
    (FEW_SHARED, True),
    (NO_LEAKS, False),
    (APART, False),
    (FEW_SHARED, False),
)


def sharing(bank: Bank, items: list[Item]) -> tuple[int, int]:
    """How many pairs of the items share a sentence of their own content, and how many
    through a restatement or a stance item's grounds."""
    pairs = [(a, b) for n, a in enumerate(items) for b in items[n + 1 :]]
    own = sum(bank.shares_passage(a, b, linked=False) for a, b in pairs)
    return own, sum(bank.shares_passage(a, b) for a, b in pairs) - own


FEASIBLE_SEEDS = range(20)


def feasible(quiz: Quiz, banks: Iterable[tuple[int, Bank]]) -> bool:
    """Whether the quiz's mix can be drawn with each fact once and no answer's words shown
    in another item, for each (seed, bank) pair: a student's attempt with that seed draws
    from that bank."""
    for seed, bank in banks:
        drawn = (_draw(bank, quiz, seed, a, level=FEW_SHARED, balanced=False) for a in range(DRAWS))
        if all(d is None for d in drawn):
            return False
    return True


def _draw(
    bank: Bank, quiz: Quiz, seed: int, attempt: int, *, level: int, balanced: bool
) -> list[Item] | None:
    """One greedy draw at a level of strictness; None when it paints itself into a corner."""
    content = bank.content
    rng = rng_for(seed, f"quiz:{quiz.id}" if attempt == 0 else f"quiz:{quiz.id}:{attempt}")
    available = bank.for_quiz(quiz)
    weights = Counter(f.topic for f in content.facts if f.topic in quiz.topics and f.graded)
    weights.update(c.topic for c in content.claims if c.topic in quiz.topics)
    total_weight = sum(weights.values()) or 1
    per_topic: Counter[str] = Counter()
    used: set[str] = set()
    chosen: list[Item] = []
    false_wanted = 0
    for qtype, count in sorted(quiz.mix, key=lambda tc: len(available.get(tc[0], ())) - tc[1]):
        pool = sorted(available.get(qtype, []), key=lambda i: i.id)
        rng.shuffle(pool)
        if qtype == "true_false":
            false_wanted = count // 2 + (rng.random() < 0.5 if count % 2 else 0)
        picked: list[Item] = []
        for _ in range(count):
            n = len(chosen) + 1

            def deficit(item: Item, n: int = n) -> float:
                # How far below its share of the quiz the item's topic stands (one topic).
                if len(item.topics) != 1:
                    return 0.0
                t = item.topics[0]
                return per_topic[t] - n * weights.get(t, 0) / total_weight

            def leaks(item: Item) -> int:
                return sum(bank.leaks(item, c) for c in chosen)

            def shared(item: Item) -> tuple[int, int]:
                """Pairs the item would make sharing a sentence: of its own content, then
                through restatements and grounds."""
                own = sum(bank.shares_passage(item, c, linked=False) for c in chosen)
                return own, sum(bank.shares_passage(item, c) for c in chosen)

            candidates = [i for i in pool if i not in picked]
            if level >= NO_LEAKS:
                candidates = [i for i in candidates if not used & involved(i) and not leaks(i)]
            elif level == APART:
                candidates = [
                    i
                    for i in candidates
                    if not used & involved(i)
                    and not any(
                        bank.word_leaks(i, c) or bank.shares_passage(i, c, linked=False)
                        for c in chosen
                    )
                ]
            elif level == FEW_SHARED:
                candidates = [
                    i
                    for i in candidates
                    if not used & involved(i) and not any(bank.word_leaks(i, c) for c in chosen)
                ]
            if qtype == "true_false":
                falses_so_far = sum(1 for p in picked if p.answer == 1)
                want_false = falses_so_far < false_wanted
                preferred = [i for i in candidates if (i.answer == 1) == want_false]
                candidates = preferred if balanced else preferred or candidates
            if not candidates:
                return None
            best = min(
                candidates,
                key=lambda i: (
                    leaks(i) if level == FEWEST_LEAKS else 0,
                    bool(used & involved(i)),
                    shared(i) if level == FEW_SHARED else (0, 0),
                    not i.core,
                    deficit(i),
                ),
            )
            picked.append(best)
            chosen.append(best)
            used.update(involved(best))
            for t in best.topics if len(best.topics) == 1 else ():
                per_topic[t] += 1
    return chosen


def bank_entries(
    bank: Bank, predicate: Callable[[Item], bool] | None = None
) -> list[dict[str, object]]:
    """The bank as JSON-ready dicts, every item then every card; each option of an item is
    ``{text, origin, role, why_wrong}``."""
    entries: list[dict[str, object]] = []
    for item in bank.items:
        if predicate is not None and not predicate(item):
            continue
        entry = item.to_dict()
        details = entry.pop("option_details", [])
        entry["options"] = (
            [{"text": text, **detail} for text, detail in zip(item.options, details, strict=True)]
            if details
            else [{"text": t} for t in item.options]
        )
        entries.append(entry)
    entries += [c.to_dict() for c in bank.cards]
    return entries


__all__ = [
    "BLANK",
    "Bank",
    "Group",
    "assemble_quiz",
    "bank_entries",
    "build_bank",
    "draw_quiz",
    "eligible_counts",
    "reason_distractors",
    "safe_swap",
]
