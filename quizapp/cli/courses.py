"""``quizapp courses`` (create, list, add)."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

courses_cli = click.Group("courses", help="Create courses, list them, add people and quizzes.")


@courses_cli.command("create")
@click.argument("title")
@click.option("--term", default="", help="e.g. 'Fall 2026'.")
@click.option("--instructor", "email", help="Email of the course's first instructor.")
@click.option("--assign-all", is_flag=True, help="Assign every quiz of every essay.")
@click.option("--code", help="Use this join code (default: a random one).")
@with_appcontext
def courses_create(
    title: str, term: str, email: str | None, assign_all: bool, code: str | None
) -> None:
    """Create a course; prints its slug and join code."""
    from .. import course_rules, courses
    from ..content import snapshot
    from ..db import upgrade_database
    from ..extensions import db
    from ..models import User, utcnow
    from ..users import lookup_email

    upgrade_database(current_app._get_current_object())  # type: ignore[attr-defined]
    creator = None
    if email:
        creator = db.session.execute(
            db.select(User).filter_by(email=lookup_email(email)[0])
        ).scalar_one_or_none()
        if creator is None or not creator.is_instructor:
            raise click.BadParameter(f"no instructor account {email}", param_hint="--instructor")
    wanted = course_rules.normalize_code(code) if code else None
    if wanted is not None and (len(wanted) < 6 or courses.by_code(wanted) is not None):
        # checked before anything is made: a refused command leaves no course behind
        raise click.BadParameter("at least 6 letters or digits, not in use", param_hint="--code")
    try:
        course = courses.create_course(title, term, creator, utcnow())
    except courses.CourseError as exc:
        raise click.ClickException(str(exc)) from exc
    if wanted is not None:
        course.join_code = wanted
        db.session.commit()
    if assign_all:
        courses.assign_all(course, snapshot().essays)
    click.echo(f"Created {course.slug} (join code {course.join_code}).")


@courses_cli.command("list")
@with_appcontext
def courses_list() -> None:
    """Every course: slug, join code, people, title."""
    from sqlalchemy import func, select

    from ..db import upgrade_database
    from ..extensions import db
    from ..models import Course, CourseMember

    upgrade_database(current_app._get_current_object())  # type: ignore[attr-defined]
    counts = dict(
        db.session.execute(
            select(CourseMember.course_id, func.count()).group_by(CourseMember.course_id)
        ).all()
    )
    for course in db.session.execute(select(Course).order_by(Course.slug)).scalars():
        people = counts.get(course.id, 0)
        click.echo(
            f"{course.slug}\t{course.join_code}\t{people} people\t{course.title} {course.term}"
        )


@courses_cli.command("add")
@click.argument("slug")
@click.argument("emails", nargs=-1, required=True)
@click.option(
    "--role",
    type=click.Choice(["instructor", "ta", "student"]),
    default="student",
    show_default=True,
)
@with_appcontext
def courses_add(slug: str, emails: tuple[str, ...], role: str) -> None:
    """Add existing accounts to a course."""
    from .. import courses
    from ..db import upgrade_database
    from ..models import utcnow

    upgrade_database(current_app._get_current_object())  # type: ignore[attr-defined]
    course = courses.by_slug(slug)
    if course is None:
        raise click.BadParameter(f"no course {slug!r}", param_hint="SLUG")
    for email in emails:
        try:
            user = courses.add_member(course, email, role, utcnow())
        except courses.CourseError as exc:
            raise click.ClickException(str(exc)) from exc
        click.echo(f"{user.email} is a{'n' if role == 'instructor' else ''} {role} of {slug}.")
