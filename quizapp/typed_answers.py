"""Typed answers a teacher would accept: each rule a pure function, and which rule accepted.

``match_answer(given, accepted, mode, context)`` compares what a student typed in one blank with
the blank's accepted answers (the first is *the* answer, the others listed alternatives) and
returns a ``Match`` naming every rule it needed, or None. The rules, each switchable (``rules=``)
so that a test can show every one of them is needed:

- exact: the answer as written (spacing, quote styles and a closing period aside).
- alternative: another answer the content lists (``{{answer|alt}}``).
- case/accents: other capitals, accents or punctuation ("sao paulo" for "São Paulo").
- typo (fuzzy blanks): per word, 1-4 letters exact, 5-9 one edit, 10+ two ("Lavrof"), the
  first letter kept ("Gambia" is not "Zambia", "Prussia" not "Russia"), or the same letters
  spaced otherwise ("Guten berg"); never in digits or number words ("three" is not "there",
  "sixty" not "sixth"), nor a demonym or adjective by its suffix ("Russian" for "Russia",
  "Pakistani" for "Pakistan": a listed alternative decides that).
- plural (fuzzy blanks): the last word in the singular or plural ("Kurd" for "Kurds", "rare
  earth" for "rare earths"; -s, -es, -y/-ies); never a number word.
- number words: the same number in digits or words ("seven" = "7", "twenty-one" = "21", "two
  thousand and three" = "2003", "nineteen eighty-nine", "2,003"), ordinals as ordinals
  ("fourth" = "4th"; "4th" is not "4"); another number is never accepted.
- frame: a leading preposition or article ("the Europeans", "in Kabul"; years and numbers:
  "in/on/since/from/during 2003") and a label before a number ("Article 5" = "5", "the year
  2003"), added or dropped but never swapped ("Section 5" is not "Article 5"); the core must
  match on its own, so "Article 6" is not "5" and "2003 or 2004" is not "2003".
- qualifier (fuzzy blanks): the whole answer plus ONE word that stands right next to it, on
  the same side and in the same clause, in the item's own quote or explanation ("North
  Caucasus" when the explanation says "Russia's North Caucasus republics", "Dubrovka
  theater"); never a negation, conjunction, preposition, article, auxiliary verb, pronoun or
  other function word, "other", "former" and the like (``NOT_QUALIFIERS``), nor a number.
- any order: a key that lists parts ("China and Iran", "copper, rare earths") takes the same
  parts in any order, joined by "and", commas (serial comma or not), ";", "&", "+", "as well
  as" or "plus"; "or" only where the key itself says "or" (and never "and" for an "or" key);
  as many parts as the key, each matched by the rules above.

- synonym (fuzzy blanks): the last word of an answer of two or more words swapped for a common
  synonym of the same generic noun (``SYNONYMS``: "Doha accord" for "Doha agreement", "Central
  Asian nations" for "Central Asian states"); the other words must match on their own.
- of-phrase (fuzzy blanks): "X of Y" typed as "Y X" and back ("security guarantee" for
  "guarantee of security"), the words themselves matched by the rules above.
- question's words (fuzzy blanks): the answer inside up to three words the question itself uses
  (lower-case words, not names or numbers) and the small words that join them ("a game of cat
  and mouse" for "cat and mouse" when the question asks "what kind of game"; "for seven years"
  when it asks "for how many years"); never a negation, a contrast ("rather than", "unlike")
  or a second answer joined by "and"/"or".

Rules combine ("the Iran & Chna": frame, any order, typo); the match with the fewest rules wins.
Exact blanks (years, dates, numbers) use every rule except typo, plural and qualifier.
"""

from __future__ import annotations

import functools
import itertools
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from rapidfuzz.distance import OSA

from .bank.dates import parse_date
from .bank.text import BLANK, normalize_passage

EXACT = "exact"
ALTERNATIVE = "alternative"
CASE = "case/accents"
TYPO = "typo"
PLURAL = "plural"
NUMBER = "number words"
FRAME = "frame"
QUALIFIER = "qualifier"
CONTINUED = "essay's words"
ANY_ORDER = "any order"
SYNONYM = "synonym"
OF_PHRASE = "of-phrase"
ECHO = "question's words"

