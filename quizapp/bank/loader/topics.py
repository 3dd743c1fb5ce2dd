"""topics.yaml: the topics and the paragraphs each covers."""

from __future__ import annotations

from typing import Any

from ..model import Essay, Topic
from ..yamlines import LineDict
from .errors import _Errors


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
