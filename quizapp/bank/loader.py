"""Content folders -> validated, immutable :class:`EssayContent`.

Every problem is collected (never only the first) as a :class:`ContentError` that reads
``file:line: what is wrong; what to write instead``.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from .dates import DATE_FORMS, parse_date
from .guidance import quote_guidance, suggest_choice
from .model import (
    ANSWER_KINDS,
    FEEDBACK_MODES,
    GRADING_METHODS,
    REVIEW_MOMENTS,
    REVIEW_SHOWS,
    STANCES,
    WEIGHTS,
    WORD_CLASSES,
    Blank,
    Claim,
    Concession,
    Essay,
    EssayContent,
    Fact,
    OpposingView,
    Paragraph,
    Quiz,
    Reason,
    ReviewOptions,
    Topic,
    WrittenDistractor,
)
from .text import cloze_fill, cloze_markup_error, cloze_parts, normalize_answer, quote_in
from .types import ITEM_TYPES
from .yamlines import LineDict, LineList, YamlSyntaxError, load_yaml

CONTENT_FILES = ("essay.md", "topics.yaml", "facts.yaml", "arguments.yaml", "quizzes.yaml")
ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
PARA_RE = re.compile(r"^\[(\d+)\]\s*(.*)$")


@dataclass(frozen=True, order=True)
class ContentError:
    file: str
    line: int
    message: str
    fix: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}; {self.fix}"


@dataclass
class LoadResult:
    essays: dict[str, EssayContent] = field(default_factory=dict)
    errors: list[ContentError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


class _Errors:
    """Collects errors for one file."""

    def __init__(self, sink: list[ContentError], file: str) -> None:
        self.sink = sink
        self.file = file

    def add(self, line: int, message: str, fix: str) -> None:
        self.sink.append(ContentError(self.file, line, message, fix))

    def unknown_keys(self, data: LineDict, allowed: Iterable[str], what: str) -> None:
        allowed = list(allowed)
        for key, line in data.duplicates:
            self.add(line, f"'{key}' is given twice in this {what}", "keep one of them")
        for key in data:
            if key not in allowed:
                close = difflib.get_close_matches(key, allowed, n=1)
                fix = (
                    f"did you mean '{close[0]}'?" if close else f"use one of: {', '.join(allowed)}"
                )
                self.add(data.line_of(key), f"unknown field '{key}' in {what}", fix)

    def text(self, data: LineDict, key: str, what: str, *, required: bool = True) -> str | None:
        if key not in data or data[key] is None:
            if required:
                self.add(data.line, f"{what} has no '{key}'", f"add '{key}: ...'")
            return None
        value = data[key]
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            self.add(data.line_of(key), f"'{key}' must be text", f"write '{key}: \"...\"'")
            return None
        value = str(value).strip()
        if not value:
            if required:
                self.add(data.line_of(key), f"'{key}' is empty", f"write the {key} after '{key}:'")
            return None
        return value

    def integer(
        self, data: LineDict, key: str, what: str, *, required: bool = True, minimum: int = 0
    ) -> int | None:
        if key not in data or data[key] is None:
            if required:
                self.add(data.line, f"{what} has no '{key}'", f"add '{key}: <number>'")
            return None
        value = data[key]
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            self.add(
                data.line_of(key),
                f"'{key}' must be a whole number of at least {minimum}, not {value!r}",
                f"write '{key}: {max(minimum, 1)}' or another whole number",
            )
            return None
        return value

    def ident(self, data: LineDict, what: str, seen: dict[str, str]) -> str | None:
        value = self.text(data, "id", what)
        if value is None:
            return None
        line = data.line_of("id")
        if not ID_RE.match(value):
            suggestion = re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-") or "my-id"
            self.add(
                line,
                f"id '{value}' is not lowercase words joined by hyphens",
                f"write 'id: {suggestion}'",
            )
            return None
        if value in seen:
            self.add(
                line,
                f"id '{value}' is already used at {seen[value]}",
                "give this entry an id of its own",
            )
            return None
        seen[value] = f"{self.file}:{line}"
        return value

    def choice(self, data: LineDict, key: str, options: Iterable[str], what: str) -> str | None:
        value = self.text(data, key, what)
        if value is None:
            return None
        options = list(options)
        if value not in options:
            close = suggest_choice(key, value, options)
            fix = f"did you mean '{close}'?" if close else f"use one of: {', '.join(options)}"
            self.add(data.line_of(key), f"unknown {key} '{value}'", fix)
            return None
        return value

    def para(self, data: LineDict, key: str, what: str, essay: Essay | None) -> int | None:
        number = self.integer(data, key, what, minimum=1)
        if number is None or essay is None:
            return number
        if essay.paragraph(number) is None:
            numbers = [p.number for p in essay.paragraphs]
            self.add(
                data.line_of(key),
                f"paragraph {number} does not exist in essay.md",
                f"use a paragraph number between {min(numbers, default=1)} and "
                f"{max(numbers, default=1)}",
            )
            return None
        return number

    def quote(
        self, data: LineDict, key: str, what: str, essay: Essay | None, para: int | None
    ) -> str | None:
        quote = self.text(data, key, what)
        if quote is None or essay is None or para is None:
            return quote
        paragraph = essay.paragraph(para)
        if paragraph and not quote_in(quote, paragraph.text):
            fix = quote_guidance(quote, essay, para)
            self.add(data.line_of(key), f"quote is not found verbatim in paragraph {para}", fix)
            return None
        return quote

    def records(self, value: Any, what: str, line: int = 1) -> list[LineDict]:
        if value is None:
            return []
        if not isinstance(value, list):
            self.add(
                getattr(value, "line", line),
                f"expected a list of {what}s",
                f"start each {what} with '- id: ...'",
            )
            return []
        out = []
        for i, entry in enumerate(value):
            if isinstance(entry, LineDict):
                out.append(entry)
            else:
                item_line = value.line_of(i) if isinstance(value, LineList) else line
                self.add(
                    item_line, f"this {what} is not a mapping", "write it as '- id: ...' fields"
                )
        return out


def _display(path: Path, content_dir: Path) -> str:
    try:
        return str(Path(content_dir.name) / path.relative_to(content_dir))
    except ValueError:
        return str(path)


def _read_yaml(path: Path, errs: _Errors) -> Any:
    if not path.exists():
        errs.add(1, f"{path.name} is missing", f"create {path.name} (see the README)")
        return None
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        line = path.read_bytes()[: exc.start].count(b"\n") + 1
        errs.add(line, "the file is not valid UTF-8", "save the file with UTF-8 encoding")
        return None
    try:
        return load_yaml(text)
    except YamlSyntaxError as exc:
        errs.add(exc.line, exc.message, exc.fix)
        return None


# --- essay.md ----------------------------------------------------------------------------


def _load_essay(path: Path, slug: str, errs: _Errors) -> Essay | None:
    if not path.exists():
        errs.add(1, "essay.md is missing", "create essay.md with a front matter and the text")
        return None
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except UnicodeDecodeError as exc:
        line = path.read_bytes()[: exc.start].count(b"\n") + 1
        errs.add(line, "the file is not valid UTF-8", "save the file with UTF-8 encoding")
        return None
    if not lines or lines[0].strip() != "---":
        errs.add(1, "essay.md has no front matter", "start the file with a '---' line")
        return None
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
    except StopIteration:
        errs.add(1, "the front matter is not closed", "add a '---' line after the front matter")
        return None
    try:
        meta = load_yaml("\n".join(lines[1:end]))
    except YamlSyntaxError as exc:
        errs.add(exc.line + 1, exc.message, exc.fix)
        return None
    if not isinstance(meta, LineDict):
        errs.add(2, "the front matter is not a mapping", "write 'title: ...', 'author: ...' lines")
        return None
    # Front-matter lines are relative to the line after the first '---'.
    meta.line += 1
    meta.key_lines = {k: v + 1 for k, v in meta.key_lines.items()}
    meta.duplicates = [(k, v + 1) for k, v in meta.duplicates]
    errs.unknown_keys(meta, ("title", "author", "year", "bio", "source"), "front matter")
    title = errs.text(meta, "title", "the front matter")
    author = errs.text(meta, "author", "the front matter")
    year = errs.integer(meta, "year", "the front matter", minimum=1)
    bio = errs.text(meta, "bio", "the front matter", required=False)
    source = errs.text(meta, "source", "the front matter", required=False)

    paragraphs: list[Paragraph] = []
    section: str | None = None
    current: tuple[int, int, list[str]] | None = None  # (number, line, text parts)
    seen: dict[int, int] = {}

    def close() -> None:
        nonlocal current
        if current is not None:
            number, _line, parts = current
            paragraphs.append(Paragraph(number, " ".join(parts).strip(), section_of[number]))
            current = None

    section_of: dict[int, str | None] = {}
    for index in range(end + 1, len(lines)):
        lineno = index + 1
        raw = lines[index]
        stripped = raw.strip()
        if not stripped:
            close()
            continue
        if stripped.startswith("## "):
            close()
            section = stripped[3:].strip()
            continue
        m = PARA_RE.match(stripped)
        if m:
            close()
            number = int(m.group(1))
            if number in seen:
                errs.add(
                    lineno,
                    f"paragraph number [{number}] is already used on line {seen[number]}",
                    "give this paragraph a number that is not used yet",
                )
            elif paragraphs and number < paragraphs[-1].number:
                errs.add(
                    lineno,
                    f"paragraph [{number}] comes after [{paragraphs[-1].number}]",
                    "keep paragraph numbers increasing down the file",
                )
            seen.setdefault(number, lineno)
            section_of[number] = section
            current = (number, lineno, [m.group(2)])
            if not m.group(2).strip():
                errs.add(
                    lineno, f"paragraph [{number}] is empty", "write its text after the number"
                )
            continue
        if current is not None:
            current[2].append(stripped)
            continue
        errs.add(
            lineno,
            "text outside a numbered paragraph",
            "start the paragraph with its number, like '[1] The text ...', or a heading with '## '",
        )
    close()
    if not paragraphs:
        errs.add(end + 2, "essay.md has no paragraphs", "add paragraphs like '[1] The text ...'")
    if title is None or author is None or year is None:
        return None
    return Essay(slug, title, author, year, tuple(paragraphs), bio=bio, source=source)


# --- topics.yaml -------------------------------------------------------------------------


def _load_topics(
    data: Any, essay: Essay | None, errs: _Errors, seen: dict[str, str]
) -> list[Topic]:
    topics: list[Topic] = []
    for rec in errs.records(data, "topic"):
        errs.unknown_keys(rec, ("id", "title", "summary", "paras"), "a topic")
        tid = errs.ident(rec, "a topic", seen)
        title = errs.text(rec, "title", "a topic")
        summary = errs.text(rec, "summary", "a topic")
        paras = _para_list(rec, "paras", "a topic", essay, errs)
        if tid and title and summary is not None and paras is not None:
            topics.append(Topic(tid, title, summary, paras))
    if not topics and not errs.sink:
        errs.add(1, "no topics", "add at least one topic")
    return topics


def _para_list(
    rec: LineDict, key: str, what: str, essay: Essay | None, errs: _Errors
) -> tuple[int, ...] | None:
    value = rec.get(key)
    if value is None:
        errs.add(rec.line, f"{what} has no '{key}'", f"add '{key}: [1, 2]'")
        return None
    values = value if isinstance(value, list) else [value]
    out = []
    for v in values:
        if isinstance(v, bool) or not isinstance(v, int):
            errs.add(
                rec.line_of(key), f"'{key}' must list paragraph numbers", f"write '{key}: [1, 2]'"
            )
            return None
        if essay is not None and essay.paragraph(v) is None:
            errs.add(
                rec.line_of(key),
                f"paragraph {v} does not exist in essay.md",
                "list only paragraph numbers that essay.md has",
            )
            return None
        out.append(v)
    return tuple(out)


# --- facts.yaml --------------------------------------------------------------------------

FACT_FIELDS = (
    "id",
    "topic",
    "text",
    "kind",
    "para",
    "quote",
    "question",
    "distractors",
    "date",
    "event",
    "explanation",
    "supports",
    "weight",
    "false",
    "word_class",
)


def _load_facts(
    data: Any,
    essay: Essay | None,
    topic_ids: set[str],
    ids: dict[str, str],
    errs: _Errors,
) -> tuple[list[Fact], list[tuple[LineDict, str]]]:
    facts: list[Fact] = []
    supports: list[tuple[LineDict, str]] = []
    for rec in errs.records(data, "fact"):
        errs.unknown_keys(rec, FACT_FIELDS, "a fact")
        fid = errs.ident(rec, "a fact", ids)
        topic = _topic_ref(rec, topic_ids, errs)
        text = errs.text(rec, "text", "a fact")
        blanks: tuple[Blank, ...] = ()
        if text is not None:
            problem = cloze_markup_error(text)
            if problem:
                errs.add(
                    rec.line_of("text"),
                    f"the fact's text has {problem}",
                    "mark each answer as {{answer}} or {{answer|alternative}}",
                )
                text = None
            else:
                blanks = tuple(Blank(parts) for parts in cloze_parts(text))
        kind = errs.choice(rec, "kind", ANSWER_KINDS, "a fact")
        para = errs.para(rec, "para", "a fact", essay)
        quote = errs.quote(rec, "quote", "a fact", essay, para)
        question = errs.text(rec, "question", "a fact", required=False)
        explanation = errs.text(rec, "explanation", "a fact", required=False)
        distractors = _string_list(rec, "distractors", errs)
        if distractors and blanks:
            accepted = {normalize_answer(a) for b in blanks for a in b.answers}
            for d in distractors:
                if normalize_answer(d) in accepted:
                    errs.add(
                        rec.line_of("distractors"),
                        f"distractor '{d}' is also a correct answer",
                        "remove it from 'distractors' or from the answers",
                    )
                    distractors = ()
                    break
            if len({normalize_answer(d) for d in distractors}) != len(distractors):
                errs.add(
                    rec.line_of("distractors"),
                    "a distractor is listed twice",
                    "list each distractor once",
                )
                distractors = ()
        date = errs.text(rec, "date", "a fact", required=False)
        if date is not None and parse_date(date) is None:
            errs.add(rec.line_of("date"), f"date '{date}' is not a date", f"write {DATE_FORMS}")
            date = None
        event = errs.text(rec, "event", "a fact", required=False)
        if event is not None and "date" not in rec:
            errs.add(
                rec.line_of("event"), "'event' is given without a 'date'", "add 'date: YYYY-MM-DD'"
            )
        support = errs.text(rec, "supports", "a fact", required=False)
        if support is not None:
            supports.append((rec, support))
        weight = _weight(rec, errs, "a fact")
        false = _string_list(rec, "false", errs)
        if false and text is not None:
            truth = normalize_answer(cloze_fill(text))
            for statement in false:
                if normalize_answer(statement) == truth:
                    errs.add(
                        rec.line_of("false"),
                        "a 'false' statement is the fact's own true statement",
                        "write a statement the essay shows to be false",
                    )
                    false = ()
                    break
        word_class = None
        if "word_class" in rec:
            word_class = errs.choice(rec, "word_class", WORD_CLASSES, "a fact")
        if fid and topic and text and kind and para and quote is not None:
            facts.append(
                Fact(
                    id=fid,
                    topic=topic,
                    text=text,
                    kind=kind,
                    para=para,
                    quote=quote,
                    blanks=blanks,
                    question=question,
                    distractors=distractors,
                    date=date,
                    event=event,
                    explanation=explanation,
                    supports=support,
                    weight=weight,
                    false=false,
                    word_class=word_class,
                )
            )
    return facts, supports


def _weight(rec: LineDict, errs: _Errors, what: str) -> str:
    if "weight" not in rec:
        return "core"
    return errs.choice(rec, "weight", WEIGHTS, what) or "core"


def _topic_ref(rec: LineDict, topic_ids: set[str], errs: _Errors) -> str | None:
    topic = errs.text(rec, "topic", "this entry")
    if topic is None:
        return None
    if topic_ids and topic not in topic_ids:
        close = difflib.get_close_matches(topic, sorted(topic_ids), n=1)
        fix = f"did you mean '{close[0]}'?" if close else "use a topic id from topics.yaml"
        errs.add(rec.line_of("topic"), f"unknown topic '{topic}'", fix)
        return None
    return topic


def _string_list(rec: LineDict, key: str, errs: _Errors) -> tuple[str, ...]:
    value = rec.get(key)
    if value is None:
        return ()
    if not isinstance(value, list) or not all(
        isinstance(v, str | int) and not isinstance(v, bool) for v in value
    ):
        errs.add(
            rec.line_of(key), f"'{key}' must be a list of texts", f'write \'{key}: ["a", "b"]\''
        )
        return ()
    return tuple(str(v).strip() for v in value if str(v).strip())


# --- arguments.yaml ----------------------------------------------------------------------


def _load_claim(
    rec: LineDict,
    essay: Essay | None,
    topic_ids: set[str],
    ids: dict[str, str],
    errs: _Errors,
    *,
    thesis: bool,
) -> tuple[Claim | None, list[tuple[LineDict, str]]]:
    """One claim, and the (record, claim id) pairs its reasons name in ``supports``."""
    what = "the thesis" if thesis else "a claim"
    allowed = (
        "id",
        "text",
        "para",
        "quote",
        "stance",
        "reasons",
        "opposing",
        "concessions",
        "distractors",
        "weight",
        "explanation",
    )
    if not thesis:
        allowed = ("topic", *allowed)
    errs.unknown_keys(rec, allowed, what)
    cid = errs.ident(rec, what, ids)
    topic = None if thesis else _topic_ref(rec, topic_ids, errs)
    text = errs.text(rec, "text", what)
    stance = (
        "endorses" if thesis and "stance" not in rec else errs.choice(rec, "stance", STANCES, what)
    )
    para = errs.para(rec, "para", what, essay)
    quote = errs.quote(rec, "quote", what, essay, para)
    weight = _weight(rec, errs, what)
    explanation = errs.text(rec, "explanation", what, required=False)
    links: list[tuple[LineDict, str]] = []
    reasons: list[Reason] = []
    for r in errs.records(rec.get("reasons"), "reason", rec.line_of("reasons")):
        errs.unknown_keys(r, ("text", "para", "quote", "supports"), "a reason")
        rtext = errs.text(r, "text", "a reason")
        rpara = errs.para(r, "para", "a reason", essay)
        rquote = errs.quote(r, "quote", "a reason", essay, rpara)
        rsupports = _string_list(r, "supports", errs)
        links += [(r, s) for s in rsupports]
        if rtext and rpara and rquote:
            reasons.append(Reason(rtext, rpara, rquote, rsupports))
    if not thesis and "reasons" not in rec:
        errs.add(rec.line, f"{what} has no 'reasons'", "add 'reasons:' with at least one reason")
    opposing: list[OpposingView] = []
    for o in errs.records(rec.get("opposing"), "opposing view", rec.line_of("opposing")):
        errs.unknown_keys(o, ("text", "para", "quote", "rebuttal"), "an opposing view")
        otext = errs.text(o, "text", "an opposing view")
        opara = errs.para(o, "para", "an opposing view", essay)
        oquote = errs.quote(o, "quote", "an opposing view", essay, opara) if "quote" in o else None
        rebuttal = errs.text(o, "rebuttal", "an opposing view", required=False)
        if otext and opara and ("quote" not in o or oquote):
            opposing.append(OpposingView(otext, opara, oquote, rebuttal))
    concessions: list[Concession] = []
    for c in errs.records(rec.get("concessions"), "concession", rec.line_of("concessions")):
        errs.unknown_keys(c, ("text", "para", "quote"), "a concession")
        ctext = errs.text(c, "text", "a concession")
        cpara = errs.para(c, "para", "a concession", essay)
        cquote = errs.quote(c, "quote", "a concession", essay, cpara)
        if ctext and cpara and cquote:
            concessions.append(Concession(ctext, cpara, cquote))
    distractors: list[WrittenDistractor] = []
    for d in errs.records(rec.get("distractors"), "distractor", rec.line_of("distractors")):
        errs.unknown_keys(d, ("text", "why"), "a distractor")
        dtext = errs.text(d, "text", "a distractor")
        why = errs.text(d, "why", "a distractor", required=False)
        if dtext:
            if normalize_answer(dtext) in {normalize_answer(r.text) for r in reasons}:
                errs.add(
                    d.line_of("text"),
                    "this distractor is also one of the claim's reasons",
                    "remove it from 'distractors' or from 'reasons'",
                )
            else:
                distractors.append(WrittenDistractor(dtext, why))
    if cid and (thesis or topic) and text and stance and para and quote:
        claim = Claim(
            id=cid,
            topic=topic,
            text=text,
            stance=stance,  # type: ignore[arg-type]
            para=para,
            quote=quote,
            reasons=tuple(reasons),
            opposing=tuple(opposing),
            concessions=tuple(concessions),
            distractors=tuple(distractors),
            weight=weight,
            explanation=explanation,
        )
        return claim, links
    return None, links


def _load_arguments(
    data: Any, essay: Essay | None, topic_ids: set[str], ids: dict[str, str], errs: _Errors
) -> tuple[Claim | None, list[Claim]]:
    if data is None:
        return None, []
    links: list[tuple[LineDict, str]] = []
    if not isinstance(data, LineDict):
        errs.add(
            getattr(data, "line", 1),
            "arguments.yaml is not a mapping",
            "write 'thesis:' and 'claims:'",
        )
        return None, []
    errs.unknown_keys(data, ("thesis", "claims"), "arguments.yaml")
    thesis = None
    if "thesis" in data:
        if isinstance(data["thesis"], LineDict):
            thesis, found = _load_claim(data["thesis"], essay, topic_ids, ids, errs, thesis=True)
            links += found
        else:
            errs.add(
                data.line_of("thesis"),
                "'thesis' must be a mapping",
                "give it 'id', 'text', 'para' and 'quote'",
            )
    claims = []
    for rec in errs.records(data.get("claims"), "claim", data.line_of("claims")):
        claim, found = _load_claim(rec, essay, topic_ids, ids, errs, thesis=False)
        links += found
        if claim:
            claims.append(claim)
    claim_ids = {c.id for c in claims} | ({thesis.id} if thesis else set())
    for r, other in links:
        if other not in claim_ids:
            close = difflib.get_close_matches(other, sorted(claim_ids), n=1)
            fix = f"did you mean '{close[0]}'?" if close else "use a claim id from this file"
            errs.add(r.line_of("supports"), f"unknown claim '{other}'", fix)
    return thesis, claims


# --- quizzes.yaml ------------------------------------------------------------------------

QUIZ_FIELDS = (
    "id",
    "title",
    "topics",
    "questions",
    "mix",
    "attempts",
    "grading",
    "time_limit",
    "feedback",
    "shuffle",
    "decimals",
    "review",
    "closes",
)


def _load_quizzes(data: Any, topic_ids: set[str], errs: _Errors) -> list[tuple[Quiz, LineDict]]:
    quizzes = []
    seen: dict[str, str] = {}
    for rec in errs.records(data, "quiz"):
        errs.unknown_keys(rec, QUIZ_FIELDS, "a quiz")
        qid = errs.ident(rec, "a quiz", seen)
        title = errs.text(rec, "title", "a quiz")
        topics = _quiz_topics(rec, topic_ids, errs)
        questions = errs.integer(rec, "questions", "a quiz", minimum=1)
        mix = _quiz_mix(rec, questions, errs)
        attempts = errs.integer(rec, "attempts", "a quiz", minimum=0)
        grading = errs.choice(rec, "grading", GRADING_METHODS, "a quiz")
        feedback = errs.choice(rec, "feedback", FEEDBACK_MODES, "a quiz")
        time_limit = errs.integer(rec, "time_limit", "a quiz", required=False, minimum=1)
        shuffle = rec.get("shuffle", True)
        if not isinstance(shuffle, bool):
            errs.add(
                rec.line_of("shuffle"), "'shuffle' must be true or false", "write 'shuffle: true'"
            )
            shuffle = None
        decimals = 2
        if "decimals" in rec:
            decimals = errs.integer(rec, "decimals", "a quiz", minimum=0)
            if decimals is not None and decimals > 5:
                errs.add(
                    rec.line_of("decimals"),
                    f"'decimals' must be at most 5, not {decimals}",
                    "write 'decimals: 2'",
                )
                decimals = None
        review = _quiz_review(rec, errs)
        closes = _quiz_closes(rec, errs)
        if (
            qid
            and title
            and topics
            and questions
            and mix is not None
            and attempts is not None
            and grading
            and feedback
            and shuffle is not None
            and decimals is not None
            and review is not False
            and closes is not False
        ):
            quiz = Quiz(
                qid,
                title,
                topics,
                questions,
                mix,
                attempts,
                grading,
                feedback,
                shuffle,
                time_limit,
                decimals=decimals,
                review=review,
                closes=closes,
            )
            quizzes.append((quiz, rec))
    return quizzes


def _quiz_review(rec: LineDict, errs: _Errors) -> ReviewOptions | Literal[False] | None:
    """The quiz's review options (None: the defaults); False after an error."""
    if "review" not in rec:
        return None
    value = rec["review"]
    example = "write 'review: {later: [marks], after_close: [marks, right_answers, feedback]}'"
    if not isinstance(value, LineDict):
        errs.add(rec.line_of("review"), "'review' must map moments to what is shown", example)
        return False
    default = ReviewOptions.default(str(rec.get("feedback")))
    moments: dict[str, frozenset[str]] = {m: default.at(m) for m in REVIEW_MOMENTS}
    ok = True
    for key, line in value.duplicates:
        errs.add(line, f"'{key}' is given twice in 'review'", "keep one of them")
        ok = False
    for moment, shows in value.items():
        line = value.line_of(moment)
        if moment not in REVIEW_MOMENTS:
            close = difflib.get_close_matches(str(moment), REVIEW_MOMENTS, n=1)
            fix = f"did you mean '{close[0]}'?" if close else f"use {', '.join(REVIEW_MOMENTS)}"
            errs.add(line, f"unknown review moment '{moment}'", fix)
            ok = False
            continue
        items = [] if shows is None else shows if isinstance(shows, list) else [shows]
        picked = set()
        for show in items:
            if not isinstance(show, str) or show not in REVIEW_SHOWS:
                close = difflib.get_close_matches(str(show), REVIEW_SHOWS, n=1)
                fix = f"did you mean '{close[0]}'?" if close else f"use {', '.join(REVIEW_SHOWS)}"
                errs.add(line, f"unknown review option '{show}' for '{moment}'", fix)
                ok = False
            else:
                picked.add(show)
        moments[moment] = frozenset(picked)
    return ReviewOptions(**moments) if ok else False


