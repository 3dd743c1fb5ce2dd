"""The typed config (quizapp.config) and the database module (quizapp.db): settings come from
one place, migrating before the first request is opt-in, and SQLite's pragmas are set on the
app's own engine only."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.pool import NullPool

from quizapp import create_app
from quizapp.config import AppConfig, InsecureConfig
from quizapp.db import upgrade_database
from quizapp.extensions import db

from .conftest import ON_POSTGRES, fresh_database_url


def test_the_environment_is_read_into_one_typed_config(tmp_path: Path) -> None:
    environ = {
        "DATABASE_URL": "postgres://u@h/d",
        "QUIZAPP_HTTPS": "yes",
        "QUIZAPP_ENV": "production",
        "QUIZAPP_PROXIES": " 2 ",
        "QUIZAPP_SMTP_HOST": "mail.example.org",
        "QUIZAPP_REQUIRE_JOIN_CODE": "1",
        "QUIZAPP_AUTO_MIGRATE": "true",
        "SECRET_KEY": "",
    }
    config = AppConfig.from_environ(environ, tmp_path, tmp_path / "content")
    assert config.database_url == "postgres://u@h/d"
    assert config.content_dir == str(tmp_path / "content")
    assert (config.https, config.production, config.proxies) == (True, True, 2)
    assert config.require_join_code and config.auto_migrate
    assert config.secret_key == ""  # set, though empty: not taken for the instance's key
    settings = config.flask_settings()
    assert settings["SMTP_HOST"] == "mail.example.org" and settings["SMTP_PORT"] == ""
    assert settings["SESSION_COOKIE_SECURE"] and settings["PREFERRED_URL_SCHEME"] == "https"
    assert settings["AUTO_MIGRATE"] is True


def test_defaults_without_an_environment(tmp_path: Path) -> None:
    config = AppConfig.from_environ({}, tmp_path, tmp_path / "content")
    assert config.database_url == f"sqlite:///{tmp_path / 'quizapp.sqlite'}"
    assert not (config.https or config.production or config.auto_migrate)
    assert config.proxies == 0 and config.secret_key is None
    assert config.ratelimit_storage_uri == "quizapp-db://"
    assert config.secret(tmp_path) == config.secret(tmp_path)  # made once, then kept
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600
    with pytest.raises(InsecureConfig):
        AppConfig.from_environ({"QUIZAPP_PROXIES": "11"}, tmp_path, tmp_path)


def _app(tmp_path: Path, **config: object) -> Flask:
    from .conftest import _apps

    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "k",
            "INSTANCE_PATH": str(tmp_path / "instance"),
            "DATABASE_URL": fresh_database_url(tmp_path),
            **config,
        }
    )
    _apps.append(app)
    return app


def _tables(app: Flask) -> set[str]:
    with app.app_context():
        return set(inspect(db.engine).get_table_names())


def test_a_request_migrates_nothing_unless_the_app_opts_in(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("QUIZAPP_AUTO_MIGRATE", raising=False)
    plain = _app(tmp_path / "plain")
    assert plain.config["AUTO_MIGRATE"] is False
    plain.test_client().get("/essays")
    assert "user" not in _tables(plain)
    upgrade_database(plain)  # what `quizapp db upgrade` and `quizapp serve` do
    assert {"user", "attempt", "card_state", "alembic_version"} <= _tables(plain)

    monkeypatch.setenv("QUIZAPP_AUTO_MIGRATE", "1")
    opted = _app(tmp_path / "opted")
    assert opted.config["AUTO_MIGRATE"] is True
    assert opted.test_client().get("/essays").status_code == 200
    assert "user" in _tables(opted)


@pytest.mark.skipif(ON_POSTGRES, reason="SQLite's pragmas")
def test_sqlite_pragmas_are_set_on_the_apps_engine_only(tmp_path: Path) -> None:
    app = _app(tmp_path)
    with app.app_context(), db.engine.connect() as conn:
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() == 15000
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
    assert (tmp_path / "test.sqlite").stat().st_mode & 0o777 == 0o600
    other = create_engine(f"sqlite:///{tmp_path / 'other.sqlite'}", poolclass=NullPool)
    try:
        with other.connect() as conn:
            assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 0
            assert conn.execute(text("PRAGMA journal_mode")).scalar() == "delete"
    finally:
        other.dispose()
