"""What a student writes around a right answer that a teacher still accepts: the essay's own
further detail after it ("7 years, openly since 2019"), a description of a name beside it
("Benoît Vitkine, a Le Monde journalist", "the Chinese capital Beijing"), a unit abbreviated or a
number restated ("7 yrs", "seven (7) years"), and an approximation where the question asks "how
many" ("about seven years"). Each works on the whole typed text and needs the rest to match the
blank's accepted answers on its own (``match(text, rules)``), so that it stays a pure function
beside the package's phrase rules.

Decided and left refused (review 8): a bound for an exact number ("at least 7", "over 7",
"nearly 7": another claim than the essay's "seven"); a name shortened by a generic middle word
("Eurasian Union" for "Eurasian Economic Union": dropping "Economic", "Political", "Security"...
often gives the name of another body, "European Community", "Eurasian Economic Community", and
an item's texts cannot tell which); another or older name of a place ("Peking" for "Beijing":
only a lookup list could give it, and lists per answer are the content's alternatives, which
already give "PRC" for the Beijing item; "Taipei", "ROC", "Shanghai" stay wrong). A detail the
texts do not give is refused even when true ("seven years (since 2014)": the texts give no
2014), and so is one the item's quote cuts off: the rules read the item's own texts only.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Sequence

from ..bank.text import normalize_passage
from .forms import ADJECTIVE_ENDINGS, PLACE_MAKERS
from .frames import ARTICLES, TITLE_WORDS
from .names import adjectives, owner_linked
from .phrases import NOT_QUALIFIERS
from .rules import ALTERNATIVE, APPROXIMATION, DESCRIPTION, DETAIL, UNIT, Match
from .words import Word, is_numberish, parse_number, plural_pair, typo_close, words

# A blank's matcher: (typed text, rules) -> the match against its accepted answers, or None.
Matcher = Callable[[str, frozenset[str]], Match | None]

# Words that hedge or negate: never part of an added detail or description.
HEDGES = frozenset(
    {"or", "nor", "maybe", "perhaps", "possibly", "probably", "either", "not", "no", "never",
     "unless", "except", "rather", "instead", "versus", "vs", "unlike", "than", "if", "whether",
     "might", "may", "could", "guess", "unsure", "later", "formerly", "former", "ex", "now"}
)  # fmt: skip
# Small words a detail or description may hold besides the texts' own content words.
JOINERS = ARTICLES | frozenset(
    {"of", "to", "towards", "toward", "in", "at", "on", "for", "by", "with", "from", "and",
     "then", "also", "as", "s"}
)  # fmt: skip
# Words that end the stretch of a text around an answer: another answer or a turn follows.
APART = frozenset({"and", "or", "nor", "but", "than", "unlike", "versus", "vs", "not", "while"})
_SENTENCE = re.compile(r"[.;:!?]\s|[.;:!?]$|[()\[\]\"“”«»]")


def _norm(w: Word) -> str:
    """A word folded, a number word as its digits ("seven" -> "7")."""
    n = parse_number([w])
    if n is not None and not n[1] and n[0] == n[0].to_integral_value():
        return str(int(n[0]))
    return w.fold


@functools.lru_cache(maxsize=256)
def _sentences(texts: tuple[str, ...]) -> tuple[tuple[Word, ...], ...]:
    """The texts' sentences as words (cached: an item's texts are read for every answer)."""
    return tuple(words(s) for t in texts for s in _SENTENCE.split(normalize_passage(t)) if s)


@functools.lru_cache(maxsize=256)
def _normed(texts: tuple[str, ...]) -> tuple[tuple[Sequence[Word], tuple[str, ...]], ...]:
    """Each sentence's words with their normal forms (numbers as digits), cached."""
    return tuple((s, tuple(_norm(w) for w in s)) for s in _sentences(texts))


def _find(seq: Sequence[str], part: Sequence[str]) -> Iterable[int]:
    n = len(part)
    return (i for i in range(len(seq) - n + 1) if n and list(seq[i : i + n]) == list(part))


def _same(a: str, b: str) -> bool:
    return a == b or plural_pair(a, b)


# --- the essay's own further detail after the answer ---------------------------------------

