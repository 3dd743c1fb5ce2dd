"""Generate quiz items and flashcards from validated content.

Pure and deterministic: the same content and seed give the same bank. Each item draws its
random choices from its own generator seeded by ``(seed, item id)``, so adding a fact never
changes the items of the others. Item and card ids derive from content ids, so rewording a
fact keeps them; how many items of each type exist does not depend on the seed.

Items are right by construction: every option records where it comes from and, for a
distractor, why the content proves it wrong (:class:`OptionDetail`):

- a reason item's distractors are the claim's written distractors, the views the author
  rejects, and reasons the essay gives for *other claims of the same section* that the
  content does not say also support this one (``supports:``), never other sections';
- a true/false item is false only with a statement the instructor wrote as false, or a
  substitution of the fact's own written distractor in a sentence without quantifiers or
  time relations that could keep it true;
- matching pairs answers of one kind (and terms of one word class), 4 to 6 pairs;
- ordering takes events whose date the content states, never states or periods.
"""

from __future__ import annotations

import math
import random
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from .model import (
    EXACT_KINDS,
    Card,
    Claim,
    EssayContent,
    Fact,
    Item,
    OptionDetail,
    Origin,
    Quiz,
    Reason,
    Source,
)
from .text import BLANK, cloze_fill, cloze_stem, normalize_answer

MATCH_MIN, MATCH_MAX = 4, 6  # pairs in a matching item
ORDER_MIN, ORDER_MAX = 3, 5  # events in an ordering item
EVIDENCE_MIN, EVIDENCE_MAX = 3, 4  # claims in an evidence-matching item
SELECT_MIN, SELECT_MAX = 4, 5  # options in a select-all item
TRUE_FALSE = ("True", "False")
STANCE_OPTIONS = ("Endorses", "Rejects")

KIND_FAMILY = {"year": "date", "date": "date"}
MATCHING_PROMPTS = {
    "date": "Match each statement with the date that fills its blank.",
    "number": "Match each statement with the number that fills its blank.",
    "person": "Match each statement with the person who fills its blank.",
    "place": "Match each statement with the place that fills its blank.",
    "organization": "Match each statement with the organization that fills its blank.",
    "term": "Match each statement with the word or phrase that fills its blank.",
    "title": "Match each statement with the title that fills its blank.",
}
# Words that can keep a substituted statement true ("since 2009" when the truth is 2003),
# or make it depend on a chronology ("after Obama announced..."): no swap in such sentences.
HEDGES = re.compile(
    r"\b(since|for the past|over the (?:next|past|last)|at least|at most|more than|less than|"
    r"fewer than|up to|until|till|by|before|after|following|nearly|almost|about|around|"
    r"approximately|some|over|under|within|as (?:many|much|few|early|late) as|no (?:more|less)|"
    r"only|never|ever|first|last|latest|earliest|once|already|still|or)\b",
    re.IGNORECASE,
)
SWAP_KINDS = frozenset({"person", "place", "organization", "term", "title"})


@dataclass(frozen=True)
class Bank:
    content: EssayContent
    seed: int
    items: tuple[Item, ...]
    cards: tuple[Card, ...]
    # item id -> (answers it asks for, what it shows), both normalized: built once per bank.
    _profiles: dict[str, tuple[frozenset[str], str]] = field(
        default_factory=dict, compare=False, repr=False
    )

    def profile(self, item: Item) -> tuple[frozenset[str], str]:
        found = self._profiles.get(item.id)
        if found is None:
            answers = frozenset(item_answer_words(item, self.content))
            found = (answers, f" {normalize_answer(item_shows(item))} ")
            self._profiles[item.id] = found
        return found

    def leaks(self, a: Item, b: Item) -> bool:
        """Whether one item shows what the other asks for."""
        answers_a, shows_a = self.profile(a)
        answers_b, shows_b = self.profile(b)
        return any(f" {x} " in shows_b for x in answers_a) or any(
            f" {x} " in shows_a for x in answers_b
        )

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


