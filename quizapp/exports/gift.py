"""Moodle GIFT: export the question bank, import GIFT questions as a content folder.

Export — :func:`bank_to_gift` writes one essay's bank as GIFT text that Moodle imports as it
is (*Question bank → Import → GIFT format*). Every item gets its id as title (``::id::``)
and lands in the category ``$course$/Essay Study/<essay title>/<topic title>`` (items that
span several topics in ``$course$/Essay Study/<essay title>``). The general feedback
(``####``) carries the item's explanation and its source, ``(¶N: “quote”)``. Types:

- ``single``, ``reason``, ``stance``: multiple choice, ``{=right ~wrong ~wrong}``;
- ``multiple``, ``reasons_multiple``: multiple answer: the right options share +100% and the
  wrong ones -100%, equally, in weights from Moodle's list of grades (50, 33.33333, 25, 20,
  16.66667, ...); an item whose right options cannot share 100% equally that way (11 or
  more) is skipped;
- ``true_false``: ``{T}`` or ``{F}``;
- ``short_answer``: short answer, ``{=answer =alternative}``;
- ``cloze``: short answer too. GIFT has one blank per question, so a cloze item with several
  blanks becomes one short-answer question per blank, the other blanks filled in; their
  titles are ``<item id>:blank-<n>``;
- ``matching``, ``evidence_matching``: matching, ``{=statement -> answer ...}`` (Moodle wants
  at least 3 pairs; an item with fewer is skipped);
- ``ordering``: skipped: GIFT has no ordering question. Skipped items are listed in a
  comment at the top of the file.

Text is escaped (``\\ ~ = # { } :`` get a backslash, newlines become ``\\n``). Two things
GIFT cannot escape are replaced: ``->`` by ``→`` in matching statements and short answers
(Moodle would read it as a matching pair). The output is deterministic.

Import — :func:`gift_to_content` reads multiple choice (single and multiple answer),
true/false, short answer, matching and numerical questions, with comments (``//``), titles,
``$CATEGORY:`` lines, escapes, per-answer and general feedback, ``[html]``-style format
markers and the "missing word" form (answers in the middle of the sentence). Essay
questions (``{}``), descriptions (no braces), broken braces, missing answers and bad
numbers become :class:`GiftError` (``file:line: what is wrong; what to write instead``, the
line being the question's first line); all are collected and the good questions are still
imported. Our content is facts with cloze answers, so every question becomes a fact:

- the answers go where the question has its blank (``{...}`` in the middle of the sentence,
  or a ``_____`` in the text), else after the question text: ``Who built it? {{Gutenberg}}``;
  a question with its answer at the end (and no blank) also keeps its text as the fact's
  ``question``, which gives short-answer items;
- multiple choice: the right choice(s) are the answers, the wrong ones the distractors; a
  multiple-answer question (several right choices) gives a fact with one blank per right
  choice; partial-credit choices of a single-answer question are dropped;
- short answer: every full-credit answer is an accepted alternative, ``{{a|b}}``;
- numerical (kind ``number``): ``#value``, ``#value:tolerance`` and ``#min..max``; our numbers
  are graded exactly, so a whole-number range of at most 21 values is written as
  alternatives, and any other tolerance is only noted in the explanation;
- true/false: ``The statement “<statement>” is {{true}}.`` with the other value as distractor
  and ``True or false: <statement>`` as question. These facts get kind ``title``: a kind no
  other imported fact has, so the generator never offers "true" as a distractor of other
  facts, nor other facts' answers as a distractor of a true/false fact;
- matching: one fact per pair, in the same topic: ``<question> <statement> — {{answer}}``, or
  the statement with its blank filled when it has one; answers without a statement
  (``= -> extra``) become distractors;
- every other fact has kind ``term``.

Categories become topics (titled with the category's last part). Since an imported bank has
no essay, :func:`write_content` writes an ``essay.md`` with one numbered paragraph per
question — the statement its facts make — under one ``##`` heading per topic, and every fact
quotes its own paragraph verbatim, so the checker's guarantees hold. ``quizzes.yaml`` gets
one quiz per topic using only item types the topic's facts produce. Whitespace in facts is
collapsed to single spaces, and ``{``, ``}`` and ``|`` (cloze markup) become ``(``, ``)`` and
``/``.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml

from quizapp.bank import Bank, Item, build_bank
from quizapp.bank.loader import CONTENT_FILES, ID_RE
from quizapp.bank.model import Blank, Essay, EssayContent, Fact, Paragraph, Quiz, Topic
from quizapp.bank.text import BLANK, cloze_fill, cloze_parts, normalize_answer
from quizapp.bank.types import REGISTRY
from quizapp.exports.giftformat import (
    ARROW,
    gift_escape,
)
from quizapp.exports.giftformat import one_line as _one_line

__all__ = [
    "GiftError",
    "ImportedBank",
    "ImportedFact",
    "ImportedQuestion",
    "ImportedTopic",
    "bank_to_gift",
    "gift_escape",
    "gift_to_content",
    "write_content",
]

COURSE_CATEGORY = "$course$/Essay Study"
TRUE_FALSE_KIND = "title"  # see the module docstring: keeps true/false facts apart


def _category(*parts: str) -> str:
    """A category path; '/' inside a name is doubled, as Moodle reads it."""
    names = [_one_line(p).replace("\\", "\\\\").replace("/", "//") for p in parts]
    return "/".join([COURSE_CATEGORY, *names])


def _item_to_gift(item: Item) -> tuple[list[str], str | None]:
    """The GIFT questions for one item, or none and why it is skipped (its type says how)."""
    if item.type not in REGISTRY:
        return [], f"GIFT has no question type for '{item.type}' items"
    return REGISTRY[item.type].gift(item)


def bank_to_gift(bank: Bank) -> str:
    """The bank's items as GIFT text, one category per topic (see the module docstring)."""
    content = bank.content
    essay = content.essay
    topic_order = [t.id for t in content.topics]
    groups: dict[str | None, list[str]] = {None: [], **{t: [] for t in topic_order}}
    skipped: list[str] = []
    for item in bank.items:
        questions, why = _item_to_gift(item)
        if why is not None:
            skipped.append(f"// - {item.id} ({item.type}): {_one_line(why)}")
            continue
        key = item.topics[0] if len(item.topics) == 1 and item.topics[0] in groups else None
        groups[key] += questions

    header = [
        f"// Essay Study: “{_one_line(essay.title)}” by {_one_line(essay.author)} ({essay.year}),"
        f" essay '{essay.slug}'.",
        "// Moodle GIFT format: import it under Question bank > Import > GIFT format.",
    ]
    if skipped:
        header.append("// Items GIFT cannot express, not exported:")
        header += skipped
    blocks = ["\n".join(header)]
    for key in [None, *topic_order]:
        if not groups[key]:
            continue
        topic = content.topic(key) if key else None
        path = _category(essay.title, topic.title) if topic else _category(essay.title)
        blocks.append(f"$CATEGORY: {path}")
        blocks += groups[key]
    return "\n\n".join(blocks) + "\n"


