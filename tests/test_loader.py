"""The content loader and checker: one case per kind of error, with its exact message."""

from __future__ import annotations

from pathlib import Path

import pytest

from quizapp.bank import build_bank, load_content
from quizapp.bank.text import normalize_answer, normalize_passage, quote_in

ESSAY = "printing-press"


def edit(content_dir: Path, name: str, old: str, new: str) -> None:
    path = content_dir / ESSAY / name
    text = path.read_text(encoding="utf-8")
    assert old in text, f"test setup: {old!r} not in {name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def line_of(content_dir: Path, name: str, marker: str) -> int:
    lines = (content_dir / ESSAY / name).read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, start=1) if marker in line)


# (file, old text, new text, marker on the expected line, expected message after "file:line: ")
CASES = [
    pytest.param(
        "essay.md",
        "---\ntitle",
        "title",
        None,
        "essay.md has no front matter; start the file with a '---' line",
        id="no-front-matter",
    ),
    pytest.param(
        "essay.md",
        "year: 2020\n---",
        "year: 2020",
        None,
        "the front matter is not closed; add a '---' line after the front matter",
        id="front-matter-open",
    ),
    pytest.param(
        "essay.md",
        'title: "A Short Note on the Printing Press"\n',
        "",
        "author:",
        "the front matter has no 'title'; add 'title: ...'",
        id="no-title",
    ),
    pytest.param(
        "essay.md",
        "year: 2020",
        "yaer: 2020",
        "yaer",
        "unknown field 'yaer' in front matter; did you mean 'year'?",
        id="front-matter-typo",
    ),
    pytest.param(
        "essay.md",
        "[2] By 1500",
        "By 1500",
        "By 1500",
        "text outside a numbered paragraph; start the paragraph with its number, like "
        "'[1] The text ...', or a heading with '## '",
        id="unnumbered-paragraph",
    ),
    pytest.param(
        "essay.md",
        "[3] William",
        "[2] William",
        "[2] William",
        "paragraph number [2] is already used on line 11; give this paragraph a number that is "
        "not used yet",
        id="duplicate-paragraph",
    ),
    pytest.param(
        "essay.md",
        "[3] William",
        "[1] William",
        "[1] William",
        "paragraph number [1] is already used on line 7; give this paragraph a number that is "
        "not used yet",
        id="decreasing-paragraph",
    ),
    pytest.param(
        "topics.yaml",
        "  paras: [2, 3]",
        "  paras: [2, 9]",
        "paras: [2, 9]",
        "paragraph 9 does not exist in essay.md; list only paragraph numbers that essay.md has",
        id="topic-bad-para",
    ),
    pytest.param(
        "facts.yaml",
        "  kind: person\n  para: 1",
        "  kind: person\n  para: 1: 2",
        "para: 1: 2",
        None,
        id="yaml-syntax",
    ),
    pytest.param(
        "facts.yaml",
        '  distractors: ["William Caxton"',
        '  distractor: ["William Caxton"',
        "distractor:",
        "unknown field 'distractor' in a fact; did you mean 'distractors'?",
        id="unknown-field",
    ),
    pytest.param(
        "facts.yaml",
        "- id: press-town",
        "- id: gutenberg-press  # copied",
        "# copied",
        "id 'gutenberg-press' is already used at content/printing-press/facts.yaml:1; give this "
        "entry an id of its own",
        id="duplicate-id",
    ),
    pytest.param(
        "facts.yaml",
        "- id: press-town",
        "- id: Press Town",
        "Press Town",
        "id 'Press Town' is not lowercase words joined by hyphens; write 'id: press-town'",
        id="bad-id",
    ),
    pytest.param(
        "facts.yaml",
        '  topic: invention\n  text: "The first',
        '  topic: inventoin\n  text: "The first',
        "inventoin",
        "unknown topic 'inventoin'; did you mean 'invention'?",
        id="unknown-topic",
    ),
    pytest.param(
        "facts.yaml",
        "  kind: year\n  para: 1",
        "  kind: yeer\n  para: 1",
        "yeer",
        "unknown kind 'yeer'; did you mean 'year'?",
        id="unknown-kind",
    ),
    pytest.param(
        "facts.yaml",
        "  kind: place\n  para: 1",
        "  kind: place\n  para: 7",
        "para: 7",
        "paragraph 7 does not exist in essay.md; use a paragraph number between 1 and 3",
        id="missing-paragraph",
    ),
    pytest.param(
        "facts.yaml",
        'quote: "in Mainz around 1450"',
        'quote: "in Mainz about 1450"',
        "Mainz about",
        "quote is not found verbatim in paragraph 1; paragraph 1 reads (differences marked "
        "[-essay-]{+quote+}): “in Mainz [-around-]{+about+} 1450”; copy the words exactly",
        id="quote-not-verbatim",
    ),
    pytest.param(
        "facts.yaml",
        'quote: "His Bible, printed in 1455"\n',
        'quote: "Venice became the largest centre"\n',
        'Venice became the largest centre"',
        "quote is not found verbatim in paragraph 1; it is in paragraph 2: write 'para: 2'",
        id="quote-wrong-paragraph",
    ),
    pytest.param(
        "facts.yaml",
        "in {{1455}}.",
        "in 1455.",
        "in 1455.",
        "the fact's text has no answer marked; mark each answer as {{answer}} or "
        "{{answer|alternative}}",
        id="cloze-no-answer",
    ),
    pytest.param(
        "facts.yaml",
        "in {{1455}}.",
        "in {{1455}.",
        "in {{1455}.",
        "the fact's text has unbalanced '{{' or '}}'; mark each answer as {{answer}} or "
        "{{answer|alternative}}",
        id="cloze-unbalanced",
    ),
    pytest.param(
        "facts.yaml",
        '["Venice", "Westminster", "Paris"]',
        '["Venice", "Mainz", "Paris"]',
        '["Venice", "Mainz", "Paris"]',
        "distractor 'Mainz' is also a correct answer; remove it from 'distractors' or from the "
        "answers",
        id="distractor-is-answer",
    ),
    pytest.param(
        "facts.yaml",
        'date: "1455"',
        'date: "1455-13"',
        "1455-13",
        "date '1455-13' is not a date; write YYYY, YYYY-MM, YYYY-MM-DD, 'June 2021', '14 June 2021', 'c. 1850' or '350 BC'",
        id="bad-date",
    ),
    pytest.param(
        "facts.yaml",
        "- id: press-town\n",
        "- id: press-town\n  supports: method-prooven\n",
        "supports:",
        "unknown claim 'method-prooven'; did you mean 'method-proven'?",
        id="unknown-argument",
    ),
    pytest.param(
        "arguments.yaml",
        "stance: rejects",
        "stance: neutral",
        "neutral",
        "unknown stance 'neutral'; use one of: endorses, rejects",
        id="bad-stance",
    ),
    pytest.param(
        "arguments.yaml",
        '    reasons:\n      - text: "Presses worked in over two hundred towns by 1500."\n        para: 2\n'
        '        quote: "more than two hundred towns"\n',
        "",
        "- id: printing-spread-fast",
        "a claim has no 'reasons'; add 'reasons:' with at least one reason, or 'reasons: []' "
        "when the essay gives none but its own words (the claim is then asked only as a stance)",
        id="claim-no-reasons",
    ),
    pytest.param(
        "arguments.yaml",
        '    reasons:\n      - text: "Presses worked in over two hundred towns by 1500."\n        para: 2\n'
        '        quote: "more than two hundred towns"\n',
        "    reasons: []\n",
        "reasons: []",
        "a claim has no reasons, and nothing to teach it from; add an 'opposing:' view with its "
        "'rebuttal:'",
        id="claim-empty-reasons-no-view",
    ),
    pytest.param(
        "arguments.yaml",
        'quote: "small, cheap editions of the classics"',
        'quote: "small and cheap editions"',
        "small and cheap",
        "quote is not found verbatim in paragraph 2; paragraph 2 reads (differences marked "
        "[-essay-]{+quote+}): “small [-,-]{+and+} cheap editions”; copy the words exactly",
        id="reason-quote",
    ),
    pytest.param(
        "quizzes.yaml",
        "grading: highest",
        "grading: best",
        "grading: best",
        "unknown grading 'best'; did you mean 'highest'?",
        id="bad-grading",
    ),
    pytest.param(
        "quizzes.yaml",
        "topics: [invention]",
        "topics: [invension]",
        "invension",
        "unknown topic 'invension'; did you mean 'invention'?",
        id="quiz-topic",
    ),
    pytest.param(
        "quizzes.yaml",
        "{single: 1, true_false: 1, cloze: 1}",
        "{single: 1, truefalse: 1, cloze: 1}",
        "truefalse",
        "unknown question type 'truefalse'; did you mean 'true_false'?",
        id="unknown-type",
    ),
    pytest.param(
        "quizzes.yaml",
        "{single: 1, true_false: 1, cloze: 1}",
        "{single: 1, true_false: 1, cloze: 2}",
        "cloze: 2",
        "the mix adds up to 4 questions but 'questions' is 3; make the counts add up "
        "to 3, or write 'questions: 4'",
        id="mix-sum",
    ),
    pytest.param(
        "quizzes.yaml",
        "questions: 3\n  mix: {single: 1, true_false: 1, cloze: 1}",
        "questions: 3\n  mix: {ordering: 1, true_false: 1, cloze: 1}",
        "ordering: 1, true_false",
        "quiz 'invention-quiz' asks for 1 'ordering' question(s) but its topics supply 0; remove "
        "'ordering' from the mix, or add content that makes such items",
        id="mix-unsatisfiable",
    ),
    pytest.param(
        "facts.yaml",
        "  kind: person\n  para: 1\n",
        "  kind: person\n  typed: maybe\n  para: 1\n",
        "typed: maybe",
        "'typed' must be true or false; write 'typed: true' to make typed items from a fact "
        "whose every right wording is listed, 'typed: false' to ask it only as choices",
        id="typed-not-bool",
    ),
    pytest.param(
        "facts.yaml",
        "  kind: person\n  para: 1\n",
        "  kind: person\n  choice: never\n  para: 1\n",
        "choice: never",
        "'choice' must be true or false; write 'choice: false' to keep a fact whose answer "
        "general knowledge gives out of single-choice items",
        id="choice-not-bool",
    ),
    pytest.param(
        "quizzes.yaml",
        "attempts: 2",
        "attempts: two",
        "attempts: two",
        "'attempts' must be a whole number of at least 0, not 'two'; write 'attempts: 1' or "
        "another whole number",
        id="not-a-number",
    ),
]


