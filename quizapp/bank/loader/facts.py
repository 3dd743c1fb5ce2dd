"""facts.yaml: the facts, and the field readers arguments.yaml shares."""

from __future__ import annotations

import difflib
from typing import Any

from ..dates import DATE_FORMS, parse_date
from ..model import ANSWER_KINDS, WEIGHTS, WORD_CLASSES, Blank, Essay, Fact
from ..text import cloze_fill, cloze_markup_error, cloze_parts, normalize_answer
from ..yamlines import LineDict
from .errors import _Errors

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
    "typed",
    "choice",
    "restates",
)


def _load_facts(
    data: Any,
    essay: Essay | None,
    topic_ids: set[str],
    ids: dict[str, str],
    errs: _Errors,
    restates: list[tuple[_Errors, LineDict, str | None, str]] | None = None,
) -> tuple[list[Fact], list[tuple[LineDict, str]]]:
    """The facts, and the (record, claim id) pairs their ``supports`` name; each link a
    fact's ``restates`` names is appended to ``restates`` as (errors, record, own id, id)
    for the folder's loader to check against every content id."""
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
        typed = rec.get("typed")
        if typed is not None and not isinstance(typed, bool):
            errs.add(
                rec.line_of("typed"),
                "'typed' must be true or false",
                "write 'typed: true' to make typed items from a fact whose every right wording "
                "is listed, 'typed: false' to ask it only as choices",
            )
            typed = None
        choice = rec.get("choice", True)
        if not isinstance(choice, bool):
            errs.add(
                rec.line_of("choice"),
                "'choice' must be true or false",
                "write 'choice: false' to keep a fact whose answer general knowledge gives out "
                "of single-choice items",
            )
            choice = True
        links = _string_list(rec, "restates", errs)
        if restates is not None:
            restates += [(errs, rec, fid, other) for other in links]
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
                    typed_answer=typed,
                    choice=choice,
                    restates=links,
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
