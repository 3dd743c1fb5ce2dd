"""Authoring: `content new`, `content draft`, `content preview` on an essay the tests ship."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
import yaml
from flask import Flask

from quizapp.authoring.draft import (
    FactCandidate,
    Span,
    draft_folder,
    sentences,
    words_to_number,
)
from quizapp.authoring.draft.candidates import _distractors
from quizapp.authoring.new import parse_text, split_blocks, typographic
from quizapp.bank import build_bank, load_content
from quizapp.bank.loader import load_essay_folder
from quizapp.bank.model import Fact
from quizapp.bank.text import cloze_parts, normalize_answer, normalize_passage, quote_in
from quizapp.importers.attach import Question, attach
from quizapp.importers.csvfile import read_csv

from .conftest import SHIPPED, TESTS, make_app
from .test_loader import edit

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
    code, out = cli(
        empty_app,
        "content",
        "new",
        str(TELEGRAPH),
        "--slug",
        "cable",
        "--author",
        "A",
        "--year",
        "1",
    )
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


# --- content draft -------------------------------------------------------------------------


def test_draft_accepted_unchanged_passes_the_check_and_every_fact_makes_items(
    empty_app: Flask, tmp_path: Path
) -> None:
    cli(empty_app, "content", "new", str(TELEGRAPH), "--author", "A. Writer", "--year", "2024")
    slug = "the-cable-under-the-sea"
    out = tmp_path / "draft.yaml"
    code, message = cli(empty_app, "content", "draft", slug, "-o", str(out))
    assert code == 0, message
    draft = out.read_text(encoding="utf-8")
    facts_file = content_dir(empty_app) / slug / "facts.yaml"
    facts_file.write_text(facts_file.read_text(encoding="utf-8") + draft, encoding="utf-8")
    code, message = cli(empty_app, "content", "check")
    assert code == 0, message
    content = load_content(content_dir(empty_app)).essays[slug]
    drafted = yaml.safe_load(draft)
    assert len(drafted) >= 20 and len(content.facts) == len(drafted)
    bank = build_bank(content, 0)
    made = {fid for item in bank.items for fid in item.origin.ids}
    assert {f["id"] for f in drafted} <= made
    for fact in content.facts:
        assert quote_in(fact.quote, content.essay.paragraph(fact.para).text)
    kinds = {f["kind"] for f in drafted}
    assert {"year", "date", "number", "person", "place", "organization"} <= kinds
    # the answers a reader would pick out of this essay
    answers = {(f["kind"], cloze_parts(f["text"])[0]) for f in drafted}
    assert ("person", ("Cyrus Field", "Field")) in answers
    assert ("date", ("August 1858",)) in answers
    assert ("number", ("forty", "40")) in answers
    assert ("place", ("Liverpool",)) in answers
    dated = {f["date"] for f in drafted if "date" in f}
    assert {"1858-08", "1865", "1866-07"} <= dated
    assert [i for i in bank.items if i.type == "ordering"]


def test_draft_json_lists_the_same_entries_and_the_claims(empty_app: Flask) -> None:
    cli(
        empty_app,
        "content",
        "new",
        str(TELEGRAPH),
        "--slug",
        "cable",
        "--author",
        "A",
        "--year",
        "1",
    )
    code, yaml_out = cli(empty_app, "content", "draft", "cable")
    assert code == 0
    code, json_out = cli(empty_app, "content", "draft", "cable", "--format", "json")
    entries = json.loads(json_out)
    facts = [e for e in entries if e["candidate"] == "fact"]
    claims = [e for e in entries if e["candidate"] == "claim"]
    from_yaml = yaml.safe_load(yaml_out)
    strip = ("candidate", "score")
    assert [{k: v for k, v in f.items() if k not in strip} for f in facts] == from_yaml
    assert [f["score"] for f in facts] == sorted((f["score"] for f in facts), reverse=True)
    by_quote = {c["quote"]: c for c in claims}
    illusion = next(q for q in by_quote if q.startswith("It is an illusion"))
    assert by_quote[illusion]["stance"] == "rejects" and by_quote[illusion]["para"] == 6
    must = next(q for q in by_quote if q.startswith("Nevertheless, the cable must"))
    assert by_quote[must]["stance"] == "endorses"
    assert "# - id: claim-" in yaml_out  # claims are comments in the YAML: it stays facts.yaml


def test_draft_skips_what_facts_yaml_already_holds(empty_app: Flask) -> None:
    cli(
        empty_app,
        "content",
        "new",
        str(TELEGRAPH),
        "--slug",
        "cable",
        "--author",
        "A",
        "--year",
        "1",
    )
    _, first = cli(empty_app, "content", "draft", "cable")
    kept = "\n".join(first.split("\n\n")[1:2]) + "\n"  # the top candidate
    facts = content_dir(empty_app) / "cable" / "facts.yaml"
    facts.write_text(facts.read_text(encoding="utf-8") + kept, encoding="utf-8")
    _, second = cli(empty_app, "content", "draft", "cable")
    top = yaml.safe_load(kept)[0]
    again = yaml.safe_load(second)
    assert top["id"] not in {f["id"] for f in again}
    assert (top["para"], top["text"]) not in {(f["para"], f["text"]) for f in again}
    assert len(again) == len(yaml.safe_load(first)) - 1


def seed_text() -> str:
    """The shipped essay's text alone, as a teacher would paste it: one paragraph a line."""
    essay = load_content(SHIPPED).essays["russia-taliban"].essay
    lines = []
    for title, paragraphs in essay.sections:
        if title:
            lines.append(title)
        lines += [p.text for p in paragraphs]
    return "\n".join(lines) + "\n"


