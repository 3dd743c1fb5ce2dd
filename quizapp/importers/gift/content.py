"""An imported GIFT bank -> a content folder the loader accepts."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import yaml

from quizapp.bank import build_bank
from quizapp.bank.loader import CONTENT_FILES, ID_RE
from quizapp.bank.model import Blank, Essay, EssayContent, Fact, Paragraph, Quiz, Topic
from quizapp.bank.text import cloze_parts
from quizapp.exports.giftformat import one_line as _one_line

from .data import ImportedBank
from .facts import TRUE_FALSE_KIND

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
            if f.typed is not None:
                record["typed"] = f.typed
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
                    typed_answer=f.typed,
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
