"""Flashcards: the daily FSRS review, undo, leeches, card info, statistics and settings.

Scheduling itself is ``srs`` (a thin layer over the ``fsrs`` library); this module stores
states and logs and serves the pages. A review is applied with a conditional UPDATE on the
card's ``reps`` (or a unique INSERT for a card's first review), so a double-submitted rating
counts once; undo deletes exactly the log it names and restores its ``before`` state.
"""

from __future__ import annotations

import functools
import math
import secrets
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields
from datetime import UTC, datetime, timedelta
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from sqlalchemy import Select, Update, and_, bindparam, delete, func, insert, or_, select, update
from sqlalchemy.exc import IntegrityError
from werkzeug.wrappers import Response as WerkzeugResponse
from wtforms import BooleanField, DecimalField, IntegerField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, NumberRange, StopValidation, ValidationError

from . import courses, optimizer, srs
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


# Stored settings carry this version. Before version 2 the settings form stored every field
# of srs.Settings, including enable_fuzzing=False, then the fixed default: such a stored
# value is not the learner's choice and gives way to today's default (fuzz on, as Anki).
SETTINGS_VERSION = 2


def stored_settings(settings: srs.Settings) -> dict[str, Any]:
    """What ``User.srs_settings`` holds for ``settings`` (the zone is the user's own)."""
    data = settings.to_dict()
    data.pop("timezone")
    data["version"] = SETTINGS_VERSION
    return data


def settings_for(user: User) -> srs.Settings:
    stored = dict(user.srs_settings or {})
    stored.pop("optimized", None)  # the last optimization's figures, for the settings page
    if stored.pop("version", 1) < 2:
        stored.pop("enable_fuzzing", None)
    stored["timezone"] = user.timezone
    return srs.Settings.from_dict(stored)


def user_logs(user_id: int) -> list[srs.ReviewLogEntry]:
    """Every review of the student, all essays, oldest first."""
    rows = db.session.execute(
        select(ReviewLog).where(ReviewLog.user_id == user_id).order_by(ReviewLog.reviewed_at)
    ).scalars()
    return _log_entries(rows)


def reschedule_user(user_id: int, old: srs.Settings, new: srs.Settings) -> int:
    """After a change of FSRS parameters, desired retention or maximum interval: every card
    of the student is rescheduled as Anki does on such a change (new parameters: its memory
    recomputed from its whole history; then a Review card's due date from its last review).
    Returns how many cards changed. Commits."""
    if (old.parameters, old.desired_retention, old.maximum_interval) == (
        new.parameters,
        new.desired_retention,
        new.maximum_interval,
    ):
        return 0
    by_card: dict[tuple[str, str], list[srs.ReviewLogEntry]] = {}
    if old.parameters != new.parameters:
        rows = db.session.execute(
            select(ReviewLog).where(ReviewLog.user_id == user_id).order_by(ReviewLog.reviewed_at)
        ).scalars()
        for row in rows:
            by_card.setdefault((row.essay, row.card_id), []).extend(_log_entries([row]))
    changed = 0
    rows = db.session.execute(
        select(CardRow.essay, *(getattr(CardRow, n) for n in STATE_COLUMNS)).where(
            CardRow.user_id == user_id, CardRow.state != srs.NEW
        )
    ).all()
    for row in rows:
        state = state_from_row(row)
        updated = None
        if old.parameters != new.parameters:
            updated = srs.replay(state, by_card.get((row.essay, state.card_id), []), new)
        updated = srs.reschedule(updated or state, new)
        if updated != state and _write_state(user_id, row.essay, updated, state.reps):
            changed += 1
    db.session.commit()
    return changed


# --- state storage ------------------------------------------------------------------------


def state_from_row(row: Any) -> srs.CardState:
    return srs.CardState(**{name: getattr(row, name) for name in STATE_COLUMNS})


def _values(state: srs.CardState) -> dict[str, Any]:
    return {name: getattr(state, name) for name in STATE_COLUMNS}


@functools.cache
def _state_statement() -> Select[Any]:
    # Run on every review and study page: built once, with bound parameters, so neither the
    # statement nor its cache key is made again per request.
    return select(*(getattr(CardRow, n) for n in STATE_COLUMNS)).where(
        CardRow.user_id == bindparam("user_id"),
        CardRow.essay == bindparam("essay"),
        CardRow.card_id == bindparam("card_id"),
    )


def load_state(user_id: int, essay: str, card_id: str) -> srs.CardState:
    row = db.session.execute(
        _state_statement(), {"user_id": user_id, "essay": essay, "card_id": card_id}
    ).first()
    return state_from_row(row) if row else srs.CardState(card_id=card_id)


