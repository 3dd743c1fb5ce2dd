"""The typed, immutable model of an essay's content and of what is generated from it.

Nothing here imports Flask: the bank is a pure core that the web app, the CLI and the
tests share.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal, NotRequired, TypedDict

ANSWER_KINDS = ("year", "date", "number", "person", "place", "organization", "term", "title")
EXACT_KINDS = frozenset({"year", "date", "number"})
# Answers a student can be asked to type and be graded on fairly: a closed set of right
# answers (a name, a place, a date, a number). Other wordings (a term's synonyms, an
# adjective) are open: typed, a right answer in other words is marked wrong, so such a fact
# is asked as choices and studied on cards unless its author sets `typed: true`.
CLOSED_KINDS = frozenset({"year", "date", "number", "person", "place", "organization", "title"})


GRADING_METHODS = ("highest", "average", "first", "last")
FEEDBACK_MODES = ("immediate", "deferred")

# Moodle's review options: at each moment, what a student sees of a question.
REVIEW_MOMENTS = ("during", "immediately", "later", "after_close")
REVIEW_SHOWS = ("marks", "right_answers", "feedback")


@dataclass(frozen=True)
class ReviewOptions:
    """For each moment, which of marks / right answers / feedback a student sees.

    ``during``: a checked question (immediate feedback) during the attempt;
    ``immediately``: within two minutes after submitting; ``later``: after that, while the
    quiz is open to the student; ``after_close``: once the quiz has closed, or the student
    has used every attempt. Feedback is the explanation and the quoted passage.
    """

    during: frozenset[str]
    immediately: frozenset[str]
    later: frozenset[str]
    after_close: frozenset[str]

    def at(self, moment: str) -> frozenset[str]:
        if moment not in REVIEW_MOMENTS:
            raise ValueError(f"unknown review moment {moment!r}")
        return getattr(self, moment)  # type: ignore[no-any-return]

    @classmethod
    def default(cls, feedback: str) -> ReviewOptions:
        """Practice (immediate feedback) shows everything; a graded (deferred) quiz shows
        marks only until it closes or the student has no attempt left, since the right
        answer, the explanation and the quoted passage would give the next attempt away."""
        everything = frozenset(REVIEW_SHOWS)
        if feedback == "immediate":
            return cls(everything, everything, everything, everything)
        marks = frozenset({"marks"})
        return cls(frozenset(), marks, marks, everything)


STANCES = ("endorses", "rejects")
# core content is quizzed and studied first; background (what a reader knows without the essay)
# is studied on cards but never graded: a quiz item on it could be answered without reading.
WEIGHTS = ("core", "detail", "background")
WORD_CLASSES = ("noun", "name", "verb", "adjective", "adverb", "phrase")

Stance = Literal["endorses", "rejects"]


@dataclass(frozen=True)
class Paragraph:
    number: int
    text: str
    section: str | None  # the heading the paragraph stands under; None before the first


@dataclass(frozen=True)
class Essay:
    slug: str
    title: str
    author: str
    year: int
    paragraphs: tuple[Paragraph, ...]
    bio: str | None = None
    source: str | None = None

    def paragraph(self, number: int) -> Paragraph | None:
        for p in self.paragraphs:
            if p.number == number:
                return p
        return None

    @property
    def sections(self) -> tuple[tuple[str | None, tuple[Paragraph, ...]], ...]:
        """Paragraphs grouped under their headings, in order."""
        groups: list[tuple[str | None, list[Paragraph]]] = []
        for p in self.paragraphs:
            if not groups or groups[-1][0] != p.section:
                groups.append((p.section, []))
            groups[-1][1].append(p)
        return tuple((title, tuple(ps)) for title, ps in groups)


@dataclass(frozen=True)
class Topic:
    id: str
    title: str
    summary: str
    paras: tuple[int, ...]


@dataclass(frozen=True)
class Blank:
    """One answer slot of a cloze sentence: the answer shown first, then accepted variants."""

    answers: tuple[str, ...]

    @property
    def answer(self) -> str:
        return self.answers[0]


@dataclass(frozen=True)
class Fact:
    id: str
    topic: str
    text: str  # with {{answer|alt}} markup
    kind: str
    para: int
    quote: str
    blanks: tuple[Blank, ...]
    question: str | None = None
    distractors: tuple[str, ...] = ()
    date: str | None = None
    event: str | None = None
    explanation: str | None = None
    supports: str | None = None  # the id of a claim this fact is evidence for
    weight: str = "core"
    false: tuple[str, ...] = ()  # statements the instructor wrote that the essay shows false
    word_class: str | None = None  # of a term answer: distractors borrowed from one class
    typed_answer: bool | None = None  # the author's `typed:`; None: by the answer's kind
    restates: tuple[str, ...] = ()  # content ids that say the same (see :func:`restatements`)
    # False: no single-choice item, whose answer general knowledge would give among the
    # distractors (the Taliban as a "terrorist organization": the eighth blind review).
    choice: bool = True

    @property
    def core(self) -> bool:
        return self.weight == "core"

    @property
    def typed(self) -> bool:
        """Whether typed items (cloze, short answer) are made from it: by default only when
        its answer is closed (a name, place, date, number...; a term in the class "name")."""
        if self.typed_answer is not None:
            return self.typed_answer
        return self.kind in CLOSED_KINDS or self.word_class == "name"

    @property
    def graded(self) -> bool:
        """Whether quiz items are made from it (not for common knowledge the essay recalls)."""
        return self.weight != "background"

    @property
    def answers(self) -> tuple[str, ...]:
        return tuple(b.answer for b in self.blanks)


@dataclass(frozen=True)
class Reason:
    text: str
    para: int
    quote: str
    supports: tuple[str, ...] = ()  # other claims this reason also supports: never their distractor
    restates: tuple[str, ...] = ()  # content ids that say the same


@dataclass(frozen=True)
class Concession:
    """A point the author grants that cuts against the claim: neither a reason nor a distractor."""

    text: str
    para: int
    quote: str


@dataclass(frozen=True)
class OpposingView:
    text: str
    para: int
    quote: str | None = None
    rebuttal: str | None = None  # what the author answers to it, in the instructor's words
    restates: tuple[str, ...] = ()  # content ids that say the same


@dataclass(frozen=True)
class WrittenDistractor:
    """A statement the instructor wrote as plainly not a reason the essay gives for a claim."""

    text: str
    why: str | None = None


@dataclass(frozen=True)
class Claim:
    id: str
    topic: str | None  # None for the thesis, which spans the essay
    text: str
    stance: Stance
    para: int
    quote: str
    reasons: tuple[Reason, ...] = ()
    opposing: tuple[OpposingView, ...] = ()
    concessions: tuple[Concession, ...] = ()
    distractors: tuple[WrittenDistractor, ...] = ()
    weight: str = "core"
    explanation: str | None = None
    restates: tuple[str, ...] = ()  # content ids that say the same

    @property
    def core(self) -> bool:
        return self.weight == "core"


@dataclass(frozen=True)
class Quiz:
    id: str
    title: str
    topics: tuple[str, ...]  # resolved: "all" becomes every topic id
    questions: int
    mix: tuple[tuple[str, int], ...]
    attempts: int  # 0 = unlimited
    grading: str
    feedback: str
    shuffle: bool = True
    time_limit: int | None = None  # minutes
    decimals: int = 2  # marks are rounded once, half up, to this many places
    review: ReviewOptions | None = None  # None: ReviewOptions.default(feedback)
    closes: datetime | None = None  # UTC; no attempt after it, open ones end at it

    @property
    def review_options(self) -> ReviewOptions:
        return self.review or ReviewOptions.default(self.feedback)


@dataclass(frozen=True)
class EssayContent:
    """Everything one content folder holds, validated."""

    essay: Essay
    topics: tuple[Topic, ...]
    facts: tuple[Fact, ...]
    thesis: Claim | None
    claims: tuple[Claim, ...]
    quizzes: tuple[Quiz, ...]

    @property
    def slug(self) -> str:
        return self.essay.slug

    def topic(self, topic_id: str) -> Topic | None:
        return next((t for t in self.topics if t.id == topic_id), None)

    def quiz(self, quiz_id: str) -> Quiz | None:
        return next((q for q in self.quizzes if q.id == quiz_id), None)

    @property
    def all_claims(self) -> tuple[Claim, ...]:
        return ((self.thesis,) if self.thesis else ()) + self.claims

    def statements(self) -> dict[str, Fact | Claim | Reason | OpposingView]:
        """Every piece of content an item can draw on, by its id: facts and claims by their
        own ids, a claim's reasons and opposing views as ``claim-id#reason-N`` and
        ``claim-id#opposing-N`` (counted from 1, in the file's order)."""
        found: dict[str, Fact | Claim | Reason | OpposingView] = {f.id: f for f in self.facts}
        for claim in self.all_claims:
            found[claim.id] = claim
            for i, reason in enumerate(claim.reasons, start=1):
                found[f"{claim.id}#reason-{i}"] = reason
            for i, view in enumerate(claim.opposing, start=1):
                found[f"{claim.id}#opposing-{i}"] = view
        return found

    def restatements(self) -> dict[str, frozenset[str]]:
        """Each content id with the ids that say the same as it: those its ``restates:``
        names and those whose ``restates:`` names it (the link holds both ways)."""
        links: dict[str, set[str]] = {}
        for cid, statement in self.statements().items():
            for other in statement.restates:
                if other != cid:
                    links.setdefault(cid, set()).add(other)
                    links.setdefault(other, set()).add(cid)
        return {cid: frozenset(others) for cid, others in links.items()}


