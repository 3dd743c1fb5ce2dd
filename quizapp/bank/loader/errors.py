"""The error collector every content file's loader shares, and reading a YAML file into it."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..guidance import quote_guidance, suggest_choice
from ..model import Essay
from ..text import quote_in, slugify
from ..yamlines import LineDict, LineList, YamlSyntaxError, load_yaml

ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@dataclass(frozen=True, order=True)
class ContentError:
    file: str
    line: int
    message: str
    fix: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}; {self.fix}"


class _Errors:
    """Collects errors for one file."""

    def __init__(self, sink: list[ContentError], file: str) -> None:
        self.sink = sink
        self.file = file

    def add(self, line: int, message: str, fix: str) -> None:
        self.sink.append(ContentError(self.file, line, message, fix))

    def unknown_keys(self, data: LineDict, allowed: Iterable[str], what: str) -> None:
        allowed = list(allowed)
        for key, line in data.duplicates:
            self.add(line, f"'{key}' is given twice in this {what}", "keep one of them")
        for key in data:
            if key not in allowed:
                close = difflib.get_close_matches(key, allowed, n=1)
                fix = (
                    f"did you mean '{close[0]}'?" if close else f"use one of: {', '.join(allowed)}"
                )
                self.add(data.line_of(key), f"unknown field '{key}' in {what}", fix)

    def text(self, data: LineDict, key: str, what: str, *, required: bool = True) -> str | None:
        if key not in data or data[key] is None:
            if required:
                self.add(data.line, f"{what} has no '{key}'", f"add '{key}: ...'")
            return None
        value = data[key]
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            self.add(data.line_of(key), f"'{key}' must be text", f"write '{key}: \"...\"'")
            return None
        value = str(value).strip()
        if not value:
            if required:
                self.add(data.line_of(key), f"'{key}' is empty", f"write the {key} after '{key}:'")
            return None
        return value

    def integer(
        self, data: LineDict, key: str, what: str, *, required: bool = True, minimum: int = 0
    ) -> int | None:
        if key not in data or data[key] is None:
            if required:
                self.add(data.line, f"{what} has no '{key}'", f"add '{key}: <number>'")
            return None
        value = data[key]
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            self.add(
                data.line_of(key),
                f"'{key}' must be a whole number of at least {minimum}, not {value!r}",
                f"write '{key}: {max(minimum, 1)}' or another whole number",
            )
            return None
        return value

    def ident(self, data: LineDict, what: str, seen: dict[str, str]) -> str | None:
        value = self.text(data, "id", what)
        if value is None:
            return None
        line = data.line_of("id")
        if not ID_RE.match(value):
            suggestion = slugify(value, "my-id")
            self.add(
                line,
                f"id '{value}' is not lowercase words joined by hyphens",
                f"write 'id: {suggestion}'",
            )
            return None
        if value in seen:
            self.add(
                line,
                f"id '{value}' is already used at {seen[value]}",
                "give this entry an id of its own",
            )
            return None
        seen[value] = f"{self.file}:{line}"
        return value

    def choice(self, data: LineDict, key: str, options: Iterable[str], what: str) -> str | None:
        value = self.text(data, key, what)
        if value is None:
            return None
        options = list(options)
        if value not in options:
            close = suggest_choice(key, value, options)
            fix = f"did you mean '{close}'?" if close else f"use one of: {', '.join(options)}"
            self.add(data.line_of(key), f"unknown {key} '{value}'", fix)
            return None
        return value

    def para(self, data: LineDict, key: str, what: str, essay: Essay | None) -> int | None:
        number = self.integer(data, key, what, minimum=1)
        if number is None or essay is None:
            return number
        if essay.paragraph(number) is None:
            numbers = [p.number for p in essay.paragraphs]
            self.add(
                data.line_of(key),
                f"paragraph {number} does not exist in essay.md",
                f"use a paragraph number between {min(numbers, default=1)} and "
                f"{max(numbers, default=1)}",
            )
            return None
        return number

    def quote(
        self, data: LineDict, key: str, what: str, essay: Essay | None, para: int | None
    ) -> str | None:
        quote = self.text(data, key, what)
        if quote is None or essay is None or para is None:
            return quote
        paragraph = essay.paragraph(para)
        if paragraph and not quote_in(quote, paragraph.text):
            fix = quote_guidance(quote, essay, para)
            self.add(data.line_of(key), f"quote is not found verbatim in paragraph {para}", fix)
            return None
        return quote

    def records(self, value: Any, what: str, line: int = 1) -> list[LineDict]:
        if value is None:
            return []
        if not isinstance(value, list):
            self.add(
                getattr(value, "line", line),
                f"expected a list of {what}s",
                f"start each {what} with '- id: ...'",
            )
            return []
        out = []
        for i, entry in enumerate(value):
            if isinstance(entry, LineDict):
                out.append(entry)
            else:
                item_line = value.line_of(i) if isinstance(value, LineList) else line
                self.add(
                    item_line, f"this {what} is not a mapping", "write it as '- id: ...' fields"
                )
        return out


def _display(path: Path, content_dir: Path) -> str:
    try:
        return str(Path(content_dir.name) / path.relative_to(content_dir))
    except ValueError:
        return str(path)


def _read_yaml(path: Path, errs: _Errors) -> Any:
    if not path.exists():
        errs.add(1, f"{path.name} is missing", f"create {path.name} (see the README)")
        return None
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        line = path.read_bytes()[: exc.start].count(b"\n") + 1
        errs.add(line, "the file is not valid UTF-8", "save the file with UTF-8 encoding")
        return None
    try:
        return load_yaml(text)
    except YamlSyntaxError as exc:
        errs.add(exc.line, exc.message, exc.fix)
        return None
