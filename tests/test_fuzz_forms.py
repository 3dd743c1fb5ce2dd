"""Crafted values get a 4xx, never a 500 (issue 14, Low 12).

The forms are read from the pages themselves (every <form method="post"> a student, an
instructor or a visitor is shown), so a new field or a new form is fuzzed without being
listed here; every POST route of the URL map must be reached by at least one of them. Each
field of each form is sent with each hostile value, the other fields keeping the values the
page gave them, as a form post and as a JSON body with non-text values.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from flask import Flask, got_request_exception
from flask.testing import FlaskClient

from quizapp.extensions import db
from quizapp.models import Attempt, User

from .conftest import make_app
from .helpers import TEST_COURSE, register, right_form, teach
from .test_quiz import items, start

PASSWORD = "correct horse battery"
ESSAY = "printing-press"
CARD = "gutenberg-press:card"

HOSTILE = [
    "",
    " ",
    "²",
    "١٢",
    "０",
    "-1",
    "9" * 19,
    "18446744073709551616",
    "5" * 5000,
    "1e309",
    "NaN",
    "sNaN",
    "-Infinity",
    "99999999d",
    "1m 99999999d",
    "1s " * 500,
    "\x00",
    "a\r\nSet-Cookie: x=1",
    "goto-²",
    "goto-" + "9" * 30,
    "<script>alert(1)</script>",
    "x" * 20000,
    "Zz9!" * 40,
]
# The account forms hash the password on every valid try (scrypt, 0.1-0.3 s here), so they
# get the values that matter to text fields only.
HOSTILE_TEXT = [
    "",
    "²",
    "Zz9!" * 40,
    "5" * 5000,
    "\x00",
    "a\r\nSet-Cookie: x=1",
    "x" * 20000,
    "sNaN",
]
NOT_TEXT = [123, 1.5, None, True, [], ["a", "b"], {"a": 1}]
# Fields the views read that a page shows only in some states (e.g. a topic filter).
SOMETIMES = {
    "cards.review": ["topic", "ahead"],
    "cards.undo": ["topic", "ahead"],
    "cards.suspend": ["back_to_info"],
    "auth.login": ["remember"],
}


@dataclass
class Form:
    path: str
    endpoint: str
    fields: dict[str, list[str]] = field(default_factory=dict)


class _Forms(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.forms: list[tuple[str, dict[str, list[str]]]] = []
        self._current: dict[str, list[str]] | None = None
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and a.get("method", "get").lower() == "post":
            self._current = {}
            self.forms.append((a.get("action", ""), self._current))
        elif self._current is not None and "name" in a and tag in ("input", "button", "textarea"):
            value = a.get("value", "")
            if a.get("type") in ("radio", "checkbox") or tag == "button":
                self._current.setdefault(a["name"], []).append(value)
            else:
                self._current.setdefault(a["name"], [value])
        elif self._current is not None and tag == "select":
            self._select = a.get("name")
            self._current.setdefault(self._select or "", [])
        elif self._current is not None and tag == "option" and self._select:
            options = self._current[self._select]
            if not options:
                options.append(a.get("value", ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._current = None
        elif tag == "select":
            self._select = None


def forms_on(app: Flask, client: FlaskClient, page: str) -> Iterator[Form]:
    response = client.get(page)
    assert response.status_code == 200, page
    parser = _Forms()
    parser.feed(response.get_data(as_text=True))
    adapter = app.url_map.bind("localhost")
    for action, fields in parser.forms:
        path = urlsplit(action).path if action else page
        endpoint, _args = adapter.match(path, method="POST")
        fields.pop("csrf_token", None)
        for name in SOMETIMES.get(endpoint, []):
            fields.setdefault(name, [""])
        yield Form(action or page, endpoint, fields)


@pytest.fixture
def app(tmp_path: Path, tiny_dir: Path) -> Flask:
    # CSRF and rate limits have suites of their own; here every request must reach the view.
    # Errors become the 500 page, as in production, and are collected with their traceback.
    return make_app(tmp_path, tiny_dir, WTF_CSRF_ENABLED=False, RATELIMIT_ENABLED=False,
                    PROPAGATE_EXCEPTIONS=False)  # fmt: skip


def signed_in(app: Flask, email: str) -> FlaskClient:
    client = app.test_client()
    r = client.post("/auth/login", data={"email": email, "password": PASSWORD})
    assert r.status_code == 302
    return client


def baseline(form: Form) -> dict[str, str]:
    values = {name: (options[0] if options else "") for name, options in form.fields.items()}
    typed = {"email": "spare@example.org", "password": PASSWORD, "name": "Fuzz",
             "confirm": PASSWORD, "current": PASSWORD}  # fmt: skip
    for name, value in typed.items():
        if name in values and not values[name]:
            values[name] = value
    return values


def test_no_crafted_form_value_gives_a_server_error(app: Flask, tiny_dir: Path) -> None:
    owner = app.test_client()
    register(owner, "owner@example.org", "Owner")
    register(app.test_client(), "spare@example.org", "Spare")
    app.test_cli_runner().invoke(
        args=["users", "create", "--role", "instructor", "--password-stdin", "t@example.org"],
        input=PASSWORD + "\n",
    )
    teach(app, "t@example.org")
    with app.app_context():  # an override, so the page shows the form that removes one
        from quizapp import courses

        course = courses.by_slug(TEST_COURSE)
        assert course is not None
        first = courses.assignments(course)[0]
        owner_id = db.session.execute(
            db.select(User.id).filter_by(email="owner@example.org")
        ).scalar_one()
        courses.set_override(first, owner_id, extra_minutes=10)
    # some state to act on: an open attempt, a reviewed card (so undo is offered)
    owner.post(f"/quiz/{ESSAY}/final/start")
    with app.app_context():
        attempt_id, questions = db.session.execute(db.select(Attempt.id, Attempt.questions)).one()

    def answer_side() -> str:
        """The study page with the answer shown (the plain study page when nothing is due)."""
        front = owner.get(f"/cards/{ESSAY}/study").get_data(as_text=True)
        show = re.search(r'id="show-answer" href="([^"]+)"', front)
        return show.group(1).replace("&amp;", "&") if show else f"/cards/{ESSAY}/study"

    back = owner.get(answer_side()).get_data(as_text=True)
    reps = re.search(r'name="reps" value="(\d+)"', back).group(1)
    card = re.search(r'name="card" value="([^"]+)"', back).group(1)
    owner.post(f"/cards/{ESSAY}/review", data={"card": card, "rating": "3", "reps": reps})

    # a submitted attempt (its review offers reports, and to an instructor overrides), a
    # report (the instructor's queue offers to resolve it), and a content change that a
    # regrade would apply (the regrade page offers to apply it)
    done = start(owner)
    for n, item in enumerate(items(app, done), 1):
        form = {"blank-0": "Mogontiacum"} if item.type == "cloze" else right_form(item)
        owner.post(f"/quiz/attempt/{done}/{n}", data={**form, "action": "check"})
    owner.post(f"/quiz/attempt/{done}/submit")
    owner.post(f"/quiz/attempt/{done}/report/1", data={"note": "The key looks wrong."})
    cloze = next(i for i in items(app, done) if i.type == "cloze")
    facts = tiny_dir / ESSAY / "facts.yaml"
    lines = facts.read_text().splitlines()
    at = lines.index(f"- id: {cloze.origin.ids[0]}") + 2
    lines[at] = re.sub(r"\{\{([^}]*)\}\}", r"{{\1|Mogontiacum}}", lines[at], count=1)
    facts.write_text("\n".join(lines) + "\n")
    with app.app_context():
        assert not app.extensions["content"].reload()

    with app.app_context():
        owner_id = db.session.execute(
            db.select(User.id).filter_by(email="owner@example.org")
        ).scalar_one()
    # a reset link for the spare account (its new password is the baseline's, the same)
    reset = app.test_cli_runner().invoke(
        args=["users", "reset-password", "--base-url", "http://localhost", "spare@example.org"]
    )
    reset_path = reset.stdout.strip().removeprefix("http://localhost")
    pages = {
        "anon": ["/auth/register", "/auth/login", reset_path],
        "owner": [
            "/", "/auth/password", f"/quiz/{ESSAY}/final", "/cards/", "/cards/settings",
            f"/cards/{ESSAY}/study", answer_side(), f"/cards/{ESSAY}/card/{CARD}",
            *(f"/quiz/attempt/{attempt_id}/{n}" for n in range(1, len(questions) + 1)),
            f"/quiz/attempt/{attempt_id}/summary", f"/quiz/attempt/{done}/review", "/account/",
            "/courses/",
        ],
        "instructor": [
            "/instructor/", f"/instructor/preview/{ESSAY}", "/instructor/reports",
            f"/quiz/attempt/{done}/review", "/instructor/regrade",
            f"/instructor/students/{owner_id}", "/courses/", f"/courses/{TEST_COURSE}",
        ],
    }  # fmt: skip
    viewers = {"anon": app.test_client(), "owner": owner,
               "instructor": signed_in(app, "t@example.org")}  # fmt: skip
    forms: list[tuple[str, Form]] = []
    seen: set[tuple[str, tuple[str, ...]]] = set()  # one form of each shape
    for role, paths in pages.items():
        for page in paths:
            for form in forms_on(app, viewers[role], page):
                key = (form.endpoint, tuple(sorted(form.fields)))
                if key not in seen:
                    seen.add(key)
                    forms.append((role, form))
    # the browser's zone is posted by static/js/timezone.js, from no <form>
    forms.append(
        ("owner", Form("/account/timezone", "account.detect_timezone", {"timezone": ["UTC"]}))
    )
    posts = {r.endpoint for r in app.url_map.iter_rules() if "POST" in (r.methods or ())}
    reached = {form.endpoint for _, form in forms}
    assert posts <= reached, f"no page shows a form for {sorted(posts - reached)}"

    # Forms that end the session or the attempt go last, each from a client of its own.
    last = ("auth.logout", "auth.logout_everywhere", "quiz.submit", "account.delete_own")
    forms.sort(key=lambda rf: rf[1].endpoint in last)
    failures: list[str] = []
    errors: list[str] = []
    sent = 0

    def log_error(sender: Flask, exception: BaseException, **extra: object) -> None:
        errors.append(f"{type(exception).__name__}: {exception!s:.200}")

    got_request_exception.connect(log_error, app)

    def client_for(role: str, form: Form) -> FlaskClient:
        if role == "anon":
            return app.test_client()
        if form.endpoint in ("auth.logout", "auth.logout_everywhere"):
            return signed_in(app, "spare@example.org")
        if form.endpoint == "account.delete_own":  # an account of its own to delete
            doomed = app.test_client()
            register(doomed, f"doomed{sent}@example.org", "Doomed")
            return doomed
        return viewers[role]

    def send(role: str, form: Form, path: str, **kwargs: object) -> None:
        nonlocal sent
        sent += 1
        with client_for(role, form).post(path, **kwargs) as r:  # type: ignore[arg-type]
            if r.status_code >= 500:
                why = errors[-1] if errors else ""
                failures.append(f"{form.endpoint} {path} {kwargs!r:.200}: {r.status_code} {why}")
            saved_settings = form.endpoint == "cards.settings" and r.status_code == 302
        if saved_settings:  # whatever settings were accepted, the study pages still work
            for page in (
                "/cards/",
                f"/cards/{ESSAY}/study",
                answer_side(),
                f"/cards/{ESSAY}/stats",
            ):
                with owner.get(page) as r:
                    if r.status_code >= 500:
                        why = errors[-1] if errors else ""
                        failures.append(f"GET {page} after settings {kwargs!r:.200}: {why}")

    for role, form in forms:
        base = baseline(form)
        values = HOSTILE_TEXT if form.endpoint.startswith("auth.") else HOSTILE
        targets = list(form.fields) or ["unexpected"]
        for name in targets:
            for value in values if form.fields else values[:3]:
                send(role, form, form.path, data={**base, name: value})
            send(role, form, form.path, data={**base, name: [base.get(name, ""), "²"]})
            for value in NOT_TEXT:
                send(role, form, form.path, json={**base, name: value})
        for body in ([], "text", 7, None):
            send(role, form, form.path, json=body)
    for value in HOSTILE:  # the sign-in's next= parameter
        spare = app.test_client()
        path = "/auth/login?next=" + value.replace("\x00", "%00")
        with spare.post(path, data={"email": "spare@example.org", "password": PASSWORD}) as r:
            sent += 1
            if r.status_code >= 500 or "\n" in r.headers.get("Location", ""):
                failures.append(f"auth.login next={value!r:.80}: {r.status_code}")
    assert sent > 800
    assert failures == [], f"{len(failures)} of {sent} requests failed:\n" + "\n".join(
        failures[:40]
    )
