"""``quizapp content draft``: candidate facts and claims proposed from the essay's text.

Offline and fast: sentences come from pysbd (rules that ship inside the package); dates,
numbers, quantities and capitalized names from regular expressions and small word lists.
Every candidate quotes its sentence verbatim, blanks one answer as ``{{answer|alternative}}``,
and draws same-kind distractors from the essay itself. The YAML output is in the exact
``facts.yaml`` format, ranked by importance: accepting a candidate is moving it there.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import pairwise
from pathlib import Path
from typing import Any

import yaml

from ..bank.dates import parse_date
from ..bank.guidance import article_for
from ..bank.loader.errors import _Errors
from ..bank.loader.essay import _load_essay
from ..bank.model import Essay
from ..bank.text import cloze_markup_error, normalize_answer, quote_in
from ..bank.yamlines import YamlSyntaxError, load_yaml
from .lexicon import (
    DEPENDENT_OPENERS,
    METONYMS,
    MONTH_WORDS,
    MULTIWORD_PLACES,
    NOT_GIVEN_NAMES,
    NUMBER_WORDS,
    ORG_WORDS,
    PLACE_WORDS,
    PLACES,
    SCALE_WORDS,
    STOPWORDS,
    TITLES,
)
from .new import slugify

KIND_WEIGHT = {
    "date": 3.0,
    "year": 3.0,
    "person": 2.6,
    "organization": 2.4,
    "place": 2.2,
    "number": 2.0,
    "term": 1.0,
}
MAX_QUOTE_WORDS = 45
MAX_PER_SENTENCE = 3
MAX_PER_ANSWER = 2


# --- sentences ---------------------------------------------------------------------------

_ABBREVIATION_END = re.compile(
    r"(?:\b(?:c|ca|cf|vs|approx|no|nos|st|mt|gen|col|lt|sgt|rev|fr|vol|pp?|fig)\.|\b[A-Z]\.)\s*$",
    re.IGNORECASE,
)


@lru_cache(maxsize=1)
def _segmenter() -> Any:
    import pysbd

    return pysbd.Segmenter(language="en", clean=False)


def sentences(paragraph: str) -> list[tuple[int, str]]:
    """The paragraph's sentences with their offsets; each is a verbatim slice of it."""
    out: list[tuple[int, str]] = []
    pos = 0
    pending: tuple[int, str] | None = None
    for segment in _segmenter().segment(paragraph):
        piece = segment.strip()
        if not piece:
            continue
        start = paragraph.find(piece, pos)
        if start < 0:
            continue
        pos = start + len(piece)
        if pending is not None:
            start = pending[0]
            piece = paragraph[start:pos]
            pending = None
        if _ABBREVIATION_END.search(piece) and pos < len(paragraph):
            pending = (start, piece)  # "c. 1850", "J. Smith": pysbd cut after the period
            continue
        out.append((start, piece))
    if pending is not None:
        out.append(pending)
    return out


# --- answers found in a sentence ---------------------------------------------------------


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    text: str
    kind: str
    alternatives: tuple[str, ...] = ()
    date: str | None = None

    def overlaps(self, other: Span) -> bool:
        return self.start < other.end and other.start < self.end


_MONTHS = "|".join(
    sorted((m for m in MONTH_WORDS if len(m) > 3 and not m.endswith("day")), key=len, reverse=True)
)
_DATE_PATTERNS = [
    rf"\b\d{{1,2}}(?:st|nd|rd|th)? (?:{_MONTHS}),? \d{{4}}\b",
    rf"\b(?:{_MONTHS}) \d{{1,2}}(?:st|nd|rd|th)?, \d{{4}}\b",
    rf"\b(?:{_MONTHS}) \d{{4}}\b",
    r"\b(?:c\.|ca\.|circa) ?\d{3,4}(?: BCE?| AD| CE)?\b",
    r"\b\d{1,4} (?:BCE?|AD|CE)\b",
    r"\bthe \d{3}0s\b",
]
_DATE_RE = re.compile("|".join(f"(?:{p})" for p in _DATE_PATTERNS))
# A year alone or in a range ("1996-2001"), not the start of an ISO date ("2021-06").
_YEAR_RE = re.compile(r"(?<![\d,./])\b(1[0-9]{3}|20[0-9]{2})\b(?![\d/]|,\d|[-–]\d{2}(?!\d))")
_NUMBER_RE = re.compile(
    r"(?<![\w.,\-–/])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?:\s?(%|percent|per cent))?"
    r"(?![\w\-–/]|[.,]\d)"
)
_WORD_NUMBER_RE = re.compile(
    r"\b((?:" + "|".join(NUMBER_WORDS) + r")(?:-(?:" + "|".join(NUMBER_WORDS) + r"))?"
    r"(?: (?:" + "|".join(SCALE_WORDS) + r"))?)\b",
    re.IGNORECASE,
)
_CAP = r"(?:al-|el-|ad-|as-)?[A-Z][\w’'\-]*[\w]|[A-Z]"
_NAME_RE = re.compile(
    rf"(?:{_CAP})(?:(?: (?:of|de|du|del|della|der|van|von|bin|al|la|le|the|for) | )(?:{_CAP}))*"
)
_POSSESSIVE = re.compile(r"[’']s?$")
_ALLCAPS = re.compile(r"^[A-Z]{2,}s?$")