def load_states(user_id: int, essay: str) -> list[srs.CardState]:
    rows = db.session.execute(
        select(*(getattr(CardRow, n) for n in STATE_COLUMNS)).where(
            CardRow.user_id == user_id, CardRow.essay == essay
        )
    ).all()
    return [state_from_row(r) for r in rows]


@functools.cache
def _update_statement(if_reps: bool) -> Update:
    """The UPDATE of one card's state (with ``if_reps``, only if its reps are ``w_reps``):
    built once with bound parameters; on the table, not the ORM entity, so a plain UPDATE
    without the ORM's bulk-update machinery (no object in the session holds card states)."""
    table = CardRow.__table__
    stmt = (
        update(table)
        .where(
            table.c.user_id == bindparam("w_user_id"),
            table.c.essay == bindparam("w_essay"),
            table.c.card_id == bindparam("w_card_id"),
        )
        .values({table.c[n]: bindparam(f"v_{n}", type_=table.c[n].type) for n in STATE_COLUMNS})
    )
    if if_reps:
        stmt = stmt.where(table.c.reps == bindparam("w_reps"))
    return stmt


def _write_state(user_id: int, essay: str, state: srs.CardState, expected_reps: int | None) -> bool:
    """Store ``state``; with ``expected_reps``, only if the stored card still has that many reps.

    Part of the caller's transaction. False when another request got there first.
    """
    values = _values(state)
    where = and_(
        CardRow.user_id == user_id, CardRow.essay == essay, CardRow.card_id == state.card_id
    )
    params = {f"v_{name}": value for name, value in values.items()}
    params.update(w_user_id=user_id, w_essay=essay, w_card_id=state.card_id)
    if expected_reps is not None:
        params["w_reps"] = expected_reps
    if db.session.execute(_update_statement(expected_reps is not None), params).rowcount == 1:
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
    # only the rows to change (none, unless the content changed): not every card of the deck
    rows = db.session.execute(
        select(CardRow.card_id, CardRow.retired).where(
            CardRow.user_id == user_id,
            CardRow.essay == essay,
            or_(
                and_(CardRow.retired.is_(False), CardRow.card_id.not_in(live)),
                and_(CardRow.retired.is_(True), CardRow.card_id.in_(live)),
            ),
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


@functools.cache
def _queue_statements() -> dict[str, Select[Any]]:
    """The queue's statements (``queue_rows``, ``done_today``), built once with bound
    parameters (user_id, essay, end, ahead_until, start): they run on every home, flashcards
    and study page, so neither they nor their cache keys are made again per request."""
    scope = and_(CardRow.user_id == bindparam("user_id"), CardRow.essay == bindparam("essay"))
    active = and_(scope, CardRow.suspended.is_(False), CardRow.retired.is_(False))
    columns = [getattr(CardRow, n) for n in STATE_COLUMNS]
    learning = CardRow.state.in_((srs.LEARNING, srs.RELEARNING))
    end, ahead_until = bindparam("end"), bindparam("ahead_until")
    candidate = or_(
        CardRow.state == srs.NEW,
        and_(learning, CardRow.due <= ahead_until),
        and_(CardRow.state == srs.REVIEW, or_(CardRow.due < end, CardRow.priority.is_(True))),
    )
    return {
        "candidates": select(*columns).where(active, candidate),
        "later": select(*columns)
        .where(active, learning, CardRow.due > ahead_until)
        .order_by(CardRow.due, CardRow.card_id),
        "known": select(CardRow.card_id).where(scope),
        "done": select(ReviewLog.state_before).where(
            ReviewLog.user_id == bindparam("user_id"),
            ReviewLog.essay == bindparam("essay"),
            ReviewLog.reviewed_at >= bindparam("start"),
            ReviewLog.reviewed_at < bindparam("end"),
        ),
    }


def done_today(user_id: int, essay: str, now: datetime, settings: srs.Settings) -> srs.DoneToday:
    """New cards introduced and Review cards answered in the current study day (undo deletes
    the log, which gives the slot back)."""
    start, end = today_bounds(now, settings)
    done_new = done_reviews = 0
    params = {"user_id": user_id, "essay": essay, "start": start, "end": end}
    for before in db.session.execute(_queue_statements()["done"], params).scalars():
        done_new += before == srs.NEW
        done_reviews += before == srs.REVIEW
    return srs.DoneToday(new=done_new, reviews=done_reviews)


@dataclass(frozen=True)
class QueueRows:
    """What the database holds for one student's queue in one essay (``queue_rows``), before
    the content's cards, a topic and the limits pick today's queue from it (``queue_from``)."""

    candidates: list[Any]  # active rows that can be in today's queue
    later: list[Any]  # active learning rows beyond the learn-ahead limit, soonest first
    known: set[str]  # every stored card id
    done: srs.DoneToday


def queue_rows(user_id: int, essay: str, now: datetime, settings: srs.Settings) -> QueueRows:
    """The SQL half of ``daily_queue``: four statements, whatever the topic (so one fetch
    serves the whole deck and each of its topics).

    Candidates are the active cards that can be in today's queue: every (re)learning card
    within the learn-ahead limit, Review cards due before the end of the study day or pulled
    forward by a quiz miss, and new ones (never seen, or stored new, e.g. pulled forward). The
    (few) learning cards beyond the limit come too, soonest first: the soonest one is needed.
    Only Review cards due on later days, and inactive ones, stay in the database."""
    _, end = today_bounds(now, settings)
    ahead_until = now + timedelta(minutes=settings.learn_ahead_minutes)
    statements = _queue_statements()
    params = {"user_id": user_id, "essay": essay, "end": end, "ahead_until": ahead_until}
    candidates = list(db.session.execute(statements["candidates"], params))
    later = list(db.session.execute(statements["later"], params))
    known = set(db.session.execute(statements["known"], params).scalars())
    return QueueRows(candidates, later, known, done_today(user_id, essay, now, settings))


def queue_from(
    stored: QueueRows,
    card_ids: Sequence[str],
    card_topics: dict[str, str | None],
    now: datetime,
    settings: srs.Settings,
    topic: str | None = None,
) -> srs.Queue:
    """Today's queue from ``stored`` (no database work): cards whose fact left the content
    (not in ``card_ids``) and, with ``topic``, other topics' cards are left out; then
    ``srs.build_queue`` (the tested pure core) decides everything else."""
    live = set(card_ids)

    def wanted(card_id: str) -> bool:
        return card_id in live and (topic is None or card_topics.get(card_id) == topic)

    rows = [r for r in stored.candidates if wanted(r[0])]
    # the soonest learning card beyond the learn-ahead limit: when the next one can be shown
    soonest = next((r for r in stored.later if wanted(r[0])), None)
    if soonest is not None:
        rows.append(soonest)
    # unseen cards in content order: never stored, or stored new and not pulled forward;
    # at most new_per_day of them can be shown, the rest are only counted
    known = stored.known
    waiting_new = {r[0] for r in rows if r.state == srs.NEW and not r.priority}
    unseen = [c for c in card_ids if wanted(c) and (c not in known or c in waiting_new)]
    dropped = set(unseen[settings.new_per_day :])
    rows = [r for r in rows if r[0] not in dropped]
    picked = {r[0] for r in rows}
    in_order = [c for c in card_ids if c in picked or (c not in known and c not in dropped)]
    return srs.build_queue(
        [state_from_row(r) for r in rows],
        now,
        settings,
        new_done_today=stored.done.new,
        reviews_done_today=stored.done.reviews,
        topic_filter=None if topic is None else {topic},
        card_topics=card_topics,
        all_card_ids_in_order=in_order,
        more_new=len(dropped),
    )


def daily_queue(
    user_id: int,
    essay: str,
    card_ids: Sequence[str],
    card_topics: dict[str, str | None],
    now: datetime,
    settings: srs.Settings,
    topic: str | None = None,
) -> srs.Queue:
    """Today's queue: SQL picks the candidates (``queue_rows``), ``srs.build_queue`` (the
    tested pure core) decides everything else (``queue_from``). Cards whose fact left the
    content (``card_ids``) are left out."""
    stored = queue_rows(user_id, essay, now, settings)
    return queue_from(stored, card_ids, card_topics, now, settings, topic)


# --- reviewing ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Recorded:
    log_id: int
    result: srs.ReviewResult
    undo_token: str


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
        undo_token=secrets.token_hex(16),
    )
    db.session.add(log)
    db.session.commit()
    return Recorded(log.id, result, log.undo_token)


def last_log(user_id: int, essay: str) -> ReviewLog | None:
    return db.session.execute(
        select(ReviewLog)
        .where(ReviewLog.user_id == user_id, ReviewLog.essay == essay)
        .order_by(ReviewLog.id.desc())
        .limit(1)
    ).scalar_one_or_none()


def undo_review(user_id: int, essay: str, token: str) -> ReviewLog | None:
    """Undo the review named by ``token`` (random, stored with the review, never reused): the
    card's exact previous state returns and the log goes.

    Refused (None) when no review of this student has that token, or when the card changed
    since that review (answered again, suspended, unsuspended, retired...): undo never
    overwrites a later change.
    """
    if not token:
        return None
    log = db.session.execute(
        select(ReviewLog).where(
            ReviewLog.undo_token == token, ReviewLog.user_id == user_id, ReviewLog.essay == essay
        )
    ).scalar_one_or_none()
    if log is None:
        return None
    if load_state(user_id, essay, log.card_id) != srs.CardState.from_dict(log.after):
        return None
    after = srs.CardState.from_dict(log.after)
    if db.session.execute(delete(ReviewLog).where(ReviewLog.id == log.id)).rowcount != 1:
        db.session.rollback()
        return None
    if not _write_state(user_id, essay, srs.CardState.from_dict(log.before), after.reps):
        db.session.rollback()
        return None
    db.session.commit()
    return log


def set_suspended(user_id: int, essay: str, card_id: str, suspended: bool) -> None:
    state = load_state(user_id, essay, card_id)
    # Unsuspending a leech keeps its tag (history), as Anki does.
    changed = srs.CardState(**{**_values(state), "suspended": suspended})
    _write_state(user_id, essay, changed, None)
    db.session.commit()


def optimize_course(essay: str, apply: bool) -> tuple[optimizer.Optimized, int]:
    """Fit FSRS parameters to every student's reviews of ``essay`` (each student's days in
    their own zone). With ``apply``, students who have not fitted parameters of their own
    get these, and their cards are rescheduled. Returns the fit and how many students got it.
    """
    rows = db.session.execute(
        select(ReviewLog).where(ReviewLog.essay == essay).order_by(ReviewLog.reviewed_at)
    ).scalars()
    by_user: dict[int, list[ReviewLog]] = {}
    for row in rows:
        by_user.setdefault(row.user_id, []).append(row)
    sequences: list[list[tuple[int, int]]] = []
    used = 0
    for user_id, user_rows in by_user.items():
        user = db.session.get(User, user_id)
        assert user is not None
        mine = settings_for(user)
        seqs, n = optimizer.review_sequences(_log_entries(user_rows), mine.tz, mine.day_starts_hour)
        sequences += seqs
        used += n
    result = optimizer.fit(sequences, used, srs.Settings())
    applied = 0
    if apply:
        for user_id in by_user:
            user = db.session.get(User, user_id)
            assert user is not None
            own = (user.srs_settings or {}).get("optimized")
            if own and own.get("scope") != "course":
                continue  # their own fit stays
            before = settings_for(user)
            data = stored_settings(before) | {
                "parameters": list(result.parameters),
                "optimized": {
                    "scope": "course",
                    "essay": essay,
                    "at": utcnow().isoformat(),
                    "reviews": result.reviews,
                    "log_loss_before": result.log_loss_before,
                    "log_loss_after": result.log_loss_after,
                    "rmse_before": result.rmse_before,
                    "rmse_after": result.rmse_after,
                },
            }
            user.srs_settings = data
            db.session.commit()
            reschedule_user(user_id, before, settings_for(user))
            applied += 1
    return result, applied


# --- simulation -------------------------------------------------------------------------


def _iso_z(value: datetime | None) -> str | None:
    return None if value is None else value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def simulate_event(
    user_id: int,
    essay: str,
    card_ids: Sequence[str],
    card_topics: dict[str, str | None],
    at: datetime,
    card_id: str,
    rating: int,
    settings: srs.Settings,
) -> dict[str, Any]:
    """Answer ``card_id`` with ``rating`` at ``at`` through the app's own queue and review
    path, as a learner would; the JSON-ready line ``quizapp cards simulate`` prints.

    ``queued`` says whether today's queue (learn-ahead included) offered the card then;
    ``interval_days`` is the interval in study days for a Review card, and the time to the
    next learning step in (fractional) days otherwise.
    """
    queue = daily_queue(user_id, essay, card_ids, card_topics, at, settings)
    before = load_state(user_id, essay, card_id)
    recorded = record_review(user_id, essay, card_id, rating, at, settings, before.reps)
    state = load_state(user_id, essay, card_id)
    line: dict[str, Any] = {
        "at": _iso_z(at),
        "card": card_id,
        "rating": rating,
        "queued": queue.shows(card_id),
    }
    if recorded is None:
        line["error"] = "suspended" if before.suspended else "not reviewable"
    interval: float | int | None = srs.scheduled_days(state, settings)
    if interval is None and state.due is not None and state.last_review is not None:
        interval = round((state.due - state.last_review) / timedelta(days=1), 6)
    line.update(
        state=state.state_name,
        step=state.step,
        stability=state.stability,
        difficulty=state.difficulty,
        due=_iso_z(state.due),
        interval_days=interval,
        leech=state.leech,
        suspended=state.suspended,
    )
    return line


# --- views --------------------------------------------------------------------------------


def _bank_or_404(essay: str) -> Bank:
    """The essay's bank, if the signed-in user's courses give the essay (staff: any)."""
    snap = snapshot()
    if essay not in snap.essays or essay not in courses.visible(current_user, snap.essays):
        abort(404)
    return snap.bank(essay)


def _deck(bank: Bank) -> tuple[list[str], dict[str, str | None], dict[str, Card]]:
    """Card ids in study order (core content first, then content order), topics, cards."""
    ids = [c.id for c in sorted(bank.cards, key=lambda c: not c.core)]
    return ids, {c.id: c.topic for c in bank.cards}, {c.id: c for c in bank.cards}


def _deck_of(essay: str) -> tuple[list[str], dict[str, str | None], dict[str, Card]]:
    """The essay's ``_deck``, built once per content snapshot (not once per request)."""
    snap = snapshot()
    return snap.derived(("cards.deck", essay), lambda: _deck(snap.bank(essay)))


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
        ids, topics, _by_id = _deck_of(slug)
        stored = queue_rows(current_user.id, slug, now, settings)  # once for every topic
        queue = queue_from(stored, ids, topics, now, settings)
        suspended = db.session.execute(
            select(CardRow.card_id, CardRow.leech).where(
                CardRow.user_id == current_user.id,
                CardRow.essay == slug,
                CardRow.suspended.is_(True),
                CardRow.retired.is_(False),
            )
        ).all()
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
    ids, topics, by_id = _deck_of(essay)
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
    ids, _topics, by_id = _deck_of(essay)
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
    _ids, _topics, by_id = _deck_of(essay)
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
    _ids, _topics, by_id = _deck_of(essay)
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
    _bank_or_404(essay)
    ids, _topics, _by_id = _deck_of(essay)
    settings = settings_for(current_user)
    now = utcnow()
    states = srs.retire_missing(load_states(current_user.id, essay), ids)
    tz, hour = settings.tz, settings.day_starts_hour
    today = srs.study_day(now, tz, hour)
    heatmap_start = today - timedelta(days=today.weekday() + 52 * 7)
    # every review drawn on the heatmap, and no more: from the start of its first study day
    since, _ = srs.day_bounds(heatmap_start, tz, hour)
    logs = _log_entries(logs_between(current_user.id, essay, since, now + timedelta(seconds=1)))
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
        data["version"] = SETTINGS_VERSION
        if current_user.srs_settings and "optimized" in current_user.srs_settings:
            data["optimized"] = current_user.srs_settings["optimized"]
        current_user.srs_settings = data
        db.session.commit()
        moved = reschedule_user(current_user.id, current, new)
        flash(
            "Flashcard settings saved."
            + (f" {moved} cards were rescheduled for them." if moved else ""),
            "success",
        )
        return redirect(url_for("cards.index"))
    reviews = db.session.execute(
        select(func.count(ReviewLog.id)).where(ReviewLog.user_id == current_user.id)
    ).scalar_one()
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
    current = settings_for(current_user)
    data = dict(current_user.srs_settings or {})
    if request.form.get("action") == "reset":
        data["parameters"] = list(srs.Settings().parameters)
        data.pop("optimized", None)
        message = "The default FSRS parameters are back."
    else:
        try:
            result = optimizer.optimize(user_logs(current_user.id), current)
        except ValueError as exc:
            flash(str(exc).capitalize() + ".", "error")
            return redirect(url_for("cards.settings"))
        data["parameters"] = list(result.parameters)
        data["optimized"] = {
            "at": utcnow().isoformat(),
            "reviews": result.reviews,
            "log_loss_before": result.log_loss_before,
            "log_loss_after": result.log_loss_after,
            "rmse_before": result.rmse_before,
            "rmse_after": result.rmse_after,
        }
        message = (
            f"FSRS parameters fitted to your {result.reviews} reviews: log loss "
            f"{result.log_loss_before:.4f} before, {result.log_loss_after:.4f} after "
            "(lower predicts your memory better)."
        )
    data["version"] = SETTINGS_VERSION
    data["enable_fuzzing"] = current.enable_fuzzing
    current_user.srs_settings = data
    db.session.commit()
    moved = reschedule_user(current_user.id, current, settings_for(current_user))
    flash(message + (f" {moved} cards were rescheduled." if moved else ""), "success")
    return redirect(url_for("cards.settings"))