@dataclass(frozen=True)
class Source:
    essay: str
    para: int
    quote: str

    def to_dict(self) -> SourceDict:
        return {"essay": self.essay, "para": self.para, "quote": self.quote}


class SourceDict(TypedDict):
    essay: str
    para: int
    quote: str


class OriginDict(TypedDict):
    type: Literal["fact", "argument"]
    ids: list[str]


class OptionDetailDict(TypedDict):
    origin: str
    role: Literal["key", "distractor"]
    why_wrong: str | None


class ItemDict(TypedDict):
    """An item as JSON: the bank export, and the snapshot an attempt keeps of each question
    (``Attempt.questions``), read back by :meth:`Item.from_dict`."""

    id: str
    kind: Literal["item"]
    type: str
    prompt: str
    options: list[str]
    answer: Any  # its shape depends on the type (see :class:`Item`)
    explanation: str
    topic: str | None
    topics: list[str]
    source: SourceDict
    sources: list[SourceDict]
    origin: OriginDict
    prompts: NotRequired[list[str]]
    match: NotRequired[list[str]]
    option_details: NotRequired[list[OptionDetailDict]]
    core: bool


@dataclass(frozen=True)
class Origin:
    type: Literal["fact", "argument"]
    ids: tuple[str, ...]

    def to_dict(self) -> OriginDict:
        return {"type": self.type, "ids": list(self.ids)}


