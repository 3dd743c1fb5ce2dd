"""The quality linter: valid content that would still make unfair or give-away items.

Each rule is a small pure function over the validated content (and the generated bank)
that yields warnings as :class:`ContentError` (``file:line: what; fix``). ``quizapp content
check`` prints them; ``--strict`` makes them errors. Lines come from re-reading the YAML
with positions, so the model stays free of them.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from pathlib import Path

from rapidfuzz import fuzz

from .compose import LENGTH_CUE, implied_true, odd_form, reason_distractors, safe_swap
from .cues import modal
from .generate import (
    FEASIBLE_SEEDS,
    Bank,
    answer_words,
    assemble_quiz,
    build_bank,
    feasible,
    word_forms,
)
from .generate import shown as shown_in
from .guidance import content_warnings
from .loader import ContentError
from .loader.errors import _display
from .model import EssayContent
from .text import cloze_fill, cloze_stem, normalize_answer
from .yamlines import LineDict, YamlSyntaxError, load_yaml

# "It is not certain that...", "It will take time...": a dummy subject, not a reference.
EXPLETIVE_IT = re.compile(
    r"^it (?:is|was|will|would|may|might|could|seems|remains|takes|took)\b", re.IGNORECASE
)
PRONOUN_START = re.compile(
    r"^(he|she|it|its|they|their|them|this|these|those|that|such|his|her|there)\b", re.IGNORECASE
)
STATE_EVENT = re.compile(
    r"\b(since|at least|still|continues?|continuing|ongoing|has been|have been|remains?|"
    r"(?:is|are) (?:openly|still|in talks|in contact))\b",
    re.IGNORECASE,
)
ARTIFACTS = re.compile(r"[.!?]”?[.?!]|\s[,.;:?!]|,,|\s{2,}|“\s|\s”|\(\s|\s\)")
NEAR_DUPLICATE = 90  # rapidfuzz token_set_ratio of two facts' statements


class _Lines:
    """Where each fact, claim and their fields are written, for warnings' file:line."""

    def __init__(self, folder: Path, content_dir: Path) -> None:
        self.folder = folder
        self.display = _display(folder, content_dir)
        self.facts_file = _display(folder / "facts.yaml", content_dir)
        self.args_file = _display(folder / "arguments.yaml", content_dir)
        self.quizzes_file = _display(folder / "quizzes.yaml", content_dir)
        self.records: dict[str, LineDict] = {}
        facts = _read(folder / "facts.yaml")
        for rec in facts if isinstance(facts, list) else []:
            if isinstance(rec, LineDict) and isinstance(rec.get("id"), str):
                self.records[rec["id"]] = rec
        args = _read(folder / "arguments.yaml")
        if isinstance(args, LineDict):
            claims = [args.get("thesis"), *(args.get("claims") or [])]
            for rec in claims:
                if isinstance(rec, LineDict) and isinstance(rec.get("id"), str):
                    self.records[rec["id"]] = rec
        quizzes = _read(folder / "quizzes.yaml")
        self.quizzes: dict[str, LineDict] = {}
        for rec in quizzes if isinstance(quizzes, list) else []:
            if isinstance(rec, LineDict) and isinstance(rec.get("id"), str):
                self.quizzes[rec["id"]] = rec

    def at(self, entry_id: str, key: str | None = None, index: int | None = None) -> int:
        rec = self.records.get(entry_id)
        if rec is None:
            return 1
        if key is None or key not in rec:
            return rec.line
        value = rec[key]
        if index is not None and isinstance(value, list) and index < len(value):
            item = value[index]
            return item.line if isinstance(item, LineDict) else value.line_of(index)  # type: ignore[attr-defined]
        return rec.line_of(key)


def _read(path: Path) -> object:
    try:
        return load_yaml(path.read_text(encoding="utf-8")) if path.exists() else None
    except (YamlSyntaxError, UnicodeDecodeError):
        return None


def lint(
    folder: Path, content: EssayContent, content_dir: Path | None = None, bank: Bank | None = None
) -> list[ContentError]:
    """Every quality warning for one validated essay folder, sorted by file and line."""
    lines = _Lines(folder, content_dir or folder.parent)
    bank = bank or build_bank(content, 0)
    found: list[ContentError] = []
    for rule in RULES:
        found += rule(content, bank, lines)
    return sorted(set(found), key=lambda e: (e.file, e.line, e.message))


