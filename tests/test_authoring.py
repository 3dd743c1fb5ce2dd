"""Authoring: `content new`, `content draft`, `content preview` on an essay the tests ship."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask

from quizapp.authoring.new import parse_text, split_blocks, typographic
from quizapp.bank import load_content

from .conftest import TESTS, make_app

TELEGRAPH = TESTS / "data" / "authoring" / "telegraph.md"
SEED = Path("/work/shared/seed/essay.txt")


@pytest.fixture
def empty_app(tmp_path: Path) -> Flask:
    content = tmp_path / "content"
    content.mkdir()
    return make_app(tmp_path, content)


def cli(app: Flask, *args: str) -> tuple[int, str]:
    result = app.test_cli_runner().invoke(args=list(args))
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.output


def content_dir(app: Flask) -> Path:
    return Path(app.config["CONTENT_DIR"])


def test_new_makes_a_folder_whose_check_names_the_next_step(empty_app: Flask) -> None:
    code, out = cli(
        empty_app, "content", "new", str(TELEGRAPH), "--author", "A. Writer", "--year", "2024"
    )
    assert code == 0, out
    folder = content_dir(empty_app) / "the-cable-under-the-sea"
    essay = (folder / "essay.md").read_text(encoding="utf-8")
    assert essay.startswith(
        '---\ntitle: "The Cable Under the Sea"\nauthor: "A. Writer"\nyear: 2024\n---\n\n[1] '
        "The first message sent across the Atlantic by cable arrived in August 1858,"
    )
    assert "\n## Field and his company\n\n[2] The project belonged to Cyrus Field" in essay
    assert "[6] We should not imagine" in essay
    assert "Heart’s Content" in essay  # typographic apostrophe
    topics = (folder / "topics.yaml").read_text(encoding="utf-8")
    assert "- id: introduction\n" in topics and "- id: the-great-eastern\n" in topics
    assert "  paras: [2, 3]\n" in topics
    quizzes = (folder / "quizzes.yaml").read_text(encoding="utf-8")
    assert quizzes.count("- id: ") == 5 and "- id: final-exam\n" in quizzes
    expected = (
        "the-cable-under-the-sea/facts.yaml:1: facts.yaml has no facts yet, so the quizzes "
        "have no questions; run 'quizapp content draft the-cable-under-the-sea' and paste "
        "the candidates you keep into facts.yaml"
    )
    assert f"Next:\n  content/{expected}\n" in out
    code, out = cli(empty_app, "content", "check")
    assert code == 1
    assert out.strip().endswith(expected)


def test_new_never_overwrites(empty_app: Flask) -> None:
    assert cli(empty_app, "content", "new", str(TELEGRAPH), "--slug", "cable")[0] == 0
    essay = content_dir(empty_app) / "cable" / "essay.md"
    essay.write_text("mine", encoding="utf-8")
    code, out = cli(empty_app, "content", "new", str(TELEGRAPH), "--slug", "cable")
    assert code == 1
    assert "cable already exists; choose another --slug (nothing written)" in out
    assert essay.read_text(encoding="utf-8") == "mine"


def test_new_without_author_or_year_says_what_to_add(empty_app: Flask) -> None:
    code, out = cli(empty_app, "content", "new", str(TELEGRAPH), "--slug", "cable")
    assert code == 0
    assert "content/cable/essay.md:3: 'author' is empty; write the author after 'author:'" in out
    assert "content/cable/essay.md:2: the front matter has no 'year'; add 'year: <number>'" in out


def test_one_paragraph_per_line_with_unpunctuated_headings() -> None:
    essay = parse_text(
        "First paragraph, one line.\nSecond paragraph.\nA Heading\nThird paragraph.\n"
    )
    assert [(s.title, s.paras) for s in essay.sections] == [
        (None, (1, 2)),
        ("A Heading", (3,)),
    ]
    assert essay.title is None


def test_markdown_headings_and_wrapped_paragraphs() -> None:
    blocks = split_blocks("# Title\n\n## Part one\nline one\nline two.\n\nNext one.\n")
    assert [(b.text, b.heading) for b in blocks] == [
        ("Title", True),
        ("Part one", True),
        ("line one line two.", False),
        ("Next one.", False),
    ]


def test_typographic_cleanup() -> None:
    assert typographic("He said  \"no\" -- it's 'odd' ...") == "He said “no” — it’s ‘odd’ …"
    assert typographic("well - known 1990-2000") == "well — known 1990-2000"


def test_new_on_the_seed_essay_keeps_the_shipped_paragraph_numbers(empty_app: Flask) -> None:
    if not SEED.exists():
        pytest.skip("the seed essay is not on this machine")
    code, _ = cli(empty_app, "content", "new", str(SEED), "--slug", "seed")
    assert code == 0
    shipped = load_content(TESTS.parent / "content").essays["russia-taliban"].essay
    text = (content_dir(empty_app) / "seed" / "essay.md").read_text(encoding="utf-8")
    for p in shipped.paragraphs:
        assert f"[{p.number}] {p.text[:60]}" in text