# --- import: the data --------------------------------------------------------------------


@dataclass(frozen=True, order=True)
class GiftError:
    file: str
    line: int
    message: str
    fix: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}; {self.fix}"


@dataclass(frozen=True)
class ImportedTopic:
    id: str
    title: str
    category: str | None  # the $CATEGORY path; None for questions before any category


@dataclass(frozen=True)
class ImportedFact:
    id: str
    topic: str
    text: str  # with {{answer|alt}} markup
    kind: str
    quote: str  # the passage of the question's paragraph this fact states
    question: str | None = None
    distractors: tuple[str, ...] = ()
    explanation: str | None = None
    # The answers of one GIFT matching question share a role: they may be matched together.
    word_class: str | None = None

    @property
    def answers(self) -> tuple[str, ...]:
        """The first (shown) answer of each blank."""
        return tuple(parts[0] for parts in cloze_parts(self.text))


@dataclass(frozen=True)
class ImportedQuestion:
    line: int  # the question's first line in the GIFT input
    title: str | None
    type: str  # multichoice | truefalse | shortanswer | matching | numerical
    topic: str
    text: str  # the question text as Moodle shows it ("_____" where the answers go)
    paragraph: str  # the statement written to essay.md
    facts: tuple[ImportedFact, ...]


@dataclass(frozen=True)
class ImportedBank:
    source_name: str
    topics: tuple[ImportedTopic, ...]
    questions: tuple[ImportedQuestion, ...]

    @property
    def facts(self) -> tuple[ImportedFact, ...]:
        return tuple(f for q in self.questions for f in q.facts)


