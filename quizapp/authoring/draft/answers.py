"""The answers a sentence offers: dates, numbers, names (classified against the essay) and terms."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from ...bank.dates import parse_date
from ...bank.model import Essay
from ..lexicon import (
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