# --- rules -------------------------------------------------------------------------------


def pronoun_starts(content: EssayContent, bank: Bank, lines: _Lines) -> Iterator[ContentError]:
    """Reasons, views and distractors are shown alone as options: a leading pronoun has
    nothing to point back to ("He made concessions...")."""
    for claim in content.all_claims:
        groups = (
            ("reasons", [r.text for r in claim.reasons]),
            ("opposing", [o.text for o in claim.opposing]),
            ("concessions", [c.text for c in claim.concessions]),
            ("distractors", [d.text for d in claim.distractors]),
        )
        for key, texts in groups:
            for i, text in enumerate(texts):
                m = PRONOUN_START.match(text)
                if m and not EXPLETIVE_IT.match(text):
                    yield ContentError(
                        lines.args_file,
                        lines.at(claim.id, key, i),
                        f"'{text[:50]}' starts with '{m.group(1)}', which points to nothing when "
                        "it is shown as an option",
                        "name who or what it is about, e.g. 'Biden made…' instead of 'He made…'",
                    )


QUANTIFIERS = re.compile(
    r"\b(since|for the (?:past|last)|over the (?:next|past|last)|at least|at most|more than|"
    r"less than|fewer than|up to|nearly|almost|about|around|over|under|within|before|after|"
    r"by|until|as (?:many|much|few|early|late) as|no (?:more|less) than)\s*$",
    re.IGNORECASE,
)
NUMBER = re.compile(
    r"\d|\b(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|"
    r"forty|fifty|hundred|thousand|million|dozen)\b",
    re.IGNORECASE,
)


STANDALONE_START = re.compile(
    r"^(he|she|it|its|they|their|them|this|these|those|such|both|his|her)\b", re.IGNORECASE
)


def standalone_statements(
    content: EssayContent, bank: Bank, lines: _Lines
) -> Iterator[ContentError]:
    """A fact's statement and its false versions are shown alone (true/false, select-all):
    "Both narratives..." or "It wanted..." points to nothing there."""
    for fact in content.facts:
        for key, texts in (("text", [cloze_fill(fact.text)]), ("false", list(fact.false))):
            for text in texts:
                m = STANDALONE_START.match(text)
                if m and not EXPLETIVE_IT.match(text):
                    yield ContentError(
                        lines.facts_file,
                        lines.at(fact.id, key),
                        f"'{text[:50]}' starts with '{m.group(1)}', which points to nothing when "
                        "the statement is shown on its own",
                        "name who or what it is about",
                    )


def answer_outside_blank(
    content: EssayContent, bank: Bank, lines: _Lines
) -> Iterator[ContentError]:
    """A sentence that states its own answer outside the blank ("... although Biden could
    ..." with the blank "Joe Biden") gives the answer away."""
    for fact in content.facts:
        shown = frozenset().union(
            *(word_forms(w) for w in normalize_answer(cloze_stem(fact.text, " ")).split())
        )
        for blank in fact.blanks:
            for answer in blank.answers:
                words = answer_words(normalize_answer(answer))
                if words and not all(w.isdigit() for w in words) and shown_in(words, shown):
                    yield ContentError(
                        lines.facts_file,
                        lines.at(fact.id, "text"),
                        f"the answer '{answer}' also stands in the fact's sentence outside its "
                        "blank, so it gives itself away",
                        "reword the sentence so the answer appears only in the blank",
                    )
                    break
            else:
                continue
            break


def hedged_false(content: EssayContent, bank: Bank, lines: _Lines) -> Iterator[ContentError]:
    """A false version that changes a number or year right after 'since', 'at least', 'over
    the next'... can still be true ("since 2009" when the truth is "since 2003")."""
    for fact in content.facts:
        truth = cloze_fill(fact.text).split()
        for statement in fact.false:
            words = statement.split()
            matcher = difflib.SequenceMatcher(a=truth, b=words, autojunk=False)
            for tag, i1, i2, j1, j2 in matcher.get_opcodes():
                if tag == "equal":
                    continue
                changed = " ".join(truth[i1:i2] + words[j1:j2])
                before = " ".join(truth[max(0, i1 - 4) : i1])
                m = QUANTIFIERS.search(before)
                if m and NUMBER.search(changed):
                    yield ContentError(
                        lines.facts_file,
                        lines.at(fact.id, "false"),
                        f"false statement '{statement[:60]}' changes words after "
                        f"'{m.group(1)}', so it may still be true",
                        "change something that no quantifier or time word can keep true",
                    )
                    break


