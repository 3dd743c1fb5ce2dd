"""Course operations: create courses, join them, manage members, assignments and overrides,
and answer "which quiz settings does this student get now". Called by the thin views
(course_views.py), the instructor pages and the CLI; explicit inputs, no request globals."""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, bindparam, delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.sql.elements import BindParameter

from . import course_rules as rules
from .bank import EssayContent, Quiz
from .extensions import db
from .models import (
    Assignment,
    AssignmentOverride,
    Attempt,
    Course,
    CourseMember,
    User,
)

STAFF_ROLES = ("instructor", "ta")


class CourseError(ValueError):
    """A refused course operation, with a message for the person who asked."""


# --- courses and members -------------------------------------------------------------------


def create_course(title: str, term: str, creator: User | None, now: datetime) -> Course:
    title, term = title.strip(), term.strip()
    if not title or len(title) > 200 or len(term) > 80:
        raise CourseError("Give the course a title (at most 200 characters) and a term.")
    base = rules.course_slug(title, term)
    if base == "join":  # /courses/join is the join form
        base = "join-course"
    for n in range(1, 1000):
        slug = base if n == 1 else f"{base}-{n}"
        if db.session.execute(select(Course.id).filter_by(slug=slug)).first() is None:
            break
    course = Course(slug=slug, title=title, term=term, join_code=_free_code(), created_at=now)
    db.session.add(course)
    db.session.flush()
    if creator is not None:
        db.session.add(CourseMember(course_id=course.id, user_id=creator.id, role="instructor",
                                    joined_at=now))  # fmt: skip
    db.session.commit()
    return course


def _free_code() -> str:
    while True:
        code = rules.new_join_code()
        if db.session.execute(select(Course.id).filter_by(join_code=code)).first() is None:
            return code


def regenerate_code(course: Course) -> str:
    """A new join code: the old code and link stop working; members stay."""
    course.join_code = _free_code()
    db.session.commit()
    return course.join_code


def by_slug(slug: str) -> Course | None:
    return db.session.execute(select(Course).filter_by(slug=slug)).scalar_one_or_none()


def by_code(code: str) -> Course | None:
    code = rules.normalize_code(code)
    if not code:
        return None
    return db.session.execute(select(Course).filter_by(join_code=code)).scalar_one_or_none()


def role_in(user_id: int, course_id: int) -> str | None:
    return db.session.execute(
        select(CourseMember.role).filter_by(user_id=user_id, course_id=course_id)
    ).scalar_one_or_none()


def join(user: User, course: Course, now: datetime, role: str = "student") -> bool:
    """Add the user to the course; False when they were in it already (their role stays)."""
    if role not in ("instructor", "ta", "student"):
        raise CourseError(f"unknown course role {role!r}")
    if role_in(user.id, course.id) is not None:
        return False
    db.session.add(CourseMember(course_id=course.id, user_id=user.id, role=role, joined_at=now))
    try:
        db.session.commit()
    except IntegrityError:  # the same join sent twice at once
        db.session.rollback()
        return False
    return True


def add_member(course: Course, email: str, role: str, now: datetime) -> User:
    """Add an existing account to the course as instructor, ta or student (an instructor or
    TA already in it gets the new role)."""
    from .users import lookup_email

    address, _valid = lookup_email(email)
    user = db.session.execute(select(User).filter_by(email=address)).scalar_one_or_none()
    if user is None:
        raise CourseError(f"No account has the address {address}; they must register first.")
    if role not in ("instructor", "ta", "student"):
        raise CourseError("The role must be instructor, ta or student.")
    if role == "instructor" and not user.is_instructor:
        raise CourseError(f"{address} is a student account; add it as a TA instead.")
    member = db.session.execute(
        select(CourseMember).filter_by(course_id=course.id, user_id=user.id)
    ).scalar_one_or_none()
    if member is None:
        db.session.add(CourseMember(course_id=course.id, user_id=user.id, role=role, joined_at=now))
    else:
        member.role = role
    db.session.commit()
    return user


def remove_member(course: Course, user_id: int) -> bool:
    """Take someone out of the course (their attempts stay theirs, and leave its pages); the
    last instructor stays."""
    member = db.session.execute(
        select(CourseMember).filter_by(course_id=course.id, user_id=user_id)
    ).scalar_one_or_none()
    if member is None:
        return False
    if member.role == "instructor":
        others = db.session.execute(
            select(CourseMember.id).where(
                CourseMember.course_id == course.id,
                CourseMember.role == "instructor",
                CourseMember.user_id != user_id,
            )
        ).first()
        if others is None:
            raise CourseError("A course keeps at least one instructor.")
    db.session.delete(member)
    db.session.execute(
        delete(AssignmentOverride).where(
            AssignmentOverride.user_id == user_id,
            AssignmentOverride.assignment_id.in_(
                select(Assignment.id).where(Assignment.course_id == course.id)
            ),
        )
    )
    db.session.commit()
    return True