def words_to_number(text: str) -> int | None:
    total, current = 0, 0
    for part in re.split(r"[\s\-]+", text.lower()):
        if part in NUMBER_WORDS:
            current += NUMBER_WORDS[part]
        elif part in SCALE_WORDS:
            scale = SCALE_WORDS[part]
            current = max(current, 1) * scale
            if scale >= 1000:
                total, current = total + current, 0
        else:
            return None
    return total + current


def number_to_words(value: int) -> str | None:
    names = {v: k for k, v in NUMBER_WORDS.items()}
    if value in names:
        return names[value]
    if 20 < value < 100 and value % 10:
        return f"{names[value - value % 10]}-{names[value % 10]}"
    return None


@dataclass
class EssayIndex:
    """What the drafter knows about the whole essay: names and how they are used."""

    text: str
    lower_words: Counter[str] = field(default_factory=Counter)
    the_before: Counter[str] = field(default_factory=Counter)
    preposition_before: Counter[str] = field(default_factory=Counter)
    title_before: Counter[str] = field(default_factory=Counter)
    mid_sentence: Counter[str] = field(default_factory=Counter)
    person_surnames: set[str] = field(default_factory=set)


def _strip_possessive(name: str) -> str:
    return _POSSESSIVE.sub("", name) if name.endswith(("’s", "'s", "s’", "s'")) else name


def _raw_names(sentence: str) -> Iterable[tuple[int, int, str]]:
    for m in _NAME_RE.finditer(sentence):
        text = m.group(0)
        stripped = _strip_possessive(text)
        # connectors at the ends are not part of the name ("Bank of" -> "Bank")
        while True:
            parts = stripped.rsplit(" ", 1)
            if len(parts) == 2 and parts[1] in {"of", "de", "the", "and", "for", "al", "la"}:
                stripped = parts[0]
            else:
                break
        yield m.start(), m.start() + len(stripped), stripped


def build_index(essay: Essay, sentence_lists: dict[int, list[tuple[int, str]]]) -> EssayIndex:
    index = EssayIndex(" ".join(p.text for p in essay.paragraphs))
    index.lower_words.update(re.findall(r"\b[a-z][\w’'-]*\b", index.text))
    for sentence_list in sentence_lists.values():
        for _offset, sentence in sentence_list:
            for start, _end, name in _raw_names(sentence):
                before = sentence[:start].rstrip().rsplit(" ", 1)[-1] if start else ""
                if start:
                    index.mid_sentence[name] += 1
                if before.lower() == "the":
                    index.the_before[name] += 1
                if before.lower() in {
                    "in",
                    "from",
                    "to",
                    "at",
                    "near",
                    "across",
                    "into",
                    "towards",
                    "toward",
                }:
                    index.preposition_before[name] += 1
                words = name.split()
                if words[0] in TITLES or before in TITLES:
                    index.title_before[name] += 1
                    index.person_surnames.add(words[-1])
    return index


