"""Regrading submitted attempts after a content change, and manual mark overrides.

As in Moodle, an attempt keeps the questions exactly as they were shown (its item snapshots:
prompt, options, order). A regrade grades each snapshot again with the current grading rules
and the current key taken from the content: a fixed right answer, a new accepted answer. A
question whose item left the content (a retired item) is removed from the attempt's total
and maximum. Manual overrides are kept: a regrade never changes a mark an instructor set.
Every change is written to the mark history (``MarkChange``) with the old and new marks.

``current_key`` is pure; ``plan_regrade`` reads the database and changes nothing;
``apply_regrade`` writes a plan.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from fractions import Fraction
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from . import grading, marks
from .bank import Bank, EssayContent, Item, build_bank
from .bank.types import item_type
from .extensions import db
from .models import Attempt, MarkChange, ResponseRow


def current_key(shown: Item, current: Item) -> Item:
    """``shown`` (the snapshot) with the answer key of ``current`` (the content's item now).

    Options are matched by their text, so a snapshot keeps its own options and order; when
    the current right answer is not among the snapshot's options (or the item's shape
    changed), the snapshot's own key is kept."""
    try:
        if shown.type != current.type:
            return shown
        family = item_type(shown.type).family
        if family == "typed":
            if len(shown.answer) != len(current.answer):
                return shown
            answer: Any = [list(a) for a in current.answer]
            return dataclasses.replace(shown, answer=answer, match=current.match)
        index = {text: i for i, text in enumerate(shown.options)}
        if family == "choice_one":
            return dataclasses.replace(shown, answer=index[current.options[current.answer]])
        if family == "choice_many":
            right = sorted(index[current.options[i]] for i in current.answer)
            return dataclasses.replace(shown, answer=right)
        if family == "ordering":
            order = [index[current.options[i]] for i in current.answer]
            return dataclasses.replace(shown, answer=order)
        if family == "matching":
            right_of = {
                p: current.options[i] for p, i in zip(current.prompts, current.answer, strict=True)
            }
            return dataclasses.replace(shown, answer=[index[right_of[p]] for p in shown.prompts])
    except (KeyError, IndexError, TypeError, ValueError):
        return shown
    return shown


@dataclass(frozen=True)
class QuestionChange:
    position: int
    item_id: str
    old: Fraction | None
    new: Fraction | None  # None: the item was retired, the question no longer counts
    new_item: dict[str, Any] = field(compare=False, repr=False, default_factory=dict)

    @property
    def delta(self) -> Fraction:
        return (self.new or Fraction(0)) - (self.old or Fraction(0))


@dataclass(frozen=True)
class AttemptChange:
    attempt_id: int
    user_name: str
    user_email: str
    essay: str
    quiz_id: str
    number: int
    decimals: int
    old_total: Fraction
    new_total: Fraction
    old_max: float
    new_max: float
    questions: tuple[QuestionChange, ...]

    def shown(self, value: Fraction) -> str:
        return marks.text(marks.round_mark(value, self.decimals))

    @property
    def delta(self) -> Fraction:
        return self.new_total - self.old_total


def _current_items(
    content: EssayContent, seed: int, cache: dict[tuple[str, int], dict[str, Item]]
) -> dict[str, Item]:
    key = (content.slug, seed)
    if key not in cache:
        bank: Bank = build_bank(content, seed)
        cache[key] = {item.id: item for item in bank.items}
    return cache[key]


def attempt_change(
    attempt: Attempt,
    current: dict[str, Item],
) -> AttemptChange | None:
    """What a regrade would change in one submitted attempt; None when nothing."""
    rows = {r.position: r for r in attempt.responses}
    changes: list[QuestionChange] = []
    new_total = Fraction(0)
    new_max = Fraction(0)
    for position, data in enumerate(attempt.questions):
        if data.get("retired"):
            continue  # removed by an earlier regrade
        shown = Item.from_dict(data)
        row = rows.get(position)
        old = row.exact_points if row is not None else None
        now_item = current.get(shown.id)
        if now_item is None:
            changes.append(QuestionChange(position, shown.id, old, None, {**data, "retired": True}))
            continue
        new_max += marks.from_float(shown.max_points)
        rekeyed = current_key(shown, now_item)
        if row is not None and row.overridden_at is not None:
            new_total += old or Fraction(0)  # an instructor's mark stands
            continue
        answer = grading.from_json(rekeyed, row.answer) if row else ()
        new = grading.grade(rekeyed, answer).exact
        new_total += new
        if new != old:
            new_data = {**data, "answer": rekeyed.to_dict()["answer"]}
            if rekeyed.match:
                new_data["match"] = list(rekeyed.match)
            new_data.setdefault("original_answer", data.get("answer"))
            changes.append(QuestionChange(position, shown.id, old, new, new_data))
    if not changes:
        return None
    user = attempt.user
    return AttemptChange(
        attempt_id=attempt.id,
        user_name=user.name if user else "",
        user_email=user.email if user else "",
        essay=attempt.essay,
        quiz_id=attempt.quiz_id,
        number=attempt.number,
        decimals=attempt.decimals,
        old_total=attempt.exact_points or Fraction(0),
        new_total=new_total,
        old_max=attempt.max_points,
        new_max=float(new_max),
        questions=tuple(changes),
    )


