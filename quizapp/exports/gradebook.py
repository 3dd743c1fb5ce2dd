"""Gradebook exports: scores CSV, Moodle and Canvas import CSVs, an XLSX workbook, research JSON.

Pure writers: no Flask, no database. The caller gathers plain dataclasses (``QuizColumn``,
``StudentRow``, ``QuizGrade``, ``AnalysisRow``) and either iterates the CSV/JSON generators
(one string per line or element, so a web response can stream them) or hands
``write_xlsx`` a binary stream; the web download and the CLI's ``-o FILE`` share this code.

Spreadsheet safety: every text cell of the workbook goes through ``safe_cell``, which
prefixes an apostrophe to text a spreadsheet would run as a formula (text starting with
``=``, ``+``, ``-``, ``@``, tab or carriage return). A CSV cell can be split further by a
spreadsheet that guesses another separator (Excel in a ``;`` locale, or one that takes tab or
``|``), so every CSV text cell goes through ``safe_csv_text``, which puts the apostrophe
before a trigger at every place a cell could start: the start, and after any of ``, ; | tab``
or a line break (spaces between do not help). Numbers are written as numbers, never through
the text path, so a negative number stays a number.

Times are UTC. Aware datetimes are converted to UTC; naive ones are taken to be UTC already
(how SQLite hands back stored UTC times). CSVs write them as ISO 8601 with a ``Z``
(``2026-11-26T10:00:00Z``); the workbook writes real (timezone-less) Excel datetimes under
headers that say "(UTC)", since Excel has no time zones.
"""

from __future__ import annotations

import csv
import dataclasses
import enum
import hashlib
import io
import json
import math
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction
from typing import IO, Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from .. import marks
from ..clock import as_utc

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# The triggers, with the full-width forms some spreadsheets fold into them.
_TRIGGERS = "=+\\-@\t\r\uff1d\uff0b\uff0d\uff20"
# A cell can start at the text's start or after a separator a spreadsheet may split on;
# spaces may stand between.
_CELL_START_TRIGGER = re.compile(f"(^|[,;|\t\r\n])([ ]*)(?=[{_TRIGGERS}])")

SCORES_HEADER = (
    "Name",
    "Email",
    "Essay",
    "Quiz ID",
    "Quiz",
    "Grade %",
    "Points",
    "Max points",
    "Attempts",
    "First attempt (UTC)",  # the export's zone, named where the times are (README, Time zones)
    "Last attempt (UTC)",
)
MOODLE_USER_HEADER = (
    "First name",
    "Last name",
    "ID number",
    "Institution",
    "Department",
    "Email address",
)
MOODLE_TIME_HEADER = "Last downloaded from this course"
MOODLE_NO_GRADE = "-"
CANVAS_USER_HEADER = ("Student", "ID", "SIS User ID", "SIS Login ID", "Section")
CANVAS_POINTS_POSSIBLE = "    Points Possible"
ANALYSIS_HEADER = (
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
)

# --- the input model ---------------------------------------------------------------------


@dataclass(frozen=True)
class QuizColumn:
    """One quiz of the gradebook: a column in the Moodle and Canvas files."""

    essay: str
    quiz_id: str
    title: str
    max_points: float

    @property
    def key(self) -> tuple[str, str]:
        return (self.essay, self.quiz_id)


@dataclass(frozen=True)
class QuizGrade:
    """One student's grade on one quiz, as the quiz's grading method computed it.

    ``ratio`` is the grade exactly, as a fraction of the maximum; ``percent`` and ``points``
    are it rounded once, half up, to ``decimals`` places (``marks.round_mark``), as the pages
    show it. Every writer prints those values as they are, never rounding them again."""

    percent: float | Decimal | None
    points: float | Decimal | None
    max_points: float
    attempts: int
    first_at: datetime | None
    last_at: datetime | None
    ratio: Fraction | None = None
    decimals: int = marks.DEFAULT_DECIMALS


@dataclass(frozen=True)
class StudentRow:
    """One student; ``grades`` is keyed by ``(essay, quiz_id)``. A missing key: never attempted."""

    user_id: int
    name: str
    email: str
    grades: dict[tuple[str, str], QuizGrade]


@dataclass(frozen=True)
class AnalysisRow:
    """One row of the item analysis sheet. Percentages are on a 0-100 scale."""

    essay: str
    quiz_id: str
    slot: int | None
    item_id: str
    type: str
    count: int = 0
    facility: float | None = None
    sd: float | None = None
    random_guess: float | None = None
    discrimination: float | None = None
    efficiency: float | None = None
    flag: str = ""


_ANALYSIS_FIELDS = tuple(f.name for f in dataclasses.fields(AnalysisRow))


