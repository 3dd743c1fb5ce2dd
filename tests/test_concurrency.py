"""Concurrency and crash safety of the real server (gunicorn via `quizapp serve`).

50 students at once, each in its own thread with its own cookie jar, go through the whole
app over HTTP with CSRF on: register, start a quiz (the start button pressed twice at once),
save answers (some changed, some double-submitted at once), submit (twice at once), then
review flashcards (some ratings double-submitted at once). Every request the server
acknowledged (2xx/3xx) is recorded; afterwards the database must hold each acknowledged
write exactly once, and no response may be a 5xx.

The crash test kills the server's whole process group (gunicorn master and workers) with
SIGKILL in the middle of the same load, restarts it on the same database, and checks
``PRAGMA integrity_check`` and that every write acknowledged before the kill is there.

Both run on SQLite (WAL) by default, and on PostgreSQL when DATABASE_URL points at one (see
conftest.py); the integrity check is SQLite's.

The last test seeds a small synthetic school with ``quizapp seed school --scale 0.001``.
"""

from __future__ import annotations

import html
import http.client
import http.cookiejar
import itertools
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskCliRunner
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from quizapp import grading
from quizapp.bank import Item

from . import liveserver
from .conftest import SHIPPED, fresh_database_url, make_app
from .helpers import right_form, wrong_form

pytestmark = pytest.mark.concurrency  # and so slow (conftest.py)

ESSAY = "printing-press"
QUIZ = "final"  # tiny essay: 9 questions, deferred feedback, unlimited attempts, 10 minutes
STUDENTS = 50
REVIEWS = 4  # flashcard ratings per student
PASSWORD = "correct horse battery"
JOIN_CODE = "LOADCLASS"  # the course every student joins (Server.make_course)
TIMEOUT = 60.0  # seconds for one request: 50 clients share 2 workers on 2 noisy cores
TOKEN = re.compile(r'<input[^>]*name="csrf_token"[^>]*value="([^"]+)"')
ATTEMPT_URL = re.compile(r"/quiz/attempt/(\d+)/(\d+)$")
SHOW_LINK = re.compile(r'id="show-answer" href="([^"]+)"')


# --- the server ---------------------------------------------------------------------------


class Database:
    """The server's database, read directly (SQLite file or PostgreSQL), one connection a
    query, so nothing stays open across a crash and a restart."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = create_engine(url, poolclass=NullPool)
        self.is_sqlite = self.engine.dialect.name == "sqlite"

    def query(self, sql: str, **params: object) -> list[tuple[Any, ...]]:
        with self.engine.connect() as conn:
            return [tuple(row) for row in conn.execute(text(sql), params)]

    def integrity_ok(self) -> bool:
        if not self.is_sqlite:
            return True  # PostgreSQL checks its own pages; nothing like it to ask for
        return self.query("PRAGMA integrity_check") == [("ok",)]


def as_json(value: Any) -> Any:
    """A JSON column's value: SQLite gives the text, PostgreSQL the decoded value."""
    return json.loads(value) if isinstance(value, str | bytes) else value


class Server:
    """`quizapp serve` in its own process group (gunicorn execs in place of the CLI)."""

    def __init__(self, db: Database, content_dir: Path, log_path: Path) -> None:
        self.db = db
        self.content_dir = content_dir
        self.log_path = log_path
        self.port = liveserver.free_port()
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        env = {
            **os.environ,
            "DATABASE_URL": self.db.url,
            "CONTENT_DIR": str(self.content_dir),
            "SECRET_KEY": "concurrency-test-key",
            # Each student comes from an address of its own (X-Forwarded-For, one proxy: the
            # test), as in a real class, not 50 sign-ups from one address.
            "QUIZAPP_PROXIES": "1",
        }
        self.proc = liveserver.serve(self.port, 2, env, self.log_path)

    def make_course(self) -> None:
        """The course the students join (every quiz assigned), made with the CLI."""
        env = {**os.environ, "DATABASE_URL": self.db.url, "CONTENT_DIR": str(self.content_dir),
               "SECRET_KEY": "concurrency-test-key"}  # fmt: skip
        subprocess.run(
            [sys.executable, "-c", "from quizapp.cli import main; main()", "courses", "create",
             "Load class", "--code", JOIN_CODE, "--assign-all"],
            env=env, check=True, capture_output=True,
        )  # fmt: skip

    def kill(self) -> None:
        """SIGKILL the master and every worker at once: no clean shutdown of anything."""
        if self.proc is None:
            return
        liveserver.stop(self.proc, signal.SIGKILL)
        self.proc = None

    def stop(self) -> None:
        if self.proc is None:
            return
        liveserver.stop(self.proc)
        self.proc = None


