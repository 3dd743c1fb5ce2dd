"""Generate quiz items and flashcards from validated content.

Pure and deterministic: the same content and seed give the same bank. Each item draws its
random choices from its own generator seeded by ``(seed, item id)``, so adding a fact never
changes the items of the others. Item and card ids derive from content ids, so rewording a
fact keeps them; how many items of each type exist does not depend on the seed.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from . import dates
from .model import (
    EXACT_KINDS,
    Card,
    Claim,
    EssayContent,
    Fact,
    Item,
    Origin,
    Quiz,
    Source,
)
from .text import BLANK, cloze_fill, cloze_stem, normalize_answer

GROUP_SIZE = 4  # pairs in a matching item, events in an ordering item
TRUE_FALSE = ("True", "False")
STANCE_OPTIONS = ("Endorses", "Rejects")

KIND_FAMILY = {"year": "date", "date": "date"}
MATCHING_PROMPTS = {
    "date": "Match each statement with its date.",
    "number": "Match each statement with its number.",
    "person": "Match each statement with the person it is about.",
    "place": "Match each statement with its place.",
    "organization": "Match each statement with the organization it is about.",
    "term": "Match each statement with the term that completes it.",
    "title": "Match each statement with the title that completes it.",
}


@dataclass(frozen=True)
class Bank:
    content: EssayContent
    seed: int
    items: tuple[Item, ...]
    cards: tuple[Card, ...]

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


def _rng(seed: int, key: str) -> random.Random:
    return random.Random(f"{seed}:{key}")


def _family(kind: str) -> str:
    return KIND_FAMILY.get(kind, kind)


def _fact_source(content: EssayContent, fact: Fact) -> Source:
    return Source(content.slug, fact.para, fact.quote)


def _explain(fact: Fact) -> str:
    statement = cloze_fill(fact.text)
    return f"{statement} {fact.explanation}" if fact.explanation else statement


def _accepted(fact: Fact) -> set[str]:
    return {normalize_answer(a) for b in fact.blanks for a in b.answers}


def _distractor_pool(content: EssayContent, fact: Fact) -> tuple[list[str], list[str]]:
    """The fact's own distractors; then answers, then distractors, of same-kind facts."""
    banned = _accepted(fact)
    seen: set[str] = set()
    own, borrowed = [], []
    for d in fact.distractors:
        key = normalize_answer(d)
        if key not in banned and key not in seen:
            seen.add(key)
            own.append(d)
    family = _family(fact.kind)
    others = [o for o in content.facts if o.id != fact.id and _family(o.kind) == family]
    for candidate in [a for o in others for a in o.answers] + [
        d for o in others for d in o.distractors
    ]:
        key = normalize_answer(candidate)
        if key not in banned and key not in seen:
            seen.add(key)
            borrowed.append(candidate)
    return own, borrowed


def _pick_distractors(rng: random.Random, own: list[str], borrowed: list[str], n: int) -> list[str]:
    picked = rng.sample(own, min(n, len(own)))
    if len(picked) < n:
        picked += rng.sample(borrowed, min(n - len(picked), len(borrowed)))
    return picked


def _shuffled(
    rng: random.Random, values: Sequence[str], correct: Iterable[int]
) -> tuple[tuple[str, ...], list[int]]:
    """Shuffle options; return them with the new indexes of the correct ones (sorted)."""
    order = list(range(len(values)))
    rng.shuffle(order)
    correct_set = set(correct)
    options = tuple(values[i] for i in order)
    return options, sorted(pos for pos, i in enumerate(order) if i in correct_set)


# --- items from facts --------------------------------------------------------------------