def _family(fact: Fact) -> str:
    family = KIND_FAMILY.get(fact.kind, fact.kind)
    if fact.kind in ("term", "title") and fact.word_class:
        return f"{family}:{fact.word_class}"
    return family


def _fact_source(content: EssayContent, fact: Fact) -> Source:
    return Source(content.slug, fact.para, fact.quote)


def _explain(fact: Fact) -> str:
    statement = cloze_fill(fact.text)
    return f"{statement} {fact.explanation}" if fact.explanation else statement


def quoted(text: str) -> str:
    """A sentence inside quotation marks, its own final period dropped (no ``.”?``)."""
    return f"“{text.strip().rstrip('.')}”"


def _accepted(fact: Fact) -> set[str]:
    return {normalize_answer(a) for b in fact.blanks for a in b.answers}


@dataclass(frozen=True)
class _Choice:
    text: str
    origin: str
    why_wrong: str


def _distractor_pool(content: EssayContent, fact: Fact) -> tuple[list[_Choice], list[_Choice]]:
    """The fact's own distractors; then answers of same-kind facts (terms: same word class)."""
    banned = _accepted(fact)
    seen: set[str] = set()
    own: list[_Choice] = []
    borrowed: list[_Choice] = []
    for d in fact.distractors:
        key = normalize_answer(d)
        if key not in banned and key not in seen:
            seen.add(key)
            own.append(_Choice(d, fact.id, "written distractor for this blank"))
    family = _family(fact)
    if fact.kind in ("term", "title") and not fact.word_class:
        return own, borrowed  # terms of unknown class are not mixed: grammar would give it away
    for other in content.facts:
        if other.id == fact.id or _family(other) != family or len(other.blanks) != 1:
            continue
        answer = other.blanks[0].answer
        key = normalize_answer(answer)
        if key not in banned and key not in seen:
            seen.add(key)
            borrowed.append(_Choice(answer, other.id, f"the answer of another fact ({other.id})"))
    return own, borrowed


def _pick(rng: random.Random, own: list[_Choice], borrowed: list[_Choice], n: int) -> list[_Choice]:
    picked = rng.sample(own, min(n, len(own)))
    if len(picked) < n:
        picked += rng.sample(borrowed, min(n - len(picked), len(borrowed)))
    return picked


def _shuffled(
    rng: random.Random, values: Sequence[str], correct: Iterable[int]
) -> tuple[tuple[str, ...], list[int], list[int]]:
    """Shuffle options; return them, the new indexes of the correct ones (sorted), the order."""
    order = list(range(len(values)))
    rng.shuffle(order)
    correct_set = set(correct)
    options = tuple(values[i] for i in order)
    return options, sorted(pos for pos, i in enumerate(order) if i in correct_set), order


def _choice_item(
    rng: random.Random,
    keys: Sequence[_Choice],
    distractors: Sequence[_Choice],
) -> tuple[tuple[str, ...], list[int], tuple[OptionDetail, ...]]:
    """Options from keys then distractors, shuffled, with their details in the same order."""
    pool = list(keys) + list(distractors)
    options, correct, order = _shuffled(rng, [c.text for c in pool], range(len(keys)))
    details = tuple(
        OptionDetail(pool[i].origin, "key")
        if i < len(keys)
        else OptionDetail(pool[i].origin, "distractor", pool[i].why_wrong)
        for i in order
    )
    return options, correct, details


# --- items from facts --------------------------------------------------------------------


def safe_swap(fact: Fact) -> bool:
    """Whether substituting one of the fact's written distractors surely makes it false."""
    return (
        fact.kind in SWAP_KINDS
        and len(fact.blanks) == 1
        and bool(fact.distractors)
        and not HEDGES.search(cloze_stem(fact.text))
    )


def false_statements(fact: Fact) -> list[tuple[str, str]]:
    """The fact's false versions, each with why it is false."""
    truth = cloze_fill(fact.text)
    if fact.false:
        return [(s, f"the essay says: {truth}") for s in fact.false]
    if safe_swap(fact):
        return [
            (cloze_fill(fact.text, {0: d}), f"the essay says {fact.blanks[0].answer}, not {d}")
            for d in fact.distractors
            if normalize_answer(d) not in _accepted(fact)
        ]
    return []