def members(course: Course, role: str | None = None) -> list[tuple[User, str]]:
    stmt = (
        select(User, CourseMember.role)
        .join(CourseMember, CourseMember.user_id == User.id)
        .where(CourseMember.course_id == course.id)
        .order_by(User.name, User.id)
    )
    if role is not None:
        stmt = stmt.where(CourseMember.role == role)
    return [(u, r) for u, r in db.session.execute(stmt)]


def student_ids(course_id: int) -> Select[tuple[int]]:
    """The ids of the course's students, as a subquery for the instructor pages' filters."""
    return select(CourseMember.user_id).where(
        CourseMember.course_id == course_id, CourseMember.role == "student"
    )


def student_id_list(course_id: int) -> list[int]:
    """The ids of the course's students, as a list: an ``IN (1, 2, ...)`` of constants lets
    the database drive each per-student index (an ``IN (SELECT ...)`` over a big table made
    SQLite scan the essay's whole review log instead)."""
    return list(db.session.execute(student_ids(course_id)).scalars())


def students(course: Course) -> list[User]:
    return [u for u, _role in members(course, "student")]


def is_student_of(course: Course, user_id: int) -> bool:
    return role_in(user_id, course.id) == "student"


def courses_of(user_id: int) -> list[tuple[Course, str]]:
    return [
        (c, r)
        for c, r in db.session.execute(
            select(Course, CourseMember.role)
            .join(CourseMember, CourseMember.course_id == Course.id)
            .where(CourseMember.user_id == user_id)
            .order_by(Course.title, Course.id)
        )
    ]


def staff_courses(user_id: int) -> list[tuple[Course, str]]:
    return [(c, r) for c, r in courses_of(user_id) if r in STAFF_ROLES]


def staff_sees_student(staff_id: int, student_id: int, *, write: bool = False) -> bool:
    """Whether ``staff_id`` teaches (``write``: as instructor; else also as TA) a course that
    ``student_id`` is a student of."""
    roles = ("instructor",) if write else STAFF_ROLES
    mine = select(CourseMember.course_id).where(
        CourseMember.user_id == staff_id, CourseMember.role.in_(roles)
    )
    return (
        db.session.execute(
            select(CourseMember.id).where(
                CourseMember.user_id == student_id,
                CourseMember.role == "student",
                CourseMember.course_id.in_(mine),
            )
        ).first()
        is not None
    )


# --- assignments and overrides -------------------------------------------------------------


@dataclass(frozen=True)
class AssignmentInput:
    essay: str
    quiz_id: str
    opens_at: datetime | None = None
    closes_at: datetime | None = None
    due_at: datetime | None = None
    attempts: int | None = None
    time_limit: int | None = None
    review: dict[str, list[str]] | None = None


def assign(course: Course, data: AssignmentInput, essays: dict[str, EssayContent]) -> Assignment:
    """Assign a quiz to the course, or change its assignment's dates and settings."""
    content = essays.get(data.essay)
    if content is None or content.quiz(data.quiz_id) is None:
        raise CourseError("There is no such quiz.")
    if data.opens_at and data.closes_at and data.opens_at >= data.closes_at:
        raise CourseError("The quiz must open before it closes.")
    if data.attempts is not None and not 0 <= data.attempts <= 100:
        raise CourseError("Attempts: 0 (unlimited) to 100.")
    if data.time_limit is not None and not 0 <= data.time_limit <= 24 * 60:
        raise CourseError("Time limit: 0 (none) to 1440 minutes.")
    row = db.session.execute(
        select(Assignment).filter_by(course_id=course.id, essay=data.essay, quiz_id=data.quiz_id)
    ).scalar_one_or_none()
    if row is None:
        row = Assignment(course_id=course.id, essay=data.essay, quiz_id=data.quiz_id)
        db.session.add(row)
    row.opens_at, row.closes_at, row.due_at = data.opens_at, data.closes_at, data.due_at
    row.attempts, row.time_limit, row.review = data.attempts, data.time_limit, data.review
    db.session.commit()
    return row


def assign_all(course: Course, essays: dict[str, EssayContent]) -> int:
    """Assign every quiz of every essay with the content files' settings (no dates)."""
    n = 0
    for content in essays.values():
        for quiz in content.quizzes:
            assign(course, AssignmentInput(content.slug, quiz.id), essays)
            n += 1
    return n


def assignments(course: Course) -> list[Assignment]:
    return list(
        db.session.execute(
            select(Assignment)
            .filter_by(course_id=course.id)
            .order_by(Assignment.essay, Assignment.quiz_id)
        ).scalars()
    )