# Display order, most telling first; every rule but "exact" can be switched off.
RULE_ORDER: tuple[str, ...] = (
    ALTERNATIVE,
    ANY_ORDER,
    ECHO,
    OF_PHRASE,
    SYNONYM,
    FRAME,
    QUALIFIER,
    CONTINUED,
    NUMBER,
    PLURAL,
    TYPO,
    CASE,
)
RULES: frozenset[str] = frozenset(RULE_ORDER)

PLAIN: dict[str, str] = {
    ALTERNATIVE: "another answer the question accepts",
    ANY_ORDER: "the same parts in another order or joined differently",
    ECHO: "the answer inside words of the question itself",
    OF_PHRASE: "the same words with “of” turned around (“guarantee of security”)",
    SYNONYM: "a common synonym of the answer's last word (“accord” for “agreement”)",
    FRAME: "the answer with a word such as “the”, “in” or “Article” added or left out",
    QUALIFIER: "the answer with one more word the essay itself uses with it",
    CONTINUED: "the answer followed by the essay's own next words",
    NUMBER: "the same number written another way",
    PLURAL: "the singular or plural of the answer",
    TYPO: "a small spelling slip",
    CASE: "other capitals, accents or punctuation",
}


@dataclass(frozen=True)
class Match:
    """A typed answer accepted: the accepted answer it matched and the rules it needed."""

    answer: str
    rules: frozenset[str]

    @property
    def exact(self) -> bool:
        return not self.rules

    @property
    def names(self) -> tuple[str, ...]:
        """The rules, in display order; ``("exact",)`` for an exact answer."""
        return tuple(r for r in RULE_ORDER if r in self.rules) or (EXACT,)

    @property
    def note(self) -> str | None:
        return note_for(self.names)


def note_for(names: Iterable[str]) -> str | None:
    """Plain words for a non-exact acceptance ("Accepted: a small spelling slip"), else None."""
    words = [PLAIN[n] for n in RULE_ORDER if n in set(names)]
    return "Accepted: " + "; ".join(words) if words else None


# --- words ---------------------------------------------------------------------------------

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
    if last and PLURAL in rules and plural_pair(g.fold, a.fold):
        return {PLURAL}
    if TYPO in rules and typo_close(g.fold, a.fold):
        return {TYPO}
    return None


def same_words(
    given: Sequence[Word], accepted: Sequence[Word], mode: str, rules: frozenset[str] = RULES
) -> set[str] | None:
    """The rules that make two phrases the same, word by word (or as one number), or None."""
    if not given or not accepted:
        return None
    if mode == "exact" and NUMBER in rules:
        dg = parse_date(" ".join(w.raw for w in given))
        da = parse_date(" ".join(w.raw for w in accepted))
        if (
            dg
            and da
            and dg.day is not None
            and (dg.year, dg.month, dg.day)
            == (
                da.year,
                da.month,
                da.day,
            )
        ):
            return set() if dg.text == da.text else {NUMBER}  # "Sept 1, 2004" = "1 September 2004"
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


# --- frames: an article, a preposition, a label --------------------------------------------

# Articles, and possessives that add nothing to a term ("its security" for "security").
ARTICLES = frozenset({"the", "a", "an", "le", "la", "les", "l", "its", "their", "his", "her"})
PREPOSITIONS = {
    "fuzzy": frozenset({"in", "at", "on", "to", "into", "from", "of", "for", "with", "by"}),
    "exact": frozenset({"in", "on", "since", "from", "during", "for"}),
}
LABELS = {
    "article": "article",
    "art": "article",
    "section": "section",
    "chapter": "chapter",
    "clause": "clause",
    "paragraph": "paragraph",
    "para": "paragraph",
    "number": "number",
    "no": "number",
    "nr": "number",
    "year": "year",
}


# A title before a name ("President Obama", "General de Gaulle") may be added or dropped.
TITLES = frozenset(
    {"president", "mr", "mrs", "ms", "dr", "general", "chancellor", "minister", "sir", "king",
     "queen", "prince", "pope", "senator", "governor", "secretary"}
)  # fmt: skip
MONTHS = frozenset(
    {"january", "february", "march", "april", "may", "june", "july", "august", "september",
     "october", "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
     "sept", "oct", "nov", "dec"}
)  # fmt: skip
_DAY = re.compile(r"^\d{1,2}(?:st|nd|rd|th)?$")
_YEAR = re.compile(r"^\d{3,4}$")