def _quiz_closes(rec: LineDict, errs: _Errors) -> datetime | Literal[False] | None:
    """When the quiz closes (UTC), from an ISO 8601 date and time; False after an error."""
    value = rec.get("closes")
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(str(value).strip().replace("Z", "+00:00"))
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        errs.add(
            rec.line_of("closes"),
            f"'closes' must be a date and time with its time zone, not {value!r}",
            "write 'closes: 2026-12-15T18:00:00Z' (Z: UTC)",
        )
        return False
    return moment.astimezone(UTC)


def _quiz_topics(rec: LineDict, topic_ids: set[str], errs: _Errors) -> tuple[str, ...] | None:
    value = rec.get("topics")
    if value is None:
        errs.add(rec.line, "a quiz has no 'topics'", "add 'topics: [topic-id]' or 'topics: all'")
        return None
    if value == "all":
        return tuple(sorted(topic_ids))
    values = value if isinstance(value, list) else [value]
    out = []
    for v in values:
        if not isinstance(v, str) or v not in topic_ids:
            close = difflib.get_close_matches(str(v), sorted(topic_ids), n=1)
            fix = (
                f"did you mean '{close[0]}'?"
                if close
                else "use topic ids from topics.yaml, or 'all'"
            )
            errs.add(rec.line_of("topics"), f"unknown topic '{v}'", fix)
            return None
        out.append(v)
    return tuple(out)


