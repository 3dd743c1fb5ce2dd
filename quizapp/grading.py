"""Scoring answers to quiz items: pure functions, no Flask, no database.

Every item is worth ``max_points = 1.0``; points are rounded to 4 decimals, and an answer is
*correct* when it earns every point. ``Grade.parts`` holds one verdict per part, for feedback.

| Item types                            | Points                                              |
|---------------------------------------|-----------------------------------------------------|
| single, true_false, reason, stance    | 1 if the selected option is right, else 0 (none: 0) |
| multiple, reasons_multiple            | +1/k per right option selected, -1/(n-k) per wrong  |
|                                       | one selected; clamped to [0, 1] (all selected: 0)   |
| cloze, short_answer                   | 1/b per blank whose text is accepted (empty: wrong) |
| ordering                              | 1/n per position holding the right option           |
| matching, evidence_matching           | 1/n per prompt matched to its right option          |

(k right options out of n; b blanks; n positions or prompts.) ``parts`` is per option for the
choice types (True when the option was selected if and only if it is right), per blank for
typed items, per position for ordering and per prompt for matching.

Typed answers are compared after ``normalize_answer`` (case, accents, punctuation, a leading
article: "the Kremlin" = "Kremlin", "São Paulo" = "sao paulo"). Each blank is graded against
its own accepted answers only.

| Blank              | Accepted when                                                   |
|--------------------|-----------------------------------------------------------------|
| exact (years,      | the normalized text equals an accepted answer, or both read as  |
| dates, numbers)    | the same number: "2,003" = "2003", "1 000" = "1000", "2.50" =   |
|                    | "2.5"; "2004" ≠ "2003"; "two hundred" = "200" only if listed    |
| fuzzy (names,      | as exact; or equal without spaces ("Guten berg"); or, with as   |
| places, terms)     | many words, each word within its allowed edits: words of 1-4    |
|                    | letters must be exact ("Iran" ≠ "Iraq"), 5-9 letters allow one  |
|                    | edit ("Lavrof" = "Lavrov", "Puton" = "Putin"), 10+ letters two  |
|                    | ("Kazakstan" = "Kazakhstan"); a word with a digit must be exact |

An edit is one inserted, deleted or replaced letter, or two swapped neighbours (optimal string
alignment distance, from rapidfuzz). Word-by-word edit counts are used rather than a
whole-string ``fuzz.ratio`` threshold: a ratio of 85 rejects a one-letter slip in a six-letter
name ("Lavrof": 83) yet accepts "East Germany" for "West Germany" (92).

Form fields (the web layer uses exactly these names): ``choice`` (one option index, repeated
for the select-many types), ``blank-0``, ``blank-1``... (typed items), ``pos-0``... (ordering:
the option index at each position), ``match-0``... (matching: the option index for each
prompt). Anything missing, malformed, out of range, ambiguous (two values for a one-value
field), longer than ``MAX_ANSWER_CHARS`` or holding a NUL byte counts as no answer for that
part: ``parse_form`` never raises.
"""

from __future__ import annotations

import json
import math
import re
from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any, ClassVar, TypeAlias

from rapidfuzz.distance import OSA

from . import marks
from .bank.model import Item
from .bank.text import normalize_answer

ChoiceResponse: TypeAlias = tuple[int, ...]
TypedResponse: TypeAlias = tuple[str, ...]
SlotResponse: TypeAlias = tuple[int | None, ...]
Response: TypeAlias = ChoiceResponse | TypedResponse | SlotResponse
FormData: TypeAlias = Mapping[str, str | list[str]]

DECIMALS = 4
MAX_ANSWER_CHARS = 300
MATCH_MODES = ("exact", "fuzzy")


@dataclass(frozen=True)
class Grade:
    points: float
    max_points: float
    correct: bool
    parts: tuple[bool, ...]
    # The points exactly (marks are summed, then rounded once, from it); not compared.
    exact: Fraction = field(default=Fraction(0), compare=False)

    @property
    def fraction(self) -> float:
        return self.points / self.max_points if self.max_points else 0.0


