"""A year typed with more of its date, and a year or a number inside a time phrase.

- stated date (tagged "date form"): a year key ("2002") typed as a fuller date is accepted only
  when the item's own texts (quote, explanation) state that date: "October 2002", "October 23,
  2002", "2002 (October)", a range whose ends are days the texts state ("October 23-26,
  2002"), a part of a month ("late October 2002") or a season ("autumn 2002") that holds a day
  or a whole month the texts state. Any other month or day of the right year is refused
  ("September 2002" where the texts say October 2; "September 2003" where they say February
  2003), and so is a month the texts do not state at all: the grader cannot vouch for it. A
  month or a day alone ("October") is refused: the blank asks for the year.
  A full-date key or a month key takes nothing of this: a part of the month or a season is
  less than the day asked, another month or day is wrong (``forms.date_form`` has the other
  ways to write the very date).
- since (tagged "frame"): where the item is about a state since a year (the key says "since
  Y", the question asks "since ...", or the texts say "since Y"), "as of Y", "from Y on",
  "Y onward(s)", "since Y onward", "starting in Y", "beginning in Y", "ever since Y"; the
  year, or a date the texts state in it ("from February 2003 on"). Never "until", "before",
  "after" or another year.
- time span (tagged "frame"): a number of years (months...) inside "the last / past /
  previous", "over / during / in / for the past", "... now" ("the last seven years", "over the
  past 7 years", "for 7 years now"); what is left must match the key by the other rules, with
  its unit ("the last seven" is refused).
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable, Sequence

from ..bank.text import normalize_passage
from .rules import DATE, FRAME

# (given, key, rules) -> the rules that make the given the key, or None
TextMatcher = Callable[[str, str, frozenset[str]], set[str] | None]

_MONTHS = {
    name.lower(): n
    for n in range(1, 13)
    for name in (calendar.month_name[n], calendar.month_abbr[n])
}
_MONTHS["sept"] = 9
_M = r"(?P<m>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_D = r"(?P<d>\d{1,2})(?:st|nd|rd|th)?"
_D2 = r"(?P<d2>\d{1,2})(?:st|nd|rd|th)?"
_Y = r"(?P<y>\d{4})"
_PREFIX = r"^(?:(?:in|on|during|from|since|by)\s+)?(?:the\s+)?"

# "2002 (October)", "2002, in October"
_AFTER_YEAR = r"\s*(?:,\s*(?:in|on)?\s*|\(\s*(?:in|on)?\s*)"
# What a student types for a date of the key's year (lower case, dashes as "-").
_TYPED = [
    re.compile(_PREFIX + _M + r"(?:\s+" + _D + r")?,?\s+(?:of\s+)?" + _Y + "$"),
    re.compile(_PREFIX + _D + r"\s+(?:of\s+)?" + _M + r",?\s+(?:of\s+)?" + _Y + "$"),
    re.compile(_PREFIX + _Y + _AFTER_YEAR + _M + r"(?:\s+" + _D + r")?\s*\)?$"),
    re.compile(_PREFIX + _Y + _AFTER_YEAR + _D + r"\s+" + _M + r"\s*\)?$"),
]
_TYPED_RANGE = [
    re.compile(_PREFIX + _M + r"\s+" + _D + r"\s*-\s*" + _D2 + r",?\s+" + _Y + "$"),
    re.compile(_PREFIX + _D + r"\s*-\s*" + _D2 + r"\s+" + _M + r",?\s+" + _Y + "$"),
]
PARTS = {"early": (1, 10), "beginning of": (1, 10), "start of": (1, 10), "mid": (11, 20),
         "middle of": (11, 20), "late": (21, 31), "end of": (21, 31)}  # fmt: skip
_TYPED_PART = re.compile(
    _PREFIX
    + r"(?P<part>early|mid|late|end of|beginning of|start of|middle of)[\s-]+(?:of\s+)?"
    + _M
    + r",?\s+(?:of\s+)?"
    + _Y
    + "$"
)
# A season's days in both the weather's and the sky's reckoning (month, day) to (month, day),
# so that a season never takes a day only one of them counts (September 10 is no autumn).
SEASONS = {"spring": ((3, 21), (5, 31)), "summer": ((6, 22), (8, 31)),
           "autumn": ((9, 23), (11, 30)), "fall": ((9, 23), (11, 30))}  # fmt: skip
_TYPED_SEASON = re.compile(
    _PREFIX + r"(?P<season>spring|summer|autumn|fall),?\s+(?:of\s+)?" + _Y + "$"
)
# Dates the texts state: "October 2, 2002", "23-26 October 2002", "October 2002", "October 26"
# (the year of the date before it in the same text).
_STATED = re.compile(
    r"\b(?:(?P<a>\d{1,2})(?:st|nd|rd|th)?(?:\s*-\s*(?P<a2>\d{1,2})(?:st|nd|rd|th)?)?\s+)?"
    + _M
    + r"(?:\s+(?P<b>\d{1,2})(?:st|nd|rd|th)?(?:\s*-\s*(?P<b2>\d{1,2})(?:st|nd|rd|th)?)?)?"
    r"(?!\d)(?:,?\s+(?:of\s+)?(?P<y>\d{4}))?\b"
)
_YEAR_KEY = re.compile(r"^(?:(?:in|since|from|during)\s+)?(?:the\s+year\s+)?(?P<y>\d{4})$")


def _lower(text: str) -> str:
    text = normalize_passage(text).replace("–", "-").replace("—", "-").lower()
    return re.sub(r"\s+", " ", text).strip().rstrip(".!;: ").strip()


def _valid(year: int, month: int, day: int) -> bool:
    return 1 <= day <= calendar.monthrange(year, month)[1]


def stated_dates(texts: Sequence[str]) -> tuple[frozenset[tuple[int, int, int]], frozenset]:
    """The days (year, month, day) and the months (year, month) the texts state; a day
    without a year takes the year of the date stated before it in the same text."""
    days: set[tuple[int, int, int]] = set()
    months: set[tuple[int, int]] = set()
    for text in texts:
        last_year: int | None = None
        for m in _STATED.finditer(_lower(text)):
            first, second = (m["a"], m["a2"]) if m["a"] else (m["b"], m["b2"])
            year = int(m["y"]) if m["y"] else None
            if year is None and first is None:
                continue  # "may" is a verb as often as a month
            year = year if year is not None else last_year
            if year is None:
                continue
            last_year = year
            month = _MONTHS[m["m"]]
            months.add((year, month))
            for d in (first, second):
                if d is not None and _valid(year, month, int(d)):
                    days.add((year, month, int(d)))
    return frozenset(days), frozenset(months)


def key_year(key: str) -> int | None:
    """The year a key asks for ("2002", "in 2002", "the year 2002"), or None."""
    m = _YEAR_KEY.match(_lower(key))
    return int(m["y"]) if m else None


def _day_open(year: int, month: int, days: frozenset, months: frozenset) -> bool:
    """The texts state the month and no day of it: a day of that month contradicts nothing
    ("February 14, 2003" where the texts say "February 2003")."""
    return (year, month) in months and not any(d[:2] == (year, month) for d in days)


def date_of_year(typed: str, year: int, context: Sequence[str]) -> bool:
    """Whether ``typed`` is the key's ``year`` with a month, day, range, part of a month or
    season that the item's texts state for that year (see the module's docstring)."""
    text = _lower(typed)
    days, months = stated_dates(context)
    for pattern in _TYPED:
        if (m := pattern.match(text)) is not None:
            if int(m["y"]) != year:
                return False
            month = _MONTHS[m["m"]]
            if m["d"] is None:
                return (year, month) in months
            return (year, month, int(m["d"])) in days or _day_open(year, month, days, months)
    for pattern in _TYPED_RANGE:
        if (m := pattern.match(text)) is not None:
            month, d1, d2 = _MONTHS[m["m"]], int(m["d"]), int(m["d2"])
            return (
                int(m["y"]) == year and d1 < d2 and {(year, month, d1), (year, month, d2)} <= days
            )
    if (m := _TYPED_PART.match(text)) is not None:
        lo, hi = PARTS[m["part"]]
        month = _MONTHS[m["m"]]
        return int(m["y"]) == year and any((year, month, d) in days for d in range(lo, hi + 1))
    if (m := _TYPED_SEASON.match(text)) is not None:
        start, end = SEASONS[m["season"]]
        if int(m["y"]) != year:
            return False
        if any(start <= (mo, d) <= end for y, mo, d in days if y == year):
            return True
        # a month the texts state without its day: the whole month must be in the season
        return any(
            start <= (mo, 1) and (mo, calendar.monthrange(year, mo)[1]) <= end
            for y, mo in months
            if y == year
        )
    return False


# --- since a year -----------------------------------------------------------------------------

_SINCE_BEFORE = (
    r"(?:as of|as from|ever since|since|from|starting in|starting from|starting|beginning in"
    r"|beginning)"
)
_SINCE_AFTER = r"(?:on|onward|onwards|on ?ward|forward|until now|till now|to date|to this day)"
_SINCE = re.compile(
    r"^(?:(?P<before>" + _SINCE_BEFORE + r")\s+)?(?:the year\s+)?(?P<core>.+?)"
    r"(?:\s+(?P<after>" + _SINCE_AFTER + r"))?$"
)
_SINCE_WORD = re.compile(r"\bsince\b")


def _about_since(key: str, year: int, context: Sequence[str], question: str) -> bool:
    """The item is about a state since the year: its key or question says "since", or its
    texts say "since <year>"."""
    if _SINCE_WORD.search(_lower(key)) or _SINCE_WORD.search(_lower(question)):
        return True
    return any(re.search(rf"\bsince\s+(?:at least\s+)?{year}\b", _lower(t)) for t in context)


def since_year(typed: str, key: str, context: Sequence[str], question: str) -> bool:
    """ "as of 2003", "from 2003 on", "2003 onwards" for a key "(since) 2003" where the item is
    about a state since that year; the core the year or a date the texts state in it."""
    year = key_year(re.sub(r"^since\s+", "", _lower(key)))
    if year is None:
        return False
    m = _SINCE.match(_lower(typed))
    if m is None or not (m["before"] or m["after"]):
        return False
    if m["before"] in (None, "from", "since") and m["after"] is None:
        return False  # "from 2003", "since 2003": the frame rule's already
    if not _about_since(key, year, context, question):
        return False
    core = m["core"]
    return core == str(year) or date_of_year(core, year, context)


# --- a number of years inside "the last / past ..." ----------------------------------------------

_SPAN = re.compile(
    r"^(?:(?P<prep>for|over|during|in|within|throughout)\s+)?"
    r"(?:(?P<the>the)\s+(?P<last>last|past|previous|preceding)\s+)?"
    r"(?P<rest>.+?)(?:\s+(?P<now>now|so far|to date|until now|up to now))?$"
)
_UNIT = re.compile(r"\b(?:years?|months?|weeks?|days?|decades?|centuries|century)$")


def time_span(typed: str, key: str, rules: frozenset[str], match: TextMatcher) -> set[str] | None:
    """A span typed inside "the last / past" or followed by "now" ("the last seven years",
    "over the past 7 years", "for 7 years now"): the rest, with its unit, must match the key
    (or the key with its own "the past" taken off) by the other rules."""
    m = _SPAN.match(_lower(typed))
    if m is None or not (m["last"] or m["now"]) or not _UNIT.search(m["rest"]):
        return None
    k = _SPAN.match(_lower(key))
    keys = {key}
    if k is not None and k["last"] and not k["now"] and _UNIT.search(k["rest"]):
        keys.add(k["rest"])
    inner = rules - {FRAME}
    found = [t for k_ in keys if (t := match(m["rest"], k_, inner)) is not None]
    if not found:
        return None
    return min(found, key=len) | {FRAME}


def year_forms(
    given: str,
    key: str,
    mode: str,
    context: Sequence[str],
    question: str,
    rules: frozenset[str],
    match: TextMatcher,
) -> set[str] | None:
    """A year key typed with more of the date the texts state, a year inside a "since" phrase,
    or a span inside "the last/past" (see the module's docstring)."""
    found: list[set[str]] = []
    year = key_year(key)
    if DATE in rules and year is not None and date_of_year(given, year, context):
        found.append({DATE})
    if FRAME in rules and since_year(given, key, context, question):
        found.append({FRAME})
    if FRAME in rules and (span := time_span(given, key, rules, match)) is not None:
        found.append(span)
    return min(found, key=len) if found else None