def _quiz_mix(
    rec: LineDict, questions: int | None, errs: _Errors
) -> tuple[tuple[str, int], ...] | None:
    value = rec.get("mix")
    if not isinstance(value, LineDict) or not value:
        errs.add(
            rec.line_of("mix"),
            "a quiz needs a 'mix' of question types",
            "write 'mix: {single: 4, cloze: 4}'",
        )
        return None
    out = []
    ok = True
    for key, count in value.items():
        if key not in ITEM_TYPES:
            close = difflib.get_close_matches(key, ITEM_TYPES, n=1)
            fix = f"did you mean '{close[0]}'?" if close else f"use one of: {', '.join(ITEM_TYPES)}"
            errs.add(value.line_of(key), f"unknown question type '{key}'", fix)
            ok = False
        elif isinstance(count, bool) or not isinstance(count, int) or count < 1:
            errs.add(
                value.line_of(key),
                f"the count for '{key}' must be a whole number >= 1",
                f"remove '{key}' from the mix to ask none" if count == 0 else f"write '{key}: 1'",
            )
            ok = False
        else:
            out.append((key, count))
    if ok and questions is not None and sum(c for _, c in out) != questions:
        total = sum(c for _, c in out)
        errs.add(
            value.line,
            f"the mix adds up to {total} questions but 'questions' is {questions}",
            f"make the counts add up to {questions}, or write 'questions: {total}'",
        )
        ok = False
    return tuple(out) if ok else None


