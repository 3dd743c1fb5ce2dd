"""Database models (SQLAlchemy 2, typed). Times are stored as UTC and read back aware."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import UTC, datetime
from decimal import Decimal
from fractions import Fraction
from typing import Any

from flask_login import UserMixin
from sqlalchemy import (
    JSON,
    BigInteger,
    DateTime,
    Float,
    ForeignKey,
    Index,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Mapped, mapped_column, relationship

from . import marks
from .bank.model import ItemDict
from .clock import utcnow
from .extensions import db
from .srs import CardStateDict, SettingsDict


class StoredSrsSettings(SettingsDict, total=False):
    """``User.srs_settings`` (JSON): the learner's flashcard settings without the time zone
    (the user's own column), the stored version (``cards.SETTINGS_VERSION``) and the last
    optimisation's figures for the settings page."""

    version: int
    optimized: dict[str, Any]


def new_token() -> str:
    return secrets.token_hex(16)


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC datetime on every backend (SQLite keeps no zone itself)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use an aware UTC datetime")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class User(UserMixin, db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "user"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20), default="student")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # The one time zone of the user: every time shown to them, and their flashcard study day.
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    # When the zone was chosen (registration form, settings) or taken from the browser; until
    # then the first page a signed-in browser loads sends its zone, once.
    timezone_set_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The last request of any of the user's sign-ins (updated at most every few minutes).
    last_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Unused since sign-ins are server-side records (UserSession); kept for old databases.
    session_token: Mapped[str] = mapped_column(String(64), default=new_token)
    # Flashcard settings (srs.Settings.to_dict() without the time zone); None: Anki's defaults.
    srs_settings: Mapped[StoredSrsSettings | None] = mapped_column(JSON)

    # The secret of the sign-in this request runs under (see UserSession); set at sign-in and
    # by the user loader, never stored.
    session_key = ""

    def get_id(self) -> str:
        """What Flask-Login keeps in the session and the remember-me cookie: the account and
        the sign-in's secret, so a cookie is worth nothing once its sign-in is revoked."""
        return f"{self.id}:{self.session_key}"

    @property
    def is_instructor(self) -> bool:
        return self.role == "instructor"


class UserSession(db.Model):  # type: ignore[name-defined,misc]
    """One sign-in on one device. Its cookies carry the secret whose SHA-256 is kept here;
    signing out revokes it, so a copied session or remember-me cookie stops working."""

    __tablename__ = "user_session"
    __table_args__ = (Index("ix_user_session_user", "user_id", "revoked_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    remember: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user: Mapped[User] = relationship()


class PasswordReset(db.Model):  # type: ignore[name-defined,misc]
    """A one-time link to set a new password: valid for an hour, used once. Only the
    SHA-256 of its secret is kept; a newer link for the same account replaces it."""

    __tablename__ = "password_reset"
    __table_args__ = (Index("ix_password_reset_user", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Who made it: an instructor, or None (the command line).
    created_by: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    user: Mapped[User] = relationship(foreign_keys=[user_id])


class RateLimit(db.Model):  # type: ignore[name-defined,misc]
    """A fixed-window counter of the rate limits (sign-in, registration, password change),
    shared by every worker and every server that uses the database."""

    __tablename__ = "rate_limit"
    __table_args__ = (Index("ix_rate_limit_expires", "expires_at"),)

    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    count: Mapped[int] = mapped_column(default=0)
    expires_at: Mapped[float] = mapped_column(Float)  # seconds since the epoch, as `limits` uses


class Attempt(db.Model):  # type: ignore[name-defined,misc]
    """One student's try at a quiz, with the questions exactly as they were shown."""

    __tablename__ = "attempt"
    __table_args__ = (
        UniqueConstraint("user_id", "essay", "quiz_id", "number"),
        Index("ix_attempt_user_quiz", "user_id", "essay", "quiz_id"),
        Index("ix_attempt_quiz", "essay", "quiz_id", "user_id", "number"),  # item analysis
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    essay: Mapped[str] = mapped_column(String(100))
    quiz_id: Mapped[str] = mapped_column(String(100))
    quiz_title: Mapped[str] = mapped_column(String(300))
    number: Mapped[int]  # 1 for the student's first attempt at this quiz
    seed: Mapped[int] = mapped_column(BigInteger)
    feedback: Mapped[str] = mapped_column(String(20))
    grading: Mapped[str] = mapped_column(String(20))
    questions: Mapped[list[ItemDict]] = mapped_column(JSON)  # Item.to_dict() snapshots
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    deadline: Mapped[datetime | None] = mapped_column(UTCDateTime())
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Touched by every save: the guarded UPDATE that serializes saves with submission.
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    points: Mapped[float | None] = mapped_column(Float)
    max_points: Mapped[float] = mapped_column(Float)
    # The exact total (marks.dump: "85/6"); ``points`` is its float, for queries.
    mark: Mapped[str | None] = mapped_column(String(64))
    # The quiz's decimal places when the attempt started: marks are rounded to them, once.
    decimals: Mapped[int] = mapped_column(default=2, server_default="2")

    user: Mapped[User] = relationship()
    responses: Mapped[list[ResponseRow]] = relationship(
        back_populates="attempt", cascade="all, delete-orphan", order_by="ResponseRow.position"
    )

    @property
    def finished(self) -> bool:
        return self.submitted_at is not None

    @property
    def exact_points(self) -> Fraction | None:
        return marks.parse(self.mark, self.points)

    @property
    def shown_points(self) -> Decimal | None:
        """The total, rounded once to the quiz's decimal places (pages and exports)."""
        exact = self.exact_points
        return None if exact is None else marks.round_mark(exact, self.decimals)

    @property
    def percent(self) -> float | None:
        exact = self.exact_points
        if exact is None or not self.max_points:
            return None
        value = marks.percent(exact, self.max_points, self.decimals)
        return None if value is None else float(value)


def grade_of(method: str, attempts: Sequence[Attempt]) -> float | None:
    """A quiz's grade (percent) over submitted attempts, exact then rounded once
    (:func:`quizapp.marks.grade_percent`); None before any."""
    if not attempts:
        return None
    value = marks.grade_percent(
        method, [(a.exact_points, a.max_points) for a in attempts], attempts[-1].decimals
    )
    return None if value is None else float(value)


class ResponseRow(db.Model):  # type: ignore[name-defined,misc]
    """The saved answer to one question of an attempt; one row per question, updated in place."""

    __tablename__ = "response"
    __table_args__ = (UniqueConstraint("attempt_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempt.id", ondelete="CASCADE"))
    position: Mapped[int]
    item_id: Mapped[str] = mapped_column(String(200))
    answer: Mapped[Any] = mapped_column(JSON)
    points: Mapped[float | None] = mapped_column(Float)
    locked: Mapped[bool] = mapped_column(default=False)  # checked in immediate-feedback mode
    saved_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    mark: Mapped[str | None] = mapped_column(String(64))  # exact points (marks.dump)
    # An instructor's manual mark: regrades leave it alone; the student sees the comment.
    override_comment: Mapped[str | None] = mapped_column(Text)
    overridden_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    attempt: Mapped[Attempt] = relationship(back_populates="responses")

    @property
    def exact_points(self) -> Fraction | None:
        return marks.parse(self.mark, self.points)


class QuestionFlag(db.Model):  # type: ignore[name-defined,misc]
    """A question the student flagged during an attempt, to come back to."""

    __tablename__ = "question_flag"
    __table_args__ = (UniqueConstraint("attempt_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempt.id", ondelete="CASCADE"))
    position: Mapped[int]
    flagged_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class MarkChange(db.Model):  # type: ignore[name-defined,misc]
    """The history of a response's mark: manual overrides and regrades (old and new)."""

    __tablename__ = "mark_change"
    __table_args__ = (Index("ix_mark_change_attempt", "attempt_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempt.id", ondelete="CASCADE"))
    position: Mapped[int]
    kind: Mapped[str] = mapped_column(String(20))  # "override" | "regrade"
    old_mark: Mapped[str | None] = mapped_column(String(64))
    new_mark: Mapped[str | None] = mapped_column(String(64))  # None: removed (retired item)
    comment: Mapped[str | None] = mapped_column(Text)
    changed_by: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    author: Mapped[User | None] = relationship()


class QuestionReport(db.Model):  # type: ignore[name-defined,misc]
    """A student's note that something is wrong with a question, for the instructors."""

    __tablename__ = "question_report"
    __table_args__ = (Index("ix_question_report_open", "resolved_at", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempt.id", ondelete="CASCADE"))
    position: Mapped[int]
    item_id: Mapped[str] = mapped_column(String(200))
    note: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    resolved_by: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    attempt: Mapped[Attempt] = relationship()


class CardStateRow(db.Model):  # type: ignore[name-defined,misc]
    """One student's FSRS state for one flashcard: an ``srs.CardState`` stored, field by field
    as ``cards.STATE_FIELDS`` maps them, under the user and essay it belongs to."""

    __tablename__ = "card_state"
    __table_args__ = (
        UniqueConstraint("user_id", "essay", "card_id"),
        Index("ix_card_state_queue", "user_id", "essay", "state", "due"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    essay: Mapped[str] = mapped_column(String(100))
    card_id: Mapped[str] = mapped_column(String(200))
    state: Mapped[int] = mapped_column(default=0)  # 0 new, 1 learning, 2 review, 3 relearning
    step: Mapped[int | None]
    stability: Mapped[float | None] = mapped_column(Float)
    difficulty: Mapped[float | None] = mapped_column(Float)
    due: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_review: Mapped[datetime | None] = mapped_column(UTCDateTime())
    reps: Mapped[int] = mapped_column(default=0)
    lapses: Mapped[int] = mapped_column(default=0)
    suspended: Mapped[bool] = mapped_column(default=False)
    leech: Mapped[bool] = mapped_column(default=False)
    retired: Mapped[bool] = mapped_column(default=False)
    priority: Mapped[bool] = mapped_column(default=False)


class ReviewLog(db.Model):  # type: ignore[name-defined,misc]
    """Every flashcard review, with the full state before and after (for undo and audits)."""

    __tablename__ = "review_log"
    __table_args__ = (
        Index("ix_review_log_user_time", "user_id", "essay", "reviewed_at"),
        Index("ix_review_log_card", "user_id", "essay", "card_id"),
        Index("ix_review_log_user_essay_id", "user_id", "essay", "id"),  # the last review (undo)
        Index("ix_review_log_essay_card", "essay", "state_before", "card_id", "rating"),  # memory
        Index("ix_review_log_undo_token", "undo_token", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    essay: Mapped[str] = mapped_column(String(100))
    card_id: Mapped[str] = mapped_column(String(200))
    rating: Mapped[int]
    reviewed_at: Mapped[datetime] = mapped_column(UTCDateTime())
    duration_ms: Mapped[int | None]
    state_before: Mapped[int]
    state_after: Mapped[int]
    before: Mapped[CardStateDict] = mapped_column(JSON)  # srs.CardState.to_dict()
    after: Mapped[CardStateDict] = mapped_column(JSON)
    # Names this review for undo; random and never reused (ids can be, after a delete).
    undo_token: Mapped[str | None] = mapped_column(String(32))


# --- courses ------------------------------------------------------------------------------

COURSE_ROLES = ("instructor", "ta", "student")


class Course(db.Model):  # type: ignore[name-defined,misc]
    """A class: its instructors (and teaching assistants) see its students' work only."""

    __tablename__ = "course"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)  # in URLs and export names
    title: Mapped[str] = mapped_column(String(200))
    term: Mapped[str] = mapped_column(String(80), default="")
    join_code: Mapped[str] = mapped_column(String(32), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class CourseMember(db.Model):  # type: ignore[name-defined,misc]
    """A user's place in a course: instructor, ta (sees results, changes nothing) or student."""

    __tablename__ = "course_member"
    __table_args__ = (
        UniqueConstraint("course_id", "user_id"),
        Index("ix_course_member_user", "user_id", "course_id"),
        Index("ix_course_member_role", "course_id", "role", "user_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("course.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(String(20), default="student")
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    course: Mapped[Course] = relationship()
    user: Mapped[User] = relationship()


class Assignment(db.Model):  # type: ignore[name-defined,misc]
    """A quiz a course gives its students, with its dates; None fields keep the content
    file's setting (attempts, time limit, review options)."""

    __tablename__ = "assignment"
    __table_args__ = (
        UniqueConstraint("course_id", "essay", "quiz_id"),
        Index("ix_assignment_quiz", "essay", "quiz_id", "course_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("course.id", ondelete="CASCADE"))
    essay: Mapped[str] = mapped_column(String(100))
    quiz_id: Mapped[str] = mapped_column(String(100))
    opens_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    attempts: Mapped[int | None]  # 0 = unlimited
    time_limit: Mapped[int | None]  # minutes; 0 = none
    review: Mapped[dict[str, list[str]] | None] = mapped_column(JSON)  # moment -> its shows

    course: Mapped[Course] = relationship()


class AssignmentOverride(db.Model):  # type: ignore[name-defined,misc]
    """One student's accommodation on one assignment: extra time, extra attempts, a later
    close."""

    __tablename__ = "assignment_override"
    __table_args__ = (UniqueConstraint("assignment_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(ForeignKey("assignment.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    extra_minutes: Mapped[int] = mapped_column(default=0)
    extra_attempts: Mapped[int] = mapped_column(default=0)
    closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user: Mapped[User] = relationship()