def _fact_items(content: EssayContent, fact: Fact, seed: int) -> list[Item]:
    items: list[Item] = []
    source = (_fact_source(content, fact),)
    origin = Origin("fact", (fact.id,))
    topics = (fact.topic,)
    explanation = _explain(fact)
    stem = cloze_stem(fact.text)
    match = tuple("exact" if fact.kind in EXACT_KINDS else "fuzzy" for _ in fact.blanks)
    own, borrowed = _distractor_pool(content, fact)

    def make(kind: str, item_id: str | None = None, **kw: object) -> Item:
        kw.setdefault("explanation", explanation)
        return Item(
            id=item_id or f"{fact.id}:{kind}",
            type=kind,
            sources=source,
            origin=origin,
            topics=topics,
            core=fact.core,
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
        key = _Choice(fact.blanks[0].answer, fact.id, "")
        options, correct, details = _choice_item(rng, [key], _pick(rng, own, borrowed, 3))
        items.append(
            make("single", prompt=stem, options=options, answer=correct[0], details=details)
        )
    truth = cloze_fill(fact.text)
    items.append(
        make(
            "true_false",
            prompt=truth,
            options=TRUE_FALSE,
            answer=0,
            explanation=f"True: {explanation}",
            details=(
                OptionDetail(fact.id, "key"),
                OptionDetail(fact.id, "distractor", "the essay states it"),
            ),
        )
    )
    falsehoods = false_statements(fact)
    if falsehoods:
        statement, why = _rng(seed, f"{fact.id}:true_false:false").choice(falsehoods)
        items.append(
            make(
                "true_false",
                item_id=f"{fact.id}:true_false:false",
                prompt=statement,
                options=TRUE_FALSE,
                answer=1,
                explanation=f"False: {explanation}",
                details=(
                    OptionDetail(fact.id, "distractor", why),
                    OptionDetail(fact.id, "key"),
                ),
            )
        )
    return items


def _leaks_into(answers: Iterable[str], text: str) -> bool:
    """Whether any of the answers stands as whole words in the text (both normalized)."""
    haystack = f" {normalize_answer(text)} "
    return any(a and f" {a} " in haystack for a in answers)


def _select_all_items(
    content: EssayContent, key: str, topics: tuple[str, ...], facts: list[Fact], seed: int
) -> list[Item]:
    """ "Select every statement the essay supports": true and written-false statements of
    different facts, with a number of keys that varies from one to all but one."""
    pool = [f for f in facts if f.false]
    pool.sort(key=lambda f: f.id)
    rng = _rng(0, f"{key}:multiple")  # grouping does not depend on the seed
    rng.shuffle(pool)
    sizes = _chunks(len(pool), SELECT_MIN, SELECT_MAX)
    items = []
    for k, size in enumerate(sizes):
        item_id = f"{key}:multiple" if len(sizes) == 1 else f"{key}:multiple:{k + 1}"
        irng = _rng(seed, item_id)
        start = sum(sizes[:k])
        chunk = pool[start : start + size]
        n_keys = irng.randint(1, len(chunk) - 1)
        truths = chunk[:n_keys]
        falses = chunk[n_keys:]
        keys = [_Choice(cloze_fill(f.text), f.id, "") for f in truths]
        wrong = []
        for f in falses:
            statement = irng.choice(f.false)
            wrong.append(_Choice(statement, f.id, f"the essay says: {cloze_fill(f.text)}"))
        options, correct, details = _choice_item(irng, keys, wrong)
        items.append(
            Item(
                id=item_id,
                type="multiple",
                prompt="Select every statement that matches what the essay says.",
                options=options,
                answer=correct,
                sources=tuple(_fact_source(content, f) for f in chunk),
                origin=Origin("fact", tuple(f.id for f in chunk)),
                topics=topics,
                explanation=" ".join(_explain(f) for f in truths)
                + " "
                + " ".join(f"Not so: {cloze_fill(f.text)}" for f in falses),
                details=details,
                core=all(f.core for f in chunk),
            )
        )
    return items


_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


def _date_key(date: str) -> tuple[int, ...]:
    return tuple(int(part) for part in date.split("-"))


def format_date(date: str) -> str:
    parts = _date_key(date)
    if len(parts) == 1:
        return str(parts[0])
    month = _MONTHS[parts[1] - 1]
    return f"{month} {parts[0]}" if len(parts) == 2 else f"{parts[2]} {month} {parts[0]}"


def _dates_conflict(a: str, b: str) -> bool:
    """Dates are not clearly ordered when one equals or contains the other (2021, 2021-06)."""
    ka, kb = _date_key(a), _date_key(b)
    n = min(len(ka), len(kb))
    return ka[:n] == kb[:n]


def _ordering_items(
    content: EssayContent, key: str, topics: tuple[str, ...], facts: list[Fact], seed: int
) -> list[Item]:
    # Only events: a dated fact with an event label (states and periods carry no date).
    dated = sorted((f for f in facts if f.date and f.event), key=lambda f: f.id)
    rng = _rng(0, f"{key}:ordering")  # grouping, like ids, does not depend on the seed
    rng.shuffle(dated)
    groups: list[list[Fact]] = []
    for fact in dated:
        for group in groups:
            if len(group) < ORDER_MAX and all(
                not _dates_conflict(fact.date or "", g.date or "") for g in group
            ):
                group.append(fact)
                break
        else:
            groups.append([fact])
    groups = [g for g in groups if len(g) >= ORDER_MIN]
    items = []
    for k, group in enumerate(groups, start=1):
        item_id = f"{key}:ordering" if len(groups) == 1 else f"{key}:ordering:{k}"
        chronological = sorted(group, key=lambda f: _date_key(f.date or ""))
        labels = [f.event or "" for f in chronological]
        options, _, order = _shuffled(_rng(seed, item_id), labels, [])
        answer = [order.index(i) for i in range(len(labels))]
        items.append(
            Item(
                id=item_id,
                type="ordering",
                prompt="Put these events in the order in which they happened, earliest first.",
                options=options,
                answer=answer,
                sources=tuple(_fact_source(content, f) for f in chronological),
                origin=Origin("fact", tuple(f.id for f in chronological)),
                topics=topics,
                explanation="; ".join(
                    f"{format_date(f.date or '')}: {f.event}" for f in chronological
                ),
                details=tuple(OptionDetail(chronological[i].id, "key") for i in order),
                core=all(f.core for f in group),
            )
        )
    return items


def _chunks(n: int, low: int, high: int) -> list[int]:
    """Sizes between low and high that add up to at most n, as even as possible."""
    if n < low:
        return []
    count = max(1, math.ceil(n / high))
    while count > 1 and n // count < low:
        count -= 1
    size, extra = divmod(min(n, count * high), count)
    return [size + (1 if i < extra else 0) for i in range(count)]


def _matching_items(
    content: EssayContent, key: str, topics: tuple[str, ...], facts: list[Fact], seed: int
) -> list[Item]:
    items = []
    by_family: dict[str, list[Fact]] = defaultdict(list)
    for fact in facts:
        if len(fact.blanks) == 1 and (fact.kind not in ("term", "title") or fact.word_class):
            by_family[_family(fact)].append(fact)
    for family, group in sorted(by_family.items()):
        distinct: dict[str, Fact] = {}
        for fact in sorted(group, key=lambda f: f.id):
            distinct.setdefault(normalize_answer(fact.blanks[0].answer), fact)
        pool = list(distinct.values())
        base = f"{key}:matching:{family.replace(':', '-')}"
        rng = _rng(0, base)  # grouping, like ids, does not depend on the seed
        rng.shuffle(pool)
        # No statement may hold another pair's answer: that would give the pair away.
        chunks: list[list[Fact]] = []
        for fact in pool:
            for chunk in chunks:
                if len(chunk) < MATCH_MAX and not any(
                    _leaks_into(_accepted(f), cloze_stem(fact.text))
                    or _leaks_into(_accepted(fact), cloze_stem(f.text))
                    # Two terms from one paragraph often name one thing two ways
                    # ("windfall", "divine surprise"): either would fit both blanks.
                    or (fact.kind in ("term", "title") and f.para == fact.para)
                    for f in chunk
                ):
                    chunk.append(fact)
                    break
            else:
                chunks.append([fact])
        chunks = [c for c in chunks if len(c) >= MATCH_MIN]
        for k, chunk in enumerate(chunks, start=1):
            item_id = base if len(chunks) == 1 else f"{base}:{k}"
            irng = _rng(seed, item_id)
            answers = [f.blanks[0].answer for f in chunk]
            # One option more than statements, so the last pair is never forced.
            spare = _spare_option(irng, chunk, pool)
            values = answers + ([spare.text] if spare else [])
            options, _, order = _shuffled(irng, values, [])
            answer = [order.index(i) for i in range(len(chunk))]
            details = tuple(
                OptionDetail(chunk[i].id, "key")
                if i < len(chunk)
                else OptionDetail(spare.origin, "distractor", spare.why_wrong)  # type: ignore[union-attr]
                for i in order
            )
            items.append(
                Item(
                    id=item_id,
                    type="matching",
                    prompt=MATCHING_PROMPTS[family.split(":")[0]],
                    prompts=tuple(cloze_stem(f.text) for f in chunk),
                    options=options,
                    answer=answer,
                    sources=tuple(_fact_source(content, f) for f in chunk),
                    origin=Origin("fact", tuple(f.id for f in chunk)),
                    topics=topics,
                    explanation=" ".join(cloze_fill(f.text) for f in chunk),
                    details=details,
                    core=all(f.core for f in chunk),
                )
            )
    return items


def _spare_option(rng: random.Random, chunk: list[Fact], pool: list[Fact]) -> _Choice | None:
    """An extra option for a matching item: the answer of a same-kind fact left out of it,
    else a written distractor of one of its facts; never one that fits or leaks."""
    taken = set().union(*(_accepted(f) for f in chunk))
    stems = " ".join(cloze_stem(f.text) for f in chunk)
    candidates = [
        _Choice(f.blanks[0].answer, f.id, f"the answer of a fact not shown here ({f.id})")
        for f in pool
        if f not in chunk
    ]
    if not candidates:
        candidates = [
            _Choice(d, f.id, f"a written distractor for {f.id}")
            for f in chunk
            for d in f.distractors
        ]
    candidates = [
        c
        for c in candidates
        if normalize_answer(c.text) not in taken
        and not _leaks_into([normalize_answer(c.text)], stems)
    ]
    return rng.choice(candidates) if candidates else None


# --- items from arguments ----------------------------------------------------------------


def _claim_topics(content: EssayContent, claim: Claim) -> tuple[str, ...]:
    return (claim.topic,) if claim.topic else tuple(sorted(t.id for t in content.topics))


def _claim_source(content: EssayContent, claim: Claim) -> Source:
    return Source(content.slug, claim.para, claim.quote)


def reason_id(claim: Claim, reason: Reason) -> str:
    return f"{claim.id}#reason-{claim.reasons.index(reason) + 1}"


def reason_distractors(content: EssayContent, claim: Claim) -> list[_Choice]:
    """What the content proves is not a reason for this claim, each with why.

    The claim's written distractors, the views the author rejects, and the reasons of the
    other claims of its section unless they are marked as also supporting this one.
    Concessions are never used: they are neither reasons nor plainly wrong.
    """
    own = {normalize_answer(r.text) for r in claim.reasons}
    pool: list[_Choice] = []
    seen: set[str] = set()

    def add(text: str, origin: str, why: str) -> None:
        key = normalize_answer(text)
        if key not in own and key not in seen:
            seen.add(key)
            pool.append(_Choice(text, origin, why))

    for i, d in enumerate(claim.distractors, start=1):
        add(d.text, f"{claim.id}#distractor-{i}", d.why or "written distractor for this claim")
    for i, view in enumerate(claim.opposing, start=1):
        add(view.text, f"{claim.id}#opposing-{i}", "a view the author argues against")
    if claim.topic is not None:
        for other in content.claims:
            if other.id == claim.id or other.topic != claim.topic:
                continue
            for reason in other.reasons:
                if claim.id not in reason.supports:
                    add(
                        reason.text,
                        reason_id(other, reason),
                        f"a reason the essay gives for another claim: {quoted(other.text)}",
                    )
    return pool


def _claim_question(claim: Claim) -> str:
    if claim.stance == "rejects":
        return (
            f"The author rejects the view that {quoted(claim.text)}. "
            "Which of these is a reason the essay gives for rejecting it?"
        )
    return f"Claim: {quoted(claim.text)}. Which of these is a reason the essay gives for it?"


def _argument_items(content: EssayContent, claim: Claim, seed: int) -> list[Item]:
    items: list[Item] = []
    topics = _claim_topics(content, claim)
    origin = Origin("argument", (claim.id,))
    claim_source = _claim_source(content, claim)
    reasons_text = " ".join(r.text for r in claim.reasons)
    verdict = "endorses" if claim.stance == "endorses" else "rejects"
    why = claim.explanation or reasons_text
    stance_details = (
        OptionDetail(
            claim.id,
            "key" if claim.stance == "endorses" else "distractor",
            None if claim.stance == "endorses" else f"the author {verdict} it",
        ),
        OptionDetail(
            claim.id,
            "key" if claim.stance == "rejects" else "distractor",
            None if claim.stance == "rejects" else f"the author {verdict} it",
        ),
    )
    items.append(
        Item(
            id=f"{claim.id}:stance",
            type="stance",
            prompt=f"Does the author endorse or reject this view? {quoted(claim.text)}.",
            options=STANCE_OPTIONS,
            answer=0 if claim.stance == "endorses" else 1,
            sources=(claim_source,),
            origin=origin,
            topics=topics,
            explanation=f"The author {verdict} it. {why}".strip(),
            details=stance_details,
            core=claim.core,
        )
    )
    for i, view in enumerate(claim.opposing, start=1):
        items.append(
            Item(
                id=f"{claim.id}:opposing-{i}:stance",
                type="stance",
                prompt=f"Does the author endorse or reject this view? {quoted(view.text)}.",
                options=STANCE_OPTIONS,
                answer=1,
                sources=(Source(content.slug, view.para, view.quote),)
                if view.quote
                else (claim_source,),
                origin=origin,
                topics=topics,
                explanation=f"The author rejects it. {view.rebuttal or ''}".strip(),
                details=(
                    OptionDetail(f"{claim.id}#opposing-{i}", "distractor", "the author rejects it"),
                    OptionDetail(f"{claim.id}#opposing-{i}", "key"),
                ),
                core=claim.core,
            )
        )
    pool = reason_distractors(content, claim)
    if claim.reasons and len(pool) >= 3:
        rng = _rng(seed, f"{claim.id}:reason")
        reason = rng.choice(claim.reasons)
        key = _Choice(reason.text, reason_id(claim, reason), "")
        options, correct, details = _choice_item(rng, [key], rng.sample(pool, 3))
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
                details=details,
                core=claim.core,
            )
        )
    n_options = min(SELECT_MAX, len(claim.reasons) + len(pool))
    if claim.reasons and n_options >= SELECT_MIN:
        rng = _rng(seed, f"{claim.id}:reasons_multiple")
        low = max(1, n_options - len(pool))
        high = min(len(claim.reasons), n_options - 1)
        if low <= high:
            n_keys = rng.randint(low, high)
            reasons = rng.sample(claim.reasons, n_keys)
            keys = [_Choice(r.text, reason_id(claim, r), "") for r in reasons]
            options, correct, details = _choice_item(
                rng, keys, rng.sample(pool, n_options - n_keys)
            )
            subject = "for rejecting the view" if claim.stance == "rejects" else "for the claim"
            items.append(
                Item(
                    id=f"{claim.id}:reasons_multiple",
                    type="reasons_multiple",
                    prompt=f"Select every reason the essay gives {subject} {quoted(claim.text)}.",
                    options=options,
                    answer=correct,
                    sources=tuple(Source(content.slug, r.para, r.quote) for r in reasons),
                    origin=origin,
                    topics=topics,
                    explanation=" ".join(r.text for r in reasons),
                    details=details,
                    core=claim.core,
                )
            )
    return items


