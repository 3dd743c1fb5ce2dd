"""Anki export: an essay's flashcards as an ``.apkg`` package, written with genanki.

One deck per essay, "Essay Study::<essay title>". Fact cards use a cloze note type (every
blank of the sentence is ``c1``, so each of our cards is exactly one Anki card); claim cards
use a front/back note type. Both carry the source quote(s), paragraph number(s), the essay
and our card id.

Everything Anki matches on is stable across exports: the note type ids are constants, the
deck id derives from the essay slug, and each note's GUID is ``genanki.guid_for(slug,
card id)``. Anki therefore updates the notes of an earlier import, keeping their review
history, instead of duplicating them; it updates a note when the incoming one is newer, so
a real export should keep the default timestamp (now). Pass ``timestamp`` to make the file
itself reproducible (byte for byte, for the same cards).
"""

from __future__ import annotations

import hashlib
import html
import itertools
import os
import re
import sqlite3
import tempfile
import time
import zipfile
from collections.abc import Iterable
from pathlib import Path
from typing import IO

import genanki

from quizapp.bank.generate import Bank
from quizapp.bank.model import Card, Essay, EssayContent, Fact

DECK_PREFIX = "Essay Study"

# Fixed forever: Anki recognises a note type by its id. Derived once as
# stable_id("essay-study", "model", "cloze") and stable_id("essay-study", "model", "claim").
CLOZE_MODEL_ID = 2088284421
CLAIM_MODEL_ID = 2028373271

_CLOZE = re.compile(r"\{\{(.*?)\}\}")

_CSS = """\
.card { font-family: system-ui, sans-serif; font-size: 20px; line-height: 1.4;
        text-align: left; color: #1a1a1a; background: #fff; max-width: 40em; margin: auto; }
.cloze { font-weight: bold; color: #0b5cad; }
.extra { margin-top: .8em; }
.source { margin-top: 1.2em; font-size: 15px; color: #555; }
.source blockquote { margin: .3em 0; padding-left: .8em; border-left: 3px solid #ccc; }
"""

_SOURCE_BLOCK = (
    '<div class="source">{{Quote}}{{Source}}{{#Paragraph}}, ¶ {{Paragraph}}{{/Paragraph}}</div>'
)

CLOZE_MODEL = genanki.Model(
    CLOZE_MODEL_ID,
    "Essay Study cloze",
    fields=[
        {"name": "Text"},
        {"name": "Extra"},
        {"name": "Quote"},
        {"name": "Paragraph"},
        {"name": "Source"},
        {"name": "Card ID"},
    ],
    templates=[
        {
            "name": "Cloze",
            "qfmt": "{{cloze:Text}}",
            "afmt": "{{cloze:Text}}"
            '{{#Extra}}<div class="extra">{{Extra}}</div>{{/Extra}}' + _SOURCE_BLOCK,
        }
    ],
    css=_CSS,
    model_type=genanki.Model.CLOZE,
)

CLAIM_MODEL = genanki.Model(
    CLAIM_MODEL_ID,
    "Essay Study claim",
    fields=[
        {"name": "Front"},
        {"name": "Back"},
        {"name": "Extra"},
        {"name": "Quote"},
        {"name": "Paragraph"},
        {"name": "Source"},
        {"name": "Card ID"},
    ],
    templates=[
        {
            "name": "Card 1",
            "qfmt": "{{Front}}",
            "afmt": '{{FrontSide}}<hr id="answer">{{Back}}'
            '{{#Extra}}<div class="extra">{{Extra}}</div>{{/Extra}}' + _SOURCE_BLOCK,
        }
    ],
    css=_CSS,
)


def stable_id(*parts: str) -> int:
    """A stable id in Anki's customary range [2**30, 2**31), from SHA-256 of the parts."""
    digest = hashlib.sha256("\x1f".join(parts).encode()).digest()
    return (1 << 30) + int.from_bytes(digest[:8], "big") % (1 << 30)


def deck_id(slug: str) -> int:
    return stable_id("essay-study", "deck", slug)


def note_guid(slug: str, card_id: str) -> str:
    return genanki.guid_for(slug, card_id)


def _escape(text: str) -> str:
    """Plain text as field HTML: escaped, line breaks kept."""
    return html.escape(text, quote=False).replace("\n", "<br>")


