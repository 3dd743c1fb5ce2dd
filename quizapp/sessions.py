"""Server-side sign-ins: each sign-in is a ``UserSession`` row that its cookies point at.

The Flask session cookie and the remember-me cookie carry ``<user id>:<secret>``; the database
keeps only the secret's SHA-256. Signing out revokes the row, so a copied cookie replayed
later (from any browser) reads nothing. A sign-in without "remember me" ends after
``SESSION_IDLE`` without a request; one with it ends ``REMEMBER_DURATION`` after sign-in.
"""

from __future__ import annotations

import functools
import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import Select, bindparam, select, update

from .extensions import db
from .models import User, UserSession

SESSION_IDLE = timedelta(hours=12)
REMEMBER_DURATION = timedelta(days=30)
# A sign-in's expiry is pushed forward at most this often (one write per few minutes of use).
TOUCH_EVERY = timedelta(minutes=5)


def token_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


def open_session(user: User, remember: bool, now: datetime) -> str:
    """Record a new sign-in for ``user`` and return its secret (only the cookie keeps it)."""
    db.session.execute(  # the user's ended sign-ins are of no further use
        db.delete(UserSession).where(
            UserSession.user_id == user.id,
            (UserSession.revoked_at.is_not(None)) | (UserSession.expires_at <= now),
        )
    )
    secret = secrets.token_urlsafe(32)
    user.last_seen_at = now
    db.session.add(
        UserSession(
            user_id=user.id,
            token_hash=token_hash(secret),
            remember=remember,
            created_at=now,
            expires_at=now + (REMEMBER_DURATION if remember else SESSION_IDLE),
        )
    )
    db.session.commit()
    return secret


@functools.cache
def _live_session_statement() -> Select[tuple[User, UserSession]]:
    # Run on every signed-in request: built once, with bound parameters, so neither the
    # statement nor its cache key is made again per request.
    return (
        select(User, UserSession)
        .join(UserSession, UserSession.user_id == User.id)
        .where(UserSession.token_hash == bindparam("token_hash"), User.id == bindparam("user_id"))
    )


def live_session(user_id: int, secret: str, now: datetime) -> tuple[User, UserSession] | None:
    """The account and sign-in a cookie names, if the sign-in is neither revoked nor expired.
    An idle-limited sign-in in use has its end moved forward, and the account's last-seen
    time with it (both at most once per ``TOUCH_EVERY``)."""
    row = db.session.execute(
        _live_session_statement(), {"token_hash": token_hash(secret), "user_id": user_id}
    ).first()
    if row is None:
        return None
    user, record = row
    if record.revoked_at is not None or record.expires_at <= now:
        return None
    touched = False
    if not record.remember and record.expires_at - now < SESSION_IDLE - TOUCH_EVERY:
        record.expires_at = now + SESSION_IDLE
        touched = True
    if user.last_seen_at is None or now - user.last_seen_at >= TOUCH_EVERY:
        user.last_seen_at = now
        touched = True
    if touched:
        db.session.commit()
    return user, record


def revoke(secret: str, now: datetime) -> None:
    db.session.execute(
        update(UserSession)
        .where(UserSession.token_hash == token_hash(secret), UserSession.revoked_at.is_(None))
        .values(revoked_at=now)
    )
    db.session.commit()


def revoke_all(user_id: int, now: datetime) -> int:
    """End every sign-in of the account; how many were live."""
    result = db.session.execute(
        update(UserSession)
        .where(
            UserSession.user_id == user_id,
            UserSession.revoked_at.is_(None),
            UserSession.expires_at > now,
        )
        .values(revoked_at=now)
    )
    db.session.commit()
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def live_count(user_id: int, now: datetime) -> int:
    return int(
        db.session.execute(
            db.select(db.func.count(UserSession.id)).where(
                UserSession.user_id == user_id,
                UserSession.revoked_at.is_(None),
                UserSession.expires_at > now,
            )
        ).scalar_one()
    )