def _evidence_items(
    content: EssayContent, key: str, topics: tuple[str, ...], claims: list[Claim], seed: int
) -> list[Item]:
    # Only claims the author endorses: a rejected claim's reasons are reasons *against* it.
    pool = sorted((c for c in claims if c.reasons and c.stance == "endorses"), key=lambda c: c.id)
    base = f"{key}:evidence_matching"
    rng = _rng(0, base)  # grouping, like ids, does not depend on the seed
    rng.shuffle(pool)
    items = []
    # One claim is always left out of each item, to stand as a spare option.
    sizes = _chunks(len(pool) - 1, EVIDENCE_MIN, EVIDENCE_MAX)
    for k, size in enumerate(sizes, start=1):
        start = sum(sizes[: k - 1])
        chunk = pool[start : start + size]
        item_id = base if len(sizes) == 1 else f"{base}:{k}"
        irng = _rng(seed, item_id)
        ids = {c.id for c in chunk}
        texts = {c.id: {normalize_answer(r.text) for r in c.reasons} for c in pool}
        reasons = []
        for claim in chunk:
            # Evidence that supports exactly one of the claims shown.
            fitting = [
                r
                for r in claim.reasons
                if not (set(r.supports) & (ids - {claim.id}))
                and not any(normalize_answer(r.text) in texts[o] for o in ids - {claim.id})
            ]
            if not fitting:
                break
            reasons.append(irng.choice(fitting))
        if len(reasons) != len(chunk):
            continue
        shown = {normalize_answer(r.text) for r in reasons}
        spares = [
            c
            for c in pool
            if c.id not in ids
            and not any(c.id in r.supports for r in reasons)
            and not shown & texts[c.id]
        ]
        if not spares:
            continue
        spare = irng.choice(spares)
        options, _, order = _shuffled(irng, [c.text for c in chunk] + [spare.text], [])
        answer = [order.index(i) for i in range(len(chunk))]
        items.append(
            Item(
                id=item_id,
                type="evidence_matching",
                prompt="Match each reason with the claim the essay gives it for. "
                "One claim is left over.",
                prompts=tuple(r.text for r in reasons),
                options=options,
                answer=answer,
                sources=tuple(Source(content.slug, r.para, r.quote) for r in reasons),
                origin=Origin("argument", tuple(c.id for c in chunk)),
                topics=topics,
                explanation=" ".join(
                    f"{quoted(r.text)} supports {quoted(c.text)}."
                    for r, c in zip(reasons, chunk, strict=True)
                ),
                details=tuple(
                    OptionDetail(chunk[i].id, "key")
                    if i < len(chunk)
                    else OptionDetail(
                        spare.id, "distractor", "a claim none of the reasons shown is given for"
                    )
                    for i in order
                ),
                core=all(c.core for c in chunk),
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
                core=fact.core,
            )
        )
    for claim in content.all_claims:
        if claim is content.thesis:
            front = f"What is the central thesis of “{content.essay.title}”?"
            back = claim.text
        elif claim.stance == "rejects":
            front = f"Why does the author reject the view that {quoted(claim.text)}?"
            back = " ".join(r.text for r in claim.reasons)
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
                    _claim_source(content, claim),
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
    for key, topics, facts, _claims in groups:
        items += _select_all_items(content, key, topics, facts, seed)
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


