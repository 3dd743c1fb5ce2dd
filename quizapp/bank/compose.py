"""What the item types share when they compose items from content.

The helpers every item type's generator uses (:mod:`quizapp.bank.types`): seeded random
sources, distractor pools with the reason each distractor is wrong, shuffling that keeps
options and their details together, false statements the content proves false, dates,
and the distractors the content proves wrong for a claim. Pure: no Flask, no database.
"""

from __future__ import annotations

import functools
import itertools
import math
import random
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from . import cues, dates
from .model import Claim, EssayContent, Fact, Item, OptionDetail, Origin, Reason, Source
from .text import cloze_fill, cloze_stem, normalize_answer

TRUE_FALSE = ("True", "False")
STANCE_OPTIONS = ("Endorses", "Rejects")
KIND_FAMILY = {"year": "date", "date": "date"}
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
# Words that carry no answer on their own.
FUNCTION_WORDS = frozenset(
    ("the", "a", "an", "and", "or", "of", "in", "on", "at", "to", "for", "with", "by", "from",
     "its", "their", "his", "her", "as", "is", "are", "was")
)  # fmt: skip


@dataclass(frozen=True)
class Group:
    """Content an item may compose from: one topic's, or (key "essay") the whole essay's."""

    key: str
    topics: tuple[str, ...]
    facts: tuple[Fact, ...]
    claims: tuple[Claim, ...]


def rng_for(seed: int, key: str) -> random.Random:
    """The random source of one item: the same seed and key give the same choices."""
    return random.Random(f"{seed}:{key}")


def family(fact: Fact) -> str:
    family = KIND_FAMILY.get(fact.kind, fact.kind)
    if fact.kind in ("term", "title") and fact.word_class:
        return f"{family}:{fact.word_class}"
    return family


def fact_source(content: EssayContent, fact: Fact) -> Source:
    return Source(content.slug, fact.para, fact.quote)


def fact_item(content: EssayContent, fact: Fact, item_id: str, **fields: object) -> Item:
    """An item made from one fact: its source, origin, topic, weight and explanation."""
    fields.setdefault("explanation", explain(fact))
    return Item(
        id=item_id,
        sources=(fact_source(content, fact),),
        origin=Origin("fact", (fact.id,)),
        topics=(fact.topic,),
        core=fact.core,
        **fields,  # type: ignore[arg-type]
    )


def explain(fact: Fact) -> str:
    statement = cloze_fill(fact.text)
    return f"{statement} {fact.explanation}" if fact.explanation else statement


def says(truth: str, lead: str) -> str:
    """What the essay says, introduced once: never "the essay says: The essay notes..."."""
    if truth.lower().startswith(("the essay", "the author")):
        return truth
    return lead + truth


def quoted(text: str) -> str:
    """A sentence inside quotation marks, its own final period dropped (no ``.”?``)."""
    return f"“{text.strip().rstrip('.')}”"


def accepted(fact: Fact) -> set[str]:
    return {normalize_answer(a) for b in fact.blanks for a in b.answers}


@dataclass(frozen=True)
class Choice:
    text: str
    origin: str
    why_wrong: str


# A bound before a number or a year makes some other values true as well: "for the past
# seven years" is true of three years, "since 2003" of 2009, "up to ten" of eight.
LOWER_BOUND = re.compile(
    r"\b(for the (?:past|last)|over the (?:next|past|last)|at least|more than|over|since)\s*$",
    re.IGNORECASE,
)
UPPER_BOUND = re.compile(
    r"\b(up to|at most|less than|fewer than|under|within|no more than|before|by)\s*$",
    re.IGNORECASE,
)
ROUGHLY = re.compile(r"\b(nearly|almost|about|around|some|roughly|approximately)\s*$", re.I)


def plain_number(text: str) -> float | None:
    """A bare number, in digits or words ("7", "seven", "two hundred", "2,003"), else None:
    the typed-answer grader's own reading of numbers."""
    from ..typed_answers.words import parse_number  # the grader reads numbers the same way

    found = parse_number(text)
    return None if found is None or found[1] else float(found[0])


