"""Flashcards: the daily FSRS review, undo, leeches, card info, statistics and settings.

Scheduling itself is ``srs`` (a thin layer over the ``fsrs`` library); this module stores
states and logs and serves the pages. A review is applied with a conditional UPDATE on the
card's ``reps`` (or a unique INSERT for a card's first review), so a double-submitted rating
counts once; undo deletes exactly the log it names and restores its ``before`` state.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields, replace
from datetime import datetime, timedelta
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from sqlalchemy import and_, delete, func, insert, or_, select, update
from sqlalchemy.exc import IntegrityError
from werkzeug.wrappers import Response as WerkzeugResponse
from wtforms import DecimalField, IntegerField, StringField
from wtforms.validators import InputRequired, NumberRange, StopValidation, ValidationError

from . import srs
from .bank import Bank, Card
from .content import snapshot
from .extensions import db
from .models import CardState as CardRow
from .models import ReviewLog, User, utcnow

bp = Blueprint("cards", __name__, url_prefix="/cards")

STATE_COLUMNS = tuple(f.name for f in fields(srs.CardState))
AHEAD_LIMIT = 50
MAX_DURATION_MS = 60_000  # as Anki: time past a minute on one card is not counted


# --- settings -----------------------------------------------------------------------------


def settings_for(user: User) -> srs.Settings:
    stored = dict(user.srs_settings or {})
    stored["timezone"] = user.timezone
    return srs.Settings.from_dict(stored)


# --- state storage ------------------------------------------------------------------------


def state_from_row(row: Any) -> srs.CardState:
    return srs.CardState(**{name: getattr(row, name) for name in STATE_COLUMNS})


def _values(state: srs.CardState) -> dict[str, Any]:
    return {name: getattr(state, name) for name in STATE_COLUMNS}


def load_state(user_id: int, essay: str, card_id: str) -> srs.CardState:
    row = db.session.execute(
        select(*(getattr(CardRow, n) for n in STATE_COLUMNS)).where(
            CardRow.user_id == user_id, CardRow.essay == essay, CardRow.card_id == card_id
        )
    ).first()
    return state_from_row(row) if row else srs.CardState(card_id=card_id)


def load_states(user_id: int, essay: str) -> list[srs.CardState]:
    rows = db.session.execute(
        select(*(getattr(CardRow, n) for n in STATE_COLUMNS)).where(
            CardRow.user_id == user_id, CardRow.essay == essay
        )
    ).all()
    return [state_from_row(r) for r in rows]


def _write_state(user_id: int, essay: str, state: srs.CardState, expected_reps: int | None) -> bool:
    """Store ``state``; with ``expected_reps``, only if the stored card still has that many reps.

    Part of the caller's transaction. False when another request got there first.
    """
    values = _values(state)
    where = and_(
        CardRow.user_id == user_id, CardRow.essay == essay, CardRow.card_id == state.card_id
    )
    stmt = update(CardRow).where(where).values(**values)
    if expected_reps is not None:
        stmt = stmt.where(CardRow.reps == expected_reps)
    if db.session.execute(stmt).rowcount == 1:
        return True
    exists = db.session.execute(select(CardRow.reps).where(where)).first()
    if exists is not None:
        return False  # the card moved on: this write is stale
    if expected_reps not in (None, 0):
        return False
    try:
        with db.session.begin_nested():
            db.session.execute(insert(CardRow).values(user_id=user_id, essay=essay, **values))
    except IntegrityError:
        return False
    return True


def pull_forward_cards(user_id: int, essay: str, card_ids: Iterable[str], now: datetime) -> None:
    """Quiz misses: each card becomes due now (a new one goes first among today's new cards).

    Part of the caller's transaction.
    """
    for card_id in card_ids:
        state = load_state(user_id, essay, card_id)
        _write_state(user_id, essay, srs.pull_forward(state, now), None)


def sync_retired(user_id: int, essay: str, card_ids: Sequence[str]) -> None:
    """A card whose fact left the content is retired (history kept); one that is back, not."""
    live = set(card_ids)
    rows = db.session.execute(
        select(CardRow.card_id, CardRow.retired).where(
            CardRow.user_id == user_id, CardRow.essay == essay
        )
    ).all()
    gone = [cid for cid, retired in rows if not retired and cid not in live]
    back = [cid for cid, retired in rows if retired and cid in live]
    for ids, flag in ((gone, True), (back, False)):
        if ids:
            db.session.execute(
                update(CardRow)
                .where(CardRow.user_id == user_id, CardRow.essay == essay, CardRow.card_id.in_(ids))
                .values(retired=flag)
            )
    if gone or back:
        db.session.commit()


# --- the queue ----------------------------------------------------------------------------


def _log_entries(rows: Iterable[ReviewLog]) -> list[srs.ReviewLogEntry]:
    return [
        srs.ReviewLogEntry(
            card_id=r.card_id,
            rating=r.rating,
            reviewed_at=r.reviewed_at,
            duration_ms=r.duration_ms,
            state_before=r.before,
            state_after=r.after,
        )
        for r in rows
    ]


def logs_between(
    user_id: int, essay: str | None, start: datetime, end: datetime
) -> list[ReviewLog]:
    stmt = select(ReviewLog).where(
        ReviewLog.user_id == user_id, ReviewLog.reviewed_at >= start, ReviewLog.reviewed_at < end
    )
    if essay is not None:
        stmt = stmt.where(ReviewLog.essay == essay)
    return list(db.session.execute(stmt.order_by(ReviewLog.reviewed_at)).scalars())


def today_bounds(now: datetime, settings: srs.Settings) -> tuple[datetime, datetime]:
    day = srs.study_day(now, settings.tz, settings.day_starts_hour)
    return srs.day_bounds(day, settings.tz, settings.day_starts_hour)


def daily_queue(
    user_id: int,
    essay: str,
    card_ids: Sequence[str],
    card_topics: dict[str, str | None],
    now: datetime,
    settings: srs.Settings,
    topic: str | None = None,
) -> srs.Queue:
    """Today's queue, reading only what it can show.

    SQL picks the candidates (learning cards due now, the first reviews due today up to the
    daily room, the first new cards in content order up to the room); ``srs.build_queue``,
    the tested pure core, orders and caps them; the totals come from COUNT queries.
    """
    start, end = today_bounds(now, settings)
    if topic is not None:
        card_ids = [c for c in card_ids if card_topics.get(c) == topic]
    scope = [CardRow.user_id == user_id, CardRow.essay == essay]
    if topic is not None:
        scope.append(CardRow.card_id.in_(card_ids))
    active = and_(*scope, CardRow.suspended.is_(False), CardRow.retired.is_(False))
    columns = [getattr(CardRow, n) for n in STATE_COLUMNS]
    learning_states = (srs.LEARNING, srs.RELEARNING)

    done_new = done_reviews = 0
    for before in db.session.execute(
        select(ReviewLog.state_before).where(
            ReviewLog.user_id == user_id,
            ReviewLog.essay == essay,
            ReviewLog.reviewed_at >= start,
            ReviewLog.reviewed_at < end,
        )
    ).scalars():
        done_new += before == srs.NEW
        done_reviews += before == srs.REVIEW
    review_room = max(0, settings.reviews_per_day - done_reviews)
    new_room = max(0, settings.new_per_day - done_new)

    learning = db.session.execute(
        select(*columns).where(active, CardRow.state.in_(learning_states), CardRow.due <= now)
    ).all()
    next_learning_due = db.session.execute(
        select(func.min(CardRow.due)).where(
            active, CardRow.state.in_(learning_states), CardRow.due > now
        )
    ).scalar()
    review_due = and_(active, CardRow.state == srs.REVIEW, CardRow.due < end)
    reviews = db.session.execute(
        select(*columns)
        .where(review_due)
        .order_by(CardRow.priority.desc(), CardRow.due)
        .limit(review_room)
    ).all()
    reviews_due = db.session.execute(select(func.count()).where(review_due)).scalar_one()
    # New cards: those with no state yet, or a state still new (e.g. pulled in by a quiz miss).
    new_rows = db.session.execute(select(*columns).where(active, CardRow.state == srs.NEW)).all()
    started = set(
        db.session.execute(
            select(CardRow.card_id).where(
                *scope, or_(CardRow.state != srs.NEW, CardRow.suspended, CardRow.retired)
            )
        ).scalars()
    )
    live = set(card_ids)
    fresh = [c for c in card_ids if c not in started]
    new_available = len(fresh)
    queue = srs.build_queue(
        [state_from_row(r) for r in (*learning, *reviews, *new_rows) if r.card_id in live],
        now,
        settings,
        new_done_today=done_new,
        reviews_done_today=done_reviews,
        all_card_ids_in_order=fresh[: new_room + len(new_rows)],
    )
    return replace(
        queue,
        reviews_due=reviews_due,
        new_available=new_available,
        next_learning_due=next_learning_due,
    )


# --- reviewing ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Recorded:
    log_id: int
    result: srs.ReviewResult


def record_review(
    user_id: int,
    essay: str,
    card_id: str,
    rating: int,
    now: datetime,
    settings: srs.Settings,
    expected_reps: int,
    duration_ms: int | None = None,
) -> Recorded | None:
    """Apply one rating; None when it was already recorded (double submit) or not allowed."""
    state = load_state(user_id, essay, card_id)
    if state.reps != expected_reps or not state.active:
        return None
    result = srs.review(state, rating, now, settings, duration_ms=duration_ms)
    if not _write_state(user_id, essay, result.new_state, expected_reps):
        db.session.rollback()
        return None
    log = ReviewLog(
        user_id=user_id,
        essay=essay,
        card_id=card_id,
        rating=rating,
        reviewed_at=result.log.reviewed_at,
        duration_ms=duration_ms,
        state_before=state.state,
        state_after=result.new_state.state,
        before=result.log.state_before,
        after=result.log.state_after,
    )
    db.session.add(log)
    db.session.commit()
    return Recorded(log.id, result)


def last_log(user_id: int, essay: str) -> ReviewLog | None:
    return db.session.execute(
        select(ReviewLog)
        .where(ReviewLog.user_id == user_id, ReviewLog.essay == essay)
        .order_by(ReviewLog.id.desc())
        .limit(1)
    ).scalar_one_or_none()


def undo_review(user_id: int, essay: str, log_id: int) -> ReviewLog | None:
    """Undo the student's latest review if it is ``log_id``: the exact previous state returns."""
    latest = last_log(user_id, essay)
    if latest is None or latest.id != log_id:
        return None
    deleted = db.session.execute(
        delete(ReviewLog).where(ReviewLog.id == log_id, ReviewLog.user_id == user_id)
    ).rowcount
    if deleted != 1:
        db.session.rollback()
        return None
    before = srs.CardState.from_dict(latest.before)
    _write_state(user_id, essay, before, None)
    db.session.commit()
    return latest


def set_suspended(user_id: int, essay: str, card_id: str, suspended: bool) -> None:
    state = load_state(user_id, essay, card_id)
    # Unsuspending a leech keeps its tag (history), as Anki does.
    changed = srs.CardState(**{**_values(state), "suspended": suspended})
    _write_state(user_id, essay, changed, None)
    db.session.commit()


# --- views --------------------------------------------------------------------------------


def _bank_or_404(essay: str) -> Bank:
    snap = snapshot()
    if essay not in snap.essays:
        abort(404)
    return snap.bank(essay)


def _deck(bank: Bank) -> tuple[list[str], dict[str, str | None], dict[str, Card]]:
    ids = [c.id for c in bank.cards]
    return ids, {c.id: c.topic for c in bank.cards}, {c.id: c for c in bank.cards}


@bp.get("/")
@login_required
def index() -> str:
    now = utcnow()
    settings = settings_for(current_user)
    decks = []
    for slug, content in snapshot().essays.items():
        bank = snapshot().bank(slug)
        ids, topics, _by_id = _deck(bank)
        sync_retired(current_user.id, slug, ids)
        queue = daily_queue(current_user.id, slug, ids, topics, now, settings)
        suspended = db.session.execute(
            select(CardRow.card_id, CardRow.leech).where(
                CardRow.user_id == current_user.id,
                CardRow.essay == slug,
                CardRow.suspended.is_(True),
                CardRow.retired.is_(False),
            )
        ).all()
        topic_counts = {
            t.id: daily_queue(current_user.id, slug, ids, topics, now, settings, topic=t.id).total
            for t in content.topics
        }
        decks.append(
            {
                "content": content,
                "queue": queue,
                "topics": topic_counts,
                "suspended": [(cid, leech, _by_id.get(cid)) for cid, leech in suspended],
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
    bank = _bank_or_404(essay)
    ids, topics, by_id = _deck(bank)
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
    if state is None:
        state = queue.next_card
    if state is None and ahead:
        upcoming = srs.study_ahead(
            load_states(current_user.id, essay),
            now,
            settings,
            1,
            topic_filter={topic} if topic else None,
            card_topics=topics,
        )
        state = upcoming[0] if upcoming else None
    card = by_id.get(state.card_id) if state else None
    show = bool(request.args.get("show")) and card is not None
    intervals = {}
    if state is not None and show:
        intervals = {
            r: srs.format_interval(td)
            for r, td in srs.preview_intervals(state, now, settings).items()
        }
    last = last_log(current_user.id, essay)
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
    )


@bp.post("/<essay>/review")
@login_required
def review(essay: str) -> WerkzeugResponse:
    bank = _bank_or_404(essay)
    _ids, _topics, by_id = _deck(bank)
    card_id = request.form.get("card", "")
    rating = request.form.get("rating", "")
    expected = form_int(request.form.get("reps", ""), digits=9)
    if card_id not in by_id or rating not in ("1", "2", "3", "4") or expected is None:
        abort(400)
    now = utcnow()
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
        settings_for(current_user),
        expected,
        duration,
    )
    if recorded is None:
        flash("That answer was already recorded.", "info")
    elif recorded.result.became_leech:
        flash(
            "This card has been forgotten 8 times: it is tagged as a leech and suspended. "
            "Read its passage again; you can unsuspend it from the flashcards page.",
            "error",
        )
    return redirect(url_for("cards.study", essay=essay, **_study_args()))


@bp.post("/<essay>/undo")
@login_required
def undo(essay: str) -> WerkzeugResponse:
    _bank_or_404(essay)
    log_id = form_int(request.form.get("log", ""))
    undone = undo_review(current_user.id, essay, log_id) if log_id is not None else None
    if undone is None:
        flash("Nothing to undo.", "info")
        return redirect(url_for("cards.study", essay=essay, **_study_args()))
    flash("Review undone.", "success")
    return redirect(
        url_for("cards.study", essay=essay, card=undone.card_id, show="1", **_study_args())
    )


@bp.post("/<essay>/card/<card_id>/suspend")
@login_required
def suspend(essay: str, card_id: str) -> WerkzeugResponse:
    _ids, _topics, by_id = _deck(_bank_or_404(essay))
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
    _ids, _topics, by_id = _deck(_bank_or_404(essay))
    card = by_id.get(card_id) or abort(404)
    settings = settings_for(current_user)
    now = utcnow()
    state = load_state(current_user.id, essay, card_id)
    history = (
        db.session.execute(
            select(ReviewLog)
            .where(
                ReviewLog.user_id == current_user.id,
                ReviewLog.essay == essay,
                ReviewLog.card_id == card_id,
            )
            .order_by(ReviewLog.reviewed_at)
        )
        .scalars()
        .all()
    )
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
    bank = _bank_or_404(essay)
    ids, _topics, _by_id = _deck(bank)
    settings = settings_for(current_user)
    now = utcnow()
    states = [s for s in load_states(current_user.id, essay) if s.card_id in set(ids)]
    year_ago = now - timedelta(days=366)
    logs = _log_entries(logs_between(current_user.id, essay, year_ago, now + timedelta(seconds=1)))
    tz, hour = settings.tz, settings.day_starts_hour
    today = srs.study_day(now, tz, hour)
    by_day = srs.reviews_by_day(logs, tz, hour)
    heatmap_start = today - timedelta(days=today.weekday() + 52 * 7)
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
        today=today,
    )


