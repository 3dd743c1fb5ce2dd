"""Graded quizzes (issue 11): exact marks, grace period, question states, review options,
flags, reports, manual overrides and regrades."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from quizapp import marks
from quizapp.bank import Item, load_content
from quizapp.bank.model import REVIEW_MOMENTS, ReviewOptions
from quizapp.extensions import db
from quizapp.models import Attempt, MarkChange, QuestionReport, ResponseRow, utcnow
from quizapp.quiz import GRACE, is_blank, question_state, review_moment

from .conftest import make_app
from .helpers import register, right_form, wrong_form
from .test_instructor import instructor
from .test_quiz import attempt, items, start

ESSAY = "printing-press"


@pytest.fixture
def app(tmp_path: Path, tiny_dir: Path) -> Flask:
    return make_app(tmp_path, tiny_dir, WTF_CSRF_ENABLED=False, CONTENT_CHECK_INTERVAL=0)


def edit(tiny_dir: Path, name: str, old: str, new: str) -> None:
    path = tiny_dir / ESSAY / name
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def reload(app: Flask) -> None:
    with app.app_context():
        app.extensions["content"].reload()
        assert not app.extensions["content"].errors, app.extensions["content"].errors


def student(app: Flask, email: str, name: str) -> FlaskClient:
    client = app.test_client()
    register(client, email, name)
    return client


# --- exact marks -------------------------------------------------------------------------


def test_marks_are_exact_and_rounded_once_half_up() -> None:
    assert marks.round_mark(Fraction(85, 6), 2) == Decimal("14.17")  # 14.1666...
    assert marks.round_mark(Fraction(1, 8), 2) == Decimal("0.13")  # a tie goes up
    assert marks.round_mark(Fraction(5, 8), 2) == Decimal("0.63")  # not to even (0.62)
    assert marks.round_mark(Fraction(-1, 8), 2) == Decimal("-0.13")
    assert marks.round_mark(Fraction(2, 3), 0) == Decimal("1")
    assert marks.round_mark(Fraction(1, 3), 4) == Decimal("0.3333")
    assert marks.text(Decimal("14.00")) == "14" and marks.text(Decimal("14.10")) == "14.1"
    assert marks.from_float(2 / 3) == Fraction(2, 3)
    assert marks.from_float(1 / 3 + 1 / 3 + 1 / 3) == 1
    # three thirds add up to exactly one; floats rounded to 4 places would not
    assert sum([Fraction(1, 3)] * 3) == 1 and round(0.3333 * 3, 4) != 1
    assert marks.combine("average", [Fraction(1, 3), Fraction(2, 3)]) == Fraction(1, 2)
    assert marks.combine("highest", [Fraction(1, 3), Fraction(2, 3)]) == Fraction(2, 3)
    assert marks.parse("85/6") == Fraction(85, 6)
    assert marks.parse(None, 0.5) == Fraction(1, 2)


def test_an_attempt_stores_its_exact_total(app: Flask, client: FlaskClient) -> None:
    register(client)
    aid = start(client, "final")
    for n, item in enumerate(items(app, aid), 1):
        form = right_form(item)
        if item.type in ("matching", "evidence_matching") and len(item.answer) == 3:
            form["match-2"] = str((item.answer[2] + 1) % len(item.options))  # 2 of 3 right
        client.post(f"/quiz/attempt/{aid}/{n}", data={**form, "action": "save"})
    client.post(f"/quiz/attempt/{aid}/submit")
    a = attempt(app, aid)
    with app.app_context():
        rows = db.session.execute(db.select(ResponseRow).filter_by(attempt_id=aid)).scalars().all()
        assert sum((r.exact_points for r in rows), Fraction(0)) == a.exact_points
    assert a.shown_points == marks.round_mark(a.exact_points, 2)
    review = client.get(f"/quiz/attempt/{aid}/review").get_data(as_text=True)
    assert f"{marks.text(a.shown_points)} / 9" in review


# --- bugs 1, 2, 3, 6 on the server --------------------------------------------------------


def test_an_empty_check_is_refused_and_nothing_is_locked(app: Flask, client: FlaskClient) -> None:
    register(client)
    aid = start(client)
    qs = items(app, aid)
    cloze = next(q for q in qs if q.type == "cloze")
    choice = next(q for q in qs if q.type == "single")
    assert is_blank(cloze, ("",)) and not is_blank(cloze, ("x",))
    assert is_blank(choice, ()) and not is_blank(choice, (0,))
    for n in range(1, 4):
        r = client.post(f"/quiz/attempt/{aid}/{n}", data={"action": "check"}, follow_redirects=True)
        assert "Choose or type an answer before checking it" in r.get_data(as_text=True)
    with app.app_context():
        assert db.session.execute(db.select(ResponseRow).filter_by(locked=True)).first() is None
    client.post(f"/quiz/attempt/{aid}/1", data={**right_form(qs[0]), "action": "check"})
    with app.app_context():
        row = db.session.execute(db.select(ResponseRow).filter_by(position=0)).scalar_one()
        assert row.locked and row.points == 1.0


def _deadline_in(app: Flask, aid: int, delta: timedelta) -> None:
    with app.app_context():
        a = db.session.get(Attempt, aid)
        a.deadline = utcnow() + delta
        db.session.commit()


def test_a_save_within_the_grace_period_counts_and_ends_the_attempt(
    app: Flask, client: FlaskClient
) -> None:
    register(client)
    aid = start(client, "final")
    qs = items(app, aid)
    _deadline_in(app, aid, -timedelta(seconds=10))  # 10 s late: within the grace period
    r = client.post(f"/quiz/attempt/{aid}/1", data={**right_form(qs[0]), "action": "timeout"})
    assert r.headers["Location"].endswith(f"/quiz/attempt/{aid}/review")
    a = attempt(app, aid)
    assert a.finished and a.exact_points == 1


def test_a_save_after_the_grace_period_never_counts(app: Flask, client: FlaskClient) -> None:
    register(client)
    aid = start(client, "final")
    qs = items(app, aid)
    _deadline_in(app, aid, -(GRACE + timedelta(seconds=1)))
    r = client.post(f"/quiz/attempt/{aid}/1", data={**right_form(qs[0]), "action": "timeout"})
    assert r.headers["Location"].endswith(f"/quiz/attempt/{aid}/review")
    a = attempt(app, aid)
    assert a.finished and a.exact_points == 0 and a.submitted_at == a.deadline


def test_a_page_after_the_deadline_gives_no_grace(app: Flask, client: FlaskClient) -> None:
    register(client)
    aid = start(client, "final")
    _deadline_in(app, aid, -timedelta(seconds=1))
    assert client.get(f"/quiz/attempt/{aid}/1").headers["Location"].endswith("/review")
    assert attempt(app, aid).finished


def test_question_states() -> None:
    def row(answer: object, locked: bool = False, mark: str | None = None) -> ResponseRow:
        return ResponseRow(answer=answer, locked=locked, mark=mark)

    assert question_state(None, False) == ["not answered"]
    assert question_state(row([]), True) == ["not answered", "flagged"]
    assert question_state(row([""]), False) == ["not answered"]
    assert question_state(row([None, None]), False) == ["not answered"]
    assert question_state(row([1]), False) == ["answered"]
    assert question_state(row([1], True, "1"), False) == ["checked: right"]
    assert question_state(row([1, None], True, "1/2"), False) == ["checked: partly right"]
    assert question_state(row([0], True, "0"), True) == ["checked: wrong", "flagged"]
    assert question_state(row([0], True, "0"), False, show_marks=False) == ["checked"]


def test_a_refused_save_never_says_saved(app: Flask, client: FlaskClient) -> None:
    register(client)
    aid = start(client)
    qs = items(app, aid)
    client.post(f"/quiz/attempt/{aid}/1", data={**right_form(qs[0]), "action": "check"})
    r = client.post(
        f"/quiz/attempt/{aid}/1",
        data={**wrong_form(qs[0]), "action": "save"},
        follow_redirects=True,
    )
    page = r.get_data(as_text=True)
    assert "Answer saved" not in page and "already checked" in page


@pytest.mark.parametrize(
    "action",
    ["goto-²", "goto-٣", "goto-99999999999999999999", "goto-", "bogus", "\x00", "x" * 5000],
)
def test_crafted_actions_answer_400(app: Flask, client: FlaskClient, action: str) -> None:
    register(client)
    aid = start(client)
    assert client.post(f"/quiz/attempt/{aid}/1", data={"action": action}).status_code == 400


def test_huge_ids_answer_400(app: Flask, client: FlaskClient) -> None:
    register(client)
    big = 2**63
    for url in (
        f"/quiz/attempt/{big}/1",
        f"/quiz/attempt/{big}/summary",
        f"/quiz/attempt/{big}/review",
    ):
        assert client.get(url).status_code == 400, url
    for url in (
        f"/quiz/attempt/{big}/1",
        f"/quiz/attempt/{big}/submit",
        f"/quiz/attempt/{big}/report/1",
    ):
        assert client.post(url, data={"action": "save", "note": "x"}).status_code == 400, url
    teacher = instructor(app)
    assert teacher.get(f"/instructor/students/{big}").status_code == 400
    assert teacher.post(f"/instructor/reports/{big}/resolve").status_code == 400
    assert teacher.post(f"/instructor/attempts/{big}/override/1").status_code == 400
    assert teacher.get(f"/instructor/students/{2**31 - 1}").status_code == 404
    assert teacher.get(f"/instructor/students/{2**31}").status_code == 400


# --- flags ---------------------------------------------------------------------------------


def test_a_flag_toggles_and_shows_on_the_summary(app: Flask, client: FlaskClient) -> None:
    register(client)
    aid = start(client)
    qs = items(app, aid)
    client.post(f"/quiz/attempt/{aid}/2", data={**right_form(qs[1]), "action": "flag"})
    summary = client.get(f"/quiz/attempt/{aid}/summary").get_data(as_text=True)
    assert 'data-state="answered,flagged"' in summary and "⚑ Flagged" in summary
    page = client.get(f"/quiz/attempt/{aid}/2").get_data(as_text=True)
    assert "Remove flag" in page and "Question 2, answered, flagged" in page
    # unflag: the button sends the page's answer along, as every button of the form does
    client.post(f"/quiz/attempt/{aid}/2", data={**right_form(qs[1]), "action": "flag"})
    summary = client.get(f"/quiz/attempt/{aid}/summary").get_data(as_text=True)
    assert 'data-state="answered"' in summary and "⚑ Flagged" not in summary


# --- review options ------------------------------------------------------------------------

T0 = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)


def test_the_four_review_moments() -> None:
    assert review_moment(None, T0, closes=None, no_attempts_left=False) == "during"
    after = T0 + timedelta(seconds=30)
    assert review_moment(T0, after, closes=None, no_attempts_left=False) == "immediately"
    later = T0 + timedelta(minutes=5)
    assert review_moment(T0, later, closes=None, no_attempts_left=False) == "later"
    assert review_moment(T0, later, closes=later + timedelta(days=1), no_attempts_left=False) == (
        "later"
    )
    assert review_moment(T0, later, closes=later, no_attempts_left=False) == "after_close"
    assert review_moment(T0, after, closes=None, no_attempts_left=True) == "after_close"


def test_default_review_options() -> None:
    practice = ReviewOptions.default("immediate")
    assert all(practice.at(m) == {"marks", "right_answers", "feedback"} for m in REVIEW_MOMENTS)
    graded = ReviewOptions.default("deferred")
    assert graded.immediately == graded.later == {"marks"}
    assert graded.after_close == {"marks", "right_answers", "feedback"}
    with pytest.raises(ValueError):
        graded.at("tomorrow")


REVIEW_YAML = """  review:
    during: [marks]
    immediately: []
    later: [marks, feedback]
    after_close: [marks, right_answers, feedback]
