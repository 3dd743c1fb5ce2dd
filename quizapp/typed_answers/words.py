"""Words and numbers: a typed text as words, numbers in digits or words, and one word against
another (case, typo, plural, number words).
"""

from __future__ import annotations

import calendar
import functools
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from rapidfuzz.distance import OSA

from ..bank.dates import parse_date
from ..bank.text import normalize_passage
from .rules import CASE, INITIAL, NUMBER, PLURAL, RULES, TYPO

_TOKEN = re.compile(
    r"(?:(?<!\S)[+-])?(?:[0-9]{1,3}(?:[,\u00a0\u202f\u2009 ][0-9]{3})+|[0-9]+)(?:\.[0-9]+)?"
    r"(?:st|nd|rd|th)?(?![^\W_])"
    r"|[^\W_]+",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Word:
    raw: str
    fold: str


@functools.lru_cache(maxsize=8192)
def fold(text: str) -> str:
    """Case and accents folded, nothing else: "São" -> "sao"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return unicodedata.normalize(
        "NFC", "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    )


def words(text: str) -> tuple[Word, ...]:
    """The words and numbers of a text; punctuation and spacing only separate them."""
    text = unicodedata.normalize("NFC", normalize_passage(text))
    return tuple(Word(m.group(), fold(m.group())) for m in _TOKEN.finditer(text))


def _clean(text: str) -> str:
    """The text as typed, less spacing, quote styles and a closing period or question mark."""
    return normalize_passage(text).rstrip(".!?;: ").strip()


# --- numbers -------------------------------------------------------------------------------

_UNITS = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
_TENS = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
_UNIT_ORD = [
    "zeroth",
    "first",
    "second",
    "third",
    "fourth",
    "fifth",
    "sixth",
    "seventh",
    "eighth",
    "ninth",
    "tenth",
    "eleventh",
    "twelfth",
    "thirteenth",
    "fourteenth",
    "fifteenth",
    "sixteenth",
    "seventeenth",
    "eighteenth",
    "nineteenth",
]
_TENS_ORD = [
    "twentieth",
    "thirtieth",
    "fortieth",
    "fiftieth",
    "sixtieth",
    "seventieth",
    "eightieth",
    "ninetieth",
]
_SCALES = {"thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
_SCALE_ORD = {"hundredth": 100, "thousandth": 1_000, "millionth": 1_000_000}

_SMALL: dict[str, int] = {w: i for i, w in enumerate(_UNITS)} | {
    w: 20 + 10 * i for i, w in enumerate(_TENS)
}
_SMALL_ORD: dict[str, int] = {w: i for i, w in enumerate(_UNIT_ORD)} | {
    w: 20 + 10 * i for i, w in enumerate(_TENS_ORD)
}
NUMBER_WORDS: frozenset[str] = frozenset(
    [*_SMALL, *_SMALL_ORD, "hundred", *_SCALES, *_SCALE_ORD, "dozen"]
)
_ORDINAL_SUFFIX = re.compile(r"^(.*[0-9])(st|nd|rd|th)$", re.IGNORECASE)

Number = tuple[Decimal, bool]  # (value, is an ordinal)


def _suffix_fits(n: int, suffix: str) -> bool:
    if n % 100 in (11, 12, 13):
        return suffix == "th"
    return suffix == {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")


def _digits(token: str) -> Number | None:
    """A number written in digits: "2,003", "1 000", "2.50", "-5", "21st"."""
    ordinal = False
    m = _ORDINAL_SUFFIX.match(token)
    if m:
        token, suffix = m.group(1), m.group(2).lower()
        ordinal = True
    try:
        value = Decimal(re.sub(r"[,\u00a0\u202f\u2009 ]", "", token))
    except InvalidOperation:
        return None
    if not value.is_finite():
        return None
    if ordinal and (value != value.to_integral_value() or value < 0):
        return None
    if ordinal and not _suffix_fits(int(value), suffix):
        return None
    return value, ordinal


def _below_thousand(tokens: list[str]) -> tuple[int, bool] | None:
    """ "seven", "twenty one", "two hundred and five", "a hundred", "fourth", "hundredth"."""
    if not tokens:
        return None
    total, ordinal, i = 0, False, 0
    if len(tokens) >= 2 and tokens[1] in ("hundred", "hundredth"):
        head = 1 if tokens[0] in ("a", "one") else _SMALL.get(tokens[0])
        if head is None or not 1 <= head <= 9:
            return None
        total, ordinal, i = head * 100, tokens[1] == "hundredth", 2
        if i < len(tokens) and tokens[i] == "and":
            i += 1
            if i == len(tokens):
                return None
        if i == len(tokens):
            return total, ordinal
        if ordinal:
            return None
    rest = tokens[i:]
    if len(rest) == 1:
        if rest[0] in _SMALL:
            return total + _SMALL[rest[0]], False
        if rest[0] in _SMALL_ORD:
            return total + _SMALL_ORD[rest[0]], True
        return None
    if len(rest) == 2 and rest[0] in _TENS:
        tens = _SMALL[rest[0]]
        if rest[1] in _UNITS[1:10]:
            return total + tens + _SMALL[rest[1]], False
        if rest[1] in _UNIT_ORD[1:10]:
            return total + tens + _SMALL_ORD[rest[1]], True
    return None


def _number_words(tokens: list[str]) -> tuple[int, bool] | None:
    """A whole number in English words, up to the billions; years read in pairs too."""
    if not tokens or any(t not in NUMBER_WORDS and t not in ("and", "a") for t in tokens):
        return None
    total, start, last_scale = 0, 0, 0
    for i, t in enumerate(tokens):
        scale = _SCALES.get(t) or (_SCALE_ORD[t] if t in ("thousandth", "millionth") else 0)
        if not scale:
            continue
        head = tokens[start:i]
        group = (1, False) if head == ["a"] else _below_thousand(head)
        if group is None or group[1] or (last_scale and scale >= last_scale):
            return None
        total, last_scale, start = total + group[0] * scale, scale, i + 1
        if t in _SCALE_ORD:
            return (total, True) if start == len(tokens) else None
        if start < len(tokens) - 1 and tokens[start] == "and":
            start += 1
    if start == len(tokens):
        return (total, False) if last_scale else None
    rest = _below_thousand(tokens[start:])
    if rest is not None:
        return total + rest[0], rest[1]
    if not last_scale and "hundred" not in tokens:
        # "nineteen eighty-nine", "twenty twenty-one": a year read in two pairs
        for cut in range(1, len(tokens)):
            high, low = _below_thousand(tokens[:cut]), _below_thousand(tokens[cut:])
            if high and low and not high[1] and 10 <= high[0] <= 99 and 10 <= low[0] <= 99:
                return high[0] * 100 + low[0], low[1]
    return None


def parse_number(text: str | Sequence[Word]) -> Number | None:
    """The number a whole answer states, in digits or words; None if it is not just a number."""
    ws = words(text) if isinstance(text, str) else tuple(text)
    if len(ws) == 1 and ws[0].fold[:1] in tuple("+-0123456789"):
        return _digits(ws[0].fold)
    found = _number_words([w.fold for w in ws])
    return (Decimal(found[0]), found[1]) if found else None


# --- one word against another ---------------------------------------------------------------


def _edits_allowed(word: str) -> int:
    if len(word) <= 4:
        return 0
    return 1 if len(word) <= 9 else 2


def is_numberish(word: str) -> bool:
    return (
        any(ch.isdigit() for ch in word)
        or word in NUMBER_WORDS
        or bool(_singulars(word) & NUMBER_WORDS)
    )


def _singulars(word: str) -> set[str]:
    """What a regular English plural could be the plural of: "countries" -> country, countrie."""
    found = set()
    if word.endswith("s") and not word.endswith("ss"):
        found.add(word[:-1])  # Kurds, pies, earths
        if word.endswith("es") and word[:-2].endswith(("s", "x", "z", "ch", "sh")):
            found.add(word[:-2])  # churches, taxes
        if word.endswith("ies"):
            found.add(word[:-3] + "y")  # countries
    return found


def plural_pair(a: str, b: str) -> bool:
    """Whether one word is the other's regular plural ("Kurd"/"Kurds", "country"/"countries")."""
    a, b = fold(a), fold(b)
    if a == b or not (a.isalpha() and b.isalpha()):
        return False
    short, long_ = sorted((a, b), key=len)
    return len(short) >= 3 and short in _singulars(long_)


_DERIVING = ("i", "an", "ian", "ese", "ish", "ic")  # Pakistan-i, Kazakhstan-i, Afghan-ian...


def derived_form(a: str, b: str) -> bool:
    """Whether one word is the other's adjective or demonym by a suffix ("Russia"/"Russian",
    "Pakistan"/"Pakistani"): another word, not a slip; only a listed alternative accepts it."""
    short, long_ = sorted((fold(a), fold(b)), key=len)
    suffix = long_[len(short) :]
    return long_.startswith(short) and (
        suffix in _DERIVING or (suffix == "n" and short.endswith("a"))
    )


def typo_close(given: str, accepted: str) -> bool:
    """Within the edits a word of the accepted answer's length allows, the first letter kept
    (a different first letter makes another name: "Gambia", "Prussia"); never for numbers."""
    given, accepted = fold(given), fold(accepted)
    if given == accepted or given[:1] != accepted[:1]:
        return False
    if is_numberish(given) or is_numberish(accepted) or derived_form(given, accepted):
        return False
    allowed = _edits_allowed(accepted)
    return allowed > 0 and OSA.distance(given, accepted, score_cutoff=allowed) <= allowed


def _word_rules(g: Word, a: Word, last: bool, mode: str, rules: frozenset[str]) -> set[str] | None:
    if g.raw == a.raw:
        return set()
    if g.fold == a.fold:
        return {CASE} if CASE in rules else None
    if is_numberish(g.fold) or is_numberish(a.fold):
        ng, na = parse_number([g]), parse_number([a])
        if NUMBER in rules and ng is not None and ng == na:
            return {NUMBER}
        return None
    if mode != "fuzzy":
        return None
    if (
        not last
        and INITIAL in rules
        and len(g.fold) == 1
        and len(a.fold) > 1
        and a.raw[:1].isupper()
        and g.fold == a.fold[0]
    ):
        return {INITIAL}  # "S. Lavrov" for "Sergei Lavrov"; never the last name
    if last and PLURAL in rules and plural_pair(g.fold, a.fold):
        return {PLURAL}
    if TYPO in rules and typo_close(g.fold, a.fold):
        return {TYPO}
    return None


_FULL_MONTHS = tuple(calendar.month_name[m].lower() for m in range(1, 13))


def _months_spelled(ws: Sequence[Word]) -> tuple[tuple[Word, ...], bool]:
    """The words with a misspelt month name put right ("Febuary" -> "February"; one slip in a
    name of five letters or more, its first letter kept), and whether one was."""
    out, slipped = [], False
    for w in ws:
        near = [
            m for m in _FULL_MONTHS
            if len(w.fold) >= 4 and w.fold != m and m[0] == w.fold[:1] and len(m) >= 5
            and OSA.distance(w.fold, m, score_cutoff=1) <= 1
        ]  # fmt: skip
        if len(near) == 1 and w.fold not in _FULL_MONTHS:
            out.append(Word(near[0].capitalize(), near[0]))
            slipped = True
        else:
            out.append(w)
    return tuple(out), slipped


def same_words(
    given: Sequence[Word], accepted: Sequence[Word], mode: str, rules: frozenset[str] = RULES
) -> set[str] | None:
    """The rules that make two phrases the same, word by word (or as one number), or None."""
    if not given or not accepted:
        return None
    if mode == "exact" and NUMBER in rules:
        typed, slipped = _months_spelled(given) if TYPO in rules else (given, False)
        dg = parse_date(" ".join(w.raw for w in typed))
        da = parse_date(" ".join(w.raw for w in accepted))
        if (
            dg
            and da
            and dg.month is not None
            and (dg.year, dg.month, dg.day) == (da.year, da.month, da.day)
        ):
            # "Sept 1, 2004" = "1 September 2004"; "February of 2020", "02/2020", "Febuary 2020"
            found = set() if dg.text == da.text else {NUMBER}
            return found | {TYPO} if slipped else found
    ng, na = parse_number(given), parse_number(accepted)
    if ng is not None and na is not None:
        if ng != na:
            return None
        if [w.raw for w in given] == [w.raw for w in accepted]:
            return set()
        return {NUMBER} if NUMBER in rules else None
    if len(given) == len(accepted):
        found: set[str] = set()
        for i, (g, a) in enumerate(zip(given, accepted, strict=True)):
            tags = _word_rules(g, a, i == len(given) - 1, mode, rules)
            if tags is None:
                break
            found |= tags
        else:
            return found
    if (
        mode == "fuzzy"
        and TYPO in rules
        and len(given) != len(accepted)
        and "".join(w.fold for w in given) == "".join(w.fold for w in accepted)
    ):
        return {TYPO}  # "Guten berg", "JohannesGutenberg"
    return None
