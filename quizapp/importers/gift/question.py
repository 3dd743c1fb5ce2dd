"""One GIFT question taken apart: its type, texts, answers and feedback."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from quizapp.bank.text import BLANK
from quizapp.exports.giftformat import ARROW
from quizapp.exports.giftformat import one_line as _one_line

from .text import _TRUE_FALSE, _WEIGHT, _clean, _number, _restore, _strip_format


class _Problem(Exception):
    def __init__(self, message: str, fix: str) -> None:
        super().__init__(message)
        self.message = message
        self.fix = fix


@dataclass
class _Parsed:
    """One question taken apart: texts are restored, answers still to be turned into facts."""

    type: str
    title: str | None
    before: str  # question text before the answer block (newlines kept)
    after: str  # question text after it: not blank only in the missing-word form
    feedback: str
    right: list[str]
    wrong: list[str]
    pairs: list[tuple[str, str]]
    note: str | None = None
    several: bool = False  # a multiple-answer choice: each right choice is a blank of its own

    @property
    def missing_word(self) -> bool:
        return bool(self.after.strip())

    @property
    def text(self) -> str:
        """The question text as Moodle shows it: '_____' where missing-word answers go."""
        if self.missing_word:
            return (self.before + BLANK + self.after).strip()
        return self.before.strip()


def _parse_choices(answers: str, fmt: str | None) -> tuple[list[str], list[str], bool]:
    """Right and wrong choices, and whether it is a multiple-answer question."""
    multi = "=" not in answers
    pieces = answers.replace("=", "~=").split("~")
    if not pieces[0].strip():
        pieces = pieces[1:]
    if len(pieces) < 2:
        raise _Problem(
            "a multiple-choice question needs at least 2 choices",
            "add choices, e.g. '{=right ~wrong ~wrong}'",
        )
    right, wrong = [], []
    for piece in pieces:
        piece = piece.strip()
        weight = 0.0
        if piece.startswith("="):
            weight, piece = 100.0, piece[1:].lstrip()
            m = _WEIGHT.match(piece)
            if m:
                weight, piece = float(m.group(1)), piece[m.end() :]
        elif m := _WEIGHT.match(piece):
            weight, piece = float(m.group(1)), piece[m.end() :]
        choice = _clean(piece.split("#", 1)[0], fmt)
        if not choice:
            raise _Problem("a choice is empty", "write the choice's text after each '=' or '~'")
        if weight >= 100 or (multi and weight > 0):
            right.append(choice)
        elif weight <= 0:
            wrong.append(choice)
    if not right:
        raise _Problem(
            "no choice is marked right",
            "mark the right choice with '=' (or give the right choices weights like '~%50%')",
        )
    return right, wrong, multi


def _parse_short(answers: str, fmt: str | None) -> list[str]:
    pieces = answers.split("=")
    if not pieces[0].strip():
        pieces = pieces[1:]
    full = []
    for piece in pieces:
        piece = piece.strip()
        weight = 100.0
        if m := _WEIGHT.match(piece):
            weight, piece = float(m.group(1)), piece[m.end() :]
        answer = _clean(piece.split("#", 1)[0], fmt)
        if not answer:
            raise _Problem("an answer is empty", "write the answer's text after each '='")
        if weight >= 100:
            full.append(answer)
    if not full:
        raise _Problem("no answer gets full credit", "mark at least one answer as '=answer' (100%)")
    return full


def _decimal(text: str) -> Decimal:
    try:
        value = Decimal(text.strip())
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite():
        raise _Problem(
            f"'{text.strip()}' is not a number",
            "write numbers like '{#1822}', '{#1822:5}' or '{#1820..1824}'",
        )
    return value


def _numeric_values(answer: str) -> tuple[list[str], str | None]:
    """Accepted values for one numerical answer (shown one first), and a note if inexact."""
    answer = answer.strip()
    if answer.find("..") > 0:
        low_text, high_text = answer.split("..", 1)
        low, high = _decimal(low_text), _decimal(high_text)
        if low > high:
            raise _Problem(
                f"the range {answer} runs backwards", "write the smaller number first: 'min..max'"
            )
        middle = (low + high) / 2
    elif answer.find(":") > 0:
        value_text, tolerance_text = answer.split(":", 1)
        middle, tolerance = _decimal(value_text), abs(_decimal(tolerance_text))
        low, high = middle - tolerance, middle + tolerance
    else:
        middle = low = high = _decimal(answer)
    if low == high:
        return [_number(middle)], None
    integral = all(v == v.to_integral_value() for v in (low, high))
    if integral and high - low <= 20:
        values = [Decimal(v) for v in range(int(low), int(high) + 1)]
        values.sort(key=lambda v: (abs(v - middle), v))
        return [_number(v) for v in values], None
    return [_number(middle)], f"Any answer from {_number(low)} to {_number(high)} is accepted."


def _parse_numerical(answers: str) -> tuple[list[str], str | None]:
    answers = answers[1:]  # the leading '#'
    if "~" in answers:  # feedback for wrong answers
        answers = answers[: answers.index("~")]
    pieces = answers.split("=")
    if not pieces[0].strip():
        pieces = pieces[1:]
    if not pieces:
        raise _Problem("the numerical question has no answer", "write it like '{#1822}'")
    values: list[str] = []
    notes: list[str] = []
    for piece in pieces:
        piece = piece.strip()
        weight = 100.0
        if m := _WEIGHT.match(piece):
            weight, piece = float(m.group(1)), piece[m.end() :]
        accepted, note = _numeric_values(_restore(piece.split("#", 1)[0]))
        if weight >= 100:
            values += [v for v in accepted if v not in values]
            notes += [note] if note else []
    if not values:
        raise _Problem("no answer gets full credit", "mark at least one answer as '=1822' (100%)")
    return values, " ".join(notes) or None


def _parse_matching(answers: str, fmt: str | None) -> tuple[list[tuple[str, str]], list[str]]:
    pairs, extras = [], []
    for piece in answers.split("="):
        piece = piece.strip()
        if not piece:
            continue
        if ARROW not in piece:
            raise _Problem(
                f"the matching pair '{_clean(piece, fmt)}' has no '{ARROW}'",
                "write each pair as '=statement -> answer'",
            )
        left, right = piece.split(ARROW, 1)
        statement, answer = _clean(left, fmt), _clean(right, fmt)
        if not answer:
            raise _Problem(
                f"the matching pair '{statement}' has no answer after '{ARROW}'",
                "write each pair as '=statement -> answer'",
            )
        if statement:
            pairs.append((statement, answer))
        else:
            extras.append(answer)
    if len(pairs) < 2:
        raise _Problem(
            "a matching question needs at least 2 pairs",
            "add pairs like '=statement -> answer'",
        )
    return pairs, extras


def _parse_question(text: str) -> _Parsed:
    """Take one (protected) question apart, as Moodle's GIFT reader does."""
    title = None
    if text.startswith("::"):
        end = text.find("::", 2)
        if end < 0:
            raise _Problem(
                "the question title is not closed", "write the title as '::title::' before the text"
            )
        title = _one_line(_restore(text[2:end])) or None
        text = text[end + 2 :].strip()
    text, fmt = _strip_format(text)
    start, finish = text.find("{"), text.find("}")
    if start < 0 and finish < 0:
        raise _Problem(
            "no answers in braces: a description, not a question",
            "add the answers, e.g. 'Question text {=answer}', or turn the lines into '//' comments",
        )
    if finish < 0:
        raise _Problem(
            "'{' is never closed", "end the answers with '}', or write a literal brace as '\\{'"
        )
    if start < 0 or finish < start:
        raise _Problem(
            "'}' without an opening '{'",
            "start the answers with '{', or write a literal brace as '\\}'",
        )
    if "{" in text[start + 1 : finish]:
        raise _Problem(
            "a second '{' before the answers are closed",
            "close the answers with '}' first, or write a literal brace as '\\{'",
        )
    before, answers, after = text[:start], text[start + 1 : finish].strip(), text[finish + 1 :]
    if "{" in after or "}" in after:
        raise _Problem(
            "more than one answer block",
            "give the question a single '{...}'; write literal braces as '\\{' and '\\}'",
        )
    feedback = ""
    if (gf := answers.rfind("####")) >= 0:
        feedback, answers = answers[gf + 4 :], answers[:gf].strip()
    parsed = _Parsed(
        type="",
        title=title,
        before=_restore(before, fmt),
        after=_restore(after, fmt),
        feedback=_one_line(_restore(feedback, fmt)),
        right=[],
        wrong=[],
        pairs=[],
    )
    if not parsed.text.replace(BLANK, ""):
        raise _Problem(
            "the question has no text",
            "write the question before the answers: 'Question? {=answer}'",
        )
    if not answers:
        raise _Problem(
            "an essay question '{}' has no answer to check",
            "write the answers in the braces, e.g. '{=answer}', or remove the question",
        )
    if answers.startswith("#"):
        parsed.type = "numerical"
        parsed.right, parsed.note = _parse_numerical(answers)
    elif "~" in answers:
        parsed.type = "multichoice"
        parsed.right, parsed.wrong, parsed.several = _parse_choices(answers, fmt)
    elif "=" in answers and ARROW in answers:
        parsed.type = "matching"
        parsed.pairs, parsed.wrong = _parse_matching(answers, fmt)
    elif answers.split("#", 1)[0].strip() in _TRUE_FALSE:
        parsed.type = "truefalse"
        parsed.right = ["true" if _TRUE_FALSE[answers.split("#", 1)[0].strip()] else "false"]
    else:
        parsed.type = "shortanswer"
        parsed.right = _parse_short(answers, fmt)
    return parsed
