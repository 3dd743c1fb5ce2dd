"""Accounts, the pages: the user's settings (time zone), their data as JSON, deleting their
account, reset links made by an instructor and using one. Thin views over ``accounts``."""

from __future__ import annotations

import smtplib
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_required, logout_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response as WerkzeugResponse
from wtforms import PasswordField, SelectField
from wtforms.validators import DataRequired, EqualTo, Length, ValidationError

from . import sessions
from .accounts import (
    RESET_VALID,
    LastInstructor,
    create_reset,
    delete_account,
    live_reset,
    may_reset,
    reset_link,
    reset_message,
    send_mail,
    smtp_settings,
    use_reset,
    user_data,
    valid_zone,
)
from .extensions import db
from .models import (
    User,
    utcnow,
)
from .signin import own_password_matches, start_session
from .users import (
    TIMEZONES,
    hash_password,
    password_problem,
)

bp = Blueprint("account", __name__)


# --- views -----------------------------------------------------------------------------------


class ZoneForm(FlaskForm):  # type: ignore[misc]
    timezone = SelectField(
        "Time zone",
        choices=TIMEZONES,
        description="Every time is shown in this zone; your flashcard day starts in it too.",
    )


class DeleteForm(FlaskForm):  # type: ignore[misc]
    password = PasswordField(
        "Your password, to confirm", validators=[DataRequired(), Length(max=200)]
    )


class ResetForm(FlaskForm):  # type: ignore[misc]
    password = PasswordField("New password", validators=[DataRequired()])
    confirm = PasswordField(
        "Repeat new password",
        validators=[DataRequired(), EqualTo("password", message="The passwords differ.")],
    )

    def __init__(self, user: User, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def validate_password(self, field: PasswordField) -> None:
        problem = password_problem(field.data, [self.user.email, self.user.name])
        if problem:
            raise ValidationError(problem)


@bp.route("/account/", methods=["GET", "POST"])
@login_required
def settings() -> str | WerkzeugResponse:
    form = ZoneForm(data={"timezone": current_user.timezone})
    if form.validate_on_submit():
        current_user.timezone = form.timezone.data
        current_user.timezone_set_at = utcnow()
        db.session.commit()
        flash(f"Your time zone is {current_user.timezone}.", "success")
        return redirect(url_for("account.settings"))
    return render_template("account/settings.html", form=form, delete_form=DeleteForm())


@bp.post("/account/timezone")
@login_required
def detect_timezone() -> tuple[str, int]:
    """The browser's zone, sent once by static/js/timezone.js: taken only while the user has
    not set a zone (registration, settings) and only if zoneinfo knows it."""
    zone = request.form.get("timezone", "")
    if not valid_zone(zone):
        return "unknown time zone", 400
    if current_user.timezone_set_at is None:
        current_user.timezone = zone
        current_user.timezone_set_at = utcnow()
        db.session.commit()
    return "", 204


@bp.get("/account/data.json")
@login_required
def data() -> Response:
    import json

    body = json.dumps(user_data(current_user, utcnow()), ensure_ascii=False, indent=2)
    return Response(
        body + "\n",
        mimetype="application/json",
        headers={"Content-Disposition": 'attachment; filename="essay-study-my-data.json"'},
    )


DELETE_TOO_MANY = "Too many tries. Please wait a minute, then try again."


@bp.post("/account/delete")
@login_required
def delete_own() -> str | WerkzeugResponse:
    form = DeleteForm()
    if form.validate_on_submit():
        if own_password_matches(form.password.data, DELETE_TOO_MANY):
            try:
                delete_account(current_user.id, utcnow())
            except LastInstructor as exc:
                flash(str(exc), "error")
                return redirect(url_for("account.settings"))
            session.clear()
            logout_user()
            flash("Your account and all its data are deleted.", "info")
            return redirect(url_for("home.index"))
        form.password.errors.append("This is not your password.")
    zone_form = ZoneForm(data={"timezone": current_user.timezone})
    page = render_template("account/settings.html", form=zone_form, delete_form=form)
    return page, 400  # type: ignore[return-value]


@bp.post("/instructor/students/<int:user_id>/reset-link")
@login_required
def reset_link_for(user_id: int) -> str:
    """An instructor makes a one-time link for a student: mailed when mail is set up,
    otherwise (or when sending fails) shown here to hand over."""
    if not current_user.is_instructor:
        abort(403)
    user = db.session.get(User, user_id)
    if user is None or not may_reset(current_user, user):
        abort(404)
    now = utcnow()
    secret = create_reset(user, now, created_by=current_user)
    link = reset_link(secret)
    expires_at = now + RESET_VALID
    mailed, mail_error = False, None
    settings = smtp_settings(current_app.config)
    if settings is not None:
        from .clock import zone_text

        try:
            send_mail(settings, reset_message(settings, user, link, zone_text(expires_at, "UTC")))
            mailed = True
        except (smtplib.SMTPException, OSError) as exc:
            current_app.logger.warning("reset mail to user %s failed: %s", user.id, exc)
            mail_error = "The mail could not be sent; hand over this link instead."
    return render_template(
        "account/reset_link.html",
        user=user,
        link=None if mailed else link,
        mailed=mailed,
        mail_error=mail_error,
        expires_at=expires_at,
    )


@bp.route("/account/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str) -> str | WerkzeugResponse:
    now = utcnow()
    record = live_reset(token, now)
    if record is None:
        return render_template("account/reset_invalid.html"), 404  # type: ignore[return-value]
    user = record.user
    form = ResetForm(user)
    if form.validate_on_submit():
        done = use_reset(token, hash_password(form.password.data), now)
        if done is None:  # used by another request meanwhile
            return render_template("account/reset_invalid.html"), 404  # type: ignore[return-value]
        if current_user.is_authenticated:  # whoever was signed in in this browser
            sessions.revoke(current_user.session_key, now)
        start_session(done, remember=False)
        flash("Your new password is set. You are signed out on every other device.", "success")
        return redirect(url_for("home.index"))
    return render_template("account/reset.html", form=form, user=user)
