"""Cues a student can use without the essay: a reason that restates its own claim in other
words, a pair given away by a name only one shown claim bears, and keys alone in the
register of a possibility ("could", "may") among plain facts, or the reverse.

Pure and small: a light stemmer, a short table of words that name one idea (synonyms and
antonyms: "cannot be counted on" and "reliable ally" are one question), and the names an
essay's own arguments capitalise, folded with :data:`~quizapp.authoring.lexicon.METONYMS`
(Moscow, the Kremlin and Russia are one actor). No NLP model.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from ..authoring.lexicon import METONYMS, STOPWORDS

if TYPE_CHECKING:
    from .compose import Choice

_WORD = re.compile(r"[A-Za-z][A-Za-z-]*")
# Words that name one idea, whichever way round it is put: a reason that says "limited
# resources" for a claim that says "more means" repeats the claim, not grounds it.
_IDEAS: dict[str, str] = {
    "reliable": "reliable unreliable dependable undependable trust trustworthy untrustworthy "
    "faithful loyal",
    "amount": "limited unlimited limit partial restricted modest scarce meagre meager ample "
    "abundant more less fewer greater lack lacks",
    "means": "means resources capacity capacities assets",
    "terror": "terror terrorist terrorists terrorism jihadist jihadists",
    "strong": "strong stronger strength strengthen weak weaker weaken weakness powerful powerless",
    "credible": "credible credibility discredit discredited prestige humiliation humiliated "
    "humiliating ridicule ridiculed",
    "fatal": "fatal deadly disaster disastrous catastrophe catastrophic ruinous",
    "win": "victory defeat triumph win won lose lost loss",
    "easy": "easy easier easily difficult difficulty hard harder",
    "sure": "certain uncertain predictable unpredictable expect unexpected foresaw foresee "
    "anticipate anticipated",
}
# Phrases the word table cannot see ("cannot be counted on", "ad hoc responses").
_PHRASES = (
    (re.compile(r"\b(?:count(?:ed)?|rel(?:y|ied)|depend(?:ed)?) (?:up)?on\b", re.I), " reliable "),
    (re.compile(r"\b(?:ad hoc|half-measures?|half measures?|stopgaps?)\b", re.I), " limited "),
)


def _stem(word: str) -> str:
    w = word.lower().strip("-")
    for end, new in (("ies", "y"), ("ied", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", "")):
        if w.endswith(end) and len(w) - len(end) >= 4:
            w = w[: len(w) - len(end)] + new
            break
    return w[:6]


_IDEA_OF = {_stem(w): idea for idea, words in _IDEAS.items() for w in words.split()}
# More than this weighted share of the shorter text's ideas in common: the reason restates
# its claim ("cannot be counted on" for "a reliable ally"), and matching by words finds it.
CIRCULAR = 0.17


@functools.lru_cache(maxsize=8192)
def ideas(text: str, names: frozenset[str] = frozenset()) -> frozenset[str]:
    """A text's content words as ideas: stems, with synonyms and antonyms folded together;
    without the words whose 4-letter stems are in ``names`` (see :func:`name_vocabulary`)."""
    for phrase, idea in _PHRASES:
        text = phrase.sub(idea, text)
    found = set()
    for word in _WORD.findall(text.replace("'s ", " ")):
        stem = _stem(word)
        if stem in _IDEA_OF:
            found.add(_IDEA_OF[stem])
        elif word[0].isupper() and stem[:4] in names:
            continue
        elif word.lower() not in STOPWORDS and len(word) > 2:
            found.add(stem)
    return frozenset(found)


def inverse_frequency(docs: Sequence[frozenset[str]]) -> dict[str, float]:
    """Each word's inverse document frequency over the documents (sets of words, stems or
    ideas): common ones count little."""
    counts: dict[str, int] = {}
    for doc in docs:
        for w in doc:
            counts[w] = counts.get(w, 0) + 1
    return {w: math.log((len(docs) + 1) / n) for w, n in counts.items()}


def weighted_share(a: frozenset[str], b: frozenset[str], weights: dict[str, float]) -> float:
    """The weighted share of the smaller set's words that the other one has too."""
    if not a or not b:
        return 0.0
    unknown = max(weights.values(), default=1.0)

    def weight(words: Iterable[str]) -> float:
        return sum(weights.get(w, unknown) for w in words)

    smaller = min(weight(a), weight(b))
    return weight(a & b) / smaller if smaller else 0.0


@functools.lru_cache(maxsize=16)  # one essay's texts, asked for by every group's items
def idea_weights(texts: tuple[str, ...]) -> dict[str, float]:
    """Each idea's inverse document frequency over the texts: common ideas count little."""
    return inverse_frequency([ideas(t) for t in texts])


def restated(reason: str, claim: str, weights: dict[str, float], names: frozenset[str]) -> float:
    """The weighted share of the shorter text's ideas (its names left out: a shared actor is
    the point of a fair pair, see :func:`given_by_name`) that the other text has too."""
    return weighted_share(ideas(reason, names), ideas(claim, names), weights)


def circular(reason: str, claim: str, weights: dict[str, float], names: frozenset[str]) -> bool:
    """Whether the reason mostly repeats its claim, in its words or their synonyms and
    antonyms ("the Western Allies cannot be counted on" for "the West must show that it is a
    reliable ally"): matched by words alone, and no ground for the claim."""
    return restated(reason, claim, weights, names) > CIRCULAR


