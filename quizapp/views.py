"""App-wide view helpers: template filters and error pages."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from flask import (
    Flask,
    Response,
    abort,
    current_app,
    make_response,
    render_template,
    request,
)
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


# No inline script anywhere: scripts come from /static only. Inline style attributes are
# allowed (progress bars set their width); nothing may frame the app.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'"
)


HSTS = "max-age=31536000"


def security_headers(response: Response) -> Response:
    response.headers.setdefault("Content-Security-Policy", CSP)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("X-Frame-Options", "DENY")
    if current_app.config["SESSION_COOKIE_SECURE"]:  # QUIZAPP_HTTPS=1: browsers keep to https
        response.headers.setdefault("Strict-Transport-Security", HSTS)
    # A page or download for a signed-in user carries their data (at least their name):
    # no browser or proxy cache may keep it. The same for the account forms.
    endpoint = request.endpoint or ""
    if endpoint != "static" and (
        endpoint.startswith("auth.") or (current_user and current_user.is_authenticated)
    ):
        response.headers["Cache-Control"] = "no-store"
    return response


STATIC_MAX_AGE = 365 * 24 * 3600


def init_app(app: Flask) -> None:
    # Static files carry their version in the URL (?v=mtime), so browsers may keep them a year.
    app.config["SEND_FILE_MAX_AGE_DEFAULT"] = STATIC_MAX_AGE
    versions: dict[str, str] = {}

    @app.url_defaults
    def _static_version(endpoint: str, values: dict[str, Any]) -> None:
        if endpoint == "static" and "filename" in values and "v" not in values:
            name = values["filename"]
            if name not in versions or app.debug:
                path = Path(app.static_folder or "") / name
                versions[name] = str(int(path.stat().st_mtime)) if path.is_file() else "0"
            values["v"] = versions[name]

    @app.before_request
    def _json_forms_hold_text() -> None:
        # Forms may come as JSON (Flask-WTF reads it like form data): an object whose values
        # are text, or lists of text, as a form post would give; anything else is refused.
        if request.method == "POST" and request.is_json:
            body = request.get_json(silent=True)
            if not isinstance(body, dict) or not all(
                isinstance(v, str) or (isinstance(v, list) and all(isinstance(i, str) for i in v))
                for v in body.values()
            ):
                abort(400)
        # No text a person types holds a NUL, and PostgreSQL cannot store or compare one:
        # refuse it once here, for every request, rather than as a database error in
        # whichever view reads the field.
        values = [x for vs in request.args.listvalues() for x in vs]
        if request.method == "POST":
            if request.is_json:
                body = request.get_json(silent=True) or {}
                values += [x for v in body.values() for x in (v if isinstance(v, list) else [v])]
            else:
                values += [x for vs in request.form.listvalues() for x in vs]
        if any(isinstance(v, str) and "\x00" in v for v in values):
            abort(400)

    app.add_template_filter(localtime, "localtime")
    app.add_template_filter(percent, "percent")
    app.after_request(security_headers)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> Response:
        response = make_response(render_template("error.html", error=error), error.code or 500)
        for name, value in error.get_headers():  # Retry-After, Allow, ...
            if name.lower() != "content-type":
                response.headers[name] = value
        return response

    @app.errorhandler(500)
    def server_error(error: Exception) -> tuple[str, int]:
        # Flask has logged the traceback already; undo the request's half-done writes.
        db.session.rollback()
        return render_template("error.html", error=None), 500
