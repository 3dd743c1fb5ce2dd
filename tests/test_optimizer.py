"""Fitting FSRS to a learner's reviews (fsrs-rs-python) and rescheduling on a change."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from quizapp import optimizer, srs
from quizapp.cards import load_state, settings_for
from quizapp.extensions import db
from quizapp.models import CardStateRow as CardRow
from quizapp.models import ReviewLog, User

from .conftest import make_app
from .helpers import register

T0 = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)
PARIS = srs.Settings(timezone="Europe/Paris", leech_threshold=0)


def synthetic_log(
    seed: int, cards: int = 150, days: int = 120, forget: float = 1.4
) -> tuple[list[srs.ReviewLogEntry], dict[str, srs.CardState]]:
    """A seeded learner who forgets faster than the default parameters predict (recall
    probability R ** ``forget``), answering each card when due, up to a day late."""
    rng = random.Random(seed)
    logs: list[srs.ReviewLogEntry] = []
    states: dict[str, srs.CardState] = {}
    for c in range(cards):
        state = srs.CardState(f"c{c}:card")
        now = T0 + timedelta(days=c % 30, minutes=rng.randint(0, 600))
        while now < T0 + timedelta(days=days):
            if state.state == srs.REVIEW:
                recall = rng.random() < srs.retrievability(state, now, PARIS) ** forget
                rating = rng.choices([2, 3, 4], [15, 75, 10])[0] if recall else 1
            else:
                rating = rng.choices([1, 2, 3, 4], [20, 10, 55, 15])[0]
            result = srs.review(state, rating, now, PARIS)
            logs.append(result.log)
            state = result.new_state
            assert state.due is not None
            now = max(state.due, now + timedelta(minutes=1)) + timedelta(hours=rng.uniform(0, 30))
        states[state.card_id] = state
    return logs, states


def test_optimizer_fits_a_synthetic_log_with_parameters_the_scheduler_accepts() -> None:
    logs, _ = synthetic_log(seed=3)
    assert len(logs) >= optimizer.MIN_REVIEWS
    result = optimizer.optimize(logs, PARIS)
    assert result.reviews == len(logs) and result.items > 500
    assert len(result.parameters) == len(PARIS.parameters)
    assert result.parameters != PARIS.parameters
    fitted = replace(PARIS, parameters=result.parameters)  # validated by the library
    assert srs.scheduler(fitted).parameters == result.parameters
    # the scheduler runs with them, and they predict this learner better than the defaults
    assert srs.review(srs.CardState("x"), srs.GOOD, T0, fitted).new_state.state == srs.LEARNING
    assert result.log_loss_after < result.log_loss_before
    assert result.rmse_after < result.rmse_before
    # seeded and deterministic (the evaluation sums floats in parallel: equal to ~1e-6)
    again = optimizer.optimize(logs, PARIS)
    assert again.parameters == result.parameters
    assert again.log_loss_after == pytest.approx(result.log_loss_after, rel=1e-5)


def test_optimizer_needs_enough_reviews_of_cards_first_seen_here() -> None:
    logs, _ = synthetic_log(seed=1, cards=5, days=20)
    with pytest.raises(ValueError, match="at least 400 reviews"):
        optimizer.optimize(logs, PARIS)
    # a card's history before its first answer as a new card is not used
    cut = [log for log in logs if log.card_id != "c0:card" or log.state_before_code != 0]
    _items, used = optimizer.training_items(cut, "Europe/Paris", 4)
    assert used == len([log for log in logs if log.card_id != "c0:card"])


def test_training_items_count_study_days() -> None:
    state = srs.CardState("c")
    logs = []
    # 20:00 Paris, then 19:50 the next evening: one study day, though under 24 hours
    for rating, at in (
        (3, datetime(2026, 5, 4, 18, 0, tzinfo=UTC)),
        (3, datetime(2026, 5, 4, 18, 10, tzinfo=UTC)),
        (3, datetime(2026, 5, 5, 17, 50, tzinfo=UTC)),
    ):
        result = srs.review(state, rating, at, PARIS)
        logs.append(result.log)
        state = result.new_state
    sequences, used = optimizer.review_sequences(logs, "Europe/Paris", 4)
    assert used == 3
    assert sequences == [[(3, 0), (3, 0), (3, 1)]]  # the same-day step ends no item
    items, _ = optimizer.training_items(logs, "Europe/Paris", 4)
    assert len(items) == 1 and items[0].long_term_review_cnt() == 1


def test_replay_and_reschedule() -> None:
    logs, states = synthetic_log(seed=5, cards=3, days=60)
    for card_id, state in states.items():
        mine = [log for log in logs if log.card_id == card_id]
        assert srs.replay(state, mine, PARIS) == state  # same settings: same card
        assert srs.replay(state, mine[1:], PARIS) is None  # not the whole history
    review = next(s for s in states.values() if s.state == srs.REVIEW)
    assert srs.reschedule(review, PARIS) == review  # unchanged settings: unchanged due
    stricter = srs.reschedule(review, replace(PARIS, desired_retention=0.97))
    looser = srs.reschedule(review, replace(PARIS, desired_retention=0.8))
    assert stricter.due < review.due < looser.due  # type: ignore[operator]
    assert stricter.last_review == review.last_review
    learning = srs.CardState(
        "l", state=srs.LEARNING, step=0, stability=1.0, difficulty=5.0, due=T0, last_review=T0
    )
    assert srs.reschedule(learning, replace(PARIS, desired_retention=0.8)) == learning


@pytest.fixture
def app(tmp_path: Path, tiny_dir: Path) -> Flask:
    return make_app(tmp_path, tiny_dir, WTF_CSRF_ENABLED=False)


@pytest.fixture
def user(app: Flask, client: FlaskClient) -> User:
    register(client)
    with app.app_context():
        u = db.session.execute(db.select(User)).scalar_one()
        db.session.expunge(u)
        return u


def test_optimize_from_the_settings_page_and_reschedule(
    app: Flask, client: FlaskClient, user: User
) -> None:
    logs, states = synthetic_log(seed=3)
    page = client.get("/cards/settings").get_data(as_text=True)
    assert "You have 0 reviews" in page and "disabled" in page
    refused = client.post("/cards/settings/optimize", data={"action": "optimize"})
    assert refused.status_code == 302
    with app.app_context():
        for log in logs:
            db.session.add(
                ReviewLog(
                    user_id=user.id,
                    essay="printing-press",
                    card_id=log.card_id,
                    rating=log.rating,
                    reviewed_at=log.reviewed_at,
                    duration_ms=None,
                    state_before=log.state_before_code,
                    state_after=log.after.state,
                    before=log.state_before,
                    after=log.state_after,
                )
            )
        for state in states.values():
            db.session.add(
                CardRow(
                    user_id=user.id,
                    essay="printing-press",
                    **state.to_dict() | {"due": state.due, "last_review": state.last_review},
                )
            )
        u = db.session.get(User, user.id)
        u.srs_settings = {"leech_threshold": 0}
        db.session.commit()
        before = {cid: load_state(user.id, "printing-press", cid) for cid in states}
    response = client.post("/cards/settings/optimize", data={"action": "optimize"})
    assert response.status_code == 302
    page = client.get("/cards/settings").get_data(as_text=True)
    assert "fitted to your" in page and "log loss" in page and "cards were rescheduled" in page
    with app.app_context():
        settings = settings_for(db.session.get(User, user.id))
        assert settings.parameters != srs.Settings().parameters
        after = {cid: load_state(user.id, "printing-press", cid) for cid in states}
        moved = [cid for cid in states if after[cid] != before[cid]]
        assert len(moved) > len(states) // 2
        # each card is now what its history gives under the fitted parameters
        for cid in moved[:10]:
            mine = [log for log in logs if log.card_id == cid]
            want = srs.reschedule(srs.replay(before[cid], mine, settings), settings)
            assert after[cid] == want
        # raising the desired retention reschedules too: Review cards come due sooner
        reviews = [cid for cid in states if after[cid].state == srs.REVIEW]
    client.post(
        "/cards/settings",
        data={
            "new_per_day": "20",
            "reviews_per_day": "200",
            "learning_steps": "1m 10m",
            "relearning_steps": "10m",
            "desired_retention": "0.97",
            "maximum_interval": "36500",
            "day_starts_hour": "4",
            "new_mix": "mix",
            "review_sort": "due",
            "leech_threshold": "0",
            "leech_action": "suspend",
            "enable_fuzzing": "y",
        },
    )
    with app.app_context():
        settings = settings_for(db.session.get(User, user.id))
        assert settings.desired_retention == 0.97
        now_due = {cid: load_state(user.id, "printing-press", cid).due for cid in reviews}
        assert all(now_due[cid] <= after[cid].due for cid in reviews)  # 1-day ones stay
        assert sum(now_due[cid] < after[cid].due for cid in reviews) > len(reviews) * 0.9
    reset = client.post("/cards/settings/optimize", data={"action": "reset"})
    assert reset.status_code == 302
    with app.app_context():
        assert settings_for(db.session.get(User, user.id)).parameters == srs.Settings().parameters


def test_course_optimization_from_all_students_reviews(app: Flask, client: FlaskClient) -> None:
    """``quizapp cards optimize --essay E [--apply]``: one fit over every student's reviews;
    applied to the students without a fit of their own, whose cards are rescheduled."""
    import json

    logs, states = synthetic_log(seed=3)
    half = {cid for i, cid in enumerate(states) if i % 2}
    client.get("/auth/login")  # the first request migrates the database
    with app.app_context():
        users = []
        for name in ("a", "b", "c"):
            u = User(
                email=f"{name}@example.org", name=name, password_hash="-", timezone="Europe/Paris"
            )
            db.session.add(u)
            users.append(u)
        db.session.flush()
        own = {"optimized": {"scope": "own", "reviews": 1, "at": "2026-01-01"}, "version": 2}
        users[2].srs_settings = own
        for u, mine in ((users[0], half), (users[1], set(states) - half)):
            for log in logs:
                if log.card_id in mine:
                    db.session.add(
                        ReviewLog(
                            user_id=u.id,
                            essay="printing-press",
                            card_id=log.card_id,
                            rating=log.rating,
                            reviewed_at=log.reviewed_at,
                            duration_ms=None,
                            state_before=log.state_before_code,
                            state_after=log.after.state,
                            before=log.state_before,
                            after=log.state_after,
                        )
                    )
            for cid in mine:
                s = states[cid]
                db.session.add(
                    CardRow(
                        user_id=u.id,
                        essay="printing-press",
                        **s.to_dict() | {"due": s.due, "last_review": s.last_review},
                    )
                )
        db.session.commit()
        ids = [u.id for u in users]
    runner = app.test_cli_runner()
    dry = runner.invoke(args=["cards", "optimize", "--essay", "printing-press"])
    assert dry.exit_code == 0, dry.output
    fit = json.loads(dry.output)
    assert fit["reviews"] == len(logs) and fit["students_given_them"] == 0
    assert fit["log_loss_after"] < fit["log_loss_before"]
    # one student's reviews alone: the same sequences, so pooling lost nothing
    single = optimizer.optimize(logs, PARIS)
    assert fit["items"] == single.items
    done = runner.invoke(args=["cards", "optimize", "--essay", "printing-press", "--apply"])
    assert json.loads(done.output)["students_given_them"] == 2
    with app.app_context():
        given = [settings_for(db.session.get(User, i)) for i in ids]
        assert given[0].parameters == given[1].parameters == tuple(fit["parameters"])
        assert given[2].parameters == srs.Settings().parameters  # had a fit of their own
        moved = [c for c in half if load_state(ids[0], "printing-press", c) != states[c]]
        assert moved
    none = runner.invoke(args=["cards", "optimize", "--essay", "nope"])
    assert none.exit_code == 1 and "at least 400 reviews" in none.output