def unassign(course: Course, assignment_id: int) -> bool:
    row = db.session.get(Assignment, assignment_id)
    if row is None or row.course_id != course.id:
        return False
    db.session.delete(row)
    db.session.commit()
    return True


def set_override(
    assignment: Assignment,
    user_id: int,
    *,
    extra_minutes: int = 0,
    extra_attempts: int = 0,
    closes_at: datetime | None = None,
) -> AssignmentOverride:
    if role_in(user_id, assignment.course_id) != "student":
        raise CourseError("Overrides are for the course's students.")
    if not 0 <= extra_minutes <= 24 * 60 or not 0 <= extra_attempts <= 100:
        raise CourseError("Extra time: 0 to 1440 minutes; extra attempts: 0 to 100.")
    row = db.session.execute(
        select(AssignmentOverride).filter_by(assignment_id=assignment.id, user_id=user_id)
    ).scalar_one_or_none()
    if row is None:
        row = AssignmentOverride(assignment_id=assignment.id, user_id=user_id)
        db.session.add(row)
    row.extra_minutes, row.extra_attempts, row.closes_at = extra_minutes, extra_attempts, closes_at
    db.session.commit()
    return row


def overrides(assignment_ids: Iterable[int]) -> dict[int, list[AssignmentOverride]]:
    ids = list(assignment_ids)
    out: dict[int, list[AssignmentOverride]] = {i: [] for i in ids}
    if ids:
        for row in db.session.execute(
            select(AssignmentOverride).where(AssignmentOverride.assignment_id.in_(ids))
        ).scalars():
            out[row.assignment_id].append(row)
    return out


def remove_override(assignment: Assignment, user_id: int) -> bool:
    done = db.session.execute(
        delete(AssignmentOverride).where(
            AssignmentOverride.assignment_id == assignment.id,
            AssignmentOverride.user_id == user_id,
        )
    ).rowcount
    db.session.commit()
    return bool(done)


# --- what a student gets -------------------------------------------------------------------


def terms_of(row: Assignment) -> rules.Terms:
    return rules.Terms(
        opens_at=row.opens_at,
        closes_at=row.closes_at,
        due_at=row.due_at,
        attempts=row.attempts,
        time_limit=row.time_limit,
        review=rules.review_from_json(row.review),
    )


def accommodation_of(row: AssignmentOverride | None) -> rules.Accommodation | None:
    if row is None:
        return None
    return rules.Accommodation(row.extra_minutes, row.extra_attempts, row.closes_at)


def _student_assignments(user_id: BindParameter[Any]) -> Select[Any]:
    return (
        select(Assignment, AssignmentOverride)
        .join(CourseMember, CourseMember.course_id == Assignment.course_id)
        .outerjoin(
            AssignmentOverride,
            (AssignmentOverride.assignment_id == Assignment.id)
            & (AssignmentOverride.user_id == user_id),
        )
        .where(CourseMember.user_id == user_id, CourseMember.role == "student")
    )


@functools.cache
def _statement(name: str) -> Select[Any]:
    """The statements the student pages run on every request (the quiz page, a review, the
    home page), built once with bound parameters: building a statement cost more Python than
    running it."""
    user_id = bindparam("user_id")
    if name == "quiz":  # (Assignment, AssignmentOverride) of the student's courses, one quiz
        return _student_assignments(user_id).where(
            Assignment.essay == bindparam("essay"), Assignment.quiz_id == bindparam("quiz_id")
        )
    # Every membership of the user with, on a student's, its course's assignments: whether
    # they are course staff comes with their assignments, in the same statement.
    of_student = (Assignment.course_id == CourseMember.course_id) & (CourseMember.role == "student")
    if name == "assigned":  # (role, essay, quiz id): essay None on a staff membership
        return (
            select(CourseMember.role, Assignment.essay, Assignment.quiz_id)
            .select_from(CourseMember)
            .outerjoin(Assignment, of_student)
            .where(CourseMember.user_id == user_id)
        )
    if name == "roles and assignments":  # (role, Assignment, AssignmentOverride), as above
        return (
            select(CourseMember.role, Assignment, AssignmentOverride)
            .select_from(CourseMember)
            .outerjoin(Assignment, of_student)
            .outerjoin(
                AssignmentOverride,
                (AssignmentOverride.assignment_id == Assignment.id)
                & (AssignmentOverride.user_id == user_id),
            )
            .where(CourseMember.user_id == user_id)
        )
    if name == "staff":
        return (
            select(CourseMember.id)
            .where(CourseMember.user_id == user_id, CourseMember.role.in_(STAFF_ROLES))
            .limit(1)
        )
    if name == "done":  # (essay, quiz id) of every quiz the user submitted an attempt of
        return (
            select(Attempt.essay, Attempt.quiz_id)
            .where(Attempt.user_id == user_id, Attempt.submitted_at.is_not(None))
            .distinct()
        )
    raise KeyError(name)


