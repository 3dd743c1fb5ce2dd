"""Time helpers and study days: aware UTC datetimes, time zones, the day that rolls over at
``day_starts_hour``.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

TzLike = str | tzinfo


# ---------------------------------------------------------------------------------------------
# Time helpers


def _utc(value: datetime, name: str = "now") -> datetime:
    """``value`` as an aware UTC datetime (``tzinfo is datetime.UTC``); naive raises."""
    if not isinstance(value, datetime):
        raise TypeError(f"{name} must be a datetime, not {type(value).__name__}")
    if value.tzinfo is None or value.tzinfo.utcoffset(value) is None:
        raise ValueError(f"{name} must be timezone-aware (got naive {value.isoformat()})")
    return value.astimezone(UTC)


def _zone(tz: TzLike) -> tzinfo:
    if isinstance(tz, tzinfo):
        return tz
    try:
        return ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"unknown time zone: {tz!r}") from exc


def _check_hour(day_starts_hour: int) -> None:
    if isinstance(day_starts_hour, bool) or not 0 <= day_starts_hour <= 23:
        raise ValueError(f"day_starts_hour must be 0-23, got {day_starts_hour!r}")


def _dt_to_str(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def _dt_from_str(value: str | None, name: str) -> datetime | None:
    return None if value is None else _utc(datetime.fromisoformat(value), name)


# ---------------------------------------------------------------------------------------------
# Study days


def study_day(now: datetime, tz: TzLike, day_starts_hour: int = 4) -> date:
    """The learner's study day at ``now``: the local date, where the day rolls over at
    ``day_starts_hour`` o'clock local time (so 3:30 am belongs to the previous day).

    Computed on the local wall clock, so it stays right across DST changes.
    """
    _check_hour(day_starts_hour)
    local = _utc(now).astimezone(_zone(tz))
    return (local - timedelta(hours=day_starts_hour)).date()


def day_bounds(day: date, tz: TzLike, day_starts_hour: int = 4) -> tuple[datetime, datetime]:
    """The UTC instants ``[start, end)`` of study day ``day``: from ``day_starts_hour`` local
    on ``day`` to the same wall time the next day (23 or 25 hours across a DST change).

    A start time that falls in a DST gap maps to the instant the clocks jump; one that occurs
    twice (clocks going back) to its first occurrence; both agree with :func:`study_day`.
    """
    _check_hour(day_starts_hour)
    zone = _zone(tz)
    start = datetime.combine(day, time(day_starts_hour), tzinfo=zone)
    end = datetime.combine(day + timedelta(days=1), time(day_starts_hour), tzinfo=zone)
    return start.astimezone(UTC), end.astimezone(UTC)
