"""Signing this browser in and out (the Flask session and Flask-Login's cookies, tied to a
server-side sign-in in ``sessions``) and answering a rate-limited try. Shared by the auth and
account views; request-bound, so no service calls it."""

from __future__ import annotations

import time
from functools import wraps
from typing import Any

from flask import abort, after_this_request, current_app, request, session
from flask_login import current_user, login_required, login_user, logout_user
from werkzeug.exceptions import TooManyRequests
from werkzeug.wrappers import Response as WerkzeugResponse

from . import ratelimit, sessions
from .models import User, utcnow
from .users import PASSWORD_CHANGE_ACCOUNT, SLOWDOWN_SECONDS, password_matches


def start_session(user: User, remember: bool) -> None:
    session.clear()  # a fresh session at sign-in: nothing carried over from before
    user.session_key = sessions.open_session(user, remember, utcnow())
    login_user(user, remember=remember, duration=sessions.REMEMBER_DURATION)


def end_session() -> None:
    """Sign out here: the sign-in is revoked on the server, then the cookies are dropped."""
    if current_user.is_authenticated:
        sessions.revoke(current_user.session_key, utcnow())
    session.clear()
    logout_user()  # after the clear: it leaves the mark that deletes the remember-me cookie


def too_many(verdict: ratelimit.Verdict, message: str) -> TooManyRequests:
    return TooManyRequests(description=message, retry_after=verdict.retry_after)


def own_password_matches(password: str, refused: str) -> bool:
    """Whether the signed-in user typed their own password, counted against the account's
    limit on such tries (changing the password, deleting the account): past it, a 429 with
    the ``refused`` message, so a stolen session cannot guess the password."""
    verdict = ratelimit.hit(PASSWORD_CHANGE_ACCOUNT, "password-change", f"user:{current_user.id}")
    if not verdict.allowed:
        raise too_many(verdict, refused)
    return password_matches(current_user, password)


def slow_down(limits: str, scope: str) -> None:
    """Count a try from this address; past the limit, answer it only after a pause (and say
    so in the X-Slowed-Down header) instead of refusing it."""
    if ratelimit.hit(limits, scope, request.remote_addr or "").allowed:
        return
    delay = float(current_app.config.get("RATELIMIT_SLOWDOWN", SLOWDOWN_SECONDS))
    time.sleep(delay)

    @after_this_request
    def _mark(response: WerkzeugResponse) -> WerkzeugResponse:
        response.headers["X-Slowed-Down"] = f"{delay:g}"
        return response


def instructor_required(view: Any) -> Any:
    """A view for instructors only: others get 403 (signed-out visitors the sign-in page)."""

    @wraps(view)
    @login_required
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if not current_user.is_instructor:
            abort(403)
        return view(*args, **kwargs)

    return wrapped
