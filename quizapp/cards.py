"""Flashcards, the service layer: card states and review logs in the database, the daily queue,
recording and undoing reviews, suspending, per-user settings, optimising and simulating.

Scheduling itself is ``srs`` (a thin layer over the ``fsrs`` library); this module stores
states and logs and is called by the views in ``card_views`` and by the CLI alike: it reads no
request, session or signed-in user (the user and the time are passed in). A review is applied
with a conditional UPDATE on the card's ``reps`` (or a unique INSERT for a card's first review),
so a double-submitted rating counts once; undo deletes exactly the log it names and restores its
``before`` state.
"""

from __future__ import annotations

import functools
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import (
    Select,
    Update,
    and_,
    bindparam,
    delete,
    func,
    insert,
    or_,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import InstrumentedAttribute

from . import srs
from .bank import Bank, Card
from .content import snapshot
from .extensions import db
from .models import CardStateRow as CardRow
from .models import ReviewLog, StoredSrsSettings, User

# How an srs.CardState is stored: each field of the dataclass -> its column of card_state
# (CardStateRow; the row's other columns, id, user_id and essay, say whose state it is).
# Spelled out rather than matched by name, so that renaming either side is a decision made
# here; tests/test_cards.py fails when a field or a column is added without its pair.
STATE_FIELDS: dict[str, InstrumentedAttribute[Any]] = {
    "card_id": CardRow.card_id,
    "state": CardRow.state,
    "step": CardRow.step,
    "stability": CardRow.stability,
    "difficulty": CardRow.difficulty,
    "due": CardRow.due,
    "last_review": CardRow.last_review,
    "reps": CardRow.reps,
    "lapses": CardRow.lapses,
    "suspended": CardRow.suspended,
    "leech": CardRow.leech,
    "retired": CardRow.retired,
    "priority": CardRow.priority,
}
STATE_COLUMNS = tuple(column.key for column in STATE_FIELDS.values())  # the columns' names
AHEAD_LIMIT = 50
MAX_DURATION_MS = 60_000  # as Anki: time past a minute on one card is not counted


# --- settings -----------------------------------------------------------------------------


# Stored settings carry this version. Before version 2 the settings form stored every field
# of srs.Settings, including enable_fuzzing=False, then the fixed default: such a stored
# value is not the learner's choice and gives way to today's default (fuzz on, as Anki).
SETTINGS_VERSION = 2


def stored_settings(settings: srs.Settings) -> StoredSrsSettings:
    """What ``User.srs_settings`` holds for ``settings`` (the zone is the user's own)."""
    data = StoredSrsSettings(**settings.to_dict())
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
    return log_entries(rows)


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
            by_card.setdefault((row.essay, row.card_id), []).extend(log_entries([row]))
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


def save_settings(
    user: User, data: dict[str, Any], current: srs.Settings, new: srs.Settings
) -> int:
    """Store ``data`` (``new.to_dict()`` from the settings form, without the zone) as
    ``user``'s settings, keeping the last fit's figures, and reschedule their cards from
    ``current`` to ``new``; returns how many moved."""
    data["version"] = SETTINGS_VERSION
    if user.srs_settings and "optimized" in user.srs_settings:
        data["optimized"] = user.srs_settings["optimized"]
    user.srs_settings = data  # type: ignore[assignment]
    db.session.commit()
    return reschedule_user(user.id, current, new)


def review_count(user_id: int) -> int:
    """How many reviews the student has made (the optimizer needs enough)."""
    return db.session.execute(
        select(func.count(ReviewLog.id)).where(ReviewLog.user_id == user_id)
    ).scalar_one()


# --- state storage ------------------------------------------------------------------------


def state_from_row(row: Any) -> srs.CardState:
    """The state a card_state row (or a result row of its STATE_COLUMNS) holds."""
    return srs.CardState(**{field: getattr(row, col.key) for field, col in STATE_FIELDS.items()})


def row_values(state: srs.CardState) -> dict[str, Any]:
    """The card_state column values that store ``state``, by column name."""
    return {col.key: getattr(state, field) for field, col in STATE_FIELDS.items()}


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
    values = row_values(state)
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


def suspended_cards(user_id: int, essay: str) -> list[tuple[str, bool]]:
    """The student's suspended (live) cards of ``essay``: id and whether it is a leech."""
    rows = db.session.execute(
        select(CardRow.card_id, CardRow.leech).where(
            CardRow.user_id == user_id,
            CardRow.essay == essay,
            CardRow.suspended.is_(True),
            CardRow.retired.is_(False),
        )
    ).all()
    return [(card_id, leech) for card_id, leech in rows]


def card_history(user_id: int, essay: str, card_id: str) -> list[ReviewLog]:
    """Every review of one card by the student, oldest first."""
    return list(
        db.session.execute(
            select(ReviewLog)
            .where(
                ReviewLog.user_id == user_id,
                ReviewLog.essay == essay,
                ReviewLog.card_id == card_id,
            )
            .order_by(ReviewLog.reviewed_at)
        ).scalars()
    )


# --- the queue ----------------------------------------------------------------------------


def log_entries(rows: Iterable[ReviewLog]) -> list[srs.ReviewLogEntry]:
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
    changed = replace(state, suspended=suspended)
    _write_state(user_id, essay, changed, None)
    db.session.commit()


# --- decks --------------------------------------------------------------------------------


def study_deck(bank: Bank) -> tuple[list[str], dict[str, str | None], dict[str, Card]]:
    """Card ids in study order (core content first, then content order), topics, cards."""
    ids = [c.id for c in sorted(bank.cards, key=lambda c: not c.core)]
    return ids, {c.id: c.topic for c in bank.cards}, {c.id: c for c in bank.cards}


def study_deck_of(essay: str) -> tuple[list[str], dict[str, str | None], dict[str, Card]]:
    """The essay's ``study_deck``, built once per content snapshot."""
    snap = snapshot()
    return snap.derived(("cards.deck", essay), lambda: study_deck(snap.bank(essay)))