# --- the whole folder --------------------------------------------------------------------


def load_essay_folder(
    folder: Path, content_dir: Path | None = None
) -> tuple[EssayContent | None, list[ContentError]]:
    """Load and validate one essay folder; content is None when anything is wrong."""
    content_dir = content_dir or folder.parent
    errors: list[ContentError] = []

    def errs_for(name: str) -> _Errors:
        return _Errors(errors, _display(folder / name, content_dir))

    slug = folder.name
    if not ID_RE.match(slug):
        errors.append(
            ContentError(
                _display(folder, content_dir),
                1,
                f"folder name '{slug}' is not lowercase words joined by hyphens",
                "rename the folder, e.g. 'my-essay'",
            )
        )
    essay = _load_essay(folder / "essay.md", slug, errs_for("essay.md"))

    terrs = errs_for("topics.yaml")
    topic_seen: dict[str, str] = {}
    topics = _load_topics(_read_yaml(folder / "topics.yaml", terrs), essay, terrs, topic_seen)
    # Every topic id that was written counts, even one whose other fields have errors:
    # one mistake should not cascade into "unknown topic" everywhere.
    topic_ids = set(topic_seen)

    ids: dict[str, str] = {}
    ferrs = errs_for("facts.yaml")
    facts, supports = _load_facts(
        _read_yaml(folder / "facts.yaml", ferrs), essay, topic_ids, ids, ferrs
    )
    aerrs = errs_for("arguments.yaml")
    # Claim ids share the fact namespace: generated item ids derive from both.
    thesis, claims = _load_arguments(
        _read_yaml(folder / "arguments.yaml", aerrs), essay, topic_ids, ids, aerrs
    )
    known_claims = {k for k, where in ids.items() if where.startswith(aerrs.file + ":")}
    for rec, support in supports:
        if known_claims and support not in known_claims:
            close = difflib.get_close_matches(support, sorted(known_claims), n=1)
            fix = f"did you mean '{close[0]}'?" if close else "use a claim id from arguments.yaml"
            ferrs.add(rec.line_of("supports"), f"unknown claim '{support}'", fix)

    qerrs = errs_for("quizzes.yaml")
    quizzes = _load_quizzes(_read_yaml(folder / "quizzes.yaml", qerrs), topic_ids, qerrs)

    if errors or essay is None:
        return None, sorted(errors, key=lambda e: (e.file, e.line))
    content = EssayContent(
        essay=essay,
        topics=tuple(topics),
        facts=tuple(facts),
        thesis=thesis,
        claims=tuple(claims),
        quizzes=tuple(q for q, _ in quizzes),
    )
    # A quiz mix must be one the bank can satisfy (imported here: generate imports the model).
    from .generate import build_bank, eligible_counts

    if not facts and not claims and thesis is None and quizzes:
        # A new folder: one clear next step instead of an error per quiz question type.
        ferrs.add(
            1,
            "facts.yaml has no facts yet, so the quizzes have no questions",
            f"run 'quizapp content draft {slug}' and paste the candidates you keep into facts.yaml",
        )
        return None, sorted(errors, key=lambda e: (e.file, e.line))
    bank = build_bank(content, 0)
    for quiz, rec in quizzes:
        counts = eligible_counts(content, quiz, bank)
        for qtype, wanted in quiz.mix:
            have = counts.get(qtype, 0)
            if have < wanted:
                mix = rec["mix"]
                qerrs.add(
                    mix.line_of(qtype),
                    f"quiz '{quiz.id}' asks for {wanted} '{qtype}' question(s) but its topics "
                    f"supply {have}",
                    f"lower the count to {have}"
                    if have
                    else f"remove '{qtype}' from the mix, or add content that makes such items",
                )
    if errors:
        return None, sorted(errors, key=lambda e: (e.file, e.line))
    return content, []


