"""Moodle GIFT: export the question bank (the importer is :mod:`quizapp.importers.gift`).

:func:`bank_to_gift` writes one essay's bank as GIFT text that Moodle imports as it is
(*Question bank → Import → GIFT format*). Every item gets its id as title (``::id::``) and
lands in the category ``$course$/Essay Study/<essay title>/<topic title>`` (items that span
several topics in ``$course$/Essay Study/<essay title>``). The general feedback (``####``)
carries the item's explanation and its source, ``(¶N: “quote”)``. Types:

- ``single``, ``reason``, ``stance``: multiple choice, ``{=right ~wrong ~wrong}``;
- ``multiple``, ``reasons_multiple``: multiple answer: the right options share +100% and the
  wrong ones -100%, equally, in weights from Moodle's list of grades (50, 33.33333, 25, 20,
  16.66667, ...); an item whose right options cannot share 100% equally that way (11 or
  more) is skipped;
- ``true_false``: ``{T}`` or ``{F}``;
- ``short_answer``: short answer, ``{=answer =alternative}``;
- ``cloze``: short answer too. GIFT has one blank per question, so a cloze item with several
  blanks becomes one short-answer question per blank, the other blanks filled in; their
  titles are ``<item id>:blank-<n>``;
- ``matching``, ``evidence_matching``: matching, ``{=statement -> answer ...}`` (Moodle wants
  at least 3 pairs; an item with fewer is skipped);
- ``ordering``: skipped: GIFT has no ordering question. Skipped items are listed in a
  comment at the top of the file.

Text is escaped (``\\ ~ = # { } :`` get a backslash, newlines become ``\\n``). Two things
GIFT cannot escape are replaced: ``->`` by ``→`` in matching statements and short answers
(Moodle would read it as a matching pair). The output is deterministic.
"""

from __future__ import annotations

from quizapp.bank import Bank, Item
from quizapp.bank.types import REGISTRY
from quizapp.exports.giftformat import gift_escape
from quizapp.exports.giftformat import one_line as _one_line

__all__ = ["bank_to_gift", "gift_escape"]

COURSE_CATEGORY = "$course$/Essay Study"


def _category(*parts: str) -> str:
    """A category path; '/' inside a name is doubled, as Moodle reads it."""
    names = [_one_line(p).replace("\\", "\\\\").replace("/", "//") for p in parts]
    return "/".join([COURSE_CATEGORY, *names])


def _item_to_gift(item: Item) -> tuple[list[str], str | None]:
    """The GIFT questions for one item, or none and why it is skipped (its type says how)."""
    if item.type not in REGISTRY:
        return [], f"GIFT has no question type for '{item.type}' items"
    return REGISTRY[item.type].gift(item)


def bank_to_gift(bank: Bank) -> str:
    """The bank's items as GIFT text, one category per topic (see the module docstring)."""
    content = bank.content
    essay = content.essay
    topic_order = [t.id for t in content.topics]
    groups: dict[str | None, list[str]] = {None: [], **{t: [] for t in topic_order}}
    skipped: list[str] = []
    for item in bank.items:
        questions, why = _item_to_gift(item)
        if why is not None:
            skipped.append(f"// - {item.id} ({item.type}): {_one_line(why)}")
            continue
        key = item.topics[0] if len(item.topics) == 1 and item.topics[0] in groups else None
        groups[key] += questions

    header = [
        f"// Essay Study: “{_one_line(essay.title)}” by {_one_line(essay.author)} ({essay.year}),"
        f" essay '{essay.slug}'.",
        "// Moodle GIFT format: import it under Question bank > Import > GIFT format.",
    ]
    if skipped:
        header.append("// Items GIFT cannot express, not exported:")
        header += skipped
    blocks = ["\n".join(header)]
    for key in [None, *topic_order]:
        if not groups[key]:
            continue
        topic = content.topic(key) if key else None
        path = _category(essay.title, topic.title) if topic else _category(essay.title)
        blocks.append(f"$CATEGORY: {path}")
        blocks += groups[key]
    return "\n\n".join(blocks) + "\n"