# --- reading raw values ------------------------------------------------------------------

_INDEX = re.compile(r"[0-9]{1,6}")


def _index(value: object, n: int) -> int | None:
    """An option index in ``range(n)``, from an int or a string of ASCII digits; else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        i = value
    elif isinstance(value, str) and _INDEX.fullmatch(value.strip()):
        i = int(value.strip())
    else:
        return None
    return i if 0 <= i < n else None


def _text(value: object) -> str:
    """A typed answer, stripped; "" for anything that is not a sane string."""
    if not isinstance(value, str) or "\x00" in value or len(value) > MAX_ANSWER_CHARS:
        return ""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates: not storable, not typeable
        return ""
    return value.strip()


def _values(form: FormData, key: str) -> list[object]:
    """Every value submitted under ``key``: a werkzeug MultiDict or a plain mapping."""
    getlist = getattr(form, "getlist", None)
    if callable(getlist):
        return list(getlist(key))
    raw = form.get(key)
    if raw is None:
        return []
    if isinstance(raw, list | tuple):
        return list(raw)
    return [raw]


def _one(form: FormData, key: str) -> object:
    """The single value under ``key``; None when absent or ambiguous (several values)."""
    values = _values(form, key)
    return values[0] if len(values) == 1 else None


def _seq(data: object) -> list[object]:
    return list(data) if isinstance(data, list | tuple) else []


def _fit(values: list[object], n: int) -> list[object]:
    """Exactly ``n`` values: truncated, or padded with None."""
    return (values + [None] * n)[:n]


# --- typed answers -----------------------------------------------------------------------

_NUMBER = re.compile(r"[+-]?(?:[0-9]{1,3}(?:[, \u00a0\u202f\u2009][0-9]{3})+|[0-9]+)(?:\.[0-9]+)?")
_SEPARATORS = re.compile(r"[, \u00a0\u202f\u2009]")


def _number(text: str) -> Decimal | None:
    text = text.strip()
    if not _NUMBER.fullmatch(text):
        return None
    try:
        return Decimal(_SEPARATORS.sub("", text))
    except InvalidOperation:  # pragma: no cover - the pattern only admits valid numbers
        return None


def _edits_allowed(word: str) -> int:
    if len(word) <= 4:
        return 0
    return 1 if len(word) <= 9 else 2


def _word_close(given: str, accepted: str) -> bool:
    if given == accepted:
        return True
    if any(ch.isdigit() for ch in given + accepted):
        return False
    allowed = _edits_allowed(accepted)
    return allowed > 0 and OSA.distance(given, accepted, score_cutoff=allowed) <= allowed


def _matches_one(given: str, accepted: str, mode: str) -> bool:
    g, a = normalize_answer(given), normalize_answer(accepted)
    if not g or not a:
        return False
    if g == a:
        return True
    number_g, number_a = _number(given), _number(accepted)
    if number_g is not None and number_a is not None:
        return number_g == number_a
    if mode == "exact":
        return False
    if g.replace(" ", "") == a.replace(" ", ""):
        return True
    words_g, words_a = g.split(), a.split()
    return len(words_g) == len(words_a) and all(
        _word_close(wg, wa) for wg, wa in zip(words_g, words_a, strict=True)
    )


def answer_matches(given: str, accepted: Sequence[str], mode: str = "fuzzy") -> bool:
    """Whether a typed answer matches one of a blank's accepted answers (``mode``: exact/fuzzy)."""
    given = _text(given)
    return bool(given) and any(_matches_one(given, a, mode) for a in accepted if isinstance(a, str))


# --- the graders -------------------------------------------------------------------------


