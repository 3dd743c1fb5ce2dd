"""Rate limits that hold for the whole site: counts kept where every worker and server sees
them. By default they are rows of the app's own database (table ``rate_limit``, one atomic
upsert per hit); ``RATELIMIT_STORAGE_URI`` may name any other `limits` storage instead,
e.g. ``redis://host:6379`` (needs the ``redis`` package).

Each limit is a fixed window that starts at its first hit. Identifiers (email addresses,
client addresses) are kept only as hashes.
"""

from __future__ import annotations

import hashlib
import itertools
import time
from dataclasses import dataclass
from typing import Any

from flask import Flask, current_app
from limits import RateLimitItem, parse_many
from limits.storage import Storage, storage_from_string
from limits.strategies import FixedWindowRateLimiter
from sqlalchemy import case, delete, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import SQLAlchemyError

from .extensions import db
from .models import RateLimit

DEFAULT_STORAGE = "quizapp-db://"
PRUNE_EVERY = 500  # hits between two sweeps of expired counters (per process)


class DatabaseStorage(Storage):
    """A `limits` storage in the app's database (SQLite or PostgreSQL); needs an app context."""

    STORAGE_SCHEME = ["quizapp-db"]  # noqa: RUF012 (the registry reads a list)

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False, **options: Any):
        super().__init__(uri, wrap_exceptions, **options)
        self._hits = itertools.count(1)

    @property
    def base_exceptions(self) -> type[Exception]:
        return SQLAlchemyError

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        now = time.time()
        dialect = sqlite if db.engine.dialect.name == "sqlite" else postgresql
        expired = RateLimit.expires_at <= now
        stmt = (
            dialect.insert(RateLimit)
            .values(key=key, count=amount, expires_at=now + expiry)
            .on_conflict_do_update(
                index_elements=[RateLimit.key],
                set_={
                    "count": case((expired, amount), else_=RateLimit.count + amount),
                    "expires_at": case((expired, now + expiry), else_=RateLimit.expires_at),
                },
            )
            .returning(RateLimit.count)
        )
        # Its own short transaction: the count is committed at once, whatever the request does.
        with db.engine.begin() as conn:
            count = int(conn.execute(stmt).scalar_one())
            if next(self._hits) % PRUNE_EVERY == 0:
                conn.execute(delete(RateLimit).where(RateLimit.expires_at <= now))
        return count

    def get(self, key: str) -> int:
        with db.engine.connect() as conn:
            count = conn.execute(
                select(RateLimit.count).where(
                    RateLimit.key == key, RateLimit.expires_at > time.time()
                )
            ).scalar()
        return int(count or 0)

    def get_expiry(self, key: str) -> float:
        with db.engine.connect() as conn:
            expires = conn.execute(
                select(RateLimit.expires_at).where(RateLimit.key == key)
            ).scalar()
        return float(expires or time.time())

    def check(self) -> bool:
        with db.engine.connect() as conn:
            conn.execute(select(func.count()).select_from(RateLimit))
        return True

    def reset(self) -> int | None:
        with db.engine.begin() as conn:
            return int(conn.execute(delete(RateLimit)).rowcount or 0)

    def clear(self, key: str) -> None:
        with db.engine.begin() as conn:
            conn.execute(delete(RateLimit).where(RateLimit.key == key))


def init_app(app: Flask) -> None:
    app.config.setdefault("RATELIMIT_ENABLED", True)
    storage = storage_from_string(app.config.get("RATELIMIT_STORAGE_URI") or DEFAULT_STORAGE)
    app.extensions["ratelimit"] = FixedWindowRateLimiter(storage)


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    retry_after: int = 0  # seconds until the exhausted window ends


def _ident(scope: str, identifier: str) -> tuple[str, str]:
    digest = hashlib.sha256(identifier.encode("utf-8", "surrogatepass")).hexdigest()[:32]
    return ("quizapp", f"{scope}:{digest}")


def hit(limits: str, scope: str, identifier: str) -> Verdict:
    """Count one event against the limits in ``limits`` ("5 per minute;30 per hour"), in
    order, up to the first one it exceeds: an event the minute's limit refused does not count
    toward the hour's, so hammering a locked account keeps it locked only for that minute."""
    if not current_app.config["RATELIMIT_ENABLED"]:
        return Verdict(True)
    limiter: FixedWindowRateLimiter = current_app.extensions["ratelimit"]
    ident = _ident(scope, identifier)
    items: list[RateLimitItem] = parse_many(limits)
    for item in items:
        if not limiter.hit(item, *ident):
            reset = limiter.get_window_stats(item, *ident).reset_time
            return Verdict(False, max(1, int(reset - time.time() + 0.999)))
    return Verdict(True)