def quiz_for(user: User, essay: str, quiz: Quiz, now: datetime) -> rules.Effective | None:
    """The quiz as this user gets it at ``now``: a student through their courses'
    assignments (None when no course of theirs assigns it); an instructor or a TA, who may
    try any quiz, with the content file's settings."""
    rows = db.session.execute(
        _statement("quiz"), {"user_id": user.id, "essay": essay, "quiz_id": quiz.id}
    ).all()
    candidates = [rules.effective(quiz, terms_of(a), accommodation_of(o)) for a, o in rows]
    chosen = rules.pick(candidates, now)
    if chosen is None and may_try_everything(user):
        return rules.effective(quiz, None, None)
    return chosen


def may_try_everything(user: User) -> bool:
    """Instructors and course staff see every essay and may try every quiz (with the content
    file's settings), to check what their students get."""
    if user.is_instructor:
        return True
    return db.session.execute(_statement("staff"), {"user_id": user.id}).first() is not None


def given_quizzes(
    user: User, essays: dict[str, EssayContent], now: datetime
) -> dict[tuple[str, str], rules.Effective]:
    """(essay, quiz id) -> the quiz as this user gets it at ``now``, for every quiz they see,
    in content order: a student's through their courses (one query); staff get the rest
    with the content file's settings. The same answer as :func:`quiz_for`, for all at once."""
    return given_and_assigned(user, essays, now)[0]


def given_and_assigned(
    user: User, essays: dict[str, EssayContent], now: datetime
) -> tuple[dict[tuple[str, str], rules.Effective], frozenset[tuple[str, str]]]:
    """:func:`given_quizzes`, and the (essay, quiz id) of the quizzes of the content that the
    user's courses assign (what :func:`due_items` lists), from the same query."""
    candidates: dict[tuple[str, str], list[rules.Effective]] = {}
    staff = user.is_instructor
    rows = db.session.execute(_statement("roles and assignments"), {"user_id": user.id}).all()
    for role, a, o in rows:
        staff = staff or role in STAFF_ROLES
        if a is None:
            continue
        content = essays.get(a.essay)
        quiz = content.quiz(a.quiz_id) if content else None
        if quiz is not None:
            candidates.setdefault((a.essay, a.quiz_id), []).append(
                rules.effective(quiz, terms_of(a), accommodation_of(o))
            )
    out: dict[tuple[str, str], rules.Effective] = {}
    for slug, content in essays.items():
        for quiz in content.quizzes:
            chosen = rules.pick(candidates.get((slug, quiz.id), []), now)
            if chosen is None and staff:
                chosen = rules.effective(quiz, None, None)
            if chosen is not None:
                out[(slug, quiz.id)] = chosen
    return out, frozenset(candidates)


def visible(user: User, essays: dict[str, EssayContent]) -> dict[str, list[Quiz]]:
    """essay slug -> the quizzes this user sees, in content order: for a student the ones
    their courses assign; for staff, everything."""
    rows = (
        []
        if user.is_instructor
        else db.session.execute(_statement("assigned"), {"user_id": user.id}).all()
    )
    if user.is_instructor or any(role in STAFF_ROLES for role, _e, _q in rows):
        return {slug: list(c.quizzes) for slug, c in essays.items()}
    assigned = {(essay, quiz_id) for _role, essay, quiz_id in rows if essay is not None}
    out: dict[str, list[Quiz]] = {}
    for slug, content in essays.items():
        quizzes = [q for q in content.quizzes if (slug, q.id) in assigned]
        if quizzes:
            out[slug] = quizzes
    return out


def due_items(
    user: User,
    essays: dict[str, EssayContent],
    now: datetime,
    given: dict[tuple[str, str], rules.Effective] | None = None,
    *,
    assigned: Iterable[tuple[str, str]] | None = None,
    done: Iterable[tuple[str, str]] | None = None,
) -> list[rules.DueItem]:
    """Each quiz the user's courses assign with the dates they get, and whether it is done.
    ``given`` and ``assigned`` as :func:`given_and_assigned` gives them, and ``done`` (the
    (essay, quiz id) of every quiz the user submitted an attempt of), when the caller has them
    already; else they are read here."""
    if given is None or assigned is None:
        given, assigned = given_and_assigned(user, essays, now)
    assigned = set(assigned)
    if done is None:
        done = [(e, q) for e, q in db.session.execute(_statement("done"), {"user_id": user.id})]
    done = set(done)
    return [
        rules.DueItem(
            essay=essay,
            quiz_id=quiz_id,
            title=chosen.quiz.title,
            due_at=chosen.due_at,
            closes_at=chosen.quiz.closes,
            opens_at=chosen.opens_at,
            done=(essay, quiz_id) in done,
        )
        for (essay, quiz_id), chosen in given.items()
        if (essay, quiz_id) in assigned
    ]