def implied_true(fact: Fact, value: str) -> bool:
    """Whether putting ``value`` in the fact's number or year blank still makes a true
    statement, because of a bound right before the blank ("since 2003": 2009 is true too)."""
    if fact.kind not in ("number", "year") or len(fact.blanks) != 1:
        return False
    truth, other = plain_number(fact.blanks[0].answer), plain_number(value)
    if truth is None or other is None or truth == other:
        return False
    before = cloze_stem(fact.text, "\x00").split("\x00")[0]
    since = fact.kind == "year" or re.search(r"\bsince\s*(?:at least\s*)?$", before, re.I)
    if LOWER_BOUND.search(before):
        # a smaller amount is true too; for "since <year>", a later year
        return other > truth if since else other < truth
    if UPPER_BOUND.search(before):
        # a larger amount is true too; "before/by <year>": a later year
        return other > truth
    if ROUGHLY.search(before):
        return abs(other - truth) <= 0.25 * abs(truth)
    return False


def distractor_pool(content: EssayContent, fact: Fact) -> tuple[list[Choice], list[Choice]]:
    """The fact's own distractors; then answers of same-kind facts (terms: same word class).
    Never a value a bound before the blank makes true as well (``implied_true``)."""
    banned = accepted(fact)
    seen: set[str] = set()
    own: list[Choice] = []
    borrowed: list[Choice] = []
    for d in fact.distractors:
        key = normalize_answer(d)
        if implied_true(fact, d):
            continue
        if key not in banned and key not in seen:
            seen.add(key)
            own.append(Choice(d, fact.id, "written distractor for this blank"))
    kind = family(fact)
    if fact.kind in ("term", "title") and not fact.word_class:
        return own, borrowed  # terms of unknown class are not mixed: grammar would give it away
    for other in content.facts:
        if other.id == fact.id or family(other) != kind or len(other.blanks) != 1:
            continue
        answer = other.blanks[0].answer
        key = normalize_answer(answer)
        if key not in banned and key not in seen and not implied_true(fact, answer):
            seen.add(key)
            borrowed.append(Choice(answer, other.id, f"the answer of another fact ({other.id})"))
    return own, borrowed


LENGTH_CUE = 1.8  # a key this many times longer (or shorter) than every distractor stands out
LENGTH_GAP = 8  # ... and by this many characters at least (ISIS among longer names is fine)
# A qualifier that hedges an answer ("only marginally"): the one hedged option among plain
# ones (or the one plain option among hedged ones) stands out (the seventh blind review).
HEDGE_WORD = re.compile(
    r"\b(only|mainly|mostly|largely|partly|partially|barely|hardly|scarcely|merely|just|"
    r"almost|nearly|not|never|somewhat|slightly)\b",
    re.IGNORECASE,
)


def _capital(text: str) -> bool:
    words = re.sub(r"^(the|a|an)\s+", "", text.strip(), flags=re.IGNORECASE).split()
    return bool(words) and any(ch.isupper() for ch in words[0])


def odd_form(key: str, others: Sequence[str]) -> str | None:
    """How a key stands out by its form from distractors that all share another form (its
    length, capital letter, digits, number of words, a hedge), or None: such a key is found
    without the essay."""
    if len(others) < 2:
        return None
    lengths = [len(o) for o in others]
    if (len(key) > LENGTH_CUE * max(lengths) and len(key) - max(lengths) >= LENGTH_GAP) or (
        len(key) * LENGTH_CUE < min(lengths) and min(lengths) - len(key) >= LENGTH_GAP
    ):
        return "its length"

    def uniform_other(feature: object) -> bool:
        values = {feature(o) for o in others}  # type: ignore[operator]
        return len(values) == 1 and feature(key) not in values  # type: ignore[operator]

    if uniform_other(_capital):
        return "its capital letter"
    if uniform_other(lambda t: t.strip().isdigit()):
        return "its form (digits)"
    # Names run to any number of words ("Jean-Yves Le Drian" among "Laurent Fabius"...).
    names = _capital(key) and all(_capital(o) for o in others)
    if not names and uniform_other(lambda t: len(t.split())):
        return "its number of words"
    if uniform_other(lambda t: bool(HEDGE_WORD.search(t))):
        return "a hedge ('only', 'mainly', 'not'...) the other options lack, or lack of one"
    return None


