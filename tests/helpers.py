"""Test helpers: sign-up through the real forms, and forms that answer items right or wrong."""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from quizapp.bank import Item

# The course most tests' students join: every quiz of the content assigned, with the
# content files' settings. Made on first use (see default_course).
TEST_COURSE = "test-class"
TEST_CODE = "TESTCLASS"


def default_course(app: Flask) -> str:
    """Make the test course (once per database) and return its join code."""
    from quizapp import courses, upgrade_database
    from quizapp.content import snapshot
    from quizapp.extensions import db
    from quizapp.models import utcnow

    with app.app_context():
        upgrade_database(app)
        if courses.by_code(TEST_CODE) is None:
            course = courses.by_slug(TEST_COURSE)  # a test may have made it a new code
            made = course is None
            if course is None:
                course = courses.create_course("Test class", "", None, utcnow())
                course.slug = TEST_COURSE
            course.join_code = TEST_CODE
            db.session.commit()
            if made:
                courses.assign_all(course, snapshot().essays)
    return TEST_CODE


def teach(app: Flask, email: str, role: str = "instructor") -> None:
    """Make an existing account an instructor (or ta) of the test course."""
    from quizapp import courses
    from quizapp.models import utcnow

    default_course(app)
    with app.app_context():
        course = courses.by_slug(TEST_COURSE)
        assert course is not None
        courses.add_member(course, email, role, utcnow())


def register(
    client: FlaskClient, email: str = "ada@example.org", name: str = "Ada", *, join: bool = True
) -> None:
    """Register a student through the form, in the test course unless ``join`` is False."""
    data = {
        "name": name,
        "email": email,
        "password": "correct horse battery",
        "confirm": "correct horse battery",
        "timezone": "Europe/Paris",
    }
    if join:
        data["join_code"] = default_course(client.application)
    response = client.post("/auth/register", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)


def right_form(item: Item) -> dict[str, Any]:
    """Form fields that answer the item fully right."""
    if item.type in ("single", "true_false", "reason", "stance"):
        return {"choice": str(item.answer)}
    if item.type in ("multiple", "reasons_multiple"):
        return {"choice": [str(i) for i in item.answer]}
    if item.type in ("cloze", "short_answer"):
        return {f"blank-{i}": accepted[0] for i, accepted in enumerate(item.answer)}
    if item.type == "ordering":
        return {f"pos-{i}": str(v) for i, v in enumerate(item.answer)}
    return {f"match-{i}": str(v) for i, v in enumerate(item.answer)}


def wrong_form(item: Item) -> dict[str, Any]:
    """Form fields that answer the item wrong (no credit)."""
    if item.type in ("single", "true_false", "reason", "stance"):
        return {"choice": str((item.answer + 1) % len(item.options))}
    if item.type in ("multiple", "reasons_multiple"):
        return {"choice": [str(i) for i in range(len(item.options)) if i not in item.answer]}
    if item.type in ("cloze", "short_answer"):
        return {f"blank-{i}": "zzzz qqqq" for i in range(len(item.answer))}
    return {}
