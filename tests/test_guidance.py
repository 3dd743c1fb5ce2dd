"""The checker's guidance: quote diffs, YAML errors in plain words, suggestions that keep the
meaning, and warnings about valid content that misleads students. Exact texts."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask

from quizapp.bank import load_content
from quizapp.bank.guidance import article_for, explain_yaml, suggest_choice, word_diff

from .conftest import make_app
from .test_loader import ESSAY, edit, line_of


def errors_of(content_dir: Path) -> list[str]:
    return [str(e) for e in load_content(content_dir).errors]


def test_a_quote_from_another_paragraph_names_it_with_a_diff(tiny_dir: Path) -> None:
    edit(
        tiny_dir,
        "facts.yaml",
        'quote: "in Mainz around 1450"',
        'quote: "Venice was the largest centre"',
    )
    line = line_of(tiny_dir, "facts.yaml", "Venice was the largest")
    assert errors_of(tiny_dir) == [
        f"content/{ESSAY}/facts.yaml:{line}: quote is not found verbatim in paragraph 1; it is "
        "closest to paragraph 2, which reads (differences marked [-essay-]{+quote+}): “Venice "
        "[-became-]{+was+} the largest centre”; write 'para: 2' and copy the words exactly"
    ]


def test_a_quote_like_nothing_in_the_essay_says_to_copy_it(tiny_dir: Path) -> None:
    edit(tiny_dir, "facts.yaml", 'quote: "in Mainz around 1450"', 'quote: "zebras dance at dawn"')
    line = line_of(tiny_dir, "facts.yaml", "zebras")
    assert errors_of(tiny_dir) == [
        f"content/{ESSAY}/facts.yaml:{line}: quote is not found verbatim in paragraph 1; copy "
        "the words exactly as they stand in paragraph 1"
    ]


def test_word_diff_marks_only_the_quoted_stretch() -> None:
    assert word_diff("He said, plainly, that it was over.", "said plainly that it is over") == (
        "said [-,-] plainly [-,-] that it [-was-]{+is+} over"
    )


@pytest.mark.parametrize(
    ("name", "old", "new", "marker", "expected"),
    [
        pytest.param(
            "topics.yaml",
            "title: The invention",
            "title: The invention: a press",
            "The invention: a press",
            "YAML syntax error: a colon inside the value of 'title' that is not in quotes; put "
            'the value in double quotes: title: "The invention: a press"',
            id="colon-in-value",
        ),
        pytest.param(
            "topics.yaml",
            "title: The invention",
            "title: @the invention",
            "@the invention",
            "YAML syntax error: a value cannot start with '@' unless it is in quotes; put the "
            'value in double quotes: title: "@the invention"',
            id="reserved-first-character",
        ),
        pytest.param(
            "topics.yaml",
            "  paras: [1]\n",
            "\tparas: [1]\n",
            "paras: [1]",
            "YAML syntax error: a tab is used to indent this line; indent with spaces, never tabs",
            id="tab",
        ),
        pytest.param(
            "facts.yaml",
            'quote: "in Mainz around 1450"',
            'quote: "in Mainz around 1450',
            None,
            "YAML syntax error: a quotation mark is opened but never closed; close the quote at "
            'the end of the value, or put a \\ before a " inside it',
            id="unclosed-quote",
        ),
        pytest.param(
            "facts.yaml",
            'distractors: ["Venice", "Westminster", "Paris"]',
            'distractors: ["Venice", "Westminster", "Paris"',
            '"Paris"',
            "YAML syntax error: a list in [ ] is not closed, or its items are not separated by "
            'commas; write the list as ["a", "b"] on one line, with quotes around items that '
            "hold commas",
            id="open-list",
        ),
        pytest.param(
            "facts.yaml",
            'quote: "in Mainz around 1450"',
            'quote: "in Mainz" around 1450',
            'Mainz" around',
            "YAML syntax error: text follows the closing quotation mark of a value; keep the "
            'whole value inside the quotes; write \\" for a quote inside it',
            id="text-after-quote",
        ),
        pytest.param(
            "topics.yaml",
            "  summary: Gutenberg's",
            " summary: Gutenberg's",
            "summary: Gutenberg",
            "YAML syntax error: this line is not indented like the fields around it; line it up "
            "with the other fields of the same entry (spaces only)",
            id="indentation",
        ),
    ],
)
def test_yaml_errors_in_plain_words(
    tiny_dir: Path, name: str, old: str, new: str, marker: str | None, expected: str
) -> None:
    edit(tiny_dir, name, old, new)
    # (a broken topics.yaml also makes the quizzes' topic ids unknown: only its own error counts)
    rendered = [e for e in errors_of(tiny_dir) if f"/{name}:" in e]
    assert len(rendered) == 1, rendered
    location, _, text = rendered[0].partition(": ")
    assert text == expected
    if marker:
        assert location == f"content/{ESSAY}/{name}:{line_of(tiny_dir, name, marker)}"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("agrees", "did you mean 'endorses'?"),
        ("supports", "did you mean 'endorses'?"),
        ("disagrees", "did you mean 'rejects'?"),
        ("endorse", "did you mean 'endorses'?"),
        ("reject", "did you mean 'rejects'?"),
        ("neutral", "use one of: endorses, rejects"),
    ],
)
def test_stance_suggestions_keep_the_meaning(tiny_dir: Path, value: str, expected: str) -> None:
    edit(tiny_dir, "arguments.yaml", "stance: endorses", f"stance: {value}")
    line = line_of(tiny_dir, "arguments.yaml", f"stance: {value}")
    assert errors_of(tiny_dir) == [
        f"content/{ESSAY}/arguments.yaml:{line}: unknown stance '{value}'; {expected}"
    ]


def test_agrees_is_never_read_as_rejects() -> None:
    assert suggest_choice("stance", "agrees", ["endorses", "rejects"]) == "endorses"
    assert suggest_choice("stance", "rejecs", ["endorses", "rejects"]) == "rejects"
    assert suggest_choice("stance", "agreed", ["endorses", "rejects"]) is None


def test_a_count_of_zero_is_told_to_leave_the_type_out(tiny_dir: Path) -> None:
    edit(
        tiny_dir,
        "quizzes.yaml",
        "{single: 1, true_false: 1, cloze: 1}",
        "{single: 0, true_false: 2, cloze: 1}",
    )
    line = line_of(tiny_dir, "quizzes.yaml", "single: 0")
    assert errors_of(tiny_dir) == [
        f"content/{ESSAY}/quizzes.yaml:{line}: the count for 'single' must be a whole number "
        ">= 1; remove 'single' from the mix to ask none"
    ]


def test_explain_yaml_falls_back_to_the_parsers_words() -> None:
    assert explain_yaml("something odd", "", "x: y") == (
        "YAML could not read this line (something odd)",
        "check indentation, colons and quotes on this line",
    )


# --- warnings --------------------------------------------------------------------------------


def check_output(tmp_path: Path, content_dir: Path) -> tuple[int, str]:
    app: Flask = make_app(tmp_path, content_dir)
    result = app.test_cli_runner().invoke(args=["content", "check"])
    return result.exit_code, result.output


def test_the_tiny_essay_has_no_warnings(tmp_path: Path, tiny_dir: Path) -> None:
    code, out = check_output(tmp_path, tiny_dir)
    assert code == 0
    assert out.endswith("quality: no warnings\n")


def test_warnings_for_valid_content_that_misleads(tmp_path: Path, tiny_dir: Path) -> None:
    # an answer its quote does not state
    edit(tiny_dir, "facts.yaml", 'quote: "in Mainz around 1450"', 'quote: "around 1450"')
    # a fact quoting a paragraph its topic does not cover (paragraph 2, topic 'invention')
    edit(
        tiny_dir,
        "facts.yaml",
        "- id: gutenberg-press\n  topic: invention",
        '- id: venice-centre\n  topic: invention\n  text: "{{Venice}} became the largest '
        'centre."\n  kind: place\n  para: 2\n  quote: "Venice became the largest centre"\n'
        "- id: gutenberg-press\n  topic: invention",
    )
    # no thesis, no quizzes
    arguments = tiny_dir / ESSAY / "arguments.yaml"
    text = arguments.read_text(encoding="utf-8")
    arguments.write_text(text[text.index("claims:") :], encoding="utf-8")
    (tiny_dir / ESSAY / "quizzes.yaml").write_text("[]\n", encoding="utf-8")
    code, out = check_output(tmp_path, tiny_dir)
    assert code == 0, out
    town = line_of(tiny_dir, "facts.yaml", "id: press-town")
    venice = line_of(tiny_dir, "facts.yaml", "id: venice-centre")
    lines = out.splitlines()
    for expected in (
        f"  content/{ESSAY}/arguments.yaml:1: the essay has no thesis; add 'thesis:' with the "
        "essay's main claim (id, text, para, quote)",
        f"  content/{ESSAY}/facts.yaml:{venice}: fact 'venice-centre' quotes paragraph 2, outside "
        "its topic 'invention' (paragraphs 1); file it under 'spread', which covers paragraph 2, "
        "or add 2 to the topic's paras",
        f"  content/{ESSAY}/facts.yaml:{town}: the answer 'Mainz' of fact 'press-town' is not in "
        "its quote; quote the words of the essay that state the answer, so students can check it",
        f"  content/{ESSAY}/quizzes.yaml:1: the essay has no quizzes: students can study its "
        "cards but take no quiz; add a quiz, e.g. '- id: final-exam' with title, topics: all, "
        "questions and mix",
    ):
        assert expected in lines, out


@pytest.mark.parametrize(
    ("word", "article"),
    [
        ("ally", "an"),
        ("rival", "a"),
        ("hour", "an"),
        ("union", "a"),
        ("European", "a"),
        ("Iran", "an"),
        ("NATO", "a"),
        ("“ally”", "an"),
        ("one-off", "a"),
        ("umbrella", "an"),
    ],
)
def test_article_rule_of_thumb(word: str, article: str) -> None:
    assert article_for(word) == article


def test_warns_when_a_distractor_breaks_the_article(tmp_path: Path, tiny_dir: Path) -> None:
    edit(
        tiny_dir,
        "facts.yaml",
        "- id: gutenberg-press\n",
        '- id: press-owner\n  topic: invention\n  text: "Gutenberg was a {{goldsmith}} by '
        'trade."\n  kind: term\n  para: 1\n  quote: "Johannes Gutenberg built a press"\n'
        '  distractors: ["printer", "engraver", "monk"]\n'
        "- id: gutenberg-press\n",
    )
    code, out = check_output(tmp_path, tiny_dir)
    line = line_of(tiny_dir, "facts.yaml", "id: press-owner")
    assert code == 0
    assert (
        f"  content/{ESSAY}/facts.yaml:{line}: 'a' before the blank of fact 'press-owner' does "
        "not fit the distractor 'engraver' (students would read 'a engraver'); put the article "
        "inside the answers, e.g. '{{an ally|ally}}', or choose distractors that take the same "
        "article\n"
    ) in out


def test_dates_written_compactly_in_the_quote_count_as_stated() -> None:
    from quizapp.bank.guidance import _answer_in

    quote = "the Beslan school (September 1-3, 2004)"
    assert _answer_in(["September 1, 2004"], quote, loose=True)
    assert not _answer_in(["September 2, 2004"], quote, loose=True)
    assert not _answer_in(["September 1, 2004"], quote), "names and terms stay verbatim"