def _fact_items(content: EssayContent, fact: Fact, seed: int) -> list[Item]:
    items: list[Item] = []
    source = (_fact_source(content, fact),)
    origin = Origin("fact", (fact.id,))
    topics = (fact.topic,)
    explanation = _explain(fact)
    stem = cloze_stem(fact.text)
    match = tuple("exact" if fact.kind in EXACT_KINDS else "fuzzy" for _ in fact.blanks)
    own, borrowed = _distractor_pool(content, fact)

    def make(kind: str, **kw: object) -> Item:
        kw.setdefault("explanation", explanation)
        return Item(
            id=f"{fact.id}:{kind}",
            type=kind,
            sources=source,
            origin=origin,
            topics=topics,
            **kw,  # type: ignore[arg-type]
        )

    items.append(
        make("cloze", prompt=stem, answer=[list(b.answers) for b in fact.blanks], match=match)
    )
    if fact.question:
        items.append(
            make(
                "short_answer",
                prompt=fact.question,
                answer=[list(fact.blanks[0].answers)],
                match=match[:1],
            )
        )
    if len(fact.blanks) == 1 and len(own) + len(borrowed) >= 3:
        rng = _rng(seed, f"{fact.id}:single")
        values = [fact.blanks[0].answer, *_pick_distractors(rng, own, borrowed, 3)]
        options, correct = _shuffled(rng, values, [0])
        items.append(make("single", prompt=stem, options=options, answer=correct[0]))
    if len(fact.blanks) >= 2 and len(own) + len(borrowed) >= 2:
        rng = _rng(seed, f"{fact.id}:multiple")
        answers = list(fact.answers)
        values = answers + _pick_distractors(rng, own, borrowed, min(3, max(2, 6 - len(answers))))
        options, correct = _shuffled(rng, values, range(len(answers)))
        items.append(
            make(
                "multiple",
                prompt=f"Select every answer that fits the blanks: {stem}",
                options=options,
                answer=correct,
            )
        )
    rng = _rng(seed, f"{fact.id}:true_false")
    make_false = rng.random() < 0.5 and (own or borrowed)
    if make_false:
        slot = rng.randrange(len(fact.blanks))
        wrong = _pick_distractors(rng, own, borrowed, 1)[0]
        statement = cloze_fill(fact.text, {slot: wrong})
        items.append(
            make(
                "true_false",
                prompt=statement,
                options=TRUE_FALSE,
                answer=1,
                explanation=f"False: {explanation}",
            )
        )
    else:
        items.append(
            make(
                "true_false",
                prompt=cloze_fill(fact.text),
                options=TRUE_FALSE,
                answer=0,
                explanation=f"True: {explanation}",
            )
        )
    return items


def _date_key(date: str) -> tuple[int, ...]:
    return dates.sort_key(date)


def _date_precision(date: str) -> int:
    parsed = dates.parse_date(date)
    return dates.PRECISIONS.index(parsed.precision) - int(parsed.approximate) if parsed else -9


def _dates_conflict(a: str, b: str) -> bool:
    """Dates are not clearly ordered when one equals, contains or (roughly) overlaps the other."""
    da, db = dates.parse_date(a), dates.parse_date(b)
    return da is None or db is None or not dates.clearly_ordered(da, db)


def _orderable(facts: Sequence[Fact]) -> list[Fact]:
    """A greedy set of facts whose dates are pairwise clearly ordered."""
    chosen: list[Fact] = []
    for fact in facts:
        if fact.date and all(not _dates_conflict(fact.date, c.date or "") for c in chosen):
            chosen.append(fact)
    return chosen