def classify_name(name: str, index: EssayIndex) -> str | None:
    words = name.split()
    last = words[-1]
    if name in MONTH_WORDS or all(w in MONTH_WORDS for w in words):
        return None
    if _ALLCAPS.match(name) or any(w in ORG_WORDS for w in words):
        return "organization"
    if (
        name in PLACES
        or name in MULTIWORD_PLACES
        or all(w in PLACES for w in words)
        or any(w in PLACE_WORDS for w in words[1:])
    ):
        return "place"
    if index.title_before[name] or words[0] in TITLES:
        return "person"
    if len(words) == 1:
        if name in index.person_surnames:
            return "person"
        if index.preposition_before[name] and not index.the_before[name]:
            return "place"
        if index.the_before[name]:
            return "organization"
        return "person"
    if (
        len(words) <= 4
        and not index.the_before[name]
        and words[0] not in NOT_GIVEN_NAMES
        and not any(w in PLACES or "’" in w or "'" in w for w in words)
    ):
        index.person_surnames.add(last)
        return "person"
    return "term"


_ADJECTIVE_END = re.compile(r"(?:an|ian|ese|ish|ern|ist|ic|i)$")
_CONNECTORS = {
    "of",
    "de",
    "du",
    "del",
    "della",
    "der",
    "van",
    "von",
    "bin",
    "al",
    "la",
    "le",
    "the",
    "for",
}


def _drop_first(start: int, name: str, words: list[str]) -> tuple[int, str, list[str]]:
    offset = len(words[0]) + 1
    return start + offset, name[offset:], words[1:]


def name_spans(sentence: str, index: EssayIndex) -> list[Span]:
    spans = []
    for start, end, name in _raw_names(sentence):
        words = name.split()
        opens = start == 0 or sentence[:start].rstrip().endswith(("“", '"', "(", ":", "—"))
        if opens:
            # A capital that only opens the sentence ("The", "Both", "Critics") is no name:
            # a one-word name must also stand capitalized inside some sentence.
            first = words[0]
            common = first.lower() in index.lower_words or first.lower() in STOPWORDS
            if len(words) == 1 and (common or not (index.mid_sentence[first] or first in PLACES)):
                continue
            rest = name[len(first) + 1 :]
            if len(words) > 1 and (
                common or (first not in PLACES and (index.mid_sentence[rest] or rest in PLACES))
            ):  # "Unlike Beijing": the name is the rest
                start, name, words = _drop_first(start, name, words)
        while len(words) > 1 and (words[0] in TITLES or words[0] in _CONNECTORS):
            start, name, words = _drop_first(start, name, words)
        if not words or words[0] in _CONNECTORS:
            continue
        if len(words) == 1 and (
            (len(name) <= 2 and not _ALLCAPS.match(name))  # "I", "Ed."
            or (name in NOT_GIVEN_NAMES and name not in PLACES)  # "Central", "Soviet"
        ):
            continue
        after = sentence[end : end + 2]
        adjective = (
            _ADJECTIVE_END.search(words[-1])
            and name not in PLACES
            and name not in MULTIWORD_PLACES
            and (len(words) == 1 or words[0] in NOT_GIVEN_NAMES)
        )
        if after[:1] == " " and after[1:2].islower() and adjective:
            continue  # "American troops", "Islamist movement", "Central Asian allies"
        if len(words) == 1 and name.endswith(("ans", "ers")) and name not in PLACES:
            continue  # "Westerners", "Europeans": groups, not names
        kind = classify_name(name, index)
        if kind is None:
            continue
        alternatives: tuple[str, ...] = ()
        if kind == "person" and len(words) > 1 and words[-1] != name:
            alternatives = (words[-1],)
        spans.append(Span(start, start + len(name), name, kind, alternatives))
    return spans


def date_spans(sentence: str) -> list[Span]:
    spans: list[Span] = []
    for m in _DATE_RE.finditer(sentence):
        parsed = parse_date(m.group(0))
        if parsed is None:
            continue
        kind = "year" if parsed.precision in {"year", "decade"} else "date"
        spans.append(Span(m.start(), m.end(), m.group(0), kind, (), parsed.iso or m.group(0)))
    for m in _YEAR_RE.finditer(sentence):
        span = Span(m.start(), m.end(), m.group(0), "year", (), m.group(0))
        if not any(span.overlaps(s) for s in spans):
            spans.append(span)
    return spans


