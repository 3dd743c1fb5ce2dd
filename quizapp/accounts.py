"""Accounts as a school needs them, the service layer: one-time password reset links (shown to
the instructor or mailed), the mail itself, the user's data as JSON and deleting an account.

These take the time explicitly (an aware UTC datetime) and read no request, session or
signed-in user; the pages are ``account_views``, the commands ``cli/users.py``.
"""

from __future__ import annotations

import secrets
import smtplib
import ssl
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from typing import Any

from flask import url_for
from sqlalchemy import delete, func, select, update

from . import courses, sessions
from .extensions import db
from .models import (
    Attempt,
    CardStateRow,
    PasswordReset,
    QuestionFlag,
    QuestionReport,
    ReviewLog,
    User,
)
from .users import (
    TIMEZONES,
)

RESET_VALID = timedelta(hours=1)


def valid_zone(name: str) -> bool:
    """An IANA zone name that zoneinfo knows (the list the settings form offers)."""
    return name in _ZONES


_ZONES = frozenset(TIMEZONES)


# --- password reset links: the core ---------------------------------------------------------


def create_reset(user: User, now: datetime, created_by: User | None = None) -> str:
    """Make a reset link's secret for ``user``, valid for ``RESET_VALID`` from ``now``; only
    its SHA-256 is stored. The user's earlier links stop working."""
    db.session.execute(delete(PasswordReset).where(PasswordReset.user_id == user.id))
    secret = secrets.token_urlsafe(32)
    db.session.add(
        PasswordReset(
            user_id=user.id,
            token_hash=sessions.token_hash(secret),
            created_at=now,
            expires_at=now + RESET_VALID,
            created_by=created_by.id if created_by is not None else None,
        )
    )
    db.session.commit()
    return secret


def live_reset(secret: str, now: datetime) -> PasswordReset | None:
    """The link ``secret`` names, if it is unused and not expired at ``now``."""
    if not secret or len(secret) > 100:
        return None
    record = db.session.execute(
        select(PasswordReset).where(PasswordReset.token_hash == sessions.token_hash(secret))
    ).scalar_one_or_none()
    if record is None or record.used_at is not None or record.expires_at <= now:
        return None
    return record