def dated_year(ws: Sequence[Word]) -> Word | None:
    """The year of a full date typed for a year ("October 2002", "23 October 2002",
    "October 23, 2002"), or None when the words are not such a date."""
    folds = [w.fold for w in ws]
    if len(folds) < 2 or not _YEAR.match(folds[-1]):
        return None
    rest = folds[:-1]
    if rest and _DAY.match(rest[-1]) and len(rest) >= 2 and rest[-2] in MONTHS:
        rest = rest[:-2]  # October 23 2002
    elif rest and rest[-1] in MONTHS:
        rest = rest[:-1]  # (23) October 2002
        if rest and _DAY.match(rest[-1]):
            rest = rest[:-1]
    else:
        return None
    return ws[-1] if not rest else None


@dataclass(frozen=True)
class Framed:
    frame: frozenset[str]  # the canonical frame words, articles left out
    article: bool
    core: tuple[Word, ...]


def frames(ws: Sequence[Word], mode: str, *, typed: bool = False) -> list[Framed]:
    """Every way to read a phrase as [preposition] [article] [label] core; the bare phrase first.

    A label ("Article", "year") only frames a number; the core is never empty. What a
    student ``typed`` may also wrap a year in a full date ("October 2002" for "2002"), and a
    name in a title ("President Obama").
    """
    preps = PREPOSITIONS.get(mode, PREPOSITIONS["fuzzy"])
    out = [Framed(frozenset(), False, tuple(ws))]
    i, frame, article = 0, set(), False
    if i < len(ws) and ws[i].fold in preps:
        frame.add(ws[i].fold)
        i += 1
        out.append(Framed(frozenset(frame), article, tuple(ws[i:])))
    if i < len(ws) and ws[i].fold in ARTICLES:
        article = True
        i += 1
        out.append(Framed(frozenset(frame), article, tuple(ws[i:])))
    if i < len(ws) and ws[i].fold in LABELS and parse_number(ws[i + 1 :]) is not None:
        frame.add(LABELS[ws[i].fold])
        i += 1
        out.append(Framed(frozenset(frame), article, tuple(ws[i:])))
    if typed and mode == "exact":
        year = dated_year(ws[i:])
        if year is not None:
            out.append(Framed(frozenset(frame | {"date"}), article, (year,)))
    if typed and mode != "exact" and i < len(ws) - 1 and ws[i].fold in TITLES:
        out.append(Framed(frozenset(frame | {"title"}), article, tuple(ws[i + 1 :])))
    return [f for f in out if f.core]


def frames_compatible(given: frozenset[str], accepted: frozenset[str]) -> bool:
    """A frame may be added or dropped, never swapped ("Section 5" is not "Article 5")."""
    return given <= accepted or accepted <= given


# --- a qualifier from the item's own texts -------------------------------------------------

_CLAUSE = re.compile(r"[.,;:!?()\[\]{}\"“”«»—–]|\s-\s|'s\b|’s\b")
NOT_QUALIFIERS = frozenset(
    {
        "not", "no", "non", "nor", "never", "neither", "either", "without", "except", "anti",
        "and", "or", "but", "than", "versus", "vs", "other", "others", "another", "former", "ex",
        "pseudo", "so", "called", "nearly", "almost", "half", "semi", "against", "instead",
        "unlike", "beyond", "outside", "s",
        # function words: they do not qualify a name or a term
        "is", "are", "was", "were", "be", "been", "being", "has", "have", "had", "will",
        "would", "can", "could", "may", "might", "must", "shall", "should", "do", "does", "did",
        "when", "where", "which", "who", "whom", "whose", "what", "that", "this", "these",
        "those", "it", "they", "he", "she", "we", "also", "only", "quite", "very", "much",
        "more", "most", "less", "least", "too", "even", "still", "just", "as", "under", "over",
        "after", "before", "about", "between", "among", "through", "like", "via", "per",
        "upon", "onto", "toward", "towards", "across", "behind", "around", "if", "then",
    }
    | ARTICLES
    | PREPOSITIONS["fuzzy"]
    | PREPOSITIONS["exact"]
)  # fmt: skip


@functools.lru_cache(maxsize=1024)
def _clauses(text: str) -> tuple[tuple[str, ...], ...]:
    """A text's clauses, each as its folded words (cached: an item's texts are read often)."""
    return tuple(
        tuple(w.fold for w in words(clause)) for clause in _CLAUSE.split(normalize_passage(text))
    )


