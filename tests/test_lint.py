"""The quality linter: each rule flags a bad example and passes the good one."""

from __future__ import annotations

from pathlib import Path

import pytest

from quizapp.bank import load_content
from quizapp.bank.lint import lint

from .conftest import make_app

ESSAY = "printing-press"


def warnings(content_dir: Path) -> list[str]:
    result = load_content(content_dir)
    assert result.ok, [str(e) for e in result.errors]
    return [str(w) for w in lint(content_dir / ESSAY, result.essays[ESSAY], content_dir)]


def edit(content_dir: Path, name: str, old: str, new: str) -> None:
    path = content_dir / ESSAY / name
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new, 1))


def test_the_tiny_essay_is_clean(tiny_dir: Path) -> None:
    assert warnings(tiny_dir) == []


# (file, text to replace, bad replacement, expected warning fragment)
CASES = {
    "pronoun": (
        "arguments.yaml",
        '"William Caxton set up a press at Westminster in 1476."',
        '"He set up a press at Westminster in 1476."',
        "starts with 'He', which points to nothing",
    ),
    "standalone statement": (
        "facts.yaml",
        'false: ["Caxton had learned the printing trade in Venice."]',
        'false: ["He had learned the printing trade in Venice."]',
        "points to nothing when the statement is shown on its own",
    ),
    "answer outside its blank": (
        "facts.yaml",
        'text: "{{William Caxton|Caxton}} brought printing to England."',
        'text: "{{William Caxton|Caxton}} brought printing to England, where Caxton worked."',
        "also stands in the fact's sentence outside its blank",
    ),
    "hedged false": (
        "facts.yaml",
        '"The first press with movable metal type was built in Venice."',
        '"The first press with movable metal type was built in Mainz around 1460."',
        None,  # no hedge word before the change: not flagged (the control for the next case)
    ),
    "hedged false under 'more than'": (
        "facts.yaml",
        'text: "By 1500, presses worked in more than {{two hundred|200}} towns."',
        'text: "By 1500, presses worked in more than {{two hundred|200}} towns."\n'
        '  false: ["By 1500, presses worked in more than fifty towns."]',
        "changes words after 'more than', so it may still be true",
    ),
    "distractor true under a bound": (
        "facts.yaml",
        'distractors: ["three hundred", "five hundred", "one thousand"]',
        'distractors: ["150", "five hundred", "one thousand"]',
        "distractor '150' is true as well",
    ),
    "term without class": (
        "facts.yaml",
        "- id: caxton-trained",
        '- id: classics\n  topic: spread\n  text: "Manutius printed cheap editions of the {{classics}}."\n'
        '  kind: term\n  para: 2\n  quote: "cheap editions of the classics"\n- id: caxton-trained',
        "term fact 'classics' has no 'word_class'",
    ),
    "date without event": (
        "facts.yaml",
        '  event: "Printing reaches England"\n',
        "",
        "has a date but no 'event'",
    ),
    "state as event": (
        "facts.yaml",
        '  event: "Printing reaches England"',
        '  event: "Printing has been established in England"',
        "reads as a state or a period",
    ),
    "near duplicate": (
        "facts.yaml",
        "- id: caxton-trained",
        '- id: caxton-again\n  topic: spread\n  text: "{{William Caxton}} brought printing to England."\n'
        '  kind: person\n  para: 3\n  quote: "William Caxton brought printing to England"\n'
        "- id: caxton-trained",
        "fact 'caxton-again' nearly repeats fact 'caxton-england'",
    ),
    "odd one out": (
        "facts.yaml",
        'distractors: ["Mainz", "Basel", "Paris"]',
        'distractors: ["the city of Mainz on the Rhine", "the Swiss city of Basel", '
        '"the French capital Paris"]',
        "stands out from its distractors by its length",
    ),
    "odd one out by a hedge": (
        "facts.yaml",
        'distractors: ["three hundred", "five hundred", "one thousand"]',
        'distractors: ["only three", "only five", "only ten"]',
        "stands out from its distractors by a hedge",
    ),
    "quote cut before its negation": (
        "facts.yaml",
        'text: "The first press with movable metal type was built in {{Mainz}}."',
        'text: "The first press with movable metal type was not built in Basel but in {{Mainz}}."',
        "says 'not' but its quote has no such word",
    ),
    "answer not in quote": (
        "facts.yaml",
        'quote: "He had learned the trade in Cologne"',
        'quote: "He had learned the trade"',
        "the answer 'Cologne' of fact 'caxton-trained' is not in its quote",
    ),
    "opposing view without rebuttal": (
        "arguments.yaml",
        '        rebuttal: "The author holds that printing spread learning far more than error."\n',
        "",
        "an opposing view has no 'rebuttal'",
    ),
    "key alone in its register": (
        "arguments.yaml",
        '"William Caxton set up a press at Westminster in 1476."',
        '"William Caxton could set up a press at Westminster in 1476."',
        "is hedged ('could', 'may'...) and no distractor for this claim is",
    ),
    "false by common sense": (
        "facts.yaml",
        'false: ["Westminster became the largest centre of printing."]',
        'false: ["The fall of Venice made printing much easier."]',
        "contradicts its own premise",
    ),
    "punctuation": (
        "arguments.yaml",
        'text: "Venice led European printing."',
        'text: "Venice led European printing ."',
        "shows",
    ),
}