_SEPARATOR = re.compile(
    r"\s*,\s*(?:and\b\s*,?\s*)?|\s+and\b\s*,?\s*|\s*\(\s*|\s+[-–—]\s+|\s*[–—]\s*", re.IGNORECASE
)
FIRST_GAP = 5  # words of the text between the answer and the detail's first word
NEXT_GAP = 4  # ...and between two of its words
LIST_JOINS = frozenset({"and", "or", "&"})
# The only words that may stand between the answer and its detail in the texts ("Central and
# Eastern Europe, but also, more indirectly, ..."): the detail goes on from the answer.
LEADING = JOINERS | frozenset(
    {"but", "more", "less", "even", "mainly", "especially", "notably", "including", "namely",
     "particularly"}
)  # fmt: skip


def _follows(
    detail: Sequence[Word],
    key: Sequence[str],
    sentences: Sequence[tuple[Sequence[Word], tuple[str, ...]]],
) -> bool:
    """Whether the detail's content words follow the key in one sentence of the texts, in
    order, the first within FIRST_GAP small words (``LEADING``) and each next within NEXT_GAP
    words, no hedge between; a name or a number that the texts list right after the key (",
    Uzbekistan") is another answer, not a detail."""
    content = [w for w in detail if w.fold not in JOINERS]
    if not content or any(w.fold in HEDGES for w in content):
        return False
    wanted = [_norm(w) for w in content]
    for sentence, seq in sentences:
        for start in _find(seq, key):
            pos, gap, ok = start + len(key), FIRST_GAP, True
            for k, want in enumerate(wanted):
                end = min(len(seq), pos + gap + 1)
                hit = next((j for j in range(pos, end) if _same(seq[j], want)), None)
                if hit is None:
                    ok = False
                    break
                between = set(seq[pos:hit])
                if between & HEDGES or (k == 0 and not between <= LEADING):
                    ok = False  # "Vitkine wrote that ... the Taliban": another subject
                    break
                if k == 0 and between <= LIST_JOINS:
                    named = sentence[hit].raw[:1].isupper() or sentence[hit].raw[:1].isdigit()
                    if named:
                        ok = False  # "Kazakhstan, Uzbekistan": the list's next answer
                        break
                pos, gap = hit + 1, NEXT_GAP
            if ok:
                return True
    return False


def further_detail(
    given: str, accepted: Sequence[str], texts: Sequence[str], rules: frozenset[str], match: Matcher
) -> Match | None:
    """The answer, then a comma, "and", a dash or a parenthesis, then a detail whose content
    words follow the answer, in order, in one sentence of the item's own texts ("Central and
    Eastern Europe, and more indirectly its near abroad"; "7 years, openly since 2019"). Never a
    hedge ("7 or 8"), a word the texts do not give after the answer, or the next answer of a
    list the texts give ("Kazakhstan, Uzbekistan")."""
    if DETAIL not in rules or not texts:
        return None
    text = normalize_passage(given).strip().rstrip(".")
    sentences = _normed(tuple(texts))
    inner = rules - {DETAIL, DESCRIPTION}
    for sep in _SEPARATOR.finditer(text):
        head, tail = text[: sep.start()], text[sep.end() :]
        if "(" in sep.group():
            if not tail.endswith(")"):
                continue
            tail = tail[:-1]
        detail = words(tail)
        if not words(head) or not detail:
            continue
        keys = {tuple(_norm(w) for w in words(a)) for a in (*accepted, head)}
        if not any(_follows(detail, list(k), sentences) for k in keys if k):
            continue  # the texts first: matching the head is the costly part
        found = match(head, inner)
        if found is not None:
            return Match(found.answer, found.rules | {DETAIL})
    return None


# --- a description beside a name --------------------------------------------------------------