def hedged_distractors(content: EssayContent, bank: Bank, lines: _Lines) -> Iterator[ContentError]:
    """A distractor that a bound before a number or year blank makes true as well ("for the
    past seven years": 3; "since 2003": 2009): defensible, so the generator leaves it out."""
    for fact in content.facts:
        for d in fact.distractors:
            if implied_true(fact, d):
                yield ContentError(
                    lines.facts_file,
                    lines.at(fact.id, "distractors"),
                    f"distractor '{d}' is true as well, given the words before the blank",
                    "choose values on the other side of the bound (a longer span, an earlier "
                    "'since' year)",
                )


def unclassed_terms(content: EssayContent, bank: Bank, lines: _Lines) -> Iterator[ContentError]:
    """Matching mixes answers only of one word class: a term without one is left out, and
    its single-choice item borrows no distractors."""
    for fact in content.facts:
        if fact.kind in ("term", "title") and not fact.word_class and len(fact.blanks) == 1:
            yield ContentError(
                lines.facts_file,
                lines.at(fact.id, "kind"),
                f"term fact '{fact.id}' has no 'word_class'",
                "add 'word_class: noun' (or name, verb, adjective, adverb, phrase)",
            )


def undated_events(content: EssayContent, bank: Bank, lines: _Lines) -> Iterator[ContentError]:
    """Ordering takes events with a date the essay states; a state is not an event."""
    for fact in content.facts:
        if fact.date and not fact.event:
            yield ContentError(
                lines.facts_file,
                lines.at(fact.id, "date"),
                f"fact '{fact.id}' has a date but no 'event', so no ordering item can use it",
                "add 'event: <what happened>' or remove the date",
            )
        if fact.event and STATE_EVENT.search(fact.event):
            yield ContentError(
                lines.facts_file,
                lines.at(fact.id, "event"),
                f"event '{fact.event}' reads as a state or a period, not an event",
                "name one thing that happened at that date, or remove 'date' and 'event'",
            )


def near_duplicates(content: EssayContent, bank: Bank, lines: _Lines) -> Iterator[ContentError]:
    """Two facts that say nearly the same thing make items that answer each other."""
    statements = [(f, normalize_answer(cloze_fill(f.text))) for f in content.facts]
    for i, (a, ta) in enumerate(statements):
        for b, tb in statements[i + 1 :]:
            if fuzz.token_set_ratio(ta, tb) >= NEAR_DUPLICATE:
                yield ContentError(
                    lines.facts_file,
                    lines.at(b.id),
                    f"fact '{b.id}' nearly repeats fact '{a.id}'",
                    "merge the two facts, or make them test different things",
                )


def odd_one_out(content: EssayContent, bank: Bank, lines: _Lines) -> Iterator[ContentError]:
    """A key that stands out from its distractors by length, case or form needs no essay."""
    for fact in content.facts:
        if len(fact.blanks) == 1 and len(fact.distractors) >= 2:
            cue = odd_form(fact.blanks[0].answer, list(fact.distractors))
            if cue:
                yield ContentError(
                    lines.facts_file,
                    lines.at(fact.id, "distractors"),
                    f"the answer '{fact.blanks[0].answer}' stands out from its distractors by "
                    f"{cue}",
                    "write distractors of the same length, case and form as the answer",
                )
    for claim in content.all_claims:
        pool = [c.text for c in reason_distractors(content, claim)]
        if len(pool) < 2:
            continue
        for i, reason in enumerate(claim.reasons):
            if len(reason.text) > LENGTH_CUE * max(len(p) for p in pool):
                yield ContentError(
                    lines.args_file,
                    lines.at(claim.id, "reasons", i),
                    f"reason '{reason.text[:50]}…' is much longer than every distractor, so it "
                    "gives itself away",
                    "shorten the reason, or write longer distractors for this claim",
                )


