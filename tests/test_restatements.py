"""`restates:` links: content that says the same across sentences is kept out of one attempt.

The seventh blind review found 13 of 40 final exams giving an answer away through a
restatement in another sentence (a reason of paragraph 1 refuting a false option about
paragraph 8; "godsend" in one item and "windfall" in another's prompt).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from quizapp.bank import assemble_quiz, build_bank, load_content
from quizapp.bank.generate import APART, FEWEST_LEAKS, NO_LEAKS, STEPS, draw_quiz, sharing
from quizapp.bank.loader import load_essay_folder
from quizapp.bank.model import EssayContent, Item
from quizapp.bank.passages import Passages
from quizapp.bank.restatements import candidates, content_words, hints

from .conftest import SHIPPED, make_app
from .test_loader import ESSAY, edit, line_of


def load(content_dir: Path) -> EssayContent:
    content, errors = load_essay_folder(content_dir / ESSAY, content_dir)
    assert content is not None, errors
    return content


def fact_item(content: EssayContent, fact_id: str) -> Item:
    return next(i for i in build_bank(content, 0).items if i.id == f"{fact_id}:cloze")


# --- the loader ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("new", "message"),
    [
        pytest.param(
            "restates: [caxton-plaec]",
            "'restates' names unknown content 'caxton-plaec'; did you mean 'caxton-place'?",
            id="typo",
        ),
        pytest.param(
            "restates: [cheap-books-harmful#reason-3]",
            "'restates' names unknown content 'cheap-books-harmful#reason-3'; "
            "'cheap-books-harmful' has reasons cheap-books-harmful#reason-1 to #reason-2 and "
            "opposing views #opposing-1 to #opposing-1 (counted from 1 in the file's order)",
            id="reason-number",
        ),
        pytest.param(
            "restates: [press-town]",
            "'press-town' restates itself; name another entry in 'restates'",
            id="itself",
        ),
        pytest.param(
            "restates: caxton-place",
            "'restates' must be a list of texts; write 'restates: [\"a\", \"b\"]'",
            id="not-a-list",
        ),
    ],
)
def test_a_broken_link_is_an_error_with_file_line_and_fix(
    tiny_dir: Path, new: str, message: str
) -> None:
    edit(tiny_dir, "facts.yaml", "- id: press-town\n", f"- id: press-town\n  {new}\n")
    result = load_content(tiny_dir)
    assert not result.ok and result.essays == {}
    line = line_of(tiny_dir, "facts.yaml", new)
    assert f"content/{ESSAY}/facts.yaml:{line}: {message}" in [str(e) for e in result.errors]


def test_links_load_on_facts_claims_reasons_and_views(tiny_dir: Path) -> None:
    edit(
        tiny_dir, "facts.yaml", "- id: press-town\n", "- id: press-town\n  restates: [towns-1500]\n"
    )
    edit(
        tiny_dir,
        "arguments.yaml",
        '        quote: "small, cheap editions of the classics"\n',
        '        quote: "small, cheap editions of the classics"\n        restates: [manutius]\n',
    )
    edit(
        tiny_dir,
        "arguments.yaml",
        "  - id: venice-leads\n",
        "  - id: venice-leads\n    restates: [largest-centre, cheap-books-harmful#opposing-1]\n",
    )
    content = load(tiny_dir)
    links = content.restatements()
    # Each link holds both ways, whichever side wrote it.
    assert links["press-town"] == {"towns-1500"} and links["towns-1500"] == {"press-town"}
    assert links["cheap-books-harmful#reason-2"] == {"manutius"}
    assert links["manutius"] == {"cheap-books-harmful#reason-2"}
    assert links["venice-leads"] == {"largest-centre", "cheap-books-harmful#opposing-1"}
    assert links["cheap-books-harmful#opposing-1"] == {"venice-leads"}


# --- drawing on what a link names ------------------------------------------------------------


def test_an_item_draws_on_the_sentences_of_what_it_restates_and_what_restates_it(
    tiny_dir: Path,
) -> None:
    before = load(tiny_dir)
    index = Passages(before)
    mainz, westminster = fact_item(before, "press-town"), fact_item(before, "caxton-place")
    assert not index.of_item(mainz) & index.of_item(westminster)

    # The link is written on press-town only.
    edit(
        tiny_dir,
        "facts.yaml",
        "- id: press-town\n",
        "- id: press-town\n  restates: [caxton-place]\n",
    )
    after = load(tiny_dir)
    index = Passages(after)
    bank = build_bank(after, 0)
    mainz, westminster = bank.item("press-town:cloze"), bank.item("caxton-place:cloze")
    assert mainz is not None and westminster is not None
    place = next(f for f in after.facts if f.id == "caxton-place")
    town = next(f for f in after.facts if f.id == "press-town")
    # What press-town restates: its item draws on caxton-place's words...
    (_own, linked) = index.spans(mainz)
    assert any(p == place.para for p, _a, _b in linked)
    # ...and what restates caxton-place: its item draws on press-town's (the link is symmetric).
    (_own, linked) = index.spans(westminster)
    assert any(p == town.para for p, _a, _b in linked)
    assert bank.shares_passage(mainz, westminster) and bank.leaks(mainz, westminster)
    assert bank.shares_passage(westminster, mainz)
    # Content nobody links keeps its own sentences only.
    venice = bank.item("largest-centre:cloze")
    assert venice is not None and not bank.shares_passage(mainz, venice)
    # A link reaches the words it names, not the rest of their sentence: "brought printing to
    # England in 1476" shares a sentence with "setting up his press at Westminster" but says
    # nothing of Mainz.
    year = bank.item("caxton-year:cloze")
    assert year is not None and not bank.shares_passage(mainz, year)
    assert bank.shares_passage(westminster, year), "their own sentence still counts"


def test_a_link_reaches_other_content_quoting_the_same_words(tiny_dir: Path) -> None:
    """press-town restates largest-centre ("Venice became the largest centre"); europe-centres
    quotes those words too, unlinked: the two items meet, whichever is asked first."""
    edit(
        tiny_dir,
        "facts.yaml",
        "- id: press-town\n",
        "- id: press-town\n  restates: [largest-centre]\n",
    )
    bank = build_bank(load(tiny_dir), 0)
    mainz = bank.item("press-town:cloze")
    centres = next(i for i in bank.items if i.origin.ids == ("europe-centres",))
    assert mainz is not None
    assert bank.shares_passage(mainz, centres) and bank.shares_passage(centres, mainz)


def test_a_link_to_a_reason_reaches_the_items_that_show_the_reason(tiny_dir: Path) -> None:
    edit(
        tiny_dir,
        "facts.yaml",
        "- id: caxton-place\n",
        "- id: caxton-place\n  restates: [cheap-books-harmful#reason-2]\n",
    )
    content = load(tiny_dir)
    bank = build_bank(content, 0)
    westminster = bank.item("caxton-place:cloze")
    assert westminster is not None
    showing = [
        i
        for i in bank.items
        if any(d.origin == "cheap-books-harmful#reason-2" for d in i.details)
        and "caxton-place" not in i.origin.ids
    ]
    assert showing
    for item in showing:
        assert bank.shares_passage(item, westminster), item.id


def test_a_stance_item_draws_on_the_authors_grounds(tiny_dir: Path) -> None:
    """The view "Cheap books are dangerous" is rejected on the grounds the claim's reasons
    give: an item stating them must not stand beside the stance item."""
    content = load(tiny_dir)
    index = Passages(content)
    claim = next(c for c in content.claims if c.id == "cheap-books-harmful")
    bank = build_bank(content, 0)
    for stance_id in ("cheap-books-harmful:stance", "cheap-books-harmful:opposing-1:stance"):
        stance = bank.item(stance_id)
        assert stance is not None
        for reason in claim.reasons:
            assert index.of_quote(reason.para, reason.quote) <= index.of_item(stance), stance_id
    # The second reason ("cheap editions made the classics widely available", paragraph 2)
    # is the sentence the Manutius fact asks about.
    manutius = bank.item("manutius:cloze")
    opposing = bank.item("cheap-books-harmful:opposing-1:stance")
    assert manutius is not None and opposing is not None
    assert bank.shares_passage(manutius, opposing)


def test_linked_content_never_meets_in_a_final_exam_of_the_seed_essay() -> None:
    content = load_content(SHIPPED).essays["russia-taliban"]
    links = content.restatements()
    assert links, "the seed essay links its restatements"
    quiz = content.quiz("final-exam")
    assert quiz is not None
    index = Passages(content)
    met = 0
    for seed in range(7000, 7012):
        bank = build_bank(content, seed)
        items = assemble_quiz(bank, quiz, seed)
        own = {i.id: set(i.origin.ids) | {d.origin for d in i.details} for i in items}
        for a in items:
            for b in items:
                if a is not b and any(links.get(x, set()) & own[b.id] for x in own[a.id]):
                    met += 1
        assert all(index.drawn_ids(i) >= own[i.id] for i in items)
    assert met == 0


# --- the authoring aid -----------------------------------------------------------------------


def test_content_words_normalise_numbers_and_forms() -> None:
    assert content_words("Seven years of talks") == content_words("7 year talk")
    assert "the" not in content_words("the press") and "press" in content_words("the presses")


def add_restating_paragraph(content_dir: Path) -> None:
    """A fourth paragraph that says again, in other words, where Caxton set up his press."""
    with (content_dir / ESSAY / "essay.md").open("a", encoding="utf-8") as f:
        f.write(
            "\n[4] Looking back, Caxton's own press stood at Westminster, where he set it up.\n"
        )
    edit(content_dir, "topics.yaml", "paras: [2, 3]", "paras: [2, 3, 4]")
    with (content_dir / ESSAY / "facts.yaml").open("a", encoding="utf-8") as f:
        f.write(
            "- id: caxton-press-site\n"
            "  topic: spread\n"
            '  text: "Caxton\'s press stood at {{Westminster}}, where he set it up."\n'
            "  kind: place\n"
            "  para: 4\n"
            '  quote: "Caxton\'s own press stood at Westminster"\n'
        )


def test_the_aid_lists_an_unlinked_restatement_with_file_line_and_fix(tiny_dir: Path) -> None:
    add_restating_paragraph(tiny_dir)
    content = load(tiny_dir)
    found = candidates(content)
    pairs = {(c.first, c.second) for c in found}
    assert ("caxton-place", "caxton-press-site") in pairs
    # Content of one sentence (kept apart already) and content on other matters are not listed.
    assert not any("press-town" in p for p in pairs), pairs
    assert all(c.first.partition("#")[0] != c.second.partition("#")[0] for c in found)
    notes = [str(h) for h in hints(tiny_dir / ESSAY, content, tiny_dir)]
    line = line_of(tiny_dir, "facts.yaml", "- id: caxton-place")
    assert any(
        n.startswith(f"content/{ESSAY}/facts.yaml:{line}: 'caxton-place' and 'caxton-press-site'")
        and "add 'restates: [caxton-press-site]' to 'caxton-place'" in n
        for n in notes
    ), notes
    # Once linked, the pair is no longer a hint.
    edit(
        tiny_dir,
        "facts.yaml",
        "- id: caxton-press-site\n",
        "- id: caxton-press-site\n  restates: [caxton-place]\n",
    )
    assert ("caxton-place", "caxton-press-site") not in {
        (c.first, c.second) for c in candidates(load(tiny_dir))
    }


def test_the_links_command_prints_hints_and_never_fails(tmp_path: Path, tiny_dir: Path) -> None:
    add_restating_paragraph(tiny_dir)
    app = make_app(tmp_path, tiny_dir)
    result = app.test_cli_runner().invoke(args=["content", "links", ESSAY])
    assert result.exit_code == 0, result.output
    assert "'caxton-place' and 'caxton-press-site' may say the same" in result.output
    assert "1 link(s) already written" not in result.output


def test_a_quiz_that_cannot_keep_restatements_apart_keeps_its_own_sentences_apart() -> None:
    """A short topic may have too few sentences for the strictest draw: the next step lets
    items share a sentence only through a restatement, a reason item's claim or a stance
    item's grounds, and takes the draw that shares the fewest; only then may items share
    what they quote themselves. The step each draw took is reported (the variety's price)."""
    content = load_content(SHIPPED).essays["russia-taliban"]
    levels = []
    for quiz in content.quizzes:
        for seed in range(2):
            bank = build_bank(content, seed)
            items, step = draw_quiz(bank, quiz, seed)
            assert items == assemble_quiz(bank, quiz, seed)
            level = STEPS[step][0] if step < len(STEPS) else FEWEST_LEAKS
            levels.append(level)
            own, linked = sharing(bank, items)
            if level >= APART:
                assert own == 0, (quiz.id, seed, step)
            if level == NO_LEAKS:
                assert linked == 0, (quiz.id, seed, step)
    assert NO_LEAKS in levels and APART in levels, levels
