"""Imported questions land in the essay: each is attached to the paragraph that states it.

A question is attached when a sentence of the essay holds its answer verbatim and reads like
the question (rapidfuzz), or when a sentence reads like the whole statement (true/false);
the sentence becomes the fact's verbatim quote. The rest are reported as unmatched, for the
teacher to place by hand.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz

from ..authoring.draft import _record_lines, build_index, classify_name, sentences
from ..bank.dates import parse_date
from ..bank.loader.errors import _Errors
from ..bank.loader.essay import _load_essay
from ..bank.model import Essay
from ..bank.text import cloze_parts, normalize_answer, quote_in, slugify
from ..bank.yamlines import YamlSyntaxError, load_yaml

MIN_SIMILARITY = 35.0  # the question must read somewhat like the sentence holding its answer
STATEMENT_SIMILARITY = 85.0  # or the whole statement like a sentence (true/false, no answer)
RARE = 2  # sentences: an answer stated this rarely places its question by itself


@dataclass(frozen=True)
class Question:
    """One imported question, before it is placed."""

    source: str  # "file:line"
    text: str  # the fact's text, with {{answer|alternatives}}
    prompt: str  # what the question asks, for matching against the essay
    kind: str | None = None  # None: guessed from the answer
    question: str | None = None
    distractors: tuple[str, ...] = ()
    explanation: str | None = None

    @property
    def answers(self) -> tuple[str, ...]:
        parts = cloze_parts(self.text)
        return parts[0] if parts else ()


@dataclass(frozen=True)
class Placed:
    question: Question
    record: dict[str, Any]
    score: float


@dataclass
class Attachment:
    placed: list[Placed] = field(default_factory=list)
    unmatched: list[tuple[Question, dict[str, Any]]] = field(default_factory=list)


def _contains(sentence: str, answer: str) -> bool:
    key = normalize_answer(answer)
    return bool(key) and f" {key} " in f" {normalize_answer(sentence)} "


def guess_kind(answer: str, essay: Essay, index: Any) -> str:
    text = answer.strip()
    if re.fullmatch(r"1\d{3}|20\d{2}", text):
        return "year"
    date = parse_date(text)
    if date is not None:
        return "year" if date.precision in {"year", "decade"} else "date"
    if re.fullmatch(r"[\d.,]+\s*%?", text):
        return "number"
    if text[:1].isupper():
        return classify_name(text, index) or "term"
    return "term"


def attach(
    essay: Essay,
    topic_paras: dict[str, tuple[int, ...]],
    questions: Sequence[Question],
    existing_ids: Iterable[str] = (),
) -> Attachment:
    """Place each question on the sentence that states it; ids unique against existing ones."""
    sentence_lists = {p.number: sentences(p.text) for p in essay.paragraphs}
    index = build_index(essay, sentence_lists)
    topic_of: dict[int, str] = {}
    for tid, paras in topic_paras.items():
        for p in paras:
            topic_of.setdefault(p, tid)
    default_topic = next(iter(topic_paras), "")
    used = set(existing_ids)
    result = Attachment()
    for q in questions:
        answers = q.answers
        best: tuple[float, int, str] | None = None
        holding = [
            (para, sentence)
            for para, sentence_list in sentence_lists.items()
            for _offset, sentence in sentence_list
            if answers and any(_contains(sentence, a) for a in answers)
        ]
        # An answer the essay states once or twice is evidence enough; a common one ("two")
        # must also stand in a sentence that reads like the question.
        rare = len(holding) <= RARE and len(answers[0] if answers else "") >= 4
        for para, sentence in holding:
            score = float(fuzz.token_set_ratio(q.prompt, sentence))
            if (rare or score >= MIN_SIMILARITY) and (best is None or score > best[0]):
                best = (score, para, sentence)
        if best is None:  # a statement to judge (true/false): a sentence that reads like it
            for para, sentence_list in sentence_lists.items():
                for _offset, sentence in sentence_list:
                    score = float(fuzz.partial_ratio(q.prompt, sentence))
                    if score >= STATEMENT_SIMILARITY and (best is None or score > best[0]):
                        best = (score, para, sentence)
        answer = answers[0] if answers else ""
        kind = q.kind or guess_kind(answer, essay, index)
        banned = {normalize_answer(a) for a in answers}
        distractors: list[str] = []
        for d in q.distractors:
            key = normalize_answer(d)
            if key and key not in banned and key not in {normalize_answer(x) for x in distractors}:
                distractors.append(d)
        base = slugify(" ".join([answer, *q.prompt.split()[:4]]), "imported")
        fid, n = base, 2
        while fid in used:
            fid, n = f"{base}-{n}", n + 1
        used.add(fid)
        record: dict[str, Any] = {"id": fid, "topic": default_topic, "text": q.text, "kind": kind}
        if best is not None:
            _score, para, sentence = best
            paragraph = essay.paragraph(para)
            assert paragraph is not None and quote_in(sentence, paragraph.text)
            record["topic"] = topic_of.get(para, default_topic)
            record["para"] = para
            record["quote"] = sentence
        if q.question:
            record["question"] = q.question
        if distractors:
            record["distractors"] = distractors
        if q.explanation:
            record["explanation"] = q.explanation
        if best is not None:
            result.placed.append(Placed(q, record, best[0]))
        else:
            result.unmatched.append((q, record))
    return result


class ImportError_(Exception):
    """The essay folder cannot take imports (shown to the teacher as it is)."""


def essay_folder(folder: Path) -> tuple[Essay, dict[str, tuple[int, ...]], set[str]]:
    """The folder's essay, topics (id -> paras) and the ids already used in it."""
    errors: list[Any] = []
    essay = _load_essay(folder / "essay.md", folder.name, _Errors(errors, "essay.md"))
    if essay is None or errors:
        raise ImportError_(
            "essay.md has errors; run 'quizapp content check' first:\n"
            + "\n".join(f"  {e}" for e in errors)
        )
    topic_paras: dict[str, tuple[int, ...]] = {}
    ids: set[str] = set()
    for name in ("topics.yaml", "facts.yaml", "arguments.yaml"):
        try:
            data = load_yaml((folder / name).read_text(encoding="utf-8"))
        except OSError:
            continue
        except YamlSyntaxError as exc:
            raise ImportError_(f"{name}:{exc.line}: {exc.message}; {exc.fix}") from exc
        records = data if isinstance(data, list) else []
        if isinstance(data, dict):
            records = [data.get("thesis") or {}, *(data.get("claims") or [])]
        for rec in records:
            if isinstance(rec, dict) and isinstance(rec.get("id"), str):
                ids.add(rec["id"])
                if name == "topics.yaml":
                    paras = rec.get("paras")
                    paras = paras if isinstance(paras, list) else [paras]
                    topic_paras[rec["id"]] = tuple(p for p in paras if isinstance(p, int))
    if not topic_paras:
        raise ImportError_("topics.yaml has no topics to file the questions under; add one first")
    return essay, topic_paras, ids


