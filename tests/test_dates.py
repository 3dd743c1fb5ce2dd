"""Dates as teachers write them: every accepted form, and properties of the order."""

from __future__ import annotations

import calendar
import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from quizapp.bank.dates import (
    APPROXIMATE_MARGIN_YEARS,
    clearly_ordered,
    parse_date,
    sort_key,
)


@pytest.mark.parametrize(
    ("text", "year", "month", "day", "precision", "approximate"),
    [
        ("2021", 2021, None, None, "year", False),
        ("2021-06", 2021, 6, None, "month", False),
        ("2021-06-14", 2021, 6, 14, "day", False),
        ("June 2021", 2021, 6, None, "month", False),
        ("Jun. 2021", 2021, 6, None, "month", False),
        ("14 June 2021", 2021, 6, 14, "day", False),
        ("June 14, 2021", 2021, 6, 14, "day", False),
        ("c. 1850", 1850, None, None, "year", True),
        ("circa 1850", 1850, None, None, "year", True),
        ("ca. 1850", 1850, None, None, "year", True),
        ("350 BC", -350, None, None, "year", False),
        ("350 BCE", -350, None, None, "year", False),
        ("c. 350 BC", -350, None, None, "year", True),
        ("AD 1066", 1066, None, None, "year", False),
        ("1066 CE", 1066, None, None, "year", False),
        ("the 1850s", 1850, None, None, "decade", False),
    ],
)
def test_each_form(
    text: str, year: int, month: int | None, day: int | None, precision: str, approximate: bool
) -> None:
    date = parse_date(text)
    assert date is not None
    assert (date.year, date.month, date.day) == (year, month, day)
    assert date.precision == precision and date.approximate is approximate


@pytest.mark.parametrize(
    "text",
    [
        "",
        "350",
        "21",
        "2021-13",
        "2021-02-29",
        "1455-13",
        "June 350 BC",
        "Junember 2021",
        "c.",
        "2021/06/14",
        "0 BC",
        "year 2021",
    ],
)
def test_not_dates(text: str) -> None:
    assert parse_date(text) is None


def test_sort_key_rejects_what_is_not_a_date() -> None:
    with pytest.raises(ValueError, match="not a date: 'soon'"):
        sort_key("soon")


days = st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31))


@given(days)
def test_iso_and_written_forms_agree(day: dt.date) -> None:
    iso = day.isoformat()
    parsed = parse_date(iso)
    assert parsed is not None and parsed.iso == iso
    month = calendar.month_name[day.month]
    for written in (f"{day.day} {month} {day.year}", f"{month} {day.day}, {day.year}"):
        other = parse_date(written)
        assert other is not None and other.sort_key == parsed.sort_key


@given(days, days)
def test_days_order_like_the_calendar(a: dt.date, b: dt.date) -> None:
    da, db = parse_date(a.isoformat()), parse_date(b.isoformat())
    assert da is not None and db is not None
    assert clearly_ordered(da, db) == (a != b)
    if a < b:
        assert da.sort_key < db.sort_key


@given(days)
def test_a_date_is_not_ordered_against_what_contains_it(day: dt.date) -> None:
    d = parse_date(day.isoformat())
    month = parse_date(f"{day.year:04d}-{day.month:02d}")
    year = parse_date(f"{day.year:04d}")
    assert d and month and year
    for a, b in ((d, month), (d, year), (month, year), (year, year)):
        assert not clearly_ordered(a, b) and not clearly_ordered(b, a)


@given(st.integers(1, 9000), st.integers(0, 40))
def test_approximate_dates_need_a_margin(year: int, gap: int) -> None:
    approx, exact = parse_date(f"c. {year}"), parse_date(f"{year + gap:04d}")
    assert approx and exact
    assert clearly_ordered(approx, exact) == (gap > APPROXIMATE_MARGIN_YEARS)
    assert clearly_ordered(exact, approx) == clearly_ordered(approx, exact)


@given(st.integers(1, 3000), st.integers(1, 3000))
def test_bc_years_run_backwards_and_precede_ad(a: int, b: int) -> None:
    bc_a, bc_b, ad = parse_date(f"{a} BC"), parse_date(f"{b} BC"), parse_date(f"AD {b}")
    assert bc_a and bc_b and ad
    assert (bc_a.sort_key < bc_b.sort_key) == (a > b)
    assert bc_a.sort_key < ad.sort_key and clearly_ordered(bc_a, ad)
    assert bc_a.iso is None


@given(st.integers(1000, 2999), st.integers(1, 12))
def test_month_names_and_iso_months_agree(year: int, month: int) -> None:
    a = parse_date(f"{calendar.month_name[month]} {year}")
    b = parse_date(f"{calendar.month_abbr[month]} {year}")
    c = parse_date(f"{year}-{month:02d}")
    assert a and b and c and a.sort_key == b.sort_key == c.sort_key and a.precision == "month"


@given(st.integers(100, 9980))
def test_a_decade_holds_its_years(year: int) -> None:
    decade = parse_date(f"the {year - year % 10}s")
    inside, after = parse_date(f"{year:04d}"), parse_date(f"{year - year % 10 + 10:04d}")
    assert decade and inside and after
    assert not clearly_ordered(decade, inside) and clearly_ordered(decade, after)


def test_facts_take_teacher_dates_and_ordering_follows_them(tiny_dir: Path) -> None:
    from quizapp.bank import build_bank, load_content

    path = tiny_dir / "printing-press" / "facts.yaml"
    text = path.read_text(encoding="utf-8")
    for old, new in (
        ('"1450"', '"c. 1450"'),
        ('"1455"', '"August 1455"'),
        ('"1476"', '"1476"'),
        ('"1516"', '"the 1510s"'),
    ):
        text = text.replace(f"date: {old}", f"date: {new}")
    path.write_text(text, encoding="utf-8")
    result = load_content(tiny_dir)
    assert result.ok, result.errors
    content = result.essays["printing-press"]
    dates = {f.id: f.date for f in content.facts if f.date}
    assert sorted(dates.values()) == ["1476", "August 1455", "c. 1450", "the 1510s"]
    orderings = [i for i in build_bank(content, 0).items if i.type == "ordering"]
    assert orderings
    for item in orderings:
        keys = [sort_key(dates[i]) for i in item.origin.ids]
        assert keys == sorted(keys)
        # "c. 1450" overlaps "August 1455" (a 10-year margin): they never share an item
        chosen = {dates[i] for i in item.origin.ids}
        assert not {"c. 1450", "August 1455"} <= chosen
