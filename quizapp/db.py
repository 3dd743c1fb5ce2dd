"""The database: binding it to an app (engine options, SQLite's file mode and pragmas on the
app's own engine), and bringing its schema up to date (Alembic, through Flask-Migrate).

Migrating is explicit: ``quizapp db upgrade`` and ``quizapp serve`` (and every command that
writes) call :func:`upgrade_database`; an app migrates before its first request only when
``AUTO_MIGRATE`` is set (``QUIZAPP_AUTO_MIGRATE=1``)."""

from __future__ import annotations

import contextlib
import fcntl
import os
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import event, text

from .extensions import db, migrate

MIGRATIONS = Path(__file__).resolve().parent / "migrations"

# pg_advisory_lock key for migrations (any constant bigint; the same in every process).
MIGRATE_LOCK_KEY = 0x5155495A4D4947  # "QUIZMIG"


def database_uri(url: str) -> str:
    """The SQLAlchemy URL for DATABASE_URL: a bare postgres:// or postgresql:// URL gets
    psycopg (version 3), the driver installed with the app."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def init_app(app: Flask) -> None:
    """Bind ``db`` and Flask-Migrate to ``app`` from its ``DATABASE_URL``; an SQLite engine
    gets the listeners below (no other engine of the process does)."""
    app.config["SQLALCHEMY_DATABASE_URI"] = database_uri(app.config["DATABASE_URL"])
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", {"connect_args": {"timeout": 15}})
    else:  # a server database: drop connections it closed (restart, idle timeout) unseen
        app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", {"pool_pre_ping": True})
    db.init_app(app)
    migrate.init_app(app, db, directory=str(MIGRATIONS), render_as_batch=True)
    with app.app_context():
        for engine in db.engines.values():
            if engine.dialect.name == "sqlite":
                event.listen(engine, "do_connect", _private_sqlite_file)
                event.listen(engine, "connect", _sqlite_pragmas)


def migrate_before_first_request(app: Flask) -> None:
    """With ``AUTO_MIGRATE``: the schema is brought up to date when the app starts to serve,
    once per process, before its first request."""
    if not app.config["AUTO_MIGRATE"]:
        return

    @app.before_request
    def _migrate_once() -> None:
        if not app.extensions.get("db_ready"):
            upgrade_database(app)


def upgrade_database(app: Flask) -> None:
    """Bring the schema to the newest migration; one process at a time.

    A file lock in the instance folder serializes the processes of one machine; on PostgreSQL
    an advisory lock serializes every server sharing the database as well.
    """
    from flask_migrate import upgrade

    if app.extensions.get("db_ready"):
        return
    lock_path = Path(app.instance_path) / "migrate.lock"
    with open(lock_path, "w") as lock, app.app_context():
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            if db.engine.dialect.name == "postgresql":
                with db.engine.connect() as conn:
                    conn.execute(text("SELECT pg_advisory_lock(:key)"), {"key": MIGRATE_LOCK_KEY})
                    conn.commit()
                    try:
                        upgrade(directory=str(MIGRATIONS))
                    finally:
                        conn.execute(
                            text("SELECT pg_advisory_unlock(:key)"), {"key": MIGRATE_LOCK_KEY}
                        )
                        conn.commit()
            else:
                upgrade(directory=str(MIGRATIONS))
            app.extensions["db_ready"] = True
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _private_sqlite_file(
    dialect: Any, conn_rec: Any, cargs: tuple[Any, ...], cparams: dict[str, Any]
) -> None:
    """A new SQLite database file is made readable by the owner only (0600), as the secret
    key is, just before SQLite would create it; SQLite gives its -wal and -shm the same mode."""
    database = str(cargs[0] if cargs else cparams.get("database", ""))
    if not database or database == ":memory:" or database.startswith("file:"):
        return
    with contextlib.suppress(FileExistsError, FileNotFoundError):  # (no folder: SQLite says)
        os.close(os.open(database, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))


def _sqlite_pragmas(dbapi_connection: Any, connection_record: Any) -> None:
    """WAL journal and enforced foreign keys on every SQLite connection."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    # With WAL, NORMAL is crash-safe for the app (a killed process loses nothing committed;
    # only a power cut can drop the last commits) and halves the time writers hold the lock.
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=15000")
    cursor.close()
