"""YAML parsing that remembers line numbers, so errors can name ``file:line``."""

from __future__ import annotations

import re
from typing import Any

import yaml

from .guidance import GENERIC_YAML_FIX, explain_yaml


class LineDict(dict[str, Any]):
    """A mapping that knows the line it starts on and the line of each key."""

    line: int
    key_lines: dict[str, int]
    duplicates: list[tuple[str, int]]

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


class LineList(list[Any]):
    line: int
    item_lines: list[int]

    def line_of(self, index: int) -> int:
        return self.item_lines[index] if index < len(self.item_lines) else self.line


class _Loader(yaml.SafeLoader):
    pass


def _construct_map(loader: _Loader, node: yaml.MappingNode):  # type: ignore[no-untyped-def]
    data = LineDict()
    data.line = node.start_mark.line + 1
    data.key_lines = {}
    data.duplicates = []
    yield data
    loader.flatten_mapping(node)
    for key_node, value_node in node.value:
        # Keys are names as written: `false:` is the field "false", not YAML 1.1's boolean.
        if isinstance(key_node, yaml.ScalarNode):
            key = str(key_node.value)
        else:
            key = str(loader.construct_object(key_node, deep=True))
        line = key_node.start_mark.line + 1
        if key in data.key_lines:
            data.duplicates.append((key, line))
        data.key_lines[key] = line
        data[key] = loader.construct_object(value_node, deep=True)


def _construct_seq(loader: _Loader, node: yaml.SequenceNode):  # type: ignore[no-untyped-def]
    data = LineList()
    data.line = node.start_mark.line + 1
    data.item_lines = [child.start_mark.line + 1 for child in node.value]
    yield data
    data.extend(loader.construct_object(child, deep=True) for child in node.value)


def _construct_timestamp(loader: _Loader, node: yaml.ScalarNode) -> str:
    # Dates stay strings ("2020-02-29"): the model validates them itself.
    return str(loader.construct_scalar(node))


_Loader.add_constructor("tag:yaml.org,2002:map", _construct_map)
_Loader.add_constructor("tag:yaml.org,2002:seq", _construct_seq)
_Loader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)


class YamlSyntaxError(Exception):
    def __init__(self, line: int, message: str, fix: str = GENERIC_YAML_FIX) -> None:
        super().__init__(message)
        self.line = line
        self.message = message
        self.fix = fix


def _opening_line(lines: list[str], line: int, exc: yaml.MarkedYAMLError) -> int | None:
    """The line above an error whose double quote or '[' list is never closed, if any.

    An unclosed quote or list swallows the lines below it, so the parser stumbles later;
    the teacher needs the line where it was opened.
    """
    if "mapping values are not allowed" in (exc.problem or ""):
        return None
    start = exc.context_mark.line + 1 if exc.context_mark else 1
    for number in range(min(line, len(lines)), max(start, 1) - 1, -1):
        code = lines[number - 1].replace('\\"', "")
        if code.lstrip().startswith("#"):
            continue
        outside = re.sub(r'"[^"]*"', "", code)
        if code.count('"') % 2 == 1 or outside.count("[") > outside.count("]"):
            return number
    return None


def load_yaml(text: str) -> Any:
    """Parse YAML text into LineDict/LineList values; raise YamlSyntaxError with a line."""
    try:
        return yaml.load(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        lines = text.splitlines()
        line = _opening_line(lines, line, exc) or line
        line_text = lines[line - 1] if 0 < line <= len(lines) else ""
        message, fix = explain_yaml(exc.problem or "invalid YAML", exc.context or "", line_text)
        raise YamlSyntaxError(line, f"YAML syntax error: {message}", fix) from exc
    except yaml.reader.ReaderError as exc:
        line = text[: exc.position].count("\n") + 1
        raise YamlSyntaxError(
            line, f"the file holds a control character (#x{exc.character:04x}) YAML does not allow"
        ) from exc
    except yaml.YAMLError as exc:
        raise YamlSyntaxError(1, "YAML error: " + " ".join(str(exc).split())) from exc