def _ordering_items(
    content: EssayContent, key: str, topics: tuple[str, ...], facts: list[Fact], seed: int
) -> list[Item]:
    dated = [f for f in facts if f.date]
    # The most precise dates first: the greedy set is then as large as it gets.
    best = _orderable(sorted(dated, key=lambda f: (-_date_precision(f.date or ""), f.id)))
    if len(best) < 3:
        return []
    count = max(1, len(best) // GROUP_SIZE)
    items = []
    used: set[str] = set()
    for k in range(1, count + 1):
        item_id = f"{key}:ordering" if count == 1 else f"{key}:ordering:{k}"
        rng = _rng(seed, item_id)
        pool = [f for f in dated if f.id not in used]
        rng.shuffle(pool)
        group = _orderable(pool)[:GROUP_SIZE]
        if len(group) < 3:
            group = rng.sample(best, min(GROUP_SIZE, len(best)))
        used.update(f.id for f in group)
        chronological = sorted(group, key=lambda f: _date_key(f.date or ""))
        labels = [f.event or cloze_stem(f.text) for f in chronological]
        options, _ = _shuffled(rng, labels, [])
        position = {label: i for i, label in enumerate(options)}
        answer = [position[label] for label in labels]
        explanation = "; ".join(f"{f.date}: {f.event or cloze_fill(f.text)}" for f in chronological)
        items.append(
            Item(
                id=item_id,
                type="ordering",
                prompt="Put these events in chronological order, earliest first.",
                options=options,
                answer=answer,
                sources=tuple(_fact_source(content, f) for f in chronological),
                origin=Origin("fact", tuple(f.id for f in chronological)),
                topics=topics,
                explanation=explanation,
            )
        )
    return items


def _matching_items(
    content: EssayContent, key: str, topics: tuple[str, ...], facts: list[Fact], seed: int
) -> list[Item]:
    items = []
    by_family: dict[str, list[Fact]] = defaultdict(list)
    for fact in facts:
        if len(fact.blanks) == 1:
            by_family[_family(fact.kind)].append(fact)
    for family, group in sorted(by_family.items()):
        distinct: dict[str, Fact] = {}
        for fact in group:
            distinct.setdefault(normalize_answer(fact.blanks[0].answer), fact)
        pool = list(distinct.values())
        if len(pool) < 3:
            continue
        count = max(1, len(pool) // GROUP_SIZE)
        base = f"{key}:matching:{family}"
        rng = _rng(seed, base)
        rng.shuffle(pool)
        for k in range(count):
            item_id = base if count == 1 else f"{base}:{k + 1}"
            chunk = pool[k * GROUP_SIZE : (k + 1) * GROUP_SIZE]
            answers = [f.blanks[0].answer for f in chunk]
            options, _ = _shuffled(_rng(seed, item_id), answers, [])
            answer = [options.index(a) for a in answers]
            items.append(
                Item(
                    id=item_id,
                    type="matching",
                    prompt=MATCHING_PROMPTS.get(family, "Match each statement with its answer."),
                    prompts=tuple(cloze_stem(f.text) for f in chunk),
                    options=options,
                    answer=answer,
                    sources=tuple(_fact_source(content, f) for f in chunk),
                    origin=Origin("fact", tuple(f.id for f in chunk)),
                    topics=topics,
                    explanation=" ".join(cloze_fill(f.text) for f in chunk),
                )
            )
    return items


# --- items from arguments ----------------------------------------------------------------


def _claim_topics(content: EssayContent, claim: Claim) -> tuple[str, ...]:
    return (claim.topic,) if claim.topic else tuple(sorted(t.id for t in content.topics))


def _claim_source(content: EssayContent, claim: Claim) -> Source:
    return Source(content.slug, claim.para, claim.quote)


def _claim_question(claim: Claim) -> str:
    if claim.stance == "rejects":
        return f"The author rejects the view that “{claim.text}” Which reason does the essay give?"
    return f"Which reason does the essay give for this claim: “{claim.text}”?"


def _reason_pool(content: EssayContent, claim: Claim) -> list[str]:
    """Texts that are not reasons for this claim: views argued against, other claims' reasons."""
    banned = {normalize_answer(r.text) for r in claim.reasons}
    pool, seen = [], set()
    candidates = [o.text for o in claim.opposing]
    for other in content.all_claims:
        if other.id != claim.id:
            candidates += [o.text for o in other.opposing] + [r.text for r in other.reasons]
    for text in candidates:
        key = normalize_answer(text)
        if key not in banned and key not in seen:
            seen.add(key)
            pool.append(text)
    return pool


def _argument_items(content: EssayContent, claim: Claim, seed: int) -> list[Item]:
    items: list[Item] = []
    topics = _claim_topics(content, claim)
    origin = Origin("argument", (claim.id,))
    claim_source = _claim_source(content, claim)
    reasons_text = " ".join(r.text for r in claim.reasons)
    verdict = "endorses" if claim.stance == "endorses" else "rejects"

    items.append(
        Item(
            id=f"{claim.id}:stance",
            type="stance",
            prompt=f"Does the author endorse or reject this view? “{claim.text}”",
            options=STANCE_OPTIONS,
            answer=0 if claim.stance == "endorses" else 1,
            sources=(claim_source,),
            origin=origin,
            topics=topics,
            explanation=f"The author {verdict} it. {reasons_text}".strip(),
        )
    )
    for i, view in enumerate(claim.opposing, start=1):
        items.append(
            Item(
                id=f"{claim.id}:opposing-{i}:stance",
                type="stance",
                prompt=f"Does the author endorse or reject this view? “{view.text}”",
                options=STANCE_OPTIONS,
                answer=1,
                sources=(Source(content.slug, view.para, view.quote),)
                if view.quote
                else (claim_source,),
                origin=origin,
                topics=topics,
                explanation=f"The author rejects it. {reasons_text}".strip(),
            )
        )
    pool = _reason_pool(content, claim)
    if claim.reasons and len(pool) >= 3:
        rng = _rng(seed, f"{claim.id}:reason")
        reason = rng.choice(claim.reasons)
        options, correct = _shuffled(rng, [reason.text, *rng.sample(pool, 3)], [0])
        items.append(
            Item(
                id=f"{claim.id}:reason",
                type="reason",
                prompt=_claim_question(claim),
                options=options,
                answer=correct[0],
                sources=(Source(content.slug, reason.para, reason.quote), claim_source),
                origin=origin,
                topics=topics,
                explanation=reason.text,
            )
        )
    if len(claim.reasons) >= 2 and len(pool) >= 2:
        rng = _rng(seed, f"{claim.id}:reasons_multiple")
        reasons = rng.sample(claim.reasons, min(4, len(claim.reasons)))
        values = [r.text for r in reasons] + rng.sample(pool, min(len(pool), 6 - len(reasons), 3))
        options, correct = _shuffled(rng, values, range(len(reasons)))
        subject = "for rejecting the view" if claim.stance == "rejects" else "for the claim"
        items.append(
            Item(
                id=f"{claim.id}:reasons_multiple",
                type="reasons_multiple",
                prompt=f"Select every reason the essay gives {subject}: “{claim.text}”",
                options=options,
                answer=correct,
                sources=tuple(Source(content.slug, r.para, r.quote) for r in reasons),
                origin=origin,
                topics=topics,
                explanation=" ".join(r.text for r in reasons),
            )
        )
    return items


def _evidence_items(
    content: EssayContent, key: str, topics: tuple[str, ...], claims: list[Claim], seed: int
) -> list[Item]:
    # Only claims the author endorses: a rejected claim's reasons are reasons *against* it.
    pool = [c for c in claims if c.reasons and c.stance == "endorses"]
    if len(pool) < 3:
        return []
    count = max(1, len(pool) // GROUP_SIZE)
    base = f"{key}:evidence_matching"
    rng = _rng(seed, base)
    pool = pool[:]
    rng.shuffle(pool)
    items = []
    for k in range(count):
        item_id = base if count == 1 else f"{base}:{k + 1}"
        irng = _rng(seed, item_id)
        chunk = pool[k * GROUP_SIZE : (k + 1) * GROUP_SIZE]
        reasons = [irng.choice(c.reasons) for c in chunk]
        options, _ = _shuffled(irng, [c.text for c in chunk], [])
        answer = [options.index(c.text) for c in chunk]
        items.append(
            Item(
                id=item_id,
                type="evidence_matching",
                prompt="Match each piece of evidence with the claim it supports in the essay.",
                prompts=tuple(r.text for r in reasons),
                options=options,
                answer=answer,
                sources=tuple(Source(content.slug, r.para, r.quote) for r in reasons),
                origin=Origin("argument", tuple(c.id for c in chunk)),
                topics=topics,
                explanation=" ".join(
                    f"“{r.text}” supports “{c.text}”" for r, c in zip(reasons, chunk, strict=True)
                ),
            )
        )
    return items


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
                sources=(_fact_source(content, fact),),
                origin=Origin("fact", (fact.id,)),
                topic=fact.topic,
                extra=(fact.explanation,) if fact.explanation else (),
            )
        )
    for claim in content.all_claims:
        if claim.stance == "rejects":
            front = f"Why does the author reject the view that “{claim.text}”?"
        else:
            front = f"What reasons does the essay give for: “{claim.text}”?"
        if claim is content.thesis:
            front = f"What is the central thesis of “{content.essay.title}”?"
        cards.append(
            Card(
                id=f"{claim.id}:card",
                type="claim",
                front=front,
                back=claim.text
                if claim is content.thesis
                else " ".join(r.text for r in claim.reasons),
                sources=(
                    _claim_source(content, claim),
                    *(Source(content.slug, r.para, r.quote) for r in claim.reasons),
                ),
                origin=Origin("argument", (claim.id,)),
                topic=claim.topic,
                extra=tuple(r.text for r in claim.reasons),
            )
        )
    return cards


# --- the bank ----------------------------------------------------------------------------


def build_bank(content: EssayContent, seed: int = 0) -> Bank:
    items: list[Item] = []
    for fact in content.facts:
        items += _fact_items(content, fact, seed)
    for claim in content.all_claims:
        items += _argument_items(content, claim, seed)
    all_topics = tuple(sorted(t.id for t in content.topics))
    groups: list[tuple[str, tuple[str, ...], list[Fact], list[Claim]]] = [
        (
            t.id,
            (t.id,),
            [f for f in content.facts if f.topic == t.id],
            [c for c in content.claims if c.topic == t.id],
        )
        for t in content.topics
    ]
    groups.append(("essay", all_topics, list(content.facts), list(content.claims)))
    for key, topics, facts, claims in groups:
        items += _ordering_items(content, key, topics, facts, seed)
        items += _matching_items(content, key, topics, facts, seed)
        items += _evidence_items(content, key, topics, claims, seed)
    return Bank(content=content, seed=seed, items=tuple(items), cards=tuple(_cards(content)))


def eligible_counts(content: EssayContent, quiz: Quiz, bank: Bank | None = None) -> dict[str, int]:
    """How many items of each type a quiz may draw (the same for every seed)."""
    bank = bank or build_bank(content, 0)
    return {t: len(v) for t, v in bank.for_quiz(quiz).items()}


def assemble_quiz(bank: Bank, quiz: Quiz, seed: int) -> list[Item]:
    """Draw a quiz's questions per its mix, preferring items about facts not yet used."""
    rng = _rng(seed, f"quiz:{quiz.id}")
    available = bank.for_quiz(quiz)
    used: set[str] = set()
    chosen: list[Item] = []
    # Scarce types first, so they get their pick of origins.
    for qtype, count in sorted(quiz.mix, key=lambda tc: len(available.get(tc[0], ())) - tc[1]):
        pool = available.get(qtype, [])[:]
        rng.shuffle(pool)
        fresh = [i for i in pool if not used & set(i.origin.ids)]
        stale = [i for i in pool if used & set(i.origin.ids)]
        picked = (fresh + stale)[:count]
        if len(picked) < count:
            raise ValueError(f"quiz {quiz.id!r}: only {len(picked)} {qtype!r} items for {count}")
        for item in picked:
            used.update(item.origin.ids)
        chosen += picked
    if quiz.shuffle:
        rng.shuffle(chosen)
    else:
        order = {t: n for n, (t, _) in enumerate(quiz.mix)}
        chosen.sort(key=lambda i: order[i.type])
    return chosen


def bank_entries(
    bank: Bank, predicate: Callable[[Item], bool] | None = None
) -> list[dict[str, object]]:
    """The bank as JSON-ready dicts: every item, then every card."""
    entries: list[dict[str, object]] = [
        i.to_dict() for i in bank.items if predicate is None or predicate(i)
    ]
    entries += [c.to_dict() for c in bank.cards]
    return entries


__all__ = ["BLANK", "Bank", "assemble_quiz", "bank_entries", "build_bank", "eligible_counts"]