def anki_cloze(text: str) -> str:
    """Our ``{{answer|alt}}`` markup as Anki's, HTML-escaped: every blank ``{{c1::answer}}``."""
    parts: list[str] = []
    last = 0
    for match in _CLOZE.finditer(text):
        parts.append(_escape(text[last : match.start()]))
        answer = match.group(1).split("|")[0].strip()
        # "::" inside an answer would start an Anki hint; "}}" would end the deletion.
        answer = _escape(answer).replace("::", ":\u200b:").replace("}}", "}\u200b}")
        parts.append("{{c1::" + answer + "}}")
        last = match.end()
    parts.append(_escape(text[last:]))
    return "".join(parts)


def _quotes(card: Card) -> str:
    seen: list[str] = []
    for source in card.sources:
        if source.quote and source.quote not in seen:
            seen.append(source.quote)
    return "".join(f"<blockquote>“{_escape(q)}”</blockquote>" for q in seen)


def _paragraphs(card: Card) -> str:
    numbers: list[int] = []
    for source in card.sources:
        if source.para not in numbers:
            numbers.append(source.para)
    return ", ".join(str(n) for n in numbers)


def _source(essay: Essay) -> str:
    return _escape(f"{essay.title}, {essay.author} ({essay.year})")


def _tags(card: Card) -> list[str]:
    return [re.sub(r"\s+", "_", card.topic)] if card.topic else []


def _fact(content: EssayContent, card: Card) -> Fact | None:
    if card.origin.type != "fact":
        return None
    return next((f for f in content.facts if f.id in card.origin.ids), None)


def card_note(content: EssayContent, card: Card) -> genanki.Note:
    """The Anki note for one of our cards."""
    slug = content.slug
    common = [_quotes(card), _paragraphs(card), _source(content.essay), _escape(card.id)]
    extra = [e for e in card.extra if e]
    fact = _fact(content, card) if card.type == "cloze" else None
    if fact is not None and _CLOZE.search(fact.text):
        fields = [anki_cloze(fact.text), "<br>".join(_escape(e) for e in extra), *common]
        model = CLOZE_MODEL
    else:
        shown = "" if " ".join(extra) == card.back else _extra_list(extra)
        fields = [_escape(card.front), _escape(card.back), shown, *common]
        model = CLAIM_MODEL
    return genanki.Note(model=model, fields=fields, tags=_tags(card), guid=note_guid(slug, card.id))


def _extra_list(extra: list[str]) -> str:
    if not extra:
        return ""
    return "<ul>" + "".join(f"<li>{_escape(e)}</li>" for e in extra) + "</ul>"


def bank_deck(bank: Bank) -> genanki.Deck:
    """One essay's cards as a deck with a stable id."""
    content = bank.content
    essay = content.essay
    deck = genanki.Deck(
        deck_id(content.slug),
        f"{DECK_PREFIX}::{essay.title}",
        description=_escape(f"Flashcards for “{essay.title}” by {essay.author}."),
    )
    for card in bank.cards:
        deck.add_note(card_note(content, card))
    return deck


def cards_to_apkg(
    banks: Bank | Iterable[Bank],
    target: str | os.PathLike[str] | IO[bytes],
    *,
    timestamp: float | None = None,
) -> None:
    """Write the cards of one bank (or several: one deck each) as an ``.apkg``.

    ``target`` is a path or a writable binary stream (it need not be seekable). genanki
    stamps notes with ``timestamp`` (default: now) and numbers notes and cards from it.
    """
    if isinstance(banks, Bank):
        banks = [banks]
    package = genanki.Package([bank_deck(b) for b in banks])
    write_package(package, target, time.time() if timestamp is None else timestamp)


def write_package(
    package: genanki.Package, target: str | os.PathLike[str] | IO[bytes], timestamp: float
) -> None:
    """``Package.write_to_file``, but cleaning up its temporary database, accepting streams
    and giving the zip entries a fixed date, so the same input gives the same bytes."""
    with tempfile.TemporaryDirectory(prefix="essay-study-apkg-") as tmp:
        db_path = Path(tmp) / "collection.anki2"
        connection = sqlite3.connect(db_path)
        try:
            package.write_to_db(
                connection.cursor(), timestamp, itertools.count(int(timestamp * 1000))
            )
            connection.commit()
        finally:
            connection.close()
        collection = db_path.read_bytes()
    stamp = time.gmtime(max(timestamp, 315532800))[:6]  # zip dates start in 1980
    with zipfile.ZipFile(target, "w") as archive:
        for name, data in (("collection.anki2", collection), ("media", b"{}")):
            entry = zipfile.ZipInfo(name, stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(entry, data)
