"""The export writers: every file is read back and checked cell by cell."""

from __future__ import annotations

import csv
import html
import io
import json
import sqlite3
import zipfile
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import genanki
import openpyxl
import pytest

from quizapp.bank import build_bank, load_content
from quizapp.bank.generate import Bank
from quizapp.bank.text import cloze_fill, cloze_stem
from quizapp.exports import anki
from quizapp.exports.gradebook import (
    AnalysisRow,
    QuizColumn,
    QuizGrade,
    RawJSON,
    StudentRow,
    canvas_assignment_id,
    canvas_csv,
    format_number,
    moodle_csv,
    research_json,
    safe_cell,
    scores_csv,
    split_name,
    write_xlsx,
)

from .conftest import TINY

ESSAY = "printing-press"
HOSTILE = '=HYPERLINK("http://x")'
AT_NAME = "Bob @SUM(A1)"
MINUS_EMAIL = "-1+2@example.org"


def t(day: int, hour: int, minute: int = 0, second: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, second, tzinfo=UTC)


INVENTION = QuizColumn(ESSAY, "invention-quiz", "The invention", 3.0)
FINAL = QuizColumn(ESSAY, "final", "Final test", 9.0)
COLUMNS = [INVENTION, FINAL]

ADA = StudentRow(
    1,
    "Ada King Lovelace",
    "ada@example.org",
    {
        INVENTION.key: QuizGrade(200 / 3, 2.0, 3.0, 2, t(26, 10), t(27, 9, 30, 15)),
        FINAL.key: QuizGrade(50.0, 4.5, 9.0, 1, t(28, 14), t(28, 14)),
    },
)
# Never attempted the final; the attempt times come in another time zone (UTC+2).
PLUS_TWO = timezone(timedelta(hours=2))
HYPER = StudentRow(
    2,
    HOSTILE,
    "hyper@example.org",
    {
        INVENTION.key: QuizGrade(
            100.0,
            3.0,
            3.0,
            1,
            datetime(2026, 11, 26, 12, 5, tzinfo=PLUS_TWO),
            datetime(2026, 11, 26, 12, 5, tzinfo=PLUS_TWO),
        )
    },
)
BOB = StudentRow(
    3,
    AT_NAME,
    MINUS_EMAIL,
    {
        INVENTION.key: QuizGrade(0.0, 0.0, 3.0, 1, t(26, 11), t(26, 11)),
        FINAL.key: QuizGrade(800 / 9, 8.0, 9.0, 3, t(27, 8), t(29, 16, 45)),
    },
)
STUDENTS = [ADA, HYPER, BOB]

ANALYSIS = [
    AnalysisRow(
        ESSAY, "final", 1, "gutenberg-press:single", "single", 3, 66.67, 47.14, 25.0, 40.0, 80.0
    ),
    {
        "essay": ESSAY,
        "quiz_id": "final",
        "slot": 2,
        "item_id": "-odd:item",
        "type": "true_false",
        "count": 3,
        "facility": 100.0,
        "sd": 0.0,
        "random_guess": 50.0,
        "discrimination": -12.5,
        "efficiency": None,
        "flag": "=too easy",
        "ignored": "extra keys are fine",
    },
]

ISO = "%Y-%m-%dT%H:%M:%SZ"


def read_csv(lines) -> list[list[str]]:
    text = "".join(lines)
    return list(csv.reader(io.StringIO(text, newline="")))


# --- cell safety -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1+2", "'-1+2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("plain", "plain"),
        ("", ""),
        (-1.5, -1.5),
        (-3, -3),
        (None, None),
    ],
)
def test_safe_cell(value: object, expected: object) -> None:
    assert safe_cell(value) == expected


def test_helpers() -> None:
    assert split_name("Ada King Lovelace") == ("Ada King", "Lovelace")
    assert split_name("  Plato ") == ("Plato", "")
    assert split_name("") == ("", "")
    assert format_number(200 / 3) == "66.67"
    assert format_number(3.0) == "3"
    assert format_number(-0.001) == "0"
    assert format_number(-2.5) == "-2.5"
    assert format_number(None) == ""
    assert format_number(float("nan")) == ""
    first = canvas_assignment_id(ESSAY, "final")
    assert first == canvas_assignment_id(ESSAY, "final") > 0
    assert first != canvas_assignment_id(ESSAY, "invention-quiz")
    assert first != canvas_assignment_id("other-essay", "final")