def qualifiers(key: Sequence[Word], context: Iterable[str]) -> tuple[set[str], set[str]]:
    """Words the item's own texts put right before / right after the whole key, in one clause."""
    target = tuple(w.fold for w in key)
    before: set[str] = set()
    after: set[str] = set()
    n = len(target)
    for text in context:
        for folded in _clauses(text):
            for i in range(len(folded) - n + 1):
                if folded[i : i + n] != target:
                    continue
                if i > 0:
                    before.add(folded[i - 1])
                if i + n < len(folded):
                    after.add(folded[i + n])
    ok = {
        w
        for w in before | after
        if w.isalpha() and len(w) >= 2 and w not in NOT_QUALIFIERS and not is_numberish(w)
    }
    return before & ok, after & ok


def _qualified(
    given: Sequence[Word], key: Sequence[Word], context: Sequence[str], rules: frozenset[str]
) -> set[str] | None:
    if len(given) != len(key) + 1 or not context:
        return None
    before, after = qualifiers(key, context)
    if given[0].fold in before:
        tags = same_words(given[1:], key, "fuzzy", rules)
        if tags is not None:
            return tags | {QUALIFIER}
    if given[-1].fold in after:
        tags = same_words(given[:-1], key, "fuzzy", rules)
        if tags is not None:
            return tags | {QUALIFIER}
    return None


# Words after which a continuation would add a second answer or turn the first around.
NOT_CONTINUING = frozenset({"and", "or", "nor", "but", "not", "never", "versus", "vs", "except"})


# --- a synonym of a generic last word; "X of Y" turned around ------------------------------

# Generic nouns a teacher takes for one another at the end of a longer answer ("the Doha
# accord"); never a word that carries the answer alone.
SYNONYMS: tuple[frozenset[str], ...] = (
    frozenset({"agreement", "accord", "deal", "pact", "treaty"}),
    frozenset({"state", "country", "nation"}),
    frozenset({"organization", "organisation", "group"}),
    frozenset({"talks", "negotiations", "discussions"}),
    frozenset({"withdrawal", "pullout"}),
    frozenset({"border", "frontier"}),
    frozenset({"aim", "goal", "objective"}),
    frozenset({"threat", "danger", "menace"}),
)


def synonym_tags(given: str, accepted: str) -> set[str] | None:
    """``{SYNONYM}`` (plus ``{PLURAL}`` when one is plural) when two words are listed synonyms."""
    g, a = fold(given), fold(accepted)
    if g == a:
        return None
    for group in SYNONYMS:
        gs = [w for w in {g} | _singulars(g) if w in group]
        acc = [w for w in {a} | _singulars(a) if w in group]
        if gs and acc and gs[0] != acc[0]:
            return {SYNONYM} if (g in group) == (a in group) else {SYNONYM, PLURAL}
    return None


def _synonymous(
    given: Sequence[Word], key: Sequence[Word], mode: str, rules: frozenset[str]
) -> set[str] | None:
    if mode != "fuzzy" or len(key) < 2 or len(given) != len(key):
        return None
    head = synonym_tags(given[-1].fold, key[-1].fold)
    rest = same_words(given[:-1], key[:-1], mode, rules) if head else None
    if head is None or rest is None or (PLURAL in head and PLURAL not in rules):
        return None
    return rest | head


_OF = Word("of", "of")


def of_turned(key: Sequence[Word]) -> list[tuple[Word, ...]]:
    """A term's "X of Y" as "Y X" and "Y X" as "X of Y" ("guarantee of security", "security
    guarantee"): lower-case words only (names keep their order), no other small word."""
    folds = [w.fold for w in key]
    if not all(w.raw.islower() and w.raw.isalpha() for w in key):
        return []
    if any(f in NOT_QUALIFIERS for f in folds if f != "of"):
        return []
    if folds.count("of") == 1:
        k = folds.index("of")
        if 1 <= k <= 2 and 1 <= len(key) - k - 1 <= 2:
            return [(*key[k + 1 :], *key[:k])]
        return []
    if "of" not in folds and 2 <= len(key) <= 3:
        return [(key[-1], _OF, *key[:-1])]
    return []


