"""Flashcards, the pages: the daily review, undo, leeches, card info, statistics and settings.

Thin views over the services in ``cards`` (which store states and logs and build the queue).
"""

from __future__ import annotations

import math
import time
from datetime import timedelta
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response as WerkzeugResponse
from wtforms import BooleanField, DecimalField, IntegerField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, NumberRange, StopValidation, ValidationError

from . import courses, optimizer, srs
from .bank import Bank
from .cards import (
    MAX_DURATION_MS,
    card_history,
    daily_queue,
    last_log,
    load_state,
    load_states,
    log_entries,
    logs_between,
    queue_from,
    queue_rows,
    record_review,
    review_count,
    save_settings,
    set_suspended,
    settings_for,
    study_deck_of,
    suspended_cards,
    sync_retired,
    undo_review,
)
from .content import snapshot
from .fitting import optimize_user, reset_parameters
from .models import utcnow

bp = Blueprint("cards", __name__, url_prefix="/cards")


# --- views --------------------------------------------------------------------------------


def _bank_or_404(essay: str) -> Bank:
    """The essay's bank, if the signed-in user's courses give the essay (staff: any)."""
    snap = snapshot()
    if essay not in snap.essays or essay not in courses.visible(current_user, snap.essays):
        abort(404)
    return snap.bank(essay)


@bp.get("/")
@login_required
def index() -> str:
    now = utcnow()
    settings = settings_for(current_user)
    decks = []
    mine = courses.visible(current_user, snapshot().essays)
    for slug, content in snapshot().essays.items():
        if slug not in mine:
            continue
        ids, topics, _by_id = study_deck_of(slug)
        stored = queue_rows(current_user.id, slug, now, settings)  # once for every topic
        queue = queue_from(stored, ids, topics, now, settings)
        suspended = suspended_cards(current_user.id, slug)
        topic_counts = {
            t.id: queue_from(stored, ids, topics, now, settings, topic=t.id).total
            for t in content.topics
        }
        decks.append(
            {
                "content": content,
                "queue": queue,
                "topics": topic_counts,
                "suspended": [
                    (cid, leech, _by_id[cid]) for cid, leech in suspended if cid in _by_id
                ],
            }
        )
    return render_template("cards/index.html", decks=decks)


def _study_args() -> dict[str, str]:
    args = {}
    if request.values.get("topic"):
        args["topic"] = request.values["topic"]
    if request.values.get("ahead"):
        args["ahead"] = "1"
    return args


@bp.get("/<essay>/study")
@login_required
def study(essay: str) -> str:
    _bank_or_404(essay)
    ids, topics, by_id = study_deck_of(essay)
    now = utcnow()
    settings = settings_for(current_user)
    topic = request.args.get("topic") or None
    if topic is not None and topic not in {t for t in topics.values() if t}:
        abort(404)
    queue = daily_queue(current_user.id, essay, ids, topics, now, settings, topic=topic)
    ahead = bool(request.args.get("ahead"))
    state: srs.CardState | None = None
    wanted = request.args.get("card")
    if wanted and wanted in by_id:
        state = load_state(current_user.id, essay, wanted)
        if not state.active:
            state = None
    if state is None and (queue.learning or queue.main):
        state = queue.next_card
    if state is None and ahead:
        # studying ahead: Review cards due later, before learning cards that are not due yet
        upcoming = srs.study_ahead(
            load_states(current_user.id, essay),
            now,
            settings,
            1,
            topic_filter={topic} if topic else None,
            card_topics=topics,
        )
        state = upcoming[0] if upcoming and upcoming[0].card_id in by_id else None
    if state is None:
        state = queue.next_card  # a learning card within the learn-ahead limit, if any
    refresh_in = None
    if state is None and queue.next_learning_due is not None:
        # reload when the next learning card can be shown (learn-ahead before its due time)
        showable = queue.next_learning_due - timedelta(minutes=settings.learn_ahead_minutes)
        refresh_in = max(1, math.ceil((showable - now).total_seconds()))
    card = by_id.get(state.card_id) if state else None
    show = bool(request.args.get("show")) and card is not None
    intervals = {}
    if state is not None and show:
        intervals = srs.button_labels(state, now, settings)
    last = last_log(current_user.id, essay)
    if last is not None and (
        not last.undo_token
        or load_state(current_user.id, essay, last.card_id) != srs.CardState.from_dict(last.after)
    ):
        last = None  # the card changed since: nothing to undo
    return render_template(
        "cards/study.html",
        essay=snapshot().essays[essay],
        queue=queue,
        state=state,
        card=card,
        show=show,
        intervals=intervals,
        shown=request.args.get("shown") or str(int(time.time() * 1000)),
        last=last,
        last_card=by_id.get(last.card_id) if last else None,
        args=_study_args(),
        topic_title=next((t.title for t in snapshot().essays[essay].topics if t.id == topic), None),
        ahead=ahead,
        refresh_in=refresh_in,
    )


