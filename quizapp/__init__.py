"""Essay Study: quizzes and spaced-repetition flashcards generated from an essay."""

from __future__ import annotations

import contextlib
import fcntl
import os
import secrets
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import event, text
from sqlalchemy.engine import Engine
from werkzeug.middleware.proxy_fix import ProxyFix

from . import ratelimit, timing
from .content import ContentStore
from .extensions import csrf, db, login_manager, migrate
from .sessions import REMEMBER_DURATION, SESSION_IDLE

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_ROOT = PACKAGE_DIR.parent
MIGRATIONS = PACKAGE_DIR / "migrations"


def site_folder(name: str) -> Path:
    """``templates``, ``static`` or ``content``: inside an installed package (setup.py's
    build hook copies them to ``quizapp/_shipped/``), else the checkout's top-level folder."""
    shipped = PACKAGE_DIR / "_shipped" / name
    return shipped if shipped.is_dir() else PROJECT_ROOT / name


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    app = Flask(
        __name__,
        instance_path=(test_config or {}).get("INSTANCE_PATH"),
        instance_relative_config=True,
        template_folder=str(site_folder("templates")),
        static_folder=str(site_folder("static")),
    )
    instance = Path(app.instance_path)
    instance.mkdir(parents=True, exist_ok=True)
    app.config.from_mapping(
        DATABASE_URL=os.environ.get("DATABASE_URL") or f"sqlite:///{instance / 'quizapp.sqlite'}",
        CONTENT_DIR=os.environ.get("CONTENT_DIR") or str(site_folder("content")),
        CONTENT_CHECK_INTERVAL=2.0,
        AUTO_MIGRATE=True,
        SESSION_COOKIE_SAMESITE="Lax",
        REMEMBER_COOKIE_SAMESITE="Lax",
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_DURATION=REMEMBER_DURATION,
        # A form's token is tied to the session's CSRF secret, which sign-in and sign-out
        # renew and an ended sign-in drops; it also ages out with an idle sign-in.
        WTF_CSRF_TIME_LIMIT=int(SESSION_IDLE.total_seconds()),
        # Request size (README, Security): the largest form (a quiz page's answers) is a few
        # kilobytes, and no form takes files. Larger requests get 413 before being read.
        MAX_CONTENT_LENGTH=128 * 1024,
        MAX_FORM_MEMORY_SIZE=128 * 1024,
        MAX_FORM_PARTS=200,
    )
    https = os.environ.get("QUIZAPP_HTTPS", "") in ("1", "true", "yes")
    app.config.update(
        # Behind https (see README, Security): cookies only over TLS.
        SESSION_COOKIE_SECURE=https,
        REMEMBER_COOKIE_SECURE=https,
        PREFERRED_URL_SCHEME="https" if https else "http",
        PRODUCTION=os.environ.get("QUIZAPP_ENV") == "production",
        # Rate-limit counts: the app's database unless this names another store (redis://).
        RATELIMIT_STORAGE_URI=os.environ.get("RATELIMIT_STORAGE_URI") or "quizapp-db://",
        # How many reverse proxies in front of the app append to X-Forwarded-For (README).
        PROXIES=_proxies(os.environ.get("QUIZAPP_PROXIES", "")),
        # Where the site is reached (https://study.example.org): the command line builds
        # password reset links under it; the web uses the request's own host.
        BASE_URL=os.environ.get("QUIZAPP_BASE_URL", ""),
        # Optional mail for password reset links (README, Accounts); without SMTP_HOST the
        # link is shown to the instructor to hand over.
        **{
            f"SMTP_{key}": os.environ.get(f"QUIZAPP_SMTP_{key}", "")
            for key in ("HOST", "PORT", "USER", "PASSWORD", "FROM", "TLS")
        },
        # Registration needs a course's join code, so a public server collects no strangers.
        REQUIRE_JOIN_CODE=os.environ.get("QUIZAPP_REQUIRE_JOIN_CODE", "") in ("1", "true", "yes"),
    )
    if test_config:
        app.config.update(test_config)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = os.environ.get("SECRET_KEY") or _instance_secret(instance)
    if app.config["PRODUCTION"] and not app.config.get("TESTING"):
        check_secret_key(app.config["SECRET_KEY"], from_env="SECRET_KEY" in os.environ)
    app.config["SQLALCHEMY_DATABASE_URI"] = database_uri(app.config["DATABASE_URL"])
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", {"connect_args": {"timeout": 15}})
    else:  # a server database: drop connections it closed (restart, idle timeout) unseen
        app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", {"pool_pre_ping": True})

    db.init_app(app)
    timing.init_app(app)  # first after_request registered: its total includes the others
    migrate.init_app(app, db, directory=str(MIGRATIONS), render_as_batch=True)
    login_manager.init_app(app)
    csrf.init_app(app)
    ratelimit.init_app(app)
    if app.config["PROXIES"]:
        n = app.config["PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n)  # type: ignore[method-assign]
    app.extensions["content"] = ContentStore(
        Path(app.config["CONTENT_DIR"]), app.config["CONTENT_CHECK_INTERVAL"]
    )

    from . import (  # noqa: F401
        accounts,
        auth,
        card_views,
        course_views,
        essays,
        home,
        instructor,
        models,
        progress,
        quiz_views,
        views,
    )

    app.register_blueprint(home.bp)
    app.register_blueprint(auth.bp)
    app.register_blueprint(essays.bp)
    app.register_blueprint(quiz_views.bp)
    app.register_blueprint(card_views.bp)
    app.register_blueprint(instructor.bp)
    app.register_blueprint(progress.bp)
    app.register_blueprint(accounts.bp)
    app.register_blueprint(course_views.bp)
    views.init_app(app)
    app.cli.add_command(auth.users_cli)
    from .cli import register

    register(app)

    if app.config["AUTO_MIGRATE"]:
        # The schema is brought up to date when the app starts to serve: once per process,
        # before its first request (and by `quizapp serve` before the workers start).
        @app.before_request
        def _migrate_once() -> None:
            if not app.extensions.get("db_ready"):
                upgrade_database(app)

    auth.init_app(app)  # after the migration hook: it reads the sign-in from the database
    return app


def _proxies(value: str) -> int:
    value = value.strip()
    if not value:
        return 0
    if not value.isdigit() or int(value) > 10:
        raise InsecureConfig(f"QUIZAPP_PROXIES={value!r}: give the number of proxies, 0 to 10")
    return int(value)


WEAK_SECRETS = {"dev", "development", "secret", "changeme", "change-me", "test", "password", "key"}


class InsecureConfig(RuntimeError):
    pass


def check_secret_key(key: str, *, from_env: bool) -> None:
    """In production the key must be set in the environment, long and not a default."""
    how = (
        "set SECRET_KEY in the environment to a long random value, the same on every server, "
        "e.g. SECRET_KEY=$(python -c 'import secrets; print(secrets.token_hex(32))')"
    )
    if not from_env:
        raise InsecureConfig(f"QUIZAPP_ENV=production needs SECRET_KEY: {how}")
    if len(key) < 32 or key.lower() in WEAK_SECRETS or len(set(key)) < 8:
        raise InsecureConfig(f"SECRET_KEY is too weak for production: {how}")


def _instance_secret(instance: Path) -> str:
    """A random key made once and kept in the instance folder (readable by the owner only)."""
    path = instance / "secret_key"
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_hex(32))
    return path.read_text().strip()


