"""The app's one clock and its one way of writing a time for people: ``utcnow`` (an aware UTC
datetime; the pure cores take it as an argument instead) and ``zone_text``."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

DEFAULT_TIME_FORMAT = "%d %b %Y, %H:%M"


def utcnow() -> datetime:
    return datetime.now(UTC)


def as_utc(moment: datetime) -> datetime:
    """A stored time in UTC: a naive one (SQLite gives its columns back without a zone) is
    UTC already. The pure cores' inputs are checked strictly instead (``srs`` refuses a
    naive ``now``)."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def zone_text(value: datetime, zone: str, fmt: str = DEFAULT_TIME_FORMAT) -> str:
    """``value`` (aware) as wall time in ``zone``, followed by the zone's abbreviation; a
    zone without a letter abbreviation is named by its offset (``UTC+04``)."""
    local = value.astimezone(ZoneInfo(zone))
    abbreviation = local.strftime("%Z")
    if not abbreviation or abbreviation[0] in "+-":
        abbreviation = "UTC" + (abbreviation or local.strftime("%z"))
    return f"{local.strftime(fmt)} {abbreviation}"


def iso_z(value: datetime | None) -> str | None:
    """An aware datetime as ISO 8601 in UTC with a ``Z`` (``2026-01-15T12:30:00Z``)."""
    return None if value is None else value.astimezone(UTC).isoformat().replace("+00:00", "Z")