def odd_register_reasons(
    content: EssayContent, bank: Bank, lines: _Lines
) -> Iterator[ContentError]:
    """A reason hedged as a forecast ("ISIS could once again find fertile ground") whose
    claim has no distractor in that register (or a plain reason among only hedged ones):
    keyed, it is the one "could" among plain facts, found without the essay (the eighth
    blind review). The generator prefers distractors in the keys' register; only the author
    can write them."""
    for claim in content.all_claims:
        pool = [c.text for c in reason_distractors(content, claim)]
        if len(pool) < 2:
            continue
        for i, reason in enumerate(claim.reasons):
            if not any(modal(p) == modal(reason.text) for p in pool):
                kind = "hedged ('could', 'may'...)" if modal(reason.text) else "not hedged"
                yield ContentError(
                    lines.args_file,
                    lines.at(claim.id, "reasons", i),
                    f"reason '{reason.text[:50]}…' is {kind} and no distractor for this claim "
                    "is, so as the key it stands out by its register",
                    "write a distractor in the same register (e.g. 'X could …' for a reason "
                    "that says 'could'), or state the reason in the register of the others",
                )
                break


# A distractor that is false by common sense needs no essay: an upheaval that makes
# something "much easier", or a loss that makes it "simpler" ("The departure of American
# troops will make intelligence gathering in Afghanistan much easier": the eighth review).
COMMON_SENSE = re.compile(
    r"\b(?:departure|withdrawal|loss|fall|collapse|absence|without)\b.*\b(?:much|far|a lot) "
    r"(?:easier|simpler|safer)\b",
    re.IGNORECASE,
)


def common_sense_false(content: EssayContent, bank: Bank, lines: _Lines) -> Iterator[ContentError]:
    """A false statement a student rejects without the essay: it contradicts its own
    premise (a departure or a loss that makes things "much easier")."""
    for fact in content.facts:
        for statement in fact.false:
            if COMMON_SENSE.search(statement):
                yield ContentError(
                    lines.facts_file,
                    lines.at(fact.id, "false"),
                    f"false statement '{statement[:60]}' contradicts its own premise, so it is "
                    "rejected without the essay",
                    "write a false statement a student could believe: one the essay "
                    "contradicts, not common sense",
                )


# Words that turn a statement around ("It is even more difficult to see it...", "although
# weakened", "It is not certain that..."): a quote cut before them reads as if it backed a
# false version (the seventh blind review).
TURNING_WORDS = re.compile(
    r"\b(not|no|never|nor|cannot|can't|won't|hardly|hard|difficult|although|though|despite|"
    r"unlikely|uncertain|urgent|opposite|warns?\s+(?:\S+\s+){0,3}against)\b|n't\b",
    re.IGNORECASE,
)


def quote_turning_words(content: EssayContent, bank: Bank, lines: _Lines) -> Iterator[ContentError]:
    """A fact that says what the essay says with a negation or concession ("finds it hard to
    see", "though weakened", "is not certain"), whose quote lacks any such word: the quote
    shown under its false version seems to back it, since it stops before the words that
    refute it."""
    for fact in content.facts:
        if not fact.false and not fact.distractors:
            continue
        truth = TURNING_WORDS.search(cloze_fill(fact.text))
        if truth and not TURNING_WORDS.search(fact.quote):
            yield ContentError(
                lines.facts_file,
                lines.at(fact.id, "quote"),
                f"fact '{fact.id}' says '{truth.group(0)}' but its quote has no such word, so "
                "the quote shown under a false version seems to back it",
                "widen the quote to the essay's words that carry the negation or concession",
            )


def thin_claims(content: EssayContent, bank: Bank, lines: _Lines) -> Iterator[ContentError]:
    """A claim needs three things the content proves wrong to make a fair reason item."""
    for claim in content.all_claims:
        if not claim.reasons:
            continue
        pool = reason_distractors(content, claim)
        if len(pool) < 3:
            yield ContentError(
                lines.args_file,
                lines.at(claim.id),
                f"claim '{claim.id}' has {len(pool)} distractor(s) for its reason items; "
                "it needs 3",
                "add 'distractors:' written for this claim (plausible reasons for it that the "
                "essay does not give)",
            )
        for i, view in enumerate(claim.opposing):
            if not view.rebuttal:
                yield ContentError(
                    lines.args_file,
                    lines.at(claim.id, "opposing", i),
                    "an opposing view has no 'rebuttal', so its item cannot say why the author "
                    "rejects it",
                    "add 'rebuttal: <what the author answers to it>'",
                )