@bp.post("/<essay>/review")
@login_required
def review(essay: str) -> WerkzeugResponse:
    _bank_or_404(essay)
    ids, _topics, by_id = study_deck_of(essay)
    card_id = request.form.get("card", "")
    rating = request.form.get("rating", "")
    expected = form_int(request.form.get("reps", ""), digits=9)
    if card_id not in by_id or rating not in ("1", "2", "3", "4") or expected is None:
        abort(400)
    now = utcnow()
    sync_retired(current_user.id, essay, ids)  # facts deleted from the content retire here
    settings = settings_for(current_user)
    duration = None
    shown = form_int(request.form.get("shown", ""))
    if shown is not None:
        duration = max(0, min(MAX_DURATION_MS, int(time.time() * 1000) - shown))
    recorded = record_review(
        current_user.id,
        essay,
        card_id,
        int(rating),
        now,
        settings,
        expected,
        duration,
    )
    if recorded is None:
        flash("That answer was already recorded.", "info")
    elif recorded.result.became_leech and recorded.result.new_state.suspended:
        flash(
            f"This card has been forgotten {recorded.result.new_state.lapses} times: it is "
            "tagged as a leech and suspended. Read its passage again; you can unsuspend it "
            "from the flashcards page.",
            "error",
        )
    elif recorded.result.became_leech:
        flash(
            f"This card has been forgotten {recorded.result.new_state.lapses} times: it is "
            "tagged as a leech. Read its passage again.",
            "error",
        )
    return redirect(url_for("cards.study", essay=essay, **_study_args()))


@bp.post("/<essay>/undo")
@login_required
def undo(essay: str) -> WerkzeugResponse:
    _bank_or_404(essay)
    undone = undo_review(current_user.id, essay, request.form.get("undo", ""))
    if undone is None:
        flash("Nothing to undo: that review is gone or its card has changed since.", "info")
        return redirect(url_for("cards.study", essay=essay, **_study_args()))
    flash("Review undone.", "success")
    return redirect(
        url_for("cards.study", essay=essay, card=undone.card_id, show="1", **_study_args())
    )


@bp.post("/<essay>/card/<card_id>/suspend")
@login_required
def suspend(essay: str, card_id: str) -> WerkzeugResponse:
    _bank_or_404(essay)
    _ids, _topics, by_id = study_deck_of(essay)
    if card_id not in by_id:
        abort(404)
    on = request.form.get("suspended") == "1"
    set_suspended(current_user.id, essay, card_id, on)
    flash("Card suspended." if on else "Card unsuspended: it is back in your reviews.", "success")
    if request.form.get("back_to_info"):
        return redirect(url_for("cards.info", essay=essay, card_id=card_id))
    return redirect(url_for("cards.index"))