def pick_even(
    rng: random.Random, key: str, own: list[Choice], borrowed: list[Choice], n: int
) -> list[Choice] | None:
    """n distractors as :func:`pick` draws them, unless the key would stand out by its form
    among them (:func:`odd_form`): then the set with the most written distractors (then the
    earliest borrowed ones, in a random order) among which it does not; None if there is none."""
    first = pick(rng, own, borrowed, n)
    if len(first) < n or not odd_form(key, [c.text for c in first]):
        return first
    mixed = list(borrowed)
    rng.shuffle(mixed)
    candidates = list(own) + mixed
    for combo in itertools.combinations(candidates, n):
        if not odd_form(key, [c.text for c in combo]):
            return list(combo)
    return None


def pick(rng: random.Random, own: list[Choice], borrowed: list[Choice], n: int) -> list[Choice]:
    picked = rng.sample(own, min(n, len(own)))
    if len(picked) < n:
        picked += rng.sample(borrowed, min(n - len(picked), len(borrowed)))
    return picked


def shuffled(
    rng: random.Random, values: Sequence[str], correct: Iterable[int]
) -> tuple[tuple[str, ...], list[int], list[int]]:
    """Shuffle options; return them, the new indexes of the correct ones (sorted), the order."""
    order = list(range(len(values)))
    rng.shuffle(order)
    correct_set = set(correct)
    options = tuple(values[i] for i in order)
    return options, sorted(pos for pos, i in enumerate(order) if i in correct_set), order


# Quotation marks around a word or phrase: the essay's own scare quotes ('protection'),
# kept in reasons close to it and rarely in written distractors, so they would mark the key
# (the sixth blind review: every quoted option was a key). An apostrophe inside or after a
# word (Russia's, the Taliban's) is no quotation mark.
_SCARE_QUOTES = re.compile(r"(?<!\w)['‘\"“]([^'‘’\"“”]+?)['’\"”](?!\w)")


def unquoted(text: str) -> str:
    """The text without quotation marks around its words ("under the Taliban's protection")."""
    return _SCARE_QUOTES.sub(r"\1", text)


def choice_item(
    rng: random.Random,
    keys: Sequence[Choice],
    distractors: Sequence[Choice],
    *,
    plain: bool = False,
) -> tuple[tuple[str, ...], list[int], tuple[OptionDetail, ...]]:
    """Options from keys then distractors, shuffled, with their details in the same order;
    ``plain``: no option keeps quotation marks (reasons, see :func:`unquoted`)."""
    pool = list(keys) + list(distractors)
    texts = [unquoted(c.text) if plain else c.text for c in pool]
    options, correct, order = shuffled(rng, texts, range(len(keys)))
    details = tuple(
        OptionDetail(pool[i].origin, "key")
        if i < len(keys)
        else OptionDetail(pool[i].origin, "distractor", pool[i].why_wrong)
        for i in order
    )
    return options, correct, details


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
            if normalize_answer(d) not in accepted(fact)
        ]
    return []


def leaks_into(answers: Iterable[str], text: str) -> bool:
    """Whether any of the answers stands as whole words in the text (both normalized)."""
    haystack = f" {normalize_answer(text)} "
    return any(a and f" {a} " in haystack for a in answers)


MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


def date_key(date: str) -> tuple[int, int, int]:
    """The sort key of a date as teachers write it (see :mod:`quizapp.bank.dates`)."""
    return dates.sort_key(date)


def format_date(date: str) -> str:
    """An ISO date in words ("June 2021"); any other form as the teacher wrote it."""
    parsed = dates.parse_date(date)
    if parsed is None or parsed.iso != date.strip():
        return date.strip()
    if parsed.month is None:
        return str(parsed.year)
    month = MONTHS[parsed.month - 1]
    return f"{month} {parsed.year}" if parsed.day is None else f"{parsed.day} {month} {parsed.year}"


def dates_conflict(a: str, b: str) -> bool:
    """Dates are not clearly ordered when one equals, contains or (roughly) overlaps the other."""
    da, db = dates.parse_date(a), dates.parse_date(b)
    return da is None or db is None or not dates.clearly_ordered(da, db)


def chunks(n: int, low: int, high: int) -> list[int]:
    """Sizes between low and high that add up to at most n, as even as possible."""
    if n < low:
        return []
    count = max(1, math.ceil(n / high))
    while count > 1 and n // count < low:
        count -= 1
    size, extra = divmod(min(n, count * high), count)
    return [size + (1 if i < extra else 0) for i in range(count)]


