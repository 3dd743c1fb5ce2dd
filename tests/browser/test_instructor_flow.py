"""An instructor signs in, opens the class results and an item analysis, and downloads
every export."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from quizapp.instructor import EXPORTS

from .conftest import BROWSER_COURSE, LiveServer


def test_instructor_reviews_results_and_downloads_exports(
    live_server: LiveServer, browser: object, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    live_server.cli(
        "users", "create", "--role", "instructor", "--name", "Ines Teacher",
        "--password-stdin", "ines@example.org", input="teaching is fun\n",
    )  # fmt: skip
    live_server.teach("ines@example.org")
    context = browser.new_context(accept_downloads=True)  # type: ignore[attr-defined]
    page = context.new_page()
    page.goto(live_server.url + "/auth/login")
    page.get_by_label("Email").fill("ines@example.org")
    page.get_by_label("Password").fill("teaching is fun")
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Instructor").click()
    expect(page.get_by_text("All content files are valid")).to_be_visible()

    page.get_by_role("link", name="Class results").click()
    expect(page.get_by_role("heading", name="Class results")).to_be_visible()
    page.get_by_role("link", name="Content", exact=True).click()
    page.get_by_role("link", name="Realism and contacts with the Taliban").first.click()
    expect(page.get_by_role("heading", name=re.compile("Item analysis"))).to_be_visible()
    expect(page.get_by_text("Cronbach's alpha (CIC)")).to_be_visible()

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Instructor").click()
    page.get_by_role("link", name="Exports").click()
    for kind, (filename, _mime, label) in EXPORTS.items():
        with page.expect_download() as info:
            page.get_by_role("link", name=f"Download {label}").click()
        download = info.value
        assert download.suggested_filename == f"{BROWSER_COURSE}-{filename}"
        target = tmp_path / filename
        download.save_as(target)
        assert target.stat().st_size > 0, kind
    context.close()