def number_spans(sentence: str, taken: list[Span]) -> list[Span]:
    spans = []
    for m in _NUMBER_RE.finditer(sentence):
        span_text = m.group(0)
        before = sentence[: m.start()].rstrip().rsplit(" ", 1)[-1]
        if before[:1].isupper() and not m.group(2):
            continue  # "Nord Stream 2", "Article 5": part of a name
        value = m.group(1).replace(",", "")
        alternatives: list[str] = []
        if value != m.group(1):
            alternatives.append(value)
        if value.isdigit() and (word := number_to_words(int(value))):
            alternatives.append(word)
        spans.append(Span(m.start(), m.end(), span_text, "number", tuple(alternatives)))
    for m in _WORD_NUMBER_RE.finditer(sentence):
        value_ = words_to_number(m.group(1))
        if value_ is None:
            continue
        spans.append(Span(m.start(), m.end(), m.group(0), "number", (str(value_),)))
    return [s for s in spans if not any(s.overlaps(t) for t in taken)]


_CONCEPT = re.compile(r"(?:ity|ism|ion|ence|ance|ment|ness|ship)s?$")


def _key_words(sentence: str, index: EssayIndex) -> Iterable[re.Match[str]]:
    """Long content words the essay repeats, or names of concepts ("credibility", "realism")."""
    for m in re.finditer(r"\b[a-z][a-z\-]{5,}\b", sentence):
        word = m.group(0)
        if word in STOPWORDS or word.endswith("ly"):
            continue
        if index.lower_words[word] >= 2 or (len(word) >= 7 and _CONCEPT.search(word)):
            yield m


def term_span(sentence: str, index: EssayIndex, taken: list[Span]) -> Span | None:
    """The sentence's key word: a concept or a long content word the essay repeats."""
    best: tuple[float, Span] | None = None
    for m in _key_words(sentence, index):
        word = m.group(0)
        span = Span(m.start(), m.end(), word, "term")
        if any(span.overlaps(t) for t in taken):
            continue
        score = math.log(1 + index.lower_words[word]) + len(word) / 6
        score += 0.8 if _CONCEPT.search(word) else 0
        if best is None or score > best[0]:
            best = (score, span)
    return best[1] if best else None


# --- candidates --------------------------------------------------------------------------


@dataclass(frozen=True)
class FactCandidate:
    id: str
    topic: str
    text: str
    kind: str
    para: int
    quote: str
    distractors: tuple[str, ...]
    date: str | None
    score: float
    answer: str

    def record(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": self.id,
            "topic": self.topic,
            "text": self.text,
            "kind": self.kind,
            "para": self.para,
            "quote": self.quote,
        }
        if self.distractors:
            data["distractors"] = list(self.distractors)
        if self.date:
            data["date"] = self.date
            event = event_label(self.text)
            if event:
                data["event"] = event
        return data


_DATE_PHRASE = re.compile(
    r"(?:,\s*)?\b(?:in|on|by|since|from|during|of|until)?\s*(?:\{\{[^}]*\}\}|"
    r"(?:\d{1,2}\s+)?(?:January|February|March|April|May|June|July|August|September|October|"
    r"November|December)?\s*\d{4})",
    re.IGNORECASE,
)


def event_label(text: str) -> str | None:
    """An ordering label from a dated sentence: the sentence without its date (and without
    the blank, whatever it holds), so the label never gives the date away."""
    label = _DATE_PHRASE.sub("", cloze_fill_blanks(text)).strip(" ,;.")
    label = re.sub(r"\s{2,}", " ", label)
    if len(label.split()) < 3:
        return None
    return label[:1].upper() + label[1:]


def cloze_fill_blanks(text: str) -> str:
    """The sentence with date blanks kept as blanks and other blanks filled."""
    return re.sub(
        r"\{\{([^}|]*)[^}]*\}\}",
        lambda m: m.group(0) if parse_date(m.group(1)) else m.group(1),
        text,
    )


@dataclass(frozen=True)
class ClaimCandidate:
    id: str
    topic: str
    text: str
    stance: str
    para: int
    quote: str
    markers: tuple[str, ...]
    score: float

    def record(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "topic": self.topic,
            "text": self.text,
            "stance": self.stance,
            "para": self.para,
            "quote": self.quote,
        }


@dataclass(frozen=True)
class Draft:
    slug: str
    facts: tuple[FactCandidate, ...]
    claims: tuple[ClaimCandidate, ...]


@dataclass
class _Raw:
    para: int
    sentence_index: int
    sentence: str
    span: Span
    score: float


