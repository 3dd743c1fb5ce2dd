"""Accounts: register, sign in and out, remember me, change password; the users CLI."""

from __future__ import annotations

import re
import secrets
import smtplib
import sys
import time
import unicodedata
import zoneinfo
from functools import cache, wraps
from typing import Any
from urllib.parse import urlsplit

import click
from email_validator import EmailNotValidError, validate_email
from flask import (
    Blueprint,
    Flask,
    abort,
    after_this_request,
    current_app,
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
from werkzeug.exceptions import TooManyRequests
from werkzeug.security import check_password_hash, generate_password_hash
from werkzeug.wrappers import Response as WerkzeugResponse
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, ValidationError
from zxcvbn import zxcvbn

from . import courses, ratelimit, sessions
from .extensions import db, login_manager
from .models import User, utcnow

bp = Blueprint("auth", __name__, url_prefix="/auth")
ROLES = ("student", "instructor")
MIN_PASSWORD = 10
MAX_PASSWORD = 200
# zxcvbn's score: 3 is "safely unguessable" (about 10^8 guesses or more); below it, the
# password is on a list of common ones, a pattern, or made of the account's own data.
MIN_PASSWORD_SCORE = 3
ZXCVBN_CHARS = 72
TIMEZONES = sorted(zoneinfo.available_timezones() - {"localtime", "Factory"})

# Rate limits (README, Security). Sign-in: the account lockout refuses; the per-address limit
# only slows down, so a correct password from a shared address still gets in.
SIGN_IN_ACCOUNT = "5 per minute;30 per hour"
SIGN_IN_ADDRESS = "30 per minute"
REGISTER_ADDRESS_SLOW = "20 per hour"
REGISTER_ADDRESS_MAX = "200 per day"
PASSWORD_CHANGE_ACCOUNT = "5 per minute;20 per hour"
SLOWDOWN_SECONDS = 2.0


def hash_password(password: str) -> str:
    return generate_password_hash(password, method="scrypt")


@cache
def _dummy_hash() -> str:
    return hash_password(secrets.token_hex(16))


def password_matches(user: User | None, password: str) -> bool:
    """Check the password; for an unknown account a dummy hash is checked, so the answer
    takes as long as for a known one."""
    if user is None:
        check_password_hash(_dummy_hash(), password)
        return False
    return check_password_hash(user.password_hash, password)


def normalize_email(value: str) -> str:
    """The one form of an address that accounts are stored and compared under: NFKC (so
    fullwidth letters and ligatures become plain ones), then email-validator's checks and
    IDNA normalization (a punycode domain and its Unicode form are the same), lower case.
    Raises ValueError with a message saying what is wrong.

    The one check of an address, for the registration form and the CLI alike. Never a DNS
    lookup (no deliverability check). Domains under the special-use ``.test`` (RFC 6761, as
    schools use for class accounts: ``sam@student.test``) are accepted; other special-use
    names (``.invalid``, ``.localhost``, ``.onion``...) are not."""
    text = unicodedata.normalize("NFKC", value.strip())
    if not text:
        raise ValueError("Enter an email address, such as name@school.org.")
    try:
        info = validate_email(text, check_deliverability=False, test_environment=True)
    except EmailNotValidError as exc:
        raise ValueError(str(exc)) from exc
    normalized = f"{info.local_part}@{info.domain}".lower()
    if len(normalized) > 254:
        raise ValueError("The email address is too long.")
    return normalized


def lookup_email(value: str) -> tuple[str, bool]:
    """The stored form of a typed address and True; for an invalid address (which matches no
    account, but still has a sign-in counter) its plain lower case and False."""
    try:
        return normalize_email(value), True
    except ValueError:
        return unicodedata.normalize("NFKC", value.strip()).lower()[:254], False


def password_problem(password: str, user_inputs: list[str]) -> str | None:
    """Why a new password is refused (NIST SP 800-63B): too short or long, common, a
    pattern, or guessable from the account's own data; None when it is fine."""
    if len(password) < MIN_PASSWORD:
        return f"The password needs at least {MIN_PASSWORD} characters."
    if len(password) > MAX_PASSWORD:
        return f"The password can have at most {MAX_PASSWORD} characters."
    words = [w for value in user_inputs for w in re.split(r"[@.\s_+-]+", value.lower()) if w]
    # zxcvbn's own cap: its cost grows fast with length, and 72 characters that are safely
    # unguessable stay so whatever follows.
    result = zxcvbn(password[:ZXCVBN_CHARS], user_inputs=[*user_inputs, *words])
    if result["score"] >= MIN_PASSWORD_SCORE:
        return None
    feedback = result["feedback"]
    hint = feedback.get("warning") or "It is too easy to guess."
    if any(w and w in password.lower() for w in words if len(w) >= 3):
        hint = "It contains your name or email address."
    advice = " ".join(feedback.get("suggestions") or []) or "Add more words or characters."
    return f"This password is too easy to guess. {hint} {advice}".strip()


def too_many(verdict: ratelimit.Verdict, message: str) -> TooManyRequests:
    return TooManyRequests(description=message, retry_after=verdict.retry_after)


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
    """Only paths on this site: no scheme, no host, no protocol-relative '//' tricks, no
    control characters (a CR or LF would break the Location header)."""
    if not target or len(target) > 2000 or any(ord(ch) < 32 or ord(ch) == 127 for ch in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target:
        return None
    return target


PASSWORD_ADVICE = (
    f"At least {MIN_PASSWORD} characters, not a common password and not your name or email;"
    " a few unrelated words work well."
)


class RegisterForm(FlaskForm):  # type: ignore[misc]
    name = StringField("Name", validators=[DataRequired(), Length(max=120)])
    email = EmailField("Email", validators=[DataRequired(), Length(max=254)])
    password = PasswordField("Password", validators=[DataRequired()], description=PASSWORD_ADVICE)
    confirm = PasswordField(
        "Repeat password",
        validators=[DataRequired(), EqualTo("password", message="The passwords differ.")],
    )
    timezone = SelectField("Time zone", choices=TIMEZONES, default="UTC")
    join_code = StringField(
        "Course join code",
        validators=[Length(max=40)],
        description="From your instructor; you can also join a course later.",
    )

    def validate_join_code(self, field: StringField) -> None:
        from .courses import by_code

        self.course = by_code(field.data or "") if field.data else None
        if field.data and self.course is None:
            raise ValidationError("No course has this join code; check it with your instructor.")
        if self.course is None and current_app.config.get("REQUIRE_JOIN_CODE"):
            raise ValidationError("Registration needs the join code of a course.")

    def validate_name(self, field: StringField) -> None:
        if any(unicodedata.category(ch) in ("Cc", "Cf", "Cs") for ch in field.data or ""):
            raise ValidationError("A name cannot contain control or invisible characters.")

    def validate_email(self, field: EmailField) -> None:
        try:
            self.normalized_email = normalize_email(field.data)
        except ValueError as exc:
            raise ValidationError(str(exc)) from exc

    def validate_password(self, field: PasswordField) -> None:
        problem = password_problem(field.data, [self.email.data or "", self.name.data or ""])
        if problem:
            raise ValidationError(problem)


class LoginForm(FlaskForm):  # type: ignore[misc]
    email = EmailField("Email", validators=[DataRequired(), Length(max=254)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=MAX_PASSWORD)])
    remember = BooleanField("Remember me on this device")


class PasswordForm(FlaskForm):  # type: ignore[misc]
    current = PasswordField(
        "Current password", validators=[DataRequired(), Length(max=MAX_PASSWORD)]
    )
    password = PasswordField(
        "New password", validators=[DataRequired()], description=PASSWORD_ADVICE
    )
    confirm = PasswordField(
        "Repeat new password",
        validators=[DataRequired(), EqualTo("password", message="The passwords differ.")],
    )

    def validate_password(self, field: PasswordField) -> None:
        problem = password_problem(field.data, [current_user.email, current_user.name])
        if problem:
            raise ValidationError(problem)


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


REGISTER_REFUSED = (
    "This email cannot be used to register a new account. If you have an account, sign in"
    " (its password signs you in from this form too)."
)
LOGIN_TOO_MANY = "Too many sign-in attempts. Please wait a minute, then try again."
REGISTER_TOO_MANY = "Too many new accounts from your network today. Please try again tomorrow."
PASSWORD_TOO_MANY = "Too many tries. Please wait a minute, then try again."


@bp.route("/register", methods=["GET", "POST"])
def register() -> str | WerkzeugResponse:
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = RegisterForm()
    if request.method == "GET" and isinstance(request.args.get("code"), str):
        form.join_code.data = request.args["code"][:40]  # from a join link
    if form.validate_on_submit():
        address = request.remote_addr or ""
        verdict = ratelimit.hit(REGISTER_ADDRESS_MAX, "register-address", address)
        if not verdict.allowed:
            raise too_many(verdict, REGISTER_TOO_MANY)
        slow_down(REGISTER_ADDRESS_SLOW, "register-address-slow")
        email = form.normalized_email
        existing = db.session.execute(db.select(User).filter_by(email=email)).scalar_one_or_none()
        if existing is not None:
            # What a sign-in would tell: the account's own password signs in, counted by the
            # account's sign-in limit; any other password learns only that this one is refused.
            locked = ratelimit.hit(SIGN_IN_ACCOUNT, "sign-in-account", email)
            if not locked.allowed:
                raise too_many(locked, LOGIN_TOO_MANY)
            if password_matches(existing, form.password.data):
                _start_session(existing, remember=False)
                if form.course is not None:
                    courses.join(existing, form.course, utcnow())
                flash("You have an account already: you are signed in.", "info")
                return redirect(url_for("home.index"))
            form.email.errors.append(REGISTER_REFUSED)
            return render_template("auth/register.html", form=form)
        user = User(
            name=form.name.data.strip(),
            email=email,
            password_hash=hash_password(form.password.data),
            role="student",
            timezone=form.timezone.data,
            # Chosen on the form (which the browser's zone preselects): not detected again.
            timezone_set_at=utcnow(),
        )
        db.session.add(user)
        try:
            db.session.commit()
        except IntegrityError:  # the same form sent twice at once
            db.session.rollback()
            form.email.errors.append(REGISTER_REFUSED)
            return render_template("auth/register.html", form=form), 400  # type: ignore[return-value]
        _start_session(user, remember=False)
        if form.course is not None:
            courses.join(user, form.course, utcnow())
            flash(f"Welcome, {user.name}! You are in {form.course.title}.", "success")
        else:
            flash(f"Welcome, {user.name}! Join a course with its code to begin.", "success")
        return redirect(url_for("home.index"))
    return render_template("auth/register.html", form=form)


@bp.route("/login", methods=["GET", "POST"])
def login() -> str | WerkzeugResponse:
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = LoginForm()
    if form.validate_on_submit():  # form posts and JSON bodies alike
        email, valid = lookup_email(form.email.data)
        verdict = ratelimit.hit(SIGN_IN_ACCOUNT, "sign-in-account", email)
        if not verdict.allowed:
            raise too_many(verdict, LOGIN_TOO_MANY)
        slow_down(SIGN_IN_ADDRESS, "sign-in-address")
        # An address email-validator refuses is still looked up as typed (accounts the CLI
        # made before it checked addresses), unless it could not be stored at all.
        user = (
            db.session.execute(db.select(User).filter_by(email=email)).scalar_one_or_none()
            if valid or email.isprintable()
            else None
        )
        if password_matches(user, form.password.data):
            assert user is not None
            _start_session(user, remember=form.remember.data)
            return redirect(safe_next(request.args.get("next")) or url_for("home.index"))
        # The same words, and the same time, whether the email is unknown or the password wrong.
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
        account = f"user:{current_user.id}"
        verdict = ratelimit.hit(PASSWORD_CHANGE_ACCOUNT, "password-change", account)
        if not verdict.allowed:
            raise too_many(verdict, PASSWORD_TOO_MANY)
        if not password_matches(current_user, form.current.data):
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

    from .db import upgrade_database

    upgrade_database(current_app)
    try:
        email = normalize_email(email)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="EMAIL") from exc
    if password_stdin:
        secret = sys.stdin.readline().rstrip("\r\n")
    else:
        secret = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    name = name or email.split("@")[0]
    problem = password_problem(secret, [email, name])
    if problem:
        raise click.ClickException(problem)
    if db.session.execute(db.select(User.id).filter_by(email=email)).first():
        raise click.ClickException(f"an account for {email} exists already")
    db.session.add(
        User(
            email=email,
            name=name,
            password_hash=hash_password(secret),
            role=role,
        )
    )
    db.session.commit()
    click.echo(f"Created {role} {email}.")