# --- import: escapes and small helpers ---------------------------------------------------

# Escaped characters become private-use placeholders while the question is taken apart,
# as Moodle does; _restore turns them back into the characters they stand for.
_PLACEHOLDER = {
    "\\": "\ue000",
    ":": "\ue001",
    "#": "\ue002",
    "=": "\ue003",
    "{": "\ue004",
    "}": "\ue005",
    "~": "\ue006",
    "n": "\ue007",
}
_RESTORE = str.maketrans({v: ("\n" if k == "n" else k) for k, v in _PLACEHOLDER.items()})
_FORMAT = re.compile(r"^\s*\[(html|moodle|plain|markdown)\]")
_WEIGHT = re.compile(r"^%(-?\d+(?:\.\d*)?)%")
_BLANK_RUN = re.compile(r"_{3,}")
_BLOCK_TAG = re.compile(r"</?(?:p|div|br|li|ul|ol|h[1-6]|tr|td|th|table|blockquote)\b[^>]*>", re.I)
_TAG = re.compile(r"<[^>]*>")
_TRUE_FALSE = {"T": True, "TRUE": True, "F": False, "FALSE": False}


def _protect(text: str) -> str:
    out = []
    i = 0
    while i < len(text):
        if text[i] == "\\" and i + 1 < len(text) and text[i + 1] in _PLACEHOLDER:
            out.append(_PLACEHOLDER[text[i + 1]])
            i += 2
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


def _restore(text: str, fmt: str | None = None) -> str:
    text = text.translate(_RESTORE)
    if fmt == "html":
        text = html.unescape(_TAG.sub("", _BLOCK_TAG.sub(" ", text)))
    return text


def _strip_format(text: str) -> tuple[str, str | None]:
    m = _FORMAT.match(text)
    return (text[m.end() :], m.group(1)) if m else (text, None)


def _clean(text: str, fmt: str | None) -> str:
    """An answer or a choice: format marker dropped, escapes restored, one line."""
    text, own = _strip_format(text)
    return _one_line(_restore(text, own or fmt))


def _unbrace(text: str) -> str:
    return text.replace("{", "(").replace("}", ")")


def _safe(text: str) -> str:
    """Text on one line that cannot break cloze markup."""
    return _one_line(_unbrace(text))


def _safe_answer(text: str) -> str:
    return _safe(text).replace("|", "/")


def _cloze(alternatives: Sequence[str]) -> str:
    return "{{" + "|".join(alternatives) + "}}"


def _unique(values: Iterable[str], banned: Iterable[str] = ()) -> list[str]:
    seen = {normalize_answer(b) for b in banned}
    out = []
    for value in values:
        key = normalize_answer(value)
        if value and key not in seen:
            seen.add(key)
            out.append(value)
    return out


def _slug(text: str, fallback: str, limit: int = 48) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if len(slug) > limit:
        cut = slug[:limit]
        slug = cut.rsplit("-", 1)[0] if "-" in cut else cut
    return slug or fallback


def _split_category(path: str) -> list[str]:
    names = path.replace("//", "\ue010").split("/")
    return [n.replace("\ue010", "/").strip() for n in names]


def _number(value: Decimal) -> str:
    if value == value.to_integral_value():
        return str(int(value))
    return format(value.normalize(), "f")


class _Problem(Exception):
    def __init__(self, message: str, fix: str) -> None:
        super().__init__(message)
        self.message = message
        self.fix = fix


# --- import: one question ----------------------------------------------------------------


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


# --- import: questions -> facts ----------------------------------------------------------


def _answer_list(blanks: Sequence[str]) -> str:
    if len(blanks) == 1:
        return blanks[0]
    return ", ".join(blanks[:-1]) + " and " + blanks[-1]


