"""``quizapp content new``: a plain text or Markdown essay -> a starter content folder.

The text is read as paragraphs (one per line, or blocks separated by blank lines); short lines
without final punctuation, and Markdown ``#`` headings, become section headings. The folder
gets ``essay.md`` with numbered paragraphs, one topic per section, empty ``facts.yaml`` and
``arguments.yaml`` with commented examples, and a practice quiz per topic plus a final exam.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from ..bank.loader import CONTENT_FILES, ID_RE
from ..bank.text import slugify

_MD_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_FINAL_PUNCT = tuple(".!?:;,…\"'”’)]»")
_NUMBERED = re.compile(r"^\[\d+\]\s*")
HEADING_MAX_WORDS = 12


@dataclass(frozen=True)
class Block:
    text: str
    heading: bool
    level: int = 0  # Markdown heading level (1 = "# Title"), 0 when guessed or a paragraph


def typographic(text: str) -> str:
    """Dashes, quotes and spaces as a typesetter would write them; words are unchanged."""
    text = text.replace("\u00a0", " ").replace("\t", " ")
    text = re.sub(r"\s*---?\s*", " — ", text)  # "--" or "---" -> a spaced em dash
    text = re.sub(r"(?<=\w) - (?=\w)", " — ", text)  # a spaced hyphen used as a dash
    text = re.sub(r'(^|[\s(\[{—-])"', "\\1“", text)
    text = text.replace('"', "”")
    text = re.sub(r"(?<=\w)'", "’", text)  # apostrophes and closing quotes after a letter
    text = re.sub(r"(^|[\s(\[{—-])'", "\\1‘", text)
    text = text.replace("'", "’")
    text = re.sub(r"\.\.\.", "…", text)
    text = re.sub(r" {2,}", " ", text)
    text = re.sub(r"\s+([,.;:!?])(?=\s|$)", r"\1", text)
    return text.strip()


def _looks_like_heading(line: str) -> bool:
    words = line.split()
    return 0 < len(words) <= HEADING_MAX_WORDS and not line.rstrip().endswith(_FINAL_PUNCT)


def split_blocks(text: str) -> list[Block]:
    """Paragraphs and headings, in order."""
    lines = [line.rstrip() for line in text.lstrip("\ufeff").replace("\r\n", "\n").split("\n")]
    filled = [i for i, line in enumerate(lines) if line.strip()]
    has_blank_separators = bool(filled) and any(
        not lines[i].strip() for i in range(filled[0], filled[-1])
    )
    chunks: list[str] = []
    current: list[str] = []
    for line in lines:
        stripped = line.strip()
        md = _MD_HEADING.match(stripped)
        if not stripped or md or not has_blank_separators:
            if current:
                chunks.append(" ".join(current))
                current = []
            if stripped:
                chunks.append(stripped)
            continue
        current.append(stripped)
    if current:
        chunks.append(" ".join(current))
    blocks = []
    for chunk in chunks:
        md = _MD_HEADING.match(chunk)
        if md:
            blocks.append(Block(typographic(md.group(2)), True, len(md.group(1))))
        elif _looks_like_heading(chunk):
            blocks.append(Block(typographic(chunk), True))
        else:
            blocks.append(Block(typographic(_NUMBERED.sub("", chunk)), False))
    return blocks


@dataclass(frozen=True)
class Section:
    title: str | None
    paras: tuple[int, ...]
    texts: tuple[str, ...]


@dataclass(frozen=True)
class NewEssay:
    title: str | None
    sections: tuple[Section, ...]

    @property
    def paragraph_count(self) -> int:
        return sum(len(s.paras) for s in self.sections)


def parse_text(text: str) -> NewEssay:
    blocks = split_blocks(text)
    title = None
    # A leading "# Title" (the only level-1 heading) names the essay, not a section.
    if blocks and blocks[0].level == 1 and sum(1 for b in blocks if b.level == 1) == 1:
        title = blocks.pop(0).text
    sections: list[tuple[str | None, list[int], list[str]]] = [(None, [], [])]
    number = 0
    for block in blocks:
        if block.heading:
            if sections[-1][1] or sections[-1][0] is not None:
                sections.append((block.text, [], []))
            else:
                sections[-1] = (block.text, [], [])
        else:
            number += 1
            sections[-1][1].append(number)
            sections[-1][2].append(block.text)
    return NewEssay(title, tuple(Section(t, tuple(p), tuple(x)) for t, p, x in sections if p))


def _q(value: str) -> str:
    """A YAML scalar in double quotes (safe whatever the text holds)."""
    return yaml.safe_dump(value, allow_unicode=True, default_style='"', width=1_000_000).strip()


def _first_sentences(texts: tuple[str, ...], limit: int = 240) -> str:
    text = " ".join(texts)
    m = re.match(r"(.{40,}?[.!?…])(?:\s|$)", text)
    summary = m.group(1) if m else text
    if len(summary) > limit:
        summary = summary[:limit].rsplit(" ", 1)[0] + " …"
    return summary


INTRODUCTION = "Introduction"

FACTS_HEADER = """\
# Key facts of the essay, one per entry. Ids are stable: learner progress hangs on them.
# 'quizapp content draft {slug}' proposes candidates in this exact format: keep the good
# ones (edit freely), paste them below, and run 'quizapp content check'.
#
# - id: printing-press-mainz            # lowercase words joined by hyphens
#   topic: {topic}                       # a topic id from topics.yaml
#   text: "Gutenberg printed his Bible in {{{{Mainz}}}}."   # the answer in {{{{...}}}}
#   kind: place          # year, date, number, person, place, organization, term, title
#   para: {para}                         # the paragraph the quote comes from
#   quote: "..."                         # words copied exactly from that paragraph
#   question: "Where did Gutenberg print his Bible?"      # optional
#   distractors: ["Paris", "Venice", "Basel"]               # optional wrong answers
#   date: "1455"                         # optional, for ordering questions
"""

ARGUMENTS_HEADER = """\
# The essay's argument: its thesis, the claims it makes (or rejects), the reasons the
# author gives. 'quizapp content draft {slug}' lists claim candidates to start from.
#
# thesis:
#   id: main-thesis
#   text: "The essay's main claim, in your words."
#   para: {para}
#   quote: "words copied exactly from that paragraph"
#
# claims:
#   - id: a-claim
#     topic: {topic}
#     text: "A claim the essay makes, in your words."
#     stance: endorses                   # or: rejects (the author argues against it)
#     para: {para}
#     quote: "..."
#     reasons:
#       - text: "A reason the author gives."
#         para: {para}
#         quote: "..."
"""

PRACTICE_MIX = "{single: 1, true_false: 1, cloze: 1}"


def render_folder(
    essay: NewEssay, slug: str, title: str, author: str | None, year: int | None
) -> dict[str, str]:
    """The five files' text, by name."""
    front = ["---", f"title: {_q(title)}", f"author: {_q(author or '')}"]
    front.append(f"year: {year}" if year is not None else "year:")
    front.append("---")
    body: list[str] = []
    for section in essay.sections:
        if section.title is not None:
            body += [f"## {section.title}", ""]
        for number, text in zip(section.paras, section.texts, strict=True):
            body += [f"[{number}] {text}", ""]
    essay_md = "\n".join(front) + "\n\n" + "\n".join(body).rstrip() + "\n"

    topics: list[tuple[str, str, Section]] = []
    used: set[str] = set()
    for section in essay.sections:
        name = section.title or INTRODUCTION
        tid, n = slugify(name, "topic"), 2
        base = tid
        while tid in used:
            tid, n = f"{base}-{n}", n + 1
        used.add(tid)
        topics.append((tid, name, section))
    topic_lines = [
        "# One topic per section of the essay. Ids are fixed once students use them (facts,",
        "# arguments and quizzes refer to them). Replace each summary with two sentences",
        "# in your own words.",
        "",
    ]
    for tid, name, section in topics:
        topic_lines += [
            f"- id: {tid}",
            f"  title: {_q(name)}",
            f"  paras: [{', '.join(str(p) for p in section.paras)}]",
            f"  summary: {_q(_first_sentences(section.texts))}",
            "",
        ]
    first_topic, first_para = topics[0][0], topics[0][2].paras[0]
    quiz_lines = [
        "# A practice quiz per topic, then a final exam. Raise the counts as the bank grows;",
        "# add stance and reason questions once arguments.yaml has claims.",
        "",
    ]
    for tid, name, _section in topics:
        quiz_lines += [
            f"- id: {tid}-quiz",
            f"  title: {_q(name)}",
            f"  topics: [{tid}]",
            "  questions: 3",
            f"  mix: {PRACTICE_MIX}",
            "  attempts: 3",
            "  grading: highest",
            "  feedback: immediate",
            "  shuffle: true",
            "",
        ]
    n = len(topics)
    quiz_lines += [
        "- id: final-exam",
        f"  title: {_q('Final exam: ' + title)}",
        "  topics: all",
        f"  questions: {3 * n}",
        f"  mix: {{single: {n}, true_false: {n}, cloze: {n}}}",
        "  attempts: 2",
        "  grading: highest",
        "  feedback: deferred",
        "  shuffle: true",
    ]
    fmt = {"slug": slug, "topic": first_topic, "para": first_para}
    return {
        "essay.md": essay_md,
        "topics.yaml": "\n".join(topic_lines).rstrip() + "\n",
        "facts.yaml": FACTS_HEADER.format(**fmt),
        "arguments.yaml": ARGUMENTS_HEADER.format(**fmt),
        "quizzes.yaml": "\n".join(quiz_lines).rstrip() + "\n",
    }


def new_essay_folder(
    text: str,
    content_dir: Path,
    *,
    slug: str | None = None,
    title: str | None = None,
    author: str | None = None,
    year: int | None = None,
    source_name: str = "essay",
) -> Path:
    """Write ``content_dir/<slug>/``; never overwrite (FileExistsError), ValueError on bad input."""
    essay = parse_text(text)
    if not essay.paragraph_count:
        raise ValueError("the file holds no paragraph of text")
    title = title or essay.title or Path(source_name).stem.replace("-", " ").replace("_", " ")
    title = " ".join(title.split()) or "Untitled essay"
    slug = slug or slugify(title, "essay")
    if not ID_RE.match(slug):
        raise ValueError(
            f"slug '{slug}' is not lowercase words joined by hyphens; "
            f"try --slug {slugify(slug, 'essay')}"
        )
    folder = content_dir / slug
    if folder.exists():
        raise FileExistsError(f"{folder} already exists; choose another --slug (nothing written)")
    files = render_folder(essay, slug, title, author, year)
    folder.mkdir(parents=True)
    for name in CONTENT_FILES:
        (folder / name).write_text(files[name], encoding="utf-8")
    return folder