@pytest.mark.parametrize(("name", "old", "new", "marker", "message"), CASES)
def test_each_content_error_names_file_line_and_fix(
    tiny_dir: Path, name: str, old: str, new: str, marker: str | None, message: str | None
) -> None:
    edit(tiny_dir, name, old, new)
    result = load_content(tiny_dir)
    assert not result.ok
    assert result.essays == {}, "an essay with errors must not be served"
    line = line_of(tiny_dir, name, marker) if marker else 1
    rendered = [str(e) for e in result.errors]
    if message is None:  # YAML syntax: the parser's own words, at the right place
        assert any(
            r.startswith(f"content/{ESSAY}/{name}:{line}: YAML syntax error") for r in rendered
        ), rendered
    else:
        assert f"content/{ESSAY}/{name}:{line}: {message}" in rendered


def test_all_errors_are_reported_at_once(tiny_dir: Path) -> None:
    edit(tiny_dir, "facts.yaml", "kind: year\n  para: 1", "kind: yeer\n  para: 1")
    edit(tiny_dir, "quizzes.yaml", "grading: highest", "grading: best")
    edit(tiny_dir, "arguments.yaml", "stance: rejects", "stance: refutes")
    files = {e.file.rsplit("/", 1)[1] for e in load_content(tiny_dir).errors}
    assert files == {"facts.yaml", "quizzes.yaml", "arguments.yaml"}