def use_reset(secret: str, password_hash: str, now: datetime) -> User | None:
    """Spend the link: set the new password and end every sign-in of the account. The link
    is marked used by one guarded UPDATE, so two requests at once cannot both use it.
    None when the link is unknown, used or expired."""
    result = db.session.execute(
        update(PasswordReset)
        .where(
            PasswordReset.token_hash == sessions.token_hash(secret),
            PasswordReset.used_at.is_(None),
            PasswordReset.expires_at > now,
        )
        .values(used_at=now)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        db.session.rollback()
        return None
    record = db.session.execute(
        select(PasswordReset).where(PasswordReset.token_hash == sessions.token_hash(secret))
    ).scalar_one()
    user = db.session.get(User, record.user_id)
    assert user is not None  # the link goes with its account (ON DELETE CASCADE)
    user.password_hash = password_hash
    db.session.commit()
    sessions.revoke_all(user.id, now)
    return user


def may_reset(actor: User, target: User) -> bool:
    """Who may make a reset link for whom on the web: an instructor of a course the student
    is in (not a TA, not another course's instructor). Instructors' own accounts are reset
    with ``quizapp users reset-password``."""
    return (
        actor.is_instructor
        and target.role == "student"
        and actor.id != target.id
        and courses.staff_sees_student(actor.id, target.id, write=True)
    )


def reset_link(secret: str) -> str:
    """The full address of a reset link, on the host of the current request (the command
    line runs in a request context for ``BASE_URL``)."""
    return url_for("account.reset_password", token=secret, _external=True)


# --- mail ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    sender: str
    user: str = ""
    password: str = ""
    tls: str = "starttls"  # "starttls", "ssl" or "none"
    timeout: float = 20.0


SMTP_TLS = ("starttls", "ssl", "none")


def smtp_settings(config: dict[str, Any]) -> SmtpSettings | None:
    """The mail settings from the app's config (``SMTP_*``, from the environment's
    ``QUIZAPP_SMTP_*``); None without ``SMTP_HOST``: links are then shown, not mailed."""
    host = (config.get("SMTP_HOST") or "").strip()
    if not host:
        return None
    tls = (config.get("SMTP_TLS") or "starttls").strip().lower()
    if tls not in SMTP_TLS:
        raise ValueError(f"SMTP_TLS={tls!r}: use one of {', '.join(SMTP_TLS)}")
    default_port = {"starttls": 587, "ssl": 465, "none": 25}[tls]
    sender = (config.get("SMTP_FROM") or config.get("SMTP_USER") or "").strip()
    if not sender:
        raise ValueError("SMTP_HOST is set: set SMTP_FROM, the address mail is sent from")
    return SmtpSettings(
        host=host,
        port=int(config.get("SMTP_PORT") or default_port),
        sender=sender,
        user=config.get("SMTP_USER") or "",
        password=config.get("SMTP_PASSWORD") or "",
        tls=tls,
    )


def reset_message(settings: SmtpSettings, user: User, link: str, expires: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = settings.sender
    message["To"] = user.email
    message["Subject"] = "Set a new password for Essay Study"
    message.set_content(
        f"Hello {user.name},\n\n"
        "Follow this link to set a new password for your Essay Study account:\n\n"
        f"{link}\n\n"
        f"The link works once, until {expires}. Setting a new password signs you out on "
        "every device.\n\nIf you did not ask for this, ignore this message: your password "
        "stays as it is.\n"
    )
    return message


def send_mail(settings: SmtpSettings, message: EmailMessage) -> None:
    """Send one message; raises ``smtplib.SMTPException`` or ``OSError`` when it fails."""
    context = ssl.create_default_context()
    client: smtplib.SMTP
    if settings.tls == "ssl":
        client = smtplib.SMTP_SSL(
            settings.host, settings.port, timeout=settings.timeout, context=context
        )
    else:
        client = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout)
    with client:
        if settings.tls == "starttls":
            client.starttls(context=context)
        if settings.user:
            client.login(settings.user, settings.password)
        client.send_message(message)


# --- the user's own data ---------------------------------------------------------------------


def _iso(value: datetime | None) -> str | None:
    from .exports.gradebook import iso_utc

    return iso_utc(value) if value is not None else None


def user_data(user: User, now: datetime) -> dict[str, Any]:
    """Everything the app keeps about ``user``, as JSON-ready data. Times are UTC (ISO 8601
    with a ``Z``), as the ``time_zone`` entry says; the user's own zone is in ``settings``."""
    attempts = (
        db.session.execute(
            select(Attempt).where(Attempt.user_id == user.id).order_by(Attempt.started_at)
        )
        .scalars()
        .all()
    )
    attempt_ids = [a.id for a in attempts]
    flags: dict[int, list[dict[str, Any]]] = {}
    if attempt_ids:
        for flag in db.session.execute(
            select(QuestionFlag).where(QuestionFlag.attempt_id.in_(attempt_ids))
        ).scalars():
            flags.setdefault(flag.attempt_id, []).append(
                {"question": flag.position, "flagged_at": _iso(flag.flagged_at)}
            )
    reports = db.session.execute(
        select(QuestionReport)
        .where(QuestionReport.user_id == user.id)
        .order_by(QuestionReport.created_at)
    ).scalars()
    cards = db.session.execute(
        select(CardStateRow)
        .where(CardStateRow.user_id == user.id)
        .order_by(CardStateRow.essay, CardStateRow.card_id)
    ).scalars()
    reviews = db.session.execute(
        select(ReviewLog).where(ReviewLog.user_id == user.id).order_by(ReviewLog.id)
    ).scalars()
    return {
        "format": "essay-study-user-data",
        "version": 1,
        "time_zone": "UTC",
        "note": "Every time is in UTC (ISO 8601, ending in Z); settings.time_zone is yours.",
        "exported_at": _iso(now),
        "account": {
            "name": user.name,
            "email": user.email,
            "role": user.role,
            "created_at": _iso(user.created_at),
            "last_seen_at": _iso(user.last_seen_at),
        },
        "settings": {"time_zone": user.timezone, "flashcards": user.srs_settings},
        "attempts": [
            {
                "essay": a.essay,
                "quiz_id": a.quiz_id,
                "quiz_title": a.quiz_title,
                "attempt": a.number,
                "started_at": _iso(a.started_at),
                "deadline": _iso(a.deadline),
                "submitted_at": _iso(a.submitted_at),
                "points": None if a.shown_points is None else str(a.shown_points),
                "max_points": a.max_points,
                "percent": a.percent,
                "questions": a.questions,
                "responses": [
                    {
                        "question": r.position,
                        "item_id": r.item_id,
                        "answer": r.answer,
                        "points": r.mark if r.mark is not None else r.points,
                        "saved_at": _iso(r.saved_at),
                        "instructor_comment": r.override_comment,
                    }
                    for r in a.responses
                ],
                "flags": flags.get(a.id, []),
            }
            for a in attempts
        ],
        "reports": [
            {
                "essay": r.attempt.essay,
                "quiz_id": r.attempt.quiz_id,
                "attempt": r.attempt.number,
                "question": r.position,
                "item_id": r.item_id,
                "note": r.note,
                "created_at": _iso(r.created_at),
                "resolved_at": _iso(r.resolved_at),
            }
            for r in reports
        ],
        "card_states": [
            {
                "essay": c.essay,
                "card_id": c.card_id,
                "state": c.state,
                "step": c.step,
                "stability": c.stability,
                "difficulty": c.difficulty,
                "due": _iso(c.due),
                "last_review": _iso(c.last_review),
                "reps": c.reps,
                "lapses": c.lapses,
                "suspended": c.suspended,
                "leech": c.leech,
                "priority": c.priority,
            }
            for c in cards
        ],
        "review_log": [
            {
                "essay": r.essay,
                "card_id": r.card_id,
                "rating": r.rating,
                "reviewed_at": _iso(r.reviewed_at),
                "duration_ms": r.duration_ms,
                "state_before": r.state_before,
                "state_after": r.state_after,
            }
            for r in reviews
        ],
    }


class LastInstructor(ValueError):
    pass


def delete_account(user_id: int, now: datetime) -> None:
    """Delete the account and everything of it: attempts with their responses, flags and
    reports, card states, reviews, sign-ins (the database cascades); class figures are
    computed from these rows, so the user leaves them. Marks they changed as an instructor
    keep the change with no author. The last instructor account cannot be deleted."""
    user = db.session.get(User, user_id)
    if user is None:
        return
    if user.is_instructor:
        others = db.session.execute(
            select(func.count(User.id)).where(User.role == "instructor", User.id != user_id)
        ).scalar_one()
        if not others:
            raise LastInstructor("The last instructor account cannot be deleted.")
    sessions.revoke_all(user_id, now)
    db.session.execute(delete(User).where(User.id == user_id))
    db.session.commit()