def analysis_row(value: AnalysisRow | Mapping[str, Any]) -> AnalysisRow:
    """An ``AnalysisRow`` as is, or one built from a mapping with the same keys (others ignored)."""
    if isinstance(value, AnalysisRow):
        return value
    return AnalysisRow(**{k: value[k] for k in _ANALYSIS_FIELDS if k in value})


# --- cell helpers ------------------------------------------------------------------------


def safe_cell(value: object) -> object:
    """Neutralize text a spreadsheet would run as a formula; anything else passes unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def safe_csv_text(value: str) -> str:
    """CSV text a spreadsheet cannot run, whatever separator it splits the line on: an
    apostrophe goes before every formula trigger that could begin a cell."""
    return _CELL_START_TRIGGER.sub(lambda m: f"{m.group(1)}{m.group(2)}'", value)


def safe_csv_cell(value: object) -> object:
    return safe_csv_text(value) if isinstance(value, str) else value


def _text(value: str | None) -> str:
    return safe_csv_text(value or "")


def iso_utc(moment: datetime | None) -> str:
    """``2026-11-26T10:00:00Z``, to the second; empty for None."""
    if moment is None:
        return ""
    return as_utc(moment).strftime("%Y-%m-%dT%H:%M:%SZ")


def _naive_utc(moment: datetime | None) -> datetime | None:
    """For Excel, which has no time zones: the UTC wall time, without tzinfo."""
    return None if moment is None else as_utc(moment).replace(tzinfo=None)


def format_number(value: float | Decimal | None) -> str:
    """A number for a CSV cell: at most two decimals, no trailing zeros; empty for None.

    A ``Decimal`` is a mark already rounded once (``marks.round_mark``): written as it is."""
    if isinstance(value, Decimal):
        return marks.text(value)
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return ""
    rounded = round(float(value), 2)
    if rounded == 0:
        return "0"
    return f"{rounded:.2f}".rstrip("0").rstrip(".")


def _csv_lines(rows: Iterable[Sequence[object]]) -> Iterator[str]:
    """Each row as one CSV line (RFC 4180 quoting, CRLF endings), ready to stream."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in rows:
        writer.writerow(row)
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()


def split_name(name: str) -> tuple[str, str]:
    """``(first, last)``: the last word is the last name; a one-word name is a first name."""
    words = name.split()
    if not words:
        return "", ""
    if len(words) == 1:
        return words[0], ""
    return " ".join(words[:-1]), words[-1]


def _titles(columns: Sequence[QuizColumn]) -> list[str]:
    """Quiz titles, with the essay added to any title two quizzes share."""
    counts: dict[str, int] = {}
    for c in columns:
        counts[c.title] = counts.get(c.title, 0) + 1
    return [f"{c.title} ({c.essay})" if counts[c.title] > 1 else c.title for c in columns]


def gradebook_points(grade: QuizGrade | None, column: QuizColumn) -> float | None:
    """The grade as points on the column's scale (``column.max_points``), or None.

    The grade's own points, rescaled when the quiz's maximum has changed since; failing
    points, the percent applied to the column's maximum.
    """
    if grade is None:
        return None
    if grade.ratio is not None:  # exact: rescaled, then rounded once
        return marks.round_mark(grade.ratio * marks.from_float(column.max_points), grade.decimals)
    if grade.points is not None:
        if grade.max_points and grade.max_points != column.max_points:
            return grade.points * column.max_points / grade.max_points
        return grade.points
    if grade.percent is not None:
        return grade.percent * column.max_points / 100
    return None


def canvas_assignment_id(essay: str, quiz_id: str) -> int:
    """A stable positive integer for a quiz: the first 6 bytes of SHA-256 of ``essay/quiz_id``.

    48 bits, so well inside JavaScript's exact integers and unlikely to equal a real Canvas
    assignment id of the same course. Canvas matches a column on the id in parentheses and,
    when no assignment of the course has it, on the title; failing both it offers to create
    a new assignment.
    """
    digest = hashlib.sha256(f"{essay}/{quiz_id}".encode()).digest()
    return int.from_bytes(digest[:6], "big") or 1


# --- scores ------------------------------------------------------------------------------


def score_rows(columns: Sequence[QuizColumn], students: Iterable[StudentRow]) -> Iterator[tuple]:
    """Typed rows (no header): one per student per quiz, never-attempted quizzes included."""
    for student in students:
        for column in columns:
            grade = student.grades.get(column.key)
            yield (
                student.name,
                student.email,
                column.essay,
                column.quiz_id,
                column.title,
                grade.percent if grade else None,
                grade.points if grade else None,
                grade.max_points if grade else column.max_points,
                grade.attempts if grade else 0,
                grade.first_at if grade else None,
                grade.last_at if grade else None,
            )


