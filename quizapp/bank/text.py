"""Text helpers shared by the loader, the generator and grading."""

from __future__ import annotations

import re
import unicodedata

from slugify import slugify as _slugify

_QUOTES = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u2033": '"',
        "\u00ab": '"',
        "\u00bb": '"',
    }
)
_SPACE = re.compile(r"\s+")
_CLOZE = re.compile(r"\{\{(.*?)\}\}")
BLANK = "_____"
# A leading article is a whole word ("the Kremlin"), never the start of one ("Lavrov");
# "l'" has become "l " by the time articles are stripped (punctuation turns to spaces).
_ARTICLES = re.compile(r"^(?:(?:the|a|an|le|la|les)\s+|l\s)", re.IGNORECASE)
_PUNCT = re.compile(r"[^\w\s]", re.UNICODE)


def slugify(text: str, fallback: str, limit: int = 48) -> str:
    """Lowercase ASCII words joined by hyphens, for ids, slugs and file names: other scripts
    and letters are transliterated ("Straße" -> "strasse", "Гагарин" -> "gagarin"), cut at a
    word boundary within ``limit`` characters; ``fallback`` when nothing is left."""
    return _slugify(text, max_length=limit, word_boundary=True) or fallback


def normalize_passage(text: str) -> str:
    """Collapse whitespace and straighten typographic quotes, for verbatim-quote checks."""
    return _SPACE.sub(" ", text.translate(_QUOTES)).strip()


def quote_in(quote: str, paragraph: str) -> bool:
    return normalize_passage(quote) in normalize_passage(paragraph)


def normalize_answer(text: str) -> str:
    """Fold an answer for comparison: case, accents, punctuation, leading articles, spaces."""
    folded = unicodedata.normalize("NFKD", text.translate(_QUOTES).casefold())
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch))
    folded = _PUNCT.sub(" ", folded)
    folded = _SPACE.sub(" ", folded).strip()
    return _ARTICLES.sub("", folded).strip()


def cloze_parts(text: str) -> list[tuple[str, ...]]:
    """The answers of each ``{{answer|alt}}`` blank, in order."""
    return [
        tuple(a.strip() for a in m.group(1).split("|") if a.strip()) for m in _CLOZE.finditer(text)
    ]


def cloze_stem(text: str, blank: str = BLANK) -> str:
    """The sentence with every answer blanked out."""
    return _CLOZE.sub(blank, text)


def cloze_fill(text: str, replacements: dict[int, str] | None = None) -> str:
    """The sentence with each blank's first answer, or the given replacement by blank index."""
    replacements = replacements or {}
    counter = iter(range(10_000))

    def fill(m: re.Match[str]) -> str:
        i = next(counter)
        if i in replacements:
            return replacements[i]
        return m.group(1).split("|")[0].strip()

    return _CLOZE.sub(fill, text)


def cloze_markup_error(text: str) -> str | None:
    """What is wrong with a sentence's cloze markup, or None."""
    stripped = _CLOZE.sub("", text)
    if "{{" in stripped or "}}" in stripped:
        return "unbalanced '{{' or '}}'"
    for m in _CLOZE.finditer(text):
        inner = m.group(1)
        if "{" in inner or "}" in inner:
            return f"nested braces in '{{{{{inner}}}}}'"
        if not [a for a in inner.split("|") if a.strip()]:
            return "an empty answer '{{}}'"
        if any(not a.strip() for a in inner.split("|")):
            return f"an empty alternative in '{{{{{inner}}}}}'"
    if not _CLOZE.search(text):
        return "no answer marked"
    return None
