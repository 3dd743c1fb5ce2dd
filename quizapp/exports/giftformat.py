"""GIFT text pieces shared by the export and by each item type's writer.

A leaf module: it imports nothing of the bank at run time, so the item types
(:mod:`quizapp.bank.types`) can use it while the bank is being imported.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from quizapp.bank.model import Item

MATCHING_MIN_PAIRS = 3
ARROW = "->"
ARROW_SUBSTITUTE = "→"

# Moodle's grade list (question_bank::fraction_options_full) as percentages: n options
# sharing 100% equally each get SHARES[n].
SHARES = {
    1: "100",
    2: "50",
    3: "33.33333",
    4: "25",
    5: "20",
    6: "16.66667",
    7: "14.28571",
    8: "12.5",
    9: "11.11111",
    10: "10",
    20: "5",
}

# --- export ------------------------------------------------------------------------------

_ESCAPED = frozenset("\\~=#{}:")


def gift_escape(text: str) -> str:
    """Escape text for GIFT: a backslash before ``\\ ~ = # { } :``, newlines as ``\\n``."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return "".join("\\" + ch if ch in _ESCAPED else "\\n" if ch == "\n" else ch for ch in text)


def one_line(text: str) -> str:
    return " ".join(text.split())


def feedback(item: Item) -> str:
    refs = []
    for source in item.sources:
        ref = f"¶{source.para}: “{source.quote}”"
        if ref not in refs:
            refs.append(ref)
    note = f"({'; '.join(refs)})"
    explanation = item.explanation.strip()
    return f"{explanation} {note}" if explanation else note


def question(title: str, text: str, answers: Sequence[str], feedback: str) -> str:
    lines = [f"::{gift_escape(title)}:: {gift_escape(text)} {{"]
    lines += [f"\t{a}" for a in answers]
    lines.append(f"\t####{gift_escape(feedback)}")
    lines.append("}")
    return "\n".join(lines)


def short_answers(accepted: Iterable[str]) -> list[str]:
    out: list[str] = []
    for answer in accepted:
        line = "=" + gift_escape(answer.replace(ARROW, ARROW_SUBSTITUTE))
        if line not in out:
            out.append(line)
    return out
