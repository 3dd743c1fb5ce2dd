"""Benchmark: build one student's daily flashcard queue in a database holding 5,000 cards
and 100,000 reviews. Prints the median (target: under 10 ms) and, as a baseline measured
in the same run, the time to load every one of the student's card states.

    python -m tests.benchmarks.bench_queue [--cards 5000] [--reviews 100000] [--runs 200]
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from quizapp import create_app, srs, upgrade_database
from quizapp.cards import daily_queue, load_states
from quizapp.extensions import db
from quizapp.models import CardStateRow, ReviewLog, User


def seed(cards: int, reviews: int, now: datetime) -> tuple[int, list[str]]:
    rng = random.Random(7)
    user = User(email="bench@example.org", name="Bench", password_hash="x", timezone="Europe/Paris")
    db.session.add(user)
    db.session.commit()
    ids = [f"fact-{i:05d}:card" for i in range(cards)]
    rows = []
    for cid in ids[: int(cards * 0.8)]:  # 80% started, the rest new
        state = rng.choice((srs.LEARNING, srs.REVIEW, srs.REVIEW, srs.REVIEW, srs.RELEARNING))
        rows.append(
            {
                "user_id": user.id, "essay": "bench", "card_id": cid, "state": state,
                "step": 0 if state != srs.REVIEW else None,
                "stability": rng.uniform(0.5, 300), "difficulty": rng.uniform(1, 10),
                "due": now + timedelta(days=rng.uniform(-5, 120)),
                "last_review": now - timedelta(days=rng.uniform(0, 60)),
                "reps": rng.randint(1, 30), "lapses": rng.randint(0, 5),
                "suspended": rng.random() < 0.02, "leech": False, "retired": False, "priority": False,
            }
        )  # fmt: skip
    db.session.execute(db.insert(CardStateRow), rows)
    logs = []
    started = ids[: int(cards * 0.8)]
    for _ in range(reviews):
        at = now - timedelta(days=rng.uniform(0, 365))
        before = rng.choice((0, 1, 2, 2, 2, 3))
        logs.append(
            {
                "user_id": user.id, "essay": "bench", "card_id": rng.choice(started),
                "rating": rng.randint(1, 4), "reviewed_at": at, "duration_ms": rng.randint(1000, 20000),
                "state_before": before, "state_after": 2, "before": {}, "after": {},
            }
        )  # fmt: skip
    db.session.execute(db.insert(ReviewLog), logs)
    db.session.commit()
    return user.id, ids


def timed(fn, runs: int) -> list[float]:  # type: ignore[no-untyped-def]
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        out.append((time.perf_counter() - start) * 1000)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cards", type=int, default=5000)
    parser.add_argument("--reviews", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp())
    app = create_app(
        {
            "INSTANCE_PATH": str(tmp / "instance"),
            "SECRET_KEY": "bench",
            "DATABASE_URL": f"sqlite:///{tmp / 'bench.sqlite'}",
            "CONTENT_DIR": str(tmp),
        }
    )
    upgrade_database(app)
    now = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
    with app.app_context():
        t = time.perf_counter()
        user_id, ids = seed(args.cards, args.reviews, now)
        print(
            f"seeded {args.cards} cards, {args.reviews} reviews in {time.perf_counter() - t:.1f} s"
        )
        topics = {cid: None for cid in ids}
        settings = srs.Settings(timezone="Europe/Paris")
        queue = daily_queue(user_id, "bench", ids, topics, now, settings)
        print(
            f"queue: {queue.learning_count} learning, {queue.review_count} review "
            f"({queue.reviews_due} due), {queue.new_count} new"
        )
        q = timed(lambda: daily_queue(user_id, "bench", ids, topics, now, settings), args.runs)
        base = timed(lambda: load_states(user_id, "bench"), max(20, args.runs // 5))
    q_med, b_med = statistics.median(q), statistics.median(base)
    print(f"daily queue: median {q_med:.2f} ms, p95 {sorted(q)[int(len(q) * 0.95) - 1]:.2f} ms "
          f"over {len(q)} runs (target < 10 ms: {'met' if q_med < 10 else 'MISSED'})")  # fmt: skip
    print(
        f"baseline, loading all {args.cards} states: median {b_med:.2f} ms; ratio {q_med / b_med:.2f}"
    )


if __name__ == "__main__":
    main()