def test_missing_file_and_bad_encoding(tiny_dir: Path) -> None:
    (tiny_dir / ESSAY / "topics.yaml").unlink()
    (tiny_dir / ESSAY / "quizzes.yaml").write_bytes(b"- id: q\n  title: caf\xe9\n")
    rendered = [str(e) for e in load_content(tiny_dir).errors]
    assert (
        f"content/{ESSAY}/topics.yaml:1: topics.yaml is missing; create topics.yaml (see the README)"
        in rendered
    )
    assert (
        f"content/{ESSAY}/quizzes.yaml:2: the file is not valid UTF-8; save the file with UTF-8 encoding"
        in rendered
    )


def test_quotes_compare_modulo_whitespace_and_typographic_quotes() -> None:
    paragraph = "He called them a \u201crecognized political force\u201d and\nleft."
    assert quote_in('a "recognized political force" and left', paragraph)
    assert not quote_in("a recognised political force", paragraph)
    assert normalize_passage("\u2018a\u2019  \n b") == "'a' b"


@pytest.mark.parametrize(
    ("raw", "folded"),
    [
        ("The Kremlin", "kremlin"),
        ("Lavrov", "lavrov"),
        ("Anna", "anna"),
        ("theatre", "theatre"),
        ("L’Observatoire", "observatoire"),
        ("  São  Paulo! ", "sao paulo"),
        ("A", "a"),
    ],
)
def test_normalize_answer_folds_case_accents_punctuation_and_articles(
    raw: str, folded: str
) -> None:
    assert normalize_answer(raw) == folded


