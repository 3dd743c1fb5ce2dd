"""GIFT escapes, format markers and the small text helpers the import shares."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal

from quizapp.bank.text import normalize_answer, slugify
from quizapp.exports.giftformat import one_line as _one_line

# Escaped characters become private-use placeholders while the question is taken apart,
# as Moodle does; _restore turns them back into the characters they stand for.
_PLACEHOLDER = {
    "\\": "\ue000",
    ":": "\ue001",
    "#": "\ue002",
    "=": "\ue003",
    "{": "\ue004",
    "}": "\ue005",
    "~": "\ue006",
    "n": "\ue007",
}
_RESTORE = str.maketrans({v: ("\n" if k == "n" else k) for k, v in _PLACEHOLDER.items()})
_FORMAT = re.compile(r"^\s*\[(html|moodle|plain|markdown)\]")
_WEIGHT = re.compile(r"^%(-?\d+(?:\.\d*)?)%")
_BLANK_RUN = re.compile(r"_{3,}")
_BLOCK_TAG = re.compile(r"</?(?:p|div|br|li|ul|ol|h[1-6]|tr|td|th|table|blockquote)\b[^>]*>", re.I)
_TAG = re.compile(r"<[^>]*>")
_TRUE_FALSE = {"T": True, "TRUE": True, "F": False, "FALSE": False}


def _protect(text: str) -> str:
    out = []
    i = 0
    while i < len(text):
        if text[i] == "\\" and i + 1 < len(text) and text[i + 1] in _PLACEHOLDER:
            out.append(_PLACEHOLDER[text[i + 1]])
            i += 2
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


def _restore(text: str, fmt: str | None = None) -> str:
    text = text.translate(_RESTORE)
    if fmt == "html":
        text = html.unescape(_TAG.sub("", _BLOCK_TAG.sub(" ", text)))
    return text


def _strip_format(text: str) -> tuple[str, str | None]:
    m = _FORMAT.match(text)
    return (text[m.end() :], m.group(1)) if m else (text, None)


def _clean(text: str, fmt: str | None) -> str:
    """An answer or a choice: format marker dropped, escapes restored, one line."""
    text, own = _strip_format(text)
    return _one_line(_restore(text, own or fmt))


def _unbrace(text: str) -> str:
    return text.replace("{", "(").replace("}", ")")


def _safe(text: str) -> str:
    """Text on one line that cannot break cloze markup."""
    return _one_line(_unbrace(text))


def _safe_answer(text: str) -> str:
    return _safe(text).replace("|", "/")


def _cloze(alternatives: Sequence[str]) -> str:
    return "{{" + "|".join(alternatives) + "}}"


def _unique(values: Iterable[str], banned: Iterable[str] = ()) -> list[str]:
    seen = {normalize_answer(b) for b in banned}
    out = []
    for value in values:
        key = normalize_answer(value)
        if value and key not in seen:
            seen.add(key)
            out.append(value)
    return out


def _slug(text: str, fallback: str, limit: int = 48) -> str:
    return slugify(text, fallback, limit)


def _split_category(path: str) -> list[str]:
    names = path.replace("//", "\ue010").split("/")
    return [n.replace("\ue010", "/").strip() for n in names]


def _number(value: Decimal) -> str:
    if value == value.to_integral_value():
        return str(int(value))
    return format(value.normalize(), "f")
