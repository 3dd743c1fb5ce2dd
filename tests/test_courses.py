"""Courses over HTTP and the CLI: joining, what a student sees, assignments enforced on the
server with per-student overrides, and per-course instructor pages."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from quizapp import courses
from quizapp.content import snapshot
from quizapp.extensions import db
from quizapp.models import Assignment, Attempt, Course, User, utcnow

from .conftest import make_app
from .helpers import TEST_COURSE, default_course, register, right_form, teach

PASSWORD = "instructor password"
ESSAY = "printing-press"


@pytest.fixture
def app(tmp_path: Path, tiny_dir: Path) -> Flask:
    return make_app(tmp_path, tiny_dir, WTF_CSRF_ENABLED=False)


def instructor(app: Flask, email: str = "teach@example.org", name: str = "Ms Teach") -> FlaskClient:
    result = app.test_cli_runner().invoke(
        args=["users", "create", "--role", "instructor", "--name", name, "--password-stdin",
              email],
        input=PASSWORD + "\n",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    client = app.test_client()
    assert (
        client.post("/auth/login", data={"email": email, "password": PASSWORD}).status_code == 302
    )
    return client


def user_id(app: Flask, email: str) -> int:
    with app.app_context():
        return db.session.execute(db.select(User.id).filter_by(email=email)).scalar_one()


def create_course(teacher: FlaskClient, title: str, term: str = "Fall 2026") -> tuple[str, str]:
    r = teacher.post("/courses/", data={"title": title, "term": term})
    assert r.status_code == 302
    slug = r.headers["Location"].rstrip("/").split("/")[-1]
    page = teacher.get(f"/courses/{slug}").get_data(as_text=True)
    code = page.split('class="join-code">')[1].split("<")[0]
    return slug, code


def assign(teacher: FlaskClient, slug: str, quiz: str, **fields: str) -> None:
    r = teacher.post(f"/courses/{slug}/assignments", data={"quiz": f"{ESSAY}/{quiz}",
                                                          "review": "", **fields})  # fmt: skip
    assert r.status_code == 302
    assert "Assignment saved" in teacher.get(f"/courses/{slug}").get_data(as_text=True)


def test_a_student_sees_only_the_quizzes_of_their_courses(app: Flask) -> None:
    teacher = instructor(app)
    slug, code = create_course(teacher, "History")
    assign(teacher, slug, "invention-quiz")
    loner = app.test_client()
    register(loner, "loner@example.org", "Loner", join=False)
    home = loner.get("/").get_data(as_text=True)
    assert "You are in no course yet" in home and "The invention" not in home
    assert loner.get(f"/quiz/{ESSAY}/invention-quiz").status_code == 404
    assert loner.post(f"/quiz/{ESSAY}/invention-quiz/start").status_code == 404
    assert loner.get(f"/cards/{ESSAY}/study").status_code == 404
    # joining by code (typed loosely) shows the course's quiz, and only it
    r = loner.post("/courses/join", data={"code": f" {code[:4].lower()}-{code[4:]} "})
    assert r.status_code == 302
    home = loner.get("/").get_data(as_text=True)
    assert "You are in no course yet" not in home
    assert f"/quiz/{ESSAY}/invention-quiz" in home and f"/quiz/{ESSAY}/final" not in home
    assert loner.get(f"/quiz/{ESSAY}/final").status_code == 404
    assert loner.get(f"/quiz/{ESSAY}/invention-quiz").status_code == 200
    # a second course adds its quizzes
    other_slug, other_code = create_course(teacher, "Literature")
    assign(teacher, other_slug, "final")
    loner.post("/courses/join", data={"code": other_code})
    home = loner.get("/").get_data(as_text=True)
    assert f"/quiz/{ESSAY}/invention-quiz" in home and f"/quiz/{ESSAY}/final" in home
    assert "History" in loner.get("/courses/").get_data(as_text=True)
    assert loner.post("/courses/join", data={"code": "NOSUCHCODE"}).status_code == 400


def test_join_link_regenerated_code_and_required_code(tmp_path: Path, tiny_dir: Path) -> None:
    app = make_app(tmp_path, tiny_dir, WTF_CSRF_ENABLED=False, REQUIRE_JOIN_CODE=True)
    teacher = instructor(app)
    slug, code = create_course(teacher, "History")
    visitor = app.test_client()
    r = visitor.get(f"/courses/join/{code.lower()}")
    assert r.status_code == 302 and f"/auth/register?code={code}" in r.headers["Location"]
    assert f'value="{code}"' in visitor.get(r.headers["Location"]).get_data(as_text=True)
    form = {"name": "Sam", "email": "sam@example.org", "password": "correct horse battery",
            "confirm": "correct horse battery", "timezone": "UTC"}  # fmt: skip
    refused = visitor.post("/auth/register", data=form)
    assert refused.status_code == 200
    assert "Registration needs the join code of a course" in refused.get_data(as_text=True)
    wrong = visitor.post("/auth/register", data={**form, "join_code": "WRONG123"})
    assert "No course has this join code" in wrong.get_data(as_text=True)
    with app.app_context():
        assert (
            db.session.execute(db.select(User.id).filter_by(email="sam@example.org")).first()
            is None
        )
    # a new code: the old one stops working, members stay
    assert teacher.post(f"/courses/{slug}/code").status_code == 302
    stale = visitor.post("/auth/register", data={**form, "join_code": code})
    assert "No course has this join code" in stale.get_data(as_text=True)
    new_code = (
        teacher.get(f"/courses/{slug}").get_data(as_text=True).split('class="join-code">')[1][:8]
    )
    assert new_code != code
    assert visitor.post("/auth/register", data={**form, "join_code": new_code}).status_code == 302
    signed_in = visitor.get(f"/courses/join/{new_code}")
    assert signed_in.headers["Location"].endswith(f"/courses/join?code={new_code}")
    with app.app_context():
        course = courses.by_slug(slug)
        assert course is not None and courses.is_student_of(course, user_id(app, "sam@example.org"))


def _start(client: FlaskClient, quiz: str = "invention-quiz") -> int:
    r = client.post(f"/quiz/{ESSAY}/{quiz}/start")
    assert r.status_code == 302, r.get_data(as_text=True)
    assert "/quiz/attempt/" in r.headers["Location"], client.get(r.headers["Location"]).get_data(
        as_text=True
    )
    return int(r.headers["Location"].split("/")[3])


def test_the_window_is_enforced_on_the_server(app: Flask) -> None:
    teacher = instructor(app)
    slug, code = create_course(teacher, "History")
    student = app.test_client()
    register(student, "sam@example.org", "Sam", join=False)
    student.post("/courses/join", data={"code": code})
    soon = (utcnow() + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    due = (utcnow() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    assign(teacher, slug, "invention-quiz", opens_at=soon, due_at=due)
    page = student.get(f"/quiz/{ESSAY}/invention-quiz").get_data(as_text=True)
    assert "This quiz is not open yet" in page and "Due " in page
    r = student.post(f"/quiz/{ESSAY}/invention-quiz/start", follow_redirects=True)
    assert "This quiz is not open yet" in r.get_data(as_text=True)
    with app.app_context():
        assert db.session.execute(db.select(Attempt.id)).first() is None, "refused on the server"
    assert "Due next" in student.get("/").get_data(as_text=True)
    past = (utcnow() - timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
    closed = (utcnow() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    assign(teacher, slug, "invention-quiz", opens_at=past, closes_at=closed)
    r = student.post(f"/quiz/{ESSAY}/invention-quiz/start", follow_redirects=True)
    assert "This quiz is closed" in r.get_data(as_text=True)
    with app.app_context():
        assert db.session.execute(db.select(Attempt.id)).first() is None
    # a later close for one student opens it to them alone
    sam = user_id(app, "sam@example.org")
    with app.app_context():
        aid = db.session.execute(db.select(Assignment.id)).scalar_one()
    later = (utcnow() + timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M")
    r = teacher.post(f"/courses/{slug}/assignments/{aid}/overrides",
                     data={"user_id": str(sam), "closes_at": later})  # fmt: skip
    assert r.status_code == 302
    attempt = _start(student)
    with app.app_context():
        deadline = db.session.get(Attempt, attempt).deadline
    assert deadline is not None and deadline > utcnow() + timedelta(hours=2)


def test_an_override_gives_one_student_extra_time_and_attempts(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    teacher = instructor(app)
    slug, code = create_course(teacher, "History")
    assign(teacher, slug, "invention-quiz", time_limit="5", attempts="1")
    ada, bob = app.test_client(), app.test_client()
    for client, email in ((ada, "ada@example.org"), (bob, "bob@example.org")):
        register(client, email, email[:3].title(), join=False)
        client.post("/courses/join", data={"code": code})
    with app.app_context():
        aid = db.session.execute(db.select(Assignment.id)).scalar_one()
    r = teacher.post(f"/courses/{slug}/assignments/{aid}/overrides",
                     data={"user_id": str(user_id(app, "ada@example.org")), "extra_minutes": "20",
                           "extra_attempts": "1"})  # fmt: skip
    assert r.status_code == 302
    assert "Override saved" in teacher.get(f"/courses/{slug}").get_data(as_text=True)
    started = utcnow()
    ada_attempt, bob_attempt = _start(ada), _start(bob)
    with app.app_context():
        ada_row, bob_row = (
            db.session.get(Attempt, ada_attempt),
            db.session.get(Attempt, bob_attempt),
        )
        assert ada_row.deadline - ada_row.started_at == timedelta(minutes=25)
        assert bob_row.deadline - bob_row.started_at == timedelta(minutes=5)
        questions = ada_row.questions
    # ten minutes later, by the server's clock: Ada's save counts, Bob's does not
    import quizapp.quiz_views

    monkeypatch.setattr(quizapp.quiz_views, "utcnow", lambda: started + timedelta(minutes=10))
    from quizapp.bank import Item

    form = {**right_form(Item.from_dict(questions[0])), "action": "save"}
    r = ada.post(f"/quiz/attempt/{ada_attempt}/1", data=form, follow_redirects=True)
    assert "Answer saved" in r.get_data(as_text=True)
    r = bob.post(f"/quiz/attempt/{bob_attempt}/1", data=form, follow_redirects=True)
    assert "Time is up" in r.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Attempt, bob_attempt).finished
        assert not db.session.get(Attempt, ada_attempt).finished
    assert ada.post(f"/quiz/attempt/{ada_attempt}/submit").status_code == 302
    # one extra attempt for Ada only
    assert _start(ada) != ada_attempt
    r = bob.post(f"/quiz/{ESSAY}/invention-quiz/start", follow_redirects=True)
    assert "You have used all 1 attempts" in r.get_data(as_text=True)


def test_each_instructor_sees_only_their_course(app: Flask) -> None:
    a, b = instructor(app), instructor(app, "b@example.org", "Mr Bee")
    slug_a, code_a = create_course(a, "History")
    slug_b, code_b = create_course(b, "Literature")
    assign(a, slug_a, "invention-quiz")
    assign(b, slug_b, "invention-quiz")
    people = {}
    for email, codes in (("ann@example.org", [code_a]), ("ben@example.org", [code_b]),
                         ("both@example.org", [code_a, code_b])):  # fmt: skip
        client = app.test_client()
        register(client, email, email.split("@")[0].title(), join=False)
        for code in codes:
            client.post("/courses/join", data={"code": code})
        aid = _start(client)
        client.post(f"/quiz/attempt/{aid}/submit")
        people[email] = client
    for teacher, slug, mine, theirs in ((a, slug_a, "ann", "ben"), (b, slug_b, "ben", "ann")):
        pages = [f"/instructor/results?course={slug}", f"/instructor/reports?course={slug}",
                 f"/instructor/memory/{ESSAY}?course={slug}",
                 f"/instructor/analysis/{ESSAY}/invention-quiz?course={slug}"]  # fmt: skip
        results = teacher.get(pages[0]).get_data(as_text=True)
        assert f"{mine}@example.org" in results and "both@example.org" in results
        assert f"{theirs}@example.org" not in results
        analysis = teacher.get(pages[3]).get_data(as_text=True)
        assert "2 attempts" in analysis or ">2<" in analysis
        for kind in ("scores", "moodle", "canvas", "json"):
            with teacher.get(f"/instructor/exports/{kind}?course={slug}") as r:
                body = r.get_data(as_text=True)
                assert f'filename="{slug}-' in r.headers["Content-Disposition"]
                assert f"{mine}@example.org" in body and f"{theirs}@example.org" not in body
        # the other's student, by id, does not exist here
        theirs_id = user_id(app, f"{theirs}@example.org")
        assert teacher.get(f"/instructor/students/{theirs_id}?course={slug}").status_code == 404
        with app.app_context():
            their_attempt = db.session.execute(
                db.select(Attempt.id).filter_by(user_id=theirs_id)
            ).scalar_one()
        assert teacher.get(f"/quiz/attempt/{their_attempt}/review").status_code == 404
        r = teacher.post(f"/instructor/attempts/{their_attempt}/override/1",
                         data={"mark": "1", "comment": "no"})  # fmt: skip
        assert r.status_code == 404
    # removing a student: gone from the course's pages, and its quizzes gone from theirs
    ann = user_id(app, "ann@example.org")
    assert a.post(f"/courses/{slug_a}/members/{ann}/remove").status_code == 302
    assert "ann@example.org" not in a.get(f"/instructor/results?course={slug_a}").get_data(
        as_text=True
    )
    assert people["ann@example.org"].get(f"/quiz/{ESSAY}/invention-quiz").status_code == 404
    # the last instructor stays
    a_id = user_id(app, "teach@example.org")
    r = a.post(f"/courses/{slug_a}/members/{a_id}/remove", follow_redirects=True)
    assert "keeps at least one instructor" in r.get_data(as_text=True)


def test_a_teaching_assistant_sees_results_and_changes_nothing(app: Flask) -> None:
    teacher = instructor(app)
    student = app.test_client()
    register(student, "sam@example.org", "Sam")
    aid = _start(student)
    student.post(f"/quiz/attempt/{aid}/submit")
    ta = app.test_client()
    register(ta, "tess@example.org", "Tess", join=False)
    teach(app, "teach@example.org")
    r = teacher.post(
        f"/courses/{TEST_COURSE}/members", data={"email": "tess@example.org", "role": "ta"}
    )
    assert r.status_code == 302
    assert ta.get("/instructor/results").status_code == 200
    assert "Sam" in ta.get("/instructor/results").get_data(as_text=True)
    assert ta.get(f"/quiz/attempt/{aid}/review").status_code == 200
    review = ta.get(f"/quiz/attempt/{aid}/review").get_data(as_text=True)
    assert "override-form" not in review
    page = ta.get(f"/courses/{TEST_COURSE}").get_data(as_text=True)
    assert "teaching assistant" in page and "Make a new code" not in page
    assert (
        ta.post(
            f"/instructor/attempts/{aid}/override/1", data={"mark": "1", "comment": "x"}
        ).status_code
        == 404
    )
    assert ta.post(f"/courses/{TEST_COURSE}/code").status_code == 404
    assert ta.get("/instructor/").status_code == 403, "the content pages are the instructors'"
    # a student account cannot be made a co-instructor
    r = teacher.post(f"/courses/{TEST_COURSE}/members",
                     data={"email": "sam@example.org", "role": "instructor"}, follow_redirects=True)  # fmt: skip
    assert "student account" in r.get_data(as_text=True)


def test_courses_cli(app: Flask, tmp_path: Path) -> None:
    runner = app.test_cli_runner()
    instructor(app)
    r = runner.invoke(args=["courses", "create", "Modern History", "--term", "Fall 2026",
                            "--instructor", "teach@example.org", "--assign-all"])  # fmt: skip
    assert r.exit_code == 0, r.output
    assert "modern-history-fall-2026" in r.output
    register(app.test_client(), "sam@example.org", "Sam", join=False)
    r = runner.invoke(args=["courses", "add", "modern-history-fall-2026", "sam@example.org"])
    assert r.exit_code == 0 and "student" in r.output
    r = runner.invoke(args=["courses", "add", "modern-history-fall-2026", "nobody@example.org"])
    assert r.exit_code == 1 and "must register first" in r.output
    r = runner.invoke(args=["courses", "list"])
    assert "modern-history-fall-2026" in r.output and "2 people" in r.output
    register(app.test_client(), "other@example.org", "Other")  # the test course, not this one
    out = tmp_path / "scores.csv"
    r = runner.invoke(
        args=["export", "scores", "--course", "modern-history-fall-2026", "-o", str(out)]
    )
    assert r.exit_code == 0, r.output
    text = out.read_text()
    assert "sam@example.org" in text and "other@example.org" not in text
    r = runner.invoke(args=["export", "scores", "--course", "nope", "-o", str(out)])
    assert r.exit_code == 2
    with app.app_context():
        assert db.session.execute(db.select(db.func.count()).select_from(Course)).scalar_one() == 2
        assert default_course(app) == "TESTCLASS"


def test_class_memory_and_item_analysis_count_the_course_only(app: Flask) -> None:
    from datetime import UTC, datetime

    from quizapp.cards import load_state, record_review, settings_for
    from quizapp.content import snapshot
    from quizapp.instructor import class_memory, quiz_report

    teacher = instructor(app)
    slug, code = create_course(teacher, "History")
    assign(teacher, slug, "invention-quiz")
    inside, outside = app.test_client(), app.test_client()
    register(inside, "in@example.org", "In", join=False)
    inside.post("/courses/join", data={"code": code})
    register(outside, "out@example.org", "Out")  # the test course, not History
    for client in (inside, outside):
        aid = _start(client)
        client.post(f"/quiz/attempt/{aid}/submit")
    t0 = datetime(2026, 1, 5, 12, tzinfo=UTC)
    with app.app_context():
        course = courses.by_slug(slug)
        assert course is not None
        for email, rating in (("in@example.org", 4), ("out@example.org", 4)):
            user = db.session.execute(db.select(User).filter_by(email=email)).scalar_one()
            settings = settings_for(user)
            record_review(user.id, ESSAY, "bible-year:card", rating, t0, settings, 0)
            state = load_state(user.id, ESSAY, "bible-year:card")
            record_review(user.id, ESSAY, "bible-year:card", 1, state.due, settings, 1)
        bank = snapshot().bank(ESSAY)
        everyone = next(r for r in class_memory(bank, t0) if r.card_id == "bible-year:card")
        mine = next(r for r in class_memory(bank, t0, course.id) if r.card_id == "bible-year:card")
        assert (everyone.students, mine.students) == (2, 1)
        assert quiz_report(ESSAY, "invention-quiz")[1] == 2
        assert quiz_report(ESSAY, "invention-quiz", course_id=course.id)[1] == 1
    memory = teacher.get(f"/instructor/memory/{ESSAY}?course={slug}").get_data(as_text=True)
    analysis = teacher.get(f"/instructor/analysis/{ESSAY}/invention-quiz?course={slug}")
    assert memory and analysis.status_code == 200


def test_a_refused_join_code_makes_no_course(app: Flask) -> None:
    runner = app.test_cli_runner()
    r = runner.invoke(args=["courses", "create", "Seminar A", "--code", "SEMA"])
    assert r.exit_code == 2 and "at least 6 letters or digits" in r.output
    r = runner.invoke(args=["courses", "list"])
    assert "seminar-a" not in r.output, "the refused command left a course behind"
    r = runner.invoke(args=["courses", "create", "Seminar A", "--code", "SEMA2026"])
    assert r.exit_code == 0 and "Created seminar-a (join code SEMA2026)" in r.output, r.output


def test_course_staff_see_every_quiz_that_students_see_only_when_assigned(app: Flask) -> None:
    """What a user sees comes with their memberships in one statement: a student account made
    a course's teaching assistant sees every quiz (home, flashcards, a quiz's page) though no
    course assigns them to it; a fellow student of another course sees only what is
    assigned."""
    teacher = instructor(app)
    slug, code = create_course(teacher, "History")
    assign(teacher, slug, "invention-quiz")
    ta, pupil = app.test_client(), app.test_client()
    register(ta, "tess@example.org", "Tess", join=False)
    register(pupil, "pia@example.org", "Pia", join=False)
    assert pupil.post("/courses/join", data={"code": code}).status_code == 302
    r = teacher.post(f"/courses/{slug}/members", data={"email": "tess@example.org", "role": "ta"})
    assert r.status_code == 302
    with app.app_context():
        essays = snapshot().essays
        every = {(e, q.id) for e, c in essays.items() for q in c.quizzes}
        tess = db.session.execute(db.select(User).filter_by(email="tess@example.org")).scalar_one()
        pia = db.session.execute(db.select(User).filter_by(email="pia@example.org")).scalar_one()
        given, assigned = courses.given_and_assigned(tess, essays, utcnow())
        assert set(given) == every and assigned == frozenset()
        assert {(e, q.id) for e, qs in courses.visible(tess, essays).items() for q in qs} == every
        given, assigned = courses.given_and_assigned(pia, essays, utcnow())
        assert set(given) == assigned == {(ESSAY, "invention-quiz")}
        assert courses.visible(pia, essays) == {ESSAY: [essays[ESSAY].quiz("invention-quiz")]}
    home = ta.get("/").get_data(as_text=True)
    assert f"/quiz/{ESSAY}/invention-quiz" in home and f"/quiz/{ESSAY}/final" in home
    assert ta.get(f"/quiz/{ESSAY}/final").status_code == 200
    assert ta.get(f"/cards/{ESSAY}/study").status_code == 200
    assert pupil.get(f"/quiz/{ESSAY}/final").status_code == 404