def _clip(sentence: str, span: Span) -> tuple[str, Span]:
    """A long sentence is cut to the clause that holds the answer."""
    if len(sentence.split()) <= MAX_QUOTE_WORDS:
        return sentence, span
    cuts = [0] + [
        m.end() for m in re.finditer(r"[;:—–(]\s*|,\s(?=but |while |whereas |and )", sentence)
    ]
    cuts.append(len(sentence))
    for a, b in pairwise(cuts):
        if a <= span.start and span.end <= b:
            clause = sentence[a:b].rstrip(" ;:—–(,")
            if len(clause.split()) >= 6:
                shift = a
                return clause, Span(
                    span.start - shift,
                    span.end - shift,
                    span.text,
                    span.kind,
                    span.alternatives,
                    span.date,
                )
            break
    return sentence, span


def _fragment_penalty(quote: str) -> float:
    """A fragment (a clause cut from a long sentence, a bad split) is a poor thing to learn."""
    penalty = 0.0
    if not quote[:1].isupper() and quote[:1] not in '“"‘':
        penalty += 1.0
    if quote.count("(") != quote.count(")"):
        penalty += 1.5
    if quote[-1:] not in '.!?…”"':
        penalty += 0.5
    return penalty


def _cloze(sentence: str, span: Span) -> str:
    answers = [span.text] + [
        a for a in span.alternatives if normalize_answer(a) != normalize_answer(span.text)
    ]
    return sentence[: span.start] + "{{" + "|".join(answers) + "}}" + sentence[span.end :]


_DATE_VALUE = re.compile(r"-?\d+")


def _numeric(value: str) -> float | None:
    text = value.replace(",", "")
    m = re.search(r"\d+(?:\.\d+)?", text)
    if m:
        return float(m.group(0))
    number = words_to_number(value)
    return float(number) if number is not None else None


def _shape(word: str) -> str:
    for suffix in ("ing", "ed", "ion", "ity", "ism", "ness", "ment", "s"):
        if word.endswith(suffix):
            return suffix
    return ""


def _distractors(
    span: Span, sentence: str, pool: dict[str, Counter[str]], limit: int = 3
) -> tuple[str, ...]:
    before = sentence[: span.start].split()[-1:]
    article = before[0].lower() if before and before[0].lower() in {"a", "an"} else None
    accepted = {normalize_answer(a) for a in (span.text, *span.alternatives)}
    answer_words = {w for a in accepted for w in a.split() if len(w) > 3}
    shown = normalize_answer(sentence)
    options: list[tuple[float, str]] = []
    seen: set[str] = set()
    metonyms = {normalize_answer(m) for group in METONYMS if span.text in group for m in group}
    pool_key = "keyword" if span.kind == "term" and span.text.islower() else span.kind
    for value, count in pool[pool_key].items():
        key = normalize_answer(value)
        if not key or key in accepted or key in seen or key in metonyms:
            continue
        if answer_words & {w for w in key.split() if len(w) > 3}:
            continue  # "Biden" is no distractor for "Joe Biden"
        if f" {key} " in f" {shown} ":
            continue  # the stem shows it already
        if article and article_for(value) != article:
            continue  # after "a", no "ally"; after "an", no "rival"
        if span.kind in {"year", "number", "date"}:
            a, b = _numeric(span.text), _numeric(value)
            if a is None or b is None:
                continue
            closeness = -abs(math.log1p(abs(a)) - math.log1p(abs(b)))
            options.append((closeness, value))
        elif span.kind == "term":
            if _shape(value) != _shape(span.text):
                continue
            options.append((count, value))
        else:
            options.append((count, value))
        seen.add(key)
    options.sort(key=lambda o: (-o[0], o[1]))
    picked: list[str] = []
    picked_words: set[str] = set()
    for _, value in options:
        words = {w for w in normalize_answer(value).split() if len(w) > 3}
        if len(picked) < limit and not words & picked_words:  # not "Field" and "Cyrus Field"
            picked.append(value)
            picked_words |= words
    parsed = parse_date(span.text) if span.kind == "date" else None
    if parsed is not None and parsed.month is not None and parsed.day is None:
        # "August 1858": the same month in the essay's other years
        month = span.text.split()[0] if not span.text[:1].isdigit() else None
        years = sorted(pool["year"], key=lambda y: abs((_numeric(y) or 0) - parsed.year))
        for year in years if month else []:
            candidate = f"{month} {year}"
            key = normalize_answer(candidate)
            if (
                len(picked) < limit
                and key not in accepted
                and candidate not in picked
                and str(parsed.year) != year
                and f" {key} " not in f" {shown} "
            ):
                picked.append(candidate)
    if span.kind == "year" and len(picked) < limit and span.text.isdigit():
        year = int(span.text)
        for delta in (1, -1, 2, -2, 5, -5, 10, -10):
            candidate = str(year + delta)
            if len(picked) < limit and candidate not in picked and candidate not in accepted:
                picked.append(candidate)
    return tuple(picked)


