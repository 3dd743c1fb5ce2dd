"""Essay Study: quizzes and spaced-repetition flashcards generated from an essay."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from . import db as database
from . import ratelimit, timing
from .config import AppConfig, InsecureConfig, check_secret_key
from .content import ContentStore
from .db import MIGRATIONS, database_uri, upgrade_database
from .extensions import csrf, login_manager

# Names callers import from the package (the tests, the benchmarks, the CLI's helpers).
__all__ = [
    "MIGRATIONS",
    "InsecureConfig",
    "check_secret_key",
    "create_app",
    "database_uri",
    "site_folder",
    "upgrade_database",
]

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_ROOT = PACKAGE_DIR.parent


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
    config = AppConfig.from_environ(os.environ, instance, site_folder("content"))
    app.config.from_mapping(config.flask_settings())
    if test_config:
        app.config.update(test_config)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = config.secret(instance)
    if app.config["PRODUCTION"] and not app.config.get("TESTING"):
        check_secret_key(app.config["SECRET_KEY"], from_env=config.secret_key is not None)

    database.init_app(app)
    timing.init_app(app)  # first after_request registered: its total includes the others
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
        account_views,
        auth,
        card_views,
        course_views,
        essays,
        home,
        instructor,
        models,
        progress_views,
        quiz_views,
        views,
    )

    app.register_blueprint(home.bp)
    app.register_blueprint(auth.bp)
    app.register_blueprint(essays.bp)
    app.register_blueprint(quiz_views.bp)
    app.register_blueprint(card_views.bp)
    app.register_blueprint(instructor.bp)
    app.register_blueprint(progress_views.bp)
    app.register_blueprint(account_views.bp)
    app.register_blueprint(course_views.bp)
    views.init_app(app)
    from .cli import register

    register(app)

    database.migrate_before_first_request(app)
    auth.init_app(app)  # after the migration hook: it reads the sign-in from the database
    return app