# --- the clients --------------------------------------------------------------------------


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None  # a 3xx is the acknowledgement itself: keep it, do not follow it


@dataclass
class Sent:
    """One request and what the server said (status None: no answer, e.g. killed)."""

    student: int
    kind: str  # register, start, save, submit, review, get
    key: tuple[Any, ...]
    payload: Any
    status: int | None
    location: str = ""
    seq: int = 0

    @property
    def acked(self) -> bool:
        return self.status is not None and 200 <= self.status < 400


class ServerGone(Exception):
    pass


@dataclass
class Load:
    """Everything all the clients sent, in one list (list.append is atomic)."""

    url: str
    db: Database
    sent: list[Sent] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)
    errors: list[str] = field(default_factory=list)
    _seq: Any = field(default_factory=itertools.count)

    def record(self, s: Sent) -> Sent:
        s.seq = next(self._seq)
        self.sent.append(s)
        return s

    def acked(self, kind: str) -> list[Sent]:
        return [s for s in self.sent if s.kind == kind and s.acked]


class Client:
    def __init__(self, load: Load, student: int) -> None:
        self.load = load
        self.student = student
        self.email = f"student{student:03d}@example.org"
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), _NoRedirect()
        )
        self.opener.addheaders = [("X-Forwarded-For", f"10.1.{student // 200}.{student % 200 + 1}")]

    def call(
        self,
        method: str,
        path: str,
        form: dict[str, Any] | None = None,
        *,
        kind: str = "get",
        key: tuple[Any, ...] = (),
        payload: Any = None,
    ) -> tuple[Sent, str]:
        if self.load.stop.is_set():
            raise ServerGone
        data = urllib.parse.urlencode(form, doseq=True).encode() if form is not None else None
        request = urllib.request.Request(self.load.url + path, data=data, method=method)
        status: int | None
        try:
            try:
                with self.opener.open(request, timeout=TIMEOUT) as r:
                    status, location, body = r.status, r.headers.get("Location", ""), r.read()
            except urllib.error.HTTPError as e:  # 3xx (not followed), 4xx, 5xx
                with e:
                    status, location, body = e.code, e.headers.get("Location", ""), e.read()
        except (OSError, http.client.HTTPException):  # no answer, or cut short: not acked
            status, location, body = None, "", b""
        sent = self.load.record(
            Sent(self.student, kind, key, payload, status, urllib.parse.urlsplit(location).path)
        )
        if status is None:
            raise ServerGone
        return sent, body.decode("utf-8", "replace")

    def page(self, path: str) -> str:
        sent, body = self.call("GET", path)
        assert sent.status == 200, (path, sent.status)
        return body


def twice(fn: Any) -> list[Any]:
    """Run ``fn`` in two threads released at the same moment: a double click / double submit."""
    barrier = threading.Barrier(2)
    results: list[Any] = [None, None]

    def run(i: int) -> None:
        barrier.wait()
        try:
            results[i] = fn()
        except Exception as exc:  # raised again in the caller's thread
            results[i] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for r in results:
        if isinstance(r, Exception):
            raise r
    return results


def _token(body: str) -> str:
    match = TOKEN.search(body)
    assert match, "no CSRF token in the page"
    return match.group(1)