def _of_phrase(
    given: Sequence[Word], key: Sequence[Word], mode: str, rules: frozenset[str]
) -> set[str] | None:
    if mode != "fuzzy":
        return None
    return _fewest(
        (tags | {OF_PHRASE}) if (tags := same_words(given, form, mode, rules)) is not None else None
        for form in of_turned(key)
    )


# --- words of the question around the answer -----------------------------------------------

# Small words that join echoed words to the answer ("a game of", "for ... years").
JOINING = frozenset({"a", "an", "the", "of", "for", "in", "on", "at", "by", "to", "with", "from"})
# Words never echoed: they negate, contrast, compare or add a second answer.
NOT_ECHOED = NOT_CONTINUING | frozenset(
    {"than", "rather", "instead", "unlike", "besides", "except", "without", "against", "no",
     "neither", "other", "another", "more", "less", "most", "least", "only", "also", "too"}
)  # fmt: skip
MAX_ECHOED = 3


def question_words(question: str) -> frozenset[str]:
    """The question's own words a student may repeat around an answer: lower-case as written
    (not a name), three letters or more, no number, nothing that negates or compares."""
    return frozenset(
        w.fold
        for w in words(question)
        if w.raw.islower()
        and len(w.fold) >= 3
        and not is_numberish(w.fold)
        and w.fold not in NOT_ECHOED
        and w.fold not in NOT_QUALIFIERS
    )


def _echoed(
    given: Sequence[Word],
    key: Sequence[Word],
    mode: str,
    context: Sequence[str],
    question: str,
    rules: frozenset[str],
) -> set[str] | None:
    """The key inside words of the question ("a game of cat and mouse" for "cat and mouse"
    asked as "what kind of game"): the answer's words must match on their own."""
    allowed = question_words(question) if question else frozenset()
    if not allowed:
        return None
    found: list[set[str] | None] = []
    inner = rules - {ECHO}
    n = len(given)
    for i in range(n):
        for j in range(i + 1, n + 1):
            extra = [w.fold for w in (*given[:i], *given[j:])]
            if not extra or len(extra) > MAX_ECHOED + 2:
                continue
            if any(f not in allowed and f not in JOINING for f in extra):
                continue
            echoed = [f for f in extra if f in allowed]
            if not echoed or len(echoed) > MAX_ECHOED:
                continue
            if j < n and given[-1].fold in JOINING:
                continue  # a dangling small word
            tags = match_phrase(given[i:j], key, mode, context, inner)
            found.append(None if tags is None else tags | {ECHO})
    return _fewest(found)


# --- lists in any order --------------------------------------------------------------------

_JOINER = re.compile(r"\s*(?:,|;|&|\+|\band\b|\bor\b|\bas well as\b|\bplus\b)\s*", re.IGNORECASE)
MAX_PARTS = 6


def split_list(text: str) -> tuple[list[str], frozenset[str]]:
    """The parts of a list ("copper, rare earths and uranium") and how they are joined."""
    parts, joins = [], set()
    pos = 0
    for m in _JOINER.finditer(text):
        parts.append(text[pos : m.start()])
        j = m.group().strip().lower()
        joins.add("or" if j == "or" else "," if j in (",", ";") else "and")
        pos = m.end()
    parts.append(text[pos:])
    return [p.strip() for p in parts if p.strip()], frozenset(joins)


def joins_compatible(given: frozenset[str], accepted: frozenset[str]) -> bool:
    """ "and" (also "&", "as well as", "plus") and "or" never stand for each other."""
    return not (("and" in given and "or" in accepted) or ("or" in given and "and" in accepted))


def best_assignment(matrix: Sequence[Sequence[set[str] | None]]) -> tuple[int, ...] | None:
    """A permutation p accepting part i as part p[i] for every i, with the fewest rules and
    the fewest moved parts; None when there is none."""
    n = len(matrix)
    best: tuple[tuple[int, int], tuple[int, ...]] | None = None
    for perm in itertools.permutations(range(n)):
        cells = [matrix[i][perm[i]] for i in range(n)]
        if any(c is None for c in cells):
            continue
        cost = (
            len(set().union(*(c for c in cells if c is not None))),
            sum(i != p for i, p in enumerate(perm)),
        )
        if best is None or cost < best[0]:
            best = (cost, perm)
    return best[1] if best else None


