"""Accounts as a school needs them: reset links (shown, printed or mailed through a real
SMTP server), the users CLI, a student's own data and account deletion, time zones, both
slash forms of every route, and the one email check."""

from __future__ import annotations

import json
import re
import socket
from datetime import UTC, datetime, timedelta
from email import message_from_bytes
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from quizapp import accounts
from quizapp.clock import zone_text
from quizapp.extensions import db
from quizapp.models import Attempt, CardStateRow, PasswordReset, ReviewLog, User, UserSession
from quizapp.users import normalize_email

from .conftest import make_app
from .helpers import register, right_form, teach
from .test_quiz import items, start

PASSWORD = "correct horse battery"
NEW_PASSWORD = "violet lantern harbour"
T0 = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)
ESSAY = "printing-press"


@pytest.fixture
def app(tmp_path: Path, tiny_dir: Path) -> Flask:
    return make_app(tmp_path, tiny_dir, WTF_CSRF_ENABLED=False)


def instructor(app: Flask, email: str = "teach@example.org", *, course: bool = True) -> FlaskClient:
    """An instructor, signed in; of the test course, unless ``course`` is False."""
    result = app.test_cli_runner().invoke(
        args=["users", "create", "--role", "instructor", "--password-stdin", email],
        input=PASSWORD + "\n",
    )
    assert result.exit_code == 0, result.output
    if course:
        teach(app, email)
    client = app.test_client()
    assert sign_in(client, email).status_code == 302
    return client


def sign_in(client: FlaskClient, email: str, password: str = PASSWORD) -> Any:
    return client.post("/auth/login", data={"email": email, "password": password})


def user_id(app: Flask, email: str) -> int:
    with app.app_context():
        return db.session.execute(db.select(User.id).filter_by(email=email)).scalar_one()


def signed_in(client: FlaskClient) -> bool:
    return client.get("/progress/").status_code == 200


# --- reset links ---------------------------------------------------------------------------


def test_a_reset_link_is_valid_for_an_hour_and_works_once(app: Flask, client: FlaskClient) -> None:
    register(client, "sam@example.org", "Sam")
    with app.app_context():
        user = db.session.execute(db.select(User).filter_by(email="sam@example.org")).scalar_one()
        secret = accounts.create_reset(user, T0)
        stored = db.session.execute(db.select(PasswordReset)).scalar_one()
        assert secret not in stored.token_hash and len(stored.token_hash) == 64, "a hash only"
        assert accounts.live_reset(secret, T0 + timedelta(minutes=59, seconds=59)) is not None
        assert accounts.live_reset(secret, T0 + timedelta(hours=1)) is None, "expired at 1 h"
        assert accounts.use_reset(secret, "x", T0 + timedelta(hours=1)) is None
        assert accounts.live_reset("nope", T0) is None
        done = accounts.use_reset(secret, "new-hash", T0 + timedelta(minutes=30))
        assert done is not None and done.password_hash == "new-hash"
        assert accounts.use_reset(secret, "again", T0 + timedelta(minutes=31)) is None, "once"
        assert accounts.live_reset(secret, T0 + timedelta(minutes=31)) is None
        # a newer link replaces the older one
        first = accounts.create_reset(user, T0)
        second = accounts.create_reset(user, T0 + timedelta(minutes=1))
        assert accounts.live_reset(first, T0 + timedelta(minutes=2)) is None
        assert accounts.live_reset(second, T0 + timedelta(minutes=2)) is not None


