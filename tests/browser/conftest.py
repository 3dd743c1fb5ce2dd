"""Browser tests: the real server (gunicorn via `quizapp serve`) driven by Debian's Chromium."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from quizapp.bank import Item

from .. import liveserver
from ..conftest import SHIPPED, drop_databases, fresh_database_url

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
# The course the browser tests' students join (every quiz assigned) and its join code.
BROWSER_COURSE = "browser-class"
BROWSER_CODE = "BROWSERCLASS"

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
    database_url: str  # SQLite or PostgreSQL, as the suite runs

    def attempt_items(self, attempt_id: int) -> list[Item]:
        ((questions,),) = self.query("SELECT questions FROM attempt WHERE id = ?", attempt_id)
        if isinstance(questions, str):  # SQLite hands JSON back as text
            questions = json.loads(questions)
        return [Item.from_dict(q) for q in questions]

    def cli(self, *args: str, input: str = "") -> str:
        """Run a `quizapp` command against the live server's database and content."""
        env = {
            **os.environ,
            "DATABASE_URL": self.database_url,
            "CONTENT_DIR": str(SHIPPED),
            "SECRET_KEY": "browser-test-key",
        }
        done = subprocess.run(
            [sys.executable, "-c", "from quizapp.cli import main; main()", *args],
            input=input, env=env, capture_output=True, text=True, check=True,
        )  # fmt: skip
        return done.stdout

    def teach(self, email: str, role: str = "instructor") -> None:
        """Make an account an instructor (or ta) of the browser tests' course."""
        self.cli("courses", "add", BROWSER_COURSE, email, "--role", role)

    def query(self, sql: str, *args: object) -> list[tuple[object, ...]]:
        """Read the live database: ``?`` placeholders; the table ``user`` may be written bare
        (it is a reserved word in PostgreSQL, so it is quoted here)."""
        sql = re.sub(r"\b(FROM|JOIN)\s+user\b", r'\1 "user"', sql, flags=re.IGNORECASE)
        params = {}
        for i, arg in enumerate(args):
            sql = sql.replace("?", f":p{i}", 1)
            params[f"p{i}"] = arg
        engine = create_engine(self.database_url, poolclass=NullPool)
        try:
            with engine.connect() as conn:
                return [tuple(row) for row in conn.execute(text(sql), params)]
        finally:
            engine.dispose()

    def execute(self, sql: str, **params: object) -> None:
        """Write to the live database (``:name`` placeholders), committed at once."""
        engine = create_engine(self.database_url, poolclass=NullPool)
        try:
            with engine.begin() as conn:
                conn.execute(text(sql), params)
        finally:
            engine.dispose()

    def set_deadline(self, attempt_id: int, deadline: datetime) -> None:
        """Move an attempt's deadline (aware UTC), stored the way the app stores times."""
        value: object = deadline
        if self.database_url.startswith("sqlite"):
            value = deadline.astimezone(UTC).replace(tzinfo=None).strftime("%Y-%m-%d %H:%M:%S.%f")
        self.execute("UPDATE attempt SET deadline = :d WHERE id = :i", d=value, i=attempt_id)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    tmp = tmp_path_factory.mktemp("live")
    port = _free_port()
    databases: list[str] = []
    database_url = fresh_database_url(tmp, "live", owner=databases)
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "CONTENT_DIR": str(SHIPPED),
        "SECRET_KEY": "browser-test-key",
    }
    proc = liveserver.start(["serve", "--port", str(port), "--workers", "2"], env)
    url = f"http://127.0.0.1:{port}"
    try:
        liveserver.wait_until_up(url, proc)
    except RuntimeError:
        drop_databases(databases)
        raise
    server = LiveServer(url, database_url)
    try:
        server.cli("courses", "create", "Browser class", "--code", BROWSER_CODE, "--assign-all")
        yield server
    finally:
        liveserver.stop(proc)
    drop_databases(databases)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()