def _statement(before: str, after: str, fill: str, *, missing_word: bool) -> str:
    """The question text, on one line, with ``fill`` where its answers go."""
    before, after = _unbrace(before), _unbrace(after)
    if missing_word:
        return _one_line(before + fill + after)
    runs = list(_BLANK_RUN.finditer(before))
    if len(runs) == 1:
        return _one_line(before[: runs[0].start()] + fill + before[runs[0].end() :])
    return _one_line(f"{before} {fill}")


def _facts_for(
    parsed: _Parsed, base_id: str, topic: str, ids: set[str]
) -> tuple[str, list[ImportedFact]]:
    """The question's paragraph, and its facts."""

    def new_id(candidate: str) -> str:
        fid, n = candidate, 2
        while fid in ids:
            fid, n = f"{candidate}-{n}", n + 1
        ids.add(fid)
        return fid

    explanation = " ".join(p for p in (parsed.feedback, parsed.note) if p) or None
    if parsed.type == "matching":
        question = _safe(parsed.text)
        statements, facts = [], []
        extras = [_safe_answer(e) for e in parsed.wrong]
        for n, (left, right) in enumerate(parsed.pairs, start=1):
            answer = _safe_answer(right)
            runs = list(_BLANK_RUN.finditer(left))
            if len(runs) == 1:
                text = _statement(left, "", _cloze([answer]), missing_word=False)
                said = _statement(left, "", answer, missing_word=False)
            else:
                text = f"{question} {_safe(left)} — {_cloze([answer])}"
                said = f"{_safe(left)} — {answer}"
            statements.append(said if said[-1:] in ".!?…" else said + ".")
            facts.append(
                ImportedFact(
                    id=new_id(f"{base_id}-{n}"),
                    topic=topic,
                    text=text,
                    kind="term",
                    quote=said,
                    distractors=tuple(_unique(extras, [answer])),
                    explanation=explanation,
                    word_class="phrase",
                )
            )
        return _one_line(" ".join([question, *statements])), facts

    if parsed.type == "truefalse":
        statement = _safe(parsed.text)
        value = parsed.right[0]
        other = "false" if value == "true" else "true"
        text = f"The statement “{statement}” is {_cloze([value])}."
        fact = ImportedFact(
            id=new_id(base_id),
            topic=topic,
            text=text,
            kind=TRUE_FALSE_KIND,
            quote=cloze_fill(text),
            question=f"True or false: {statement}",
            distractors=(other,),
            explanation=explanation,
        )
        return fact.quote, [fact]

    kind = "number" if parsed.type == "numerical" else "term"
    answers = list(dict.fromkeys(_safe_answer(a) for a in parsed.right))
    if parsed.several:  # right choices that read the same would make one blank twice
        answers = _unique(answers)
    distractors = tuple(_unique((_safe_answer(w) for w in parsed.wrong), answers))
    if parsed.several and len(answers) > 1:
        blanks = [_cloze([a]) for a in answers]  # multiple answer: one blank per right choice
    else:
        blanks = [_cloze(answers)]
    fill = _answer_list(blanks)
    text = _statement(parsed.before, parsed.after, fill, missing_word=parsed.missing_word)
    asks = len(blanks) == 1 and not parsed.missing_word and not _BLANK_RUN.search(parsed.before)
    fact = ImportedFact(
        id=new_id(base_id),
        topic=topic,
        text=text,
        kind=kind,
        quote=cloze_fill(text),
        question=_safe(parsed.text) if asks else None,
        distractors=distractors,
        explanation=explanation,
    )
    return fact.quote, [fact]


# --- import: the file --------------------------------------------------------------------


def _blocks(text: str) -> list[tuple[int, list[str]]]:
    """Questions as (first line number, lines): blank lines separate, comments are dropped."""
    blocks: list[tuple[int, list[str]]] = []
    current: list[str] = []
    first = 0
    for number, raw in enumerate(text.lstrip("\ufeff").splitlines(), start=1):
        line = raw.strip()
        if not line:
            if current:
                blocks.append((first, current))
            current = []
        elif line.startswith("//"):
            continue
        else:
            if not current:
                first = number
            current.append(line)
    if current:
        blocks.append((first, current))
    return blocks


