"""A student registers, takes a topic quiz with immediate feedback and studies a few flashcards
with the keyboard alone: Tab, Shift+Tab, Space, Enter and the arrow keys; no click, no fill.
After every Tab the focused element must show a focus ring and be on screen."""

from __future__ import annotations

import re
import uuid

from playwright.sync_api import Page, expect

from quizapp.bank import Item

from .conftest import BROWSER_CODE, LiveServer

QUIZ = "russias-fears-quiz"
WRONG = {2, 5}  # question numbers answered wrongly on purpose
MAX_TABS = 80

FOCUS_STATE = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const ring = (e) => {
    const s = getComputedStyle(e);
    return (s.outlineStyle !== "none" && parseFloat(s.outlineWidth) > 0) || s.boxShadow !== "none";
  };
  // A radio or checkbox inside an option label shows its ring on the label.
  const host = el.closest("label");
  const r = el.getBoundingClientRect();
  return {
    html: el.outerHTML.slice(0, 160),
    ring: ring(el) || (host !== null && ring(host)),
    onScreen: r.width > 0 && r.height > 0 && r.bottom > 0 && r.right > 0
      && r.top < innerHeight && r.left < innerWidth,
  };
}"""


def focus_state(page: Page) -> dict | None:  # type: ignore[type-arg]
    return page.evaluate(FOCUS_STATE)


def assert_focus_visible(page: Page) -> None:
    state = focus_state(page)
    assert state is not None, "focus is on the page body, not on a control"
    assert state["ring"], f"no visible focus ring (outline or box-shadow) on {state['html']}"
    assert state["onScreen"], f"the focused element is off screen: {state['html']}"


def tab_to(page: Page, selector: str, *, back: bool = False) -> None:
    """Press Tab (Shift+Tab when back) until the focused element matches the CSS selector,
    checking the focus ring at every stop."""
    key = "Shift+Tab" if back else "Tab"
    for _ in range(MAX_TABS):
        page.keyboard.press(key)
        assert_focus_visible(page)
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{MAX_TABS} × {key} never reached {selector}")


def activate(page: Page, selector: str, key: str = "Enter", *, back: bool = False) -> None:
    """Tab to a link or a submit button and press it; wait for the page it leads to."""
    tab_to(page, selector, back=back)
    with page.expect_navigation():
        page.keyboard.press(key)


def answer_by_keyboard(page: Page, item: Item, right: bool) -> None:
    """Focus the question's controls with Tab, then answer with arrows, Space or typing."""
    if item.type in ("single", "true_false", "reason", "stance"):
        choice = item.answer if right else (item.answer + 1) % len(item.options)
        tab_to(page, 'input[name="choice"]')  # none checked yet: the first option
        if choice == 0:
            page.keyboard.press("Space")
        for _ in range(choice):
            page.keyboard.press("ArrowDown")  # moves the focus and checks the next option
            assert_focus_visible(page)
        checked = page.locator('input[name="choice"]:checked')
        expect(checked).to_have_value(str(choice))
        expect(checked).to_be_focused()
    elif item.type == "cloze":
        for i, accepted in enumerate(item.answer):
            tab_to(page, f'input[name="blank-{i}"]')
            page.keyboard.type(accepted[0] if right else "nothing like it")
    elif item.type == "short_answer":
        tab_to(page, 'input[name="blank-0"]')
        page.keyboard.type(item.answer[0][0] if right else "nothing like it")
    else:  # the topic quizzes' mix has only the types above
        raise AssertionError(f"no keyboard recipe for {item.type}")


