"""The instructor area: access, content status and live reload, results, memory, preview."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from quizapp.extensions import db
from quizapp.models import Attempt

from .conftest import make_app
from .helpers import register, right_form, teach
from .test_quiz import items, start

PASSWORD = "instructor password"


@pytest.fixture
def app(tmp_path: Path, tiny_dir: Path) -> Flask:
    return make_app(tmp_path, tiny_dir, WTF_CSRF_ENABLED=False, CONTENT_CHECK_INTERVAL=0)


def instructor(app: Flask) -> FlaskClient:
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=[
            "users",
            "create",
            "--role",
            "instructor",
            "--name",
            "Ms Teach",
            "--password-stdin",
            "teach@example.org",
        ],
        input=PASSWORD + "\n",
    )
    assert result.exit_code == 0, result.output
    teach(app, "teach@example.org")
    client = app.test_client()
    r = client.post("/auth/login", data={"email": "teach@example.org", "password": PASSWORD})
    assert r.status_code == 302
    return client


def instructor_urls(app: Flask) -> list[str]:
    """Every GET route of the instructor blueprint, with sample arguments."""
    samples = {
        "essay": "printing-press",
        "quiz_id": "invention-quiz",
        "user_id": "1",
        "kind": "scores",
    }
    urls = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("instructor.") and "GET" in rule.methods:
            url = rule.rule
            for arg in rule.arguments:
                url = url.replace(f"<{arg}>", samples[arg]).replace(f"<int:{arg}>", samples[arg])
            urls.append(url)
    return urls


def test_students_get_403_on_every_instructor_url(app: Flask, client: FlaskClient) -> None:
    register(client)
    urls = instructor_urls(app)
    assert len(urls) >= 6
    for url in urls:
        assert client.get(url).status_code == 403, url
    anonymous = app.test_client()
    for url in urls:
        assert anonymous.get(url).status_code == 302, url


def test_instructor_pages_render(app: Flask) -> None:
    register(app.test_client(), "first@example.org", "First")  # user 1, a student of the course
    teacher = instructor(app)
    for url in instructor_urls(app):
        # Read the whole body: a streamed download left unread is closed later by the
        # garbage collector, inside some other test's request context.
        with teacher.get(url) as r:
            assert r.status_code == 200, (url, r.status_code)
            assert r.get_data()


def test_results_grid_and_drill_down(app: Flask, client: FlaskClient) -> None:
    register(client, "sam@example.org", "Sam Student")
    aid = start(client)
    qs = items(app, aid)
    client.post(f"/quiz/attempt/{aid}/1", data={**right_form(qs[0]), "action": "save"})
    client.post(f"/quiz/attempt/{aid}/submit")
    teacher = instructor(app)
    grid = teacher.get("/instructor/results").get_data(as_text=True)
    assert "Sam Student" in grid and "33.33%" in grid and "1 attempt" in grid
    with app.app_context():
        user_id = db.session.get(Attempt, aid).user_id
    page = teacher.get(f"/instructor/students/{user_id}").get_data(as_text=True)
    assert "The invention" in page and f"/quiz/attempt/{aid}/review" in page
    assert teacher.get(f"/quiz/attempt/{aid}/review").status_code == 200, (
        "instructors may read reviews"
    )
    assert teacher.get(f"/quiz/attempt/{aid}/1").status_code == 404, (
        "but never answer for a student"
    )


def test_broken_edit_shows_errors_while_the_site_keeps_serving(app: Flask, tiny_dir: Path) -> None:
    teacher = instructor(app)
    assert "All content files are valid" in teacher.get("/instructor/").get_data(as_text=True)
    facts = tiny_dir / "printing-press" / "facts.yaml"
    good = facts.read_text()
    facts.write_text(good.replace("kind: year", "kind: yeer", 1))
    os.utime(facts, (time.time() + 5, time.time() + 5))
    page = teacher.get("/instructor/").get_data(as_text=True)
    assert (
        "1 error" in page
        and "content/printing-press/facts.yaml:" in page
        and "unknown kind" in page
    )
    student = app.test_client()
    register(student)
    assert "The invention" in student.get("/").get_data(as_text=True), (
        "students keep the last good content"
    )
    # fixing the file brings the new content in without a restart
    facts.write_text(good.replace("}} built a press with", "}} built a printing press with"))
    os.utime(facts, (time.time() + 10, time.time() + 10))
    assert "All content files are valid" in teacher.get("/instructor/").get_data(as_text=True)
    preview = teacher.get("/instructor/preview/printing-press").get_data(as_text=True)
    assert "built a printing press" in preview


def test_content_reload_command(app: Flask, tiny_dir: Path) -> None:
    runner = app.test_cli_runner()
    result = runner.invoke(args=["content", "reload"])
    assert result.exit_code == 0 and "reload within a few seconds" in result.output
    assert (tiny_dir / ".reload").exists()
    facts = tiny_dir / "printing-press" / "facts.yaml"
    facts.write_text(facts.read_text().replace("kind: year", "kind: yeer", 1))
    bad = runner.invoke(args=["content", "reload"])
    assert bad.exit_code == 1 and "keep the last good content" in bad.output


def test_preview_shows_every_item_and_card_with_its_passage(app: Flask) -> None:
    teacher = instructor(app)
    page = teacher.get("/instructor/preview/printing-press").get_data(as_text=True)
    assert "gutenberg-press:single" in page and "gutenberg-press:card" in page
    assert "method-proven:reason" in page and "“His Bible, printed in 1455”" in page
    # Each option says where it comes from and, for a distractor, why it is wrong.
    assert "distractor from <code>method-proven#distractor-" in page
    assert "the note places the Bible in Mainz" in page


def seeded_class(app: Flask) -> tuple[FlaskClient, dict[str, float]]:
    """Two students: Ana answers the first question right, "=Eve" (a hostile name) none."""
    percents = {}
    for email, name, right in (
        ("ana@example.org", "Ana Lima", True),
        ("eve@example.org", "=Eve Hack", False),
    ):
        c = app.test_client()
        register(c, email, name)
        aid = start(c)
        qs = items(app, aid)
        if right:
            c.post(f"/quiz/attempt/{aid}/1", data={**right_form(qs[0]), "action": "save"})
        c.post(f"/quiz/attempt/{aid}/submit")
        with app.app_context():
            percents[name] = db.session.get(Attempt, aid).percent
    return instructor(app), percents


def test_every_export_reads_back(app: Flask, tmp_path: Path) -> None:
    import csv
    import io
    import json
    import sqlite3
    import zipfile

    import openpyxl

    from quizapp.bank import load_content
    from quizapp.importers.gift import gift_to_content, write_content

    teacher, percents = seeded_class(app)
    get = lambda kind: teacher.get(f"/instructor/exports/{kind}")  # noqa: E731

    scores = list(csv.reader(io.StringIO(get("scores").get_data(as_text=True))))
    header = scores[0]
    rows = {(r[header.index("Name")], r[header.index("Quiz ID")]): r for r in scores[1:]}
    ana = rows[("Ana Lima", "invention-quiz")]
    assert float(ana[header.index("Grade %")]) == percents["Ana Lima"] == 33.33
    first = ana[header.index("First attempt (UTC)")]
    assert ana[header.index("Attempts")] == "1" and first.endswith("Z")
    assert ("'=Eve Hack", "invention-quiz") in rows, "formula injection neutralized"
    assert rows[("Ana Lima", "final")][header.index("Attempts")] == "0"

    moodle = list(csv.reader(io.StringIO(get("moodle").get_data(as_text=True))))
    assert moodle[0][:6] == [
        "First name",
        "Last name",
        "ID number",
        "Institution",
        "Department",
        "Email address",
    ]
    assert (
        "Quiz: The invention (Real)" in moodle[0]
        and moodle[0][-1] == "Last downloaded from this course"
    )
    assert moodle[1][-1].isdigit()
    canvas = list(csv.reader(io.StringIO(get("canvas").get_data(as_text=True))))
    assert canvas[0][:5] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
    assert canvas[1][0] == "    Points Possible"

    book = openpyxl.load_workbook(io.BytesIO(get("xlsx").get_data()))
    assert book.sheetnames == ["Scores", "Item analysis"]
    assert book["Item analysis"].max_row > 1

    attempts = json.loads(get("json").get_data(as_text=True))
    assert len(attempts) == 2 and all(len(a["responses"]) == 3 for a in attempts)

    imported, errors = gift_to_content(get("gift").get_data(as_text=True), "bank.gift")
    assert errors == [] and imported.facts
    write_content(imported, tmp_path / "reimported", "reimported", "Reimported")
    assert load_content(tmp_path / "reimported").ok

    guids = []
    for _ in range(2):
        with zipfile.ZipFile(io.BytesIO(get("anki").get_data())) as z:
            db_path = tmp_path / "collection.anki2"
            db_path.write_bytes(z.read("collection.anki2"))
        with sqlite3.connect(db_path) as conn:
            guids.append(sorted(g for (g,) in conn.execute("SELECT guid FROM notes")))
    assert guids[0] == guids[1] and len(guids[0]) == 19, "stable GUIDs: re-import updates"


def test_cli_exports_write_the_same_files_as_the_web(app: Flask, tmp_path: Path) -> None:
    teacher, _ = seeded_class(app)
    runner = app.test_cli_runner()
    for args, kind in ((["scores"], "scores"), (["gradebook", "--format", "canvas"], "canvas")):
        out = tmp_path / f"{kind}.csv"
        result = runner.invoke(args=["export", *args, "-o", str(out)])
        assert result.exit_code == 0, result.output
        assert out.read_bytes() == teacher.get(f"/instructor/exports/{kind}").get_data()
    for kind in ("xlsx", "json", "gift", "anki"):
        out = tmp_path / f"out.{kind}"
        assert runner.invoke(args=["export", kind, "-o", str(out)]).exit_code == 0
        assert out.stat().st_size > 0


def test_import_gift_cli(app: Flask, tmp_path: Path) -> None:
    from quizapp.bank import load_content

    gift = tmp_path / "quiz.gift"
    gift.write_text(
        "// a small bank\n$CATEGORY: $course$/History\n\n"
        "::q1:: Who printed the first Bible with movable type? {=Gutenberg ~Caxton ~Manutius}\n\n"
        "::q2:: Venice was a printing centre. {T}\n\n"
        "::broken:: What is missing? {=answer\n"
    )
    result = app.test_cli_runner().invoke(
        args=["import", "gift", str(gift), "-o", str(tmp_path / "out")]
    )
    assert result.exit_code == 1 and "quiz.gift:8:" in result.output
    assert "Imported 2 facts" in result.output
    assert load_content(tmp_path / "out").ok


def test_class_memory_puts_what_the_class_forgets_first(app: Flask) -> None:
    from datetime import UTC, datetime, timedelta

    from quizapp.cards import load_state, record_review, settings_for
    from quizapp.content import snapshot
    from quizapp.instructor import class_memory
    from quizapp.models import User

    for email in ("a@example.org", "b@example.org"):
        register(app.test_client(), email, email[0])
    t0 = datetime(2026, 1, 5, 12, tzinfo=UTC)
    with app.app_context():
        for user in db.session.execute(db.select(User)).scalars():
            settings = settings_for(user)
            for card_id in ("bible-year:card", "manutius:card"):
                record_review(user.id, "printing-press", card_id, 4, t0, settings, 0)
            state = load_state(user.id, "printing-press", "bible-year:card")
            record_review(user.id, "printing-press", "bible-year:card", 1, state.due, settings, 1)
        rows = class_memory(snapshot().bank("printing-press"), t0 + timedelta(days=30))
        assert rows[0].card_id == "bible-year:card" and rows[0].students == 2
        assert rows[0].lapse_rate == 1.0
        manutius = next(r for r in rows if r.card_id == "manutius:card")
        assert (
            manutius.lapse_rate is None
            and manutius.mean_retrievability > rows[0].mean_retrievability
        )
        assert rows[-1].students == 0, "unstudied cards come last"