# --- scores CSV --------------------------------------------------------------------------


def test_scores_csv() -> None:
    lines = list(scores_csv(COLUMNS, STUDENTS))
    assert all(line.endswith("\r\n") for line in lines)
    assert len(lines) == 1 + len(STUDENTS) * len(COLUMNS)
    rows = read_csv(lines)
    assert rows == [
        [
            "Name",
            "Email",
            "Essay",
            "Quiz ID",
            "Quiz",
            "Grade %",
            "Points",
            "Max points",
            "Attempts",
            "First attempt (UTC)",
            "Last attempt (UTC)",
        ],
        [
            "Ada King Lovelace",
            "ada@example.org",
            ESSAY,
            "invention-quiz",
            "The invention",
            "66.67",
            "2",
            "3",
            "2",
            "2026-11-26T10:00:00Z",
            "2026-11-27T09:30:15Z",
        ],
        [
            "Ada King Lovelace",
            "ada@example.org",
            ESSAY,
            "final",
            "Final test",
            "50",
            "4.5",
            "9",
            "1",
            "2026-11-28T14:00:00Z",
            "2026-11-28T14:00:00Z",
        ],
        [
            "'" + HOSTILE,
            "hyper@example.org",
            ESSAY,
            "invention-quiz",
            "The invention",
            "100",
            "3",
            "3",
            "1",
            "2026-11-26T10:05:00Z",
            "2026-11-26T10:05:00Z",
        ],
        [
            "'" + HOSTILE,
            "hyper@example.org",
            ESSAY,
            "final",
            "Final test",
            "",
            "",
            "9",
            "0",
            "",
            "",
        ],
        [
            AT_NAME,
            "'" + MINUS_EMAIL,
            ESSAY,
            "invention-quiz",
            "The invention",
            "0",
            "0",
            "3",
            "1",
            "2026-11-26T11:00:00Z",
            "2026-11-26T11:00:00Z",
        ],
        [
            AT_NAME,
            "'" + MINUS_EMAIL,
            ESSAY,
            "final",
            "Final test",
            "88.89",
            "8",
            "9",
            "3",
            "2026-11-27T08:00:00Z",
            "2026-11-29T16:45:00Z",
        ],
    ]
    for row in rows[1:]:
        for cell in row[9:]:
            if cell:
                assert datetime.strptime(cell, ISO)


def test_naive_times_are_taken_as_utc() -> None:
    naive = StudentRow(
        9,
        "Nia Naive",
        "nia@example.org",
        {INVENTION.key: QuizGrade(50.0, 1.5, 3.0, 1, datetime(2026, 1, 2, 3, 4, 5), None)},
    )
    rows = read_csv(scores_csv([INVENTION], [naive]))
    assert rows[1][9:] == ["2026-01-02T03:04:05Z", ""]


# --- Moodle ------------------------------------------------------------------------------


def test_moodle_csv() -> None:
    downloaded = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    rows = read_csv(moodle_csv(COLUMNS, STUDENTS, downloaded))
    stamp = "1796115600"
    assert int(stamp) == int(downloaded.timestamp())
    assert rows == [
        [
            "First name",
            "Last name",
            "ID number",
            "Institution",
            "Department",
            "Email address",
            "Quiz: The invention (Real)",
            "Quiz: Final test (Real)",
            "Last downloaded from this course",
        ],
        ["Ada King", "Lovelace", "", "", "", "ada@example.org", "2", "4.5", stamp],
        ["'" + HOSTILE, "", "", "", "", "hyper@example.org", "3", "-", stamp],
        ["Bob", "'@SUM(A1)", "", "", "", "'" + MINUS_EMAIL, "0", "8", stamp],
    ]


def test_moodle_timestamp_from_another_zone_and_rescaled_points() -> None:
    downloaded = datetime(2026, 12, 1, 11, 0, tzinfo=PLUS_TWO)  # 09:00 UTC
    # Graded when the quiz was out of 4 points; the column is now out of 8.
    rescaled = StudentRow(
        7,
        "Rae Scale",
        "rae@example.org",
        {(ESSAY, "q"): QuizGrade(75.0, 3.0, 4.0, 1, None, None)},
    )
    percent_only = StudentRow(
        8,
        "Pat Percent",
        "pat@example.org",
        {(ESSAY, "q"): QuizGrade(25.0, None, 8.0, 1, None, None)},
    )
    column = QuizColumn(ESSAY, "q", "Q", 8.0)
    rows = read_csv(moodle_csv([column], [rescaled, percent_only], downloaded))
    assert [r[-2:] for r in rows[1:]] == [["6", "1796115600"], ["2", "1796115600"]]


