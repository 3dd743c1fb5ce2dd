"""Other ways to write a closed answer, each a pure function: a restatement in parentheses,
the initials of a name, a date in figures or with a part of the month, a labelled number as a
Roman numeral or an ordinal, a description the item's own texts give a name, and a place with
its compass point or a head noun ("region")."""

from __future__ import annotations

import calendar
import itertools
import re
from collections.abc import Iterable, Sequence

from ..bank.dates import parse_date
from ..bank.text import normalize_passage
from .names import adjectives
from .phrases import NOT_QUALIFIERS, _clauses
from .rules import DATE, INITIALISM, LABELLED, PLACE, _fewest
from .words import Word, fold, is_numberish, parse_number, same_words, words

# --- a restatement in parentheses: "X (Y)" ---------------------------------------------------

_PARENTHESIS = re.compile(r"^(?P<outer>[^()]*\S)\s*\((?P<inner>[^()]*\S)\s*\)$")


# "X/Y" and "X, i.e. Y": the same restatement written otherwise (never a date's slashes:
# both sides need a letter).
_SLASH = re.compile(r"^(?P<outer>[^/]*[^\W\d_][^/]*)/(?P<inner>[^/]*[^\W\d_][^/]*)$")
_THAT_IS = re.compile(
    r"^(?P<outer>.*\S)\s*,?\s+(?:i\.\s?e\.|that is|namely),?\s+(?P<inner>.*\S)$", re.I
)


def parenthesized(given: str) -> tuple[str, str] | None:
    """A typed "X (Y)", "X/Y" or "X, i.e. Y" as (X, Y), or None."""
    text = normalize_passage(given).strip()
    for pattern in (_PARENTHESIS, _SLASH, _THAT_IS):
        m = pattern.match(text)
        if m is not None and words(m.group("outer")) and words(m.group("inner")):
            return m.group("outer").strip(), m.group("inner").strip()
    return None


# --- initials: "EEU" for "Eurasian Economic Union" -------------------------------------------

# Words whose initial an acronym leaves out ("People's Republic of China": PRC).
NOT_INITIALED = frozenset(
    {"the", "of", "and", "for", "a", "an", "s", "in", "on", "at", "to", "&", "le", "la", "les",
     "de", "du", "des", "al", "el"}
)  # fmt: skip
# Two letters ("BV", "LM", "EE", "DA") are too often another name or nothing at all.
MIN_INITIALS = 3


def initials(answer: str) -> str | None:
    """The initials of a name of three capitalized content words or more, folded ("prc" for
    "People's Republic of China"), or None."""
    found = [w for w in words(answer) if w.fold not in NOT_INITIALED]
    if len(found) < MIN_INITIALS or any(not w.fold.isalpha() for w in found):
        return None
    if any(not w.raw[:1].isupper() for w in found):
        return None  # a term, not a name: "rare earth elements" has no acronym to accept
    return "".join(w.fold[0] for w in found)


def is_initialism(given: str, answer: str) -> bool:
    """Whether ``given`` is the initials of ``answer`` ("PRC", "the P.R.C.", "eeu"), in any
    case, after an optional "the"; never of a one-word answer or of another name."""
    typed = [w.fold for w in words(given)]
    if typed[:1] == ["the"]:
        typed = typed[1:]
    if len(typed) > 1 and all(len(w) == 1 for w in typed):
        typed = ["".join(typed)]  # "P.R.C."
    target = initials(answer)
    return target is not None and len(typed) == 1 and typed[0].isalpha() and typed[0] == target


# --- dates: "01/09/2004", "the 1st of September 2004", "September 1-3, 2004", "late ..." ------