def claim_topics(content: EssayContent, claim: Claim) -> tuple[str, ...]:
    return (claim.topic,) if claim.topic else tuple(sorted(t.id for t in content.topics))


def claim_source(content: EssayContent, claim: Claim) -> Source:
    return Source(content.slug, claim.para, claim.quote)


def key_cost(
    reason: str, claim: str, written: Sequence[Choice], weights: dict[str, float]
) -> float:
    """How much a reason would give itself away as the key: by repeating the claim's own
    words ("humiliating" claim, "humiliated" reason), and by a length far from that of the
    claim's written distractors (a key half as long as every other option)."""
    echo = overlap(reason, claim, weights)
    if not written:
        return echo
    lengths = sorted(len(c.text) for c in written)
    middle = lengths[len(lengths) // 2]
    return echo + abs(len(reason) - middle) / max(middle, 1)


def least_telling(
    rng: random.Random,
    claim: Claim,
    pool: Sequence[Choice],
    n: int,
    weights: dict[str, float],
) -> list[Reason]:
    """n of the claim's reasons, drawn from the n + 1 that give themselves away least (see
    :func:`key_cost`)."""
    written = [c for c in pool if "#distractor-" in c.origin]
    ranked = sorted(
        claim.reasons, key=lambda r: (key_cost(r.text, claim.text, written, weights), r.text)
    )
    return rng.sample(ranked[: n + 1], n)


def closest_in_length(
    rng: random.Random,
    pool: list[Choice],
    key_length: int,
    n: int,
    about: str = "",
    weights: dict[str, float] | None = None,
) -> list[Choice]:
    """n distractors: the ones written for this item first (the claim's own distractors:
    made to be wrong on its subject), then those nearest the key in length and, given what
    the item is ``about`` (the claim and its keys), closest to its subject. A key that is
    the longest or the shortest option more often than chance gives itself away, and so
    does the only option on the subject."""

    def distance(choice: Choice) -> float:
        on_subject = overlap(choice.text, about, weights) if about and weights else 0.0
        return abs(len(choice.text) - key_length) / max(key_length, 1) - 0.3 * on_subject

    def order(choices: list[Choice]) -> list[Choice]:
        return sorted(choices, key=lambda c: (distance(c), c.origin))

    # The claim's own written distractors first, then the others nearest the key in length
    # and closest to its subject; how many are shorter than the key is drawn at random, so
    # neither the shortest nor the longest option tends to be the key.
    written = order([c for c in pool if "#distractor-" in c.origin])
    others = order([c for c in pool if c not in written])
    # At most one of the claim's written distractors makes way for the length balance.
    borrowed = max(n - len(written), 1)

    def side(shorter: bool) -> list[Choice]:
        own = [c for c in written[: n + 1] if (len(c.text) < key_length) == shorter]
        more = [c for c in others[: n + 2] if (len(c.text) < key_length) == shorter]
        return own + more

    shorter, longer = side(True), side(False)
    take_short = min(rng.randrange(n + 1), len(shorter))
    take_long = min(n - take_short, len(longer))
    take_short = min(n - take_long, len(shorter))
    picked = shorter[:take_short] + longer[:take_long]
    while sum(c not in written for c in picked) > borrowed:  # give a written one its place
        spare = [c for c in written if c not in picked]
        if not spare:
            break
        out = next(c for c in reversed(picked) if c not in written)
        picked[picked.index(out)] = spare[0]
    if len(picked) < n:
        picked += [c for c in written + others if c not in picked][: n - len(picked)]
    return picked


# Two texts sharing this much of their distinctive words (weighted by how rare each word is
# in the essay's arguments) say one thing: "Russia has no direct economic interest in
# Afghanistan" and "... nor the resources to consider one realistically".
NEAR = 0.6
REASON_OPTIONS = 4  # a reason item's options: its key and three distractors
_WORD = re.compile(r"[a-z0-9]+")


@functools.lru_cache(maxsize=8192)  # the same texts are compared again and again
def _stems(text: str) -> frozenset[str]:
    """A text's distinctive words, cut to six letters (interest/interests, fought/fight not)."""
    return frozenset(
        w[:6] for w in _WORD.findall(text.lower()) if len(w) > 2 and w not in FUNCTION_WORDS
    )


def argument_texts(content: EssayContent) -> tuple[str, ...]:
    """Every text of the argument model: claims, reasons, written distractors, views."""
    out: list[str] = []
    for claim in content.all_claims:
        out.append(claim.text)
        out += [r.text for r in claim.reasons]
        out += [d.text for d in claim.distractors]
        out += [v.text for v in claim.opposing]
    return tuple(out)


@functools.lru_cache(maxsize=16)
def rarity(texts: tuple[str, ...]) -> dict[str, float]:
    """Each word's inverse document frequency over the texts: common words count little."""
    return cues.inverse_frequency([_stems(t) for t in texts])


def overlap(a: str, b: str, weights: dict[str, float]) -> float:
    """The weighted share of the shorter text's distinctive words that the other one has."""
    return cues.weighted_share(_stems(a), _stems(b), weights)


def reason_id(claim: Claim, reason: Reason) -> str:
    return f"{claim.id}#reason-{claim.reasons.index(reason) + 1}"


def linked_claims(content: EssayContent, claim: Claim) -> set[str]:
    """The claims in one chain of argument with this one: those a reason of it also supports,
    and those with a reason that also supports it. A reason of a linked claim bears on this
    one ("Russia's resources are limited" grounds the credibility risk that is a reason for
    the drills: the seventh blind review), so it is never offered as plainly not a reason."""
    linked = {s for r in claim.reasons for s in r.supports}
    for other in content.all_claims:
        if any(claim.id in r.supports for r in other.reasons):
            linked.add(other.id)
    linked.discard(claim.id)
    return linked


def reason_distractors(content: EssayContent, claim: Claim) -> list[Choice]:
    """What the content proves is not a reason for this claim, each with why.

    The claim's written distractors, and the reasons of the other claims of its section
    unless they are marked as also supporting this one, or come from a claim in one chain of
    argument with it (:func:`linked_claims`), or say nearly what one of its reasons (or an
    option already in the pool) says, or are about an actor the claim and its reasons do not
    name (:func:`.cues.subject`). Never concessions (neither reasons nor plainly wrong),
    nor the views the author rejects (logic rules them out).
    """
    own = {normalize_answer(r.text) for r in claim.reasons}
    weights = rarity(argument_texts(content))
    pool: list[Choice] = []
    seen: set[str] = set()

    def add(text: str, origin: str, why: str, *, borrowed: bool = False) -> None:
        key = normalize_answer(text)
        if key in own or key in seen:
            return
        said = [claim.text, *(r.text for r in claim.reasons), *(c.text for c in pool)]
        if borrowed and any(overlap(text, other, weights) >= NEAR for other in said):
            return  # the same point in other words: defensible, or two options as one
        seen.add(key)
        pool.append(Choice(text, origin, why))

    def borrow(other: Claim, reason: Reason) -> None:
        add(
            reason.text,
            reason_id(other, reason),
            f"a reason the essay gives for another claim: {quoted(other.text)}"
            if other.stance == "endorses"
            else f"a reason the essay gives for rejecting another view: {quoted(other.text)}",
            borrowed=True,
        )

    for i, d in enumerate(claim.distractors, start=1):
        add(d.text, f"{claim.id}#distractor-{i}", d.why or "written distractor for this claim")
    # Never the views the author rejects: they argue against the claim, so logic alone rules
    # them out as its reasons (the fifth blind review).
    if claim.topic is not None:
        # A reason stated in the claim's own paragraphs is too close to be called wrong.
        near = {claim.para, *(r.para for r in claim.reasons)}
        chain = linked_claims(content, claim)
        # A reason about another actor is ruled out by its subject alone (review 9): taken
        # only when the claim has too few other distractors for a reason item.
        vocabulary = cues.name_vocabulary(argument_texts(content))
        about = frozenset().union(
            *(cues.names_in(t, vocabulary) for t in [claim.text, *(r.text for r in claim.reasons)])
        )
        elsewhere: list[tuple[Claim, Reason]] = []
        for other in content.claims:
            if other.id == claim.id or other.topic != claim.topic or other.id in chain:
                continue
            for reason in other.reasons:
                if claim.id in reason.supports or reason.para in near:
                    continue
                if cues.subject(reason.text, vocabulary) in about:
                    borrow(other, reason)
                else:
                    elsewhere.append((other, reason))
        for other, reason in elsewhere:
            if len(pool) >= REASON_OPTIONS - 1:
                break
            borrow(other, reason)
    return pool