def plan_regrade(
    essays: dict[str, EssayContent], essay: str | None = None, quiz_id: str | None = None
) -> list[AttemptChange]:
    """Every submitted attempt (of ``essay``, of ``quiz_id``) whose marks a regrade changes.

    Reads only: a dry run. Attempts of an essay no longer in the content are left alone."""
    stmt = (
        select(Attempt)
        .options(selectinload(Attempt.responses), selectinload(Attempt.user))
        .where(Attempt.submitted_at.is_not(None))
        .order_by(Attempt.essay, Attempt.quiz_id, Attempt.user_id, Attempt.number)
    )
    if essay is not None:
        stmt = stmt.where(Attempt.essay == essay)
    if quiz_id is not None:
        stmt = stmt.where(Attempt.quiz_id == quiz_id)
    cache: dict[tuple[str, int], dict[str, Item]] = {}
    plan = []
    for attempt in db.session.execute(stmt).scalars():
        content = essays.get(attempt.essay)
        if content is None:
            continue
        change = attempt_change(attempt, _current_items(content, attempt.seed, cache))
        if change is not None:
            plan.append(change)
    return plan


def apply_regrade(plan: Iterable[AttemptChange], now: datetime, by: int | None) -> int:
    """Write a plan: new marks, updated keys, retired questions, history; returns how many
    attempts changed. An attempt whose total changed since the plan was made (an override
    in between) is skipped: plan again. Applying a plan twice changes nothing the second
    time, and a fresh plan after applying is empty."""
    changed = 0
    for planned in plan:
        attempt = db.session.get(Attempt, planned.attempt_id)
        if attempt is None or not attempt.finished:
            continue
        if (attempt.exact_points or Fraction(0)) != planned.old_total:
            continue
        rows = {r.position: r for r in attempt.responses}
        questions = list(attempt.questions)
        stale = False
        for q in planned.questions:
            row = rows.get(q.position)
            if questions[q.position].get("retired") or (
                row is not None and row.exact_points != q.old
            ):
                stale = True
        if stale:
            continue
        for q in planned.questions:
            questions[q.position] = q.new_item
            row = rows.get(q.position)
            if row is not None and q.new is not None:
                row.mark = marks.dump(q.new)
                row.points = float(q.new)
            db.session.add(
                MarkChange(
                    attempt_id=attempt.id,
                    position=q.position,
                    kind="regrade",
                    old_mark=None if q.old is None else marks.dump(q.old),
                    new_mark=None if q.new is None else marks.dump(q.new),
                    comment="item retired: removed from the total" if q.new is None else None,
                    changed_by=by,
                    changed_at=now,
                )
            )
        attempt.questions = questions
        attempt.mark = marks.dump(planned.new_total)
        attempt.points = float(planned.new_total)
        attempt.max_points = planned.new_max
        changed += 1
    db.session.commit()
    return changed


def recompute_total(attempt: Attempt) -> Fraction:
    """The attempt's total from its responses' marks, leaving out retired questions."""
    total = Fraction(0)
    for row in attempt.responses:
        if attempt.questions[row.position].get("retired"):
            continue
        total += row.exact_points or Fraction(0)
    return total


def override_mark(
    attempt: Attempt, position: int, new: Fraction, comment: str, by: int, now: datetime
) -> ResponseRow:
    """Set one response's mark by hand, with a comment the student sees; history kept."""
    row = next((r for r in attempt.responses if r.position == position), None)
    if row is None:
        item = Item.from_dict(attempt.questions[position])
        row = ResponseRow(
            attempt_id=attempt.id,
            position=position,
            item_id=item.id,
            answer=grading.to_json(grading.empty_response(item)),
            saved_at=now,
            locked=True,
        )
        db.session.add(row)
        attempt.responses.append(row)
    old = row.exact_points
    row.mark = marks.dump(new)
    row.points = float(new)
    row.override_comment = comment
    row.overridden_at = now
    db.session.add(
        MarkChange(
            attempt_id=attempt.id,
            position=position,
            kind="override",
            old_mark=None if old is None else marks.dump(old),
            new_mark=marks.dump(new),
            comment=comment,
            changed_by=by,
            changed_at=now,
        )
    )
    total = recompute_total(attempt)
    attempt.mark = marks.dump(total)
    attempt.points = float(total)
    db.session.commit()
    return row