BEFORE, AFTER = 6, 7  # words of a text before / after the answer that may describe it
# Generic nouns a description may use when the texts use one of the words beside them.
GENERIC: dict[str, frozenset[str]] = {
    **dict.fromkeys(
        ("newspaper", "daily", "paper"),
        frozenset({"newspaper", "daily", "paper", "journalist", "reporter", "correspondent"}),
    ),
    "journalist": frozenset({"journalist", "reporter", "correspondent", "newspaper", "daily"}),
    "minister": frozenset({"minister", "ministry"}),
    "capital": frozenset({"capital", "capitals"}),
    "city": frozenset({"capital", "capitals", "city"}),
}
_APPOSED = re.compile(r"\s*,\s*|\s*\(\s*|\s+(?=(?:of|at|from)\s)", re.IGNORECASE)
# Small words a description may hold besides its content words ("then the French ...").
NOT_BEFORE = frozenset({"then", "as", "with", "from", "at", "for"})
_PUNCTUATED = re.compile(r"[,;:()/\[\]]")
DESCRIBING = ARTICLES | frozenset({"of", "at", "from", "for", "with", "then", "as"})


def _window(sentences: Sequence[Sequence[Word]], answers: Iterable[Sequence[str]]) -> set[str]:
    """The words that stand near an answer in the texts: up to BEFORE words before it and
    AFTER words after it, in one sentence, never past "and", "or", "but", "than"..."""
    near: set[str] = set()
    for sentence in sentences:
        seq = [w.fold for w in sentence]
        for key in answers:
            for i in _find(seq, key):
                for j in range(i - 1, max(-1, i - BEFORE - 1), -1):
                    if seq[j] in APART:
                        break
                    near.add(seq[j])
                for j in range(i + len(key), min(len(seq), i + len(key) + AFTER)):
                    if seq[j] in APART:
                        break
                    near.add(seq[j])
    return near


def _owner_runs(desc: Sequence[Word]) -> list[list[Word]]:
    """The runs of capitalized words that are neither a title's nor an adjective of origin
    ("Le Monde" in "a Le Monde journalist"): each must be an owner the texts give the name."""
    runs: list[list[Word]] = []
    run: list[Word] = []
    for w in desc:
        plain = w.fold in TITLE_WORDS or w.fold.endswith(ADJECTIVE_ENDINGS)
        if w.raw[:1].isupper() and not plain:
            run.append(w)
        elif run:
            runs.append(run)
            run = []
    return [*runs, run] if run else runs


@functools.lru_cache(maxsize=256)
def _support(
    texts: tuple[str, ...], accepted: tuple[str, ...]
) -> tuple[set[str], set[str], set[str]]:
    """The words near an accepted answer in the texts (the question last), those and the
    question's words (for a generic noun), and the accepted answers' adjectives; cached."""
    answers = [[w.fold for w in words(a)] for a in accepted]
    near = _window(_sentences(texts), answers)
    kinds = near | {w.fold for w in words(texts[-1])}
    derived = {adj for a in accepted if len(words(a)) == 1 for adj in adjectives(a)}
    return near, kinds, derived


def described(
    desc: Sequence[Word], accepted: Sequence[str], texts: Sequence[str], question: str
) -> bool:
    """Whether every content word of a description is given with the name by the item's own
    texts: near it in one sentence, an adjective of another accepted answer ("Chinese" where
    "China" is accepted), or a generic noun ("newspaper") beside a word of its kind; every
    capitalized word an owner the texts give the name ("Le Monde"); never a hedge, a word
    twice, a compass point that makes another place, nor an owner the texts do not give."""
    content = [w for w in desc if w.fold not in DESCRIBING]
    folds = [w.fold for w in content]
    if not content or len(content) > 5 or len(set(folds)) < len(folds):
        return False
    if any(f in HEDGES or f in NOT_QUALIFIERS or f in PLACE_MAKERS for f in folds):
        return False
    if any(is_numberish(f) and not (len(f) == 4 and f.isdigit()) for f in folds):
        return False  # "the four Caucasus": a number is another fact; a year may describe
    everything = (*texts, question)
    near, kinds, derived = _support(everything, tuple(accepted))
    for w in content:
        if w.fold in near or w.fold in derived:
            continue
        if w.fold in GENERIC and GENERIC[w.fold] & kinds:
            continue
        if parse_number([w]) is None and w.fold.endswith("s") and w.fold[:-1] in near:
            continue
        return False
    return all(
        any(owner_linked(run, words(a), everything) for a in accepted)
        for run in _owner_runs(content)
    )


