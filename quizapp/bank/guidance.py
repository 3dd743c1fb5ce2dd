"""What the checker tells a teacher: quote diffs, YAML errors in plain words, safe suggestions,
and warnings about content that is valid but would mislead students.

Pure functions: the loader and ``quizapp content check`` call them.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence
from pathlib import Path

from rapidfuzz import fuzz

from .model import EXACT_KINDS, Essay, EssayContent
from .text import normalize_answer, normalize_passage, quote_in

# --- quotes that are not verbatim -----------------------------------------------------------

CLOSE_ENOUGH = 60.0  # partial_ratio (0-100) at which a passage is worth showing as a diff
BETTER_BY = 10.0  # another paragraph must match this much better to be named instead


def closest_passage(quote: str, paragraph: str) -> tuple[float, str]:
    """The passage of ``paragraph`` (whole words) that best matches ``quote``, and its score."""
    q, p = normalize_passage(quote), normalize_passage(paragraph)
    if not q or not p:
        return 0.0, ""
    alignment = fuzz.partial_ratio_alignment(q, p)
    if alignment is None:
        return 0.0, ""
    start, end = alignment.dest_start, alignment.dest_end
    while start > 0 and not p[start - 1].isspace():
        start -= 1
    while end < len(p) and not p[end].isspace():
        end += 1
    return float(alignment.score), p[start:end].strip()


_TOKEN = re.compile(r"\w+(?:['’]\w+)*|[^\w\s]")
_NO_SPACE_BEFORE = frozenset(",.;:!?)]}”’…")
_NO_SPACE_AFTER = frozenset("([{“‘")


def _join(tokens: Sequence[str]) -> str:
    out = ""
    for token in tokens:
        if out and token[:1] not in _NO_SPACE_BEFORE and out[-1] not in _NO_SPACE_AFTER:
            out += " "
        out += token
    return out


def word_diff(passage: str, quote: str) -> str:
    """The passage with the quote's differences marked: [-essay words-]{+quote words+}.

    Words of the passage beyond either end of the quote are left out.
    """
    old = _TOKEN.findall(normalize_passage(passage))
    new = _TOKEN.findall(normalize_passage(quote))
    ops = difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes()
    while ops and ops[0][0] == "delete":
        ops = ops[1:]
    while ops and ops[-1][0] == "delete":
        ops = ops[:-1]
    out: list[str] = []
    for op, a0, a1, b0, b1 in ops:
        if op == "equal":
            out += old[a0:a1]
            continue
        marked = ""
        if a1 > a0:
            marked += "[-" + _join(old[a0:a1]) + "-]"
        if b1 > b0:
            marked += "{+" + _join(new[b0:b1]) + "+}"
        out.append(marked)
    return _join(out)


def quote_guidance(quote: str, essay: Essay, para: int) -> str:
    """The fix for a quote that is not verbatim in paragraph ``para``."""
    elsewhere = [p.number for p in essay.paragraphs if quote_in(quote, p.text)]
    if elsewhere:
        return f"it is in paragraph {elsewhere[0]}: write 'para: {elsewhere[0]}'"
    paragraph = essay.paragraph(para)
    score, passage = closest_passage(quote, paragraph.text) if paragraph else (0.0, "")
    best_other, other_score, other_passage = None, score, ""
    for p in essay.paragraphs:
        if p.number != para:
            s, text = closest_passage(quote, p.text)
            if s >= other_score + BETTER_BY and s > (other_score if best_other else 0):
                best_other, other_score, other_passage = p.number, s, text
    if best_other is not None and other_score >= CLOSE_ENOUGH:
        return (
            f"it is closest to paragraph {best_other}, which reads (differences marked "
            f"[-essay-]{{+quote+}}): “{word_diff(other_passage, quote)}”; write "
            f"'para: {best_other}' and copy the words exactly"
        )
    if score >= CLOSE_ENOUGH:
        return (
            f"paragraph {para} reads (differences marked [-essay-]{{+quote+}}): "
            f"“{word_diff(passage, quote)}”; copy the words exactly"
        )
    return f"copy the words exactly as they stand in paragraph {para}"


# --- YAML syntax errors ------------------------------------------------------------------------

GENERIC_YAML_FIX = "check indentation, colons and quotes on this line"
_KEY_VALUE = re.compile(r"^(\s*(?:-\s+)?)([\w-]+):\s+(.*?)\s*$")


def _quoted(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def explain_yaml(problem: str, context: str, line_text: str) -> tuple[str, str]:
    """A YAML parser error in a teacher's words: (what is wrong, what to write instead)."""
    problem = " ".join(problem.split())
    context = " ".join((context or "").split())
    stripped = line_text.strip()
    kv = _KEY_VALUE.match(line_text)
    if "mapping values are not allowed" in problem:
        if kv:
            _indent, key, value = kv.groups()
            return (
                f"a colon inside the value of '{key}' that is not in quotes",
                f"put the value in double quotes: {key}: {_quoted(value)}",
            )
        return (
            "a colon inside a value that is not in quotes",
            "put the value in double quotes",
        )
    indentation = line_text[: len(line_text) - len(line_text.lstrip())]
    if "\\t" in problem or "\t" in indentation:
        return "a tab is used to indent this line", "indent with spaces, never tabs"
    code = line_text.replace('\\"', "")
    if code.count('"') % 2 == 1 or ("end of stream" in problem and "quoted scalar" in context):
        return (
            "a quotation mark is opened but never closed",
            'close the quote at the end of the value, or put a \\ before a " inside it',
        )
    if "unknown escape character" in problem:
        return (
            "a backslash inside double quotes starts an escape YAML does not know",
            "write \\\\ for a backslash, or use single quotes around the value",
        )
    m = re.search(r"found character '(.)' that cannot start any token", problem)
    if m:
        ch = m.group(1)
        fix = (
            f"put the value in double quotes: {kv.group(2)}: {_quoted(kv.group(3))}"
            if kv
            else ("put the value in double quotes")
        )
        return f"a value cannot start with '{ch}' unless it is in quotes", fix
    if "did not find expected ',' or ']'" in problem or "expected ',' or ']'" in problem:
        return (
            "a list in [ ] is not closed, or its items are not separated by commas",
            'write the list as ["a", "b"] on one line, with quotes around items that hold commas',
        )
    if "expected ',' or '}'" in problem:
        return (
            "a { } mapping is not closed, or its entries are not separated by commas",
            "write it as {single: 2, cloze: 1} on one line",
        )
    if "could not find expected ':'" in problem:
        return (
            "this line has no 'field: value' colon, or a value runs on to the next line",
            "write 'field: value' on one line, with long values in double quotes",
        )
    if "expected <block end>" in problem or "did not find expected key" in problem:
        if stripped.startswith('"') or re.match(r'^[\w-]+:\s*"[^"]*"\s*\S', stripped):
            return (
                "text follows the closing quotation mark of a value",
                'keep the whole value inside the quotes; write \\" for a quote inside it',
            )
        return (
            "this line is not indented like the fields around it",
            "line it up with the other fields of the same entry (spaces only)",
        )
    if "did not find expected node content" in problem or "expected the node content" in problem:
        return (
            "a value is missing or starts with a character YAML reserves",
            "put the value in double quotes",
        )
    return f"YAML could not read this line ({problem})", GENERIC_YAML_FIX