def test_instructor_hands_over_a_link_that_works_once_and_signs_out_other_devices(
    app: Flask, client: FlaskClient
) -> None:
    register(client, "sam@example.org", "Sam")
    laptop = app.test_client()
    assert sign_in(laptop, "sam@example.org").status_code == 302
    teacher = instructor(app)
    sam = user_id(app, "sam@example.org")
    assert "Make a password reset link" in teacher.get(f"/instructor/students/{sam}").text
    page = teacher.post(f"/instructor/students/{sam}/reset-link")
    assert page.status_code == 200
    link = re.search(r'id="reset-link" type="text" readonly value="([^"]+)"', page.text).group(1)
    assert link.startswith("http://localhost/account/reset/")
    assert "UTC" in page.text, "the expiry is shown with its zone"
    path = link.removeprefix("http://localhost")

    stranger = app.test_client()
    form = stranger.get(path)
    assert form.status_code == 200 and "Set a new password" in form.text
    assert form.headers["Cache-Control"] == "no-store", "no cache keeps the link's page"
    assert form.headers["Referrer-Policy"] == "same-origin", "the link leaves in no Referer"
    weak = stranger.post(path, data={"password": "password1234", "confirm": "password1234"})
    assert weak.status_code == 200 and "too easy to guess" in weak.text
    done = stranger.post(path, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert done.status_code == 302 and signed_in(stranger), "signed in with the new password"
    assert not signed_in(client) and not signed_in(laptop), "every other sign-in ended"
    assert stranger.get(path).status_code == 404, "the link works once"
    again = app.test_client().post(path, data={"password": PASSWORD, "confirm": PASSWORD})
    assert again.status_code == 404
    assert sign_in(app.test_client(), "sam@example.org").status_code == 200, "old password"
    assert sign_in(app.test_client(), "sam@example.org", NEW_PASSWORD).status_code == 302


def test_an_expired_link_is_refused_on_the_web(app: Flask, client: FlaskClient) -> None:
    register(client, "sam@example.org", "Sam")
    with app.app_context():
        user = db.session.get(User, user_id(app, "sam@example.org"))
        old = accounts.create_reset(user, datetime.now(UTC) - timedelta(hours=1, seconds=1))
    page = client.get(f"/account/reset/{old}")
    assert page.status_code == 404 and "works once, for an hour" in page.text
    r = client.post(
        f"/account/reset/{old}", data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    )
    assert r.status_code == 404


def test_only_instructors_make_links_and_only_for_students(app: Flask, client: FlaskClient) -> None:
    register(client, "sam@example.org", "Sam")
    other = app.test_client()
    register(other, "kim@example.org", "Kim")
    sam = user_id(app, "sam@example.org")
    assert other.post(f"/instructor/students/{sam}/reset-link").status_code == 403
    teacher = instructor(app)
    colleague = user_id(app, "teach@example.org")
    assert teacher.post(f"/instructor/students/{colleague}/reset-link").status_code == 404
    assert teacher.post("/instructor/students/9999/reset-link").status_code == 404
    with app.app_context():
        assert db.session.execute(db.select(PasswordReset)).first() is None


def test_cli_prints_a_link_and_lists_users(app: Flask, client: FlaskClient) -> None:
    register(client, "sam@example.org", "Sam")
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=[
            "users",
            "reset-password",
            "--base-url",
            "https://study.example.org",
            "SAM@example.org",
        ]
    )
    assert result.exit_code == 0, result.output
    link = result.stdout.strip()
    assert re.fullmatch(r"https://study\.example\.org/account/reset/[\w-]{40,}", link), link
    assert "works once" in result.stderr
    assert client.get(link.removeprefix("https://study.example.org")).status_code == 200
    missing = runner.invoke(args=["users", "reset-password", "nobody@example.org"])
    assert missing.exit_code != 0 and "no account for nobody@example.org" in missing.output

    instructor(app)
    listing = runner.invoke(args=["users", "list"])
    assert listing.exit_code == 0, listing.output
    lines = listing.stdout.splitlines()
    assert lines[0].split()[:2] == ["email", "role"]
    sam = next(line for line in lines if line.startswith("sam@example.org"))
    assert " student " in sam and re.search(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\s+\d{4}-", sam)
    assert any(line.startswith("teach@example.org") and "instructor" in line for line in lines)
    only = runner.invoke(args=["users", "list", "--role", "instructor"]).stdout
    assert "sam@example.org" not in only and "teach@example.org" in only


# --- mail, through a real SMTP server in this process ----------------------------------------


class Inbox:
    def __init__(self) -> None:
        self.messages: list[Any] = []
        self.logins: list[tuple[str, str]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append((envelope.rcpt_tos, message_from_bytes(envelope.content)))
        return "250 OK"


@pytest.fixture
def smtp() -> Any:
    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import AuthResult

    inbox = Inbox()
    with socket.socket() as probe:  # a free port (aiosmtpd checks it is up by connecting)
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]

    def authenticator(server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> Any:
        login = (data.login.decode(), data.password.decode())
        inbox.logins.append(login)
        return AuthResult(success=login == ("mailer", "mail secret"))

    controller = Controller(
        inbox,
        hostname="127.0.0.1",
        port=port,
        authenticator=authenticator,
        auth_require_tls=False,
    )
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


def mail_config(port: int, password: str = "mail secret") -> dict[str, object]:
    return {
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": str(port),
        "SMTP_TLS": "none",
        "SMTP_USER": "mailer",
        "SMTP_PASSWORD": password,
        "SMTP_FROM": "Essay Study <study@school.test>",
        "WTF_CSRF_ENABLED": False,
    }


def test_with_smtp_set_up_the_link_is_mailed(tmp_path: Path, tiny_dir: Path, smtp: Any) -> None:
    inbox, port = smtp
    app = make_app(tmp_path, tiny_dir, **mail_config(port))
    student = app.test_client()
    register(student, "sam@student.test", "Sam")
    teacher = instructor(app)
    page = teacher.post(f"/instructor/students/{user_id(app, 'sam@student.test')}/reset-link")
    assert page.status_code == 200 and "was mailed to" in page.text
    assert 'id="reset-link"' not in page.text, "mailed instead of shown"
    assert inbox.logins == [("mailer", "mail secret")]
    ((rcpt, message),) = inbox.messages
    assert rcpt == ["sam@student.test"] and message["To"] == "sam@student.test"
    assert message["From"] == "Essay Study <study@school.test>"
    body = message.get_payload(decode=True).decode()
    link = re.search(r"http://localhost(/account/reset/\S+)", body).group(1)
    r = app.test_client().post(link, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert r.status_code == 302
    assert not signed_in(student)

    # the command line mails too (or prints with --no-mail)
    result = app.test_cli_runner().invoke(args=["users", "reset-password", "sam@student.test"])
    assert result.exit_code == 0 and "Mailed a reset link to sam@student.test" in result.output
    assert len(inbox.messages) == 2
    printed = app.test_cli_runner().invoke(
        args=["users", "reset-password", "--no-mail", "sam@student.test"]
    )
    assert "/account/reset/" in printed.stdout and len(inbox.messages) == 2


def test_when_mail_fails_the_link_is_shown(tmp_path: Path, tiny_dir: Path) -> None:
    # No mail server listens on the port (aiosmtpd answers a wrong password only when the
    # client's 20 s timeout runs out, so the refused connection stands for every failure).
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    app = make_app(tmp_path, tiny_dir, **mail_config(port))
    register(app.test_client(), "sam@example.org", "Sam")
    teacher = instructor(app)
    page = teacher.post(f"/instructor/students/{user_id(app, 'sam@example.org')}/reset-link")
    assert "could not be sent" in page.text and 'id="reset-link"' in page.text


def test_smtp_settings_are_checked() -> None:
    assert accounts.smtp_settings({"SMTP_HOST": ""}) is None
    settings = accounts.smtp_settings({"SMTP_HOST": "mail.test", "SMTP_FROM": "a@b.test"})
    assert settings is not None and (settings.port, settings.tls) == (587, "starttls")
    ssl = accounts.smtp_settings({"SMTP_HOST": "m", "SMTP_TLS": "SSL", "SMTP_USER": "u@b.test"})
    assert ssl is not None and (ssl.port, ssl.sender) == (465, "u@b.test")
    with pytest.raises(ValueError, match="SMTP_TLS"):
        accounts.smtp_settings({"SMTP_HOST": "m", "SMTP_FROM": "a@b.test", "SMTP_TLS": "yes"})
    with pytest.raises(ValueError, match="SMTP_FROM"):
        accounts.smtp_settings({"SMTP_HOST": "m"})


# --- a student's own data --------------------------------------------------------------------


def study(app: Flask, client: FlaskClient) -> int:
    """A submitted attempt with a flag and a report, and one flashcard review."""
    aid = start(client)
    qs = items(app, aid)
    client.post(f"/quiz/attempt/{aid}/1", data={**right_form(qs[0]), "action": "flag"})
    client.post(f"/quiz/attempt/{aid}/1", data={**right_form(qs[0]), "action": "save"})
    client.post(f"/quiz/attempt/{aid}/submit")
    client.post(f"/quiz/attempt/{aid}/report/1", data={"note": "The date looks wrong"})
    front = client.get(f"/cards/{ESSAY}/study").text
    show = re.search(r'id="show-answer" href="([^"]+)"', front).group(1).replace("&amp;", "&")
    card = re.search(r'name="card" value="([^"]+)"', client.get(show).text).group(1)
    r = client.post(f"/cards/{ESSAY}/review", data={"card": card, "rating": "3", "reps": "0"})
    assert r.status_code == 302
    return aid


def test_a_student_downloads_all_their_data(app: Flask, client: FlaskClient) -> None:
    register(client, "sam@example.org", "Sam")
    study(app, client)
    other = app.test_client()
    register(other, "kim@example.org", "Kim")
    start(other)
    r = client.get("/account/data.json")
    assert r.status_code == 200 and r.mimetype == "application/json"
    assert "attachment" in r.headers["Content-Disposition"]
    data = json.loads(r.text)
    assert data["time_zone"] == "UTC" and data["exported_at"].endswith("Z")
    assert data["account"]["email"] == "sam@example.org"
    assert data["settings"]["time_zone"] == "Europe/Paris"
    (attempt,) = data["attempts"]
    assert attempt["submitted_at"].endswith("Z") and attempt["flags"][0]["question"] == 0
    assert attempt["responses"][0]["answer"] is not None and attempt["percent"] is not None
    assert [r["note"] for r in data["reports"]] == ["The date looks wrong"]
    assert any(c["reps"] == 1 and c["due"].endswith("Z") for c in data["card_states"])
    assert [e["rating"] for e in data["review_log"]] == [3]
    assert "kim@example.org" not in r.text, "only the student's own data"
    assert app.test_client().get("/account/data.json").status_code == 302


def test_a_student_deletes_their_account(app: Flask, client: FlaskClient) -> None:
    register(client, "sam@example.org", "Sam")
    study(app, client)
    phone = app.test_client()
    sign_in(phone, "sam@example.org")
    other = app.test_client()
    register(other, "kim@example.org", "Kim Other")
    teacher = instructor(app)
    assert "Sam" in teacher.get("/instructor/results").text
    sam = user_id(app, "sam@example.org")

    wrong = client.post("/account/delete", data={"password": "not my password at all"})
    assert wrong.status_code == 400 and "This is not your password" in wrong.text
    assert signed_in(client)
    r = client.post("/account/delete", data={"password": PASSWORD})
    assert r.status_code == 302 and not signed_in(client) and not signed_in(phone)
    with app.app_context():
        assert db.session.get(User, sam) is None
        for model in (Attempt, CardStateRow, ReviewLog, UserSession):
            left = db.session.execute(db.select(model).filter_by(user_id=sam)).first()
            assert left is None, model
    grid = teacher.get("/instructor/results").text
    assert "Sam" not in grid and "Kim Other" in grid, "the class figures lose the student"
    assert sign_in(app.test_client(), "sam@example.org").status_code == 200


def test_the_last_instructor_cannot_delete_their_account(app: Flask) -> None:
    teacher = instructor(app)
    r = teacher.post("/account/delete", data={"password": PASSWORD}, follow_redirects=True)
    assert "The last instructor account cannot be deleted" in r.text and signed_in(teacher)


# --- time zones ------------------------------------------------------------------------------


def test_zone_text_names_the_zone() -> None:
    winter = datetime(2026, 1, 15, 12, 30, tzinfo=UTC)
    summer = datetime(2026, 7, 15, 12, 30, tzinfo=UTC)
    assert zone_text(winter, "Europe/Paris") == "15 Jan 2026, 13:30 CET"
    assert zone_text(summer, "Europe/Paris") == "15 Jul 2026, 14:30 CEST"
    assert zone_text(winter, "America/New_York", "%H:%M") == "07:30 EST"
    assert zone_text(winter, "Asia/Dubai", "%H:%M") == "16:30 UTC+04"
    assert zone_text(winter, "UTC", "%H:%M") == "12:30 UTC"


def test_times_are_shown_in_the_viewers_zone(app: Flask, client: FlaskClient) -> None:
    register(client, "sam@example.org", "Sam")  # Europe/Paris
    aid = start(client)
    client.post(f"/quiz/attempt/{aid}/submit")
    with app.app_context():
        attempt = db.session.get(Attempt, aid)
        started = attempt.started_at
    paris = zone_text(started, "Europe/Paris")
    review = client.get(f"/quiz/attempt/{aid}/review").text
    assert paris in review and 'title="Europe/Paris"' in review
    teacher = instructor(app)
    teacher.post("/account/", data={"timezone": "America/New_York"})
    page = teacher.get(f"/instructor/students/{user_id(app, 'sam@example.org')}").text
    assert zone_text(started, "America/New_York") in page and paris not in page


def test_a_user_sets_their_zone_and_the_browser_zone_is_taken_once(app: Flask) -> None:
    teacher = instructor(app)  # made on the command line: no zone chosen yet
    home = teacher.get("/").text
    assert "js/timezone.js" in home and 'data-url="/account/timezone"' in home
    assert teacher.post("/account/timezone", data={"timezone": "Mars/Olympus"}).status_code == 400
    assert teacher.post("/account/timezone", data={"timezone": "Asia/Tokyo"}).status_code == 204
    assert "js/timezone.js" not in teacher.get("/").text, "detected once"
    assert teacher.post("/account/timezone", data={"timezone": "Europe/Oslo"}).status_code == 204
    with app.app_context():
        assert db.session.get(User, user_id(app, "teach@example.org")).timezone == "Asia/Tokyo"
    bad = teacher.post("/account/", data={"timezone": "Not/AZone"})
    assert bad.status_code == 200 and "Not a valid choice" in bad.text
    assert teacher.post("/account/", data={"timezone": "Europe/Oslo"}).status_code == 302
    with app.app_context():
        assert db.session.get(User, user_id(app, "teach@example.org")).timezone == "Europe/Oslo"
    settings = teacher.get("/account/").text
    assert '<option selected value="Europe/Oslo">' in settings
    assert '<label for="timezone">Time zone</label>' in settings


def test_the_flashcard_day_follows_the_one_zone_setting(app: Flask, client: FlaskClient) -> None:
    from quizapp.cards import settings_for

    register(client, "sam@example.org", "Sam")
    client.post("/account/", data={"timezone": "Pacific/Auckland"})
    with app.app_context():
        user = db.session.get(User, user_id(app, "sam@example.org"))
        assert settings_for(user).timezone == "Pacific/Auckland"


# --- small things ----------------------------------------------------------------------------


@pytest.mark.parametrize("email", ["sam@student.test", "ada@school.test"])
def test_test_domains_are_accepted_by_the_form_and_the_cli(
    app: Flask, client: FlaskClient, email: str
) -> None:
    register(client, email, "Sam")
    result = app.test_cli_runner().invoke(
        args=["users", "create", "--password-stdin", "cli-" + email], input=PASSWORD + "\n"
    )
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize(
    ("email", "message"),
    [
        ("sam", "must have an @-sign"),
        ("sam@", "There must be something after the @-sign"),
        ("sam@school..test", "two periods in a row"),
        ("sam@mail.invalid", "special-use or reserved name"),
    ],
)
def test_one_email_check_says_what_is_wrong(
    app: Flask, client: FlaskClient, email: str, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        normalize_email(email)
    page = client.post(
        "/auth/register",
        data={"name": "Sam", "email": email, "password": PASSWORD, "confirm": PASSWORD},
    )
    assert page.status_code == 200 and message in page.text
    result = app.test_cli_runner().invoke(
        args=["users", "create", "--password-stdin", email], input=PASSWORD + "\n"
    )
    assert result.exit_code != 0 and message in result.output


def test_no_dns_lookup_is_made(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("a DNS lookup")

    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket, "gethostbyname", refuse)
    assert normalize_email("Ada@No-Such-Domain-Anywhere.example") == (
        "ada@no-such-domain-anywhere.example"
    )


SAMPLES = {
    "essay": ESSAY, "slug": ESSAY, "quiz_id": "invention-quiz", "card_id": "gutenberg-press:card",
    "n": "1", "kind": "scores", "filename": "css/app.css", "user_id": "1", "report_id": "1",
    "attempt_id": "1", "token": "x", "code": "TESTCLASS", "assignment_id": "1",
}  # fmt: skip


def test_both_slash_forms_of_every_route_reach_it(app: Flask) -> None:
    client = app.test_client()
    checked = 0
    for rule in app.url_map.iter_rules():
        path = rule.rule
        for arg in rule.arguments:
            path = re.sub(rf"<(?:[a-z]+:)?{arg}>", SAMPLES[arg], path)
        other = path[:-1] if path.endswith("/") else path + "/"
        if path == "/":
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            r = client.open(other + "?x=1", method=method)
            if rule.endpoint == "static":  # a path argument takes the slash itself
                assert r.status_code == 200
                r.close()
                continue
            assert r.status_code == 308, (method, other, r.status_code)
            assert r.headers["Location"].removeprefix("http://localhost") == path + "?x=1"
            checked += 1
    assert checked >= 40
    assert client.get("/essays/").status_code == 308
    assert client.get("/essays/", follow_redirects=True).status_code == 200
    assert client.get(f"/essays/{ESSAY}/", follow_redirects=True).status_code == 200
    assert client.get("/auth/login/", follow_redirects=True).status_code == 200
    assert client.get("/no-such-page/").status_code == 404
    form = {"name": "Sam", "email": "sam@example.org", "password": PASSWORD,
            "confirm": PASSWORD, "timezone": "UTC"}  # fmt: skip
    r = client.post("/auth/register/", data=form)
    # 308: the browser sends the same POST, body and all, to the route's own form (Werkzeug's
    # test client re-sends the method but not the already-read body, so it is sent here).
    assert r.status_code == 308 and r.headers["Location"] == "/auth/register"
    assert client.post(r.headers["Location"], data=form).status_code == 302
    assert signed_in(client)


def test_the_migration_keeps_zones_chosen_before_it(tmp_path: Path, tiny_dir: Path) -> None:
    """Accounts made before the zone was recorded as set: a zone other than the default was
    chosen on the registration form and stays; the others are detected from the browser."""
    from flask_migrate import downgrade, upgrade

    from quizapp import MIGRATIONS

    app = make_app(tmp_path, tiny_dir, WTF_CSRF_ENABLED=False)
    register(app.test_client(), "paris@example.org", "Paris")  # migrates to the head
    instructor(app)  # UTC, made on the command line
    with app.app_context():
        downgrade(directory=str(MIGRATIONS), revision="sec_0001")
        upgrade(directory=str(MIGRATIONS))
        rows = dict(db.session.execute(db.select(User.email, User.timezone_set_at)).all())
        created = db.session.execute(
            db.select(User.created_at).filter_by(email="paris@example.org")
        ).scalar_one()
    assert rows == {"paris@example.org": created, "teach@example.org": None}


def test_only_an_instructor_of_the_students_course_makes_a_link(
    app: Flask, client: FlaskClient
) -> None:
    register(client, "sam@example.org", "Sam")
    sam = user_id(app, "sam@example.org")
    elsewhere = instructor(app, "elsewhere@example.org", course=False)
    assert elsewhere.post(f"/instructor/students/{sam}/reset-link").status_code == 404
    assistant = app.test_client()
    register(assistant, "tia@example.org", "Tia")
    teach(app, "tia@example.org", "ta")
    assert assistant.post(f"/instructor/students/{sam}/reset-link").status_code == 403
    with app.app_context():
        assert db.session.execute(db.select(PasswordReset)).first() is None
    assert instructor(app).post(f"/instructor/students/{sam}/reset-link").status_code == 200