def test_tiny_essay_loads_into_an_immutable_model(tiny_dir: Path) -> None:
    result = load_content(tiny_dir)
    assert result.ok, result.errors
    content = result.essays[ESSAY]
    assert [p.number for p in content.essay.paragraphs] == [1, 2, 3]
    assert content.essay.paragraphs[1].section == "Spread"
    fact = next(f for f in content.facts if f.id == "gutenberg-press")
    assert fact.blanks[0].answers == ("Johannes Gutenberg", "Gutenberg")
    with pytest.raises(AttributeError):
        fact.text = "changed"  # type: ignore[misc]
    final = content.quiz("final")
    assert final is not None and final.topics == ("invention", "spread") and final.time_limit == 10


def test_a_claim_without_grounds_is_taught_against_the_view_it_answers(tiny_dir: Path) -> None:
    """'reasons: []': a claim the essay only asserts (its one "reason" would restate it, the
    ninth blind review) makes no reason items; its card asks what the author holds instead of
    the opposing view, and the card's answer is the claim and the author's rebuttal."""
    edit(
        tiny_dir,
        "arguments.yaml",
        '    reasons:\n      - text: "Presses worked in over two hundred towns by 1500."\n'
        '        para: 2\n        quote: "more than two hundred towns"\n',
        '    reasons: []\n    opposing:\n      - text: "Printing stayed a German craft."\n'
        '        para: 2\n        rebuttal: "By 1500 presses worked all over Europe."\n',
    )
    result = load_content(tiny_dir)
    assert result.ok, [str(e) for e in result.errors]
    content = result.essays[ESSAY]
    bank = build_bank(content, seed=1)
    made = {i.id for i in bank.items}
    assert "printing-spread-fast:reason" not in made
    assert "printing-spread-fast:reasons_multiple" not in made
    assert "printing-spread-fast:stance" in made
    (card,) = [c for c in bank.cards if c.id == "printing-spread-fast:card"]
    assert card.front == (
        "The author rejects the view that “Printing stayed a German craft”. "
        "What does the author hold instead?"
    )
    assert card.back == (
        "Printing spread quickly across Europe. By 1500 presses worked all over Europe."
    )