class Grader(ABC):
    """How one family of item types is answered, read from a form, and scored."""

    family: ClassVar[str]

    @classmethod
    @abstractmethod
    def empty(cls, item: Item) -> Response:
        """The response of a student who answered nothing."""

    @classmethod
    @abstractmethod
    def parse(cls, item: Item, form: FormData) -> Response:
        """The response submitted in ``form``; never raises."""

    @classmethod
    @abstractmethod
    def coerce(cls, item: Item, data: object) -> Response:
        """A well-formed response from anything (e.g. a stored JSON value); never raises."""

    @classmethod
    @abstractmethod
    def key(cls, item: Item) -> Response:
        """A response that earns full marks."""

    @classmethod
    @abstractmethod
    def score(cls, item: Item, response: Response) -> tuple[float, tuple[bool, ...]]:
        """Raw points (before clamping and rounding) and per-part verdicts."""


class ChoiceOne(Grader):
    family = "choice_one"

    @classmethod
    def empty(cls, item: Item) -> ChoiceResponse:
        return ()

    @classmethod
    def parse(cls, item: Item, form: FormData) -> ChoiceResponse:
        return cls.coerce(item, _values(form, "choice"))

    @classmethod
    def coerce(cls, item: Item, data: object) -> ChoiceResponse:
        picked = {_index(v, len(item.options)) for v in _seq(data)}
        return (picked.pop(),) if len(picked) == 1 and None not in picked else ()

    @classmethod
    def key(cls, item: Item) -> ChoiceResponse:
        return (item.answer,)

    @classmethod
    def score(cls, item: Item, response: Response) -> tuple[float, tuple[bool, ...]]:
        chosen = set(response)
        parts = tuple((i in chosen) == (i == item.answer) for i in range(len(item.options)))
        return (1.0 if response == (item.answer,) else 0.0), parts


class ChoiceMany(ChoiceOne):
    """Like ChoiceOne (same empty response, same form field), but any number of options."""

    family = "choice_many"

    @classmethod
    def coerce(cls, item: Item, data: object) -> ChoiceResponse:
        picked = {_index(v, len(item.options)) for v in _seq(data)}
        return tuple(sorted(i for i in picked if i is not None))

    @classmethod
    def key(cls, item: Item) -> ChoiceResponse:
        return tuple(sorted(item.answer))

    @classmethod
    def score(cls, item: Item, response: Response) -> tuple[float, tuple[bool, ...]]:
        n = len(item.options)
        right = set(item.answer)
        chosen = set(response)
        k, wrong = len(right), n - len(right)
        if k:
            gain = len(chosen & right) / k
            loss = len(chosen - right) / wrong if wrong else 0.0
            points = gain - loss
        else:  # a degenerate item with no right option: right only when left blank
            points = 0.0 if chosen else 1.0
        parts = tuple((i in chosen) == (i in right) for i in range(n))
        return points, parts


def _accepted(item: Item) -> list[list[str]]:
    blanks = item.answer if isinstance(item.answer, list | tuple) else []
    return [
        [b] if isinstance(b, str) else [a for a in _seq(b) if isinstance(a, str)] for b in blanks
    ]


class Typed(Grader):
    family = "typed"

    @classmethod
    def empty(cls, item: Item) -> TypedResponse:
        return ("",) * len(_accepted(item))

    @classmethod
    def parse(cls, item: Item, form: FormData) -> TypedResponse:
        return tuple(_text(_one(form, f"blank-{i}")) for i in range(len(_accepted(item))))

    @classmethod
    def coerce(cls, item: Item, data: object) -> TypedResponse:
        return tuple(_text(v) for v in _fit(_seq(data), len(_accepted(item))))

    @classmethod
    def key(cls, item: Item) -> TypedResponse:
        return tuple(answers[0] if answers else "" for answers in _accepted(item))

    @classmethod
    def score(cls, item: Item, response: Response) -> tuple[float, tuple[bool, ...]]:
        blanks = _accepted(item)
        modes = list(item.match) + ["fuzzy"] * len(blanks)
        parts = tuple(
            isinstance(given, str) and answer_matches(given, accepted, modes[i])
            for i, (given, accepted) in enumerate(zip(response, blanks, strict=True))
        )
        return (math.fsum(1 / len(blanks) for ok in parts if ok) if blanks else 0.0), parts