@bp.get("/<essay>/card/<card_id>")
@login_required
def info(essay: str, card_id: str) -> str:
    _bank_or_404(essay)
    _ids, _topics, by_id = study_deck_of(essay)
    card = by_id.get(card_id) or abort(404)
    settings = settings_for(current_user)
    now = utcnow()
    state = load_state(current_user.id, essay, card_id)
    history = card_history(current_user.id, essay, card_id)
    return render_template(
        "cards/info.html",
        essay=snapshot().essays[essay],
        card=card,
        state=state,
        history=history,
        retrievability=srs.retrievability(state, now, settings) if state.state != srs.NEW else None,
        rating_names=srs.RATING_NAMES,
        state_names=srs.STATE_NAMES,
    )


@bp.get("/<essay>/stats")
@login_required
def stats(essay: str) -> str:
    _bank_or_404(essay)
    ids, _topics, _by_id = study_deck_of(essay)
    settings = settings_for(current_user)
    now = utcnow()
    states = srs.retire_missing(load_states(current_user.id, essay), ids)
    tz, hour = settings.tz, settings.day_starts_hour
    today = srs.study_day(now, tz, hour)
    heatmap_start = today - timedelta(days=today.weekday() + 52 * 7)
    # every review drawn on the heatmap, and no more: from the start of its first study day
    since, _ = srs.day_bounds(heatmap_start, tz, hour)
    logs = log_entries(logs_between(current_user.id, essay, since, now + timedelta(seconds=1)))
    by_day = srs.reviews_by_day(logs, tz, hour)
    return render_template(
        "cards/stats.html",
        essay=snapshot().essays[essay],
        summary=srs.today_summary(logs, now, tz, hour),
        future=srs.future_due(states, now, tz, days=30, day_starts_hour=hour),
        heatmap=[
            (heatmap_start + timedelta(days=i), by_day.get(heatmap_start + timedelta(days=i), 0))
            for i in range((today - heatmap_start).days + 1)
        ],
        heatmap_max=max(by_day.values(), default=0),
        retention=srs.true_retention(logs, tz, hour),
        counts=srs.counts(states, ids),
        settings=settings,
        today=today,
    )


def form_int(text: str, digits: int = 18) -> int | None:
    """A non-negative whole number typed in ASCII digits (no '²', no 5000-digit numbers)."""
    if not (0 < len(text) <= digits and text.isascii() and text.isdigit()):
        return None
    return int(text)


def _finite(form: FlaskForm, field: DecimalField) -> None:
    if field.data is not None and not field.data.is_finite():
        raise StopValidation("Give a number such as 0.90.")


class SettingsForm(FlaskForm):  # type: ignore[misc]
    new_per_day = IntegerField(
        "New cards per day", validators=[InputRequired(), NumberRange(0, 9999)]
    )
    reviews_per_day = IntegerField(
        "Maximum reviews per day",
        validators=[InputRequired(), NumberRange(0, 99999)],
        description="New cards count against it too, as in Anki.",
    )
    learning_steps = StringField(
        "Learning steps", description="Space-separated, e.g. “1m 10m” (s, m, h or d)."
    )
    relearning_steps = StringField(
        "Relearning steps", description="For cards you forgot, e.g. “10m”."
    )
    desired_retention = DecimalField(
        "Desired retention",
        places=2,
        validators=[InputRequired(), _finite, NumberRange(0.7, 0.99)],
        description="The chance of remembering a card when it comes due (0.70 to 0.99).",
    )
    maximum_interval = IntegerField(
        "Maximum interval (days)", validators=[InputRequired(), NumberRange(1, 36500)]
    )
    day_starts_hour = IntegerField(
        "Next day starts at (hour)",
        validators=[InputRequired(), NumberRange(0, 23)],
        description="The hour, in your time zone, at which a new study day begins.",
    )
    new_mix = SelectField(
        "New cards",
        choices=[
            SelectChoice("mix", "Mixed among the reviews"),
            SelectChoice("after", "After the reviews"),
            SelectChoice("before", "Before the reviews"),
        ],
    )
    review_sort = SelectField(
        "Review order",
        choices=[
            SelectChoice("due", "Due date"),
            SelectChoice("retrievability", "The most forgotten first"),
        ],
    )
    leech_threshold = IntegerField(
        "Leech threshold (lapses)",
        validators=[InputRequired(), NumberRange(0, 99)],
        description="0 turns leech detection off.",
    )
    leech_action = SelectField(
        "Leech action",
        choices=[SelectChoice("suspend", "Tag and suspend"), SelectChoice("tag", "Tag only")],
    )
    enable_fuzzing = BooleanField("Spread due dates a little (fuzz)")

    def validate_learning_steps(self, field: StringField) -> None:
        try:
            srs.parse_steps(field.data or "")
        except ValueError as exc:
            raise ValidationError(f"“{exc}” is not a step; write steps like “1m 10m”.") from exc

    validate_relearning_steps = validate_learning_steps