def _fields(body: str, names: tuple[str, ...]) -> dict[str, str]:
    out = {}
    for name in names:
        match = re.search(rf'name="{name}" value="([^"]*)"', body)
        assert match, f"no {name} field"
        out[name] = html.unescape(match.group(1))
    return out


def normalized(form: dict[str, Any]) -> dict[str, str | list[str]]:
    """Form fields as the app reads them (``quiz_views._form_dict``)."""
    return {k: (v if isinstance(v, list) else [v]) if k == "choice" else v for k, v in form.items()}


def stored_answer(item: Item, form: dict[str, Any]) -> Any:
    """The JSON the app stores for this form (what the response row must hold)."""
    return grading.to_json(grading.parse_form(item, normalized(form)))


def attempt_items(db: Database, attempt_id: int) -> list[Item]:
    ((questions,),) = db.query("SELECT questions FROM attempt WHERE id = :id", id=attempt_id)
    return [Item.from_dict(q) for q in as_json(questions)]


def student_session(load: Load, student: int) -> None:
    """One student's visit; stops quietly when the server goes away."""
    c = Client(load, student)
    try:
        _visit(c, load, student)
    except ServerGone:
        pass
    except Exception as exc:  # reported by the test, with the student's number
        load.errors.append(f"student {student}: {type(exc).__name__}: {exc}")


def _visit(c: Client, load: Load, student: int) -> None:
    token = _token(c.page("/auth/register"))
    form = {
        "csrf_token": token, "name": f"Student {student}", "email": c.email,
        "password": PASSWORD, "confirm": PASSWORD, "timezone": "Europe/Paris",
        "join_code": JOIN_CODE,
    }  # fmt: skip
    sent, _ = c.call("POST", "/auth/register", form, kind="register", key=(c.email,))
    assert sent.status == 302, f"registration answered {sent.status}"

    # The start button pressed twice at once: one attempt, both tabs land in it.
    token = _token(c.page(f"/quiz/{ESSAY}/{QUIZ}"))
    starts = twice(
        lambda: c.call(
            "POST",
            f"/quiz/{ESSAY}/{QUIZ}/start",
            {"csrf_token": token},
            kind="start",
            key=(c.email,),
        )
    )
    ids = set()
    for sent, _ in starts:
        match = ATTEMPT_URL.search(sent.location)
        assert match, f"start answered {sent.status} -> {sent.location!r}"
        ids.add(int(match.group(1)))
    assert len(ids) == 1, f"two starts at once gave two attempts: {ids}"
    attempt_id = ids.pop()
    items = attempt_items(load.db, attempt_id)

    for position, item in enumerate(items):
        path = f"/quiz/attempt/{attempt_id}/{position + 1}"
        c.page(path)
        right = right_form(item)
        pattern = (student + position) % 3
        sends = [wrong_form(item), right] if pattern == 1 else [right]  # 1: change the answer
        for answer in sends:
            payload = stored_answer(item, answer)

            def save(
                answer: dict[str, Any] = answer, payload: Any = payload, path: str = path,
                key: tuple[int, int] = (attempt_id, position),
            ) -> Any:  # fmt: skip
                form = {**answer, "csrf_token": token, "action": "save"}
                return c.call("POST", path, form, kind="save", key=key, payload=payload)

            results = twice(save) if pattern == 2 else [save()]  # 2: double submit
            for sent, _ in results:
                assert sent.status == 302 and sent.location == path, (sent.status, sent.location)

    results = twice(
        lambda: c.call(
            "POST",
            f"/quiz/attempt/{attempt_id}/submit",
            {"csrf_token": token},
            kind="submit",
            key=(attempt_id,),
        )
    )
    for sent, _ in results:
        assert sent.status == 302 and sent.location.endswith("/review"), sent

    for r in range(REVIEWS):
        study = c.page(f"/cards/{ESSAY}/study")
        match = SHOW_LINK.search(study)
        if match is None:
            break  # nothing left to study today
        shown = c.page(html.unescape(match.group(1)))
        fields = _fields(shown, ("card", "reps", "shown"))
        form = {
            **fields,
            "csrf_token": _token(shown),
            "rating": str(1 + (student + r) % 4),
        }
        key = (c.email, fields["card"], int(fields["reps"]))

        def rate(form: dict[str, Any] = form, key: tuple[Any, ...] = key) -> Any:
            return c.call("POST", f"/cards/{ESSAY}/review", form, kind="review", key=key)

        results = twice(rate) if r % 2 == 0 else [rate()]
        for sent, _ in results:
            assert sent.status == 302, sent

    c.page("/")


