"""Accounts, the pages: register, sign in and out, remember me, change password (the rules
are ``users``; the ``quizapp users`` commands are ``cli/users.py``)."""

from __future__ import annotations

import unicodedata
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    Flask,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from sqlalchemy.exc import IntegrityError
from werkzeug.wrappers import Response as WerkzeugResponse
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, ValidationError

from . import courses, ratelimit, sessions
from .extensions import db, login_manager
from .models import User, utcnow
from .signin import end_session, own_password_matches, slow_down, start_session, too_many
from .users import (
    MAX_PASSWORD,
    MIN_PASSWORD,
    REGISTER_ADDRESS_MAX,
    REGISTER_ADDRESS_SLOW,
    SIGN_IN_ACCOUNT,
    SIGN_IN_ADDRESS,
    TIMEZONES,
    hash_password,
    lookup_email,
    normalize_email,
    password_matches,
    password_problem,
)

bp = Blueprint("auth", __name__, url_prefix="/auth")


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
                start_session(existing, remember=False)
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
        start_session(user, remember=False)
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
            start_session(user, remember=form.remember.data)
            return redirect(safe_next(request.args.get("next")) or url_for("home.index"))
        # The same words, and the same time, whether the email is unknown or the password wrong.
        form.password.errors.append("Email or password is incorrect.")
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
@login_required
def logout() -> WerkzeugResponse:
    end_session()
    flash("You are signed out.", "info")
    return redirect(url_for("auth.login"))


@bp.post("/logout-everywhere")
@login_required
def logout_everywhere() -> WerkzeugResponse:
    ended = sessions.revoke_all(current_user.id, utcnow())
    end_session()
    devices = "this device" if ended <= 1 else f"all {ended} devices"
    flash(f"You are signed out on {devices}.", "info")
    return redirect(url_for("auth.login"))


@bp.route("/password", methods=["GET", "POST"])
@login_required
def password() -> str | WerkzeugResponse:
    form = PasswordForm()
    if form.validate_on_submit():
        if not own_password_matches(form.current.data, PASSWORD_TOO_MANY):
            form.current.errors.append("This is not your current password.")
        else:
            user = current_user._get_current_object()
            user.password_hash = hash_password(form.password.data)
            db.session.commit()
            sessions.revoke_all(user.id, utcnow())  # signs out every device, this one too
            start_session(user, remember=False)  # ... which signs in afresh
            flash("Your password is changed. Other devices are signed out.", "success")
            return redirect(url_for("home.index"))
    return render_template(
        "auth/password.html", form=form, devices=sessions.live_count(current_user.id, utcnow())
    )