def test_duplicate_titles_get_their_essay() -> None:
    columns = [
        QuizColumn("essay-a", "final", "Final test", 5.0),
        QuizColumn("essay-b", "final", "Final test", 5.0),
    ]
    header = read_csv(moodle_csv(columns, [], datetime(2026, 1, 1, tzinfo=UTC)))[0]
    assert header[6:8] == ["Quiz: Final test (essay-a) (Real)", "Quiz: Final test (essay-b) (Real)"]


# --- Canvas ------------------------------------------------------------------------------


def test_canvas_csv() -> None:
    rows = read_csv(canvas_csv(COLUMNS, STUDENTS))
    invention_id = canvas_assignment_id(ESSAY, "invention-quiz")
    final_id = canvas_assignment_id(ESSAY, "final")
    assert rows == [
        [
            "Student",
            "ID",
            "SIS User ID",
            "SIS Login ID",
            "Section",
            f"The invention ({invention_id})",
            f"Final test ({final_id})",
        ],
        ["    Points Possible", "", "", "", "", "3", "9"],
        ["Lovelace, Ada King", "", "", "ada@example.org", "", "2", "4.5"],
        ["'" + HOSTILE, "", "", "hyper@example.org", "", "3", ""],
        ["'@SUM(A1), Bob", "", "", "'" + MINUS_EMAIL, "", "0", "8"],
    ]
    # The same quizzes always get the same ids.
    assert read_csv(canvas_csv(COLUMNS, []))[0] == rows[0]


def test_csv_writers_stream_lines() -> None:
    lines = canvas_csv(COLUMNS, iter(STUDENTS))
    assert next(lines).startswith("Student,ID,")
    assert next(lines).startswith("    Points Possible,")
    assert next(lines).startswith('"Lovelace, Ada King",')


# --- XLSX --------------------------------------------------------------------------------


def test_xlsx() -> None:
    stream = io.BytesIO()
    write_xlsx(COLUMNS, STUDENTS, ANALYSIS, stream)
    workbook = openpyxl.load_workbook(io.BytesIO(stream.getvalue()))
    assert workbook.sheetnames == ["Scores", "Item analysis"]

    scores = workbook["Scores"]
    assert scores.freeze_panes == "A2"
    assert all(cell.font.b for cell in scores[1])
    assert scores.column_dimensions["A"].width > 10
    values = [list(row) for row in scores.iter_rows(values_only=True)]
    naive = datetime
    assert values == [
        [
            "Name",
            "Email",
            "Essay",
            "Quiz ID",
            "Quiz",
            "Grade %",
            "Points",
            "Max points",
            "Attempts",
            "First attempt (UTC)",
            "Last attempt (UTC)",
        ],
        [
            "Ada King Lovelace",
            "ada@example.org",
            ESSAY,
            "invention-quiz",
            "The invention",
            pytest.approx(200 / 3),
            2,
            3,
            2,
            naive(2026, 11, 26, 10),
            naive(2026, 11, 27, 9, 30, 15),
        ],
        [
            "Ada King Lovelace",
            "ada@example.org",
            ESSAY,
            "final",
            "Final test",
            50,
            4.5,
            9,
            1,
            naive(2026, 11, 28, 14),
            naive(2026, 11, 28, 14),
        ],
        [
            "'" + HOSTILE,
            "hyper@example.org",
            ESSAY,
            "invention-quiz",
            "The invention",
            100,
            3,
            3,
            1,
            naive(2026, 11, 26, 10, 5),
            naive(2026, 11, 26, 10, 5),
        ],
        [
            "'" + HOSTILE,
            "hyper@example.org",
            ESSAY,
            "final",
            "Final test",
            None,
            None,
            9,
            0,
            None,
            None,
        ],
        [
            AT_NAME,
            "'" + MINUS_EMAIL,
            ESSAY,
            "invention-quiz",
            "The invention",
            0,
            0,
            3,
            1,
            naive(2026, 11, 26, 11),
            naive(2026, 11, 26, 11),
        ],
        [
            AT_NAME,
            "'" + MINUS_EMAIL,
            ESSAY,
            "final",
            "Final test",
            pytest.approx(800 / 9),
            8,
            9,
            3,
            naive(2026, 11, 27, 8),
            naive(2026, 11, 29, 16, 45),
        ],
    ]
    # No cell holds a formula; times are real datetimes.
    assert all(cell.data_type != "f" for row in scores.iter_rows() for cell in row)
    assert scores["J2"].is_date
    assert scores["F2"].data_type == "n"

    analysis = workbook["Item analysis"]
    assert analysis.freeze_panes == "A2"
    assert all(cell.font.b for cell in analysis[1])
    assert [list(row) for row in analysis.iter_rows(values_only=True)] == [
        [
            "Essay",
            "Quiz ID",
            "Slot",
            "Item ID",
            "Type",
            "Count",
            "Facility %",
            "SD %",
            "Random guess %",
            "Discrimination %",
            "Efficiency %",
            "Flag",
        ],
        [ESSAY, "final", 1, "gutenberg-press:single", "single", 3, 66.67, 47.14, 25, 40, 80, None],
        [ESSAY, "final", 2, "'-odd:item", "true_false", 3, 100, 0, 50, -12.5, None, "'=too easy"],
    ]
    # A negative number stays a number.
    assert analysis["J3"].data_type == "n"
    assert analysis["J3"].value == -12.5


