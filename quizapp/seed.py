"""``quizapp seed school``: a synthetic school on the real content, for load tests and benchmarks.

Students, their quiz attempts (with every response, graded), their flashcard states and a
review log consistent with those states are written with bulk Core inserts (executemany) in
batches, one transaction per batch, behind a progress bar::

    quizapp seed school --students 10000 --card-states 2000000 --reviews 10000000 \\
        --attempts 200000 [--course-size 25] [--scale 0.01]

``--scale`` multiplies every count. The content caps two of them: a student has at most one
state per flashcard (students x cards) and at most as many attempts as the quizzes allow
(an unlimited quiz counts as 3); the command says when it lowers a count. The students are
put in courses of ``--course-size`` (25: 400 courses at 10,000 students), each assigning
every quiz, each with an instructor of its own (``instructor@school.example`` teaches the
first course, ``instructorNNNN@school.example`` course NNNN). Every seeded account
(``studentNNNNNN@school.example``, the instructors) has the password :data:`SEED_PASSWORD`.

The data follow the app's own rules, so the app runs on it unchanged: attempt numbers are
1..n per student and quiz, every attempt is submitted with one graded response per question
(questions as shown: snapshots of the generated items), a card's ``reps`` equals the number of
its logged reviews and each log's ``before``/``after`` are full state snapshots (undo works).
"""

from __future__ import annotations

import random
import sys
import zlib
from collections.abc import Iterator
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import Table, func, select, text

from . import grading, srs
from .bank import EssayContent, Item, Quiz, assemble_quiz, build_bank
from .bank.types import item_type
from .course_rules import new_join_code
from .extensions import db
from .models import (
    Assignment,
    Attempt,
    CardStateRow,
    Course,
    CourseMember,
    ResponseRow,
    ReviewLog,
    User,
)
from .users import hash_password

SEED_PASSWORD = "seeded-school-password"
DOMAIN = "school.example"
UNLIMITED_AS = 3  # attempts seeded at a quiz with unlimited attempts
VARIANTS = 8  # generated versions of each quiz (seeds) shared by the seeded attempts
TIMEZONES = ("Europe/Paris", "Europe/London", "America/New_York", "UTC", "Asia/Tokyo")
FIRST = ("Ada", "Alan", "Grace", "Edsger", "Barbara", "Donald", "Frances", "Ken", "Radia", "Tim")
LAST = ("Lovelace", "Turing", "Hopper", "Dijkstra", "Liskov", "Knuth", "Allen", "Thompson")

seed_cli = AppGroup("seed", help="Fill the database with synthetic data (load tests, benchmarks).")


@dataclass(frozen=True)
class Counts:
    students: int
    card_states: int
    reviews: int
    attempts: int


@dataclass(frozen=True)
class Variant:
    """One generated version of a quiz, with a right and a wrong answer to each question."""

    seed: int
    questions: list[dict[str, Any]]
    max_points: float
    item_ids: list[str]
    right: list[tuple[list[Any], float]]
    wrong: list[tuple[list[Any], float]]


def plan_counts(wanted: Counts, n_cards: int, slots_per_student: int) -> tuple[Counts, list[str]]:
    """The counts the content allows, and a note for each one lowered."""
    notes = []
    card_states = min(wanted.card_states, wanted.students * n_cards)
    if card_states < wanted.card_states:
        notes.append(
            f"card states: {wanted.card_states:,} asked, {card_states:,} possible "
            f"({wanted.students:,} students x {n_cards} cards)"
        )
    attempts = min(wanted.attempts, wanted.students * slots_per_student)
    if attempts < wanted.attempts:
        notes.append(
            f"attempts: {wanted.attempts:,} asked, {attempts:,} possible "
            f"({wanted.students:,} students x {slots_per_student} attempts the quizzes allow)"
        )
    reviews = wanted.reviews if card_states else 0
    if reviews < wanted.reviews:
        notes.append("reviews: none without card states")
    return Counts(wanted.students, card_states, reviews, attempts), notes


def spread(total: int, parts: int) -> list[int]:
    """``total`` split into ``parts`` near-equal whole numbers (the first ones get the rest)."""
    if parts <= 0:
        return []
    base, rest = divmod(total, parts)
    return [base + (1 if i < rest else 0) for i in range(parts)]


