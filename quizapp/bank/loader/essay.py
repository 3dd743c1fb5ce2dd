"""essay.md: the front matter and the numbered paragraphs."""

from __future__ import annotations

import re
from pathlib import Path

from ..model import Essay, Paragraph
from ..yamlines import LineDict, YamlSyntaxError, load_yaml
from .errors import _Errors

PARA_RE = re.compile(r"^\[(\d+)\]\s*(.*)$")


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
