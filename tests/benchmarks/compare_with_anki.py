"""Check ``quizapp cards simulate`` against Anki itself (not part of the test suite).

Replays the seeded 60-day, 50-card workload of tests/test_simulate.py through the real Anki
backend (the ``anki`` wheel from PyPI, FSRS on, the same steps and retention, leeches tag
only) with a faked clock, and through ``quizapp cards simulate --no-fuzz``, and compares the
card after every answer: state, stability, difficulty and, for Review cards, the interval.
Anki runs in test mode (``ANKI_TEST_MODE``), its only way to switch fuzz off; test mode also
moves its clock back two hours between 2 and 4 am local time, so the workload's night
sessions are kept before 2 am here.

    python3 -m venv /tmp/anki-venv && /tmp/anki-venv/bin/pip install anki
    apt-get install libfaketime
    python -m tests.benchmarks.compare_with_anki --anki-python /tmp/anki-venv/bin/python

Needs the shipped content (russia-taliban). Prints the number of answers compared and every
difference.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ZONE = "Europe/Paris"
FAKETIME = "/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1"

# Runs inside the Anki virtualenv, with libfaketime preloaded: reads events, answers them.
ANKI_REPLAY = r"""
import json, os, sys
from datetime import datetime
from zoneinfo import ZoneInfo
import anki.collection
from anki.scheduler.v3 import CardAnswer

clock, path = sys.argv[1], sys.argv[2]
def set_clock(at):
    local = datetime.fromisoformat(at).astimezone(ZoneInfo(os.environ["TZ"]))
    with open(clock, "w") as fh:
        fh.write(local.strftime("@%Y-%m-%d %H:%M:%S"))

events = [json.loads(line) for line in sys.stdin if line.strip()]
set_clock(events[0]["at"])
col = anki.collection.Collection(path)
col.set_config("fsrs", True)
col.set_config("rollover", 4)
conf = col.decks.config_dict_for_deck_id(1)
conf["new"]["delays"] = [1.0, 10.0]
conf["new"]["perDay"] = 9999
conf["rev"]["perDay"] = 9999
conf["rev"]["maxIvl"] = 36500
conf["lapse"]["delays"] = [10.0]
conf["lapse"]["leechAction"] = 1  # tag only
conf["desiredRetention"] = 0.9
col.decks.update_config(conf)
model = col.models.by_name("Basic")
ids = {}
for event in events:
    if event["card"] not in ids:
        note = col.new_note(model)
        note["Front"] = event["card"]
        col.add_note(note, 1)
        ids[event["card"]] = note.cards()[0].id
ratings = {1: CardAnswer.AGAIN, 2: CardAnswer.HARD, 3: CardAnswer.GOOD, 4: CardAnswer.EASY}
names = {1: "learning", 2: "review", 3: "relearning"}
for event in events:
    set_clock(event["at"])
    card = col.get_card(ids[event["card"]])
    card.start_timer()
    states = col._backend.get_scheduling_states(card.id)
    col.sched.answer_card(col.sched.build_answer(card=card, states=states, rating=ratings[event["rating"]]))
    card = col.get_card(card.id)
    print(json.dumps({
        "at": event["at"], "card": event["card"], "state": names[card.type],
        "stability": card.memory_state.stability, "difficulty": card.memory_state.difficulty,
        "interval_days": card.ivl if card.type == 2 else None,
    }), flush=True)
col.close()
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--anki-python", required=True, help="python of a venv with anki")
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args()

    from quizapp import create_app
    from quizapp.content import snapshot

    from ..test_simulate import ESSAY, workload

    root = Path(__file__).resolve().parents[2]
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app(
            {
                "INSTANCE_PATH": tmp,
                "DATABASE_URL": f"sqlite:///{tmp}/x.sqlite",
                "CONTENT_DIR": str(root / "content"),
                "SECRET_KEY": "compare",
            }
        )
        with app.app_context():
            ids = [c.id for c in snapshot().bank(ESSAY).cards][:50]
        events, _ = workload(ids, seed=args.seed, fuzz=False, night=(0.5, 1.9))
        lines = "".join(json.dumps(e) + "\n" for e in events)
        env = {**os.environ, "CONTENT_DIR": str(root / "content")}
        ours = subprocess.run(
            [
                str(Path(sys.executable).parent / "quizapp"),
                "cards",
                "simulate",
                "--essay",
                ESSAY,
                "--tz",
                ZONE,
                "--no-fuzz",
                "--leech-threshold",
                "0",
            ],
            input=lines,
            capture_output=True,
            text=True,
            check=True,
            env=env,
            cwd=tmp,
        ).stdout
        clock = Path(tmp) / "faketime"
        clock.write_text("+0s")  # read before the replay sets the first event's time
        anki_env = {
            **os.environ,
            "TZ": ZONE,
            "ANKI_TEST_MODE": "1",
            "LD_PRELOAD": FAKETIME,
            "FAKETIME_TIMESTAMP_FILE": str(clock),
            "FAKETIME_NO_CACHE": "1",
        }
        theirs = subprocess.run(
            [args.anki_python, "-c", ANKI_REPLAY, str(clock), f"{tmp}/anki.anki2"],
            input=lines,
            capture_output=True,
            text=True,
            check=False,
            env=anki_env,
        )
        if theirs.returncode:
            sys.exit(f"Anki replay failed:\n{theirs.stderr[-3000:]}")
        theirs = theirs.stdout
    compared = differences = 0
    reviews = 0
    for mine, anki in zip(
        map(json.loads, ours.splitlines()), map(json.loads, theirs.splitlines()), strict=True
    ):
        compared += 1
        problems = []
        if mine["state"] != anki["state"]:
            problems.append(f"state {mine['state']} vs {anki['state']}")
        for key in ("stability", "difficulty"):
            if abs(mine[key] - anki[key]) > 1e-4 * max(1.0, abs(anki[key])):
                problems.append(f"{key} {mine[key]:.5f} vs {anki[key]:.5f}")
        if anki["state"] == "review":
            reviews += 1
            if mine["interval_days"] != anki["interval_days"]:
                problems.append(f"interval {mine['interval_days']} vs {anki['interval_days']}")
        if problems:
            differences += 1
            print(mine["at"], mine["card"], "; ".join(problems))
    print(f"{compared} answers compared ({reviews} leaving a Review card): {differences} differ")


if __name__ == "__main__":
    main()
