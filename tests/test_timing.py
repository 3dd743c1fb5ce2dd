"""The Server-Timing header (QUIZAPP_TIMING=1) and the statement counts of the hot pages."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from .conftest import SHIPPED, make_app
from .helpers import register

METRIC = re.compile(r'(\w+);dur=([\d.]+)(?:;desc="(\d+) statements")?')


def timing_of(client: FlaskClient, path: str, **kwargs: object) -> dict[str, float]:
    method = client.post if "data" in kwargs else client.get
    response = method(path, **kwargs)
    assert response.status_code in (200, 302), response.status_code
    header = response.headers["Server-Timing"]
    figures: dict[str, float] = {}
    for name, dur, count in METRIC.findall(header):
        figures[name] = float(dur)
        if count:
            figures["statements"] = int(count)
    assert set(figures) == {"sql", "statements", "tpl", "app", "total"}, header
    return figures


@pytest.fixture
def timed(tmp_path: Path, tiny_dir: Path) -> Flask:
    return make_app(tmp_path, tiny_dir, TIMING=True, WTF_CSRF_ENABLED=False)


def test_off_by_default(client: FlaskClient) -> None:
    assert "Server-Timing" not in client.get("/").headers


def test_on_with_the_environment_variable(
    tmp_path: Path, tiny_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("QUIZAPP_TIMING", "1")
    app = make_app(tmp_path, tiny_dir)
    assert "Server-Timing" in app.test_client().get("/").headers


def test_header_splits_the_total(timed: Flask) -> None:
    client = timed.test_client()
    register(client)
    figures = timing_of(client, "/")
    assert figures["statements"] >= 2  # at least the sign-in and the attempts
    assert figures["sql"] > 0 and figures["tpl"] > 0 and figures["app"] > 0
    parts = figures["sql"] + figures["tpl"] + figures["app"]
    assert abs(parts - figures["total"]) < 0.05
    # a page with no database work and no template: a redirect for visitors
    anonymous = timed.test_client()
    redirect = timing_of(anonymous, "/cards/")
    assert redirect["statements"] == 0 and redirect["tpl"] == 0


def test_statements_are_counted_per_request(timed: Flask) -> None:
    client = timed.test_client()
    register(client)
    first = timing_of(client, "/progress/")["statements"]
    assert timing_of(client, "/progress/")["statements"] == first  # not accumulated


def _pages(client: FlaskClient) -> dict[str, float]:
    return {path: timing_of(client, path)["statements"] for path in ("/", "/cards/")}


def test_home_and_cards_make_a_fixed_number_of_statements(tmp_path: Path) -> None:
    """No query per quiz, topic, attempt or card: taking quizzes and studying cards leaves the
    number of statements of the home page and the flashcards page as it was."""
    app = make_app(tmp_path, SHIPPED, TIMING=True, WTF_CSRF_ENABLED=False)
    client = app.test_client()
    register(client)
    before = _pages(client)
    essay = next(iter(app.extensions["content"].snapshot.essays.values()))
    for quiz in essay.quizzes[:3]:
        start = client.post(f"/quiz/{essay.slug}/{quiz.id}/start")
        assert start.status_code == 302
        attempt = re.search(r"/quiz/attempt/(\d+)/", start.headers["Location"]).group(1)  # type: ignore[union-attr]
        client.post(f"/quiz/attempt/{attempt}/submit")
    study = client.get(f"/cards/{essay.slug}/study?show=1")
    card = re.search(r'name="card" value="([^"]+)"', study.get_data(as_text=True))
    assert card is not None
    client.post(
        f"/cards/{essay.slug}/review", data={"card": card.group(1), "rating": "1", "reps": "0"}
    )
    after = _pages(client)
    assert after == before
    assert after["/"] <= 12 and after["/cards/"] <= 10, after


def test_topic_mastery_reads_the_topics_of_each_answered_question(tmp_path: Path) -> None:
    """The database picks each answer's topics out of its attempt's snapshot (JSON functions
    of SQLite and PostgreSQL): the same mastery as decoding every snapshot in Python."""
    from quizapp.extensions import db
    from quizapp.models import Attempt, User
    from quizapp.models import ResponseRow as Answer
    from quizapp.progress import topic_mastery
    from quizapp.stats import mastery_by_topic

    from .helpers import right_form, wrong_form

    app = make_app(tmp_path, SHIPPED, WTF_CSRF_ENABLED=False)
    client = app.test_client()
    register(client)
    essay = next(iter(app.extensions["content"].snapshot.essays.values()))
    for k, quiz in enumerate(essay.quizzes[:3]):
        start = client.post(f"/quiz/{essay.slug}/{quiz.id}/start")
        attempt_id = int(re.search(r"/quiz/attempt/(\d+)/", start.headers["Location"]).group(1))  # type: ignore[union-attr]
        with app.app_context():
            questions = db.session.get(Attempt, attempt_id).questions  # type: ignore[union-attr]
        from quizapp.bank import Item

        for n, data in enumerate(questions, start=1):
            if (n + k) % 3 == 0:
                continue  # some left unanswered
            item = Item.from_dict(data)
            form = right_form(item) if (n + k) % 2 else wrong_form(item)
            client.post(f"/quiz/attempt/{attempt_id}/{n}", data={**form, "action": "save"})
        client.post(f"/quiz/attempt/{attempt_id}/submit")
    with app.app_context():
        user = db.session.execute(db.select(User)).scalar_one()
        expected_answers = [
            (r.item_id, a.questions[r.position]["topics"], r.points or 0.0, r.saved_at)
            for r, a in db.session.execute(
                db.select(Answer, Attempt)
                .join(Attempt, Answer.attempt_id == Attempt.id)
                .where(Answer.points.is_not(None))
            )
        ]
        expected = mastery_by_topic(expected_answers)
        got = topic_mastery(user.id, essay)
    assert len({t for _i, topics, _p, _s in expected_answers for t in topics}) >= 2
    assert {t: v for t, _title, v in got if v is not None} == expected
    assert [t for t, _title, _v in got] == [t.id for t in essay.topics]