_MONTH_NAME = (
    r"(?P<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_ON = r"^(?:(?:on|in|from)\s+)?"
_NUMERIC = re.compile(_ON + r"(?P<a>\d{1,2})(?P<sep>[/.-])(?P<b>\d{1,2})(?P=sep)(?P<year>\d{4})$")
_NTH_OF = re.compile(
    _ON + r"(?:the\s+)?(?P<day>[a-z0-9-]+)\s+of\s+" + _MONTH_NAME + r",?\s+(?P<year>\d{4})$",
    re.IGNORECASE,
)
_RANGE_MONTH_FIRST = re.compile(
    _MONTH_NAME + r"\s+(?P<d1>\d{1,2})\s*[-–]\s*(?P<d2>\d{1,2}),?\s+(?P<year>\d{4})",
    re.IGNORECASE,
)
_RANGE_DAY_FIRST = re.compile(
    r"(?P<d1>\d{1,2})\s*[-–]\s*(?P<d2>\d{1,2})\s+" + _MONTH_NAME + r",?\s+(?P<year>\d{4})",
    re.IGNORECASE,
)
# Parts of a month a student may name for a month and year ("late February 2020").
_PART_OF_MONTH = re.compile(
    _ON + r"(?:the\s+)?(?:early|mid|late|end\s+of|beginning\s+of|start\s+of|middle\s+of)"
    r"[\s-]+(?:of\s+)?" + _MONTH_NAME + r",?\s+(?:of\s+)?(?P<year>\d{4})$",
    re.IGNORECASE,
)


def _month(name: str) -> int:
    return next(m for m in range(1, 13) if calendar.month_name[m].lower().startswith(name[:3]))


def _valid(year: int, month: int, day: int) -> bool:
    return 1 <= month <= 12 and 1 <= day <= calendar.monthrange(year, month)[1]


def _ranges(texts: Iterable[str]) -> set[tuple[int, int, int, int]]:
    """Every day range the texts give ("September 1-3, 2004"), as (year, month, first, last)."""
    found = set()
    for text in texts:
        for pattern in (_RANGE_MONTH_FIRST, _RANGE_DAY_FIRST):
            for m in pattern.finditer(normalize_passage(text)):
                found.add((int(m["year"]), _month(m["month"].lower()), int(m["d1"]), int(m["d2"])))
    return found


def date_form(given: str, key: str, context: Sequence[str] = ()) -> bool:
    """Whether ``given`` writes the key's date another way: a full date in figures, day or month
    first ("01/09/2004", "9.1.2004"), one of its readings the key's date; "the 1st of September
    2004"; a range that starts on the key's date when the item's own texts give that range; or,
    for a month and year, a part of that month ("late February 2020")."""
    kd = parse_date(key)
    if kd is None or kd.month is None or kd.approximate:
        return False
    text = normalize_passage(given).strip().rstrip(".")
    if kd.day is None:
        m = _PART_OF_MONTH.match(text)
        return bool(m) and (int(m["year"]), _month(m["month"].lower())) == (kd.year, kd.month)
    target = (kd.year, kd.month, kd.day)
    if m := _NUMERIC.match(text):
        a, b, year = int(m["a"]), int(m["b"]), int(m["year"])
        readings = {(year, mm, dd) for dd, mm in ((a, b), (b, a)) if _valid(year, mm, dd)}
        return target in readings
    if m := _NTH_OF.match(text):
        day = parse_number(m["day"])
        return (
            day is not None
            and day[0] == day[0].to_integral_value()
            and (int(m["year"]), _month(m["month"].lower()), int(day[0])) == target
        )
    for pattern in (_RANGE_MONTH_FIRST, _RANGE_DAY_FIRST):
        m = pattern.fullmatch(re.sub(_ON, "", text, flags=re.IGNORECASE))
        if m is None:
            continue
        span = (int(m["year"]), _month(m["month"].lower()), int(m["d1"]), int(m["d2"]))
        return span[:3] == target and span[3] > span[2] and span in _ranges(context)
    return False


# --- a numbered label: "Article IV", "the fourth article" for "Article 4" --------------------

LABEL_WORDS = {"article": "article", "art": "article", "section": "section",
               "chapter": "chapter", "clause": "clause", "paragraph": "paragraph",
               "para": "paragraph", "point": "point", "amendment": "amendment"}  # fmt: skip
_ROMAN = re.compile(r"^m{0,3}(cm|cd|d?c{0,3})(xc|xl|l?x{0,3})(ix|iv|v?i{0,3})$")
_ROMAN_VALUES = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100, "d": 500, "m": 1000}


def roman(token: str) -> int | None:
    """The value of a Roman numeral ("IV", "xiv"), or None."""
    t = fold(token)
    if not t or not _ROMAN.match(t):
        return None
    total = 0
    for i, ch in enumerate(t):
        v = _ROMAN_VALUES[ch]
        total += -v if i + 1 < len(t) and _ROMAN_VALUES[t[i + 1]] > v else v
    return total


