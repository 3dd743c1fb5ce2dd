"""Shared fixtures: an app on a temporary database, its client and CLI runner.

The suite runs on SQLite by default (a file per test). With DATABASE_URL set to a PostgreSQL
URL (postgresql+psycopg://user:password@host:port/db, a role allowed to create databases), each
test gets a fresh database of its own, created from that URL and dropped when the test ends.
"""

from __future__ import annotations

import os
import secrets
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import Engine, create_engine, make_url
from sqlalchemy.pool import NullPool

from quizapp import create_app
from quizapp.extensions import db

TESTS = Path(__file__).resolve().parent
TINY = TESTS / "data" / "tiny"
SHIPPED = TESTS.parent / "content"

ADMIN_URL = os.environ.get("DATABASE_URL", "")
ON_POSTGRES = make_url(ADMIN_URL).get_backend_name() == "postgresql" if ADMIN_URL else False
sqlite_only = pytest.mark.skipif(ON_POSTGRES, reason="SQLite-specific (DATABASE_URL is PostgreSQL)")
postgres_only = pytest.mark.skipif(
    not ON_POSTGRES, reason="needs DATABASE_URL=postgresql+psycopg://..."
)

BROWSER_TESTS = TESTS / "browser"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Test tiers: every test under tests/browser/ is a ``browser`` test, and browser and
    ``concurrency`` tests are ``slow`` too, so ``pytest -m "not slow"`` leaves them out."""
    for item in items:
        if BROWSER_TESTS in item.path.parents:
            item.add_marker(pytest.mark.browser)
        if item.get_closest_marker("browser") or item.get_closest_marker("concurrency"):
            item.add_marker(pytest.mark.slow)


_admin: Engine | None = None
_per_test: list[str] = []  # databases made during the running test, dropped at its end
_urls: dict[Path, str] = {}  # their URLs by the SQLite file they stand for
_apps: list[Flask] = []  # apps made during the running test: their pools are closed at its end


def _admin_engine() -> Engine:
    global _admin
    if _admin is None:
        _admin = create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    return _admin


def fresh_database_url(
    tmp_path: Path, name: str = "test", *, owner: list[str] | None = None
) -> str:
    """The URL of the database ``name`` under tmp_path: an SQLite file, or on PostgreSQL a
    database of its own, made on first use (the same for the same tmp_path and name, as the
    file would be) and dropped when the test ends (given ``owner``, by ``drop_databases``)."""
    sqlite_file = tmp_path / f"{name}.sqlite"
    if not ON_POSTGRES:
        return f"sqlite:///{sqlite_file}"
    if sqlite_file in _urls:
        return _urls[sqlite_file]
    database = f"quizapp_test_{secrets.token_hex(6)}"
    with _admin_engine().connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{database}"')
    url = make_url(ADMIN_URL).set(database=database).render_as_string(hide_password=False)
    if owner is None:
        _per_test.append(database)
        _urls[sqlite_file] = url
    else:
        owner.append(database)
    return url


def drop_databases(databases: list[str]) -> None:
    if not databases:
        return
    with _admin_engine().connect() as conn:
        while databases:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{databases.pop()}" WITH (FORCE)')


@pytest.fixture(autouse=True)
def _clean_databases() -> Iterator[None]:
    yield
    while _apps:
        app = _apps.pop()
        if "sqlalchemy" in app.extensions:
            with app.app_context():
                for engine in db.engines.values():
                    engine.dispose()
    _urls.clear()
    drop_databases(_per_test)


@pytest.fixture(scope="session", autouse=True)
def _close_admin_engine() -> Iterator[None]:
    yield
    if _admin is not None:
        _admin.dispose()


@pytest.fixture
def tiny_dir(tmp_path: Path) -> Path:
    """A private copy of the tiny test essay, safe to edit."""
    target = tmp_path / "content"
    shutil.copytree(TINY, target)
    return target


def make_app(tmp_path: Path, content_dir: Path, **config: object) -> Flask:
    if "DATABASE_URL" not in config:
        config["DATABASE_URL"] = fresh_database_url(tmp_path)
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-only-key",
            "INSTANCE_PATH": str(tmp_path / "instance"),
            "CONTENT_DIR": str(content_dir),
            **config,
        }
    )
    _apps.append(app)
    return app


@pytest.fixture
def app(tmp_path: Path, tiny_dir: Path) -> Iterator[Flask]:
    yield make_app(tmp_path, tiny_dir)


@pytest.fixture
def shipped_app(tmp_path: Path) -> Iterator[Flask]:
    yield make_app(tmp_path, SHIPPED)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    return app.test_cli_runner()