# --- assembling an attempt -----------------------------------------------------------------


def item_answers(item: Item) -> set[str]:
    """The distinctive answers an item asks for, normalized: what another item must not show."""
    answer = item.answer
    if item.type in ("cloze", "short_answer"):
        return {normalize_answer(a) for blank in answer for a in blank}
    if item.type in ("single", "reason"):
        return {normalize_answer(item.options[answer])}
    if item.type in ("multiple", "reasons_multiple"):
        return {normalize_answer(item.options[i]) for i in answer}
    if item.type == "matching":
        return {normalize_answer(o) for o in item.options}
    return set()


def item_answer_words(item: Item, content: EssayContent) -> set[str]:
    """Answers plus, for a true/false item, the answers of its fact (the statement hinges on
    them: a "true" statement shown elsewhere answers it)."""
    found = item_answers(item)
    if item.type in ("true_false", "ordering", "multiple") and item.origin.type == "fact":
        facts = {f.id: f for f in content.facts}
        for fid in item.origin.ids:
            if fid in facts and item.type == "true_false":
                found |= _accepted(facts[fid])
    return {a for a in found if a}


def item_shows(item: Item) -> str:
    """Everything a student reads on the item before answering."""
    return " \n ".join((item.prompt, *item.prompts, *item.options))


