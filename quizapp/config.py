"""The app's settings, read in one place: :class:`AppConfig` from the environment and the
instance folder (README, Configuration); ``create_app``'s test overrides are applied on top
of the Flask settings it gives."""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .sessions import REMEMBER_DURATION, SESSION_IDLE

SMTP_KEYS = ("HOST", "PORT", "USER", "PASSWORD", "FROM", "TLS")
TRUE_WORDS = ("1", "true", "yes")
WEAK_SECRETS = {"dev", "development", "secret", "changeme", "change-me", "test", "password", "key"}


class InsecureConfig(RuntimeError):
    pass


@dataclass(frozen=True)
class AppConfig:
    """Every setting the environment gives the app (the variables named in README,
    Configuration), typed; :meth:`flask_settings` turns it into ``app.config`` keys."""

    database_url: str
    content_dir: str
    https: bool = False
    production: bool = False
    ratelimit_storage_uri: str = "quizapp-db://"  # the app's database
    proxies: int = 0
    base_url: str = ""
    smtp: Mapping[str, str] | None = None  # HOST, PORT, ... as given (unset: "")
    require_join_code: bool = False
    # SECRET_KEY as the environment gives it; None when unset (then the instance folder's)
    secret_key: str | None = None
    # Bring the schema up to date before the first request (QUIZAPP_AUTO_MIGRATE=1); off by
    # default: `quizapp db upgrade` and `quizapp serve` migrate.
    auto_migrate: bool = False
    # A Server-Timing header on every response (QUIZAPP_TIMING=1; README, Performance).
    timing: bool = False

    @classmethod
    def from_environ(
        cls, environ: Mapping[str, str], instance: Path, default_content: Path
    ) -> AppConfig:
        return cls(
            database_url=environ.get("DATABASE_URL") or f"sqlite:///{instance / 'quizapp.sqlite'}",
            content_dir=environ.get("CONTENT_DIR") or str(default_content),
            https=environ.get("QUIZAPP_HTTPS", "") in TRUE_WORDS,
            production=environ.get("QUIZAPP_ENV") == "production",
            ratelimit_storage_uri=environ.get("RATELIMIT_STORAGE_URI") or "quizapp-db://",
            proxies=proxies(environ.get("QUIZAPP_PROXIES", "")),
            base_url=environ.get("QUIZAPP_BASE_URL", ""),
            smtp={key: environ.get(f"QUIZAPP_SMTP_{key}", "") for key in SMTP_KEYS},
            require_join_code=environ.get("QUIZAPP_REQUIRE_JOIN_CODE", "") in TRUE_WORDS,
            secret_key=environ.get("SECRET_KEY"),
            auto_migrate=environ.get("QUIZAPP_AUTO_MIGRATE", "") in TRUE_WORDS,
            timing=environ.get("QUIZAPP_TIMING") == "1",
        )

    def flask_settings(self) -> dict[str, Any]:
        smtp = self.smtp or {}
        return {
            "DATABASE_URL": self.database_url,
            "CONTENT_DIR": self.content_dir,
            "CONTENT_CHECK_INTERVAL": 2.0,
            "AUTO_MIGRATE": self.auto_migrate,
            "TIMING": self.timing,
            "SESSION_COOKIE_SAMESITE": "Lax",
            "REMEMBER_COOKIE_SAMESITE": "Lax",
            "REMEMBER_COOKIE_HTTPONLY": True,
            "REMEMBER_COOKIE_DURATION": REMEMBER_DURATION,
            # A form's token is tied to the session's CSRF secret, which sign-in and sign-out
            # renew and an ended sign-in drops; it also ages out with an idle sign-in.
            "WTF_CSRF_TIME_LIMIT": int(SESSION_IDLE.total_seconds()),
            # Request size (README, Security): the largest form (a quiz page's answers) is a
            # few kilobytes, and no form takes files. Larger requests get 413 before being read.
            "MAX_CONTENT_LENGTH": 128 * 1024,
            "MAX_FORM_MEMORY_SIZE": 128 * 1024,
            "MAX_FORM_PARTS": 200,
            # Behind https (see README, Security): cookies only over TLS.
            "SESSION_COOKIE_SECURE": self.https,
            "REMEMBER_COOKIE_SECURE": self.https,
            "PREFERRED_URL_SCHEME": "https" if self.https else "http",
            "PRODUCTION": self.production,
            # Rate-limit counts: the app's database unless this names another store (redis://).
            "RATELIMIT_STORAGE_URI": self.ratelimit_storage_uri,
            # How many reverse proxies in front of the app append to X-Forwarded-For (README).
            "PROXIES": self.proxies,
            # Where the site is reached (https://study.example.org): the command line builds
            # password reset links under it; the web uses the request's own host.
            "BASE_URL": self.base_url,
            # Optional mail for password reset links (README, Accounts); without SMTP_HOST the
            # link is shown to the instructor to hand over.
            **{f"SMTP_{key}": smtp.get(key, "") for key in SMTP_KEYS},
            # Registration needs a course's join code, so a public server collects no strangers.
            "REQUIRE_JOIN_CODE": self.require_join_code,
        }

    def secret(self, instance: Path) -> str:
        """The key that signs sessions: the environment's, else the instance folder's."""
        return self.secret_key or instance_secret(instance)


def proxies(value: str) -> int:
    value = value.strip()
    if not value:
        return 0
    if not value.isdigit() or int(value) > 10:
        raise InsecureConfig(f"QUIZAPP_PROXIES={value!r}: give the number of proxies, 0 to 10")
    return int(value)


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


def instance_secret(instance: Path) -> str:
    """A random key made once and kept in the instance folder (readable by the owner only)."""
    path = instance / "secret_key"
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_hex(32))
    return path.read_text().strip()
