"""Dates as teachers write them: "2021", "2021-06", "2021-06-14", "June 2021", "14 June 2021",
"June 14, 2021", "the 1850s", "c. 1850" / "circa 1850", "350 BC", "AD 1066".

Pure functions. A date is an interval of time: "2021" covers the whole year, "June 2021" one
month. Two dates are *clearly ordered* when one interval ends before the other begins; an
approximate date ("c. 1850") is widened by a margin first, so "c. 1850" and "1852" are not
clearly ordered while "c. 1850" and "1900" are.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from typing import Literal

Precision = Literal["decade", "year", "month", "day"]
PRECISIONS: tuple[Precision, ...] = ("decade", "year", "month", "day")

# Positions count "days" of a schematic calendar: 12 months of 31 days. Only the order of
# positions matters, never their distance in real days.
_MONTH = 31
_YEAR = 12 * _MONTH
APPROXIMATE_MARGIN_YEARS = 10

MONTHS = {
    name.lower(): number
    for number in range(1, 13)
    for name in (calendar.month_name[number], calendar.month_abbr[number])
}
MONTHS["sept"] = 9
_MONTH_NAMES = "|".join(sorted(MONTHS, key=len, reverse=True))

_APPROX = re.compile(r"^(?:c\.|ca\.|circa|about|around|approximately|approx\.|c)\s*", re.I)
_ERA_AFTER = re.compile(r"\s*\b(BCE?|B\.C\.(?:E\.)?|CE|AD|A\.D\.)$", re.I)
_ERA_BEFORE = re.compile(r"^(AD|A\.D\.)\s+", re.I)
_ISO = re.compile(r"^(\d{1,4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_DECADE = re.compile(r"^(?:the\s+)?(\d{1,3}0)s$", re.I)
_MONTH_YEAR = re.compile(rf"^({_MONTH_NAMES})\.?,?\s+(?:of\s+)?(\d{{1,4}})$", re.I)
_NUMERIC_MONTH_YEAR = re.compile(r"^(\d{1,2})\s*[/ ]\s*(\d{4})$")
_DAY_MONTH_YEAR = re.compile(
    rf"^(\d{{1,2}})(?:st|nd|rd|th)?\s+({_MONTH_NAMES})\.?,?\s+(\d{{1,4}})$", re.I
)
_MONTH_DAY_YEAR = re.compile(
    rf"^({_MONTH_NAMES})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{1,4}})$", re.I
)


@dataclass(frozen=True)
class TeacherDate:
    """A parsed date: ``year`` is negative before Christ (350 BC -> -350; there is no year 0)."""

    text: str
    year: int
    month: int | None = None
    day: int | None = None
    approximate: bool = False
    decade: bool = False

    @property
    def precision(self) -> Precision:
        if self.decade:
            return "decade"
        if self.day is not None:
            return "day"
        return "month" if self.month is not None else "year"

    def interval(self, margin_years: int = APPROXIMATE_MARGIN_YEARS) -> tuple[int, int]:
        """[start, end) in schematic days; approximate dates widened by ``margin_years``."""
        start = self.year * _YEAR
        if self.decade:
            end = start + 10 * _YEAR
        elif self.month is None:
            end = start + _YEAR
        else:
            start += (self.month - 1) * _MONTH
            if self.day is None:
                end = start + _MONTH
            else:
                start += self.day - 1
                end = start + 1
        if self.approximate:
            start, end = start - margin_years * _YEAR, end + margin_years * _YEAR
        return start, end

    @property
    def sort_key(self) -> tuple[int, int, int]:
        """Earlier dates sort first; of two that start together, the more precise first."""
        start, end = self.interval(margin_years=0)
        return (start, end, int(self.approximate))

    @property
    def iso(self) -> str | None:
        """The ISO form (YYYY, YYYY-MM, YYYY-MM-DD) when there is one: AD, exact, not a decade."""
        if self.approximate or self.decade or self.year < 1:
            return None
        parts = [f"{self.year:04d}"]
        if self.month is not None:
            parts.append(f"{self.month:02d}")
        if self.day is not None:
            parts.append(f"{self.day:02d}")
        return "-".join(parts)


def _valid(year: int, month: int | None, day: int | None) -> bool:
    if year == 0 or (month is not None and not 1 <= month <= 12):
        return False
    if day is None:
        return True
    assert month is not None
    # Leap years follow the proleptic Gregorian rule; BC years count from 1 BC = year 0.
    astronomical = year if year > 0 else year + 1
    return 1 <= day <= calendar.monthrange(astronomical % 400 or 400, month)[1]


def parse_date(text: str) -> TeacherDate | None:
    """The date ``text`` stands for, or None when it is not one of the accepted forms."""
    original = text
    text = " ".join(str(text).split())
    approximate = False
    m = _APPROX.match(text)
    if m and m.end() < len(text):
        approximate = True
        text = text[m.end() :]
    bc = False
    era: re.Match[str] | None = _ERA_AFTER.search(text)
    if era:
        bc = era.group(1).upper().replace(".", "").startswith("B")
        text = text[: era.start()].strip()
    else:
        era = _ERA_BEFORE.match(text)
        if era:
            text = text[era.end() :]
    year: int
    month: int | None = None
    day: int | None = None
    decade = False
    if m := _ISO.match(text):
        if len(m.group(1)) != 4 and (m.group(2) or not (era or approximate)):
            # Bare short numbers ("350") are not dates; "350 BC" and "c. 350" are.
            return None
        year = int(m.group(1))
        month = int(m.group(2)) if m.group(2) else None
        day = int(m.group(3)) if m.group(3) else None
    elif m := _DECADE.match(text):
        year, decade = int(m.group(1)), True
    elif m := _MONTH_YEAR.match(text):
        month, year = MONTHS[m.group(1).lower()], int(m.group(2))
    elif m := _NUMERIC_MONTH_YEAR.match(text):
        month, year = int(m.group(1)), int(m.group(2))  # "02/2020"
    elif m := _DAY_MONTH_YEAR.match(text):
        day, month, year = int(m.group(1)), MONTHS[m.group(2).lower()], int(m.group(3))
    elif m := _MONTH_DAY_YEAR.match(text):
        month, day, year = MONTHS[m.group(1).lower()], int(m.group(2)), int(m.group(3))
    else:
        return None
    if bc:
        if month is not None or decade:
            return None  # "June 350 BC" is not something essays date; keep the forms simple
        year = -year
    if not _valid(year, month, day):
        return None
    return TeacherDate(str(original).strip(), year, month, day, approximate, decade)


def clearly_ordered(
    a: TeacherDate, b: TeacherDate, margin_years: int = APPROXIMATE_MARGIN_YEARS
) -> bool:
    """True when one date ends before the other begins (neither contains nor overlaps it)."""
    a0, a1 = a.interval(margin_years)
    b0, b1 = b.interval(margin_years)
    return a1 <= b0 or b1 <= a0


def sort_key(text: str) -> tuple[int, int, int]:
    """The sort key of a date string; ValueError when it is not a date."""
    date = parse_date(text)
    if date is None:
        raise ValueError(f"not a date: {text!r}")
    return date.sort_key


DATE_FORMS = "YYYY, YYYY-MM, YYYY-MM-DD, 'June 2021', '14 June 2021', 'c. 1850' or '350 BC'"
