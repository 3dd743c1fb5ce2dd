"""``quizapp cards simulate``: a seeded 60-day, 50-card workload replayed through the app's
own queue and review path gives, for every answer, the card Anki's rules give
(tests/anki_reference.py), across the October clock change in Paris and 1-4 am sessions that
still belong to the previous study day."""

from __future__ import annotations

import json
import random
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from flask import Flask

from quizapp import srs
from quizapp.content import snapshot

from . import anki_reference as anki

ZONE = "Europe/Paris"
ESSAY = "russia-taliban"


def _at(day: date, hour: float, tz: ZoneInfo) -> datetime:
    local = datetime.combine(day, time(0), tzinfo=tz) + timedelta(hours=hour)
    # wall-clock arithmetic: the local time of day `hour`, resolved in the zone
    return local.astimezone(UTC)


def workload(
    card_ids: list[str], seed: int, fuzz: bool, night: tuple[float, float] = (0.5, 3.5)
) -> tuple[list[dict[str, object]], list[anki.Card]]:
    """A learner studying ``card_ids`` for 60 days, driven by Anki's model: every answer is
    given when that model says the card is due, new cards in content order."""
    rng = random.Random(seed)
    tz = ZoneInfo(ZONE)
    model = anki.Model(zone=ZONE)
    cards = {cid: anki.Card() for cid in card_ids}
    unseen = list(card_ids)
    events: list[dict[str, object]] = []
    expected: list[anki.Card] = []
    clock = datetime(2026, 9, 20, tzinfo=UTC)
    for d in range(60):
        day = date(2026, 9, 20) + timedelta(days=d)
        sessions = [(day, rng.uniform(6, 10))]
        if rng.random() < 0.5:
            sessions.append((day, rng.uniform(18, 23.5)))
        elif rng.random() < 0.5:  # after midnight: still the same study day
            sessions.append((day + timedelta(days=1), rng.uniform(*night)))
        for number, (on, hour) in enumerate(sessions):
            t = max(_at(on, hour, tz), clock + timedelta(minutes=1))
            new = (
                [unseen.pop(0) for _ in range(min(rng.randint(3, 8), len(unseen)))]
                if (number == 0)
                else []
            )
            budget = rng.randint(5, 30) if number == 0 else 10**6  # mornings stop early
            while budget > 0:
                budget -= 1
                today = anki.day_number(t, ZONE, 4)
                learning = sorted(
                    (c.due_time, cid)
                    for cid, c in cards.items()
                    if c.state in ("learning", "relearning") and c.due_time is not None
                )
                due_learning = [cid for when, cid in learning if when <= t]
                reviews = [
                    cid
                    for cid, c in cards.items()
                    if c.state == "review" and c.due_day is not None and c.due_day <= today
                ]
                pick = (due_learning or reviews or new or [None])[0]
                if pick is None:
                    soon = [when for when, _ in learning if when <= t + timedelta(minutes=15)]
                    if not soon:
                        break
                    t = min(soon)
                    continue
                if pick in new:
                    new.remove(pick)
                card = cards[pick]
                weights = [10, 15, 65, 10] if card.state == "review" else [15, 10, 60, 15]
                rating = rng.choices([1, 2, 3, 4], weights)[0]
                factor = srs.fuzz_factor(pick, card.reps) if fuzz else None
                cards[pick] = model.answer(card, t, rating, factor)
                expected.append(cards[pick])
                events.append(
                    {"at": t.isoformat().replace("+00:00", "Z"), "card": pick, "rating": rating}
                )
                t += timedelta(seconds=rng.randint(5, 40))
            unseen[:0] = new  # not reached today: still first in line
            clock = t
    return events, expected


@pytest.mark.parametrize("fuzz", [False, True], ids=["no-fuzz", "fuzz"])
def test_sixty_days_fifty_cards_follow_ankis_rules(shipped_app: Flask, fuzz: bool) -> None:
    with shipped_app.app_context():
        ids = [c.id for c in snapshot().bank(ESSAY).cards][:50]
    events, expected = workload(ids, seed=13, fuzz=fuzz)
    assert len(events) > 400 and {e["card"] for e in events} == set(ids)
    args = ["cards", "simulate", "--essay", ESSAY, "--tz", ZONE, "--leech-threshold", "0"]
    if not fuzz:
        args.append("--no-fuzz")
    result = shipped_app.test_cli_runner().invoke(
        args=args, input="".join(json.dumps(e) + "\n" for e in events)
    )
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.output.splitlines()]
    assert len(lines) == len(events)
    review_answers = 0
    for event, line, want in zip(events, lines, expected, strict=True):
        where = f"{event}: {line}"
        assert (line["at"], line["card"], line["rating"]) == (
            event["at"],
            event["card"],
            event["rating"],
        )
        assert line["queued"] is True, where
        assert line["state"] == want.state, where
        assert line["stability"] == pytest.approx(want.stability, rel=1e-9), where
        assert line["difficulty"] == pytest.approx(want.difficulty, rel=1e-9), where
        due = datetime.fromisoformat(line["due"])
        if want.state == "review":
            review_answers += 1
            assert line["interval_days"] == want.scheduled_days, where
            assert anki.day_number(due, ZONE, 4) == want.due_day, where
        else:
            assert line["step"] == want.step, where
            assert due == want.due_time, where
    assert review_answers > 150, review_answers
    # the clock change and night sessions were exercised
    ats = [datetime.fromisoformat(str(e["at"])) for e in events]
    assert min(ats) < datetime(2026, 10, 25, tzinfo=UTC) < max(ats)
    assert any(a.astimezone(ZoneInfo(ZONE)).hour < 4 for a in ats)


def test_simulate_rejects_bad_input(shipped_app: Flask) -> None:
    runner = shipped_app.test_cli_runner()
    base = ["cards", "simulate", "--essay", ESSAY, "--tz", ZONE]
    bad_card = runner.invoke(
        args=base, input='{"at": "2026-01-01T10:00:00Z", "card": "x", "rating": 3}\n'
    )
    assert bad_card.exit_code == 1 and "no card" in bad_card.output
    naive = runner.invoke(
        args=base, input='{"at": "2026-01-01T10:00:00", "card": "x", "rating": 3}\n'
    )
    assert naive.exit_code == 1 and "time zone" in naive.output
    assert runner.invoke(args=["cards", "simulate", "--essay", "nope", "--tz", ZONE]).exit_code == 2
    assert runner.invoke(args=[*base[:-1], "Mars/Base"], input="").exit_code != 0
    flags = runner.invoke(args=[*base, "--learning-steps", "1 minute"], input="")
    assert flags.exit_code == 2
