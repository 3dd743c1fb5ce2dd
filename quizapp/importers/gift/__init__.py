"""Moodle GIFT: import GIFT questions as a content folder (the export is
:mod:`quizapp.exports.gift`).

:func:`gift_to_content` reads multiple choice (single and multiple answer), true/false,
short answer, matching and numerical questions, with comments (``//``), titles,
``$CATEGORY:`` lines, escapes, per-answer and general feedback, ``[html]``-style format
markers and the "missing word" form (answers in the middle of the sentence). Essay questions
(``{}``), descriptions (no braces), broken braces, missing answers and bad numbers become
:class:`GiftError` (``file:line: what is wrong; what to write instead``, the line being the
question's first line); all are collected and the good questions are still imported. Our
content is facts with cloze answers, so every question becomes a fact:

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

Modules: ``data`` (what an import yields), ``text`` (escapes and small helpers),
``question`` (one question taken apart), ``facts`` (a question's facts), ``content``
(writing the content folder); this module reads the whole file.
"""

from __future__ import annotations

from quizapp.bank.text import BLANK
from quizapp.exports.giftformat import one_line as _one_line

from .content import write_content
from .data import GiftError, ImportedBank, ImportedFact, ImportedQuestion, ImportedTopic
from .facts import _facts_for
from .question import _parse_question, _Problem
from .text import _protect, _restore, _slug, _split_category

__all__ = [
    "GiftError",
    "ImportedBank",
    "ImportedFact",
    "ImportedQuestion",
    "ImportedTopic",
    "gift_to_content",
    "write_content",
]


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
