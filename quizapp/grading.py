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

Typed answers are matched by the rules of ``typed_answers`` (each a pure function): accepted
alternatives, case/accents/punctuation, typos (fuzzy blanks only: names, places, terms), the
plural, numbers as digits or words, an allowed frame ("Article 5", "in 2003", "the
Europeans"), one qualifier word from the item's own quote or explanation ("North Caucasus"),
and lists in any order ("Iran and China"). Exact blanks (years, dates, numbers) never take a
typo, a plural or a qualifier: "2004" is not "2003". A blank is graded against its own
accepted answers, except that blanks the prompt joins into one list ("_____ and _____") take
their answers in any order (each blank once). ``Grade.rules`` says, per blank, which rules
accepted the answer, and ``Grade.notes`` says it in plain words for the review page.

Typos: with as many words, each word within its allowed edits: words of 1-4 letters must be
exact ("Iran" ≠ "Iraq"), 5-9 letters allow one edit ("Lavrof" = "Lavrov"), 10+ letters two
("Kazakstan" = "Kazakhstan"); a word with a digit, or a number word, must be exact ("three"
≠ "there"); or the same letters spaced otherwise ("Guten berg"). An edit is one inserted,
deleted or replaced letter, or two swapped neighbours (optimal string alignment distance,
from rapidfuzz). Word-by-word edit counts are used rather than a whole-string ``fuzz.ratio``
threshold: a ratio of 85 rejects a one-letter slip in a six-letter name ("Lavrof": 83) yet
accepts "East Germany" for "West Germany" (92).

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
from fractions import Fraction
from typing import Any, ClassVar, TypeAlias

from . import marks
from .bank.model import Item
from .bank.text import BLANK
from .bank.types import REGISTRY
from .typed_answers import Match, blank_groups, grade_blanks, match_answer, note_for

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
    # Typed items: per part, the rules that accepted it (("exact",), ("any order", "typo"), ...;
    # () when not accepted); () for the other types. Not part of equality: a grade is its score.
    rules: tuple[tuple[str, ...], ...] = field(default=(), compare=False)
    # The points exactly (marks are summed, then rounded once, from it); not compared.
    exact: Fraction = field(default=Fraction(0), compare=False)

    @property
    def fraction(self) -> float:
        return self.points / self.max_points if self.max_points else 0.0

    @property
    def notes(self) -> tuple[str | None, ...]:
        """Per part, plain words for an accepted answer that was not exact, else None."""
        return tuple(note_for(names) for names in self.rules)


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


def answer_matches(
    given: str,
    accepted: Sequence[str],
    mode: str = "fuzzy",
    context: Sequence[str] = (),
    question: str = "",
) -> bool:
    """Whether a typed answer matches one of a blank's accepted answers (``mode``: exact/fuzzy).

    ``context``: the item's own texts (quote, explanation) for the qualifier rule; ``question``:
    the item's prompt, whose words may frame the answer; see ``typed_answers`` for every rule
    and ``match_answer`` for which one accepted.
    """
    given = _text(given)
    found = match_answer(given, accepted, mode, context, question=question)
    return bool(given) and found is not None


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
    def correct_response(cls, item: Item) -> Response:
        """A response that earns full marks."""

    @classmethod
    @abstractmethod
    def score(cls, item: Item, response: Response) -> tuple[float, tuple[bool, ...]]:
        """Raw points (before clamping and rounding) and per-part verdicts."""

    @classmethod
    def accepted_by(cls, item: Item, response: Response) -> tuple[tuple[str, ...], ...]:
        """Per part, the rules that accepted it (typed items); () for the other types."""
        return ()

    @classmethod
    def score_and_rules(
        cls, item: Item, response: Response
    ) -> tuple[float, tuple[bool, ...], tuple[tuple[str, ...], ...]]:
        """``score`` and ``accepted_by`` at once."""
        return (*cls.score(item, response), cls.accepted_by(item, response))


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
    def correct_response(cls, item: Item) -> ChoiceResponse:
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
    def correct_response(cls, item: Item) -> ChoiceResponse:
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


def _context(item: Item) -> tuple[str, ...]:
    """The item's own texts, whose words may qualify a typed answer ("North Caucasus")."""
    return (*(s.quote for s in item.sources if s.quote), item.explanation)


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
    def correct_response(cls, item: Item) -> TypedResponse:
        return tuple(answers[0] if answers else "" for answers in _accepted(item))

    @classmethod
    def matches(cls, item: Item, response: Response) -> tuple[Match | None, ...]:
        """Each typed answer's match (see ``typed_answers``): blanks that form one list in the
        prompt ("_____ and _____") take their answers in any order."""
        blanks = _accepted(item)
        modes = list(item.match) + ["fuzzy"] * len(blanks)
        given = [g if isinstance(g, str) else "" for g in response]
        groups = blank_groups(item.prompt, len(blanks)) if BLANK in item.prompt else None
        return grade_blanks(
            [_text(g) for g in given],
            blanks,
            modes[: len(blanks)],
            groups or [[i] for i in range(len(blanks))],
            _context(item),
            question=item.prompt,
        )

    @classmethod
    def score(cls, item: Item, response: Response) -> tuple[float, tuple[bool, ...]]:
        points, parts, _ = cls.score_and_rules(item, response)
        return points, parts

    @classmethod
    def accepted_by(cls, item: Item, response: Response) -> tuple[tuple[str, ...], ...]:
        return cls.score_and_rules(item, response)[2]

    @classmethod
    def score_and_rules(
        cls, item: Item, response: Response
    ) -> tuple[float, tuple[bool, ...], tuple[tuple[str, ...], ...]]:
        blanks = _accepted(item)
        matches = cls.matches(item, response)
        parts = tuple(m is not None for m in matches)
        points = math.fsum(1 / len(blanks) for ok in parts if ok) if blanks else 0.0
        return points, parts, tuple(m.names if m else () for m in matches)


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
    def correct_response(cls, item: Item) -> SlotResponse:
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


# Graders by family; each item type names its family where it is registered.
FAMILIES: dict[str, type[Grader]] = {
    g.family: g for g in (ChoiceOne, ChoiceMany, Typed, Ordering, Matching)
}
GRADERS: dict[str, type[Grader]] = {name: FAMILIES[t.family] for name, t in REGISTRY.items()}


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
    return grader_for(item.type).correct_response(item)


def parse_form(item: Item, form: FormData) -> Response:
    """The response submitted in the HTML form fields ``form``; garbage counts as no answer."""
    return grader_for(item.type).parse(item, form)


def grade(item: Item, response: Response) -> Grade:
    """Score ``response`` (any shape: it is coerced first) against ``item``."""
    grader = grader_for(item.type)
    coerced = grader.coerce(item, response)
    raw, parts, rules = grader.score_and_rules(item, coerced)
    points = round(min(max(raw, 0.0), 1.0) * item.max_points, DECIMALS)
    exact = marks.from_float(min(max(raw, 0.0), 1.0)) * marks.from_float(item.max_points)
    return Grade(
        points=points,
        max_points=item.max_points,
        correct=points == item.max_points,
        parts=parts,
        rules=rules,
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
