"""Hardening suites. Routes come from the app's URL map, so a new route that nobody
classified fails the matrix instead of going untested."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quizapp import InsecureConfig, check_secret_key, create_app
from quizapp.bank import load_content
from quizapp.extensions import db
from quizapp.instructor import COURSE_PAGES
from quizapp.models import Assignment, AssignmentOverride, Attempt, Course, CourseMember, User

from .conftest import TINY, make_app
from .helpers import TEST_COURSE, default_course, register, teach

PASSWORD = "correct horse battery"
ESSAY = "printing-press"


def token(client: FlaskClient, path: str = "/auth/register") -> str:
    html = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', html).group(1)


def signup(client: FlaskClient, email: str, name: str = "Student", code: str = "") -> None:
    r = client.post(
        "/auth/register",
        data={"csrf_token": token(client), "name": name, "email": email, "password": PASSWORD,
              "confirm": PASSWORD, "timezone": "UTC", "join_code": code},
    )  # fmt: skip
    assert r.status_code == 302, r.get_data(as_text=True)


def sign_in(client: FlaskClient, email: str) -> None:
    r = client.post(
        "/auth/login",
        data={"csrf_token": token(client, "/auth/login"), "email": email, "password": PASSWORD},
    )
    assert r.status_code == 302


def make_instructor(app: Flask, email: str) -> None:
    result = app.test_cli_runner().invoke(
        args=["users", "create", "--role", "instructor", "--password-stdin", email],
        input=PASSWORD + "\n",
    )
    assert result.exit_code == 0, result.output


def post(client: FlaskClient, path: str, data: dict | None = None, page: str = "/progress/"):  # type: ignore[no-untyped-def]
    return client.post(path, data={"csrf_token": token(client, page), **(data or {})})


@pytest.fixture
def world(tmp_path: Path, tiny_dir: Path) -> dict[str, object]:
    """CSRF on, as in production. Course A (the test course, every quiz assigned): an owner
    with a finished and an open attempt, its instructor and a teaching assistant (a student
    account). Course B (nothing of the essay assigned): another student and another
    instructor. And an anonymous visitor."""
    app = make_app(tmp_path, tiny_dir)
    owner, other, teacher, ta, teacher_b, anon = (app.test_client() for _ in range(6))
    code_a = default_course(app)
    make_instructor(app, "teach-b@example.org")
    result = app.test_cli_runner().invoke(
        args=["courses", "create", "Course B", "--instructor", "teach-b@example.org",
              "--code", "COURSEBB"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    signup(owner, "owner@example.org", "Owner", code_a)
    signup(other, "other@example.org", "Other", "COURSEBB")
    signup(ta, "ta@example.org", "Tess Assistant")
    teach(app, "ta@example.org", "ta")
    make_instructor(app, "teach@example.org")
    teach(app, "teach@example.org")
    sign_in(teacher, "teach@example.org")
    sign_in(teacher_b, "teach-b@example.org")
    start = f"/quiz/{ESSAY}/invention-quiz/start"
    post(owner, start, page=f"/quiz/{ESSAY}/invention-quiz")
    with app.app_context():
        finished = db.session.execute(db.select(Attempt.id)).scalar_one()
    post(owner, f"/quiz/attempt/{finished}/submit", page=f"/quiz/attempt/{finished}/summary")
    post(owner, start, page=f"/quiz/{ESSAY}/invention-quiz")
    with app.app_context():
        open_ = db.session.execute(
            db.select(Attempt.id).where(Attempt.submitted_at.is_(None))
        ).scalar_one()
        owner_id = db.session.execute(
            db.select(User.id).filter_by(email="owner@example.org")
        ).scalar_one()
        assignment_id = db.session.execute(db.select(Assignment.id)).scalars().first()
    return {
        "app": app, "anon": anon, "owner": owner, "other": other, "instructor": teacher,
        "ta": ta, "other_instructor": teacher_b,
        "finished": finished, "open": open_, "owner_id": owner_id,
        "assignment_id": assignment_id,
    }  # fmt: skip


def url_for_rule(rule, world: dict[str, object]) -> str:  # type: ignore[no-untyped-def]
    samples = {
        "essay": ESSAY, "slug": ESSAY, "quiz_id": "invention-quiz", "card_id": "gutenberg-press:card",
        "n": "1", "kind": "scores", "filename": "css/app.css", "user_id": str(world["owner_id"]),
        "report_id": "1", "token": "not-a-reset-link",
        "code": "TESTCLASS", "assignment_id": str(world["assignment_id"]),
        "attempt_id": str(world["finished"] if rule.endpoint == "quiz.review" else world["open"]),
    }  # fmt: skip
    if rule.endpoint.startswith("courses."):
        samples["slug"] = TEST_COURSE
    url = rule.rule
    for arg in rule.arguments:
        url = re.sub(rf"<(?:[a-z]+:)?{arg}>", samples[arg], url)
    if rule.endpoint in COURSE_PAGES:
        url += f"?course={TEST_COURSE}"  # course A's page, asked for by name
    return url


# Expected GET status per endpoint for: anonymous, the owner (a student of course A), another
# student (of course B only), course A's instructor, course A's teaching assistant (a student
# account), course B's instructor.
PUBLIC = (200, 200, 200, 200, 200, 200)
SIGNED_IN = (302, 200, 200, 200, 200, 200)
IN_COURSE_A = (302, 200, 404, 200, 200, 200)  # staff may try anything; students their courses'
INSTRUCTOR = (302, 403, 403, 200, 403, 200)  # the content: every instructor account
COURSE_A_STAFF = (302, 403, 403, 200, 200, 404)  # course A's results: its instructor and TA
OWN_OPEN_ATTEMPT = (302, 200, 404, 404, 404, 404)
GET_MATRIX = {
    "home.index": PUBLIC,
    "static": PUBLIC,
    "essays.index": PUBLIC,
    "essays.read": PUBLIC,
    "auth.login": (200, 302, 302, 302, 302, 302),
    "auth.register": (200, 302, 302, 302, 302, 302),
    "auth.password": SIGNED_IN,
    "account.settings": SIGNED_IN,
    "account.data": SIGNED_IN,
    "account.reset_password": (404,) * 6,  # a link that is not one
    "cards.index": SIGNED_IN,
    "cards.info": IN_COURSE_A,
    "cards.stats": IN_COURSE_A,
    "cards.study": IN_COURSE_A,
    "cards.settings": SIGNED_IN,
    "progress.index": SIGNED_IN,
    "progress.results_csv": SIGNED_IN,
    "quiz.overview": IN_COURSE_A,
    "quiz.question": OWN_OPEN_ATTEMPT,
    "quiz.summary": OWN_OPEN_ATTEMPT,
    # course A's staff read its students' reviews; students only their own
    "quiz.review": (302, 200, 404, 200, 200, 404),
    "instructor.index": INSTRUCTOR,
    "instructor.preview": INSTRUCTOR,
    "instructor.regrade": INSTRUCTOR,
    "instructor.analysis": COURSE_A_STAFF,
    "instructor.exports": COURSE_A_STAFF,
    "instructor.download": COURSE_A_STAFF,
    "instructor.memory": COURSE_A_STAFF,
    "instructor.results": COURSE_A_STAFF,
    "instructor.student": COURSE_A_STAFF,
    "instructor.reports": COURSE_A_STAFF,
    "courses.index": SIGNED_IN,
    "courses.join": SIGNED_IN,
    "courses.join_link": (302, 302, 302, 302, 302, 302),
    "courses.show": (302, 404, 404, 200, 200, 404),
}
ROLES = ("anon", "owner", "other", "instructor", "ta", "other_instructor")


def test_authorization_matrix_covers_every_route(world: dict[str, object]) -> None:
    app: Flask = world["app"]  # type: ignore[assignment]
    checked = 0
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods:
            continue
        assert rule.endpoint in GET_MATRIX, f"classify the new route {rule.endpoint} ({rule.rule})"
        url = url_for_rule(rule, world)
        for role, expected in zip(ROLES, GET_MATRIX[rule.endpoint], strict=True):
            with world[role].get(url) as response:  # type: ignore[attr-defined]
                status = response.status_code
            assert status == expected, f"{role} GET {url}: {status}, expected {expected}"
            checked += 1
    assert checked >= len(ROLES) * (len(GET_MATRIX) - 1)


def test_without_a_course_name_each_teacher_gets_their_own_course(
    world: dict[str, object],
) -> None:
    """The class pages asked for without ?course= show the viewer's own course: course B's
    instructor never sees course A's student, on any page or in any export."""
    app: Flask = world["app"]  # type: ignore[assignment]
    b: FlaskClient = world["other_instructor"]  # type: ignore[assignment]
    a: FlaskClient = world["instructor"]  # type: ignore[assignment]
    pages = ["/instructor/results", "/instructor/reports", f"/instructor/memory/{ESSAY}",
             f"/instructor/analysis/{ESSAY}/invention-quiz"]  # fmt: skip
    pages += [f"/instructor/exports/{kind}" for kind in ("scores", "moodle", "canvas", "json")]
    for url in pages:
        with b.get(url) as r:
            assert r.status_code == 200, url
            assert b"owner@example.org" not in r.get_data() and b"Owner" not in r.get_data(), url
    with a.get("/instructor/exports/scores") as r:
        assert b"owner@example.org" in r.get_data()
        assert f"{TEST_COURSE}-scores.csv" in r.headers["Content-Disposition"]
    with a.get("/instructor/results") as r:
        assert b"Owner" in r.get_data()
    with app.app_context():
        assert db.session.execute(db.select(Course.slug).order_by(Course.id)).scalars().all() == [
            TEST_COURSE, "course-b"]  # fmt: skip