def _label_of(key: Sequence[Word], question: str, context: Sequence[str]) -> tuple[str, int] | None:
    """The label and number of a key that numbers something: "Article 4", or "4" where the
    question asks for a label ("Which article ...") or the item's texts say "Article 4"."""
    if key and key[0].fold in LABEL_WORDS:
        n = parse_number(key[1:])
        if n is None or n[1] or n[0] != n[0].to_integral_value():
            return None
        return LABEL_WORDS[key[0].fold], int(n[0])
    n = parse_number(key)
    if n is None or n[1] or n[0] != n[0].to_integral_value() or n[0] < 1:
        return None
    for w in words(question):
        if w.fold in LABEL_WORDS:
            return LABEL_WORDS[w.fold], int(n[0])
    for text in context:
        ws = words(text)
        for a, b in itertools.pairwise(ws):
            if a.fold in LABEL_WORDS and parse_number([b]) == n:
                return LABEL_WORDS[a.fold], int(n[0])
    return None


def labelled_number(given: str, key: str, question: str = "", context: Sequence[str] = ()) -> bool:
    """Whether ``given`` names the key's numbered label by a Roman numeral or an ordinal
    ("Article IV", "IV", "4th", "the fourth article", "the fourth" for "Article 4" or for "4"
    asked as "Which article"). Never another number, another label, or an ordinal for a count
    ("4th" is not "4 people"; a key without a label is a count unless the item names one)."""
    label = _label_of(words(key), question, context)
    if label is None:
        return False
    name, value = label
    ws = list(words(given))
    if ws[:1] and ws[0].fold in ("the", "its"):
        ws = ws[1:]
    before = after = None
    if ws[:1] and ws[0].fold in LABEL_WORDS:
        before, ws = LABEL_WORDS[ws[0].fold], ws[1:]
    elif len(ws) == 2 and ws[1].fold in LABEL_WORDS:
        after, ws = LABEL_WORDS[ws[1].fold], ws[:1]
    if any(x is not None and x != name for x in (before, after)):
        return False
    if len(ws) != 1:
        return False
    r = roman(ws[0].raw)
    if r is not None:
        return after is None and r == value  # "IV article" is not English
    n = parse_number(ws)
    return n is not None and n[1] and n[0] == value  # an ordinal: "4th", "fourth"


# --- a description the item's own texts give a name --------------------------------------------

MAX_DESCRIBING = 3
_MONTHS = frozenset(calendar.month_name[m].lower() for m in range(1, 13)) | frozenset(
    calendar.month_abbr[m].lower() for m in range(1, 13)
)
MAX_APART = 5  # words between a description's word and the name, in the texts
# Words that make another place of a place ("Western Europe", "Central Asia", "Greater Syria").
PLACE_MAKERS = frozenset(
    {"north", "south", "east", "west", "northern", "southern", "eastern", "western", "central",
     "middle", "upper", "lower", "inner", "outer", "greater", "near", "far", "northeast",
     "northwest", "southeast", "southwest", "new", "old", "little"}
)  # fmt: skip
_JOINED_DASH = re.compile(r"(?<=\w)[–—-](?=\w)")


def described(description: Sequence[Word], key: Sequence[Word], texts: Iterable[str]) -> bool:
    """Whether one clause of the item's own texts names the key with every word of the
    description ("French", "daily" and "newspaper" where the texts say "Le Monde is a French
    daily newspaper"); a description with a function word ("and", "not", "of"), or with words
    the texts do not use with the key, is none."""
    content = [w.fold for w in description]
    if not content or len(content) > MAX_DESCRIBING or len(set(content)) < len(content):
        return False  # "aa aa Caucasus": a word once
    if any(w in NOT_QUALIFIERS for w in content):
        return False  # "Afghanistan and Europe", "not Europe": a second answer or a negation
    if any(w in PLACE_MAKERS for w in content):
        return False  # "Western Europe" is another place than "Europe"
    if any(not _describing(w) for w in description):
        return False  # "Moscow (Beijing)", "the Iran China": another name is no description
    target = tuple(w.fold for w in key)
    n = len(target)
    for text in texts:
        # a dash inside a word joins ("US–Taliban"); elsewhere it ends the clause
        for clause in _clauses(_JOINED_DASH.sub(" ", normalize_passage(text))):
            for i in range(len(clause) - n + 1):
                if clause[i : i + n] != target:
                    continue
                near = clause[max(0, i - MAX_APART) : i + n + MAX_APART]
                if all(
                    w in near and _joined(clause, clause.index(w, max(0, i - MAX_APART)), i)
                    for w in content
                ):
                    return True
    return False


