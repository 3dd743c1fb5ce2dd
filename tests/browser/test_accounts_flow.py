"""Accounts in the browser: the browser's time zone is taken once; an instructor hands over a
reset link that works once and then is refused, and an expired one is refused; the student
downloads their data."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime, timedelta

from playwright.sync_api import expect

from .conftest import BROWSER_CODE, LiveServer

TEACHER_PASSWORD = "teaching is fun"
OLD = "correct horse battery"
NEW = "violet lantern harbour"


def zone_of(live_server: LiveServer, email: str) -> str:
    ((zone,),) = live_server.query("SELECT timezone FROM user WHERE email = ?", email)
    return str(zone)


def wait_for_zone(live_server: LiveServer, email: str, zone: str) -> None:
    for _ in range(50):
        if zone_of(live_server, email) == zone:
            return
        time.sleep(0.1)
    raise AssertionError(f"{email}: zone {zone_of(live_server, email)}, expected {zone}")


def sign_in(page, url: str, email: str, password: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(url + "/auth/login/")  # the trailing-slash form works too
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def test_reset_link_time_zones_and_own_data(live_server: LiveServer, browser: object) -> None:
    url = live_server.url
    live_server.cli(
        "users", "create", "--role", "instructor", "--name", "Rita Reset",
        "--password-stdin", "rita@school.test", input=TEACHER_PASSWORD + "\n",
    )  # fmt: skip
    live_server.teach("rita@school.test")  # she sees the students of her course
    teacher = browser.new_context(timezone_id="Asia/Tokyo").new_page()  # type: ignore[attr-defined]
    sign_in(teacher, url, "rita@school.test", TEACHER_PASSWORD)
    wait_for_zone(live_server, "rita@school.test", "Asia/Tokyo")  # detected once, by the script

    laptop_context = browser.new_context(  # type: ignore[attr-defined]
        timezone_id="America/Sao_Paulo", accept_downloads=True
    )
    laptop = laptop_context.new_page()
    laptop.goto(url + "/auth/register")
    laptop.get_by_label("Name").fill("Sam Student")
    laptop.get_by_label("Email").fill("sam@student.test")
    laptop.get_by_label("Password", exact=True).fill(OLD)
    laptop.get_by_label("Repeat password").fill(OLD)
    laptop.get_by_label("Course join code").fill(BROWSER_CODE)
    expect(laptop.get_by_label("Time zone")).to_have_value("America/Sao_Paulo")
    laptop.get_by_role("button", name="Create account").click()
    expect(laptop.get_by_text("Welcome, Sam Student")).to_be_visible()
    assert zone_of(live_server, "sam@student.test") == "America/Sao_Paulo"

    # the student's data, from the Account page
    laptop.get_by_role("navigation", name="Main").get_by_role("link", name="Account").click()
    with laptop.expect_download() as info:
        laptop.get_by_role("link", name="Download my data (JSON)").click()
    data = json.loads(info.value.path().read_text(encoding="utf-8"))
    assert data["account"]["email"] == "sam@student.test"
    assert data["settings"]["time_zone"] == "America/Sao_Paulo"

    # the instructor makes a link on the student's page; the times there are in Tokyo time
    ((sam_id,),) = live_server.query("SELECT id FROM user WHERE email = ?", "sam@student.test")
    teacher.goto(f"{url}/instructor/students/{sam_id}")
    expect(teacher.get_by_text("JST").first).to_be_visible()
    teacher.get_by_role("button", name="Make a password reset link").click()
    link = teacher.get_by_label("One-time link").input_value()
    assert link.startswith(url + "/account/reset/")

    phone = browser.new_context().new_page()  # type: ignore[attr-defined]
    phone.goto(link)
    phone.get_by_label("New password", exact=True).fill(NEW)
    phone.get_by_label("Repeat new password").fill(NEW)
    phone.get_by_role("button", name="Set new password").click()
    expect(phone.get_by_text("Your new password is set")).to_be_visible()

    laptop.goto(url + "/progress/")  # the other device was signed out
    expect(laptop.get_by_role("heading", name="Sign in")).to_be_visible()
    phone.goto(link)  # the link worked once
    expect(phone.get_by_role("heading", name="This link does not work")).to_be_visible()

    # a new link, an hour and a second later: expired
    teacher.goto(f"{url}/instructor/students/{sam_id}")
    teacher.get_by_role("button", name="Make a password reset link").click()
    late = teacher.get_by_label("One-time link").input_value()
    past: object = datetime.now(UTC) - timedelta(seconds=1)
    if live_server.database_url.startswith("sqlite"):
        past = past.replace(tzinfo=None).strftime("%Y-%m-%d %H:%M:%S.%f")  # type: ignore[attr-defined]
    live_server.execute("UPDATE password_reset SET expires_at = :t", t=past)
    phone.goto(late)
    expect(phone.get_by_role("heading", name="This link does not work")).to_be_visible()

    sign_in(laptop, url, "sam@student.test", NEW)
    expect(laptop.get_by_role("link", name="Account")).to_be_visible()
    laptop_context.close()