DEFAULT_BASE_URL = "http://127.0.0.1:5000"


@users_cli.command("reset-password")
@click.argument("email")
@click.option(
    "--base-url",
    help="Where the site is reached, for the link (default: QUIZAPP_BASE_URL, else "
    f"{DEFAULT_BASE_URL}).",
)
@click.option("--no-mail", is_flag=True, help="Print the link even when SMTP is set up.")
def users_reset_password(email: str, base_url: str | None, no_mail: bool) -> None:
    """Make a one-time link to set a new password (valid for an hour) and print it, or mail
    it to the account when SMTP is set up. Using it signs the account out everywhere."""
    from . import accounts
    from .db import upgrade_database
    from .views import zone_text

    upgrade_database(current_app)
    address, _valid = lookup_email(email)
    user = db.session.execute(db.select(User).filter_by(email=address)).scalar_one_or_none()
    if user is None:
        raise click.ClickException(f"no account for {address}")
    base = base_url or current_app.config.get("BASE_URL") or DEFAULT_BASE_URL
    now = utcnow()
    with current_app.test_request_context(base_url=base):
        secret = accounts.create_reset(user, now)
        link = accounts.reset_link(secret)
    until = zone_text(now + accounts.RESET_VALID, "UTC")
    settings = accounts.smtp_settings(current_app.config)
    if settings is not None and not no_mail:
        try:
            accounts.send_mail(settings, accounts.reset_message(settings, user, link, until))
        except (OSError, smtplib.SMTPException) as exc:
            raise click.ClickException(
                f"the mail to {user.email} could not be sent ({exc}); "
                "run again with --no-mail to print the link"
            ) from exc
        click.echo(f"Mailed a reset link to {user.email}; it works once, until {until}.")
        return
    click.echo(link)
    click.echo(f"It works once, until {until}.", err=True)


@users_cli.command("list")
@click.option("--role", type=click.Choice(ROLES), help="Only accounts of this role.")
def users_list(role: str | None) -> None:
    """List the accounts, oldest first: email, role, created, last seen (UTC)."""
    from .db import upgrade_database
    from .exports.gradebook import iso_utc

    upgrade_database(current_app)
    query = db.select(User).order_by(User.created_at, User.id)
    if role:
        query = query.where(User.role == role)
    users = db.session.execute(query).scalars().all()
    width = max([len("email"), *(len(u.email) for u in users)])
    click.echo(f"{'email':<{width}}  {'role':<10}  {'created (UTC)':<20}  last seen (UTC)")
    for u in users:
        seen = iso_utc(u.last_seen_at) if u.last_seen_at else "never"
        click.echo(f"{u.email:<{width}}  {u.role:<10}  {iso_utc(u.created_at):<20}  {seen}")
    click.echo(f"{len(users)} account{'' if len(users) == 1 else 's'}", err=True)