def load_content(content_dir: Path) -> LoadResult:
    """Load every essay folder under ``content_dir``."""
    result = LoadResult()
    if not content_dir.is_dir():
        result.errors.append(
            ContentError(
                str(content_dir),
                1,
                "the content folder does not exist",
                "set CONTENT_DIR to a folder of essays",
            )
        )
        return result
    folders = sorted(
        p for p in content_dir.iterdir() if p.is_dir() and not p.name.startswith((".", "_"))
    )
    for folder in folders:
        content, errors = load_essay_folder(folder, content_dir)
        result.errors.extend(errors)
        if content is not None:
            result.essays[content.slug] = content
    if not folders:
        result.errors.append(
            ContentError(
                content_dir.name, 1, "no essay folders", "add a folder per essay (see the README)"
            )
        )
    return result


RELOAD_STAMP = ".reload"  # touched by `quizapp content reload` to make running servers reload


def content_mtime(content_dir: Path) -> float:
    """The newest modification time of any content file (or of the reload stamp)."""
    newest = 0.0
    if not content_dir.is_dir():
        return newest
    stamp = content_dir / RELOAD_STAMP
    if stamp.exists():
        newest = stamp.stat().st_mtime
    for path in content_dir.glob("*/*"):
        if path.name in CONTENT_FILES:
            newest = max(newest, path.stat().st_mtime)
    return newest