def run_load(load: Load, students: int = STUDENTS) -> list[threading.Thread]:
    threads = [
        threading.Thread(target=student_session, args=(load, i), daemon=True)
        for i in range(students)
    ]
    for t in threads:
        t.start()
    return threads


def join_all(threads: list[threading.Thread], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    for t in threads:
        t.join(max(0.0, deadline - time.monotonic()))
    assert not any(t.is_alive() for t in threads), "the load did not finish in time"


# --- checking the database against the acknowledgements ---------------------------------


def check_acknowledged_writes(load: Load, *, complete: bool) -> dict[str, int]:
    """Every acknowledged write is in the database, once. ``complete``: the load ran to the
    end (every request was answered), so the database must also hold nothing more."""
    db = load.db
    server_errors = [s for s in load.sent if s.status is not None and s.status >= 500]
    assert not server_errors, f"{len(server_errors)} 5xx responses, e.g. {server_errors[:3]}"

    users = dict(db.query('SELECT email, id FROM "user"'))
    registered = {s.key[0] for s in load.acked("register")}
    assert registered <= set(users), f"acknowledged sign-ups lost: {registered - set(users)}"

    # One attempt per student however often "start" was pressed, and it is the acked one.
    per_user = Counter(
        uid for (uid,) in db.query("SELECT user_id FROM attempt WHERE quiz_id = :q", q=QUIZ)
    )
    assert all(n == 1 for n in per_user.values()), f"duplicate attempts: {per_user}"
    started = {}
    for s in load.acked("start"):
        started[s.key[0]] = int(ATTEMPT_URL.search(s.location).group(1))  # type: ignore[union-attr]
    owners = dict(db.query("SELECT id, user_id FROM attempt"))
    for email, attempt_id in started.items():
        assert owners.get(attempt_id) == users[email], f"acknowledged attempt lost: {email}"

    # Answers: one row per (attempt, position); it holds the last acknowledged answer (or,
    # after a crash, one sent later whose acknowledgement the kill swallowed).
    rows: dict[tuple[int, int], list[Any]] = defaultdict(list)
    for attempt_id, position, answer in db.query(
        "SELECT attempt_id, position, answer FROM response"
    ):
        rows[(attempt_id, position)].append(as_json(answer))
    assert all(len(v) == 1 for v in rows.values()), "duplicated response rows"
    saves: dict[tuple[int, int], list[Sent]] = defaultdict(list)
    for s in load.sent:
        if s.kind == "save":
            saves[s.key].append(s)
    acked_saves = 0
    for key, sends in saves.items():
        sends.sort(key=lambda s: s.seq)
        last_acked = max((i for i, s in enumerate(sends) if s.acked), default=None)
        if last_acked is None:
            continue
        acked_saves += sum(s.acked for s in sends)
        assert key in rows, f"acknowledged answer lost: attempt {key[0]} question {key[1] + 1}"
        allowed = [s.payload for s in sends[last_acked:]]
        if complete:
            allowed = [sends[last_acked].payload]
        assert rows[key][0] in allowed, (key, rows[key][0], allowed)

    submitted = dict(db.query("SELECT id, submitted_at FROM attempt"))
    for s in load.acked("submit"):
        assert submitted.get(s.key[0]), f"acknowledged submission lost: attempt {s.key[0]}"
        n_rows = sum(1 for k in rows if k[0] == s.key[0])
        assert n_rows == len(attempt_items(db, s.key[0])), "a submitted attempt lacks rows"

    # Reviews: each acknowledged (student, card, reps) rating is logged exactly once.
    ids_to_email = {v: k for k, v in users.items()}
    logged = Counter(
        (ids_to_email[uid], card, as_json(before)["reps"])
        for uid, card, before in db.query('SELECT user_id, card_id, "before" FROM review_log')
    )
    duplicates = [k for k, n in logged.items() if n > 1]
    assert not duplicates, f"a rating counted twice: {duplicates[:5]}"
    acked_reviews = {s.key for s in load.acked("review")}
    missing = acked_reviews - set(logged)
    assert not missing, f"acknowledged reviews lost: {sorted(missing)[:5]}"
    if complete:
        assert set(logged) == acked_reviews, "review_log rows differ from acknowledged reviews"
    # Each card's reps equals the number of its logged reviews (no lost or doubled update).
    bad = db.query(
        "SELECT s.user_id, s.card_id, s.reps, COUNT(l.id) FROM card_state s "
        "LEFT JOIN review_log l ON l.user_id = s.user_id AND l.essay = s.essay "
        "AND l.card_id = s.card_id GROUP BY s.id HAVING s.reps != COUNT(l.id)",
    )
    assert not bad, f"card reps out of step with the review log: {bad[:5]}"
    return {
        "requests": len(load.sent),
        "acknowledged": sum(s.acked for s in load.sent),
        "students": len(registered),
        "attempts": len(started),
        "saves": acked_saves,
        "submits": len(load.acked("submit")),
        "reviews": len(acked_reviews),
    }


# --- the tests ----------------------------------------------------------------------------


def test_fifty_students_at_once_lose_and_duplicate_nothing(tmp_path: Path, tiny_dir: Path) -> None:
    db = Database(fresh_database_url(tmp_path, "load"))
    server = Server(db, tiny_dir, tmp_path / "server.log")
    server.make_course()
    server.start()
    load = Load(server.url, db)
    try:
        join_all(run_load(load), timeout=150)
    finally:
        server.stop()
    assert not load.errors, load.errors[:5]
    counts = check_acknowledged_writes(load, complete=True)
    assert counts["students"] == STUDENTS and counts["attempts"] == STUDENTS
    assert counts["submits"] == 2 * STUDENTS
    assert counts["reviews"] >= STUDENTS * REVIEWS // 2, counts
    assert all(s.status is not None for s in load.sent), "a request went unanswered"
    assert db.integrity_ok()


def test_sigkill_mid_load_keeps_every_acknowledged_write(tmp_path: Path, tiny_dir: Path) -> None:
    db = Database(fresh_database_url(tmp_path, "crash"))
    server = Server(db, tiny_dir, tmp_path / "server.log")
    server.make_course()
    server.start()
    load = Load(server.url, db)
    threads = run_load(load)
    try:
        # Kill in the thick of it: students are still saving, submitting and reviewing.
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if len({s.key for s in load.acked("review")}) >= 20:
                break
            if not any(t.is_alive() for t in threads):
                break
            time.sleep(0.02)
        alive = sum(t.is_alive() for t in threads)
        server.kill()
        load.stop.set()
        assert alive, f"the load ended before the kill: {load.errors[:3]}"
        join_all(threads, timeout=TIMEOUT + 30)
    finally:
        server.kill()
    assert not load.errors, load.errors[:5]
    assert db.integrity_ok(), "damaged by the kill"

    server.start()  # the same database, after an unclean stop
    try:
        assert db.integrity_ok()
        counts = check_acknowledged_writes(load, complete=False)
        assert counts["saves"] >= 100 and counts["reviews"] >= 20, counts
        # The restarted server takes new writes.
        after = Load(server.url, db)
        c = Client(after, 999)
        token = _token(c.page("/auth/register"))
        form = {
            "csrf_token": token, "name": "After", "email": c.email,
            "password": PASSWORD, "confirm": PASSWORD, "timezone": "UTC",
            "join_code": JOIN_CODE,
        }  # fmt: skip
        sent, _ = c.call("POST", "/auth/register", form, kind="register")
        assert sent.status == 302
        assert "Sign out" in c.page("/")
        assert db.query('SELECT 1 FROM "user" WHERE email = :e', e=c.email)
    finally:
        server.stop()


# --- the synthetic school -----------------------------------------------------------------


@pytest.fixture
def shipped_runner(tmp_path: Path) -> FlaskCliRunner:
    return make_app(tmp_path, SHIPPED).test_cli_runner()


@pytest.mark.skipif(
    not (SHIPPED / "russia-taliban" / "quizzes.yaml").exists(), reason="no shipped content"
)
def test_seed_school_at_a_small_scale(shipped_runner: FlaskCliRunner) -> None:
    from quizapp.seed import seed_cli

    result = shipped_runner.invoke(seed_cli, ["school", "--scale", "0.001"])
    assert result.exit_code == 0, result.output
    app = shipped_runner.app
    with app.app_context():
        from sqlalchemy import func, select

        from quizapp.content import snapshot
        from quizapp.extensions import db
        from quizapp.models import Attempt, CardStateRow, ResponseRow, ReviewLog, User

        def count(stmt: Any) -> int:
            return int(db.session.execute(stmt).scalar_one())

        n_cards = len(snapshot().bank("russia-taliban").cards)
        students = count(select(func.count()).select_from(User).where(User.role == "student"))
        assert students == 10
        assert count(select(func.count()).select_from(Attempt)) == 200
        assert count(select(func.count()).select_from(CardStateRow)) == min(2000, 10 * n_cards)
        assert count(select(func.count()).select_from(ReviewLog)) == 10_000
        questions = count(select(func.sum(func.json_array_length(Attempt.questions))))
        assert count(select(func.count()).select_from(ResponseRow)) == questions
        # Consistent with the app's own rules: reps = logged reviews; attempts numbered 1..n.
        assert count(select(func.sum(CardStateRow.reps))) == 10_000
        assert count(select(func.count()).where(Attempt.submitted_at.is_(None))) == 0
        over = count(
            select(func.count()).select_from(
                select(Attempt.user_id)
                .group_by(Attempt.user_id, Attempt.quiz_id)
                .having(func.max(Attempt.number) != func.count())
                .subquery()
            )
        )
        assert over == 0
        # Courses of 25: the 10 students in one, taught by the seeded instructor, every quiz
        # assigned; the instructor's pages of that course show them.
        from quizapp import courses as course_ops
        from quizapp.models import Assignment, Course, CourseMember

        assert count(select(func.count()).select_from(Course)) == 1
        course = db.session.execute(select(Course)).scalar_one()
        assert len(course_ops.students(course)) == 10
        teacher = db.session.execute(
            select(User).filter_by(email="instructor@school.example")
        ).scalar_one()
        assert course_ops.role_in(teacher.id, course.id) == "instructor"
        n_quizzes = len(snapshot().essays["russia-taliban"].quizzes)
        assert count(select(func.count()).select_from(Assignment)) == n_quizzes
        assert count(select(func.count()).select_from(CourseMember)) == 11
        # The app's own inserts still get fresh ids after the seeded ones (PostgreSQL sequences).
        user = User(email="new@example.org", name="New", password_hash="x")
        db.session.add(user)
        db.session.commit()
        attempt = db.session.execute(select(Attempt).limit(1)).scalar_one()
        db.session.add(
            Attempt(
                user_id=user.id, essay=attempt.essay, quiz_id=attempt.quiz_id,
                quiz_title=attempt.quiz_title, number=1, seed=1, feedback=attempt.feedback,
                grading=attempt.grading, questions=attempt.questions,
                max_points=attempt.max_points,
            )
        )  # fmt: skip
        db.session.commit()
    again = shipped_runner.invoke(seed_cli, ["school", "--scale", "0.001"])
    assert again.exit_code != 0 and "already" in again.output
