"""``quizapp serve``: migrate, then hand the process over to gunicorn."""

from __future__ import annotations

import multiprocessing
import os
import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext


def default_workers() -> int:
    return max(2, min(2 * multiprocessing.cpu_count() + 1, 9))


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, type=int, show_default=True)
@click.option(
    "--workers", type=int, default=None, help="Worker processes (default: 2 x cores + 1)."
)
@with_appcontext
def serve(host: str, port: int, workers: int | None) -> None:
    """Serve the app with gunicorn (a production server)."""
    from ..db import upgrade_database

    # Migrate once, before any worker starts; then hand this process over to gunicorn,
    # which builds the app afresh (no CLI app context may leak into request handling).
    upgrade_database(current_app._get_current_object())  # type: ignore[attr-defined]
    click.echo(f"Essay Study: open http://{host}:{port}/ (Ctrl+C stops the server)")
    sys.stdout.flush()
    args = [
        sys.executable, "-m", "gunicorn",
        "--bind", f"{host}:{port}",
        "--workers", str(workers or default_workers()),
        "--preload",
        "--access-logfile", "-",
        *control_socket_args(Path(current_app.instance_path), port),
        "quizapp.wsgi:app",
    ]  # fmt: skip
    os.execv(sys.executable, args)


# A Unix socket path holds at most 107 bytes (sun_path); longer ones cannot be bound.
MAX_SOCKET_PATH = 107


def control_socket_args(instance: Path, port: int) -> list[str]:
    """gunicorn's control socket (gunicornc) for this server only: in the instance folder,
    named by port, so two servers never share (and remove) one; off if the path is too long."""
    path = instance / f"gunicorn-{port}.ctl"
    if len(os.fsencode(path)) > MAX_SOCKET_PATH:
        return ["--no-control-socket"]
    return ["--control-socket", str(path)]
