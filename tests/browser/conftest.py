"""Browser tests: the real server (gunicorn via `quizapp serve`) driven by Debian's Chromium."""

from __future__ import annotations

import json
import os
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from quizapp.bank import Item

from ..conftest import SHIPPED

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if CHROMIUM.exists():
        return
    if os.environ.get("REQUIRE_BROWSER"):
        raise pytest.UsageError(f"REQUIRE_BROWSER is set but {CHROMIUM} is missing")
    skip = pytest.mark.skip(reason=f"{CHROMIUM} not installed (apt-get install chromium)")
    for item in items:
        if "browser" in str(item.fspath):
            item.add_marker(skip)


@dataclass
class LiveServer:
    url: str
    db_path: Path

    def attempt_items(self, attempt_id: int) -> list[Item]:
        with sqlite3.connect(self.db_path) as conn:
            (questions,) = conn.execute(
                "SELECT questions FROM attempt WHERE id = ?", (attempt_id,)
            ).fetchone()
        return [Item.from_dict(q) for q in json.loads(questions)]

    def cli(self, *args: str, input: str = "") -> str:
        """Run a `quizapp` command against the live server's database and content."""
        env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{self.db_path}",
            "CONTENT_DIR": str(SHIPPED),
            "SECRET_KEY": "browser-test-key",
        }
        done = subprocess.run(
            [sys.executable, "-c", "from quizapp.cli import main; main()", *args],
            input=input, env=env, capture_output=True, text=True, check=True,
        )  # fmt: skip
        return done.stdout

    def query(self, sql: str, *args: object) -> list[tuple[object, ...]]:
        with sqlite3.connect(self.db_path) as conn:
            return conn.execute(sql, args).fetchall()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    tmp = tmp_path_factory.mktemp("live")
    port = _free_port()
    db_path = tmp / "live.sqlite"
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{db_path}",
        "CONTENT_DIR": str(SHIPPED),
        "SECRET_KEY": "browser-test-key",
    }
    proc = subprocess.Popen(
        [sys.executable, "-c", "from quizapp.cli import main; main()", "serve",
         "--port", str(port), "--workers", "2"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            urllib.request.urlopen(url + "/", timeout=1).close()
            break
        except OSError:
            time.sleep(0.1)
    else:
        proc.kill()
        raise RuntimeError("the server did not start")
    yield LiveServer(url, db_path)
    proc.terminate()
    proc.wait(timeout=20)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()
