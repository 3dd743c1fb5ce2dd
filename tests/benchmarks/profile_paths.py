"""Profile: the CPU time of each hot path in-process, with the Flask test client.

On a 2-core machine shared with other work, wrk's requests/s move with the load; the CPU
time a request costs the process (``time.process_time``) moves much less. This drives the
same four paths as ``bench_http`` (quiz page GET, answer save POST, flashcard review POST,
student home GET) through the real app and its real database (SQLite file, the same seeded
school as ``bench_http --seeded``), and prints per path the median CPU and wall milliseconds
per request and the SQL statements it ran; ``--profile PATH`` adds cProfile's top functions
for one path (cumulative), to see what Python runs per request.

    python -m tests.benchmarks.profile_paths [--seeded /tmp/quizapp-http-school.sqlite] \\
        [--requests 300] [--profile home] [--top 40]
"""

from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import re
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import event, select

from quizapp import create_app, upgrade_database
from quizapp.bank import Item
from quizapp.content import snapshot
from quizapp.extensions import db
from quizapp.models import Attempt, CardStateRow, User
from quizapp.seed import DOMAIN, seed_school

from ..helpers import right_form
from .bench_http import SCHOOL
from .bench_scale import signed_in

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "content"
ESSAY = "russia-taliban"
TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
PATHS = ("quiz", "save", "review", "home")


def make(db_path: Path, seeded: Path | None) -> Flask:
    if seeded is not None and seeded.exists():
        shutil.copyfile(seeded, db_path)
    app = create_app(
        {
            "INSTANCE_PATH": str(db_path.parent / "instance"),
            "SECRET_KEY": "profile",
            "DATABASE_URL": f"sqlite:///{db_path}",
            "CONTENT_DIR": str(SHIPPED),
        }
    )
    upgrade_database(app)
    if seeded is None or not seeded.exists():
        with app.app_context():
            seed_school(snapshot().essays, SCHOOL, datetime.now(UTC), progress=False)
    return app


def token_of(body: str) -> str:
    match = TOKEN.search(body)
    assert match, "no CSRF token"
    return match.group(1)


def setup_paths(app: Flask) -> dict[str, Callable[[], Any]]:
    """One request of each path, for the first seeded student, as bench_http sends them."""
    with app.app_context():
        user = db.session.execute(
            select(User).where(User.email == f"student000001@{DOMAIN}")
        ).scalar_one()
        db.session.expunge(user)
        quizzes = [q.id for q in snapshot().essays[ESSAY].quizzes if not q.time_limit]
    client = signed_in(app, user)
    attempt_id = None
    for quiz_id in quizzes:
        page = client.get(f"/quiz/{ESSAY}/{quiz_id}")
        r = client.post(f"/quiz/{ESSAY}/{quiz_id}/start", data={"csrf_token": token_of(page.text)})
        match = re.search(r"/quiz/attempt/(\d+)/\d+$", r.headers.get("Location", ""))
        if match:
            attempt_id = int(match.group(1))
            break
    assert attempt_id is not None, "no quiz with an attempt left"
    question = f"/quiz/attempt/{attempt_id}/1"
    token = token_of(client.get(question).text)
    with app.app_context():
        questions = db.session.get(Attempt, attempt_id).questions  # type: ignore[union-attr]
        states = db.session.execute(
            select(CardStateRow).where(CardStateRow.user_id == user.id, CardStateRow.essay == ESSAY)
        ).scalars()
        reps, inactive = {}, set()
        for s in states:
            if s.suspended or s.retired:
                inactive.add(s.card_id)
            else:
                reps[s.card_id] = s.reps
        card_ids = [c.id for c in snapshot().bank(ESSAY).cards]
    item = Item.from_dict(questions[0] if isinstance(questions, list) else json.loads(questions)[0])
    save = {**right_form(item), "csrf_token": token, "action": "save"}
    cards = [c for c in card_ids if c not in inactive]
    turn = iter(range(10**9))

    def ok(response: Any, *codes: int) -> None:
        assert response.status_code in codes, response.status_code
        response.close()

    def review() -> None:
        card = cards[next(turn) % len(cards)]
        n = reps.get(card, 0)
        reps[card] = n + 1
        ok(
            client.post(
                f"/cards/{ESSAY}/review",
                data={"csrf_token": token, "rating": "3", "card": card, "reps": str(n)},
            ),
            200, 302, 303,
        )  # fmt: skip

    return {
        "quiz": lambda: ok(client.get(question), 200),
        "save": lambda: ok(client.post(question, data=save), 200, 302, 303),
        "review": review,
        "home": lambda: ok(client.get("/"), 200),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeded", type=Path, default=Path("/tmp/quizapp-http-school.sqlite"))
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--profile", choices=PATHS)
    parser.add_argument("--top", type=int, default=40)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="quizapp-profile-"))
    try:
        app = make(tmp / "school.sqlite", args.seeded)
        if not args.seeded.exists():
            shutil.copyfile(tmp / "school.sqlite", args.seeded)
        paths = setup_paths(app)
        with app.app_context():
            engine = db.engine
        count = [0]

        def listen(*_a: Any) -> None:
            count[0] += 1

        event.listen(engine, "before_cursor_execute", listen)
        print(f"{'path':<8}{'CPU ms':>9}{'wall ms':>9}{'stmts':>7}   (medians of {args.requests})")
        for name, fn in paths.items():
            for _ in range(10):
                fn()
            cpu, wall, stmts = [], [], []
            for _ in range(args.requests):
                count[0] = 0
                c0, w0 = time.process_time(), time.perf_counter()
                fn()
                cpu.append((time.process_time() - c0) * 1000)
                wall.append((time.perf_counter() - w0) * 1000)
                stmts.append(count[0])
            print(
                f"{name:<8}{statistics.median(cpu):>9.2f}{statistics.median(wall):>9.2f}"
                f"{statistics.median(stmts):>7.0f}"
            )
        if args.profile:
            fn = paths[args.profile]
            profile = cProfile.Profile()
            profile.enable()
            for _ in range(args.requests):
                fn()
            profile.disable()
            pstats.Stats(profile).sort_stats("cumulative").print_stats(args.top)
            pstats.Stats(profile).sort_stats("tottime").print_stats(args.top)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