def gift_to_content(
    text: str, source_name: str = "input.gift"
) -> tuple[ImportedBank, list[GiftError]]:
    """Parse GIFT text into facts grouped by topic, and every problem found."""
    errors: list[GiftError] = []
    topics: dict[str | None, ImportedTopic] = {}
    topic_ids: set[str] = set()
    fact_ids: set[str] = set()
    questions: list[ImportedQuestion] = []
    category: str | None = None

    def topic_for(path: str | None) -> str:
        if path not in topics:
            names = [
                n
                for n in (_split_category(path) if path else [])
                if n and n != "top" and not (n.startswith("$") and n.endswith("$"))
            ]
            title = names[-1] if names else "General"
            tid, n = _slug(title, "topic"), 2
            base = tid
            while tid in topic_ids:
                tid, n = f"{base}-{n}", n + 1
            topic_ids.add(tid)
            topics[path] = ImportedTopic(tid, title, path)
        return topics[path].id

    for line, lines in _blocks(text):
        block = _protect("\n".join(lines))
        try:
            if block.startswith("$CATEGORY:"):
                if len(lines) > 1:
                    raise _Problem(
                        "the question after the $CATEGORY line is not separated from it",
                        "leave a blank line after '$CATEGORY: ...'",
                    )
                path = _one_line(_restore(block[len("$CATEGORY:") :]))
                if not path:
                    raise _Problem("$CATEGORY has no name", "write '$CATEGORY: path/to/category'")
                category = path
                continue
            parsed = _parse_question(block)
        except _Problem as problem:
            errors.append(GiftError(source_name, line, problem.message, problem.fix))
            continue
        topic = topic_for(category)
        words = " ".join(_one_line(parsed.text.replace(BLANK, " ")).split()[:6])
        base_id = _slug(parsed.title or words, "question")
        paragraph, facts = _facts_for(parsed, base_id, topic, fact_ids)
        questions.append(
            ImportedQuestion(
                line=line,
                title=parsed.title,
                type=parsed.type,
                topic=topic,
                text=parsed.text,
                paragraph=paragraph,
                facts=tuple(facts),
            )
        )
    bank = ImportedBank(source_name, tuple(topics.values()), tuple(questions))
    return bank, sorted(errors)


# --- import: writing a content folder ----------------------------------------------------

# Item types an imported quiz draws, with at most this many of each.
QUIZ_MIX = (
    ("single", 3),
    ("multiple", 1),
    ("true_false", 3),
    ("cloze", 3),
    ("short_answer", 2),
    ("matching", 1),
)


class _Dumper(yaml.SafeDumper):
    """Mappings in block style, lists (paras, distractors) on one line."""


def _flow_list(dumper: yaml.SafeDumper, data: list[Any]) -> yaml.Node:
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=True)


_Dumper.add_representer(list, _flow_list)


def _yaml(data: Any) -> str:
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1_000_000)


def _yaml_records(records: list[dict[str, Any]], header: str) -> str:
    """A YAML list of mappings, one blank line between them."""
    return header + "\n".join(
        "- " + _yaml(r).replace("\n", "\n  ").rstrip() + "\n" for r in records
    )


