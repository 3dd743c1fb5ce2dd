"""App-wide view helpers: template filters and error pages."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from flask import Flask, render_template
from flask_login import current_user
from werkzeug.exceptions import HTTPException

from .extensions import db


def localtime(value: datetime | None, fmt: str = "%d %b %Y, %H:%M") -> str:
    """A UTC datetime in the signed-in learner's time zone."""
    if value is None:
        return ""
    tz = ZoneInfo(current_user.timezone) if current_user.is_authenticated else ZoneInfo("UTC")
    local = value.astimezone(tz)
    return local.strftime(fmt) + ("" if current_user.is_authenticated else " UTC")


def percent(value: float | None) -> str:
    return "–" if value is None else f"{value:g}%"


def init_app(app: Flask) -> None:
    app.add_template_filter(localtime, "localtime")
    app.add_template_filter(percent, "percent")

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> tuple[str, int]:
        return render_template("error.html", error=error), error.code or 500

    @app.errorhandler(500)
    def server_error(error: Exception) -> tuple[str, int]:
        db.session.rollback()
        app.logger.exception("Unhandled error: %s", error)
        return render_template("error.html", error=None), 500
