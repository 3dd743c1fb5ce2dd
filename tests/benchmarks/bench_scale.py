"""Benchmark: the hot queries at school scale, with their query plans.

Seeds (or reuses) a database with ``quizapp seed`` on the shipped essay: a school of
``--scale`` x (10,000 students, 2,000,000 card states (capped at students x cards),
10,000,000 reviews, 200,000 attempts), in courses of 25 students (400 courses at scale 1),
each course assigning every quiz and taught by an instructor of its own.

Times are medians of in-process calls (app context, SQLite file in the page cache):

- due queue: ``cards.daily_queue`` for one student (target < 20 ms);
- student home: GET ``/`` signed in, through the test client (target < 20 ms);
- per course, signed in as its instructor, cycling over ``--courses`` courses: the class grid
  (GET ``/instructor/results``), item analysis of the final exam and of a topic quiz, and
  class memory, each < 100 ms; each export of one course (scores, Moodle and Canvas
  gradebooks, workbook, JSON), each < 1 s;
- the whole school's grid and item analysis (what the CLI exports without ``--course``).

Then every distinct SQL statement each path ran is put through EXPLAIN QUERY PLAN, and the
ones that scan a table or sort in a temporary B-tree are printed.

Last, over HTTP on the school's database (``quizapp serve``, wrk; skipped with ``--no-http``
or without wrk): ``bench_http``'s paths at 16 and then 64 connections, each with its p99
latency (target < 50 ms), requests/s and Server-Timing split.

    python -m tests.benchmarks.bench_scale [--scale 0.1] [--dir /tmp/quizapp-bench-courses] \\
        [--runs 100] [--courses 5] [--http-duration 10] [--no-http]
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import event, func, select

from quizapp import courses, create_app, upgrade_database
from quizapp.cards import daily_queue, settings_for
from quizapp.content import snapshot
from quizapp.extensions import db
from quizapp.instructor import class_grid, class_memory, quiz_report
from quizapp.models import Attempt, CardStateRow, Course, CourseMember, ReviewLog, User, utcnow
from quizapp.seed import DOMAIN, SEED_PASSWORD, Counts, seed_school
from quizapp.sessions import open_session
from quizapp.users import hash_password

from . import bench_http

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "content"
ESSAY = "russia-taliban"
SCHOOL = Counts(students=10_000, card_states=2_000_000, reviews=10_000_000, attempts=200_000)
PAGE_TARGET, EXPORT_TARGET = 100.0, 1000.0
TARGETS = {"due queue": 20.0, "student home": 20.0}
EXPORT_KINDS = ("scores", "moodle", "canvas", "xlsx", "json")


def make(db_path: Path) -> Flask:
    app = create_app(
        {
            "INSTANCE_PATH": str(db_path.parent / "instance"),
            "SECRET_KEY": "bench",
            "DATABASE_URL": f"sqlite:///{db_path}",
            "CONTENT_DIR": str(SHIPPED),
        }
    )
    upgrade_database(app)
    return app


def ensure_seeded(app: Flask, counts: Counts, label: str) -> None:
    with app.app_context():
        seeded = db.session.execute(
            select(func.count()).select_from(User).where(User.email.like(f"%@{DOMAIN}"))
        ).scalar_one()
        if seeded:
            print(f"{label}: reusing {app.config['DATABASE_URL']}")
        else:
            start = time.perf_counter()
            done = seed_school(snapshot().essays, counts, datetime.now(UTC))
            print(f"{label}: seeded {done} in {time.perf_counter() - start:.0f} s")
        sizes = {
            name: db.session.execute(select(func.count()).select_from(model)).scalar_one()
            for name, model in (
                ("users", User), ("attempts", Attempt), ("card states", CardStateRow),
                ("reviews", ReviewLog), ("courses", Course),
            )
        }  # fmt: skip
        print(f"  {', '.join(f'{v:,} {k}' for k, v in sizes.items())}")


def timed(fn: Callable[[], Any], runs: int, warmup: int = 1) -> list[float]:
    for _ in range(warmup):
        fn()
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        out.append((time.perf_counter() - start) * 1000)
    return out


@contextmanager
def captured_sql(app: Flask) -> Iterator[list[tuple[str, Any]]]:
    """The statements (and parameters) run inside the block."""
    statements: list[tuple[str, Any]] = []

    def listen(conn: Any, cursor: Any, stmt: str, params: Any, context: Any, many: bool) -> None:
        if not many and stmt.lstrip().upper().startswith("SELECT"):
            statements.append((stmt, params))

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", listen)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", listen)


def explain(app: Flask, statements: list[tuple[str, Any]]) -> list[tuple[str, list[str], int]]:
    """(statement, plan lines, times run) for each distinct statement that scans or sorts."""
    seen: dict[str, tuple[Any, int]] = {}
    for stmt, params in statements:
        first, n = seen.get(stmt, (params, 0))
        seen[stmt] = (first, n + 1)
    flagged = []
    with app.app_context():
        raw = db.engine.raw_connection()
        try:
            cur = raw.cursor()
            for stmt, (params, n) in seen.items():
                plan = [row[3] for row in cur.execute("EXPLAIN QUERY PLAN " + stmt, params or ())]
                if any(p.startswith("SCAN") or "TEMP B-TREE" in p for p in plan):
                    flagged.append((stmt, plan, n))
        finally:
            raw.close()
    return flagged


def signed_in(app: Flask, user: User) -> Any:
    client = app.test_client()
    with app.app_context():
        secret = open_session(user, remember=False, now=utcnow())
    with client.session_transaction() as session:
        session["_user_id"] = f"{user.id}:{secret}"
        session["_fresh"] = True
    return client


def get_ok(client: Any, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    response.get_data()  # a streamed export does its work as its body is read
    response.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=0.1, help="school size (1 = 10,000)")
    parser.add_argument("--dir", type=Path, default=Path("/tmp/quizapp-bench-courses"))
    parser.add_argument("--runs", type=int, default=100)
    parser.add_argument("--courses", type=int, default=5, help="courses to cycle over")
    parser.add_argument("--http-duration", type=int, default=10, help="seconds per HTTP path")
    parser.add_argument("--no-http", action="store_true", help="skip the HTTP p99 section")
    args = parser.parse_args()
    args.dir.mkdir(parents=True, exist_ok=True)
    school_counts = Counts(*(max(1, round(v * args.scale)) for v in vars(SCHOOL).values()))
    school = make(args.dir / f"school-{args.scale:g}.sqlite")
    ensure_seeded(school, school_counts, f"school (scale {args.scale:g})")
    rng = random.Random(3)
    results: dict[str, list[float]] = {}
    plans: dict[str, list[tuple[str, list[str], int]]] = {}

    def measure(
        name: str, app: Flask, fn: Callable[[], Any], runs: int, target: float | None = None
    ) -> None:
        with captured_sql(app) as statements:
            fn()
        plans[name] = explain(app, statements)
        results[name] = timed(fn, runs)
        times = results[name]
        target = target or TARGETS.get(name)
        verdict = "" if target is None else (
            f" (target < {target:g} ms: {'met' if statistics.median(times) < target else 'MISSED'})"
        )  # fmt: skip
        print(
            f"{name:<28} median {statistics.median(times):8.2f} ms   "
            f"p95 {sorted(times)[max(0, int(len(times) * 0.95) - 1)]:8.2f} ms   "
            f"{len(statements)} queries{verdict}"
        )

    with school.app_context():
        users = list(db.session.execute(select(User).where(User.role == "student")).scalars())
        sample = rng.sample(users, min(20, len(users)))
        for u in sample:
            db.session.expunge(u)
        bank = snapshot().bank(ESSAY)
        ids = [c.id for c in bank.cards]
        topics = {c.id: c.topic for c in bank.cards}
        final = next(q for q in snapshot().essays[ESSAY].quizzes if q.time_limit)
        topic_quiz = snapshot().essays[ESSAY].quizzes[0]
    cycle = iter(range(10**9))

    def queue() -> None:
        u = sample[next(cycle) % len(sample)]
        with school.app_context():
            daily_queue(u.id, ESSAY, ids, topics, datetime.now(UTC), settings_for(u))

    clients = [signed_in(school, u) for u in sample]
    print()
    measure("due queue", school, queue, args.runs)
    measure("student home", school, lambda: get_ok(clients[next(cycle) % len(clients)], "/"),
            args.runs)  # fmt: skip
    measure("study page (extra)", school,
            lambda: get_ok(clients[next(cycle) % len(clients)], f"/cards/{ESSAY}/study"),
            args.runs)  # fmt: skip

    def in_context(app: Flask, fn: Callable[[], Any]) -> Callable[[], Any]:
        def run() -> Any:
            with app.app_context():
                return fn()

        return run

    # Per course: each course's own instructor, cycling over a sample of the courses.
    with school.app_context():
        taught = db.session.execute(
            select(Course.slug, User)
            .join(CourseMember, CourseMember.course_id == Course.id)
            .join(User, User.id == CourseMember.user_id)
            .where(CourseMember.role == "instructor")
            .order_by(Course.id)
        ).all()
        sizes = [
            n for (n,) in db.session.execute(
                select(func.count()).select_from(CourseMember)
                .where(CourseMember.role == "student").group_by(CourseMember.course_id)
            )
        ]  # fmt: skip
        for _slug, u in taught:
            db.session.expunge(u)
    if not taught:
        raise SystemExit("this database has no courses: seed a fresh --dir")
    picked = rng.sample(taught, min(args.courses, len(taught)))
    print(
        f"\n{len(taught):,} courses of {statistics.median(sizes):g} students (median); "
        f"per course: {len(picked)} courses, each page through its own instructor's client"
    )
    teachers = [(slug, signed_in(school, u)) for slug, u in picked]
    few = max(5, args.runs // 10)

    def per_course(path: str) -> Callable[[], None]:
        def run() -> None:
            slug, client = teachers[next(cycle) % len(teachers)]
            sep = "&" if "?" in path else "?"
            get_ok(client, f"{path}{sep}course={slug}")

        return run

    measure("course: class grid", school, per_course("/instructor/results"), few, PAGE_TARGET)
    measure("course: item analysis, final", school,
            per_course(f"/instructor/analysis/{ESSAY}/{final.id}"), few, PAGE_TARGET)  # fmt: skip
    measure("course: item analysis, topic", school,
            per_course(f"/instructor/analysis/{ESSAY}/{topic_quiz.id}"), few,
            PAGE_TARGET)  # fmt: skip
    measure("course: class memory", school, per_course(f"/instructor/memory/{ESSAY}"), few,
            PAGE_TARGET)  # fmt: skip
    for kind in EXPORT_KINDS:
        measure(f"course: export {kind}", school, per_course(f"/instructor/exports/{kind}"),
                max(3, few // 2), EXPORT_TARGET)  # fmt: skip

    print()
    measure(f"grid, whole school ({school_counts.students:,})", school,
            in_context(school, lambda: class_grid(snapshot().essays)), 3)  # fmt: skip
    measure(f"item analysis, final ({school_counts.students:,})", school,
            in_context(school, lambda: quiz_report(ESSAY, final.id)), 3)  # fmt: skip
    measure(f"class memory ({school_counts.students:,})", school, in_context(school, lambda: (
        class_memory(snapshot().bank(ESSAY), datetime.now(UTC)))), 3)  # fmt: skip

    print("\nStatements that scan a table or sort in a temporary B-tree (EXPLAIN QUERY PLAN):")
    shown: set[str] = set()
    for name, flagged in plans.items():
        for stmt, plan, n in flagged:
            if stmt in shown:
                continue
            shown.add(stmt)
            one_line = " ".join(stmt.split())
            print(f"\n[{name}] run {n}x per call:\n  {one_line[:400]}")
            for line in plan:
                print(f"    -> {line}")

    if not args.no_http:
        http_p99(school, args)


HTTP_CONNECTIONS = [16, 64]
BENCH_STUDENT = f"bench-http@{DOMAIN}"


def student_with_an_attempt_left(school: Flask) -> str:
    """The HTTP paths need an open attempt: a seeded student with a quiz attempt left, or
    (the seed gives every student every attempt) an extra student, made once, with no
    history of their own (the tables around them still hold the whole school)."""
    with school.app_context():
        untimed = [q for q in snapshot().essays[ESSAY].quizzes if not q.time_limit]
        if any(q.attempts == 0 for q in untimed):  # unlimited: anyone has one left
            return f"student000001@{DOMAIN}"
        allowed = sum(q.attempts for q in untimed)
        taken = (
            select(User.email, func.count(Attempt.id).label("n"))
            .join(
                Attempt,
                (Attempt.user_id == User.id) & Attempt.quiz_id.in_([q.id for q in untimed]),
                isouter=True,
            )
            .where(User.role == "student", User.email.like(f"student%@{DOMAIN}"))
            .group_by(User.id)
            .order_by("n", User.id)
            .limit(1)
        )
        row = db.session.execute(taken).first()
        if row is not None and row.n < allowed:
            return str(row.email)
        if db.session.execute(select(User).where(User.email == BENCH_STUDENT)).first() is None:
            db.session.add(
                User(
                    email=BENCH_STUDENT, name="HTTP benchmark", role="student",
                    password_hash=hash_password(SEED_PASSWORD), timezone="UTC",
                )
            )  # fmt: skip
            db.session.commit()
        # in the first course (which assigns every quiz): a student in no course sees no quiz
        first = db.session.execute(select(Course).order_by(Course.id).limit(1)).scalar_one()
        courses.add_member(first, BENCH_STUDENT, "student", utcnow())
        print(f"\nHTTP: every seeded student used every attempt; signing in as {BENCH_STUDENT}"
              f", a student of {first.slug}")  # fmt: skip
        return BENCH_STUDENT


def http_p99(school: Flask, args: argparse.Namespace) -> None:
    """bench_http's paths over HTTP on the school's database, at 16 and 64 connections."""
    if not shutil.which("wrk"):
        print("\nHTTP p99: skipped (wrk is not installed: apt-get install -y wrk)")
        return
    with school.app_context():
        quizzes = [q.id for q in snapshot().essays[ESSAY].quizzes if not q.time_limit]
        card_ids = [c.id for c in snapshot().bank(ESSAY).cards]
    db_path = Path(school.config["DATABASE_URL"].removeprefix("sqlite:///"))
    email = student_with_an_attempt_left(school)
    http_args = argparse.Namespace(
        duration=args.http_duration, connections=HTTP_CONNECTIONS[0],
        workers=bench_http.default_workers(), gunicorn_args="", sqlite_pragma=[],
        no_timing=False, load=os.getloadavg()[0],
    )  # fmt: skip
    env = {
        **os.environ, "DATABASE_URL": f"sqlite:///{db_path}", "CONTENT_DIR": str(SHIPPED),
        "SECRET_KEY": "bench",
    }  # fmt: skip
    tmp = Path(tempfile.mkdtemp(prefix="quizapp-scale-http-"))
    try:
        runs = bench_http.serve_and_bench(
            http_args, tmp, env, db_path, quizzes, card_ids, HTTP_CONNECTIONS, email
        )
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    for connections, results in runs.items():
        print(f"\nHTTP on the school's database, {connections} connections:")
        bench_http.report(argparse.Namespace(**{**vars(http_args), "connections": connections}),
                          results)  # fmt: skip
    print(f"\nHTTP p99 per path (ms; target < 50): {' / '.join(map(str, HTTP_CONNECTIONS))} "
          "connections")  # fmt: skip
    names = [n for n, r in runs[HTTP_CONNECTIONS[0]].items() if isinstance(r, bench_http.Result)]
    for name in names:
        cells = []
        for connections in HTTP_CONNECTIONS:
            r = runs[connections][name]
            assert isinstance(r, bench_http.Result)
            cells.append(f"{r.p99:9.2f}")
        print(f"  {name:<20}{''.join(cells)}")


if __name__ == "__main__":
    main()