def assemble_quiz(bank: Bank, quiz: Quiz, seed: int) -> list[Item]:
    """Draw a quiz's questions per its mix.

    Each fact or claim is tested once; no item shows another's answer; core content comes
    first; topics are covered in proportion to their content; true/false statements are
    half true, half false. A few reshuffles settle the rare seed the greedy draw paints into
    a corner; the last resort lets an answer leak rather than fail the student's attempt.
    """
    chosen = None
    for attempt in range(DRAWS):
        chosen = _draw(bank, quiz, seed, attempt)
        if chosen is not None:
            break
    if chosen is None:
        chosen = _draw(bank, quiz, seed, 0, strict=False)
    if chosen is None:
        raise ValueError(f"quiz {quiz.id!r}: its mix cannot be drawn from the bank")
    rng = _rng(seed, f"quiz:{quiz.id}:order")
    if quiz.shuffle:
        rng.shuffle(chosen)
    else:
        order = {t: n for n, (t, _) in enumerate(quiz.mix)}
        chosen.sort(key=lambda i: order[i.type])
    return chosen


DRAWS = 30  # reshuffles before the last resort


def feasible(bank: Bank, quiz: Quiz, seeds: Iterable[int] = range(5)) -> bool:
    """Whether the quiz's mix can be drawn with each fact once and no answer given away."""
    return all(
        any(_draw(bank, quiz, seed, attempt) is not None for attempt in range(DRAWS))
        for seed in seeds
    )


