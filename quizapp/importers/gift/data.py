"""What a GIFT import yields: topics, questions and their facts, and the errors."""

from __future__ import annotations

from dataclasses import dataclass

from quizapp.bank.text import cloze_parts


@dataclass(frozen=True, order=True)
class GiftError:
    file: str
    line: int
    message: str
    fix: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}; {self.fix}"


@dataclass(frozen=True)
class ImportedTopic:
    id: str
    title: str
    category: str | None  # the $CATEGORY path; None for questions before any category


@dataclass(frozen=True)
class ImportedFact:
    id: str
    topic: str
    text: str  # with {{answer|alt}} markup
    kind: str
    quote: str  # the passage of the question's paragraph this fact states
    question: str | None = None
    distractors: tuple[str, ...] = ()
    explanation: str | None = None
    # The answers of one GIFT matching question share a role: they may be matched together.
    word_class: str | None = None
    typed: bool | None = None  # written as `typed:` when set

    @property
    def answers(self) -> tuple[str, ...]:
        """The first (shown) answer of each blank."""
        return tuple(parts[0] for parts in cloze_parts(self.text))


@dataclass(frozen=True)
class ImportedQuestion:
    line: int  # the question's first line in the GIFT input
    title: str | None
    type: str  # multichoice | truefalse | shortanswer | matching | numerical
    topic: str
    text: str  # the question text as Moodle shows it ("_____" where the answers go)
    paragraph: str  # the statement written to essay.md
    facts: tuple[ImportedFact, ...]


@dataclass(frozen=True)
class ImportedBank:
    source_name: str
    topics: tuple[ImportedTopic, ...]
    questions: tuple[ImportedQuestion, ...]

    @property
    def facts(self) -> tuple[ImportedFact, ...]:
        return tuple(f for q in self.questions for f in q.facts)