@pytest.mark.parametrize(
    "case", [k for k, v in CASES.items() if v[3] is not None], ids=lambda k: k.replace(" ", "-")
)
def test_each_rule_flags_its_bad_example(tiny_dir: Path, case: str) -> None:
    name, old, new, expected = CASES[case]
    edit(tiny_dir, name, old, new)
    found = warnings(tiny_dir)
    assert any(expected in w for w in found), found
    # file:line and a fix, like the loader's errors
    assert all(w.split(":")[0].endswith((".yaml", ".md")) and "; " in w for w in found)


def test_a_changed_word_without_a_quantifier_is_not_flagged(tiny_dir: Path) -> None:
    name, old, new, _ = CASES["hedged false"]
    edit(tiny_dir, name, old, new)
    assert not any("may still be true" in w for w in warnings(tiny_dir))


def test_a_claim_with_too_few_distractors_is_flagged(tiny_dir: Path) -> None:
    path = tiny_dir / ESSAY / "arguments.yaml"
    text = path.read_text()
    start = text.index('    distractors:\n      - {text: "The Bible was the first book')
    end = text.index("  - id: cheap-books-harmful")
    path.write_text(text[:start] + text[end:])
    assert any("claim 'method-proven' has" in w and "it needs 3" in w for w in warnings(tiny_dir))


def test_an_infeasible_quiz_and_an_untested_topic_are_flagged(tiny_dir: Path) -> None:
    edit(
        tiny_dir,
        "quizzes.yaml",
        "  mix: {single: 2, true_false: 2, cloze: 1, short_answer: 1, stance: 2, reason: 1}",
        "  mix: {single: 2, true_false: 1, short_answer: 1, ordering: 1, matching: 1, stance: 1,"
        " reason: 1, evidence_matching: 1}",
    )
    assert any("cannot always be drawn" in w for w in warnings(tiny_dir))


def test_few_false_versions_are_flagged(tiny_dir: Path) -> None:
    path = tiny_dir / ESSAY / "facts.yaml"
    path.write_text(
        "\n".join(x for x in path.read_text().splitlines() if "  false:" not in x) + "\n"
    )
    assert any("have a false version" in w for w in warnings(tiny_dir))


def test_strict_check_fails_on_warnings(tiny_dir: Path, tmp_path: Path) -> None:
    runner = make_app(tmp_path, tiny_dir).test_cli_runner()
    assert runner.invoke(args=["content", "check", "--strict"]).exit_code == 0
    edit(tiny_dir, *CASES["pronoun"][:3])
    plain = runner.invoke(args=["content", "check"])
    strict = runner.invoke(args=["content", "check", "--strict"])
    assert plain.exit_code == 0 and "quality warning(s)" in plain.output
    assert strict.exit_code == 1 and "points to nothing" in strict.output


def test_an_article_that_does_not_fit_a_distractor_is_flagged(tiny_dir: Path) -> None:
    edit(
        tiny_dir,
        "facts.yaml",
        'text: "Caxton had learned the printing trade in {{Cologne}}."',
        'text: "Caxton had learned the printing trade in a {{Cologne}} workshop."',
    )
    assert not any("before the blank" in w for w in warnings(tiny_dir))
    edit(tiny_dir, "facts.yaml", '["Mainz", "Basel", "Paris"]', '["Antwerp", "Basel", "Paris"]')
    assert any(
        "'a' before the blank of fact 'caxton-trained' does not fit the distractor 'Antwerp'" in w
        for w in warnings(tiny_dir)
    )


def test_the_shipped_content_passes_strict() -> None:
    from .conftest import SHIPPED

    result = load_content(SHIPPED)
    assert result.ok, [str(e) for e in result.errors]
    for slug, content in result.essays.items():
        assert [str(w) for w in lint(SHIPPED / slug, content, SHIPPED)] == [], slug


def test_a_distractor_beyond_the_bound_is_not_flagged(tiny_dir: Path) -> None:
    assert not any("is true as well" in w for w in warnings(tiny_dir))  # 300, 500, 1000


def test_a_quote_with_the_negation_is_not_flagged(tiny_dir: Path) -> None:
    edit(
        tiny_dir,
        "facts.yaml",
        'text: "The first press with movable metal type was built in {{Mainz}}."',
        'text: "The first press with movable metal type was not built in Basel but in {{Mainz}}."',
    )
    edit(tiny_dir, "essay.md", "in Mainz around 1450", "not in Basel but in Mainz around 1450")
    edit(
        tiny_dir,
        "facts.yaml",
        'quote: "in Mainz around 1450"',
        'quote: "not in Basel but in Mainz"',
    )
    assert not any("but its quote has no such word" in w for w in warnings(tiny_dir))


def test_a_key_in_a_register_some_distractor_shares_is_not_flagged(tiny_dir: Path) -> None:
    # the good example for "key alone in its register": a written distractor says "could" too
    edit(
        tiny_dir,
        "arguments.yaml",
        '"William Caxton set up a press at Westminster in 1476."',
        '"William Caxton could set up a press at Westminster in 1476."',
    )
    edit(
        tiny_dir,
        "arguments.yaml",
        'quote: "setting up his press at Westminster"',
        'quote: "setting up his press at Westminster"\n    distractors:\n'
        '      - {text: "English printers could buy presses from Venice.", why: "not in the note"}',
    )
    assert not [w for w in warnings(tiny_dir) if "is hedged" in w]