_CLAIM_MARKERS = [
    (r"\bmust\b", "endorses"),
    (r"\bshould\b", "endorses"),
    (r"\bought to\b", "endorses"),
    (r"\bneed(?:s)? to\b", "endorses"),
    (r"\bit is (?:urgent|essential|necessary|vital|crucial)\b", "endorses"),
    (r"\bthe reality is\b", "endorses"),
    (r"\bthe truth is\b", "endorses"),
    (r"\bit is true that\b", "endorses"),
    (r"\bin fact\b", "endorses"),
    (r"\bundeniabl[ey]\b", "endorses"),
    (r"\bclearly\b", "endorses"),
    (r"\btherefore\b", "endorses"),
    (r"\bthis is why\b", "endorses"),
    (r"\billusion\b", "rejects"),
    (r"\ba mistake\b", "rejects"),
    (r"\bwrong\b", "rejects"),
    (r"\bmyth\b", "rejects"),
    (r"\blacks (?:solid )?foundations?\b", "rejects"),
    (r"\bwe (?:must|should) not\b", "rejects"),
    (r"\bshould not imagine\b", "rejects"),
    (r"\bit is false\b", "rejects"),
]


def _claims(
    essay: Essay,
    sentence_lists: dict[int, list[tuple[int, str]]],
    topic_of: dict[int, str],
    used_ids: set[str],
) -> list[ClaimCandidate]:
    out = []
    last = essay.paragraphs[-1].number if essay.paragraphs else 0
    first = essay.paragraphs[0].number if essay.paragraphs else 0
    for para, sentence_list in sentence_lists.items():
        for position, (_offset, sentence) in enumerate(sentence_list):
            found = [
                (m, stance)
                for pattern, stance in _CLAIM_MARKERS
                if (m := re.search(pattern, sentence, re.I))
            ]
            if not found:
                continue
            rejects = sum(1 for _, s in found if s == "rejects")
            stance = "rejects" if rejects * 2 >= len(found) else "endorses"
            quote = sentence
            score = (
                len(found) + (0.5 if para in {first, last} else 0) + (0.3 if position == 0 else 0)
            )
            words = [w for w in re.findall(r"[^\W\d_]+", sentence.lower()) if w not in STOPWORDS]
            cid = _unique_id("claim-" + slugify(" ".join(words[:4]), "claim"), used_ids)
            out.append(
                ClaimCandidate(
                    cid,
                    topic_of.get(para, ""),
                    sentence,
                    stance,
                    para,
                    quote,
                    tuple(m.group(0) for m, _ in found),
                    round(score, 2),
                )
            )
    out.sort(key=lambda c: (-c.score, c.para))
    return out


def _unique_id(candidate: str, used: set[str]) -> str:
    candidate = candidate.strip("-")[:60].strip("-") or "fact"
    fid, n = candidate, 2
    while fid in used:
        fid, n = f"{candidate}-{n}", n + 1
    used.add(fid)
    return fid


def _fact_id(span: Span, sentence: str, used: set[str]) -> str:
    answer_words = set(normalize_answer(span.text).split())
    words = [
        w
        for w in re.findall(r"[^\W\d_]+", sentence[: span.start] + " " + sentence[span.end :])
        if w.lower() not in STOPWORDS and w.lower() not in answer_words and len(w) > 3
    ]
    return _unique_id(slugify(" ".join([span.text, *words[:2]]), "fact"), used)