def jitter(counts: list[int], rng: random.Random, floor: int = 1) -> list[int]:
    """Move random amounts between neighbours: same total, every count stays >= ``floor``."""
    out = counts[:]
    for i in range(0, len(out) - 1, 2):
        room = out[i] - floor
        if room > 0:
            moved = rng.randint(0, room)
            out[i] -= moved
            out[i + 1] += moved
    rng.shuffle(out)
    return out


def _wrong_response(item: Item) -> list[Any]:
    right = list(grading.correct_response(item))
    family = item_type(item.type).family
    if family == "choice_one":
        return [(right[0] + 1) % len(item.options)]
    if family == "choice_many":
        return [i for i in range(len(item.options)) if i not in right][:1]
    if family == "typed":
        return ["no idea"] * len(right)
    return right[1:] + right[:1]  # ordering, matching: everything shifted by one


def make_variants(
    essays: dict[str, EssayContent], rng: random.Random
) -> dict[tuple[str, str], list[Variant]]:
    out: dict[tuple[str, str], list[Variant]] = {}
    for slug, content in essays.items():
        for _ in range(VARIANTS):
            seed = rng.getrandbits(48)
            bank = build_bank(content, seed)
            for quiz in content.quizzes:
                items = assemble_quiz(bank, quiz, seed)
                right, wrong = [], []
                for item in items:
                    for response, target in (
                        (grading.correct_response(item), right),
                        (_wrong_response(item), wrong),
                    ):
                        target.append(
                            (grading.to_json(response), grading.grade(item, response).points)
                        )
                out.setdefault((slug, quiz.id), []).append(
                    Variant(
                        seed=seed,
                        questions=[i.to_dict() for i in items],
                        max_points=sum(i.max_points for i in items),
                        item_ids=[i.id for i in items],
                        right=right,
                        wrong=wrong,
                    )
                )
    return out


def quiz_slots(essays: dict[str, EssayContent]) -> list[tuple[str, Quiz, int]]:
    """(essay, quiz, attempt number) a student may take, first attempts first."""
    quizzes = [(slug, q) for slug, c in essays.items() for q in c.quizzes]
    deepest = max((q.attempts or UNLIMITED_AS for _s, q in quizzes), default=0)
    return [
        (slug, quiz, number)
        for number in range(1, deepest + 1)
        for slug, quiz in quizzes
        if number <= (quiz.attempts or UNLIMITED_AS)
    ]


class Writer:
    """Buffers rows per table and writes them with executemany, parents before children."""

    ORDER = (
        "user", "course", "course_member", "assignment", "attempt", "response", "card_state",
        "review_log",
    )  # fmt: skip

    def __init__(self, batch: int, bar: Any) -> None:
        self.batch = batch
        self.bar = bar
        self.rows: dict[str, list[dict[str, Any]]] = {name: [] for name in self.ORDER}
        self.tables: dict[str, Table] = {
            m.__table__.name: m.__table__  # type: ignore[attr-defined]
            for m in (
                User,
                Course,
                CourseMember,
                Assignment,
                Attempt,
                ResponseRow,
                CardStateRow,
                ReviewLog,
            )
        }

    def add(self, table: str, row: dict[str, Any]) -> None:
        rows = self.rows[table]
        rows.append(row)
        if len(rows) >= self.batch:
            self.flush()

    def flush(self) -> None:
        written = 0
        for name in self.ORDER:
            rows = self.rows[name]
            if rows:
                db.session.execute(self.tables[name].insert(), rows)
                written += len(rows)
                self.rows[name] = []
        db.session.commit()
        self.bar.update(written)


def _state_dict(card_id: str, s: dict[str, Any]) -> dict[str, Any]:
    """``srs.CardState.to_dict()`` of a simulated state (built directly: millions of them)."""
    return {
        "card_id": card_id,
        "state": s["state"],
        "step": s["step"],
        "stability": s["stability"],
        "difficulty": s["difficulty"],
        "due": s["due"].isoformat() if s["due"] else None,
        "last_review": s["last_review"].isoformat() if s["last_review"] else None,
        "reps": s["reps"],
        "lapses": s["lapses"],
        "suspended": s["suspended"],
        "leech": False,
        "retired": False,
        "priority": False,
    }


