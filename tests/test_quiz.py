"""Taking quizzes: the whole flow, limits, resume, double submission and privacy."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient

from quizapp.bank import Item
from quizapp.content import snapshot
from quizapp.extensions import db
from quizapp.models import Attempt, CardStateRow, ResponseRow, User, utcnow
from quizapp.quiz import items_of, start_attempt, submit_attempt

from .helpers import register, right_form, wrong_form


@pytest.fixture
def app(tmp_path, tiny_dir) -> Flask:
    from .conftest import make_app

    return make_app(tmp_path, tiny_dir, WTF_CSRF_ENABLED=False)


def start(client: FlaskClient, quiz: str = "invention-quiz") -> int:
    response = client.post(f"/quiz/printing-press/{quiz}/start")
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(response.headers["Location"].split("/")[3])


def attempt(app: Flask, attempt_id: int) -> Attempt:
    with app.app_context():
        a = db.session.get(Attempt, attempt_id)
        db.session.expunge(a)
        return a


def items(app: Flask, attempt_id: int) -> list[Item]:
    return items_of(attempt(app, attempt_id))


def test_a_student_takes_a_quiz_with_immediate_feedback(app: Flask, client: FlaskClient) -> None:
    register(client)
    aid = start(client)
    qs = items(app, aid)
    assert len(qs) == 3
    page = client.get(f"/quiz/attempt/{aid}/1").get_data(as_text=True)
    assert "Question 1" in page and "Check answer" in page
    # first right, second wrong, third right
    for n, (_item, form) in enumerate(
        [(qs[0], right_form(qs[0])), (qs[1], wrong_form(qs[1])), (qs[2], right_form(qs[2]))], 1
    ):
        r = client.post(f"/quiz/attempt/{aid}/{n}", data={**form, "action": "check"})
        assert r.status_code == 302
        page = client.get(f"/quiz/attempt/{aid}/{n}").get_data(as_text=True)
        assert ("Correct" if n != 2 else "Incorrect") in page
        assert 'the essay, <a href="/essays/printing-press#p' in page, "feedback quotes the passage"
    # a checked answer is locked: a second post changes nothing
    client.post(f"/quiz/attempt/{aid}/2", data={**right_form(qs[1]), "action": "check"})
    r = client.post(f"/quiz/attempt/{aid}/submit")
    assert r.headers["Location"].endswith(f"/quiz/attempt/{aid}/review")
    review = client.get(f"/quiz/attempt/{aid}/review").get_data(as_text=True)
    assert "66.67%" in review and "The right answer" in review
    progress = client.get("/progress/").get_data(as_text=True)
    assert "66.67%" in progress and "<svg" in progress
    csv_text = client.get("/progress/results.csv").get_data(as_text=True)
    assert csv_text.splitlines()[1].startswith("printing-press,invention-quiz,The invention,1,")
    with app.app_context():
        pulled = db.session.execute(
            db.select(CardStateRow.card_id).filter_by(priority=True)
        ).scalars()
        assert list(pulled) == [f"{qs[1].origin.ids[0]}:card"], "the missed fact's card is due"


def test_deferred_feedback_shows_nothing_until_submitted(app: Flask, client: FlaskClient) -> None:
    register(client)
    aid = start(client, "final")
    qs = items(app, aid)
    assert [q.type for q in qs][:2] == ["single", "single"], "no shuffle: the mix's order"
    client.post(f"/quiz/attempt/{aid}/1", data={**right_form(qs[0]), "action": "check"})
    page = client.get(f"/quiz/attempt/{aid}/1").get_data(as_text=True)
    assert "Check answer" not in page and "Correct" not in page
    with app.app_context():
        row = db.session.execute(db.select(ResponseRow)).scalar_one()
        assert row.points is None and not row.locked, "saved, not graded"
    for n, item in enumerate(qs, 1):
        client.post(f"/quiz/attempt/{aid}/{n}", data={**right_form(item), "action": "save"})
    client.post(f"/quiz/attempt/{aid}/submit")
    assert attempt(app, aid).percent == 100.0


def test_resume_shows_the_same_questions_and_saved_answers(app: Flask, client: FlaskClient) -> None:
    register(client)
    aid = start(client)
    qs = items(app, aid)
    client.post(f"/quiz/attempt/{aid}/1", data={**right_form(qs[0]), "action": "save"})
    assert start(client) == aid, "starting again resumes the open attempt"
    assert [q.id for q in items(app, aid)] == [q.id for q in qs]
    page = client.get(f"/quiz/attempt/{aid}/1").get_data(as_text=True)
    if qs[0].type in ("cloze", "short_answer"):
        assert f'value="{qs[0].answer[0][0]}"' in page
    else:
        assert f'value="{qs[0].answer}" checked' in page


def test_snapshot_survives_content_edits(app: Flask, client: FlaskClient, tiny_dir) -> None:
    register(client)
    aid = start(client)
    before = attempt(app, aid).questions
    facts = tiny_dir / "printing-press" / "facts.yaml"
    facts.write_text(facts.read_text().replace("built a press", "made a press"))
    with app.app_context():
        app.extensions["content"].reload()
    assert attempt(app, aid).questions == before


def test_double_submission_counts_once(app: Flask, client: FlaskClient) -> None:
    register(client)
    aid = start(client)
    qs = items(app, aid)
    for _ in range(2):  # double click on save
        client.post(f"/quiz/attempt/{aid}/1", data={**wrong_form(qs[0]), "action": "save"})
    first = client.post(f"/quiz/attempt/{aid}/submit")
    second = client.post(f"/quiz/attempt/{aid}/submit")
    assert first.status_code == second.status_code == 302
    with app.app_context():
        assert db.session.execute(db.select(db.func.count(ResponseRow.id))).scalar() == 3
        assert db.session.execute(db.select(db.func.count(Attempt.id))).scalar() == 1
        cards = db.session.execute(db.select(CardStateRow.card_id, CardStateRow.priority)).all()
        a = db.session.get(Attempt, aid)
        assert submit_attempt(a, utcnow()) is False, "a third submit does nothing"
        assert (
            db.session.execute(db.select(CardStateRow.card_id, CardStateRow.priority)).all()
            == cards
        )
    # the back button then a resubmitted answer after submission changes nothing
    percent = attempt(app, aid).percent
    assert percent is not None and percent < 100.0, "the first question was saved wrong"
    client.post(f"/quiz/attempt/{aid}/1", data={**right_form(qs[0]), "action": "save"})
    assert attempt(app, aid).percent == percent
    with app.app_context():
        row = db.session.execute(db.select(ResponseRow).filter_by(position=0)).scalar_one()
        assert row.points == 0.0


def test_two_tabs_starting_get_one_attempt(app: Flask, client: FlaskClient) -> None:
    register(client)
    with app.app_context():
        user = db.session.execute(db.select(User)).scalar_one()
        quiz = snapshot().essays["printing-press"].quiz("invention-quiz")
        now = utcnow()
        a = start_attempt(user, "printing-press", quiz, now)
        b = start_attempt(user, "printing-press", quiz, now)
        assert a.id == b.id


def test_attempts_limit_is_enforced(app: Flask, client: FlaskClient) -> None:
    register(client)
    for _ in range(2):
        aid = start(client)
        client.post(f"/quiz/attempt/{aid}/submit")
    r = client.post("/quiz/printing-press/invention-quiz/start", follow_redirects=True)
    assert "You have used all 2 attempts" in r.get_data(as_text=True)
    with app.app_context():
        assert db.session.execute(db.select(db.func.count(Attempt.id))).scalar() == 2


def test_time_limit_submits_with_what_was_saved(app: Flask, client: FlaskClient) -> None:
    register(client)
    aid = start(client, "final")
    qs = items(app, aid)
    client.post(f"/quiz/attempt/{aid}/1", data={**right_form(qs[0]), "action": "save"})
    with app.app_context():  # ten minutes pass
        a = db.session.get(Attempt, aid)
        a.started_at -= timedelta(minutes=11)
        a.deadline -= timedelta(minutes=11)
        db.session.commit()
    late = client.post(f"/quiz/attempt/{aid}/2", data={**right_form(qs[1]), "action": "save"})
    assert late.headers["Location"].endswith("/review")
    done = attempt(app, aid)
    assert done.submitted_at == done.deadline
    assert done.points == 1.0, "only the answer saved in time counts"
    with app.app_context():
        rows = (
            db.session.execute(db.select(ResponseRow).order_by(ResponseRow.position))
            .scalars()
            .all()
        )
        assert rows[1].answer != right_form(qs[1]) and rows[1].points == 0.0


def test_students_cannot_see_each_others_attempts(app: Flask) -> None:
    alice, bob = app.test_client(), app.test_client()
    register(alice, "alice@example.org", "Alice")
    register(bob, "bob@example.org", "Bob")
    aid = start(alice)
    client_paths = [
        f"/quiz/attempt/{aid}/1",
        f"/quiz/attempt/{aid}/summary",
        f"/quiz/attempt/{aid}/review",
    ]
    for path in client_paths:
        assert bob.get(path).status_code == 404
    assert bob.post(f"/quiz/attempt/{aid}/1", data={"choice": "0"}).status_code == 404
    assert bob.post(f"/quiz/attempt/{aid}/submit").status_code == 404
    assert attempt(app, aid).submitted_at is None
    alice.post(f"/quiz/attempt/{aid}/submit")
    assert bob.get(f"/quiz/attempt/{aid}/review").status_code == 404
    assert "The invention" not in bob.get("/progress/results.csv").get_data(as_text=True)


def test_pages_need_sign_in(client: FlaskClient) -> None:
    for path in ("/progress/", "/quiz/printing-press/invention-quiz", "/quiz/attempt/1/1"):
        r = client.get(path)
        assert r.status_code == 302 and "/auth/login?next=" in r.headers["Location"]


@pytest.mark.parametrize(
    ("method", "grade"),
    # three attempts scoring 1/3, 3/3 and 0/3: each method gives its own figure
    [("highest", "100%"), ("average", "44.44%"), ("first", "33.33%"), ("last", "0%")],
)
def test_the_quiz_grade_follows_its_grading_method(
    tmp_path, tiny_dir, method: str, grade: str
) -> None:
    from .conftest import make_app

    quizzes = tiny_dir / "printing-press" / "quizzes.yaml"
    text = quizzes.read_text()
    assert "  attempts: 2\n  grading: highest\n" in text
    quizzes.write_text(
        text.replace("  attempts: 2\n  grading: highest\n", f"  attempts: 3\n  grading: {method}\n")
    )
    app = make_app(tmp_path, tiny_dir, WTF_CSRF_ENABLED=False)
    client = app.test_client()
    register(client)
    for n_right in (1, 3, 0):
        aid = start(client)
        for n, item in enumerate(items(app, aid), 1):
            form = right_form(item) if n <= n_right else wrong_form(item)
            client.post(f"/quiz/attempt/{aid}/{n}", data={**form, "action": "save"})
        client.post(f"/quiz/attempt/{aid}/submit")
        assert attempt(app, aid).percent == round(100 * n_right / 3, 2)
    page = client.get("/quiz/printing-press/invention-quiz").get_data(as_text=True)
    assert f"<dt>Your grade</dt><dd>{grade}</dd>" in page, page