# --- research JSON -----------------------------------------------------------------------


def test_research_json() -> None:
    attempts = [
        {
            "attempt_id": 1,
            "user": 1,
            "quiz": ["printing-press", "final"],
            "started_at": t(28, 14),
            "submitted_at": datetime(2026, 11, 28, 16, 10, 30, 250000, tzinfo=PLUS_TWO),
            "percent": 50.0,
            "responses": [{"item": "x:single", "answer": (1, 2), "correct": True}],
            "name": "Zoë “quoted”",
        },
        {"attempt_id": 2, "started_at": datetime(2026, 1, 2, 3, 4, 5), "percent": float("nan")},
    ]
    chunks = list(research_json(iter(attempts)))
    assert len(chunks) == 3  # each attempt, then the closing bracket
    data = json.loads("".join(chunks))
    assert data == [
        {
            "attempt_id": 1,
            "user": 1,
            "quiz": ["printing-press", "final"],
            "started_at": "2026-11-28T14:00:00Z",
            "submitted_at": "2026-11-28T14:10:30.250000Z",
            "percent": 50.0,
            "responses": [{"item": "x:single", "answer": [1, 2], "correct": True}],
            "name": "Zoë “quoted”",
        },
        {"attempt_id": 2, "started_at": "2026-01-02T03:04:05Z", "percent": None},
    ]
    assert datetime.fromisoformat(data[0]["submitted_at"]) == datetime(
        2026, 11, 28, 14, 10, 30, 250000, tzinfo=UTC
    )
    assert json.loads("".join(research_json([]))) == []


def test_research_json_splices_stored_json_text_as_written() -> None:
    stored = '[{"id": "x:single", "prompt": "Zo\\u00eb \u201cquoted\u201d", "answer": [1]}]'
    attempt = {"attempt_id": 3, "questions": RawJSON(stored), "when": t(28, 14)}
    text = "".join(research_json([attempt]))
    assert stored in text  # not decoded and encoded again
    assert json.loads(text) == [
        {
            "attempt_id": 3,
            "questions": [{"id": "x:single", "prompt": "Zoë “quoted”", "answer": [1]}],
            "when": "2026-11-28T14:00:00Z",
        }
    ]


def test_research_json_rejects_what_json_cannot_hold() -> None:
    with pytest.raises(TypeError):
        list(research_json([{"x": object()}]))


# --- Anki --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def bank() -> Bank:
    return build_bank(load_content(TINY).essays[ESSAY])


def read_apkg(data: bytes, tmp_path: Path) -> dict:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert set(archive.namelist()) == {"collection.anki2", "media"}
        assert json.loads(archive.read("media")) == {}
        db = tmp_path / "collection.anki2"
        db.write_bytes(archive.read("collection.anki2"))
    connection = sqlite3.connect(db)
    try:
        notes = connection.execute("SELECT id, guid, mid, tags, flds FROM notes").fetchall()
        cards = connection.execute("SELECT nid, did, ord FROM cards").fetchall()
        decks = json.loads(connection.execute("SELECT decks FROM col").fetchone()[0])
        models = json.loads(connection.execute("SELECT models FROM col").fetchone()[0])
    finally:
        connection.close()
    db.unlink()
    return {"notes": notes, "cards": cards, "decks": decks, "models": models}