# --- suggestions that never reverse the meaning ------------------------------------------------

# Words teachers write for a choice's values: a suggestion follows the meaning, not the
# spelling ("agrees" is close in letters to "rejects", but means "endorses").
SYNONYMS: dict[str, dict[str, str]] = {
    "stance": {
        **dict.fromkeys(
            (
                "agrees",
                "agree",
                "supports",
                "support",
                "for",
                "pro",
                "yes",
                "accepts",
                "affirms",
                "endorse",
                "endorsed",
                "holds",
                "true",
                "positive",
            ),
            "endorses",
        ),
        **dict.fromkeys(
            (
                "disagrees",
                "disagree",
                "denies",
                "deny",
                "against",
                "con",
                "no",
                "opposes",
                "oppose",
                "refutes",
                "refute",
                "reject",
                "rejected",
                "disputes",
                "false",
                "negative",
            ),
            "rejects",
        ),
    },
    "feedback": {
        **dict.fromkeys(("instant", "now", "immediately", "direct", "at once"), "immediate"),
        **dict.fromkeys(("later", "delayed", "after", "end", "at the end"), "deferred"),
    },
    "grading": {
        **dict.fromkeys(("best", "max", "maximum", "top"), "highest"),
        **dict.fromkeys(("mean", "avg"), "average"),
        **dict.fromkeys(("latest", "final", "most recent"), "last"),
        **dict.fromkeys(("earliest", "initial"), "first"),
    },
}
# Choices whose options are opposites: a near spelling is suggested only when very close.
OPPOSED = frozenset({"stance"})


def suggest_choice(key: str, value: str, options: Sequence[str]) -> str | None:
    """The option the teacher most likely meant, or None when unsure."""
    folded = " ".join(value.lower().split())
    meant = SYNONYMS.get(key, {}).get(folded)
    if meant in options:
        return meant
    cutoff = 0.8 if key in OPPOSED else 0.6
    close = difflib.get_close_matches(folded, list(options), n=1, cutoff=cutoff)
    return close[0] if close else None


# --- warnings: valid content that would mislead students --------------------------------------