def database_uri(url: str) -> str:
    """The SQLAlchemy URL for DATABASE_URL: a bare postgres:// or postgresql:// URL gets
    psycopg (version 3), the driver installed with the app."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


# pg_advisory_lock key for migrations (any constant bigint; the same in every process).
MIGRATE_LOCK_KEY = 0x5155495A4D4947  # "QUIZMIG"


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


@event.listens_for(Engine, "do_connect")
def _private_sqlite_file(
    dialect: Any, conn_rec: Any, cargs: tuple[Any, ...], cparams: dict[str, Any]
) -> None:
    """A new SQLite database file is made readable by the owner only (0600), as the secret
    key is, just before SQLite would create it; SQLite gives its -wal and -shm the same mode."""
    if dialect.name != "sqlite":
        return
    database = str(cargs[0] if cargs else cparams.get("database", ""))
    if not database or database == ":memory:" or database.startswith("file:"):
        return
    with contextlib.suppress(FileExistsError, FileNotFoundError):  # (no folder: SQLite says)
        os.close(os.open(database, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection: Any, connection_record: Any) -> None:
    """WAL journal and enforced foreign keys on every SQLite connection."""
    module = type(dbapi_connection).__module__
    if not module.startswith("sqlite3"):
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    # With WAL, NORMAL is crash-safe for the app (a killed process loses nothing committed;
    # only a power cut can drop the last commits) and halves the time writers hold the lock.
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=15000")
    cursor.close()
