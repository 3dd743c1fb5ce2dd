"""Where a request's time goes: a ``Server-Timing`` header, on when ``QUIZAPP_TIMING=1``.

Each response then carries, in milliseconds (browsers show it in their network panel; the
HTTP benchmark reads it from the access log)::

    Server-Timing: sql;dur=1.20;desc="4 statements", tpl;dur=0.80, app;dur=2.10, total;dur=4.10

``sql`` is the time spent in the database driver executing the request's statements (counted
by SQLAlchemy cursor events bound to the app's engine, so waiting for a lock is in it),
``tpl`` the time Jinja took to render its templates (Flask's template signals), ``app`` the
rest (Python: routing, sign-in, views, forms, sessions) and ``total`` the three together, from
the start of the request to its response. Off (the default), none of this is registered.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from flask import (
    Flask,
    Response,
    before_render_template,
    g,
    has_request_context,
    request_started,
    template_rendered,
)
from sqlalchemy import event

from .extensions import db

HEADER = "Server-Timing"


@dataclass
class RequestTiming:
    """The figures of one request, in seconds (``perf_counter`` clock)."""

    started: float
    statements: int = 0
    sql: float = 0.0
    templates: float = 0.0
    _sql_started: list[float] = field(default_factory=list)
    _template_started: list[float] = field(default_factory=list)

    def header(self, now: float) -> str:
        total = now - self.started
        rest = max(0.0, total - self.sql - self.templates)
        return (
            f'sql;dur={self.sql * 1000:.2f};desc="{self.statements} statements", '
            f"tpl;dur={self.templates * 1000:.2f}, app;dur={rest * 1000:.2f}, "
            f"total;dur={total * 1000:.2f}"
        )


def enabled(app: Flask) -> bool:
    return bool(app.config.get("TIMING", False))


def _current() -> RequestTiming | None:
    if not has_request_context():
        return None
    return g.get("_timing")


def init_app(app: Flask) -> None:
    """Register the timers on ``app`` when ``QUIZAPP_TIMING=1`` (or ``TIMING=True``)."""
    if not enabled(app):
        return
    with app.app_context():
        engine = db.engine

    def before_sql(*_args: Any) -> None:
        timing = _current()
        if timing is not None:
            timing._sql_started.append(time.perf_counter())

    def after_sql(*_args: Any) -> None:
        timing = _current()
        if timing is not None and timing._sql_started:
            timing.sql += time.perf_counter() - timing._sql_started.pop()
            timing.statements += 1

    def failed_sql(*_args: Any) -> None:
        after_sql()  # a statement that raised took its time too

    event.listen(engine, "before_cursor_execute", before_sql)
    event.listen(engine, "after_cursor_execute", after_sql)
    event.listen(engine, "handle_error", failed_sql)

    def started(sender: Flask, **_extra: Any) -> None:
        g._timing = RequestTiming(time.perf_counter())

    def before_render(sender: Flask, **_extra: Any) -> None:
        timing = _current()
        if timing is not None:
            timing._template_started.append(time.perf_counter())

    def rendered(sender: Flask, **_extra: Any) -> None:
        timing = _current()
        if timing is not None and timing._template_started:
            spent = time.perf_counter() - timing._template_started.pop()
            if not timing._template_started:  # a template rendered inside another: once
                timing.templates += spent

    # weak=False: the handlers are closures that nothing else keeps alive.
    request_started.connect(started, app, weak=False)
    before_render_template.connect(before_render, app, weak=False)
    template_rendered.connect(rendered, app, weak=False)

    @app.after_request
    def _server_timing(response: Response) -> Response:
        timing = _current()
        if timing is not None:
            response.headers[HEADER] = timing.header(time.perf_counter())
        return response