def test_quiz_and_flashcards_by_keyboard_only(live_server: LiveServer, browser: object) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    page = context.new_page()

    # Register: the welcome page's button, four fields typed, Enter in the last one submits.
    page.goto(live_server.url + "/")
    tab_to(page, ".skip-link")  # the first stop, shown on screen when focused
    activate(page, 'main a[href="/auth/register"]')
    expect(page.get_by_role("heading", name="Create your account")).to_be_visible()
    email = f"tabs-{uuid.uuid4().hex[:8]}@example.org"
    for selector, text in (
        ("#name", "Tess Tab"),
        ("#email", email),
        ("#password", "a long enough password"),
        ("#confirm", "a long enough password"),
        ("#join_code", BROWSER_CODE),
    ):
        tab_to(page, selector)
        page.keyboard.type(text)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Hello, Tess Tab")).to_be_visible()

    # Open the quiz from the home page and start an attempt.
    activate(page, f'main a[href="/quiz/russia-taliban/{QUIZ}"]')
    activate(page, ".start-form button", "Space")
    page.wait_for_url(re.compile(r"/quiz/attempt/\d+/1$"))
    attempt_id = int(re.search(r"/quiz/attempt/(\d+)/", page.url).group(1))
    items = live_server.attempt_items(attempt_id)

    for n, item in enumerate(items, start=1):
        expect(page.get_by_role("heading", name=f"Question {n} of {len(items)}")).to_be_visible()
        if n == 2:
            # Shift+Tab from the top of the page wraps to the question list; back to question 1
            # (checked, locked), then Tab to Next returns here.
            activate(page, 'button[value="goto-1"]', back=True)
            expect(page.get_by_role("heading", name=f"Question 1 of {len(items)}")).to_be_visible()
            expect(page.locator("#feedback")).to_be_visible()
            activate(page, 'button[value="next"]')
            expect(page.get_by_role("heading", name=f"Question 2 of {len(items)}")).to_be_visible()
        answer_by_keyboard(page, item, right=n not in WRONG)
        if item.type in ("cloze", "short_answer"):
            with page.expect_navigation():
                page.keyboard.press("Enter")  # Enter in a text field checks the answer
        else:
            activate(page, 'button[value="check"]:not(.default-action)', "Space")
        feedback = page.locator("#feedback")
        expect(feedback).to_be_visible()
        expect(feedback.locator(".verdict")).to_contain_text(
            "Incorrect" if n in WRONG else "Correct"
        )
        expect(page.locator('button[value="check"]:not(.default-action)')).to_have_count(0)
        last = n == len(items)
        activate(page, 'button[value="finish"]' if last else 'button[value="next"]')
        assert "#" not in page.url, "Next and Finish land at the top of the next page"

    # Summary, then submit.
    expect(page.get_by_role("heading", name="Summary of your attempt")).to_be_visible()
    expect(page.get_by_text("✓ Checked: right")).to_have_count(len(items) - len(WRONG))
    expect(page.get_by_text("✗ Checked: wrong")).to_have_count(len(WRONG))
    activate(page, 'form[action$="/submit"] button[type="submit"]')
    expect(page.get_by_role("heading", name="Review of attempt 1")).to_be_visible()
    expected = f"{round(100 * (len(items) - len(WRONG)) / len(items), 2):g}%"  # 75%
    expect(page.locator(".review-summary .big")).to_have_text(expected)

    # Flashcards: the main menu, the deck's Study button, then three cards: Enter on Show
    # answer, a rating button reached by Tab and pressed with Space or Enter.
    activate(page, 'nav a[href="/cards/"]')
    expect(page.get_by_role("heading", name="Flashcards", exact=True)).to_be_visible()
    activate(page, 'main a.button[href="/cards/russia-taliban/study"]')
    ratings = [(3, "Space"), (4, "Enter"), (1, "Space")]  # Again last: it is due in a minute
    for n, (rating, key) in enumerate(ratings, start=1):
        front = page.locator(".card-front").inner_text()
        activate(page, "#show-answer")
        expect(page.locator("#answer")).to_be_visible()
        expect(page.locator(".card-front")).to_have_text(front)
        activate(page, f'#rate-form button[value="{rating}"]', key)
        expect(page.locator("#counts")).to_contain_text(f"{20 - n} new")
        expect(page.locator("#show-answer")).to_be_visible()

    rows = live_server.query(
        "SELECT r.rating FROM review_log r JOIN user u ON u.id = r.user_id "
        "WHERE u.email = ? ORDER BY r.id",
        email,
    )
    assert [r[0] for r in rows] == [rating for rating, _ in ratings]
    context.close()