def _form_data(current: srs.Settings) -> dict[str, Any]:
    """The settings as the form shows them; saving them unchanged stores the same settings."""
    return {
        "new_per_day": current.new_per_day,
        "reviews_per_day": current.reviews_per_day,
        "learning_steps": srs.format_steps(current.learning_steps),
        "relearning_steps": srs.format_steps(current.relearning_steps),
        "desired_retention": current.desired_retention,
        "maximum_interval": current.maximum_interval,
        "day_starts_hour": current.day_starts_hour,
        "new_mix": current.new_mix,
        "review_sort": current.review_sort,
        "leech_threshold": current.leech_threshold,
        "leech_action": current.leech_action,
        "enable_fuzzing": current.enable_fuzzing,
    }


@bp.route("/settings", methods=["GET", "POST"])
@login_required
def settings() -> str | WerkzeugResponse:
    current = settings_for(current_user)
    form = SettingsForm(data=_form_data(current))
    if form.validate_on_submit():
        data = current.to_dict()
        data.pop("timezone")
        data.update(
            new_per_day=form.new_per_day.data,
            reviews_per_day=form.reviews_per_day.data,
            learning_steps=[s.total_seconds() for s in srs.parse_steps(form.learning_steps.data)],
            relearning_steps=[
                s.total_seconds() for s in srs.parse_steps(form.relearning_steps.data)
            ],
            desired_retention=float(form.desired_retention.data),
            maximum_interval=form.maximum_interval.data,
            day_starts_hour=form.day_starts_hour.data,
            new_mix=form.new_mix.data,
            review_sort=form.review_sort.data,
            leech_threshold=form.leech_threshold.data,
            leech_action=form.leech_action.data,
            enable_fuzzing=bool(form.enable_fuzzing.data),
        )
        new = srs.Settings.from_dict(data)  # validates
        moved = save_settings(current_user, data, current, new)
        flash(
            "Flashcard settings saved."
            + (f" {moved} cards were rescheduled for them." if moved else ""),
            "success",
        )
        return redirect(url_for("cards.index"))
    reviews = review_count(current_user.id)
    return render_template(
        "cards/settings.html",
        form=form,
        reviews=reviews,
        min_reviews=optimizer.MIN_REVIEWS,
        optimized=(current_user.srs_settings or {}).get("optimized"),
        default_parameters=current.parameters == srs.Settings().parameters,
    )


@bp.post("/settings/optimize")
@login_required
def optimize() -> WerkzeugResponse:
    """Fit the FSRS parameters to the student's own reviews (or go back to the defaults) and
    reschedule their cards."""
    if request.form.get("action") == "reset":
        moved = reset_parameters(current_user)
        message = "The default FSRS parameters are back."
    else:
        try:
            result, moved = optimize_user(current_user, utcnow())
        except ValueError as exc:
            flash(str(exc).capitalize() + ".", "error")
            return redirect(url_for("cards.settings"))
        message = (
            f"FSRS parameters fitted to your {result.reviews} reviews: log loss "
            f"{result.log_loss_before:.4f} before, {result.log_loss_after:.4f} after "
            "(lower predicts your memory better)."
        )
    flash(message + (f" {moved} cards were rescheduled." if moved else ""), "success")
    return redirect(url_for("cards.settings"))
