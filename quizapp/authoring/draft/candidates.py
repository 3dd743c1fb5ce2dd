"""Candidate facts and claims: the quote clipped, one answer blanked, distractors drawn from the
essay, ranked by importance.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from ...bank.dates import parse_date
from ...bank.guidance import article_for
from ...bank.model import Essay
from ...bank.sentences import sentences
from ...bank.text import cloze_markup_error, normalize_answer, quote_in, slugify
from ..lexicon import DEPENDENT_OPENERS, METONYMS, STOPWORDS
from .answers import (
    Span,
    _key_words,
    build_index,
    date_spans,
    name_spans,
    number_spans,
    term_span,
    words_to_number,
)

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