# Words that set a name apart from the words around it ("Moscow and Beijing", "not X but Y").
APART = frozenset({"and", "or", "nor", "but", "than", "unlike", "like", "versus", "vs", "not"})
# Endings of an adjective of origin ("French", "English", "Russian", "Chinese", "American").
# Not "-an" or "-i" alone: "Iran", "Kyrgyzstan", "Taliban", "Mali" are names.
ADJECTIVE_ENDINGS = ("ch", "sh", "ese", "ish", "ian", "ean", "ican", "ic")


def _describing(word: Word) -> bool:
    """A word that may describe a name: lower-case, a year, a month, or a capitalized
    adjective of origin; never another name ("Beijing", "Iran") nor another number ("four")."""
    if is_numberish(word.fold):
        return len(word.fold) == 4 and word.fold.isdigit()  # a year ("the 2020 Doha agreement")
    if not word.raw[:1].isupper():
        return True
    return word.fold in _MONTHS or word.fold.endswith(ADJECTIVE_ENDINGS)


def _joined(clause: Sequence[str], at: int, key_at: int) -> bool:
    """No "and", "or", "but", "not"... between the description's word and the name."""
    lo, hi = sorted((at, key_at))
    return not any(w in APART for w in clause[lo:hi])


# --- places: compass forms and a head noun ------------------------------------------------------

COMPASS = {"northern": "north", "southern": "south", "eastern": "east", "western": "west"}
# A head noun after a place: the place as a whole or its administrative units, in the plural
# ("the Caucasus republics", "its Caucasus oblasts"; "the Caucasus republic" is one of them).
REGION_NOUNS = frozenset(
    {"region", "regions", "area", "areas", "oblasts", "republics", "provinces", "territories",
     "districts"}
)  # fmt: skip


def compass_form(ws: Sequence[Word]) -> tuple[Word, ...]:
    """The words with compass adjectives as their point ("Northern" -> "North") and
    "East-Central" as "Central and East": the same place, never another point."""
    out = [
        Word(COMPASS[w.fold].capitalize() if w.raw[:1].isupper() else COMPASS[w.fold],
             COMPASS[w.fold]) if w.fold in COMPASS else w
        for w in ws
    ]  # fmt: skip
    for i in range(len(out) - 1):
        if out[i].fold == "east" and out[i + 1].fold == "central":
            out[i : i + 2] = [out[i + 1], Word("and", "and"), out[i]]
            break
    return tuple(out)


def place_form(
    given: Sequence[Word], key: Sequence[Word], mode: str, rules: frozenset[str]
) -> set[str] | None:
    """A place with its compass point written another way ("Northern Caucasus" for "North
    Caucasus", "East-Central Europe" for "Central and Eastern Europe") or with a head noun
    ("the Caucasus region"); never another point ("South" is not "North")."""
    if mode != "fuzzy" or not key or not key[-1].raw[:1].isupper():
        return None
    inner = rules - {PLACE}
    found: list[set[str] | None] = []
    if len(given) > 1 and given[-1].fold in REGION_NOUNS:
        head = given[:-1]
        tags = same_words(head, key, mode, inner)
        if tags is None:
            tags = same_words(compass_form(head), compass_form(key), mode, inner)
        if tags is None and head[-1].fold in adjectives(key[-1].raw):
            # the place's adjective: "the Central Asian region", "North Caucasian republics"
            before, key_before = compass_form(head[:-1]), compass_form(key[:-1])
            both = before or key_before
            tags = same_words(before, key_before, mode, inner) if both else set()
        found.append(tags)
    g, k = compass_form(given), compass_form(key)
    if (g, k) != (tuple(given), tuple(key)):
        found.append(same_words(g, k, mode, inner))
    tags = _fewest(found)
    return None if tags is None else tags | {PLACE}


def other_forms(
    given: str,
    key: str,
    mode: str,
    context: Sequence[str],
    question: str,
    rules: frozenset[str],
) -> set[str] | None:
    """The whole answer written another way: its initials, a date in figures or with a part of
    the month, a numbered label as a Roman numeral or an ordinal."""
    if INITIALISM in rules and mode == "fuzzy" and is_initialism(given, key):
        return {INITIALISM}
    if DATE in rules and date_form(given, key, context):
        return {DATE}
    if LABELLED in rules and labelled_number(given, key, question, context):
        return {LABELLED}
    return None
