"""A student reviews 10 flashcards with the keyboard alone (Space or Enter, 1-4, u), and the
remaining counts update after each review."""

from __future__ import annotations

import re
import uuid

from playwright.sync_api import Page, expect

from .conftest import BROWSER_CODE, LiveServer

RATINGS = "3423342341"  # Again last: a 1-minute card must not come back during the test


def new_count(page: Page) -> int:
    return int(re.search(r"(\d+)\s*new", page.locator("#counts").inner_text()).group(1))


def test_ten_reviews_by_keyboard_only(live_server: LiveServer, browser: object) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    page = context.new_page()
    page.goto(live_server.url + "/auth/register")
    page.get_by_label("Name").fill("Kim Keys")
    page.get_by_label("Email").fill(f"keys-{uuid.uuid4().hex[:8]}@example.org")
    page.get_by_label("Password", exact=True).fill("a long enough password")
    page.get_by_label("Repeat password").fill("a long enough password")
    page.get_by_label("Course join code").fill(BROWSER_CODE)
    page.get_by_label("Course join code").press("Enter")
    expect(page.get_by_role("heading", name="Hello, Kim Keys")).to_be_visible()
    page.goto(live_server.url + "/cards/russia-taliban/study")
    assert new_count(page) == 20

    for n, rating in enumerate(RATINGS, start=1):
        front = page.locator(".card-front").inner_text()
        page.keyboard.press("Space" if n % 2 else "Enter")
        expect(page.locator("#answer")).to_be_visible()
        expect(page.locator(".card-front")).to_have_text(front)
        expect(page.locator(".rate-interval").first).not_to_be_empty()
        page.keyboard.press(rating)
        expect(page.locator("#counts")).to_contain_text(f"{20 - n} new")
        expect(page.locator("#show-answer")).to_be_visible()
        if n == 5:  # 'u' undoes the fifth review: its card is back, answer shown, count restored
            page.keyboard.press("u")
            expect(page.locator("#answer")).to_be_visible()
            expect(page.locator(".card-front")).to_have_text(front)
            expect(page.locator("#counts")).to_contain_text(f"{20 - n + 1} new")
            page.keyboard.press(rating)
            expect(page.locator("#counts")).to_contain_text(f"{20 - n} new")

    rows = live_server.query(
        "SELECT r.rating FROM review_log r JOIN user u ON u.id = r.user_id "
        "WHERE u.name = 'Kim Keys' ORDER BY r.id"
    )
    assert "".join(str(r[0]) for r in rows) == RATINGS
    context.close()
