"""CSV and tab-separated flashcard exports (Quizlet, Anki) -> questions to attach to an essay.

Accepted layouts, with or without a header row:

- two columns: term and definition (Quizlet's "term<TAB>definition" export, Anki's
  "Notes in Plain Text" front and back);
- three or more columns: question, answer, then distractors (one per column, or one column
  with them separated by ';' or '|').

Anki's ``#separator:...`` / ``#html:...`` header lines are skipped; HTML tags are dropped.
"""

from __future__ import annotations

import csv
import html
import io
import re
from dataclasses import dataclass

from .attach import Question

HEADERS = {
    "term": "term",
    "front": "term",
    "word": "term",
    "definition": "definition",
    "back": "definition",
    "meaning": "definition",
    "question": "question",
    "prompt": "question",
    "answer": "answer",
    "correct": "answer",
    "correct answer": "answer",
    "distractors": "distractors",
    "distractor": "distractors",
    "wrong": "distractors",
    "wrong answers": "distractors",
    "incorrect": "distractors",
    "explanation": "explanation",
    "feedback": "explanation",
}
_TAG = re.compile(r"<[^>]+>")


@dataclass(frozen=True)
class CsvError:
    file: str
    line: int
    message: str
    fix: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}; {self.fix}"


def _clean(cell: str) -> str:
    text = html.unescape(_TAG.sub(" ", cell.replace("<br>", " ")))
    return " ".join(text.replace("{", "(").replace("}", ")").split())


def _answer(cell: str) -> str:
    return _clean(cell).replace("|", "/")


def _sentence(text: str) -> str:
    return text if text[-1:] in ".!?…" else text + "."


def read_csv(text: str, name: str = "input.csv") -> tuple[list[Question], list[CsvError]]:
    """The questions of a CSV/TSV export, and a problem for each row that cannot be read."""
    lines = text.lstrip("\ufeff").splitlines()
    first = 0
    separator = None
    while first < len(lines) and lines[first].startswith("#"):  # Anki's header lines
        m = re.match(r"#separator:(\w+)", lines[first])
        if m:
            separator = {"tab": "\t", "comma": ",", "semicolon": ";", "pipe": "|"}.get(
                m.group(1).lower()
            )
        first += 1
    body = "\n".join(lines[first:])
    if separator is None:
        sample = "\n".join(lines[first : first + 20])
        separator = "\t" if "\t" in sample else None
        if separator is None:
            try:
                separator = csv.Sniffer().sniff(sample, delimiters=",;").delimiter
            except csv.Error:
                separator = ","
    rows = list(csv.reader(io.StringIO(body), delimiter=separator))
    questions: list[Question] = []
    errors: list[CsvError] = []
    columns: list[str] | None = None
    for number, row in enumerate(rows, start=first + 1):
        cells = [c.strip() for c in row]
        if not any(cells):
            continue
        if columns is None:
            named = [HEADERS.get(c.lower()) for c in cells]
            if all(named[:2]):
                columns = [n or "distractors" for n in named]
                continue
            columns = (
                ["term", "definition"]
                if len(cells) == 2
                else (["question", "answer"] + ["distractors"] * (len(cells) - 2))
            )
        data: dict[str, list[str]] = {}
        for column, cell in zip(columns, cells, strict=False):
            if cell:
                data.setdefault(column, []).append(cell)
        source = f"{name}:{number}"
        if "term" in data or "definition" in data:
            term, definition = data.get("term", [""])[0], data.get("definition", [""])[0]
            if not term or not definition:
                errors.append(
                    CsvError(
                        name,
                        number,
                        "a row needs both a term and a definition",
                        "fill both columns, or delete the row",
                    )
                )
                continue
            term, definition = _answer(term), _clean(definition)
            questions.append(
                Question(
                    source=source,
                    text=_sentence(f"{{{{{term}}}}}: {definition}"),
                    prompt=definition,
                    kind="term",  # a set's terms are one kind: each is the others' distractor
                    question=f"Which term fits this definition: {definition}",
                )
            )
            continue
        question, answer = data.get("question", [""])[0], data.get("answer", [""])[0]
        if not question or not answer:
            errors.append(
                CsvError(
                    name,
                    number,
                    "a row needs both a question and an answer",
                    "fill both columns, or delete the row",
                )
            )
            continue
        distractors: list[str] = []
        for cell in data.get("distractors", []):
            parts = re.split(r"\s*[;|]\s*", cell) if re.search(r"[;|]", cell) else [cell]
            distractors += [_answer(p) for p in parts if p.strip()]
        question, answer = _clean(question), _answer(answer)
        explanation = _clean(data["explanation"][0]) if "explanation" in data else None
        questions.append(
            Question(
                source=source,
                text=f"{question} — {{{{{answer}}}}}",
                prompt=question,
                question=question,
                distractors=tuple(distractors),
                explanation=explanation,
            )
        )
    return questions, errors
