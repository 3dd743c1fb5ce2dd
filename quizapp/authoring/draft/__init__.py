"""``quizapp content draft``: candidate facts and claims proposed from the essay's text.

Offline and fast: sentences come from pysbd (rules that ship inside the package); dates,
numbers, quantities and capitalized names from regular expressions and small word lists.
Every candidate quotes its sentence verbatim, blanks one answer as ``{{answer|alternative}}``,
and draws same-kind distractors from the essay itself. The YAML output is in the exact
``facts.yaml`` format, ranked by importance: accepting a candidate is moving it there.

Modules: ``sentences`` (a paragraph cut into sentences), ``answers`` (the dates, numbers,
names and terms a sentence offers as answers), ``candidates`` (facts and claims with their
blanks, distractors and ranking); this module reads a folder and writes the output.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import yaml

from ...bank.loader.errors import _Errors
from ...bank.loader.essay import _load_essay
from ...bank.sentences import sentences
from ...bank.yamlines import YamlSyntaxError, load_yaml
from .answers import EssayIndex, Span, build_index, classify_name, words_to_number
from .candidates import ClaimCandidate, Draft, FactCandidate, draft_essay

__all__ = [
    "ClaimCandidate",
    "Draft",
    "DraftError",
    "EssayIndex",
    "FactCandidate",
    "Span",
    "build_index",
    "classify_name",
    "draft_essay",
    "draft_folder",
    "draft_json",
    "draft_yaml",
    "sentences",
    "words_to_number",
]


class DraftError(Exception):
    pass


def draft_folder(folder: Path) -> Draft:
    """Draft from ``folder``'s essay.md and topics.yaml, skipping facts already accepted."""
    errors: list[Any] = []
    essay = _load_essay(folder / "essay.md", folder.name, _Errors(errors, "essay.md"))
    if essay is None or errors:
        raise DraftError(
            "essay.md has errors; run 'quizapp content check' first:\n"
            + "\n".join(f"  {e}" for e in errors)
        )
    topic_paras: dict[str, tuple[int, ...]] = {}
    try:
        topics = load_yaml((folder / "topics.yaml").read_text(encoding="utf-8"))
    except (OSError, YamlSyntaxError):
        topics = None
    for topic in topics or []:
        if isinstance(topic, dict) and isinstance(topic.get("id"), str):
            paras = topic.get("paras")
            paras = paras if isinstance(paras, list) else [paras]
            topic_paras[topic["id"]] = tuple(p for p in paras if isinstance(p, int))
    if not topic_paras:
        raise DraftError("topics.yaml has no topics to file the facts under; add one first")
    existing_ids: set[str] = set(topic_paras)
    existing_answers: list[tuple[int, str]] = []
    for name in ("facts.yaml", "arguments.yaml"):
        try:
            data = load_yaml((folder / name).read_text(encoding="utf-8"))
        except (OSError, YamlSyntaxError):
            continue
        records = data if isinstance(data, list) else []
        if isinstance(data, dict):
            records = [data.get("thesis") or {}, *(data.get("claims") or [])]
        for rec in records:
            if not isinstance(rec, dict):
                continue
            if isinstance(rec.get("id"), str):
                existing_ids.add(rec["id"])
            text = rec.get("text")
            if name == "facts.yaml" and isinstance(text, str) and isinstance(rec.get("para"), int):
                for m in re.finditer(r"\{\{(.*?)\}\}", text):
                    for answer in m.group(1).split("|"):
                        existing_answers.append((rec["para"], answer))
    return draft_essay(
        essay, topic_paras, existing_ids=existing_ids, existing_answers=existing_answers
    )


def _q(value: str) -> str:
    return yaml.safe_dump(value, allow_unicode=True, default_style='"', width=1_000_000).strip()


def _record_lines(record: dict[str, Any]) -> list[str]:
    lines = []
    for i, (key, value) in enumerate(record.items()):
        prefix = "- " if i == 0 else "  "
        if isinstance(value, list):
            rendered = "[" + ", ".join(_q(str(v)) for v in value) + "]"
        elif isinstance(value, int):
            rendered = str(value)
        elif key in {"id", "topic", "kind", "stance"}:
            rendered = value
        else:
            rendered = _q(value)
        lines.append(f"{prefix}{key}: {rendered}")
    return lines


def draft_yaml(draft: Draft) -> str:
    out = [
        f"# Candidate facts for '{draft.slug}', most important first ({len(draft.facts)}).",
        "# Each is a facts.yaml entry: keep, edit or delete, then paste the ones you keep into",
        "# facts.yaml and run 'quizapp content check'. Check every answer's kind and",
        "# distractors; add a 'question:' to get short-answer items.",
        "",
    ]
    for rank, fact in enumerate(draft.facts, start=1):
        out.append(f"# {rank}. score {fact.score:.2f}")
        out += _record_lines(fact.record())
        out.append("")
    if draft.claims:
        out += [
            f"# Claim candidates ({len(draft.claims)}): sentences that argue. Build arguments.yaml",
            "# claims from them (your own wording in 'text', the reasons the author gives);",
            "# they are comments here so that this file stays a valid facts.yaml.",
            "#",
        ]
        for claim in draft.claims:
            out.append(f"# markers: {', '.join(claim.markers)}")
            out += ["# " + line for line in _record_lines(claim.record())]
            out.append("#")
    return "\n".join(out).rstrip("#\n") + "\n"


def draft_json(draft: Draft) -> str:
    entries: list[dict[str, Any]] = []
    for fact in draft.facts:
        entries.append({"candidate": "fact", **fact.record(), "score": fact.score})
    for claim in draft.claims:
        entries.append(
            {
                "candidate": "claim",
                **claim.record(),
                "markers": list(claim.markers),
                "score": claim.score,
            }
        )
    return json.dumps(entries, ensure_ascii=False, indent=2) + "\n"