def test_draft_on_the_seed_essay_quotes_verbatim_and_recovers_shipped_facts(
    empty_app: Flask, tmp_path: Path
) -> None:
    source = tmp_path / "essay.txt"
    source.write_text(seed_text(), encoding="utf-8")
    cli(
        empty_app,
        "content",
        "new",
        str(source),
        "--slug",
        "seed",
        "--author",
        "N",
        "--year",
        "2021",
    )
    draft = draft_folder(content_dir(empty_app) / "seed")
    shipped = load_content(SHIPPED).essays["russia-taliban"]
    assert len(draft.facts) >= 50 and len(draft.claims) >= 5
    for entry in (*draft.facts, *draft.claims):
        assert quote_in(entry.quote, shipped.essay.paragraph(entry.para).text)
    thesis = next(c for c in draft.claims if c.para == 1)
    assert thesis.stance == "rejects" and "a mistake for the West" in thesis.quote
    recovered = [f for f in shipped.facts if any(recovers(c, f) for c in draft.facts)]
    # 38 of the 105 hand-written facts after the content pass on single-fact items (#10), where
    # names, dates and places a reader knows without the essay gave way to the essay's own
    # judgements (43 after the bank rework, 47 of 108 before it)
    assert len(recovered) >= 35, len(recovered)


def recovers(candidate: FactCandidate, fact: Fact) -> bool:
    """Same paragraph, overlapping passage, and an answer the hand-written fact accepts."""
    accepted = {normalize_answer(a) for b in fact.blanks for a in b.answers}
    ours, theirs = normalize_passage(candidate.quote), normalize_passage(fact.quote)
    return (
        candidate.para == fact.para
        and (theirs in ours or ours in theirs)
        and normalize_answer(candidate.answer) in accepted
    )


def test_sentences_are_verbatim_slices_and_keep_abbreviations() -> None:
    text = "It began c. 1850 in Mainz. J. Smith left in 1900. Then it ended."
    found = sentences(text)
    assert [s for _, s in found] == [
        "It began c. 1850 in Mainz.",
        "J. Smith left in 1900.",
        "Then it ended.",
    ]
    assert all(text[o : o + len(s)] == s for o, s in found)


@pytest.mark.parametrize(
    ("words", "value"),
    [("seven", 7), ("ninety-eight", 98), ("three hundred", 300), ("two thousand", 2000)],
)
def test_number_words(words: str, value: int) -> None:
    assert words_to_number(words) == value


def test_distractors_never_name_the_answer_under_another_name() -> None:
    span = Span(0, 6, "Moscow", "place")
    pool = {"place": Counter({"Kremlin": 5, "Russia": 4, "Kabul": 3, "Tehran": 2, "Ankara": 1})}
    assert _distractors(span, "Moscow won.", pool) == ("Kabul", "Tehran", "Ankara")
    person = Span(0, 9, "Joe Biden", "person", ("Biden",))
    people = {"person": Counter({"Biden": 3, "Putin": 2, "Vladimir Putin": 1, "Merkel": 1})}
    assert _distractors(person, "Joe Biden met Merkel.", people) == ("Putin",)