def simulate_card(
    user_id: int, essay: str, card_id: str, n_reviews: int, now: datetime, rng: random.Random
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """A card's state after ``n_reviews`` plausible reviews, and their log rows."""
    state: dict[str, Any] = {
        "state": srs.NEW, "step": None, "stability": None, "difficulty": None, "due": None,
        "last_review": None, "reps": 0, "lapses": 0, "suspended": False,
    }  # fmt: skip
    if n_reviews == 0:  # a new card that a quiz miss put at the front of the new cards
        return {**state, "leech": False, "retired": False, "priority": True}, []
    # The last review: today for some cards (today's counts), else within the last 60 days.
    last = now - timedelta(
        minutes=rng.uniform(1, 600) if rng.random() < 0.05 else rng.uniform(600, 60 * 1440)
    )
    span = min(timedelta(days=365), timedelta(days=n_reviews * rng.uniform(2, 15)))
    first = max(last - span, now - timedelta(days=365))
    gap = (last - first) / max(1, n_reviews - 1)
    logs = []
    for k in range(n_reviews):
        at = first + gap * k
        before = _state_dict(card_id, state)
        s_before = state["state"]
        r = rng.random()
        rating = 1 if r < 0.12 else 2 if r < 0.22 else 4 if r > 0.9 else 3
        stability = state["stability"] or rng.uniform(0.5, 3.0)
        difficulty = state["difficulty"] or rng.uniform(3.0, 8.0)
        if s_before == srs.REVIEW and rating == 1:
            state["lapses"] += 1
            next_state, stability = srs.RELEARNING, max(0.1, stability * 0.3)
        elif rating == 1 or (rating == 2 and s_before != srs.REVIEW):
            next_state = srs.LEARNING if s_before in (srs.NEW, srs.LEARNING) else srs.RELEARNING
        else:
            next_state = srs.REVIEW
            if s_before == srs.REVIEW:
                stability = min(3650.0, stability * {2: 1.2, 3: 2.5, 4: 3.5}[rating])
        difficulty = min(10.0, max(1.0, difficulty + (2 - rating) * 0.3))
        state.update(
            state=next_state,
            step=None if next_state == srs.REVIEW else 0,
            stability=round(stability, 4),
            difficulty=round(difficulty, 4),
            last_review=at,
            due=at + (timedelta(days=stability) if next_state == srs.REVIEW
                      else timedelta(minutes=10)),
            reps=state["reps"] + 1,
            suspended=state["lapses"] >= 8,
        )  # fmt: skip
        logs.append(
            {
                "user_id": user_id, "essay": essay, "card_id": card_id, "rating": rating,
                "reviewed_at": at, "duration_ms": rng.randint(1500, 30000),
                "state_before": s_before, "state_after": next_state,
                "before": before, "after": _state_dict(card_id, state),
            }
        )  # fmt: skip
    return {**state, "leech": state["suspended"], "retired": False, "priority": False}, logs


def seed_school(
    essays: dict[str, EssayContent],
    counts: Counts,
    now: datetime,
    *,
    rng_seed: int = 1,
    batch: int = 20_000,
    progress: bool = True,
    course_size: int = 25,
) -> Counts:
    """Write the school; returns the counts written (after the content's caps)."""
    rng = random.Random(rng_seed)
    decks = [(slug, card.id) for slug in essays for card in build_bank(essays[slug], 0).cards]
    slots = quiz_slots(essays)
    counts, notes = plan_counts(counts, len(decks), len(slots))
    for note in notes:
        click.echo(f"Note: {note}.", err=True)
    variants = make_variants(essays, rng)

    first_user = (db.session.execute(select(func.max(User.id))).scalar() or 0) + 1
    first_attempt = (db.session.execute(select(func.max(Attempt.id))).scalar() or 0) + 1
    first_course = (db.session.execute(select(func.max(Course.id))).scalar() or 0) + 1
    n_courses = -(-counts.students // course_size) if course_size > 0 else 0
    quizzes = [(slug, q.id) for slug, c in essays.items() for q in c.quizzes]
    states_per_student = spread(counts.card_states, counts.students)
    attempts_per_student = spread(counts.attempts, counts.students)
    # Reviews go to the started cards; about 1 state in 20 stays new (pulled in by a quiz).
    started = min(counts.card_states - counts.card_states // 20, counts.reviews)
    if counts.reviews and not started:
        started = counts.card_states
    reviews_per_card: Iterator[int] = iter(jitter(spread(counts.reviews, started), rng))
    new_left = counts.card_states - started
    n_responses = sum(
        slots[k][1].questions for n in attempts_per_student for k in range(n)
    )  # fmt: skip
    total = counts.students + 1 + counts.card_states + counts.reviews + counts.attempts
    total += n_responses + n_courses * (3 + len(quizzes)) - min(1, n_courses) + counts.students

    password_hash = hash_password(SEED_PASSWORD)
    bar_cm: Any = (
        click.progressbar(length=total, label="Seeding the school", file=sys.stderr)
        if progress
        else nullcontext(_NoBar())
    )
    with bar_cm as bar:
        out = Writer(batch, bar)
        out.add(
            "user",
            {
                "id": first_user, "email": f"instructor@{DOMAIN}", "name": "Seeded Instructor",
                "password_hash": password_hash, "role": "instructor",
                "created_at": now - timedelta(days=400), "timezone": "Europe/Paris",
                "session_token": random_token(rng),
            },
        )  # fmt: skip
        codes: set[str] = set()
        for k in range(n_courses):
            code = new_join_code()
            while code in codes:
                code = new_join_code()
            codes.add(code)
            out.add(
                "course",
                {"id": first_course + k, "slug": f"course-{k + 1:04d}",
                 "title": f"Essay seminar {k + 1}", "term": "Fall 2026", "join_code": code,
                 "created_at": now - timedelta(days=160)},
            )  # fmt: skip
            for slug, quiz_id in quizzes:
                out.add("assignment", {"course_id": first_course + k, "essay": slug,
                                       "quiz_id": quiz_id})  # fmt: skip
        attempt_id = first_attempt
        for i in range(counts.students):
            user_id = first_user + 1 + i
            out.add(
                "user",
                {
                    "id": user_id, "email": f"student{i + 1:06d}@{DOMAIN}",
                    "name": f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                    "password_hash": password_hash, "role": "student",
                    "created_at": now - timedelta(days=rng.uniform(150, 400)),
                    "timezone": rng.choice(TIMEZONES), "session_token": random_token(rng),
                },
            )  # fmt: skip
            if n_courses:
                out.add(
                    "course_member",
                    {"course_id": first_course + i // course_size, "user_id": user_id,
                     "role": "student", "joined_at": now - timedelta(days=150)},
                )  # fmt: skip
            ability = rng.uniform(0.3, 0.95)
            n_attempts = attempts_per_student[i]
            starts = sorted(now - timedelta(days=rng.uniform(0.1, 150)) for _ in range(n_attempts))
            for k, started_at in enumerate(starts):
                slug, quiz, number = slots[k]
                variant = rng.choice(variants[(slug, quiz.id)])
                submitted_at = started_at + timedelta(minutes=rng.uniform(2, 25))
                total_points = 0.0
                for position, item_id in enumerate(variant.item_ids):
                    bias = (zlib.crc32(item_id.encode()) % 41 - 20) / 100  # item difficulty
                    ok = rng.random() < ability + bias
                    answer, points = (variant.right if ok else variant.wrong)[position]
                    total_points += points
                    out.add(
                        "response",
                        {
                            "attempt_id": attempt_id, "position": position, "item_id": item_id,
                            "answer": answer, "points": points, "locked": True,
                            "saved_at": started_at + (submitted_at - started_at) * (
                                (position + 1) / (len(variant.item_ids) + 1)),
                        },
                    )  # fmt: skip
                out.add(
                    "attempt",
                    {
                        "id": attempt_id, "user_id": user_id, "essay": slug, "quiz_id": quiz.id,
                        "quiz_title": quiz.title, "number": number, "seed": variant.seed,
                        "feedback": quiz.feedback, "grading": quiz.grading,
                        "questions": variant.questions, "started_at": started_at,
                        "deadline": started_at + timedelta(minutes=quiz.time_limit)
                        if quiz.time_limit else None,
                        "submitted_at": submitted_at, "updated_at": submitted_at,
                        "points": round(total_points, 4), "max_points": variant.max_points,
                    },
                )  # fmt: skip
                attempt_id += 1
            for slug, card_id in decks[: states_per_student[i]]:
                if new_left and rng.random() < 0.05:
                    n_reviews, new_left = 0, new_left - 1
                else:
                    n_reviews = next(reviews_per_card, None)
                    if n_reviews is None:  # every started card placed: the rest stay new
                        n_reviews, new_left = 0, new_left - 1
                state, logs = simulate_card(user_id, slug, card_id, n_reviews, now, rng)
                out.add("card_state", {"user_id": user_id, "essay": slug, "card_id": card_id,
                                       **state})  # fmt: skip
                for log in logs:
                    out.add("review_log", log)
        for k in range(n_courses):  # an instructor per course, after the students' ids
            teacher = first_user if k == 0 else first_user + counts.students + k
            if k:
                out.add(
                    "user",
                    {"id": teacher, "email": f"instructor{k + 1:04d}@{DOMAIN}",
                     "name": f"Instructor {k + 1}", "password_hash": password_hash,
                     "role": "instructor", "created_at": now - timedelta(days=400),
                     "timezone": "Europe/Paris", "session_token": random_token(rng)},
                )  # fmt: skip
            out.add(
                "course_member",
                {"course_id": first_course + k, "user_id": teacher, "role": "instructor",
                 "joined_at": now - timedelta(days=160)},
            )  # fmt: skip
        out.flush()
    if db.engine.dialect.name == "postgresql":
        # Ids were given explicitly: move the sequences past them for the app's own inserts.
        for table in ("user", "attempt", "course"):
            db.session.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
                    f'(SELECT MAX(id) FROM "{table}"))'
                )
            )
        db.session.commit()
    leftover = sum(reviews_per_card)
    if leftover:  # cannot happen with the counts planned above; guard the invariant anyway
        raise click.ClickException(f"{leftover} reviews were not placed")
    return counts


class _NoBar:
    def update(self, n: int) -> None:
        pass


def random_token(rng: random.Random) -> str:
    return f"{rng.getrandbits(128):032x}"


@seed_cli.command("school")
@click.option("--students", type=int, default=10_000, show_default=True)
@click.option("--card-states", type=int, default=2_000_000, show_default=True)
@click.option("--reviews", type=int, default=10_000_000, show_default=True)
@click.option("--attempts", type=int, default=200_000, show_default=True)
@click.option("--scale", type=float, default=1.0, show_default=True, help="Multiplies every count.")
@click.option("--seed", "rng_seed", type=int, default=1, show_default=True, help="Random seed.")
@click.option("--batch", type=int, default=20_000, show_default=True, help="Rows per insert.")
@click.option(
    "--course-size", type=int, default=25, show_default=True, help="Students per course (0: none)."
)
def school(
    students: int,
    card_states: int,
    reviews: int,
    attempts: int,
    scale: float,
    rng_seed: int,
    batch: int,
    course_size: int,
) -> None:
    """Seed a synthetic school: students, quiz attempts, flashcard states and reviews."""
    from .content import store
    from .db import upgrade_database

    if scale <= 0:
        raise click.BadParameter("must be above 0", param_hint="--scale")
    upgrade_database(current_app._get_current_object())  # type: ignore[attr-defined]
    s = store()
    essays = s.current().essays
    if not essays:
        raise click.ClickException(
            f"no content to seed with in {s.content_dir} ({len(s.errors)} error(s))"
        )
    if db.session.execute(select(User.id).where(User.email.like(f"%@{DOMAIN}"))).first():
        raise click.ClickException(
            f"this database holds a seeded school already (@{DOMAIN} accounts); "
            "seed a fresh DATABASE_URL"
        )
    wanted = Counts(
        students=max(1, round(students * scale)),
        card_states=round(card_states * scale),
        reviews=round(reviews * scale),
        attempts=round(attempts * scale),
    )
    start = datetime.now(UTC)
    if course_size < 0:
        raise click.BadParameter("must be 0 or more", param_hint="--course-size")
    done = seed_school(
        essays, wanted, start, rng_seed=rng_seed, batch=batch, course_size=course_size
    )
    seconds = (datetime.now(UTC) - start).total_seconds()
    n_courses = -(-done.students // course_size) if course_size else 0
    click.echo(
        f"Seeded {done.students:,} students in {n_courses:,} courses, {done.attempts:,} attempts, "
        f"{done.card_states:,} card states and {done.reviews:,} reviews in {seconds:.1f} s. "
        f"Every account's password: {SEED_PASSWORD}"
    )
