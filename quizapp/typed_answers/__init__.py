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

- possessive (fuzzy blanks, names): the answer after an owner ("Le Monde's Benoît Vitkine",
  "Le Monde's journalist Benoît Vitkine") that one sentence of the item's own texts (quote,
  explanation, question) gives the answer: "<owner>'s [up to three content words] <answer>"
  or "<answer> of/from/at <owner>". Never an owner the texts do not name ("Putin's
  Vitkine") or name apart from the answer ("Russia's Vitkine" when Russia's doctrine is
  mentioned), nor the possessive of another answer ("Le Monde's Sylvie Kauffmann", "Benoît
  Vitkine's Le Monde", "Le Monde's journalist").
- people or state (fuzzy blanks, places): a place answer typed as its adjective plus a noun
  of the closed list ``COLLECTIVE`` (countries, states, nations, government(s), authorities,
  leaders, people, member states, federation, republic, capitals, regime, officials...):
  "the Russian Federation", "Russian authorities", "European governments", "Eastern and
  Central European countries" (two modifiers in either order, tagged any order); as its
  people, the adjective plus -s ("the Russians", "Pakistanis"); or as the name itself before
  the noun when it is an acronym or has two words or more ("EU member states", "European
  Union countries"); never the name's own possessive ("Putin's government" for "Putin":
  the rule cannot tell a person from a place). The adjective is derived from the accepted
  answer by regular suffixes only (``adjectives``: -a -> -an, -e -> -ean, -y -> -ian, -o ->
  -an, a consonant -> -ian/-an/-i/-ese), so "Moscow" takes "the Russian government" only
  through an accepted "Russia", and irregular adjectives ("French") need a listed
  alternative. A slip in the adjective is judged on the place name it derives from
  ("Rusian", never "Iranian" for "Iraq"). Never the adjective alone ("Russian"), another
  place's adjective ("Prussian government"), another noun ("Russian army"). Two names whose
  regular adjectives coincide cannot be told apart ("Nigerian" for "Niger").

- restatement (fuzzy blanks): "X (Y)", "X/Y" or "X, i.e. Y" where X and Y are each accepted
  on their own ("Moscow (Russia)", "Moscow/Russia", "Eurasian Economic Union (EAEU)",
  "Central and Eastern Europe (CEE)"); refused when either part alone is ("Moscow (Beijing)",
  "Moscow (not Russia)").
- initialism (fuzzy blanks): the initials of an accepted answer (the key or a listed
  alternative) of three capitalized content words or more, in any case, with or without
  "the" or dots ("EEU" for "Eurasian Economic Union", "the PRC" for "People's Republic of
  China", "CEE"); never two letters ("BV" for "Benoît Vitkine", "EE" for "Eastern Europe"),
  a term in lower case, a near name, or other letters ("EEC", "EU").
- date form: a full date in figures, day or month first ("01/09/2004", "1.9.2004",
  "2/29/2020"), accepted when one valid reading is the key's date; "the 1st of September
  2004"; a range ("September 1-3, 2004") only when it starts on the key's date and the item's
  own texts give that very range; early/mid/late/end of/beginning of a month ("late February
  2020") only where the key is that month and year, not a full date. Never another day, an
  impossible date ("31/02/2020"), or a month for a full date ("September 2004").
  A year typed as a fuller date ("October 2002", "late October 2002", "autumn 2002") only
  where the item's texts state that date (``dates2``), never another month or day.
- numbered label: a Roman numeral or an ordinal for a numbered label ("Article IV", "IV",
  "4th", "the fourth article", "the fourth" for "Article 4", or for "4" where the question
  asks "Which article" or the item's texts say "Article 4"); never another number, another
  label ("Section IV"), or an ordinal for a count ("4th" is not "4 people").
- possessive (fuzzy blanks, names) also takes the owner after the name: "<answer> of / from /
  at / with <owner>", "<answer> (<owner>)", "<answer>, a/the <description> at <owner>"
  (with the description rule), the owner linked to the answer by the item's own texts as
  above ("Vitkine from Le Monde"; never "Vitkine from Le Figaro").
- description (fuzzy blanks, names): up to three words before or after a name ("the French
  daily Le Monde", "the French newspaper Le Monde", "Le Monde, a French newspaper", "the Doha
  agreement (2020)"), each used by one clause of the item's own texts (quote, explanation,
  question) within five words of the name; never a function word ("not", "and"), a word
  twice, a word the texts do not use with the name ("the Russian newspaper Le Monde"), nor a
  word that makes another place (``PLACE_MAKERS``: "Western Europe" is not "Europe").
- place form (fuzzy blanks, places): a compass point as its adjective or back ("Northern
  Caucasus" = "North Caucasus", "Eastern Europe" = "East Europe"), "East-Central" for
  "Central and Eastern", and a head noun region(s)/area(s) after the place ("the Caucasus
  region", "the Middle East region"); never another point ("the South Caucasus",
  "Transcaucasia" for the North Caucasus). The people-or-state rule also derives "-ern" from a
  compass point ("Middle Eastern countries" for "the Middle East") and "-ish" from "-land"
  ("the English", "the Polish government"), and takes "the" plus an adjective in -ese or
  -ish as the people ("the Chinese" for "China").

- further detail, apposition, number form, approximation (``details``): "7 years, openly since
  2019", "Benoît Vitkine, a Le Monde journalist", "7 yrs", "about seven years" (see there).

Rules combine ("the Iran & Chna": frame, any order, typo); the match with the fewest rules wins.
Exact blanks (years, dates, numbers) use every rule except typo, plural, qualifier,
possessive, description, people or state, restatement, initialism and place form.

Modules: ``rules`` (the rules' names and the :class:`Match`), ``words`` (words, numbers,
one word against another), ``frames``, ``phrases`` (qualifier, synonym, of-phrase), ``forms``
(restatement, initials, dates, numbered labels, descriptions, compass forms),
``lists`` (parts in any order), ``names`` (an owner, a place as its people), ``extra`` (the
rules of ``dates2``: a year's date and time phrases); this module
puts the rules together (with the question's words and the essay's continuation, which
match the phrase inside them) and grades the blanks of one item.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Sequence

from ..bank.text import normalize_passage
from .blanks import blank_groups
from .details import around_answer
from .extra import extra_answer_forms, extra_forms
from .forms import initials, other_forms, place_form, roman
from .frames import Framed, frames, frames_compatible
from .lists import MAX_PARTS, best_assignment, joins_compatible, split_list
from .names import COLLECTIVE, adjectives, as_people, bases, owner_linked
from .owners import attribution, description, possessive, restated
from .phrases import (
    NOT_CONTINUING,
    NOT_QUALIFIERS,
    _clauses,
    _of_phrase,
    _qualified,
    _synonymous,
    qualifiers,
)
from .rules import (
    ALTERNATIVE,
    ANY_ORDER,
    CASE,
    CONTINUED,
    DATE,
    DESCRIPTION,
    ECHO,
    EXACT,
    FRAME,
    INITIAL,
    INITIALISM,
    LABELLED,
    MODIFIER,
    NUMBER,
    OF_PHRASE,
    PEOPLE,
    PLACE,
    PLAIN,
    PLURAL,
    POSSESSIVE,
    QUALIFIER,
    RESTATED,
    RULE_ORDER,
    RULES,
    SYNONYM,
    TYPO,
    Match,
    _fewest,
    note_for,
)
from .words import (
    NUMBER_WORDS,
    Word,
    _clean,
    is_numberish,
    parse_number,
    plural_pair,
    same_words,
    typo_close,
    words,
)

__all__ = [
    "ALTERNATIVE",
    "ANY_ORDER",
    "CASE",
    "COLLECTIVE",
    "CONTINUED",
    "DATE",
    "DESCRIPTION",
    "ECHO",
    "EXACT",
    "FRAME",
    "INITIAL",
    "INITIALISM",
    "LABELLED",
    "MODIFIER",
    "NOT_QUALIFIERS",
    "NUMBER",
    "NUMBER_WORDS",
    "OF_PHRASE",
    "PEOPLE",
    "PLACE",
    "PLAIN",
    "PLURAL",
    "POSSESSIVE",
    "QUALIFIER",
    "RESTATED",
    "RULES",
    "RULE_ORDER",
    "SYNONYM",
    "TYPO",
    "Match",
    "Word",
    "adjectives",
    "bases",
    "blank_groups",
    "frames",
    "grade_blanks",
    "initials",
    "is_numberish",
    "match_answer",
    "match_list",
    "match_phrase",
    "match_text",
    "note_for",
    "owner_linked",
    "parse_number",
    "plural_pair",
    "qualifiers",
    "roman",
    "split_list",
    "typo_close",
    "words",
]


# --- words of the question around the answer -----------------------------------------------

# Small words that join echoed words to the answer ("a game of", "for ... years").
JOINING = frozenset({"a", "an", "the", "of", "for", "in", "on", "at", "by", "to", "with", "from"})
# Words never echoed: they negate, contrast, compare or add a second answer.
NOT_ECHOED = NOT_CONTINUING | frozenset(
    {"than", "rather", "instead", "unlike", "besides", "except", "without", "against", "no",
     "neither", "other", "another", "more", "less", "most", "least", "only", "also", "too"}
)  # fmt: skip
MAX_ECHOED = 3
# Punctuation that sets words beside the answer as another name for it: "Moscow (the cat)" says
# Moscow is the cat, not "a game of cat and mouse" (the tenth blind review's one U).
APPOSED = re.compile(r"[,;:()\[\]–—]|\s-\s")


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


def question_names(question: str) -> frozenset[str]:
    """The names the question uses (capitalized past its first word): the subject a student
    may start the answer with ("Biden showed weakness")."""
    found = words(question)[1:]
    return frozenset(w.fold for w in found if w.raw[:1].isupper() and not is_numberish(w.fold))


# A subject pronoun may start an echoed answer ("he made concessions").
PRONOUNS = frozenset({"he", "she", "it", "they", "we"})


def _echoes(word: str, allowed: frozenset[str]) -> bool:
    """The word, or another form of it, is one of the question's ("showed" for "show")."""
    if word in allowed:
        return True
    return len(word) >= 4 and any(
        len(q) >= 4 and word[:4] == q[:4] and abs(len(word) - len(q)) <= 3 for q in allowed
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
    asked as "what kind of game"; "he showed weakness" asked "what did Biden show"): the
    answer's words must match on their own; a name of the question or a pronoun may only
    open the answer, as its subject, before an echoed word."""
    allowed = question_words(question) if question else frozenset()
    if not allowed:
        return None
    names = question_names(question)
    found: list[set[str] | None] = []
    inner = rules - {ECHO}
    n = len(given)
    for i in range(n):
        for j in range(i + 1, n + 1):
            before = [w.fold for w in given[:i]]
            if before and (before[0] in PRONOUNS or before[0] in names):
                subject, before = before[:1], before[1:]
                if not before or not _echoes(before[0], allowed):
                    continue  # "Taliban cat and mouse": a name alone is a second answer
            else:
                subject = []
            extra = [*before, *(w.fold for w in given[j:])]
            if not (extra or subject) or len(extra) > MAX_ECHOED + 2:
                continue
            if any(not _echoes(f, allowed) and f not in JOINING for f in extra):
                continue
            echoed = [f for f in extra if f not in JOINING]
            if not echoed or len(echoed) > MAX_ECHOED:
                continue
            if j < n and given[-1].fold in JOINING:
                continue  # a dangling small word
            tags = match_phrase(given[i:j], key, mode, context, inner)
            found.append(None if tags is None else tags | {ECHO})
    return _fewest(found)


# Words of degree a student may put before a noun answer ("major concessions").
DEGREE = frozenset(
    {"some", "major", "great", "big", "large", "significant", "serious", "real", "strong",
     "clear", "considerable", "huge", "important", "substantial", "grave", "deep", "heavy",
     "many", "much", "several", "certain", "obvious", "visible"}
)  # fmt: skip


def _modified(
    given: Sequence[Word], key: Sequence[Word], mode: str, rules: frozenset[str]
) -> set[str] | None:
    """A word of degree before a lower-case answer ("some concessions", "great weakness")."""
    if mode != "fuzzy" or len(given) != len(key) + 1 or not key[0].raw[:1].islower():
        return None
    if given[0].fold not in DEGREE or parse_number(key) is not None:
        return None
    tags = same_words(given[1:], key, mode, rules)
    return None if tags is None else tags | {MODIFIER}


# --- putting the rules together ------------------------------------------------------------


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
    if tags is None and MODIFIER in rules:
        tags = _modified(given, key, mode, rules)
    if tags is None and PEOPLE in rules:
        tags = as_people(given, key, mode, rules)
    if tags is None and mode == "fuzzy" and QUALIFIER in rules:
        tags = _qualified(given, key, context, rules)
    if tags is None and CONTINUED in rules:
        tags = _continued(given, key, mode, context, rules)
    if tags is None and PLACE in rules:
        tags = place_form(given, key, mode, rules)
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
    echoed = owned = None
    if tags is None and listed is None and ECHO in rules and not APPOSED.search(given):
        echoed = _echoed(g, a, mode, context, question, rules)
    described_ = attributed = other = None
    if tags is None and listed is None:
        owned = possessive(given, a, mode, context, question, rules, match_phrase)
        attributed = attribution(given, a, mode, context, question, rules, match_phrase)
        described_ = description(given, a, mode, context, question, rules, match_phrase)
        other = other_forms(given, key, mode, context, question, rules)
        other = other or extra_forms(
            given, key, mode, context, question, rules,
            lambda g, k, r: match_text(g, k, mode, context, r, question),
        )  # fmt: skip
    return _fewest([tags, listed, echoed, owned, attributed, described_, other])


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
    again = lambda g, r: match_answer(g, accepted, mode, context, r, question)  # noqa: E731
    if best is None and RESTATED in rules and mode == "fuzzy":
        best = restated(given, accepted, again, rules)
    if best is None:
        best = extra_answer_forms(given, accepted, mode, context, question, rules, again)
    if best is None:  # the answer with more words around it: see ``details``
        best = around_answer(given, accepted, context, question, rules, again)
    return best


# --- the blanks of one item ----------------------------------------------------------------


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