# --- imports that land in the essay ---------------------------------------------------------

QUIZLET = TESTS / "data" / "authoring" / "quizlet-telegraph.txt"
GIFT = TESTS / "data" / "authoring" / "telegraph.gift"


def new_cable(app: Flask) -> Path:
    cli(app, "content", "new", str(TELEGRAPH), "--slug", "cable", "--author", "A", "--year", "1")
    return content_dir(app) / "cable"


def test_quizlet_export_lands_on_the_paragraphs_that_state_it(empty_app: Flask) -> None:
    folder = new_cable(empty_app)
    code, out = cli(empty_app, "import", "csv", str(QUIZLET), "--essay", "cable")
    assert code == 0, out
    assert "Added 5 of 6 question(s) to " in out
    assert (
        "quizlet-telegraph.txt:6: no sentence of the essay states 'Samuel Morse'; it is in "
        "facts.yaml as a comment: add 'para' and a verbatim 'quote' to place it"
    ) in out
    facts = yaml.safe_load((folder / "facts.yaml").read_text(encoding="utf-8"))
    placed = {cloze_parts(f["text"])[0][0]: (f["para"], f["topic"], f["quote"]) for f in facts}
    assert placed["Cyrus Field"] == (
        2,
        "field-and-his-company",
        "The project belonged to Cyrus Field, a paper merchant from Massachusetts who had "
        "retired at the age of thirty-three.",
    )
    assert placed["Heart's Content"][0] == 4 and "Heart’s Content" in placed["Heart's Content"][2]
    assert {k: v[0] for k, v in placed.items()} == {
        "Cyrus Field": 2,
        "Great Eastern": 4,
        "Valentia Island": 4,
        "William Thomson": 2,
        "Heart's Content": 4,
    }
    assert all(f["kind"] == "term" for f in facts)
    assert "# - id: samuel-morse" in (folder / "facts.yaml").read_text(encoding="utf-8")
    # the placed facts are valid: the only complaints left are quizzes the 5 facts cannot fill
    _content, errors = load_essay_folder(folder, content_dir(empty_app))
    assert errors and all("quizzes.yaml" in e.file for e in errors)


def test_csv_with_question_answer_distractors_header(empty_app: Flask, tmp_path: Path) -> None:
    folder = new_cable(empty_app)
    export = tmp_path / "questions.csv"
    export.write_text(
        "Question,Answer,Distractors\n"
        '"Where did the 1865 cable start?",Valentia Island,"Dover; Calais; Brest"\n'
        "Who led the project?,Cyrus Field,William Thomson\n"
        "Who sang?,,\n",
        encoding="utf-8",
    )
    code, out = cli(empty_app, "import", "csv", str(export), "--essay", "cable")
    assert code == 1
    assert (
        "questions.csv:4: a row needs both a question and an answer; fill both columns, or delete the row"
        in out
    )
    facts = yaml.safe_load((folder / "facts.yaml").read_text(encoding="utf-8"))
    assert [(f["text"], f["para"], f.get("distractors")) for f in facts] == [
        ("Where did the 1865 cable start? — {{Valentia Island}}", 4, ["Dover", "Calais", "Brest"]),
        ("Who led the project? — {{Cyrus Field}}", 2, ["William Thomson"]),
    ]
    assert facts[0]["kind"] == "place" and facts[1]["kind"] == "person"


def test_gift_import_lands_in_an_existing_essay(empty_app: Flask) -> None:
    folder = new_cable(empty_app)
    code, out = cli(empty_app, "import", "gift", str(GIFT), "--essay", "cable")
    assert code == 0, out
    assert "Added 3 of 4 question(s)" in out
    assert "telegraph.gift:9: no sentence of the essay states 'Samuel Morse'" in out
    facts = yaml.safe_load((folder / "facts.yaml").read_text(encoding="utf-8"))
    by_answer = {cloze_parts(f["text"])[0][0]: f for f in facts}
    assert by_answer["August 1858"]["para"] == 1
    assert by_answer["August 1858"]["quote"].startswith("The first message sent across")
    assert by_answer["Great Eastern"]["para"] == 4
    assert by_answer["Great Eastern"]["distractors"] == ["Titanic", "Lusitania", "Britannia"]
    assert by_answer["William Thomson"]["para"] == 2
    assert not (content_dir(empty_app) / "telegraph").exists(), "no stand-in essay is made"