COURSE_CHANGES = {
    "courses.new_code", "courses.add_member", "courses.remove_member", "courses.assign",
    "courses.unassign", "courses.set_override", "courses.remove_override",
}  # fmt: skip


def test_only_the_courses_instructors_change_it(world: dict[str, object]) -> None:
    """Every POST that changes course A, sent with a valid form token by its TA, its student,
    another course's student and another course's instructor, is refused and changes
    nothing; its instructor's goes through."""
    app: Flask = world["app"]  # type: ignore[assignment]
    rules = [r for r in app.url_map.iter_rules() if r.endpoint in COURSE_CHANGES]
    assert {r.endpoint for r in rules} == COURSE_CHANGES
    data = {"email": "other@example.org", "role": "instructor", "quiz": f"{ESSAY}/final",
            "user_id": str(world["owner_id"]), "extra_minutes": "30", "review": ""}  # fmt: skip

    def state() -> tuple[object, ...]:
        with app.app_context():
            return (
                db.session.execute(db.select(Course.join_code).filter_by(slug=TEST_COURSE)).one(),
                db.session.execute(db.select(db.func.count()).select_from(CourseMember)).one(),
                db.session.execute(db.select(db.func.count()).select_from(Assignment)).one(),
                db.session.execute(
                    db.select(db.func.count()).select_from(AssignmentOverride)
                ).one(),
            )

    before = state()
    for rule in rules:
        url = url_for_rule(rule, world)
        for role in ("owner", "other", "ta", "other_instructor"):
            r = post(world[role], url, data)  # type: ignore[arg-type]
            assert r.status_code == 404, f"{role} POST {url}: {r.status_code}"
    assert state() == before
    teacher: FlaskClient = world["instructor"]  # type: ignore[assignment]
    r = post(teacher, f"/courses/{TEST_COURSE}/code", page=f"/courses/{TEST_COURSE}")
    assert r.status_code == 302 and state()[0] != before[0]