# --- putting the rules together ------------------------------------------------------------


def _fewest(candidates: Iterable[set[str] | None]) -> set[str] | None:
    found = [c for c in candidates if c is not None]
    if not found:
        return None
    return min(found, key=lambda c: (len(c), sorted(RULE_ORDER.index(r) for r in c)))


MAX_CONTINUED = 6


def _continued(
    given: Sequence[Word],
    key: Sequence[Word],
    mode: str,
    context: Sequence[str],
    rules: frozenset[str],
) -> set[str] | None:
    """The key followed by up to six of the words that follow it in the item's own texts, in
    one clause: "less in denial than many Westerners", "six months", "predictable in the
    short term". Never a continuation that starts with "and", "or", "not"...."""
    n = len(key)
    extra = len(given) - n
    if not 1 <= extra <= MAX_CONTINUED or not context:
        return None
    head = same_words(given[:n], key, mode, rules)
    if head is None:
        return None
    tail = tuple(w.fold for w in given[n:])
    if tail[0] in NOT_CONTINUING or tail[-1] in NOT_QUALIFIERS or len(tail[-1]) < 2:
        return None  # a second answer, a reversal, or a dangling function word
    if mode != "exact" and any(is_numberish(w) for w in tail):
        return None  # a number after a name or a term is another fact, not its wording
    for text in context:
        for folded in _clauses(text):
            for i in range(len(folded) - n - extra + 1):
                if folded[i + n : i + n + extra] != tail:
                    continue
                if same_words(words(" ".join(folded[i : i + n])), key, mode, rules) is not None:
                    return head | {CONTINUED}
    return None


def _match_core(
    given: Sequence[Word],
    key: Sequence[Word],
    mode: str,
    context: Sequence[str],
    rules: frozenset[str],
) -> set[str] | None:
    tags = same_words(given, key, mode, rules)
    if tags is None and SYNONYM in rules:
        tags = _synonymous(given, key, mode, rules)
    if tags is None and OF_PHRASE in rules:
        tags = _of_phrase(given, key, mode, rules)
    if tags is None and mode == "fuzzy" and QUALIFIER in rules:
        tags = _qualified(given, key, context, rules)
    if tags is None and CONTINUED in rules:
        tags = _continued(given, key, mode, context, rules)
    return tags


def match_phrase(
    given: Sequence[Word],
    key: Sequence[Word],
    mode: str,
    context: Sequence[str] = (),
    rules: frozenset[str] = RULES,
) -> set[str] | None:
    """Rules making one phrase (no list) the key: word by word, inside frames, qualified."""
    options = [Framed(frozenset(), False, tuple(given))]
    keys = [Framed(frozenset(), False, tuple(key))]
    if FRAME in rules:
        options, keys = frames(given, mode, typed=True), frames(key, mode)
    found: list[set[str] | None] = []
    for g in options:
        for a in keys:
            if not frames_compatible(g.frame, a.frame):
                continue
            tags = _match_core(g.core, a.core, mode, context, rules)
            if tags is not None and (g.frame != a.frame or g.article != a.article):
                tags = tags | {FRAME}
            found.append(tags)
    return _fewest(found)


def match_list(
    given: str,
    key: str,
    mode: str,
    context: Sequence[str] = (),
    rules: frozenset[str] = RULES,
) -> set[str] | None:
    """Rules making a list answer the key's list, its parts in any order."""
    if ANY_ORDER not in rules or parse_number(key) is not None:
        return None
    key_parts, key_joins = split_list(normalize_passage(key))
    if not 2 <= len(key_parts) <= MAX_PARTS:
        return None
    parts, joins = split_list(normalize_passage(given))
    if len(parts) != len(key_parts) or not joins_compatible(joins, key_joins):
        return None
    matrix = [
        [match_phrase(words(p), words(k), mode, context, rules) for k in key_parts] for p in parts
    ]
    perm = best_assignment(matrix)
    if perm is None:
        return None
    tags: set[str] = set().union(*(matrix[i][p] or set() for i, p in enumerate(perm)))
    return tags | {ANY_ORDER}