def _draw(
    bank: Bank, quiz: Quiz, seed: int, attempt: int, *, strict: bool = True
) -> list[Item] | None:
    """One greedy draw; None when it paints itself into a corner. Not strict (the last
    resort): an answer may leak and a fact be tested twice, fresh content still first."""
    content = bank.content
    rng = _rng(seed, f"quiz:{quiz.id}" if attempt == 0 else f"quiz:{quiz.id}:{attempt}")
    available = bank.for_quiz(quiz)
    weights = Counter(f.topic for f in content.facts if f.topic in quiz.topics)
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

            candidates = [
                i
                for i in pool
                if i not in picked
                and (
                    not strict
                    or not (used & set(i.origin.ids) or any(bank.leaks(i, c) for c in chosen))
                )
            ]
            if qtype == "true_false":
                falses_so_far = sum(1 for p in picked if p.answer == 1)
                want_false = falses_so_far < false_wanted
                preferred = [i for i in candidates if (i.answer == 1) == want_false]
                candidates = preferred or candidates
            if not candidates:
                return None
            best = min(
                candidates,
                key=lambda i: (bool(used & set(i.origin.ids)), not i.core, deficit(i)),
            )
            picked.append(best)
            chosen.append(best)
            used.update(best.origin.ids)
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
    "assemble_quiz",
    "bank_entries",
    "build_bank",
    "eligible_counts",
]