def test_every_state_changing_route_rejects_a_post_without_csrf_token(
    world: dict[str, object],
) -> None:
    app: Flask = world["app"]  # type: ignore[assignment]
    posts = [r for r in app.url_map.iter_rules() if "POST" in r.methods]
    assert len(posts) >= 11
    for rule in posts:
        url = url_for_rule(rule, world)
        for role in ("owner", "instructor"):
            r = world[role].post(
                url, data={"choice": "0", "rating": "3", "card": "gutenberg-press:card"}
            )  # type: ignore[attr-defined]
            assert r.status_code == 400, f"{role} POST {url} without a token: {r.status_code}"
            assert "The form had expired" in r.get_data(as_text=True)
        bad = world["owner"].post(url, data={"csrf_token": "forged"})  # type: ignore[attr-defined]
        assert bad.status_code == 400, url


def test_another_students_objects_cannot_be_changed(world: dict[str, object]) -> None:
    other: FlaskClient = world["other"]  # type: ignore[assignment]
    for path in (f"/quiz/attempt/{world['open']}/1", f"/quiz/attempt/{world['open']}/submit"):
        assert post(other, path, {"choice": "0", "action": "check"}).status_code == 404
    with world["app"].app_context():  # type: ignore[attr-defined]
        assert db.session.get(Attempt, world["open"]).submitted_at is None


