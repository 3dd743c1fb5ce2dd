"""App-wide view helpers: template filters and error pages."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from flask import (
    Flask,
    Response,
    abort,
    current_app,
    make_response,
    redirect,
    render_template,
    request,
)
from flask_login import current_user
from markupsafe import Markup
from werkzeug.exceptions import HTTPException, MethodNotAllowed, NotFound
from werkzeug.routing import RequestRedirect

from .clock import DEFAULT_TIME_FORMAT, zone_text
from .extensions import db


def viewer_zone() -> str:
    """The time zone of whoever views the page: the signed-in user's, else UTC."""
    if current_user and current_user.is_authenticated:
        return str(current_user.timezone)
    return "UTC"


def localtime(value: datetime | None, fmt: str = DEFAULT_TIME_FORMAT) -> Markup:
    """The one filter for every time shown: in the viewer's zone, the zone named after it
    (and in full, with the UTC instant, in the ``<time>`` element's attributes)."""
    if value is None:
        return Markup("")
    zone = viewer_zone()
    iso = value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return Markup('<time datetime="{}" title="{}">{}</time>').format(
        iso, zone, zone_text(value, zone, fmt)
    )


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
        endpoint.startswith(("auth.", "account."))  # account forms; reset links
        or (current_user and current_user.is_authenticated)
    ):
        response.headers["Cache-Control"] = "no-store"
    return response


STATIC_MAX_AGE = 365 * 24 * 3600


def slash_twin(path: str, method: str) -> str | None:
    """The path to redirect to when ``path`` matches no route but its other slash form does.

    Flask's own convention (Werkzeug's ``strict_slashes``) covers one direction: a route
    written with a trailing slash (``/cards/``) redirects ``/cards`` to it. The other
    direction, a route written without one (``/essays``, ``/auth/login``) asked for with
    one, is a 404 in Flask; here it redirects too, app-wide, to the route's own form."""
    if not path.endswith("/") or path == "/":
        return None
    bare = path.rstrip("/") or "/"
    adapter = current_app.url_map.bind("", url_scheme=request.scheme)
    try:
        adapter.match(bare, method=method)
    except RequestRedirect:  # the bare form itself redirects (it has a slash route): leave it
        return None
    except (NotFound, MethodNotAllowed):
        return None
    return bare


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

    @app.before_request
    def _both_slash_forms() -> Response | None:
        # Runs before the view is dispatched (Flask raises the routing 404 only then): a
        # path with a trailing slash that only matches without it is sent there, method and
        # body kept (308) and the query string with it.
        if not isinstance(request.routing_exception, NotFound) or isinstance(
            request.routing_exception, RequestRedirect
        ):
            return None
        target = slash_twin(request.path, request.method)
        if target is None:
            return None
        query = request.query_string.decode("latin-1")
        return redirect(request.script_root + target + (f"?{query}" if query else ""), 308)

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