@dataclass(frozen=True)
class OptionDetail:
    """Where one option of an item comes from and, for a distractor, why it is wrong."""

    origin: str  # the fact, claim or reason id (``claim-id#reason-2``) the text comes from
    role: Literal["key", "distractor"]
    why_wrong: str | None = None

    def to_dict(self) -> OptionDetailDict:
        return {"origin": self.origin, "role": self.role, "why_wrong": self.why_wrong}


@dataclass(frozen=True)
class Item:
    """One generated quiz question.

    How ``answer`` reads depends on the type:

    - ``single``, ``true_false``, ``reason``, ``stance``: the index of the right option;
    - ``multiple``, ``reasons_multiple``: the sorted indexes of every right option;
    - ``cloze``, ``short_answer``: one list of accepted answers per blank;
    - ``ordering``: option indexes in the right (chronological) order;
    - ``matching``: for each prompt in ``prompts``, the index of its option.
    """

    id: str
    type: str
    prompt: str
    answer: Any
    sources: tuple[Source, ...]
    origin: Origin
    topics: tuple[str, ...]
    options: tuple[str, ...] = ()
    prompts: tuple[str, ...] = ()  # matching: the left-hand statements
    match: tuple[str, ...] = ()  # cloze/short_answer: "exact" or "fuzzy" per blank
    explanation: str = ""
    details: tuple[OptionDetail, ...] = ()  # one per option: origin, role, why it is wrong
    core: bool = True  # drawn from core content (quizzes take core items first)

    @property
    def source(self) -> Source:
        return self.sources[0]

    @property
    def max_points(self) -> float:
        return 1.0

    def to_dict(self) -> ItemDict:
        data: ItemDict = {
            "id": self.id,
            "kind": "item",
            "type": self.type,
            "prompt": self.prompt,
            "options": list(self.options),
            "answer": self.answer,
            "explanation": self.explanation,
            "topic": self.topics[0] if len(self.topics) == 1 else None,
            "topics": list(self.topics),
            "source": self.source.to_dict(),
            "sources": [s.to_dict() for s in self.sources],
            "origin": self.origin.to_dict(),
        }  # type: ignore[typeddict-item]  # "core" comes last, as the export has always had it
        if self.prompts:
            data["prompts"] = list(self.prompts)
        if self.match:
            data["match"] = list(self.match)
        if self.details:
            data["option_details"] = [d.to_dict() for d in self.details]
        data["core"] = self.core
        return data

    @classmethod
    def from_dict(cls, data: ItemDict | dict[str, Any]) -> Item:
        answer = data["answer"]
        if isinstance(answer, list):
            answer = [list(a) if isinstance(a, list) else a for a in answer]
        return cls(
            id=data["id"],
            type=data["type"],
            prompt=data["prompt"],
            answer=answer,
            sources=tuple(Source(**s) for s in data["sources"]),
            origin=Origin(type=data["origin"]["type"], ids=tuple(data["origin"]["ids"])),
            topics=tuple(data["topics"]),
            options=tuple(data.get("options", ())),
            prompts=tuple(data.get("prompts", ())),
            match=tuple(data.get("match", ())),
            explanation=data.get("explanation", ""),
            details=tuple(OptionDetail(**d) for d in data.get("option_details", ())),
            core=data.get("core", True),
        )


@dataclass(frozen=True)
class Card:
    """One flashcard. ``id`` is stable across rewordings: it derives from the content id."""

    id: str
    type: Literal["cloze", "claim"]
    front: str
    back: str
    sources: tuple[Source, ...]
    origin: Origin
    topic: str | None
    extra: tuple[str, ...] = field(default=())  # e.g. the reasons listed on a claim card
    core: bool = True  # new core cards are introduced before detail ones

    @property
    def source(self) -> Source:
        return self.sources[0]

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": "card",
            "type": self.type,
            "prompt": self.front,
            "options": [],
            "answer": self.back,
            "explanation": "",
            "topic": self.topic,
            "topics": [self.topic] if self.topic else [],
            "source": self.source.to_dict(),
            "sources": [s.to_dict() for s in self.sources],
            "origin": self.origin.to_dict(),
            "extra": list(self.extra),
            "core": self.core,
        }