def write_content(
    imported: ImportedBank,
    out_dir: Path,
    slug: str,
    title: str,
    *,
    author: str = "Unknown",
    year: int | None = None,
    overwrite: bool = False,
) -> list[Path]:
    """Write ``out_dir/slug/`` as a content folder the loader accepts; return the five files.

    Refuses (FileExistsError) to replace existing content files unless ``overwrite``.
    """
    if not ID_RE.match(slug):
        raise ValueError(f"slug '{slug}' is not lowercase words joined by hyphens")
    if not imported.questions:
        raise ValueError("nothing to write: no question was imported")
    if not _one_line(title) or not _one_line(author):
        raise ValueError("the essay needs a title and an author")
    folder = out_dir / slug
    paths = [folder / name for name in CONTENT_FILES]
    existing = [p for p in paths if p.exists()]
    if existing and not overwrite:
        raise FileExistsError(f"{existing[0]} exists; pass overwrite=True to replace it")
    year = year if year is not None else date.today().year

    # Paragraphs in topic order, numbered from 1.
    order = {t.id: n for n, t in enumerate(imported.topics)}
    ordered = sorted(imported.questions, key=lambda q: order[q.topic])  # stable
    para_of = {id(q): n for n, q in enumerate(ordered, start=1)}
    paras_by_topic: dict[str, list[int]] = {t.id: [] for t in imported.topics}
    for q in ordered:
        paras_by_topic[q.topic].append(para_of[id(q)])
    topics = [t for t in imported.topics if paras_by_topic[t.id]]

    paragraphs = []
    body: list[str] = []
    for topic in topics:
        body += [f"## {_one_line(topic.title)}", ""]
        for q in ordered:
            if q.topic == topic.id:
                number = para_of[id(q)]
                paragraphs.append(Paragraph(number, q.paragraph, topic.title))
                body += [f"[{number}] {q.paragraph}", ""]
    meta: dict[str, Any] = {
        "title": _one_line(title),
        "author": _one_line(author),
        "year": year,
        "source": f"Imported from {imported.source_name} (Moodle GIFT)",
    }
    front = _yaml(meta)
    essay_md = "---\n" + front + "---\n\n" + "\n".join(body).rstrip() + "\n"

    summary = {
        t.id: f"Questions imported from {imported.source_name}"
        + (f", category “{t.category}”." if t.category else ".")
        for t in topics
    }
    topic_records = [
        {"id": t.id, "title": t.title, "paras": paras_by_topic[t.id], "summary": summary[t.id]}
        for t in topics
    ]
    fact_records = []
    model_facts = []
    for q in ordered:
        for f in q.facts:
            record: dict[str, Any] = {
                "id": f.id,
                "topic": f.topic,
                "text": f.text,
                "kind": f.kind,
                "para": para_of[id(q)],
                "quote": f.quote,
            }
            if f.question:
                record["question"] = f.question
            if f.distractors:
                record["distractors"] = list(f.distractors)
            if f.explanation:
                record["explanation"] = f.explanation
            if f.word_class:
                record["word_class"] = f.word_class
            fact_records.append(record)
            model_facts.append(
                Fact(
                    id=f.id,
                    topic=f.topic,
                    text=f.text,
                    kind=f.kind,
                    para=para_of[id(q)],
                    quote=f.quote,
                    blanks=tuple(Blank(parts) for parts in cloze_parts(f.text)),
                    question=f.question,
                    distractors=f.distractors,
                    explanation=f.explanation,
                    word_class=f.word_class,
                )
            )

    # Quizzes use only the item types the generator makes from each topic's facts.
    content = EssayContent(
        essay=Essay(slug, _one_line(title), _one_line(author), year, tuple(paragraphs)),
        topics=tuple(
            Topic(t.id, t.title, summary[t.id], tuple(paras_by_topic[t.id])) for t in topics
        ),
        facts=tuple(model_facts),
        thesis=None,
        claims=(),
        quizzes=(),
    )
    bank = build_bank(content)
    quiz_records = []
    for t in topics:
        probe = Quiz(f"{t.id}-quiz", t.title, (t.id,), 1, (), 0, "highest", "immediate")
        available = bank.for_quiz(probe)
        mix = {k: min(cap, len(available[k])) for k, cap in QUIZ_MIX if available.get(k)}
        if not mix:
            continue
        quiz_records.append(
            {
                "id": f"{t.id}-quiz",
                "title": t.title,
                "topics": [t.id],
                "questions": sum(mix.values()),
                "mix": mix,
                "attempts": 0,
                "grading": "highest",
                "feedback": "immediate",
                "shuffle": True,
            }
        )

    header = (
        f"# Imported from {_one_line(imported.source_name)} (Moodle GIFT).\n"
        "# Check every edit with 'quizapp content check'.\n"
    )
    fact_header = header + (
        f"# True/false questions are facts of kind '{TRUE_FALSE_KIND}' so that their answers\n"
        "# (true, false) never turn up as distractors of other facts.\n"
    )
    files = {
        "essay.md": essay_md,
        "topics.yaml": _yaml_records(topic_records, header),
        "facts.yaml": _yaml_records(fact_records, fact_header),
        "arguments.yaml": header + "# No arguments: GIFT questions carry none.\nclaims: []\n",
        "quizzes.yaml": _yaml_records(quiz_records, header) if quiz_records else header + "[]\n",
    }
    folder.mkdir(parents=True, exist_ok=True)
    for path in paths:
        path.write_text(files[path.name], encoding="utf-8")
    return paths
