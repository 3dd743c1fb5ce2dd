"""Content folders -> validated, immutable :class:`EssayContent`.

Every problem is collected (never only the first) as a :class:`ContentError` that reads
``file:line: what is wrong; what to write instead``. One module per content file (essay.md,
topics.yaml, facts.yaml, arguments.yaml, quizzes.yaml) and ``errors`` for the collector they
share; this module loads the whole folder.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path

from ..model import Claim, EssayContent, Fact
from ..yamlines import LineDict
from .arguments import _load_arguments
from .errors import ID_RE, ContentError, _display, _Errors, _read_yaml
from .essay import _load_essay
from .facts import _load_facts
from .quizzes import _load_quizzes
from .topics import _load_topics

CONTENT_FILES = ("essay.md", "topics.yaml", "facts.yaml", "arguments.yaml", "quizzes.yaml")


@dataclass
class LoadResult:
    essays: dict[str, EssayContent] = field(default_factory=dict)
    errors: list[ContentError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def load_essay_folder(
    folder: Path, content_dir: Path | None = None
) -> tuple[EssayContent | None, list[ContentError]]:
    """Load and validate one essay folder; content is None when anything is wrong."""
    content_dir = content_dir or folder.parent
    errors: list[ContentError] = []

    def errs_for(name: str) -> _Errors:
        return _Errors(errors, _display(folder / name, content_dir))

    slug = folder.name
    if not ID_RE.match(slug):
        errors.append(
            ContentError(
                _display(folder, content_dir),
                1,
                f"folder name '{slug}' is not lowercase words joined by hyphens",
                "rename the folder, e.g. 'my-essay'",
            )
        )
    essay = _load_essay(folder / "essay.md", slug, errs_for("essay.md"))

    terrs = errs_for("topics.yaml")
    topic_seen: dict[str, str] = {}
    topics = _load_topics(_read_yaml(folder / "topics.yaml", terrs), essay, terrs, topic_seen)
    # Every topic id that was written counts, even one whose other fields have errors:
    # one mistake should not cascade into "unknown topic" everywhere.
    topic_ids = set(topic_seen)

    ids: dict[str, str] = {}
    ferrs = errs_for("facts.yaml")
    restates: list[tuple[_Errors, LineDict, str | None, str]] = []
    facts, supports = _load_facts(
        _read_yaml(folder / "facts.yaml", ferrs), essay, topic_ids, ids, ferrs, restates
    )
    aerrs = errs_for("arguments.yaml")
    # Claim ids share the fact namespace: generated item ids derive from both.
    thesis, claims = _load_arguments(
        _read_yaml(folder / "arguments.yaml", aerrs), essay, topic_ids, ids, aerrs, restates
    )
    known_claims = {k for k, where in ids.items() if where.startswith(aerrs.file + ":")}
    for rec, support in supports:
        if known_claims and support not in known_claims:
            close = difflib.get_close_matches(support, sorted(known_claims), n=1)
            fix = f"did you mean '{close[0]}'?" if close else "use a claim id from arguments.yaml"
            ferrs.add(rec.line_of("supports"), f"unknown claim '{support}'", fix)

    _check_restates(restates, facts, [*([thesis] if thesis else []), *claims], set(ids))

    qerrs = errs_for("quizzes.yaml")
    quizzes = _load_quizzes(_read_yaml(folder / "quizzes.yaml", qerrs), topic_ids, qerrs)

    if errors or essay is None:
        return None, sorted(errors, key=lambda e: (e.file, e.line))
    content = EssayContent(
        essay=essay,
        topics=tuple(topics),
        facts=tuple(facts),
        thesis=thesis,
        claims=tuple(claims),
        quizzes=tuple(q for q, _ in quizzes),
    )
    # A quiz mix must be one the bank can satisfy (imported here: generate imports the model).
    from ..generate import build_bank, eligible_counts

    if not facts and not claims and thesis is None and quizzes:
        # A new folder: one clear next step instead of an error per quiz question type.
        ferrs.add(
            1,
            "facts.yaml has no facts yet, so the quizzes have no questions",
            f"run 'quizapp content draft {slug}' and paste the candidates you keep into facts.yaml",
        )
        return None, sorted(errors, key=lambda e: (e.file, e.line))
    bank = build_bank(content, 0)
    for quiz, rec in quizzes:
        counts = eligible_counts(content, quiz, bank)
        for qtype, wanted in quiz.mix:
            have = counts.get(qtype, 0)
            if have < wanted:
                mix = rec["mix"]
                qerrs.add(
                    mix.line_of(qtype),
                    f"quiz '{quiz.id}' asks for {wanted} '{qtype}' question(s) but its topics "
                    f"supply {have}",
                    f"lower the count to {have}"
                    if have
                    else f"remove '{qtype}' from the mix, or add content that makes such items",
                )
    if errors:
        return None, sorted(errors, key=lambda e: (e.file, e.line))
    return content, []


def _check_restates(
    links: list[tuple[_Errors, LineDict, str | None, str]],
    facts: list[Fact],
    claims: list[Claim],
    written: set[str],
) -> None:
    """Each ``restates:`` must name a fact, a claim, or a claim's reason or opposing view
    (``claim-id#reason-N``, ``claim-id#opposing-N``), and not the entry itself."""
    known = {f.id for f in facts}
    for claim in claims:
        known.add(claim.id)
        known.update(f"{claim.id}#reason-{i}" for i in range(1, len(claim.reasons) + 1))
        known.update(f"{claim.id}#opposing-{i}" for i in range(1, len(claim.opposing) + 1))
    for errs, rec, own, other in links:
        line = rec.line_of("restates")
        if other == own:
            errs.add(line, f"'{other}' restates itself", "name another entry in 'restates'")
        elif other not in known:
            base, _, part = other.partition("#")
            if part and base in {c.id for c in claims}:
                claim = next(c for c in claims if c.id == base)
                fix = (
                    f"'{base}' has reasons {base}#reason-1 to #reason-{len(claim.reasons)}"
                    + (
                        f" and opposing views #opposing-1 to #opposing-{len(claim.opposing)}"
                        if claim.opposing
                        else ""
                    )
                    + " (counted from 1 in the file's order)"
                )
            elif base in written and part:
                fix = "only a claim's reasons and opposing views are named with '#'"
            else:
                close = difflib.get_close_matches(other, sorted(known), n=1)
                fix = (
                    f"did you mean '{close[0]}'?"
                    if close
                    else "use a fact or claim id, or 'claim-id#reason-N' for a claim's reason"
                )
            errs.add(line, f"'restates' names unknown content '{other}'", fix)


def load_content(content_dir: Path) -> LoadResult:
    """Load every essay folder under ``content_dir``."""
    result = LoadResult()
    if not content_dir.is_dir():
        result.errors.append(
            ContentError(
                str(content_dir),
                1,
                "the content folder does not exist",
                "set CONTENT_DIR to a folder of essays",
            )
        )
        return result
    folders = sorted(
        p for p in content_dir.iterdir() if p.is_dir() and not p.name.startswith((".", "_"))
    )
    for folder in folders:
        content, errors = load_essay_folder(folder, content_dir)
        result.errors.extend(errors)
        if content is not None:
            result.essays[content.slug] = content
    if not folders:
        result.errors.append(
            ContentError(
                content_dir.name, 1, "no essay folders", "add a folder per essay (see the README)"
            )
        )
    return result


RELOAD_STAMP = ".reload"  # touched by `quizapp content reload` to make running servers reload


def content_mtime(content_dir: Path) -> float:
    """The newest modification time of any content file (or of the reload stamp)."""
    newest = 0.0
    if not content_dir.is_dir():
        return newest
    stamp = content_dir / RELOAD_STAMP
    if stamp.exists():
        newest = stamp.stat().st_mtime
    for path in content_dir.glob("*/*"):
        if path.name in CONTENT_FILES:
            newest = max(newest, path.stat().st_mtime)
    return newest