def test_gift_import_needs_a_destination(empty_app: Flask) -> None:
    code, out = cli(empty_app, "import", "gift", str(GIFT))
    assert code == 2
    assert "give --essay SLUG to add to an essay, or -o DIR for a new folder" in out


# --- content preview ------------------------------------------------------------------------


def test_preview_prints_items_and_cards_as_plain_text(tmp_path: Path, tiny_dir: Path) -> None:
    app = make_app(tmp_path, tiny_dir)
    code, out = cli(app, "content", "preview", "printing-press", "--type", "single")
    assert code == 0
    assert out.startswith("# 72 items, 19 cards in 'printing-press'; showing ")
    assert (
        "[single] gutenberg-press:single  (paragraph 1)\n"
        "  _____ built a press with movable metal type.\n"
        "    a) Johannes Gutenberg  <- right\n"
    ) in out
    assert "[true_false]" not in out and "[card" not in out
    code, out = cli(app, "content", "preview", "printing-press", "--type", "ordering")
    assert (
        "    1. A press with movable metal type is built\n"
        "    2. A printed Bible shows that books can be copied well\n"
        "    3. Printing reaches England\n    4. The New Testament of Erasmus comes off a press\n"
    ) in out
    assert "(paragraphs 1, 3, 2)" in out
    code, out = cli(app, "content", "preview", "printing-press", "--type", "cards")
    assert out.count("[card: ") == 19
    assert (
        "[card: cloze] bible-year:card  (paragraph 1)\n"
        "  Front: Gutenberg's Bible was printed in […].\n"
        "  Back: Gutenberg's Bible was printed in 1455.\n"
    ) in out
    code, out = cli(app, "content", "preview", "printing-press")
    assert out.count("\n[") == 72 + 19


def test_preview_of_broken_content_lists_the_errors(tmp_path: Path, tiny_dir: Path) -> None:
    edit(tiny_dir, "facts.yaml", "kind: year", "kind: yeer")
    app = make_app(tmp_path, tiny_dir)
    code, out = cli(app, "content", "preview", "printing-press")
    assert code == 1
    assert "1 error(s); fix them to preview:" in out and "unknown kind 'yeer'" in out


def test_a_common_answer_needs_a_sentence_that_reads_like_the_question() -> None:
    essay = load_content(SHIPPED).essays["russia-taliban"]
    topics = {t.id: t.paras for t in essay.topics}
    questions = [
        Question("q:1", "Bananas grow in {{two}} colours.", "How many colours do bananas grow in?"),
        Question(
            "q:2",
            "The Taliban ruled Afghanistan from 1996 until {{2001}}.",
            "Until when did the previous reign of the Taliban last?",
        ),
    ]
    result = attach(essay.essay, topics, questions)
    assert [q.source for q, _ in result.unmatched] == ["q:1"]
    assert [(p.record["para"], p.record["topic"]) for p in result.placed] == [(7, "russias-fears")]


def test_anki_plain_text_export_is_read() -> None:
    text = (
        "#separator:tab\n#html:true\n"
        "Valentia <b>Island</b>\twhere the 1865 cable <i>started</i>\n"
        "{odd}|term\ta definition\n"
        "\tno term\n"
    )
    questions, errors = read_csv(text, "deck.txt")
    assert [(q.text, q.prompt, q.source) for q in questions] == [
        (
            "{{Valentia Island}}: where the 1865 cable started.",
            "where the 1865 cable started",
            "deck.txt:3",
        ),
        ("{{(odd)/term}}: a definition.", "a definition", "deck.txt:4"),
    ]
    assert [str(e) for e in errors] == [
        "deck.txt:5: a row needs both a term and a definition; fill both columns, or delete the row"
    ]


def test_distractors_take_the_article_before_the_blank() -> None:
    sentence = "It was a bold plan."
    span = Span(9, 13, "bold", "term")
    pool = {"keyword": Counter({"awful": 3, "brave": 2, "early": 2, "timid": 1, "costly": 1})}
    assert _distractors(span, sentence, pool) == ("brave", "costly", "timid")