def _near_answer(text: str, accepted: Sequence[str]) -> bool:
    """Whether a word of the text is a word of an accepted answer, or a slip for one: a cheap
    test before the costly match."""
    mine = {w.fold for w in words(text)}
    theirs = {w.fold for a in accepted for w in words(a)}
    return bool(mine & theirs) or any(typo_close(m, t) for m in mine for t in theirs)


def apposition(
    given: str,
    accepted: Sequence[str],
    texts: Sequence[str],
    question: str,
    rules: frozenset[str],
    match: Matcher,
) -> Match | None:
    """A name with a description the item's own texts give it, after it ("Benoît Vitkine, a Le
    Monde journalist", "Le Drian, then French Minister of Defense", "Vitkine of the newspaper Le
    Monde") or before it ("Le Monde journalist Vitkine", "the Chinese capital Beijing", "the
    Russian Caucasus"), or another accepted answer after a comma ("Sergei Lavrov, the Russian
    foreign minister"); never a description the texts do not give ("a Le Figaro journalist",
    "the French foreign minister" where they say defense)."""
    if DESCRIPTION not in rules or not any(a[:1].isupper() for a in accepted):
        return None
    text = normalize_passage(given).strip().rstrip(".")
    inner = rules - {DESCRIPTION, DETAIL}
    readings: list[tuple[str, Sequence[Word], bool]] = []  # (name, description, owner)
    restating: list[tuple[str, str]] = []
    for sep in _APPOSED.finditer(text):
        desc = text[sep.end() :]
        if "(" in sep.group():
            if not desc.endswith(")"):
                continue
            desc = desc[:-1]
        readings.append((text[: sep.start()], words(desc), not sep.group().strip()))
        if sep.group().strip() == ",":
            restating.append((text[: sep.start()], desc))
    ws = words(text)
    lead = 1 if ws[:1] and ws[0].fold in ("the", "a", "an") else 0
    for cut in range(lead + 1, min(len(ws), lead + 5) if not _PUNCTUATED.search(text) else 0):
        before = ws[lead:cut]
        if ws[cut].fold != "s" and not {w.fold for w in before} & NOT_BEFORE:
            # not "Le Monde's Vitkine" (the possessive rule's), "Le Monde, then Vitkine"
            readings.append((" ".join(w.raw for w in ws[cut:]), before, False))
    for head, other in restating:  # "Sergei Lavrov, the Russian foreign minister": both accepted
        if {w.fold for w in words(head)} & {w.fold for w in words(other)}:
            continue  # "Lavrov, Lavrov"
        if not (_near_answer(head, accepted) and _near_answer(other, accepted)):
            continue  # no word of an accepted answer: no need to match
        outer = match(head, inner)
        inside = match(other, inner) if outer is not None else None
        if outer is not None and inside is not None and outer.answer[:1].isupper():
            return Match(outer.answer, outer.rules | (inside.rules - {ALTERNATIVE}) | {DESCRIPTION})
    for head, desc, owner in readings:
        if not desc or not words(head) or {w.fold for w in desc} & {w.fold for w in words(head)}:
            continue  # "aa aa Caucasus": a word twice is no description
        runs = _owner_runs([w for w in desc if w.fold not in DESCRIBING])
        plain = len([w for w in desc if w.fold not in DESCRIBING]) > sum(map(len, runs))
        if (not owner and not plain) or (owner and not runs):
            continue  # "Vitkine, then Le Monde": a name alone is a second answer
        if not described(desc, accepted, texts, question) or not _near_answer(head, accepted):
            continue
        found = match(head, inner)
        if found is not None and found.answer[:1].isupper():
            return Match(found.answer, found.rules | {DESCRIPTION})
    return None


# --- numbers: a unit abbreviated, a number restated, an approximation ---------------------------

UNITS: dict[str, tuple[str, ...]] = {
    **dict.fromkeys(("yr", "yrs"), ("years", "year")),
    **dict.fromkeys(("mo", "mos", "mth", "mths"), ("months", "month")),
    **dict.fromkeys(("wk", "wks"), ("weeks", "week")),
    **dict.fromkeys(("hr", "hrs"), ("hours", "hour")),
    **dict.fromkeys(("min", "mins"), ("minutes", "minute")),
    **dict.fromkeys(("sec", "secs"), ("seconds", "second")),
    "km": ("kilometres", "kilometers", "kilometre", "kilometer"),
    "bn": ("billion",),
}
_GLUED_UNIT = re.compile(r"(?P<n>\d+(?:\.\d+)?)(?P<unit>[a-z]+)\.?(?P<rest>.*)", re.IGNORECASE)
_RESTATED_NUMBER = re.compile(r"(?P<a>[\w-]+)\s*\(\s*(?P<b>[\w-]+)\s*\)")
APPROXIMATORS = ("about", "around", "some", "approximately", "roughly", "circa", "approx", "ca")
_HOW_MANY = re.compile(r"\bhow\s+(?:many|much|long|old|far|often)\b", re.IGNORECASE)