def scores_csv(columns: Sequence[QuizColumn], students: Iterable[StudentRow]) -> Iterator[str]:
    """One line per student per quiz: name, email, essay, quiz id and title, grade %,
    points, max points, attempts, first and last attempt (ISO 8601 UTC)."""
    yield from _csv_lines(_scores_csv_rows(columns, students))


def _scores_csv_rows(
    columns: Sequence[QuizColumn], students: Iterable[StudentRow]
) -> Iterator[list[str]]:
    yield list(SCORES_HEADER)
    for (
        name,
        email,
        essay,
        quiz_id,
        title,
        percent,
        points,
        max_points,
        attempts,
        first,
        last,
    ) in score_rows(columns, students):
        yield [
            _text(name),
            _text(email),
            _text(essay),
            _text(quiz_id),
            _text(title),
            format_number(percent),
            format_number(points),
            format_number(max_points),
            str(attempts),
            iso_utc(first),
            iso_utc(last),
        ]


# --- Moodle ------------------------------------------------------------------------------


def moodle_csv(
    columns: Sequence[QuizColumn], students: Iterable[StudentRow], downloaded_at: datetime
) -> Iterator[str]:
    """A file for Moodle's Grades > Import > CSV file, laid out like Moodle's own export.

    One "Quiz: <title> (Real)" column per quiz holding the grade as a real number on the
    quiz's scale, i.e. points out of ``max_points`` (what "(Real)" means in a Moodle
    export); "-" (Moodle's own "no grade") where the student never attempted the quiz.
    Users are best mapped by "Email address"; "ID number", "Institution" and "Department"
    are left empty (we do not know Moodle's values). "Last downloaded from this course" is
    ``downloaded_at`` as a Unix timestamp: Moodle refuses the import if it is in the future or
    over a year old, and will not overwrite a grade changed in Moodle after it, unless the
    teacher ticks "Force import".
    """
    timestamp = str(int(as_utc(downloaded_at).timestamp()))
    header = [
        *MOODLE_USER_HEADER,
        *(_text(f"Quiz: {t} (Real)") for t in _titles(columns)),
        MOODLE_TIME_HEADER,
    ]

    def rows() -> Iterator[list[str]]:
        yield header
        for student in students:
            first, last = split_name(student.name)
            grades = []
            for column in columns:
                points = gradebook_points(student.grades.get(column.key), column)
                grades.append(MOODLE_NO_GRADE if points is None else format_number(points))
            yield [_text(first), _text(last), "", "", "", _text(student.email), *grades, timestamp]

    yield from _csv_lines(rows())


# --- Canvas ------------------------------------------------------------------------------


def canvas_csv(columns: Sequence[QuizColumn], students: Iterable[StudentRow]) -> Iterator[str]:
    """A file for Canvas's Gradebook > Import, laid out like Canvas's own export.

    "Student" is "Last, First"; "ID" and "SIS User ID" are left empty (we do not know
    Canvas's ids, and a wrong one would grade the wrong student); "SIS Login ID" is the
    email, which is the login at most schools. One "<title> (<id>)" column per quiz, the id
    from ``canvas_assignment_id``; then a "    Points Possible" row with each quiz's maximum.
    Grades are points; empty where the student never attempted the quiz.
    """
    header = [
        *CANVAS_USER_HEADER,
        *(
            _text(f"{title} ({canvas_assignment_id(c.essay, c.quiz_id)})")
            for title, c in zip(_titles(columns), columns, strict=True)
        ),
    ]

    def rows() -> Iterator[list[str]]:
        yield header
        yield [
            CANVAS_POINTS_POSSIBLE,
            "",
            "",
            "",
            "",
            *(format_number(c.max_points) for c in columns),
        ]
        for student in students:
            first, last = split_name(student.name)
            display = f"{last}, {first}" if last else first
            yield [
                _text(display),
                "",
                "",
                _text(student.email),
                "",
                *(format_number(gradebook_points(student.grades.get(c.key), c)) for c in columns),
            ]

    yield from _csv_lines(rows())


# --- XLSX --------------------------------------------------------------------------------

_SCORE_WIDTHS = (28, 32, 18, 18, 28, 10, 10, 11, 10, 20, 20)
_ANALYSIS_WIDTHS = (18, 18, 7, 30, 18, 8, 11, 9, 15, 17, 13, 30)
_DATETIME_FORMAT = "yyyy-mm-dd hh:mm:ss"
_NUMBER_FORMAT = "0.00"


def _sheet(
    workbook: Workbook, title: str, header: Sequence[str], widths: Sequence[int]
) -> Any:  # a write-only worksheet
    sheet = workbook.create_sheet(title)
    sheet.freeze_panes = "A2"
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    bold = Font(bold=True)
    cells = []
    for name in header:
        cell = WriteOnlyCell(sheet, value=safe_cell(name))
        cell.font = bold
        cells.append(cell)
    sheet.append(cells)
    return sheet