MAX_STEPS = 20
MAX_STEP_SECONDS = 365 * 86400  # a step of a year at most: dates stay far inside datetime's


def _steps(text: str) -> tuple[int, ...]:
    """'1m 10m' -> seconds; at most MAX_STEPS steps of at most a year each."""
    units = {"s": 1, "m": 60, "h": 3600, "d": 86400}
    out = []
    for part in text.split():
        number, unit = part[:-1], part[-1:]
        if unit not in units or form_int(number) in (None, 0):
            raise ValueError(part)
        seconds = int(number) * units[unit]
        if seconds > MAX_STEP_SECONDS:
            raise ValueError(f"{part} (a step is a year at most)")
        out.append(seconds)
    if len(out) > MAX_STEPS:
        raise ValueError(f"{len(out)} steps (at most {MAX_STEPS})")
    return tuple(out)


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
        "Maximum reviews per day", validators=[InputRequired(), NumberRange(0, 99999)]
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

    def validate_learning_steps(self, field: StringField) -> None:
        try:
            _steps(field.data or "")
        except ValueError as exc:
            raise ValidationError(f"“{exc}” is not a step; write steps like “1m 10m”.") from exc

    validate_relearning_steps = validate_learning_steps


@bp.route("/settings", methods=["GET", "POST"])
@login_required
def settings() -> str | WerkzeugResponse:
    current = settings_for(current_user)
    form = SettingsForm(
        data={
            "new_per_day": current.new_per_day,
            "reviews_per_day": current.reviews_per_day,
            "learning_steps": " ".join(srs.format_interval(s) for s in current.learning_steps),
            "relearning_steps": " ".join(srs.format_interval(s) for s in current.relearning_steps),
            "desired_retention": current.desired_retention,
            "maximum_interval": current.maximum_interval,
        }
    )
    if form.validate_on_submit():
        data = current.to_dict()
        data.pop("timezone")
        data.update(
            new_per_day=form.new_per_day.data,
            reviews_per_day=form.reviews_per_day.data,
            learning_steps=list(_steps(form.learning_steps.data or "")),
            relearning_steps=list(_steps(form.relearning_steps.data or "")),
            desired_retention=float(form.desired_retention.data),
            maximum_interval=form.maximum_interval.data,
        )
        srs.Settings.from_dict(data)  # validates
        current_user.srs_settings = data
        db.session.commit()
        flash("Flashcard settings saved.", "success")
        return redirect(url_for("cards.index"))
    return render_template("cards/settings.html", form=form)
