"""Accounts: register, sign in and out, remember me, change password; the users CLI."""

from __future__ import annotations

import sys
import unicodedata
import zoneinfo
from functools import wraps
from typing import Any
from urllib.parse import urlsplit

import click
from flask import (
    Blueprint,
    Flask,
    abort,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.cli import AppGroup
from flask_login import current_user, login_required, login_user, logout_user
from flask_wtf import FlaskForm
from sqlalchemy.exc import IntegrityError
from werkzeug.security import check_password_hash, generate_password_hash
from werkzeug.wrappers import Response as WerkzeugResponse
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length, ValidationError

from . import sessions
from .extensions import db, limiter, login_manager
from .models import User, utcnow

bp = Blueprint("auth", __name__, url_prefix="/auth")
ROLES = ("student", "instructor")
MIN_PASSWORD = 10
TIMEZONES = sorted(zoneinfo.available_timezones() - {"localtime", "Factory"})


def hash_password(password: str) -> str:
    return generate_password_hash(password, method="scrypt")


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    """The account of a live sign-in (sessions.py), from the session or remember-me cookie."""
    uid, _, secret = user_id.partition(":")
    if not (uid.isascii() and uid.isdigit() and len(uid) < 19 and secret):
        return None
    found = sessions.live_session(int(uid), secret, utcnow())
    if found is None:
        return None
    user, _record = found
    user.session_key = secret
    return user


def init_app(app: Flask) -> None:
    @app.before_request
    def _load_user_first() -> None:
        # Read the sign-in before the view runs, so its expiry update commits nothing else;
        # a session cookie whose sign-in ended is emptied (its CSRF secret goes with it).
        if request.endpoint == "static":
            return
        if not current_user.is_authenticated and "_user_id" in session:
            session.clear()


def instructor_required(view: Any) -> Any:
    @wraps(view)
    @login_required
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if not current_user.is_instructor:
            abort(403)
        return view(*args, **kwargs)

    return wrapped


def safe_next(target: str | None) -> str | None:
    """Only paths on this site: no scheme, no host, no protocol-relative '//' tricks."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target:
        return None
    return target


class RegisterForm(FlaskForm):  # type: ignore[misc]
    name = StringField("Name", validators=[DataRequired(), Length(max=120)])
    email = EmailField("Email", validators=[DataRequired(), Email(), Length(max=254)])
    password = PasswordField(
        "Password",
        validators=[DataRequired(), Length(min=MIN_PASSWORD, max=200)],
        description=f"At least {MIN_PASSWORD} characters.",
    )
    confirm = PasswordField(
        "Repeat password",
        validators=[DataRequired(), EqualTo("password", message="The passwords differ.")],
    )
    timezone = SelectField("Time zone", choices=TIMEZONES, default="UTC")

    def validate_name(self, field: StringField) -> None:
        if any(unicodedata.category(ch) in ("Cc", "Cf", "Cs") for ch in field.data or ""):
            raise ValidationError("A name cannot contain control or invisible characters.")

    def validate_email(self, field: EmailField) -> None:
        email = field.data.strip().lower()
        if db.session.execute(db.select(User.id).filter_by(email=email)).first():
            raise ValidationError("An account with this email exists already. Sign in instead.")


class LoginForm(FlaskForm):  # type: ignore[misc]
    email = EmailField("Email", validators=[DataRequired(), Length(max=254)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=200)])
    remember = BooleanField("Remember me on this device")


class PasswordForm(FlaskForm):  # type: ignore[misc]
    current = PasswordField("Current password", validators=[DataRequired()])
    password = PasswordField(
        "New password",
        validators=[DataRequired(), Length(min=MIN_PASSWORD, max=200)],
        description=f"At least {MIN_PASSWORD} characters.",
    )
    confirm = PasswordField(
        "Repeat new password",
        validators=[DataRequired(), EqualTo("password", message="The passwords differ.")],
    )


def _start_session(user: User, remember: bool) -> None:
    session.clear()  # a fresh session at sign-in: nothing carried over from before
    user.session_key = sessions.open_session(user, remember, utcnow())
    login_user(user, remember=remember, duration=sessions.REMEMBER_DURATION)


def _end_session() -> None:
    """Sign out here: the sign-in is revoked on the server, then the cookies are dropped."""
    if current_user.is_authenticated:
        sessions.revoke(current_user.session_key, utcnow())
    session.clear()
    logout_user()  # after the clear: it leaves the mark that deletes the remember-me cookie


@bp.route("/register", methods=["GET", "POST"])
def register() -> str | WerkzeugResponse:
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = RegisterForm()
    if form.validate_on_submit():
        user = User(
            name=form.name.data.strip(),
            email=form.email.data.strip().lower(),
            password_hash=hash_password(form.password.data),
            role="student",
            timezone=form.timezone.data,
        )
        db.session.add(user)
        try:
            db.session.commit()
        except IntegrityError:  # the same form sent twice at once
            db.session.rollback()
            form.email.errors.append("An account with this email exists already. Sign in instead.")
            return render_template("auth/register.html", form=form), 400  # type: ignore[return-value]
        _start_session(user, remember=False)
        flash(f"Welcome, {user.name}! Pick a quiz to begin.", "success")
        return redirect(url_for("home.index"))
    return render_template("auth/register.html", form=form)


def _login_account() -> str:
    return "account:" + (request.form.get("email") or "").strip().lower()[:254]


LOGIN_TOO_MANY = "Too many sign-in attempts. Please wait a minute, then try again."


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit("30 per minute", methods=["POST"], error_message=LOGIN_TOO_MANY)
@limiter.limit(
    "5 per minute;30 per hour",
    key_func=_login_account,
    methods=["POST"],
    error_message=LOGIN_TOO_MANY,
)
def login() -> str | WerkzeugResponse:
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = LoginForm()
    if form.validate_on_submit():
        email = form.email.data.strip().lower()
        user = db.session.execute(db.select(User).filter_by(email=email)).scalar_one_or_none()
        if user is not None and check_password_hash(user.password_hash, form.password.data):
            _start_session(user, remember=form.remember.data)
            return redirect(safe_next(request.args.get("next")) or url_for("home.index"))
        # The same words whether the email is unknown or the password wrong.
        form.password.errors.append("Email or password is incorrect.")
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
@login_required
def logout() -> WerkzeugResponse:
    _end_session()
    flash("You are signed out.", "info")
    return redirect(url_for("auth.login"))


@bp.post("/logout-everywhere")
@login_required
def logout_everywhere() -> WerkzeugResponse:
    ended = sessions.revoke_all(current_user.id, utcnow())
    _end_session()
    devices = "this device" if ended <= 1 else f"all {ended} devices"
    flash(f"You are signed out on {devices}.", "info")
    return redirect(url_for("auth.login"))


@bp.route("/password", methods=["GET", "POST"])
@login_required
def password() -> str | WerkzeugResponse:
    form = PasswordForm()
    if form.validate_on_submit():
        if not check_password_hash(current_user.password_hash, form.current.data):
            form.current.errors.append("This is not your current password.")
        else:
            user = current_user._get_current_object()
            user.password_hash = hash_password(form.password.data)
            db.session.commit()
            sessions.revoke_all(user.id, utcnow())  # signs out every device, this one too
            _start_session(user, remember=False)  # ... which signs in afresh
            flash("Your password is changed. Other devices are signed out.", "success")
            return redirect(url_for("home.index"))
    return render_template(
        "auth/password.html", form=form, devices=sessions.live_count(current_user.id, utcnow())
    )


users_cli = AppGroup("users", help="Manage accounts.")


@users_cli.command("create")
@click.argument("email")
@click.option("--name", help="Display name (default: the part of the email before @).")
@click.option("--role", type=click.Choice(ROLES), default="student", show_default=True)
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def users_create(email: str, name: str | None, role: str, password_stdin: bool) -> None:
    """Create an account (instructors are created this way)."""
    from flask import current_app

    from . import upgrade_database

    upgrade_database(current_app)
    email = email.strip().lower()
    if "@" not in email:
        raise click.BadParameter("this is not an email address", param_hint="EMAIL")
    if password_stdin:
        secret = sys.stdin.readline().rstrip("\r\n")
    else:
        secret = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    if len(secret) < MIN_PASSWORD:
        raise click.ClickException(f"the password needs at least {MIN_PASSWORD} characters")
    if db.session.execute(db.select(User.id).filter_by(email=email)).first():
        raise click.ClickException(f"an account for {email} exists already")
    db.session.add(
        User(
            email=email,
            name=name or email.split("@")[0],
            password_hash=hash_password(secret),
            role=role,
        )
    )
    db.session.commit()
    click.echo(f"Created {role} {email}.")
