"""A taken-apart GIFT question -> the facts (cloze statements) it becomes."""

from __future__ import annotations

from collections.abc import Sequence

from quizapp.bank.text import cloze_fill
from quizapp.exports.giftformat import one_line as _one_line

from .data import ImportedFact
from .question import _Parsed
from .text import _BLANK_RUN, _cloze, _safe, _safe_answer, _unbrace, _unique

TRUE_FALSE_KIND = "title"  # see the package docstring: keeps true/false facts apart


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
        # A Moodle short-answer question lists every answer its author accepts: it stays
        # typed. A choice question's answer may have other right wordings nobody listed.
        typed=True if parsed.type == "shortanswer" else None,
    )
    return fact.quote, [fact]