def append_to_facts(folder: Path, attachment: Attachment, source_name: str) -> Path:
    """Add the placed questions to facts.yaml, and the unmatched ones as comments to place."""
    path = folder / "facts.yaml"
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    if text.strip() == "[]":
        text = ""
    lines = [
        "",
        f"# --- imported from {source_name}: {len(attachment.placed)} placed on the paragraph "
        "that states them ---",
        "",
    ]
    for placed in attachment.placed:
        lines += _record_lines(placed.record)
        lines.append("")
    if attachment.unmatched:
        lines += [
            f"# --- {len(attachment.unmatched)} unmatched: no sentence of the essay states them.",
            "# Place each by hand (add 'para' and a verbatim 'quote'), then remove the '# '.",
            "",
        ]
        for q, record in attachment.unmatched:
            lines.append(f"# from {q.source}")
            lines += ["# " + line for line in _record_lines(record)]
            lines.append("")
    if text and not text.endswith("\n"):
        text += "\n"
    path.write_text(text + "\n".join(lines).rstrip() + "\n", encoding="utf-8")
    return path


def with_source(questions: Sequence[Question], name: str) -> list[Question]:
    return [
        replace(q, source=f"{name}:{q.source}") if ":" not in q.source else q for q in questions
    ]


def gift_questions(text: str, name: str) -> tuple[list[Question], list[Any]]:
    """GIFT questions as questions to attach (their facts keep the GIFT import's wording)."""
    from ..bank.text import BLANK
    from .gift import gift_to_content

    imported, errors = gift_to_content(text, source_name=name)
    out = []
    for q in imported.questions:
        prompt = " ".join(q.text.replace(BLANK, " ").split())
        for f in q.facts:
            out.append(
                Question(
                    source=f"{name}:{q.line}",
                    text=f.text,
                    prompt=prompt,
                    kind=f.kind,
                    question=f.question,
                    distractors=f.distractors,
                    explanation=f.explanation,
                )
            )
    return out, errors