class Slots(Grader):
    """An option index per slot: per position (ordering) or per prompt (matching)."""

    family = "slots"
    prefix: ClassVar[str]

    @classmethod
    def _size(cls, item: Item) -> int:
        return len(_seq(item.answer))

    @classmethod
    def empty(cls, item: Item) -> SlotResponse:
        return (None,) * cls._size(item)

    @classmethod
    def parse(cls, item: Item, form: FormData) -> SlotResponse:
        n = len(item.options)
        return tuple(_index(_one(form, f"{cls.prefix}-{i}"), n) for i in range(cls._size(item)))

    @classmethod
    def coerce(cls, item: Item, data: object) -> SlotResponse:
        n = len(item.options)
        return tuple(_index(v, n) for v in _fit(_seq(data), cls._size(item)))

    @classmethod
    def key(cls, item: Item) -> SlotResponse:
        return tuple(item.answer)

    @classmethod
    def score(cls, item: Item, response: Response) -> tuple[float, tuple[bool, ...]]:
        answer = _seq(item.answer)
        parts = tuple(
            given is not None and given == right
            for given, right in zip(response, answer, strict=True)
        )
        return (math.fsum(1 / len(answer) for ok in parts if ok) if answer else 0.0), parts


class Ordering(Slots):
    family = "ordering"
    prefix = "pos"


class Matching(Slots):
    family = "matching"
    prefix = "match"


GRADERS: dict[str, type[Grader]] = {
    "single": ChoiceOne,
    "true_false": ChoiceOne,
    "reason": ChoiceOne,
    "stance": ChoiceOne,
    "multiple": ChoiceMany,
    "reasons_multiple": ChoiceMany,
    "cloze": Typed,
    "short_answer": Typed,
    "ordering": Ordering,
    "matching": Matching,
    "evidence_matching": Matching,
}


def grader_for(item_type: str) -> type[Grader]:
    try:
        return GRADERS[item_type]
    except KeyError:
        raise ValueError(f"no grader for item type {item_type!r}") from None


# --- the public API ----------------------------------------------------------------------


def empty_response(item: Item) -> Response:
    """What "no answer" looks like for ``item``."""
    return grader_for(item.type).empty(item)


def correct_response(item: Item) -> Response:
    """A response earning full marks (typed items: each blank's first accepted answer)."""
    return grader_for(item.type).key(item)


def parse_form(item: Item, form: FormData) -> Response:
    """The response submitted in the HTML form fields ``form``; garbage counts as no answer."""
    return grader_for(item.type).parse(item, form)


def grade(item: Item, response: Response) -> Grade:
    """Score ``response`` (any shape: it is coerced first) against ``item``."""
    grader = grader_for(item.type)
    raw, parts = grader.score(item, grader.coerce(item, response))
    points = round(min(max(raw, 0.0), 1.0) * item.max_points, DECIMALS)
    exact = marks.from_float(min(max(raw, 0.0), 1.0)) * marks.from_float(item.max_points)
    return Grade(
        points=points,
        max_points=item.max_points,
        correct=points == item.max_points,
        parts=parts,
        exact=exact,
    )


def to_json(response: Response) -> list[int | str | None]:
    """A JSON-ready value for a response (a list), for a JSON column."""
    return list(response)


def from_json(item: Item, data: Any) -> Response:
    """A response read back from ``to_json`` output, or from a JSON text of it; never raises."""
    if isinstance(data, str | bytes):
        try:
            data = json.loads(data)
        except (ValueError, RecursionError):
            data = None
    return grader_for(item.type).coerce(item, data)


__all__ = [
    "GRADERS",
    "MAX_ANSWER_CHARS",
    "FormData",
    "Grade",
    "Grader",
    "Response",
    "answer_matches",
    "correct_response",
    "empty_response",
    "from_json",
    "grade",
    "grader_for",
    "parse_form",
    "to_json",
]