def draft_essay(
    essay: Essay,
    topic_paras: dict[str, tuple[int, ...]],
    *,
    existing_ids: Iterable[str] = (),
    existing_answers: Iterable[tuple[int, str]] = (),
) -> Draft:
    """Ranked candidate facts and claims for ``essay``; topics map ids to their paragraphs."""
    topic_of: dict[int, str] = {}
    for tid, paras in topic_paras.items():
        for p in paras:
            topic_of.setdefault(p, tid)
    default_topic = next(iter(topic_paras), "")
    sentence_lists = {p.number: sentences(p.text) for p in essay.paragraphs}
    index = build_index(essay, sentence_lists)
    first_para = essay.paragraphs[0].number if essay.paragraphs else 0
    last_para = essay.paragraphs[-1].number if essay.paragraphs else 0
    covered = {(para, normalize_answer(a)) for para, a in existing_answers}

    raws: list[_Raw] = []
    pool: dict[str, Counter[str]] = defaultdict(Counter)
    answer_counts: Counter[str] = Counter()
    for para, sentence_list in sentence_lists.items():
        for position, (_offset, sentence) in enumerate(sentence_list):
            if "{" in sentence or "}" in sentence or "|" in sentence:
                continue
            spans = date_spans(sentence)
            spans += [
                s for s in name_spans(sentence, index) if not any(s.overlaps(t) for t in spans)
            ]
            spans += number_spans(sentence, spans)
            if term := term_span(sentence, index, spans):
                spans.append(term)
            for span in spans:
                pool[span.kind][span.text] += 1
            for m in _key_words(sentence, index):
                pool["keyword"][m.group(0)] += 1
                answer_counts[normalize_answer(span.text)] += 1
            words = sentence.split()
            opener = words[0].lower().strip('“"(') if words else ""
            for span in spans:
                # An answer that stands twice in its sentence would show itself in the stem.
                if (
                    normalize_answer(sentence).split().count(normalize_answer(span.text)) > 1
                    or sentence.count(span.text) > 1
                ):
                    continue
                score = KIND_WEIGHT[span.kind]
                if span.kind not in {"year", "date", "number", "term"}:
                    score += 0.4 * math.log(answer_counts[normalize_answer(span.text)] + 1)
                score += 0.5 if position == 0 else 0
                score += 0.3 if para in {first_para, last_para} else 0
                score -= 1.0 if opener in DEPENDENT_OPENERS else 0
                score -= 0.5 if not 6 <= len(words) <= MAX_QUOTE_WORDS else 0
                raws.append(_Raw(para, position, sentence, span, score))

    # The essay-wide count of each answer is only known now: recompute the name bonus.
    used_ids = set(existing_ids)
    candidates: list[FactCandidate] = []
    per_sentence: Counter[tuple[int, int]] = Counter()
    per_answer: Counter[str] = Counter()
    for raw in sorted(raws, key=lambda r: (-r.score, r.para, r.sentence_index, r.span.start)):
        key = normalize_answer(raw.span.text)
        if (raw.para, key) in covered:
            continue
        if per_sentence[(raw.para, raw.sentence_index)] >= MAX_PER_SENTENCE:
            continue
        if per_answer[key] >= MAX_PER_ANSWER:
            continue
        quote, span = _clip(raw.sentence, raw.span)
        paragraph = essay.paragraph(raw.para)
        if paragraph is None or not quote_in(quote, paragraph.text):
            continue
        text = _cloze(quote, span)
        if cloze_markup_error(text):
            continue
        distractors = _distractors(span, quote, pool)
        score = raw.score + 0.2 * len(distractors) - _fragment_penalty(quote)
        candidates.append(
            FactCandidate(
                id=_fact_id(span, quote, used_ids),
                topic=topic_of.get(raw.para, default_topic),
                text=text,
                kind=span.kind,
                para=raw.para,
                quote=quote,
                distractors=distractors,
                date=span.date if span.kind in {"year", "date"} else None,
                score=round(score, 2),
                answer=span.text,
            )
        )
        per_sentence[(raw.para, raw.sentence_index)] += 1
        per_answer[key] += 1
    candidates.sort(key=lambda c: (-c.score, c.para))
    claims = _claims(
        essay, sentence_lists, {p: topic_of.get(p, default_topic) for p in sentence_lists}, used_ids
    )
    return Draft(essay.slug, tuple(candidates), tuple(claims))


# --- reading a folder, writing the output -------------------------------------------------


class DraftError(Exception):
    pass


