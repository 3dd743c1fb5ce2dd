"""The WSGI entry point: ``gunicorn quizapp.wsgi:app`` (what ``quizapp serve`` runs)."""

from __future__ import annotations

import os

from . import create_app

app = create_app()


def _post_fork_dispose() -> None:
    # With --preload the app is built before the fork: drop any pooled connection so
    # that no two workers share one.
    from .extensions import db

    with app.app_context():
        db.engine.dispose(close=False)


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_post_fork_dispose)