@functools.lru_cache(maxsize=4096)
def _actor(word: str) -> str:
    """The actor a capitalised word names: one name for the metonyms of a state (Moscow,
    Kremlin, Russia, Russian, Russia's), else the word's 4-letter stem."""
    low = word.lower()
    for group in METONYMS:
        for member in group:
            root = member.lower().rstrip("aeiou")
            if " " not in member and len(root) >= 4 and low.startswith(root):
                return min(m.lower() for m in group)
    return _stem(word)[:4]


@functools.lru_cache(maxsize=16)
def name_vocabulary(texts: tuple[str, ...]) -> dict[str, str]:
    """The essay's names: words its texts capitalise inside a sentence (Biden, Beijing, the
    Kremlin), by 4-letter stem, each with the actor it stands for (see :func:`_actor`)."""
    found: dict[str, str] = {}
    for text in texts:
        for sentence in re.split(r"[.!?:;]\s+", text):
            for word in _WORD.findall(sentence)[1:]:
                if word[0].isupper() and word.lower() not in STOPWORDS:
                    found[_stem(word)[:4]] = _actor(word)
    return found


def names_in(text: str, vocabulary: dict[str, str]) -> frozenset[str]:
    """The actors a text names (at any place in it, the first word too)."""
    return frozenset(
        vocabulary[k]
        for w in _WORD.findall(text)
        if w[0].isupper() and (k := _stem(w)[:4]) in vocabulary
    )


def subject(text: str, vocabulary: dict[str, str]) -> str | None:
    """The first actor a text names, which it is most likely about ("Sergei Lavrov, Russia's
    foreign minister, has called..."), or None."""
    for w in _WORD.findall(text):
        if w[0].isupper() and (k := _stem(w)[:4]) in vocabulary:
            return vocabulary[k]
    return None


def name_stems(vocabulary: dict[str, str]) -> frozenset[str]:
    """The ideas (see :func:`ideas`) that are names: left out of :func:`restated`."""
    return frozenset(vocabulary)


def given_by_name(
    reasons: Sequence[str], keyed: Sequence[int], claims: Sequence[str], vocabulary: dict[str, str]
) -> list[int]:
    """The reasons whose pair a name gives away: one of the reason's names stands in its own
    claim and in no other claim shown (Biden in the reason and in one claim only)."""
    named = [names_in(c, vocabulary) for c in claims]
    out = []
    for r, (reason, own) in enumerate(zip(reasons, keyed, strict=True)):
        for name in names_in(reason, vocabulary) & named[own]:
            if not any(name in n for k, n in enumerate(named) if k != own):
                out.append(r)
                break
    return out


def competing(
    reasons: Sequence[str], keyed: Sequence[int], claims: Sequence[str], vocabulary: dict[str, str]
) -> list[int]:
    """The reasons that could plausibly go to two shown claims: each names an actor that its
    own claim and another claim shown are about (Russia's bases: Russia's credibility, and
    Russia's drills)."""
    named = [names_in(c, vocabulary) for c in claims]
    out = []
    for r, (reason, own) in enumerate(zip(reasons, keyed, strict=True)):
        shared = names_in(reason, vocabulary) & named[own]
        if any(shared & n for k, n in enumerate(named) if k != own):
            out.append(r)
    return out


# A modal that makes a statement a forecast or a possibility ("ISIS could once again find
# fertile ground"): keys alone in that register among plain facts (or the reverse) are found
# without the essay (the eighth blind review: the two "could" options were the two keys).
MODAL = re.compile(
    r"\b(could|might|may|possibly|perhaps|probably|likely)\b",
    re.IGNORECASE,
)


# Words after which a modal belongs to what is reported, not to the statement's own register
# ("The Bible showed books could be copied", "Moscow knows that its resources could hardly
# be mobilized" state facts).
EMBEDDING = re.compile(
    r"\b(that|which|who|whom|if|whether|when|because|since|shows?|showed|shown|proved?|knows?|"
    r"knew|says?|said|thinks?|thought|believes?|believed|fears?|feared|hopes?|hoped|warns?|"
    r"warned|expects?|expected|realized?|meant|saw|sees)\b",
    re.IGNORECASE,
)


def modal(text: str) -> bool:
    """Whether the statement itself is put as a possibility or forecast: a modal verb
    ("could", "may"...) that no reporting word or subordinator before it embeds."""
    found = MODAL.search(text)
    return found is not None and not EMBEDDING.search(text[: found.start()])


def odd_register(keys: Sequence[str], others: Sequence[str]) -> bool:
    """Whether the keys stand out by register: every key hedged by a modal and no other
    option, or every other option hedged and no key (two options each side at least, or
    one key among three or more)."""
    if not keys or len(others) < 2 or len(keys) + len(others) < 4:
        return False
    hedged = {modal(k) for k in keys}
    return len(hedged) == 1 and all(modal(o) != modal(keys[0]) for o in others)


def even_register(
    keys: Sequence[str], picked: Sequence[Choice], pool: Sequence[Choice]
) -> list[Choice]:
    """The picked distractors, unless the keys stand out by register among them
    (:func:`odd_register`): then one of them (the last picked not written for the claim,
    else the last) gives its place to the first of the pool's others in the keys' register.
    Unchanged when the pool has none (the linter asks the author for one)."""
    texts = [c.text for c in picked]
    if not odd_register(keys, texts):
        return list(picked)
    wanted = modal(keys[0])
    alike = [c for c in pool if c not in picked and modal(c.text) == wanted]
    if not alike:
        return list(picked)
    out = list(picked)
    borrowed = [i for i, c in enumerate(out) if "#distractor-" not in c.origin]
    out[(borrowed or [len(out) - 1])[-1]] = alike[0]
    return out