def export(bank: Bank, **kw: object) -> bytes:
    stream = io.BytesIO()
    anki.cards_to_apkg(bank, stream, **kw)
    return stream.getvalue()


def test_anki_package(bank: Bank, tmp_path: Path) -> None:
    content = bank.content
    got = read_apkg(export(bank), tmp_path)
    notes, cards = got["notes"], got["cards"]
    assert len(notes) == len(bank.cards) == len(cards)
    assert {n[0] for n in notes} == {c[0] for c in cards}

    deck_id = anki.deck_id(ESSAY)
    assert str(deck_id) in got["decks"]
    assert got["decks"][str(deck_id)]["name"] == f"Essay Study::{content.essay.title}"
    assert {c[1] for c in cards} == {deck_id}
    assert {c[2] for c in cards} == {0}  # one Anki card per note
    assert {str(anki.CLOZE_MODEL_ID), str(anki.CLAIM_MODEL_ID)} <= set(got["models"])
    assert got["models"][str(anki.CLOZE_MODEL_ID)]["type"] == genanki.Model.CLOZE

    by_guid = {guid: (mid, tags, flds.split("\x1f")) for _, guid, mid, tags, flds in notes}
    assert len(by_guid) == len(notes)
    for card in bank.cards:
        guid = genanki.guid_for(ESSAY, card.id)
        assert guid in by_guid, card.id
        mid, tags, fields = by_guid[guid]
        assert tags.split() == ([card.topic] if card.topic else [])
        assert fields[-1] == card.id
        assert fields[-2] == html.escape(
            f"{content.essay.title}, {content.essay.author} ({content.essay.year})", quote=False
        )
        assert fields[-3] == ", ".join(dict.fromkeys(str(s.para) for s in card.sources))
        for source in card.sources:
            assert html.escape(source.quote, quote=False) in fields[-4]
        if card.type == "cloze":
            assert mid == anki.CLOZE_MODEL_ID
            text = html.unescape(fields[0])
            assert "{{c1::" in text
            # Anki's cloze markup blanks and fills to exactly our card's two sides.
            assert cloze_stem(text.replace("{{c1::", "{{"), "[…]") == card.front
            assert cloze_fill(text.replace("{{c1::", "{{")) == card.back
        else:
            assert mid == anki.CLAIM_MODEL_ID
            assert html.unescape(fields[0]) == card.front
            assert html.unescape(fields[1]) == card.back


def test_anki_ids_are_stable(bank: Bank, tmp_path: Path) -> None:
    first = read_apkg(export(bank), tmp_path)
    second = read_apkg(export(bank, timestamp=2_000_000_000), tmp_path)
    assert sorted(n[1] for n in first["notes"]) == sorted(n[1] for n in second["notes"])
    assert set(first["decks"]) == set(second["decks"])
    assert set(first["models"]) == set(second["models"])
    assert {n[2] for n in first["notes"]} == {n[2] for n in second["notes"]}
    # The same timestamp gives the same bytes.
    assert export(bank, timestamp=1_800_000_000) == export(bank, timestamp=1_800_000_000)


def test_anki_writes_to_a_path_and_several_decks(bank: Bank, tmp_path: Path) -> None:
    content = bank.content
    other_essay = replace(content.essay, slug="other", title="Another <Essay> & more")
    other = Bank(
        content=replace(content, essay=other_essay), seed=0, items=(), cards=bank.cards[:2]
    )
    path = tmp_path / "cards.apkg"
    anki.cards_to_apkg([bank, other], path, timestamp=1_800_000_000)
    got = read_apkg(path.read_bytes(), tmp_path)
    assert len(got["notes"]) == len(bank.cards) + 2
    assert got["decks"][str(anki.deck_id("other"))]["name"] == "Essay Study::Another <Essay> & more"
    assert anki.deck_id("other") != anki.deck_id(ESSAY)
    guids = {n[1] for n in got["notes"]}
    assert genanki.guid_for("other", bank.cards[0].id) in guids
    assert genanki.guid_for(ESSAY, bank.cards[0].id) in guids


def test_anki_escapes_html() -> None:
    assert anki.anki_cloze("a < b & {{c|alt}} > d") == "a &lt; b &amp; {{c1::c}} &gt; d"
    assert anki.anki_cloze("{{x::y}} and {{z}}") == "{{c1::x:\u200b:y}} and {{c1::z}}"