def match_text(
    given: str,
    key: str,
    mode: str = "fuzzy",
    context: Sequence[str] = (),
    rules: frozenset[str] = RULES,
    question: str = "",
) -> set[str] | None:
    """The fewest rules that make ``given`` the accepted answer ``key``, or None."""
    if not _clean(given) or not _clean(key):
        return None
    if _clean(given) == _clean(key):
        return set()
    g, a = words(given), words(key)
    if not g or not a:
        return None
    tags = match_phrase(g, a, mode, context, rules)
    if tags == set():  # the same words: only the punctuation differs
        tags = {CASE} if CASE in rules else None
    listed = match_list(given, key, mode, context, rules)
    echoed = None
    if tags is None and listed is None and ECHO in rules:
        echoed = _echoed(g, a, mode, context, question, rules)
    return _fewest([tags, listed, echoed])


def match_answer(
    given: str,
    accepted: Sequence[str],
    mode: str = "fuzzy",
    context: Sequence[str] = (),
    rules: frozenset[str] = RULES,
    question: str = "",
) -> Match | None:
    """How ``given`` matches one of a blank's accepted answers (the first is the key), or None.

    ``mode``: "exact" for years, dates and numbers, else "fuzzy". ``context``: the item's own
    texts (its quote and explanation), for the qualifier rule. ``question``: the item's prompt,
    whose words a student may repeat around the answer.
    """
    best: Match | None = None
    for i, answer in enumerate(a for a in accepted if isinstance(a, str)):
        if i > 0 and ALTERNATIVE not in rules:
            break
        tags = match_text(given, answer, mode, context, rules, question)
        if tags is None:
            continue
        if i > 0:
            tags = tags | {ALTERNATIVE}
        if best is None or len(tags) < len(best.rules):
            best = Match(answer, frozenset(tags))
    return best


# --- the blanks of one item ----------------------------------------------------------------

_RESPECTIVELY = re.compile(r"\W*respectively\b", re.IGNORECASE)
_GAP = re.compile(r"\s*(?:,\s*(?:and|or|&)?|;|and|or|&|as well as|plus)\s*", re.IGNORECASE)


def blank_groups(prompt: str, count: int, blank: str = BLANK) -> list[list[int]]:
    """Blanks that form one list in the prompt ("_____ and _____", "_____, _____ and _____"):
    their answers may come in any order. Every other blank is a group of its own."""
    pieces = prompt.split(blank)
    if len(pieces) - 1 != count:
        return [[i] for i in range(count)]
    groups: list[list[int]] = []
    for i in range(count):
        if i > 0 and _GAP.fullmatch(pieces[i]) and len(groups[-1]) < MAX_PARTS:
            groups[-1].append(i)
        else:
            groups.append([i])
    # "... _____ and _____, respectively": there the order is the point
    out: list[list[int]] = []
    for g in groups:
        if len(g) > 1 and _RESPECTIVELY.match(pieces[g[-1] + 1]):
            out.extend([i] for i in g)
        else:
            out.append(g)
    return out


def grade_blanks(
    responses: Sequence[str],
    blanks: Sequence[Sequence[str]],
    modes: Sequence[str],
    groups: Sequence[Sequence[int]],
    context: Sequence[str] = (),
    rules: frozenset[str] = RULES,
    question: str = "",
) -> tuple[Match | None, ...]:
    """Each response's match, or None. Inside a group of blanks that form a list, responses
    may fill the blanks in any order; each blank takes one response at most."""
    result: list[Match | None] = [None] * len(responses)
    for group in groups:
        matrix = [
            [
                match_answer(responses[i], blanks[j], modes[j], context, rules, question)
                for j in group
            ]
            for i in group
        ]
        n = len(group)
        perms: Iterable[tuple[int, ...]] = (
            itertools.permutations(range(n)) if ANY_ORDER in rules else [tuple(range(n))]
        )
        best: tuple[tuple[int, int, int], tuple[int, ...]] | None = None
        for perm in perms:
            cells = [matrix[k][perm[k]] for k in range(n)]
            cost = (
                -sum(c is not None for c in cells),
                sum(k != p for k, p in enumerate(perm) if cells[k] is not None),
                sum(len(c.rules) for c in cells if c is not None),
            )
            if best is None or cost < best[0]:
                best = (cost, perm)
        assert best is not None
        for k, p in enumerate(best[1]):
            found = matrix[k][p]
            if found is not None and k != p:
                found = Match(found.answer, found.rules | {ANY_ORDER})
            result[group[k]] = found
    return tuple(result)
