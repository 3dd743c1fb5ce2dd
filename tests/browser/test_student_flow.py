"""A new student registers, takes a topic quiz (some right, some wrong), sees feedback with
the passage, submits, and finds the grade on the review and progress pages: on a desktop and
on a 390 px phone."""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import Page, expect

from quizapp.bank import Item

from .conftest import BROWSER_CODE, LiveServer


def answer(page: Page, item: Item, right: bool) -> None:
    """Fill the real form controls, through their labels where a person would."""
    if item.type in ("single", "true_false", "reason", "stance"):
        choice = item.answer if right else (item.answer + 1) % len(item.options)
        page.get_by_label(item.options[choice], exact=True).check()
    elif item.type in ("multiple", "reasons_multiple"):
        for i, option in enumerate(item.options):
            if (i in item.answer) == right:
                page.get_by_label(option, exact=True).check()
    elif item.type == "cloze":
        for i, accepted in enumerate(item.answer):
            page.get_by_label(f"Blank {i + 1}").fill(accepted[0] if right else "nothing like it")
    elif item.type == "short_answer":
        page.get_by_label(item.prompt).fill(item.answer[0][0] if right else "nothing like it")
    elif item.type == "ordering":
        for pos, option in enumerate(item.answer):
            page.locator(f"#pos-{pos}").select_option(str(option))
    else:
        for pos, option in enumerate(item.answer):
            page.locator(f"#match-{pos}").select_option(str(option))


@pytest.mark.parametrize(
    "viewport",
    [{"width": 1280, "height": 900}, {"width": 390, "height": 844}],
    ids=["desktop", "phone"],
)
def test_student_registers_takes_a_quiz_and_sees_the_grade(
    live_server: LiveServer, browser: object, viewport: dict[str, int]
) -> None:
    context = browser.new_context(viewport=viewport)  # type: ignore[attr-defined]
    page = context.new_page()
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Create a free account").click()
    email = f"student-{uuid.uuid4().hex[:8]}@example.org"
    page.get_by_label("Name").fill("Sam Student")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill("a long enough password")
    page.get_by_label("Repeat password").fill("a long enough password")
    page.get_by_label("Course join code").fill(BROWSER_CODE)
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("heading", name="Hello, Sam Student")).to_be_visible()

    page.get_by_role("link", name="Realism and contacts with the Taliban").click()
    page.get_by_role("button", name=re.compile("Start attempt")).click()
    page.wait_for_url(re.compile(r"/quiz/attempt/\d+/\d+"))
    attempt_id = int(re.search(r"/quiz/attempt/(\d+)/", page.url).group(1))
    items = live_server.attempt_items(attempt_id)
    wrong_positions = {1, 4}
    for n, item in enumerate(items, start=1):
        expect(page.get_by_role("heading", name=f"Question {n} of {len(items)}")).to_be_visible()
        answer(page, item, right=n not in wrong_positions)
        page.get_by_role("button", name="Check answer").click()
        feedback = page.locator("#feedback")
        expect(feedback).to_be_visible()
        expect(feedback.locator(".verdict")).to_contain_text(
            "Incorrect" if n in wrong_positions else "Correct"
        )
        expect(feedback.locator("blockquote.passage").first).to_be_visible()
        expect(
            feedback.get_by_role("link", name=re.compile(r"paragraph \d+")).first
        ).to_have_attribute("href", re.compile(r"/essays/russia-taliban#p\d+"))
        if n == 1:  # the passage link lands on the highlighted paragraph
            link = feedback.get_by_role("link", name=re.compile(r"paragraph \d+")).first
            target = link.get_attribute("href")
            page.goto(live_server.url + target)
            para = page.locator(target[target.index("#") :])
            expect(para).to_be_visible()
            assert para.evaluate("el => getComputedStyle(el).boxShadow") != "none"
            page.go_back()
        page.get_by_role("button", name="Next →" if n < len(items) else "Finish…").click()
    page.get_by_role("button", name="Submit all and finish").click()
    expected = f"{round(100 * (len(items) - len(wrong_positions)) / len(items), 1):g}%"
    expect(page.get_by_role("heading", name="Review of attempt 1")).to_be_visible()
    expect(page.locator(".review-summary .big")).to_have_text(expected)
    expect(page.locator(".passage").first).to_be_visible()
    page.get_by_role("link", name="Progress", exact=True).click()
    expect(page.locator(".chart-card figcaption").first).to_contain_text(expected)
    context.close()