HOSTILE = [
    "<script>alert('x')</script>",
    '"><img src=x onerror=alert(1)>',
    "javascript:alert(1)",
    '=HYPERLINK("http://evil")',
    "\u202e\u0000nul",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_names_and_answers_are_escaped(tmp_path: Path, tiny_dir: Path, text: str) -> None:
    app = make_app(tmp_path, tiny_dir, WTF_CSRF_ENABLED=False)
    client = app.test_client()
    r = client.post(
        "/auth/register",
        data={
            "name": text,
            "email": "h@example.org",
            "password": PASSWORD,
            "confirm": PASSWORD,
            "timezone": "UTC",
            "join_code": default_course(app),
        },
    )
    if "\u0000" in text:  # no browser sends a NUL; every request carrying one is refused
        assert r.status_code == 400
        return
    assert r.status_code == 302
    home = client.get("/").get_data(as_text=True)
    assert "<script>alert" not in home and "<img src=x" not in home
    aid = int(client.post(f"/quiz/{ESSAY}/final/start").headers["Location"].split("/")[3])
    with app.app_context():
        questions = db.session.get(Attempt, aid).questions
    for n, q in enumerate(questions, 1):
        if q["type"] in ("cloze", "short_answer"):
            client.post(f"/quiz/attempt/{aid}/{n}", data={"blank-0": text, "action": "save"})
            page = client.get(f"/quiz/attempt/{aid}/{n}").get_data(as_text=True)
            assert "<script>alert" not in page and "<img src=x" not in page
    client.post(f"/quiz/attempt/{aid}/submit")
    review = client.get(f"/quiz/attempt/{aid}/review").get_data(as_text=True)
    assert "<script>alert" not in review and "<img src=x" not in review
    csv_text = client.get("/progress/results.csv").get_data(as_text=True)
    assert "\n=" not in csv_text and ",=" not in csv_text


def test_long_and_malformed_input_gets_a_clear_answer(tmp_path: Path, tiny_dir: Path) -> None:
    app = make_app(tmp_path, tiny_dir, WTF_CSRF_ENABLED=False)
    client = app.test_client()
    long = client.post(
        "/auth/register",
        data={
            "name": "x" * 100_000,
            "email": "l@example.org",
            "password": PASSWORD,
            "confirm": PASSWORD,
            "timezone": "UTC",
        },
    )
    assert (
        long.status_code == 200
        and "Field cannot be longer than 120 characters" in long.get_data(as_text=True)
    )
    raw = client.post(
        "/auth/login",
        data=b"email=\xff\xfe%00&password=\xc3\x28",
        content_type="application/x-www-form-urlencoded",
    )
    assert raw.status_code in (200, 400)
    for path in ("/essays/%00", "/essays/" + "a" * 5000, "/quiz/printing-press/%3Cscript%3E"):
        assert client.get(path).status_code in (302, 404)
    assert client.get("/auth/login?next=javascript:alert(1)").status_code == 200


def test_hostile_content_files_are_shown_escaped(tmp_path: Path, tiny_dir: Path) -> None:
    facts = tiny_dir / ESSAY / "facts.yaml"
    facts.write_text(
        facts.read_text().replace(
            "printed small, cheap editions",
            "printed <script>alert(1)</script> small, cheap editions",
            1,
        )
    )
    app = make_app(tmp_path, tiny_dir, WTF_CSRF_ENABLED=False)
    app.test_cli_runner().invoke(
        args=["users", "create", "--role", "instructor", "--password-stdin", "t@example.org"],
        input=PASSWORD + "\n",
    )
    teacher = app.test_client()
    teacher.post("/auth/login", data={"email": "t@example.org", "password": PASSWORD})
    page = teacher.get(f"/instructor/preview/{ESSAY}").get_data(as_text=True)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert(1)" not in page


def test_cookies_and_session_renewal(
    tmp_path: Path, tiny_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app(tmp_path, tiny_dir, WTF_CSRF_ENABLED=False)
    client = app.test_client()
    client.get("/auth/login")
    with client.session_transaction() as s:
        s["planted"] = "by an attacker before sign-in"
    r = client.post(
        "/auth/register",
        data={
            "name": "C",
            "email": "c@example.org",
            "password": PASSWORD,
            "confirm": PASSWORD,
            "timezone": "UTC",
        },
    )
    cookie = next(c for c in r.headers.getlist("Set-Cookie") if c.startswith("session="))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie
    with client.session_transaction() as s:
        assert "planted" not in s, "the session is renewed at sign-in"
    monkeypatch.setenv("QUIZAPP_HTTPS", "1")
    secure = make_app(tmp_path / "s", tiny_dir, WTF_CSRF_ENABLED=False).test_client()
    r = secure.post(
        "/auth/register",
        data={
            "name": "C",
            "email": "c@example.org",
            "password": PASSWORD,
            "confirm": PASSWORD,
            "timezone": "UTC",
        },
    )
    assert all("Secure" in c for c in r.headers.getlist("Set-Cookie"))


def test_sign_in_is_rate_limited_per_account_and_per_address(
    tmp_path: Path, tiny_dir: Path
) -> None:
    app = make_app(
        tmp_path, tiny_dir, WTF_CSRF_ENABLED=False, RATELIMIT_ENABLED=True, RATELIMIT_SLOWDOWN=0.3
    )
    client = app.test_client()
    for _ in range(5):
        assert (
            client.post(
                "/auth/login", data={"email": "victim@example.org", "password": "guess"}
            ).status_code
            == 200
        )
    blocked = client.post("/auth/login", data={"email": "Victim@Example.org", "password": "guess"})
    assert blocked.status_code == 429 and "Too many sign-in attempts" in blocked.get_data(
        as_text=True
    )
    assert 0 < int(blocked.headers["Retry-After"]) <= 3600
    as_json = client.post("/auth/login", json={"email": "victim@example.org", "password": "guess"})
    assert as_json.status_code == 429, "a JSON sign-in meets the same account lockout"
    other_account = client.post(
        "/auth/login", data={"email": "someone@example.org", "password": "guess"}
    )
    assert other_account.status_code == 200, "the account limit is per account"
    register(client, "owner@example.org")
    client.post("/auth/logout")
    for i in range(24):  # with the 6 above (the refused one not counted): 30 from here
        r = client.post("/auth/login", data={"email": f"spray{i}@example.org", "password": "x"})
        assert "X-Slowed-Down" not in r.headers
    started = time.monotonic()
    slowed = client.post("/auth/login", data={"email": "spray@example.org", "password": "x"})
    assert slowed.status_code == 200 and slowed.headers["X-Slowed-Down"] == "0.3"
    assert time.monotonic() - started >= 0.3
    owner = client.post("/auth/login", data={"email": "owner@example.org", "password": PASSWORD})
    assert owner.status_code == 302, "a correct password gets in, only later"
    assert owner.headers["X-Slowed-Down"] == "0.3"


def test_json_sign_ins_count_toward_the_account_lockout(tmp_path: Path, tiny_dir: Path) -> None:
    app = make_app(tmp_path, tiny_dir, WTF_CSRF_ENABLED=False)
    client = app.test_client()
    for _ in range(5):
        r = client.post("/auth/login", json={"email": "victim@example.org", "password": "guess"})
        assert r.status_code == 200 and "Email or password is incorrect" in r.get_data(as_text=True)
    assert (
        client.post(
            "/auth/login", data={"email": "victim@example.org", "password": "x"}
        ).status_code
        == 429
    )


def test_production_refuses_a_weak_secret_key(
    tmp_path: Path, tiny_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("QUIZAPP_ENV", "production")
    config = {
        "INSTANCE_PATH": str(tmp_path / "i"),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'p.sqlite'}",
        "CONTENT_DIR": str(tiny_dir),
    }
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(InsecureConfig, match="needs SECRET_KEY"):
        create_app(config)
    for weak in ("changeme", "short-key", "a" * 40):
        monkeypatch.setenv("SECRET_KEY", weak)
        with pytest.raises(InsecureConfig, match="token_hex"):
            create_app(config)
    monkeypatch.setenv("SECRET_KEY", "9f2c1e7a5b3d8c0e6f4a2b9d7c5e3f1a0b8d6c4e2f0a9b7c")
    assert create_app(config).config["SECRET_KEY"].startswith("9f2c")
    check_secret_key("9f2c1e7a5b3d8c0e6f4a2b9d7c5e3f1a", from_env=True)


def test_a_crash_rolls_back_and_shows_a_friendly_page(
    tmp_path: Path, tiny_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    app = make_app(tmp_path, tiny_dir, WTF_CSRF_ENABLED=False, PROPAGATE_EXCEPTIONS=False)

    @app.get("/boom")
    def boom() -> str:
        db.session.add(User(email="half@example.org", name="Half", password_hash="x"))
        db.session.flush()
        raise RuntimeError("secret internal detail")

    client = app.test_client()
    client.get("/")
    r = client.get("/boom")
    body = r.get_data(as_text=True)
    assert (
        r.status_code == 500
        and "Something went wrong" in body
        and "secret internal detail" not in body
    )
    assert "secret internal detail" in caplog.text, "the traceback is logged"
    with app.app_context():
        assert (
            db.session.execute(db.select(User).filter_by(email="half@example.org")).first() is None
        )


ESSAY_FILES = ("essay.md", "topics.yaml", "facts.yaml", "arguments.yaml", "quizzes.yaml")


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    name=st.sampled_from(ESSAY_FILES),
    text=st.one_of(
        st.text(max_size=300),
        st.binary(max_size=200).map(lambda b: b.decode("latin-1")),
        st.lists(
            st.sampled_from(
                [
                    "- id: x",
                    "  topic: y",
                    "  para: 99",
                    "{{",
                    "}}",
                    ":",
                    "- ",
                    "  - [",
                    "---",
                    "[1] text",
                    "## h",
                    "\t",
                    "&a *a",
                    "!!python/object:os.system",
                    "null",
                ]
            ),
            max_size=20,
        ).map("\n".join),
    ),
)
def test_fuzzed_content_only_ever_gives_the_loaders_own_errors(
    tmp_path_factory: pytest.TempPathFactory, name: str, text: str
) -> None:
    import shutil

    root = tmp_path_factory.mktemp("fuzz")
    shutil.copytree(TINY, root, dirs_exist_ok=True)
    (root / ESSAY / name).write_text(text, encoding="utf-8", errors="surrogatepass")
    result = load_content(root)  # must not raise
    for error in result.errors:
        assert re.match(r"^[^:]+:\d+: .+; .+$", str(error)), str(error)


def _sign_up_form(email: str) -> dict[str, str]:
    return {"name": "N", "email": email, "password": PASSWORD, "confirm": PASSWORD,
            "timezone": "UTC"}  # fmt: skip


def test_registration_is_rate_limited_per_address(
    tmp_path: Path, tiny_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from quizapp import auth

    monkeypatch.setattr(auth, "REGISTER_ADDRESS_SLOW", "2 per hour")
    monkeypatch.setattr(auth, "REGISTER_ADDRESS_MAX", "3 per day")
    app = make_app(tmp_path, tiny_dir, WTF_CSRF_ENABLED=False, RATELIMIT_SLOWDOWN=0.2)
    answers = []
    for i in range(4):
        client = app.test_client()
        answers.append(client.post("/auth/register", data=_sign_up_form(f"n{i}@example.org")))
    assert [r.status_code for r in answers] == [302, 302, 302, 429]
    assert ["X-Slowed-Down" in r.headers for r in answers[:3]] == [False, False, True]
    assert "Too many new accounts" in answers[3].get_data(as_text=True)
    with app.app_context():
        assert db.session.execute(db.select(db.func.count(User.id))).scalar_one() == 3


def test_password_change_is_throttled(tmp_path: Path, tiny_dir: Path) -> None:
    app = make_app(tmp_path, tiny_dir, WTF_CSRF_ENABLED=False)
    client = app.test_client()
    register(client)
    new = "a brand new passphrase"
    for _ in range(5):
        r = client.post("/auth/password", data={"current": "wrong guess", "password": new,
                                                 "confirm": new})  # fmt: skip
        assert r.status_code == 200 and "not your current password" in r.get_data(as_text=True)
    r = client.post("/auth/password", data={"current": PASSWORD, "password": new, "confirm": new})
    assert r.status_code == 429 and int(r.headers["Retry-After"]) <= 60


def test_account_deletion_is_throttled_with_the_password_change(
    tmp_path: Path, tiny_dir: Path
) -> None:
    """Deleting one's account asks for the password too: guesses there count against the same
    limit, so a stolen session cannot try passwords through either form."""
    app = make_app(tmp_path, tiny_dir, WTF_CSRF_ENABLED=False)
    client = app.test_client()
    register(client)
    for _ in range(3):
        r = client.post("/account/delete", data={"password": "wrong guess"})
        assert r.status_code == 400 and "not your password" in r.get_data(as_text=True)
    new = "a brand new passphrase"
    for _ in range(2):
        r = client.post("/auth/password", data={"current": "wrong guess", "password": new,
                                                 "confirm": new})  # fmt: skip
        assert r.status_code == 200
    r = client.post("/account/delete", data={"password": PASSWORD})
    assert r.status_code == 429 and int(r.headers["Retry-After"]) <= 60
    assert client.get("/account/").status_code == 200, "the account is still there"


@pytest.mark.parametrize("proxies", ["", "1"])
def test_forwarded_addresses_count_only_behind_a_declared_proxy(
    tmp_path: Path, tiny_dir: Path, monkeypatch: pytest.MonkeyPatch, proxies: str
) -> None:
    monkeypatch.setenv("QUIZAPP_PROXIES", proxies)
    app = make_app(tmp_path, tiny_dir, WTF_CSRF_ENABLED=False, RATELIMIT_SLOWDOWN=0.01)
    client = app.test_client()
    slowed = 0
    for i in range(31):
        r = client.post(
            "/auth/login",
            data={"email": f"s{i}@example.org", "password": "x"},
            headers={"X-Forwarded-For": f"192.0.2.{i + 1}"},
        )
        slowed += "X-Slowed-Down" in r.headers
    # without QUIZAPP_PROXIES a forged header changes nothing: all 31 are one address
    assert slowed == (1 if proxies == "" else 0)


def test_proxies_setting_is_checked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QUIZAPP_PROXIES", "yes")
    with pytest.raises(InsecureConfig, match="QUIZAPP_PROXIES"):
        create_app({"INSTANCE_PATH": str(tmp_path), "SECRET_KEY": "k", "TESTING": True})


def test_a_nul_byte_in_any_posted_field_is_refused(client) -> None:
    """PostgreSQL stores no NUL: every POST carrying one is a 400, before any view."""
    for data in ({"email": "a\x00@example.org", "password": "x"}, {"undo": "\x00"}):
        assert client.post("/auth/login", data=data).status_code == 400
    assert client.post("/auth/login", json={"email": ["ok", "\x00"]}).status_code == 400
    assert client.post("/auth/login?next=%00", data={"email": "a@b.c"}).status_code == 400
    assert client.get("/auth/login?next=%00").status_code == 400