def true_false_balance(content: EssayContent, bank: Bank, lines: _Lines) -> Iterator[ContentError]:
    """True/false items should be about half false; falsehoods come only from the content."""
    graded = [f for f in content.facts if f.graded]
    missing = [f for f in graded if not f.false and not safe_swap(f)]
    total = len(graded)
    falses = total - len(missing)
    if total and falses / (total + falses) < 0.4:
        yield ContentError(
            lines.facts_file,
            lines.at(missing[0].id),
            f"only {falses} of {total} facts have a false version, so true/false items are "
            "mostly true",
            "add 'false: [\"…\"]' statements the essay shows to be false, starting with this fact",
        )


def untested_topics(content: EssayContent, bank: Bank, lines: _Lines) -> Iterator[ContentError]:
    """A quiz over several topics should test every one of them."""
    for quiz in content.quizzes:
        if len(quiz.topics) < 2:
            continue
        missed: set[str] = set()
        for seed in range(10):
            try:
                items = assemble_quiz(bank, quiz, seed)
            except ValueError:
                break
            covered = {t for i in items if len(i.topics) == 1 for t in i.topics}
            missed |= set(quiz.topics) - covered
        if missed:
            rec = lines.quizzes.get(quiz.id)
            yield ContentError(
                lines.quizzes_file,
                rec.line_of("questions") if rec is not None else 1,
                f"quiz '{quiz.id}' can leave topic(s) {', '.join(sorted(missed))} untested",
                "ask for more questions, or add items of the mix's types to those topics",
            )


def infeasible_quizzes(content: EssayContent, bank: Bank, lines: _Lines) -> Iterator[ContentError]:
    """A mix that cannot be drawn with each fact once and no answer given away makes the
    assembler fall back to attempts that repeat facts or leak answers."""
    banks = [(seed, build_bank(content, seed)) for seed in FEASIBLE_SEEDS]
    for quiz in content.quizzes:
        if not feasible(quiz, banks):
            rec = lines.quizzes.get(quiz.id)
            yield ContentError(
                lines.quizzes_file,
                rec.line_of("mix") if rec is not None else 1,
                f"quiz '{quiz.id}' cannot always be drawn with each fact and claim tested once "
                "and no question giving away another's answer",
                "ask for fewer items built from several facts (matching, ordering, multiple, "
                "evidence_matching), or add facts to its topics",
            )


def punctuation(content: EssayContent, bank: Bank, lines: _Lines) -> Iterator[ContentError]:
    """Generated text with doubled or stray punctuation ('.”?', ' ,')."""
    facts = {f.id: f for f in content.facts}
    claims = {c.id: c for c in content.all_claims}
    for item in bank.items:
        for text in (item.prompt, *item.prompts, *item.options):
            m = ARTIFACTS.search(cloze_stem(text, "___"))
            if m:
                owner = item.origin.ids[0]
                file = lines.facts_file if owner in facts else lines.args_file
                if owner not in facts and owner not in claims:
                    continue
                yield ContentError(
                    file,
                    lines.at(owner),
                    f"item '{item.id}' shows '{m.group(0).strip() or 'two spaces'}' in "
                    f"'{text[:60]}'",
                    "fix the punctuation of the text it comes from",
                )
                break


def checker_warnings(content: EssayContent, bank: Bank, lines: _Lines) -> Iterator[ContentError]:
    """The checker's own warnings (quizapp.bank.guidance): an answer missing from its quote,
    'a'/'an' before a blank that does not fit a distractor, a fact outside its topic's
    paragraphs, no thesis, no quizzes."""
    for file, line, message, fix in content_warnings(content, lines.folder, lines.display):
        yield ContentError(file, line, message, fix)


RULES = (
    pronoun_starts,
    standalone_statements,
    answer_outside_blank,
    hedged_false,
    hedged_distractors,
    unclassed_terms,
    undated_events,
    near_duplicates,
    odd_one_out,
    odd_register_reasons,
    common_sense_false,
    quote_turning_words,
    checker_warnings,
    thin_claims,
    true_false_balance,
    untested_topics,
    infeasible_quizzes,
    punctuation,
)

__all__ = ["RULES", "lint"]
