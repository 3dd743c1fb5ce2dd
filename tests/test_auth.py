"""Accounts: registration, sign-in, remember me, password change, CSRF and the users CLI."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from quizapp.extensions import db
from quizapp.models import User

from .conftest import make_app
from .helpers import register


@pytest.fixture
def app(tmp_path, tiny_dir) -> Flask:
    return make_app(tmp_path, tiny_dir, WTF_CSRF_ENABLED=False)


def login(client: FlaskClient, email: str, password: str, **extra: str) -> object:
    return client.post("/auth/login", data={"email": email, "password": password, **extra})


def test_register_hashes_the_password_and_signs_in(app: Flask, client: FlaskClient) -> None:
    register(client)
    with app.app_context():
        user = db.session.execute(db.select(User)).scalar_one()
        assert user.password_hash.startswith("scrypt:")
        assert user.role == "student" and user.timezone == "Europe/Paris"
    assert "Hello, Ada" in client.get("/").get_data(as_text=True)


def test_register_rejects_duplicates_and_short_passwords(app: Flask, client: FlaskClient) -> None:
    register(client)
    client.post("/auth/logout")
    short = client.post(
        "/auth/register",
        data={"name": "A", "email": "ADA@example.org", "password": "short", "confirm": "short"},
    ).get_data(as_text=True)
    assert "at least 10 characters" in short
    other = "another long passphrase"
    again = client.post(
        "/auth/register",
        data={"name": "A", "email": "ADA@example.org", "password": other, "confirm": other},
    ).get_data(as_text=True)
    assert "cannot be used to register a new account" in again
    assert client.get("/progress/").status_code == 302
    with app.app_context():
        assert db.session.execute(db.select(db.func.count(User.id))).scalar_one() == 1


def test_same_message_for_unknown_email_and_wrong_password(client: FlaskClient) -> None:
    register(client)
    client.post("/auth/logout")
    unknown = login(client, "nobody@example.org", "whatever12345").get_data(as_text=True)
    wrong = login(client, "ada@example.org", "wrong password").get_data(as_text=True)
    assert (
        "Email or password is incorrect." in unknown and "Email or password is incorrect." in wrong
    )
    assert login(client, "ADA@example.org", "correct horse battery").status_code == 302


def test_next_only_goes_to_our_own_paths(client: FlaskClient) -> None:
    register(client)
    client.post("/auth/logout")
    for target, expected in [
        ("/progress/", "/progress/"),
        ("https://evil.example/", "/"),
        ("//evil.example", "/"),
    ]:
        r = client.post(
            f"/auth/login?next={target}",
            data={"email": "ada@example.org", "password": "correct horse battery"},
        )
        assert r.headers["Location"] == expected
        client.post("/auth/logout")


def test_remember_me_and_sign_out(client: FlaskClient) -> None:
    register(client)
    client.post("/auth/logout")
    r = login(client, "ada@example.org", "correct horse battery", remember="y")
    cookie = r.headers.getlist("Set-Cookie")
    assert any(c.startswith("remember_token=") and "HttpOnly" in c for c in cookie)
    out = client.post("/auth/logout")
    assert any(c.startswith("remember_token=;") for c in out.headers.getlist("Set-Cookie"))
    assert client.get("/progress/").status_code == 302


def test_change_password_signs_out_other_devices(app: Flask) -> None:
    laptop, phone = app.test_client(), app.test_client()
    register(laptop)
    login(phone, "ada@example.org", "correct horse battery")
    assert phone.get("/progress/").status_code == 200
    r = laptop.post(
        "/auth/password",
        data={
            "current": "correct horse battery",
            "password": "a new long secret",
            "confirm": "a new long secret",
        },
    )
    assert r.status_code == 302
    assert laptop.get("/progress/").status_code == 200
    assert phone.get("/progress/").status_code == 302, "the old session is no longer valid"
    laptop.post("/auth/logout")
    assert login(laptop, "ada@example.org", "a new long secret").status_code == 302


def test_csrf_protects_forms(tmp_path, tiny_dir) -> None:
    app = make_app(tmp_path, tiny_dir)  # CSRF on, as in production
    client = app.test_client()
    r = client.post(
        "/auth/register",
        data={"name": "X", "email": "x@example.org", "password": "p" * 12, "confirm": "p" * 12},
    )
    assert r.status_code == 400
    assert "The form had expired" in r.get_data(as_text=True)


def test_users_create_cli_makes_an_instructor(app: Flask) -> None:
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=["users", "create", "--role", "instructor", "--password-stdin", "Teach@Example.org"],
        input="a very long secret\n",
    )
    assert result.exit_code == 0, result.output
    with app.app_context():
        user = db.session.execute(db.select(User)).scalar_one()
        assert (user.email, user.role) == ("teach@example.org", "instructor")
    again = runner.invoke(
        args=["users", "create", "--password-stdin", "teach@example.org"],
        input="a very long secret\n",
    )
    assert again.exit_code == 1 and "exists already" in again.output
    short = runner.invoke(
        args=["users", "create", "--password-stdin", "b@example.org"], input="short\n"
    )
    assert short.exit_code == 1 and "at least 10" in short.output
