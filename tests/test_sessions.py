"""Sign-ins are server-side records: signing out, "sign out everywhere" and a password change
end them, so cookies copied before then are worthless afterwards (issue 14, Medium 1)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from itsdangerous import TimestampSigner

from quizapp.extensions import db
from quizapp.models import UserSession, utcnow

from .conftest import make_app

PASSWORD = "correct horse battery"
EMAIL = "ada@example.org"


@pytest.fixture
def app(tmp_path, tiny_dir) -> Flask:
    return make_app(tmp_path, tiny_dir)  # CSRF on, as in production


def token(client: FlaskClient, path: str) -> str:
    html = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', html).group(1)


def sign_up(client: FlaskClient) -> None:
    r = client.post(
        "/auth/register",
        data={"csrf_token": token(client, "/auth/register"), "name": "Ada", "email": EMAIL,
              "password": PASSWORD, "confirm": PASSWORD, "timezone": "UTC"},
    )  # fmt: skip
    assert r.status_code == 302, r.get_data(as_text=True)


def sign_in(client: FlaskClient, remember: bool = False) -> None:
    data = {"csrf_token": token(client, "/auth/login"), "email": EMAIL, "password": PASSWORD}
    if remember:
        data["remember"] = "y"
    assert client.post("/auth/login", data=data).status_code == 302


def post(client: FlaskClient, path: str, page: str = "/auth/password", **data: str):  # type: ignore[no-untyped-def]
    return client.post(path, data={"csrf_token": token(client, page), **data})


def thief_with(app: Flask, **cookies: str) -> FlaskClient:
    """Another browser (another User-Agent) holding copies of the victim's cookies."""
    thief = app.test_client()
    thief.environ_base["HTTP_USER_AGENT"] = "curl/8.0 (thief)"
    for name, value in cookies.items():
        thief.set_cookie(name, value)
    return thief


def reads_progress(client: FlaskClient) -> bool:
    r = client.get("/progress/")
    return r.status_code == 200


def test_a_session_cookie_copied_before_sign_out_is_dead_after_it(app: Flask) -> None:
    victim = app.test_client()
    sign_up(victim)
    captured = victim.get_cookie("session").value
    assert reads_progress(thief_with(app, session=captured)), "the copy works while signed in"
    post(victim, "/auth/logout")
    thief = thief_with(app, session=captured)
    assert not reads_progress(thief)
    assert thief.get("/progress/").headers["Location"].startswith("/auth/login")
    # nor can it change settings (the form token it carries died with the session)
    r = thief.post("/cards/settings", data={"csrf_token": "x", "new_per_day": "1"})
    assert r.status_code in (302, 400)
    with app.app_context():
        assert db.session.execute(db.select(UserSession.revoked_at)).scalar_one() is not None


def test_a_remember_me_cookie_copied_before_sign_out_is_dead_after_it(app: Flask) -> None:
    victim = app.test_client()
    sign_up(victim)
    post(victim, "/auth/logout")
    sign_in(victim, remember=True)
    remember = victim.get_cookie("remember_token")
    assert remember is not None
    expires = remember.expires
    assert expires is not None and expires - utcnow() < timedelta(days=31)
    assert reads_progress(thief_with(app, remember_token=remember.value))
    post(victim, "/auth/logout")
    assert not reads_progress(thief_with(app, remember_token=remember.value))
    assert not reads_progress(thief_with(app, remember_token=remember.value))


def test_sign_out_everywhere_ends_every_device(app: Flask) -> None:
    laptop, phone = app.test_client(), app.test_client()
    sign_up(laptop)
    sign_in(phone, remember=True)
    phone_remember = phone.get_cookie("remember_token").value
    page = laptop.get("/auth/password").get_data(as_text=True)
    assert "signed in on 2 devices" in page and "Sign out everywhere" in page
    r = post(laptop, "/auth/logout-everywhere")
    assert r.status_code == 302
    assert "signed out on all 2 devices" in laptop.get(r.headers["Location"]).get_data(as_text=True)
    assert not reads_progress(laptop)
    assert not reads_progress(phone)
    assert not reads_progress(thief_with(app, remember_token=phone_remember))


def test_a_password_change_ends_every_other_sign_in(app: Flask) -> None:
    laptop, phone = app.test_client(), app.test_client()
    sign_up(laptop)
    sign_in(phone, remember=True)
    old_laptop = laptop.get_cookie("session").value
    phone_remember = phone.get_cookie("remember_token").value
    r = post(laptop, "/auth/password", current=PASSWORD, password="a new long secret 42",
             confirm="a new long secret 42")  # fmt: skip
    assert r.status_code == 302, r.get_data(as_text=True)
    assert reads_progress(laptop), "the device that changed it stays signed in"
    assert not reads_progress(phone)
    assert not reads_progress(thief_with(app, remember_token=phone_remember))
    assert not reads_progress(thief_with(app, session=old_laptop))


def test_an_idle_sign_in_ends_and_one_in_use_goes_on(app: Flask) -> None:
    client = app.test_client()
    sign_up(client)
    with app.app_context():
        record = db.session.execute(db.select(UserSession)).scalar_one()
        record.expires_at = utcnow() + timedelta(hours=1)  # as if idle for 11 hours
        db.session.commit()
    assert reads_progress(client)
    with app.app_context():
        record = db.session.execute(db.select(UserSession)).scalar_one()
        assert record.expires_at > utcnow() + timedelta(hours=11), "use moves the end forward"
        record.expires_at = utcnow() - timedelta(seconds=1)
        db.session.commit()
    assert not reads_progress(client)
    with client.session_transaction() as s:
        assert "_user_id" not in s and "csrf_token" not in s, "the dead session is emptied"


def test_form_tokens_expire(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    client = app.test_client()
    sign_up(client)
    stale = token(client, "/auth/password")
    later = TimestampSigner.get_timestamp(TimestampSigner("k")) + 13 * 3600
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: later)
    r = client.post("/auth/logout", data={"csrf_token": stale})
    assert r.status_code == 400 and "The form had expired" in r.get_data(as_text=True)


def test_the_token_in_the_database_is_not_the_cookie(app: Flask) -> None:
    client = app.test_client()
    sign_up(client)
    with client.session_transaction() as s:
        secret = s["_user_id"].split(":", 1)[1]
    with app.app_context():
        stored = db.session.execute(db.select(UserSession.token_hash)).scalar_one()
    assert len(secret) >= 40 and secret not in stored and len(stored) == 64