def draft_folder(folder: Path) -> Draft:
    """Draft from ``folder``'s essay.md and topics.yaml, skipping facts already accepted."""
    errors: list[Any] = []
    essay = _load_essay(folder / "essay.md", folder.name, _Errors(errors, "essay.md"))
    if essay is None or errors:
        raise DraftError(
            "essay.md has errors; run 'quizapp content check' first:\n"
            + "\n".join(f"  {e}" for e in errors)
        )
    topic_paras: dict[str, tuple[int, ...]] = {}
    try:
        topics = load_yaml((folder / "topics.yaml").read_text(encoding="utf-8"))
    except (OSError, YamlSyntaxError):
        topics = None
    for topic in topics or []:
        if isinstance(topic, dict) and isinstance(topic.get("id"), str):
            paras = topic.get("paras")
            paras = paras if isinstance(paras, list) else [paras]
            topic_paras[topic["id"]] = tuple(p for p in paras if isinstance(p, int))
    if not topic_paras:
        raise DraftError("topics.yaml has no topics to file the facts under; add one first")
    existing_ids: set[str] = set(topic_paras)
    existing_answers: list[tuple[int, str]] = []
    for name in ("facts.yaml", "arguments.yaml"):
        try:
            data = load_yaml((folder / name).read_text(encoding="utf-8"))
        except (OSError, YamlSyntaxError):
            continue
        records = data if isinstance(data, list) else []
        if isinstance(data, dict):
            records = [data.get("thesis") or {}, *(data.get("claims") or [])]
        for rec in records:
            if not isinstance(rec, dict):
                continue
            if isinstance(rec.get("id"), str):
                existing_ids.add(rec["id"])
            text = rec.get("text")
            if name == "facts.yaml" and isinstance(text, str) and isinstance(rec.get("para"), int):
                for m in re.finditer(r"\{\{(.*?)\}\}", text):
                    for answer in m.group(1).split("|"):
                        existing_answers.append((rec["para"], answer))
    return draft_essay(
        essay, topic_paras, existing_ids=existing_ids, existing_answers=existing_answers
    )


def _q(value: str) -> str:
    return yaml.safe_dump(value, allow_unicode=True, default_style='"', width=1_000_000).strip()


def _record_lines(record: dict[str, Any]) -> list[str]:
    lines = []
    for i, (key, value) in enumerate(record.items()):
        prefix = "- " if i == 0 else "  "
        if isinstance(value, list):
            rendered = "[" + ", ".join(_q(str(v)) for v in value) + "]"
        elif isinstance(value, int):
            rendered = str(value)
        elif key in {"id", "topic", "kind", "stance"}:
            rendered = value
        else:
            rendered = _q(value)
        lines.append(f"{prefix}{key}: {rendered}")
    return lines


def draft_yaml(draft: Draft) -> str:
    out = [
        f"# Candidate facts for '{draft.slug}', most important first ({len(draft.facts)}).",
        "# Each is a facts.yaml entry: keep, edit or delete, then paste the ones you keep into",
        "# facts.yaml and run 'quizapp content check'. Check every answer's kind and",
        "# distractors; add a 'question:' to get short-answer items.",
        "",
    ]
    for rank, fact in enumerate(draft.facts, start=1):
        out.append(f"# {rank}. score {fact.score:.2f}")
        out += _record_lines(fact.record())
        out.append("")
    if draft.claims:
        out += [
            f"# Claim candidates ({len(draft.claims)}): sentences that argue. Build arguments.yaml",
            "# claims from them (your own wording in 'text', the reasons the author gives);",
            "# they are comments here so that this file stays a valid facts.yaml.",
            "#",
        ]
        for claim in draft.claims:
            out.append(f"# markers: {', '.join(claim.markers)}")
            out += ["# " + line for line in _record_lines(claim.record())]
            out.append("#")
    return "\n".join(out).rstrip("#\n") + "\n"


def draft_json(draft: Draft) -> str:
    entries: list[dict[str, Any]] = []
    for fact in draft.facts:
        entries.append({"candidate": "fact", **fact.record(), "score": fact.score})
    for claim in draft.claims:
        entries.append(
            {
                "candidate": "claim",
                **claim.record(),
                "markers": list(claim.markers),
                "score": claim.score,
            }
        )
    return json.dumps(entries, ensure_ascii=False, indent=2) + "\n"