def _units(text: str) -> list[str]:
    """The text with a unit abbreviated after a number written out ("7 yrs" -> "7 years",
    "7 years"), or no form at all."""
    ws = text.split()
    for i in range(1, len(ws)):
        unit = ws[i].rstrip(".").lower()
        if unit in UNITS and parse_number(ws[i - 1]) is not None:
            return [" ".join([*ws[:i], full, *ws[i + 1 :]]) for full in UNITS[unit]]
    m = _GLUED_UNIT.fullmatch(text)
    if m and m["unit"].lower() in UNITS:  # "7yrs"
        return [f"{m['n']} {full}{m['rest']}" for full in UNITS[m["unit"].lower()]]
    return []


def number_form(given: str, rules: frozenset[str], match: Matcher) -> Match | None:
    """A number with its unit abbreviated ("7 yrs", "6 mos", "7yrs") or restated in digits
    ("seven (7) years"): the rest must match on its own; never another number ("seven (8)")."""
    if UNIT not in rules:
        return None
    text = normalize_passage(given).strip().rstrip(".")
    forms = []
    m = _RESTATED_NUMBER.search(text)
    if m is not None:
        a, b = parse_number(m["a"]), parse_number(m["b"])
        if a is None or a != b or m["a"].isdigit() == m["b"].isdigit():
            return None  # "seven (8) years": two numbers; "7 (7)": no restatement
        text = text[: m.start()] + m["a"] + text[m.end() :]
        forms.append(text)
    forms += _units(text)
    inner = rules - {UNIT}
    for form in forms:
        found = match(form, inner)
        if found is not None:
            return Match(found.answer, found.rules | {UNIT})
    return None


def approximation(
    given: str, accepted: Sequence[str], question: str, rules: frozenset[str], match: Matcher
) -> Match | None:
    """ "about seven years", "around 7 years", "some seven years" where the question asks "how
    many / how long" and the key is a number without one: the number must match on its own.
    Never a bound ("at least 7", "over 7", "nearly 7") nor another number ("about 6")."""
    if APPROXIMATION not in rules or not _HOW_MANY.search(question):
        return None
    ws = normalize_passage(given).strip().split(maxsplit=1)
    if len(ws) < 2 or ws[0].lower().rstrip(".") not in APPROXIMATORS:
        return None
    if not any(ch.isdigit() for ch in ws[1]) and not any(
        parse_number(w) is not None for w in ws[1].split()[:3]
    ):
        return None
    if any(words(a)[:1] and words(a)[0].fold in APPROXIMATORS for a in accepted):
        return None
    found = match(ws[1], rules - {APPROXIMATION})
    if found is None:
        return None
    return Match(found.answer, found.rules | {APPROXIMATION})


def around_answer(
    given: str,
    accepted: Sequence[str],
    texts: Sequence[str],
    question: str,
    rules: frozenset[str],
    match: Matcher,
) -> Match | None:
    """The first of the rules above that accepts ``given`` (they are tried on answers that no
    other rule accepts). Each typed part is matched once (``memo``)."""
    memo: dict[tuple[str, frozenset[str]], Match | None] = {}

    def once(text: str, inner: frozenset[str]) -> Match | None:
        if (text, inner) not in memo:
            memo[text, inner] = match(text, inner)
        return memo[text, inner]

    for rule in (
        lambda: number_form(given, rules, once),
        lambda: approximation(given, accepted, question, rules, once),
        lambda: apposition(given, accepted, texts, question, rules, once),
        lambda: further_detail(given, accepted, texts, rules, once),
    ):
        found = rule()
        if found is not None:
            return found
    return None
