"""Test helpers: sign-up through the real forms, and forms that answer items right or wrong."""

from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient

from quizapp.bank import Item


def register(client: FlaskClient, email: str = "ada@example.org", name: str = "Ada") -> None:
    response = client.post(
        "/auth/register",
        data={
            "name": name,
            "email": email,
            "password": "correct horse battery",
            "confirm": "correct horse battery",
            "timezone": "Europe/Paris",
        },
    )
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