"""


def test_review_options_are_read_from_quizzes_yaml(tiny_dir: Path) -> None:
    edit(
        tiny_dir, "quizzes.yaml", "  feedback: immediate\n", "  feedback: immediate\n" + REVIEW_YAML
    )
    edit(
        tiny_dir,
        "quizzes.yaml",
        "  time_limit: 10\n",
        "  time_limit: 10\n  decimals: 3\n  closes: 2027-01-15T18:00:00Z\n",
    )
    result = load_content(tiny_dir)
    assert result.ok, result.errors
    invention, final = result.essays[ESSAY].quizzes
    assert invention.review_options == ReviewOptions(
        frozenset({"marks"}),
        frozenset(),
        frozenset({"marks", "feedback"}),
        frozenset({"marks", "right_answers", "feedback"}),
    )
    assert final.review is None and final.review_options == ReviewOptions.default("deferred")
    assert final.decimals == 3 and final.closes == datetime(2027, 1, 15, 18, tzinfo=UTC)


def _with_review(app: Flask, tiny_dir: Path, closes: str | None = None) -> None:
    edit(
        tiny_dir, "quizzes.yaml", "  feedback: immediate\n", "  feedback: immediate\n" + REVIEW_YAML
    )
    if closes:
        edit(tiny_dir, "quizzes.yaml", "  attempts: 2\n", f"  attempts: 2\n  closes: {closes}\n")
    reload(app)


def _age(app: Flask, aid: int, by: timedelta) -> None:
    with app.app_context():
        a = db.session.get(Attempt, aid)
        a.submitted_at -= by
        db.session.commit()


def test_review_during_the_attempt(app: Flask, client: FlaskClient, tiny_dir: Path) -> None:
    _with_review(app, tiny_dir)
    register(client)
    aid = start(client)
    qs = items(app, aid)
    client.post(f"/quiz/attempt/{aid}/1", data={**wrong_form(qs[0]), "action": "check"})
    page = client.get(f"/quiz/attempt/{aid}/1").get_data(as_text=True)
    assert "✗ Incorrect" in page  # marks: yes
    assert "right answer</span>" not in page and "option-right" not in page  # right answers: no
    assert 'class="passage"' not in page  # feedback: no


def _submitted_wrong(app: Flask, client: FlaskClient) -> int:
    register(client)
    aid = start(client)
    for n, item in enumerate(items(app, aid), 1):
        client.post(f"/quiz/attempt/{aid}/{n}", data={**wrong_form(item), "action": "save"})
    client.post(f"/quiz/attempt/{aid}/submit")
    return aid


def test_review_immediately_after(app: Flask, client: FlaskClient, tiny_dir: Path) -> None:
    _with_review(app, tiny_dir)
    aid = _submitted_wrong(app, client)
    page = client.get(f"/quiz/attempt/{aid}/review").get_data(as_text=True)
    assert "Incorrect" not in page and "/ 3" not in page and "Marks are shown later" in page
    assert "The right answer</p>" not in page and 'class="passage"' not in page


def test_review_later_while_open(app: Flask, client: FlaskClient, tiny_dir: Path) -> None:
    _with_review(app, tiny_dir)
    aid = _submitted_wrong(app, client)
    _age(app, aid, timedelta(minutes=3))
    page = client.get(f"/quiz/attempt/{aid}/review").get_data(as_text=True)
    assert "✗ Incorrect" in page and "0 / 3" in page
    assert 'class="passage"' in page  # feedback
    assert "The right answer</p>" not in page


def test_review_after_close(app: Flask, client: FlaskClient, tiny_dir: Path) -> None:
    closes = (utcnow() + timedelta(minutes=30)).strftime("%Y-%m-%dT%H:%M:%SZ")
    _with_review(app, tiny_dir, closes)
    aid = _submitted_wrong(app, client)
    _age(app, aid, timedelta(minutes=3))
    assert "The right answer</p>" not in client.get(f"/quiz/attempt/{aid}/review").get_data(
        as_text=True
    )
    # The quiz closes: no new attempt, and the review shows everything.
    past = (utcnow() - timedelta(minutes=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    edit(tiny_dir, "quizzes.yaml", f"closes: {closes}", f"closes: {past}")
    reload(app)
    page = client.get(f"/quiz/attempt/{aid}/review").get_data(as_text=True)
    assert "The right answer</p>" in page and 'class="passage"' in page and "0 / 3" in page
    r = client.post(f"/quiz/{ESSAY}/invention-quiz/start", follow_redirects=True)
    assert "This quiz is closed." in r.get_data(as_text=True)


def test_review_after_the_last_attempt(app: Flask, client: FlaskClient, tiny_dir: Path) -> None:
    _with_review(app, tiny_dir)
    first = _submitted_wrong(app, client)
    _age(app, first, timedelta(minutes=3))
    second = start(client)
    client.post(f"/quiz/attempt/{second}/submit")  # the second of 2 attempts
    page = client.get(f"/quiz/attempt/{first}/review").get_data(as_text=True)
    assert "The right answer</p>" in page


LOADER_CASES = [
    ("review:\n    later: [marks, answers]", "unknown review option 'answers' for 'later'"),
    (
        "review:\n    afterclose: [marks]",
        "unknown review moment 'afterclose'; did you mean 'after_close'?",
    ),
    ("review: all", "'review' must map moments to what is shown"),
    ("decimals: 9", "'decimals' must be at most 5, not 9"),
    ("closes: next week", "'closes' must be a date and time with its time zone, not 'next week'"),
    ("closes: 2027-01-15 18:00", "'closes' must be a date and time with its time zone"),
]


@pytest.mark.parametrize(("yaml", "message"), LOADER_CASES)
def test_review_settings_errors_name_file_and_line(tiny_dir: Path, yaml: str, message: str) -> None:
    edit(tiny_dir, "quizzes.yaml", "  attempts: 2\n", f"  attempts: 2\n  {yaml}\n")
    lines = (tiny_dir / ESSAY / "quizzes.yaml").read_text().splitlines()
    first_word = yaml.split(":")[0].split("\n")[0]
    line = next(i for i, text in enumerate(lines, 1) if text.strip().startswith(first_word))
    if "\n" in yaml:
        line += 1
    result = load_content(tiny_dir)
    rendered = [str(e) for e in result.errors]
    assert any(r.startswith(f"content/{ESSAY}/quizzes.yaml:{line}: {message}") for r in rendered), (
        rendered
    )


# --- reports -------------------------------------------------------------------------------


def test_reports_reach_the_instructors_queue_and_no_other_student(
    app: Flask, client: FlaskClient
) -> None:
    aid = _submitted_wrong(app, client)
    qs = items(app, aid)
    r = client.post(f"/quiz/attempt/{aid}/report/2", data={"note": "Two options are both right"})
    assert r.status_code == 302
    assert client.post(f"/quiz/attempt/{aid}/report/2", data={"note": " "}).status_code == 302
    assert client.post(f"/quiz/attempt/{aid}/report/9", data={"note": "x"}).status_code == 404
    other = student(app, "eve@example.org", "Eve")
    assert other.post(f"/quiz/attempt/{aid}/report/1", data={"note": "spam"}).status_code == 404
    assert other.get(f"/quiz/attempt/{aid}/review").status_code == 404
    assert other.get("/instructor/reports").status_code == 403
    assert client.get("/instructor/reports").status_code == 403
    with app.app_context():
        (report,) = db.session.execute(db.select(QuestionReport)).scalars().all()
        assert report.item_id == qs[1].id and report.position == 1
        report_id = report.id
    teacher = instructor(app)
    queue = teacher.get("/instructor/reports").get_data(as_text=True)
    assert "Two options are both right" in queue and qs[1].id in queue
    assert qs[1].prompt.split("_____")[0][:30] in queue.replace("&#39;", "'")
    assert qs[1].sources[0].quote[:20] in queue.replace("&#39;", "'")  # the item's source
    assert "The student&#39;s answer" in queue or "The student's answer" in queue
    by_item = teacher.get(f"/instructor/reports?item={qs[0].id}").get_data(as_text=True)
    assert "Two options are both right" not in by_item
    assert other.post(f"/instructor/reports/{report_id}/resolve").status_code == 403
    teacher.post(f"/instructor/reports/{report_id}/resolve")
    assert "Two options are both right" not in teacher.get("/instructor/reports").get_data(
        as_text=True
    )
    assert "Two options are both right" in teacher.get("/instructor/reports?show=all").get_data(
        as_text=True
    )
    review = client.get(f"/quiz/attempt/{aid}/review").get_data(as_text=True)
    assert "an instructor has dealt with it" in review


# --- overrides -----------------------------------------------------------------------------


def _scores(teacher: FlaskClient) -> dict[str, list[str]]:
    rows = list(
        csv.reader(io.StringIO(teacher.get("/instructor/exports/scores").get_data(as_text=True)))
    )
    return {r[1] + "/" + r[3]: r for r in rows[1:]} | {"header": rows[0]}


def test_an_override_is_kept_shown_and_exported(app: Flask, client: FlaskClient) -> None:
    aid = _submitted_wrong(app, client)
    teacher = instructor(app)
    assert (
        client.post(
            f"/instructor/attempts/{aid}/override/3", data={"mark": "1", "comment": "x"}
        ).status_code
        == 403
    )
    r = teacher.post(
        f"/instructor/attempts/{aid}/override/3",
        data={"mark": "0.5", "comment": "Half right: the spelling was close."},
    )
    assert r.status_code == 302
    from quizapp.instructor import parse_mark

    assert parse_mark("1/3", 1.0) == Fraction(1, 3) and parse_mark("0,75", 1.0) == Fraction(3, 4)
    for text in ("1e99999999", "-1", "1.5", "1/0", "", "nan", "²", None):
        assert parse_mark(text, 1.0) is None, text
    for bad in (
        {"mark": "2", "comment": "too much"},
        {"mark": "x", "comment": "c"},
        {"mark": "1", "comment": ""},
    ):
        teacher.post(f"/instructor/attempts/{aid}/override/3", data=bad)
    a = attempt(app, aid)
    assert a.exact_points == Fraction(1, 2) and a.percent == 16.67
    with app.app_context():
        (change,) = db.session.execute(db.select(MarkChange)).scalars().all()
        assert (change.kind, change.old_mark, change.new_mark) == ("override", "0", "1/2")
        assert change.changed_by is not None and change.changed_at is not None
    review = client.get(f"/quiz/attempt/{aid}/review").get_data(as_text=True)
    assert (
        "Comment from your instructor" in review and "Half right: the spelling was close." in review
    )
    assert "0.5 / 3" in review
    teacher_view = teacher.get(f"/quiz/attempt/{aid}/review").get_data(as_text=True)
    assert "Mark history (1)" in teacher_view and "Ms Teach" in teacher_view
    scores = _scores(teacher)
    row = scores["ada@example.org/invention-quiz"]
    assert row[scores["header"].index("Points")] == "0.5"
    assert row[scores["header"].index("Grade %")] == "16.67"
    records = json.loads(teacher.get("/instructor/exports/json").get_data(as_text=True))
    assert records[0]["points"] == 0.5
    assert records[0]["responses"][2]["override_comment"] == "Half right: the spelling was close."


# --- regrades ------------------------------------------------------------------------------


def _cloze_fact(item: Item) -> str:
    return item.origin.ids[0]


def test_regrade_dry_run_apply_and_repeat(app: Flask, tiny_dir: Path) -> None:
    ana = student(app, "ana@example.org", "Ana")
    ben = student(app, "ben@example.org", "Ben")
    attempts = {}
    for client, right in ((ana, False), (ben, True)):
        aid = start(client)
        for n, item in enumerate(items(app, aid), 1):
            if item.type == "cloze":
                form = right_form(item) if right else {"blank-0": "Mogontiacum"}
            else:
                form = right_form(item)
            client.post(f"/quiz/attempt/{aid}/{n}", data={**form, "action": "save"})
        client.post(f"/quiz/attempt/{aid}/submit")
        attempts[client] = aid
    cloze = next(i for i in items(app, attempts[ana]) if i.type == "cloze")
    assert attempt(app, attempts[ana]).exact_points == 2
    # A new accepted answer for the cloze's fact.
    facts = tiny_dir / ESSAY / "facts.yaml"
    lines = facts.read_text().splitlines()
    at = lines.index(f"- id: {_cloze_fact(cloze)}") + 2
    lines[at] = re.sub(r"\{\{([^}]*)\}\}", r"{{\1|Mogontiacum}}", lines[at], count=1)
    facts.write_text("\n".join(lines) + "\n")
    reload(app)

    def snapshot_rows() -> list[tuple[object, ...]]:
        with app.app_context():
            return [
                (
                    a.id,
                    a.mark,
                    a.max_points,
                    json.dumps(a.questions),
                    tuple(r.mark for r in a.responses),
                )
                for a in db.session.execute(db.select(Attempt).order_by(Attempt.id)).scalars()
            ]

    before = snapshot_rows()
    runner = app.test_cli_runner()
    dry = runner.invoke(args=["attempts", "regrade", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert (
        f"attempt {attempts[ana]} (ana@example.org" in dry.output
        and "2/3 -> 3/3 (+1)" in dry.output
    )
    assert "ben@example.org" not in dry.output and "nothing was changed" in dry.output
    assert snapshot_rows() == before, "a dry run changes nothing"

    teacher = instructor(app)
    page = teacher.get("/instructor/regrade").get_data(as_text=True)
    assert (
        f'data-attempt="{attempts[ana]}"' in page and f'data-attempt="{attempts[ben]}"' not in page
    )
    assert teacher.get(f"/instructor/regrade?essay={ESSAY}&quiz=nope").status_code == 404
    r = teacher.post("/instructor/regrade", data={"essay": ESSAY, "quiz": "invention-quiz"})
    assert r.status_code == 302
    after = snapshot_rows()
    changed = {b[0] for b, a in zip(before, after, strict=True) if b != a}
    assert changed == {attempts[ana]}, "exactly the listed attempt"
    assert attempt(app, attempts[ana]).exact_points == 3
    with app.app_context():
        (change,) = db.session.execute(db.select(MarkChange)).scalars().all()
        assert (change.kind, change.old_mark, change.new_mark) == ("regrade", "0", "1")
    review = ana.get(f"/quiz/attempt/{attempts[ana]}/review").get_data(as_text=True)
    assert "3 / 3" in review

    again = runner.invoke(args=["attempts", "regrade"])
    assert "No attempt's mark changes." in again.output
    assert snapshot_rows() == after, "running it twice changes nothing more"


def test_regrade_removes_retired_items_and_keeps_overrides(app: Flask, tiny_dir: Path) -> None:
    ana = student(app, "ana@example.org", "Ana")
    aid = start(ana)
    qs = items(app, aid)
    for n, item in enumerate(qs, 1):
        ana.post(f"/quiz/attempt/{aid}/{n}", data={**right_form(item), "action": "save"})
    ana.post(f"/quiz/attempt/{aid}/submit")
    teacher = instructor(app)
    teacher.post(f"/instructor/attempts/{aid}/override/1", data={"mark": "0.25", "comment": "c"})
    assert attempt(app, aid).exact_points == Fraction(9, 4)
    # The other facts of the invention topic get new ids: their items are retired.
    kept = qs[0].origin.ids[0]
    for fact in {"gutenberg-press", "press-town", "bible-year"} - {kept}:
        edit(tiny_dir, "facts.yaml", f"- id: {fact}\n", f"- id: {fact}-v2\n")
    reload(app)
    out = app.test_cli_runner().invoke(args=["attempts", "regrade", "--essay", ESSAY])
    assert out.exit_code == 0, out.output
    assert "-> removed" in out.output
    a = attempt(app, aid)
    retired = [bool(q.get("retired")) for q in a.questions]
    assert retired[0] is False and sum(retired) == sum(1 for q in qs if q.origin.ids[0] != kept)
    assert a.max_points == 3 - sum(retired)
    assert a.exact_points == Fraction(1, 4) + (3 - sum(retired) - 1), "the override stands"
    review = ana.get(f"/quiz/attempt/{aid}/review").get_data(as_text=True)
    assert "it no longer counts" in review
    assert (
        "No attempt's mark changes."
        in app.test_cli_runner().invoke(args=["attempts", "regrade"]).output
    )


# --- item analysis -------------------------------------------------------------------------


def test_item_analysis_shows_each_questions_text_preview_and_reports(
    app: Flask, client: FlaskClient
) -> None:
    aid = _submitted_wrong(app, client)
    qs = items(app, aid)
    client.post(f"/quiz/attempt/{aid}/report/1", data={"note": "Unclear wording"})
    teacher = instructor(app)
    page = teacher.get(f"/instructor/analysis/{ESSAY}/invention-quiz").get_data(as_text=True)
    page = page.replace("&#39;", "'").replace("&#34;", '"').replace("&amp;", "&")
    page = page.replace("%3A", ":")
    for item in qs:
        assert item.prompt in page, item.prompt
        assert f"/instructor/preview/{ESSAY}?item={item.id}" in page
        assert f"/instructor/reports?item={item.id}" in page
    assert "1 report<" in page
    one = teacher.get(f"/instructor/preview/{ESSAY}?item={qs[0].id}").get_data(as_text=True)
    assert 'id="focus"' in one and qs[0].id in one
    assert teacher.get(f"/instructor/preview/{ESSAY}?item=nope").status_code == 404


def test_a_stale_regrade_plan_is_not_applied(app: Flask, tiny_dir: Path) -> None:
    from quizapp.content import snapshot
    from quizapp.regrade import apply_regrade, override_mark, plan_regrade

    ana = student(app, "ana@example.org", "Ana")
    aid = start(ana)
    for n, item in enumerate(items(app, aid), 1):
        form = {"blank-0": "Mogontiacum"} if item.type == "cloze" else right_form(item)
        ana.post(f"/quiz/attempt/{aid}/{n}", data={**form, "action": "save"})
    ana.post(f"/quiz/attempt/{aid}/submit")
    cloze = next(i for i in items(app, aid) if i.type == "cloze")
    facts = tiny_dir / ESSAY / "facts.yaml"
    lines = facts.read_text().splitlines()
    at = lines.index(f"- id: {_cloze_fact(cloze)}") + 2
    lines[at] = re.sub(r"\{\{([^}]*)\}\}", r"{{\1|Mogontiacum}}", lines[at], count=1)
    facts.write_text("\n".join(lines) + "\n")
    reload(app)
    with app.app_context():
        plan = plan_regrade(snapshot().essays)
        assert [c.attempt_id for c in plan] == [aid]
        a = db.session.get(Attempt, aid)
        position = next(i for i, q in enumerate(a.questions) if q["type"] == "cloze")
        override_mark(a, position, Fraction(1, 2), "half", 1, utcnow())  # in between
        assert apply_regrade(plan, utcnow(), None) == 0, "a stale plan writes nothing"
        assert db.session.get(Attempt, aid).exact_points == Fraction(5, 2)
        assert plan_regrade(snapshot().essays) == [], "the override stands"


# --- crafted values on this forms ----------------------------------------------------


def test_crafted_values_on_the_graded_quiz_forms_never_give_a_500(
    app: Flask, client: FlaskClient
) -> None:
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    aid = _submitted_wrong(app, client)
    open_attempt = start(client)
    teacher = instructor(app)
    client.post(f"/quiz/attempt/{aid}/report/1", data={"note": "seed report"})
    values = st.one_of(
        st.text(max_size=40),
        st.sampled_from(["goto-²", "goto-0", "1e999999", "-0", "NaN", "1/0", "\x00", "０"]),
        st.text(min_size=1001, max_size=1200),
    )

    @settings(
        max_examples=40,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(a=values, b=values)
    def posts(a: str, b: str) -> None:
        for who, url, data in (
            (client, f"/quiz/attempt/{open_attempt}/1", {"action": a, "choice": b, "blank-0": b}),
            (client, f"/quiz/attempt/{open_attempt}/1", {"action": "flag", "pos-0": a}),
            (client, f"/quiz/attempt/{aid}/report/1", {"note": a}),
            (teacher, f"/instructor/attempts/{aid}/override/1", {"mark": a, "comment": b}),
            (teacher, "/instructor/regrade", {"essay": a, "quiz": b}),
            (teacher, "/instructor/reports/1/resolve", {"x": a}),
        ):
            status = who.post(url, data=data).status_code
            assert status < 500, (url, data, status)
        for url in (f"/instructor/reports?item={a}&show={b}", f"/instructor/regrade?essay={a}"):
            assert teacher.get(url).status_code < 500, url

    posts()


def test_every_page_shows_the_grade_rounded_once_from_exact_marks() -> None:
    """Home, progress, the quiz and review pages share grade_of: exact, rounded once to the
    quiz's decimals (before, they averaged rounded percents and rounded again to 1 place)."""
    from types import SimpleNamespace

    from quizapp.models import grade_of

    one_third = SimpleNamespace(exact_points=Fraction(1), max_points=3.0, decimals=2)
    nothing = SimpleNamespace(exact_points=Fraction(0), max_points=3.0, decimals=2)
    assert grade_of("average", [one_third, nothing]) == 16.67  # not 16.7
    assert grade_of("highest", [one_third, nothing]) == 33.33
    assert grade_of("last", [one_third, nothing]) == 0.0
    assert grade_of("average", []) is None