def _id_lines(path: Path) -> dict[str, int]:
    """The line of each ``id:`` in a YAML file (warnings point at the entry)."""
    lines: dict[str, int] = {}
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        return lines
    for number, line in enumerate(text.splitlines(), start=1):
        m = re.match(r"^\s*(?:-\s+)?id:\s*[\"']?([a-z0-9-]+)", line)
        if m:
            lines.setdefault(m.group(1), number)
    return lines


def _answer_in(answers: Iterable[str], quote: str, *, loose: bool = False) -> bool:
    """Whether the quote states one of the answers; ``loose`` (dates and numbers, which the
    essay may write compactly: "September 1-3, 2004") asks only for all its words."""
    passage = f" {normalize_answer(quote)} "
    words = set(passage.split())
    for answer in answers:
        folded = normalize_answer(answer)
        if folded and (f" {folded} " in passage or (loose and set(folded.split()) <= words)):
            return True
    return False


_ARTICLE_BEFORE_BLANK = re.compile(r"\b(a|an|A|An)\s+\{\{([^}]*)\}\}")
_AN_EXCEPTIONS = ("uni", "use", "usu", "eu", "one", "once", "ur")
_AN_SILENT_H = ("hour", "honest", "honor", "honour", "heir")


def article_for(word: str) -> str:
    """'a' or 'an' for a word, by its first letters (a rule of thumb, not phonetics: acronyms
    read letter by letter, "an FBI agent", are not told apart)."""
    w = word.strip().lstrip("“\"'‘(").lower()
    if not w:
        return "a"
    if w.startswith(_AN_SILENT_H):
        return "an"
    if w.startswith(_AN_EXCEPTIONS):
        return "a"
    return "an" if w[0] in "aeiou" else "a"


def article_problems(text: str, distractors: Iterable[str]) -> list[tuple[str, str]]:
    """(article, distractor) pairs where 'a'/'an' before the blank does not fit a distractor."""
    problems = []
    for m in _ARTICLE_BEFORE_BLANK.finditer(text):
        article = m.group(1).lower()
        answer = m.group(2).split("|")[0]
        if article_for(answer) != article:
            continue  # the teacher's own sentence: not a substitution problem
        problems += [(m.group(1), d) for d in distractors if article_for(d) != article]
    return problems


def content_warnings(
    content: EssayContent, folder: Path, display: str
) -> list[tuple[str, int, str, str]]:
    """(file, line, message, fix) for what is valid but harms students, in file order."""
    out: list[tuple[str, int, str, str]] = []
    facts_file = f"{display}/facts.yaml"
    lines = _id_lines(folder / "facts.yaml")
    topics = {t.id: t for t in content.topics}
    covering: dict[int, str] = {}
    for topic in content.topics:
        for p in topic.paras:
            covering.setdefault(p, topic.id)
    for fact in content.facts:
        line = lines.get(fact.id, 1)
        for blank in fact.blanks:
            if not _answer_in(blank.answers, fact.quote, loose=fact.kind in EXACT_KINDS):
                out.append(
                    (
                        facts_file,
                        line,
                        f"the answer '{blank.answer}' of fact '{fact.id}' is not in its quote",
                        "quote the words of the essay that state the answer, so students can "
                        "check it",
                    )
                )
        for article, distractor in article_problems(fact.text, fact.distractors)[:1]:
            out.append(
                (
                    facts_file,
                    line,
                    f"'{article}' before the blank of fact '{fact.id}' does not fit the distractor "
                    f"'{distractor}' (students would read '{article} {distractor}')",
                    "put the article inside the answers, e.g. '{{an ally|ally}}', or choose "
                    "distractors that take the same article",
                )
            )
        topic = topics.get(fact.topic)
        if topic and fact.para not in topic.paras:
            where = (
                f"file it under '{covering[fact.para]}', which covers paragraph {fact.para}, or "
                if fact.para in covering
                else ""
            )
            out.append(
                (
                    facts_file,
                    line,
                    f"fact '{fact.id}' quotes paragraph {fact.para}, outside its topic "
                    f"'{topic.id}' (paragraphs {', '.join(map(str, topic.paras))})",
                    f"{where}add {fact.para} to the topic's paras",
                )
            )
    if content.thesis is None:
        out.append(
            (
                f"{display}/arguments.yaml",
                1,
                "the essay has no thesis",
                "add 'thesis:' with the essay's main claim (id, text, para, quote)",
            )
        )
    if not content.quizzes:
        out.append(
            (
                f"{display}/quizzes.yaml",
                1,
                "the essay has no quizzes: students can study its cards but take no quiz",
                "add a quiz, e.g. '- id: final-exam' with title, topics: all, questions and mix",
            )
        )
    return sorted(out, key=lambda w: (w[0], w[1]))