def _cell(sheet: Any, value: object) -> object:
    if isinstance(value, datetime):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = _DATETIME_FORMAT
        return cell
    if isinstance(value, float):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = _NUMBER_FORMAT
        return cell
    if isinstance(value, Decimal):  # a rounded mark: shown with exactly its decimals
        cell = WriteOnlyCell(sheet, value=float(value))
        places = max(0, -value.as_tuple().exponent)  # type: ignore[operator]
        cell.number_format = "0." + "0" * places if places else "0"
        return cell
    return safe_cell(value)


def write_xlsx(
    columns: Sequence[QuizColumn],
    students: Iterable[StudentRow],
    analysis_rows: Iterable[AnalysisRow | Mapping[str, Any]],
    stream: IO[bytes],
) -> None:
    """Write a workbook to ``stream``: a "Scores" sheet and an "Item analysis" sheet.

    "Scores" has the columns of ``scores_csv`` with typed cells (numbers, Excel datetimes in
    UTC); "Item analysis" has one row per ``AnalysisRow`` (or mapping with its field names).
    Header rows are bold and frozen; empty values are empty cells.
    """
    workbook = Workbook(write_only=True)
    scores = _sheet(
        workbook,
        "Scores",
        list(SCORES_HEADER),
        _SCORE_WIDTHS,
    )
    for row in score_rows(columns, students):
        *values, first, last = row
        scores.append([_cell(scores, v) for v in (*values, _naive_utc(first), _naive_utc(last))])
    analysis = _sheet(workbook, "Item analysis", ANALYSIS_HEADER, _ANALYSIS_WIDTHS)
    for value in analysis_rows:
        a = analysis_row(value)
        analysis.append(
            [
                _cell(analysis, v)
                for v in (
                    a.essay,
                    a.quiz_id,
                    a.slot,
                    a.item_id,
                    a.type,
                    a.count,
                    _float(a.facility),
                    _float(a.sd),
                    _float(a.random_guess),
                    _float(a.discrimination),
                    _float(a.efficiency),
                    a.flag or None,
                )
            ]
        )
    workbook.save(stream)


def _float(value: float | None) -> float | None:
    if value is None or not math.isfinite(value):
        return None
    return float(value)


# --- research JSON -----------------------------------------------------------------------


def _iso_precise(moment: datetime) -> str:
    """ISO 8601 in UTC with a ``Z``; fractional seconds only when there are any."""
    return as_utc(moment).replace(tzinfo=None).isoformat() + "Z"


def jsonable(value: Any) -> Any:
    """``value`` with datetimes as ISO 8601 UTC strings, tuples and sets as lists,
    dataclasses as dicts, enums as their values and non-finite floats as null."""
    kind = type(value)
    # The common case first: an attempt's question snapshots are plain JSON data already
    # (hundreds of thousands of values in a course's export).
    if kind is str or kind is int or kind is bool or value is None:
        return value
    if kind is dict:
        return {str(k): jsonable(v) for k, v in value.items()}
    if kind is list:
        return [jsonable(v) for v in value]
    if isinstance(value, datetime):
        return _iso_precise(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, Decimal):  # a rounded mark: the same number as on the pages
        return float(value)
    if isinstance(value, Fraction):  # an exact mark: as text, "85/6"
        return str(value)
    if isinstance(value, enum.Enum):
        return jsonable(value.value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return jsonable(dataclasses.asdict(value))
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, set | frozenset):
        return [jsonable(v) for v in sorted(value, key=repr)]
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    return value


class RawJSON(str):
    """JSON text already written (an attempt's questions as the database stores them),
    spliced into the export as it is: decoding, walking and encoding it again took three
    quarters of a course's research export."""


def _json_value(value: Any) -> str:
    if isinstance(value, RawJSON):
        return str(value)
    return json.dumps(jsonable(value), ensure_ascii=False, allow_nan=False)


def research_json(attempts: Iterable[Mapping[str, Any]]) -> Iterator[str]:
    """Stream a JSON array of the given attempt dicts, one element per chunk.

    The chunks concatenate to valid JSON (UTF-8 text; non-ASCII left as is). Datetimes
    become ISO 8601 UTC strings ending in ``Z``; a value JSON cannot hold raises TypeError;
    a top-level ``RawJSON`` value goes in as written.
    """
    empty = True
    for attempt in attempts:
        body = (
            "{"
            + ", ".join(
                f"{json.dumps(str(key), ensure_ascii=False)}: {_json_value(value)}"
                for key, value in attempt.items()
            )
            + "}"
        )
        yield ("[\n" if empty else ",\n") + body
        empty = False
    yield "[]\n" if empty else "\n]\n"
