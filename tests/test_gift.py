"""Moodle GIFT: escaping, export of the bank, import of hand-written GIFT, round trips."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from quizapp.bank import Item, build_bank, load_content
from quizapp.bank.model import EssayContent
from quizapp.bank.text import BLANK, normalize_answer
from quizapp.exports.gift import bank_to_gift, gift_escape
from quizapp.exports.giftformat import SHARES
from quizapp.importers.gift import GiftError, ImportedFact, gift_to_content, write_content

from .conftest import SHIPPED, TINY

SAMPLE = Path(__file__).resolve().parent / "data" / "gift" / "sample.gift"
# Moodle's grade list (question_bank::fraction_options_full), in percent.
MOODLE_GRADES = {
    0.0,
    100.0,
    90.0,
    83.33333,
    80.0,
    75.0,
    70.0,
    66.66667,
    60.0,
    50.0,
    40.0,
    33.33333,
    30.0,
    25.0,
    20.0,
    16.66667,
    14.28571,
    12.5,
    11.11111,
    10.0,
    5.0,
}


def tiny() -> EssayContent:
    return load_content(TINY).essays["printing-press"]


def line_of(text: str, marker: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), start=1) if marker in line)


def parse_one(gift: str) -> tuple[list[ImportedFact], list[GiftError]]:
    imported, errors = gift_to_content(gift, "t.gift")
    return list(imported.facts), errors


# --- escaping ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "escaped"),
    [
        ("a~b", r"a\~b"),
        ("a=b", r"a\=b"),
        ("a#b", r"a\#b"),
        ("a{b", r"a\{b"),
        ("a}b", r"a\}b"),
        ("a:b", r"a\:b"),
        ("a\\b", r"a\\b"),
        ("a\nb", r"a\nb"),
        ("a\r\nb", r"a\nb"),
        ("plain text, (parens) & “quotes” -> ok", "plain text, (parens) & “quotes” -> ok"),
    ],
)
def test_escape_each_special_character(raw: str, escaped: str) -> None:
    assert gift_escape(raw) == escaped


def test_escaped_text_reads_back_exactly() -> None:
    text = "Odd ~ = # { } : \\ and \\n and a\nsecond line"
    answer = "C:\\n~=#x"
    imported, errors = gift_to_content(
        f"::{gift_escape('t: {1}')}:: {gift_escape(text)} {{={gift_escape(answer)}}}"
    )
    assert errors == []
    (question,) = imported.questions
    assert question.title == "t: {1}"
    assert question.text == text
    (fact,) = question.facts
    assert fact.answers == (answer,)


# --- export ------------------------------------------------------------------------------


def test_export_layout_of_each_type() -> None:
    gift = bank_to_gift(build_bank(tiny()))
    assert gift == bank_to_gift(build_bank(tiny())), "the output is deterministic"
    blocks = gift.split("\n\n")
    assert blocks[0].startswith("// Essay Study: “A Short Note on the Printing Press”")
    # ordering items are skipped and listed in the header
    assert "// - essay:ordering (ordering): GIFT has no ordering question" in blocks[0]
    assert "::essay\\:ordering" not in gift
    categories = [b for b in blocks if b.startswith("$CATEGORY:")]
    assert categories == [
        "$CATEGORY: $course$/Essay Study/A Short Note on the Printing Press",
        "$CATEGORY: $course$/Essay Study/A Short Note on the Printing Press/The invention",
        "$CATEGORY: $course$/Essay Study/A Short Note on the Printing Press/The spread of printing",
    ]
    by_title = {b.split("::")[1]: b for b in blocks if b.startswith("::")}

    assert by_title["gutenberg-press\\:single"] == (
        "::gutenberg-press\\:single:: _____ built a press with movable metal type. {\n"
        "\t=Johannes Gutenberg\n\t~Martin Luther\n\t~William Caxton\n\t~Aldus Manutius\n"
        "\t####Johannes Gutenberg built a press with movable metal type. "
        "(¶1\\: “Johannes Gutenberg built a press with movable metal type”)\n}"
    )
    assert by_title["press-town\\:true_false"].split("\n")[1] == "\tT"
    assert by_title["caxton-place\\:true_false"].split("\n")[1] == "\tT"
    assert by_title["caxton-place\\:true_false\\:false"].split("\n")[1] == "\tF"
    assert by_title["gutenberg-press\\:short_answer"].split("\n")[1:3] == [
        "\t=Johannes Gutenberg",
        "\t=Gutenberg",
    ]
    # a cloze with two blanks: one short-answer question per blank
    assert by_title["europe-centres\\:cloze\\:blank-1"].split("\n")[:2] == [
        "::europe-centres\\:cloze\\:blank-1:: Two printing centres named in the second"
        " paragraph are _____ and Basel. {",
        "\t=Venice",
    ]
    assert (
        "::europe-centres\\:cloze\\:blank-2:: Two printing centres named in the second paragraph are Venice and _____. {"
        in gift
    )
    assert "::europe-centres\\:cloze::" not in gift
    # multiple answer: right options share +100%, wrong ones -100%
    [multiple] = [i for i in build_bank(tiny()).items if i.type == "multiple"]
    lines = by_title[multiple.id.replace(":", "\\:")].split("\n")[1 : 1 + len(multiple.options)]
    keys, wrong = len(multiple.answer), len(multiple.options) - len(multiple.answer)
    weights = sorted(round(float(line.split("%")[1]), 3) for line in lines)
    assert weights == sorted([round(100 / keys, 3)] * keys + [round(-100 / wrong, 3)] * wrong)
    assert by_title["cheap-books-harmful\\:stance"].split("\n")[1:3] == [
        "\t~Endorses",
        "\t=Rejects",
    ]
    assert by_title["essay\\:matching\\:person"].split("\n")[1:5] == [
        "\t=_____ printed small, cheap editions of the classics. -> Aldus Manutius",
        "\t=_____ printed the New Testament of Erasmus in Basel. -> Johann Froben",
        "\t=_____ built a press with movable metal type. -> Johannes Gutenberg",
        "\t=_____ brought printing to England. -> William Caxton",
    ]


def test_export_weights_are_moodle_grades() -> None:
    gift = bank_to_gift(build_bank(load_content(SHIPPED).essays["russia-taliban"]))
    for block in gift.split("\n\n"):
        weights = [float(w) for w in re.findall(r"^\t~%(-?[\d.]+)%", block, re.MULTILINE)]
        if not weights:
            continue
        assert all(abs(w) in MOODLE_GRADES for w in weights), block
        # Moodle checks the positive grades add up to 100% (rounded to 2 decimals)
        assert round(sum(w for w in weights if w > 0) / 100, 2) == 1.0, block
        assert sum(w for w in weights if w < 0) == pytest.approx(-100, abs=0.001), block
    assert {float(v) for v in SHARES.values()} <= MOODLE_GRADES


def test_export_escapes_and_avoids_arrows_in_matching() -> None:
    content = tiny()
    bank = build_bank(content)
    [matching] = [i for i in bank.items if i.id == "essay:matching:person"]
    odd = Item(
        id="odd:matching",
        type="matching",
        prompt="Match {these}: a = b?",
        answer=[0, 1, 2],
        # Three of the tiny essay's person facts, in a fixed order.
        sources=tuple(
            next(s for s in matching.sources if s.quote.startswith(start))
            for start in ("William Caxton", "Aldus Manutius", "Johannes Gutenberg")
        ),
        origin=matching.origin,
        topics=matching.topics,
        options=("x#1", "y~2", "z\\3"),
        prompts=("p -> q", "r: s", "t\nu"),
        explanation="Why? #1 ####",
    )
    bank = type(bank)(content=content, seed=0, items=(odd,), cards=())
    block = bank_to_gift(bank).rstrip("\n").split("\n\n")[-1]
    assert block.split("\n") == [
        "::odd\\:matching:: Match \\{these\\}\\: a \\= b? {",
        "\t=p → q -> x\\#1",
        "\t=r\\: s -> y\\~2",
        "\t=t\\nu -> z\\\\3",
        "\t####Why? \\#1 \\#\\#\\#\\# (¶3\\: “William Caxton brought printing to England in 1476”;"
        " ¶2\\: “Aldus Manutius printed small, cheap editions of the classics”;"
        " ¶1\\: “Johannes Gutenberg built a press with movable metal type”)",
        "}",
    ]
    (question,) = gift_to_content(bank_to_gift(bank))[0].questions
    assert [f.text for f in question.facts] == [
        "Match (these): a = b? p → q — {{x#1}}",
        "Match (these): a = b? r: s — {{y~2}}",
        "Match (these): a = b? t u — {{z\\3}}",
    ]
    assert (
        question.facts[0].explanation
        == "Why? #1 #### (¶3: “William Caxton brought printing to England in 1476”; ¶2: “Aldus Manutius printed small, cheap editions of the classics”; ¶1: “Johannes Gutenberg built a press with movable metal type”)"
    )


# --- import: the hand-written sample ------------------------------------------------------


def test_sample_imports_every_type() -> None:
    text = SAMPLE.read_text(encoding="utf-8")
    imported, errors = gift_to_content(text, "sample.gift")

    assert [str(e) for e in errors] == [
        f"sample.gift:{line_of(text, '::Broken::')}: '{{' is never closed; "
        "end the answers with '}', or write a literal brace as '\\{'"
    ]
    assert [(t.id, t.title, t.category) for t in imported.topics] == [
        ("capitals", "Capitals", "$course$/Geography/Capitals"),
        ("matching", "Matching", "$course$/Geography/Matching"),
    ]
    assert [(q.line, q.type, q.title) for q in imported.questions] == [
        (line_of(text, "::Capital of France::"), "multichoice", "Capital of France"),
        (line_of(text, "Grant is {"), "multichoice", None),
        (line_of(text, "::Ratio"), "truefalse", "Ratio 1:2"),
        (line_of(text, "::Tomb::"), "shortanswer", "Tomb"),
        (line_of(text, "::Path::"), "shortanswer", "Path"),
        (line_of(text, "::Grant born::"), "numerical", "Grant born"),
        (line_of(text, "::Pi::"), "numerical", "Pi"),
        (line_of(text, "::Primes::"), "multichoice", "Primes"),
        (line_of(text, "::Flat earth::"), "truefalse", "Flat earth"),
        (line_of(text, "::Capitals::"), "matching", "Capitals"),
    ]
    tomb = imported.questions[3]
    assert tomb.text == "Who is buried\nin Grant's tomb?"  # a multi-line question
    assert imported.questions[2].text == "The ratio 1:2 = 0.5 holds {always} ~ roughly # yes."

    capitals = "capitals"
    assert list(imported.facts) == [
        ImportedFact(
            id="capital-of-france",
            topic=capitals,
            text="What is the capital of France? {{Paris}}",
            kind="term",
            quote="What is the capital of France? Paris",
            question="What is the capital of France?",
            distractors=("Lyon", "Marseille"),
            explanation="Paris has been the capital since 987.",
        ),
        ImportedFact(
            id="grant-is-in-grant-s-tomb",
            topic=capitals,
            text="Grant is {{entombed}} in Grant's tomb.",
            kind="term",
            quote="Grant is entombed in Grant's tomb.",
            distractors=("buried", "living"),
        ),
        ImportedFact(
            id="ratio-1-2",
            topic=capitals,
            text="The statement “The ratio 1:2 = 0.5 holds (always) ~ roughly # yes.” is {{true}}.",
            kind="title",
            quote="The statement “The ratio 1:2 = 0.5 holds (always) ~ roughly # yes.” is true.",
            question="True or false: The ratio 1:2 = 0.5 holds (always) ~ roughly # yes.",
            distractors=("false",),
        ),
        ImportedFact(
            id="tomb",
            topic=capitals,
            text="Who is buried in Grant's tomb? {{no one|nobody}}",
            kind="term",
            quote="Who is buried in Grant's tomb? no one",
            question="Who is buried in Grant's tomb?",
            typed=True,  # a short-answer question lists what its author accepts
        ),
        ImportedFact(
            id="path",
            topic=capitals,
            text="Which folder holds Windows? {{C:\\Windows}}",
            kind="term",
            quote="Which folder holds Windows? C:\\Windows",
            question="Which folder holds Windows?",
            typed=True,  # a short-answer question lists what its author accepts
        ),
        ImportedFact(
            id="grant-born",
            topic=capitals,
            text="When was Ulysses S. Grant born? {{1822|1821|1823|1820|1824}}",
            kind="number",
            quote="When was Ulysses S. Grant born? 1822",
            question="When was Ulysses S. Grant born?",
        ),
        ImportedFact(
            id="pi",
            topic=capitals,
            text="What is pi to two decimals? {{3.14}}",
            kind="number",
            quote="What is pi to two decimals? 3.14",
            question="What is pi to two decimals?",
            explanation="Any answer from 3.13 to 3.15 is accepted.",
        ),
        ImportedFact(
            id="primes",
            topic=capitals,
            text="Which of these numbers are prime? {{2}} and {{3}}",
            kind="term",
            quote="Which of these numbers are prime? 2 and 3",
            distractors=("4",),
        ),
        ImportedFact(
            id="flat-earth",
            topic=capitals,
            text="The statement “The Earth is flat.” is {{false}}.",
            kind="title",
            quote="The statement “The Earth is flat.” is false.",
            question="True or false: The Earth is flat.",
            distractors=("true",),
        ),
        *(
            ImportedFact(
                id=f"capitals-{n}",
                topic="matching",
                text=f"Match the countries with their capitals. {country} — {{{{{capital}}}}}",
                kind="term",
                quote=f"{country} — {capital}",
                distractors=("Madrid",),
                word_class="phrase",
            )
            for n, (country, capital) in enumerate(
                [("Canada", "Ottawa"), ("Italy", "Rome"), ("Japan", "Tokyo")], start=1
            )
        ),
    ]
    assert imported.questions[-1].paragraph == (
        "Match the countries with their capitals. Canada — Ottawa. Italy — Rome. Japan — Tokyo."
    )


def test_sample_writes_a_content_folder_the_loader_accepts(tmp_path: Path) -> None:
    imported, _ = gift_to_content(SAMPLE.read_text(encoding="utf-8"), "sample.gift")
    paths = write_content(imported, tmp_path, "geography", "Geography", author="Ann", year=2024)
    assert [p.name for p in paths] == [
        "essay.md",
        "topics.yaml",
        "facts.yaml",
        "arguments.yaml",
        "quizzes.yaml",
    ]
    result = load_content(tmp_path)
    assert [str(e) for e in result.errors] == []
    content = result.essays["geography"]
    assert (content.essay.title, content.essay.author, content.essay.year) == (
        "Geography",
        "Ann",
        2024,
    )
    assert [f.id for f in content.facts] == [f.id for f in imported.facts]
    assert [(t.id, t.paras) for t in content.topics] == [
        ("capitals", (1, 2, 3, 4, 5, 6, 7, 8, 9)),
        ("matching", (10,)),
    ]
    assert content.essay.paragraph(10).text == imported.questions[-1].paragraph
    assert [(q.id, q.topics) for q in content.quizzes] == [
        ("capitals-quiz", ("capitals",)),
        ("matching-quiz", ("matching",)),
    ]
    # Madrid and the other term answers make distractors enough for single items; three
    # pairs are too few for a matching item (4 to 6 pairs, so the last is never forced).
    # A matching question's answers are choices: no typed item, whose other right wordings
    # nobody listed, is made from them.
    assert dict(content.quiz("matching-quiz").mix) == {"single": 3, "true_false": 3}
    assert content.quiz("capitals-quiz").questions == sum(
        n for _, n in content.quiz("capitals-quiz").mix
    )
    with pytest.raises(FileExistsError):
        write_content(imported, tmp_path, "geography", "Geography")
    write_content(imported, tmp_path, "geography", "Geography", year=2024, overwrite=True)
    assert load_content(tmp_path).ok


@pytest.mark.parametrize(
    ("gift", "message"),
    [
        pytest.param(
            "::Essay::Write about Grant. {}",
            "an essay question '{}' has no answer to check; write the answers in the braces, "
            "e.g. '{=answer}', or remove the question",
            id="essay",
        ),
        pytest.param(
            "::Intro::The next questions are about Grant.",
            "no answers in braces: a description, not a question; add the answers, e.g. "
            "'Question text {=answer}', or turn the lines into '//' comments",
            id="description",
        ),
        pytest.param(
            "Who is buried in Grant's tomb? =no one}",
            "'}' without an opening '{'; start the answers with '{', or write a literal brace as '\\}'",
            id="no-open-brace",
        ),
        pytest.param(
            "Who is {buried {=Grant}",
            "a second '{' before the answers are closed; close the answers with '}' first, "
            "or write a literal brace as '\\{'",
            id="nested-brace",
        ),
        pytest.param(
            "Grant is {=buried} in {=Grant's} tomb.",
            "more than one answer block; give the question a single '{...}'; write literal "
            "braces as '\\{' and '\\}'",
            id="two-blocks",
        ),
        pytest.param(
            "::Title Who is buried? {=no one}",
            "the question title is not closed; write the title as '::title::' before the text",
            id="open-title",
        ),
        pytest.param(
            "::T:: {=no one}",
            "the question has no text; write the question before the answers: 'Question? {=answer}'",
            id="no-text",
        ),
        pytest.param(
            "Who? {~Grant ~Lee}",
            "no choice is marked right; mark the right choice with '=' (or give the right "
            "choices weights like '~%50%')",
            id="no-right-choice",
        ),
        pytest.param(
            "Who? {=Grant ~}",
            "a choice is empty; write the choice's text after each '=' or '~'",
            id="empty-choice",
        ),
        pytest.param(
            "Who? {=%50%Grant =%25%Lee}",
            "no answer gets full credit; mark at least one answer as '=answer' (100%)",
            id="no-full-credit",
        ),
        pytest.param(
            "When? {#about 1822}",
            "'about 1822' is not a number; write numbers like '{#1822}', '{#1822:5}' or "
            "'{#1820..1824}'",
            id="not-a-number",
        ),
        pytest.param(
            "When? {#1830..1820}",
            "the range 1830..1820 runs backwards; write the smaller number first: 'min..max'",
            id="backward-range",
        ),
        pytest.param(
            "Match. {=Canada -> Ottawa =Italy Rome}",
            "the matching pair 'Italy Rome' has no '->'; write each pair as '=statement -> answer'",
            id="pair-without-arrow",
        ),
        pytest.param(
            "Match. {=Canada -> Ottawa = -> Rome}",
            "a matching question needs at least 2 pairs; add pairs like '=statement -> answer'",
            id="one-pair",
        ),
        pytest.param(
            "$CATEGORY: Geography\nWho? {=Grant}",
            "the question after the $CATEGORY line is not separated from it; leave a blank "
            "line after '$CATEGORY: ...'",
            id="category-glued",
        ),
    ],
)
def test_broken_questions(gift: str, message: str) -> None:
    text = f"// header\n\n::Good::Who? {{=Grant ~Lee}}\n\n// about the next one\n{gift}\n\nLast? {{T}}\n"
    imported, errors = gift_to_content(text, "t.gift")
    assert [str(e) for e in errors] == [f"t.gift:6: {message}"]
    assert [q.title for q in imported.questions] == ["Good", None]


def test_errors_are_all_collected_in_order() -> None:
    text = "Essay? {}\n\nWho? {=Grant ~Lee}\n\n\n// c\nOpen {=a\n\nIntro only.\n"
    imported, errors = gift_to_content(text)
    assert [(e.file, e.line) for e in errors] == [
        ("input.gift", 1),
        ("input.gift", 7),
        ("input.gift", 9),
    ]
    assert len(imported.questions) == 1


@pytest.mark.parametrize(
    ("answers", "text"),
    [
        ("{#1822}", "When? {{1822}}"),
        ("{#1822:1}", "When? {{1822|1821|1823}}"),
        ("{#1820..1822}", "When? {{1821|1820|1822}}"),
        ("{#=1822:0 =%50%1820:2}", "When? {{1822}}"),
        ("{#2.50:0.25}", "When? {{2.5}}"),
        ("{#1822:100}", "When? {{1822}}"),
        ("{#-3..3}", "When? {{0|-1|1|-2|2|-3|3}}"),
    ],
)
def test_numerical_answers(answers: str, text: str) -> None:
    facts, errors = parse_one(f"When? {answers}")
    assert errors == []
    assert [(f.text, f.kind) for f in facts] == [(text, "number")]


def test_html_format_blank_placement_and_alternatives() -> None:
    facts, errors = parse_one(
        "::H::[html]<p>Which river flows through <b>Paris</b>?</p>{=Seine ~Loire ~Rhône}\n\n"
        "::B::The _____ flows through Paris. {=Seine =River Seine ~Loire ~%50%Marne}\n\n"
        "::S::The answer is {=A|B ~C}.\n\n"
        "::M::Name two rivers of Paris: {~%50%Seine ~%50%Marne ~%-100%Loire}"
    )
    assert errors == []
    assert [(f.text, f.distractors) for f in facts] == [
        ("Which river flows through Paris? {{Seine}}", ("Loire", "Rhône")),
        # two right choices of a single-answer question are alternatives; partial credit drops
        ("The {{Seine|River Seine}} flows through Paris.", ("Loire",)),
        ("The answer is {{A/B}}.", ("C",)),
        # a multiple-answer question has one blank per right choice
        ("Name two rivers of Paris: {{Seine}} and {{Marne}}", ("Loire",)),
    ]
    assert [f.question for f in facts] == ["Which river flows through Paris?", None, None, None]


def test_ids_are_unique_and_valid() -> None:
    facts, errors = parse_one("::Q 1::A? {=x}\n\n::q-1::B? {=y}\n\nÉcole publique: où? {=Paris}")
    assert errors == []
    assert [f.id for f in facts] == ["q-1", "q-1-2", "ecole-publique-ou"]


def test_write_content_refuses_bad_input(tmp_path: Path) -> None:
    imported, _ = gift_to_content("Who? {=Grant}")
    with pytest.raises(ValueError, match="slug"):
        write_content(imported, tmp_path, "Not A Slug", "T")
    with pytest.raises(ValueError, match="title"):
        write_content(imported, tmp_path, "ok", " ")
    empty, _ = gift_to_content("// nothing\n")
    with pytest.raises(ValueError, match="no question"):
        write_content(empty, tmp_path, "empty", "T")


# --- round trips -------------------------------------------------------------------------


def expected_facts(item: Item) -> int:
    if item.type == "ordering":
        return 0
    if item.type in ("matching", "evidence_matching"):
        return len(item.prompts)
    if item.type == "cloze":
        return len(item.answer)
    return 1


def right_answer(item: Item) -> str:
    if item.type == "single":
        return item.options[item.answer]
    if item.type == "true_false":
        return "true" if item.answer == 0 else "false"
    return item.answer[0][0]  # short_answer, one-blank cloze


def test_round_trip_tiny_essay(tmp_path: Path) -> None:
    bank = build_bank(tiny())
    imported, errors = gift_to_content(bank_to_gift(bank), "tiny.gift")
    assert errors == []
    assert len(imported.facts) == sum(expected_facts(i) for i in bank.items)

    write_content(imported, tmp_path, "printing-press-gift", "The printing press", year=2020)
    result = load_content(tmp_path)
    assert [str(e) for e in result.errors] == []
    content = result.essays["printing-press-gift"]
    assert len(content.facts) == len(imported.facts)
    assert [t.title for t in content.topics] == [
        "A Short Note on the Printing Press",
        "The invention",
        "The spread of printing",
    ]

    # Every exported single, true/false, short-answer (and one-blank cloze) answer survives.
    facts = {f.id: f for f in content.facts}
    checked = 0
    for item in bank.items:
        if item.type in ("single", "true_false", "short_answer") or (
            item.type == "cloze" and len(item.answer) == 1
        ):
            fact = facts[re.sub(r"[^a-z0-9]+", "-", item.id)]
            assert normalize_answer(fact.answers[0]) == normalize_answer(right_answer(item))
            checked += 1
    assert checked == 46  # every such item of the tiny essay
    # and a single item's fact is the original fact again, with its distractors
    assert facts["gutenberg-press-single"].text == (
        "{{Johannes Gutenberg}} built a press with movable metal type."
    )
    assert set(facts["gutenberg-press-single"].distractors) == {
        "William Caxton",
        "Aldus Manutius",
        "Martin Luther",
    }
    assert facts["gutenberg-press-short-answer"].blanks[0].answers == (
        "Johannes Gutenberg",
        "Gutenberg",
    )
    assert BLANK not in facts["europe-centres-cloze-blank-2"].text


def test_shipped_essay_parses_back() -> None:
    content = load_content(SHIPPED).essays["russia-taliban"]
    bank = build_bank(content)
    imported, errors = gift_to_content(bank_to_gift(bank), "russia-taliban.gift")
    assert errors == []
    assert len(imported.facts) == sum(expected_facts(i) for i in bank.items)
    assert len({f.id for f in imported.facts}) == len(imported.facts)
