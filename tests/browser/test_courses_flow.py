"""Two instructors, two courses, students in one or both: each instructor sees only their
course's students on every page and in every export; a student sees only their courses'
quizzes; an override gives one student extra time, and the server keeps to it."""

from __future__ import annotations

import io
import re
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from .conftest import LiveServer

PASSWORD = "a long enough password"
ESSAY = "russia-taliban"


def sign_in(page: Page, server: LiveServer, email: str, password: str) -> None:
    page.goto(server.url + "/auth/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/$"))


def new_instructor(server: LiveServer, browser: Any, name: str) -> tuple[Page, str]:
    email = f"{name.split()[0].lower()}-{uuid.uuid4().hex[:6]}@example.org"
    server.cli("users", "create", "--role", "instructor", "--name", name, "--password-stdin",
               email, input="teaching is fun\n")  # fmt: skip
    page = browser.new_context(accept_downloads=True).new_page()
    sign_in(page, server, email, "teaching is fun")
    return page, email


def create_course(page: Page, server: LiveServer, title: str) -> tuple[str, str]:
    page.goto(server.url + "/courses/")
    page.get_by_label("Title").fill(title)
    page.get_by_label("Term").fill("Fall 2026")
    page.get_by_role("button", name="Create the course").click()
    expect(page.get_by_role("heading", name=re.compile(title))).to_be_visible()
    slug = page.url.rstrip("/").split("/")[-1]
    return slug, page.locator(".join-code").inner_text()


def assign(page: Page, quiz_label: str, minutes: str = "") -> None:
    page.get_by_label("Quiz", exact=True).select_option(label=quiz_label)
    page.get_by_label("Time limit in minutes (blank: the quiz file's; 0: none)").last.fill(minutes)
    page.get_by_role("button", name="Assign", exact=True).click()
    expect(page.get_by_text("Assignment saved.")).to_be_visible()


def new_student(server: LiveServer, browser: Any, name: str, codes: list[str]) -> tuple[Page, str]:
    page = browser.new_context().new_page()
    email = f"{name.split()[0].lower()}-{uuid.uuid4().hex[:6]}@example.org"
    # the first course's join link leads to the registration form with its code filled in
    page.goto(f"{server.url}/courses/join/{codes[0]}")
    expect(page.get_by_label("Course join code")).to_have_value(codes[0])
    page.get_by_label("Name").fill(name)
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Repeat password").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("heading", name=f"Hello, {name}")).to_be_visible()
    for code in codes[1:]:  # further courses by code, from the courses page
        page.goto(server.url + "/courses/")
        page.get_by_label("Join code (from your instructor)").fill(code.lower())
        page.get_by_role("button", name="Join", exact=True).click()
        expect(page.get_by_text("You joined")).to_be_visible()
    return page, email


def take_quiz(page: Page, server: LiveServer, quiz_id: str) -> int:
    page.goto(f"{server.url}/quiz/{ESSAY}/{quiz_id}")
    page.locator(".start-form button").click()
    page.wait_for_url(re.compile(r"/quiz/attempt/\d+/\d+$"))
    return int(re.search(r"/quiz/attempt/(\d+)/", page.url).group(1))  # type: ignore[union-attr]


def test_two_courses_stay_apart_and_an_override_is_enforced(
    live_server: LiveServer, browser: Any
) -> None:
    server = live_server
    quizzes = server.query("SELECT DISTINCT quiz_id FROM assignment")
    assert quizzes, "the shipped essay has quizzes"
    ines, _ = new_instructor(server, browser, "Ines Teacher")
    omar, _ = new_instructor(server, browser, "Omar Teacher")
    slug_a, code_a = create_course(ines, server, "Seminar A")
    topic_label = ines.get_by_label("Quiz", exact=True).locator("option").first.inner_text()
    final_label = ines.get_by_label("Quiz", exact=True).locator("option").last.inner_text()
    assign(ines, topic_label, minutes="2")
    slug_b, code_b = create_course(omar, server, "Seminar B")
    assign(omar, final_label)
    (topic_id,) = server.query(
        "SELECT quiz_id FROM assignment JOIN course ON course.id = assignment.course_id "
        "WHERE course.slug = ?", slug_a,
    )[0]  # fmt: skip
    (final_id,) = server.query(
        "SELECT quiz_id FROM assignment JOIN course ON course.id = assignment.course_id "
        "WHERE course.slug = ?", slug_b,
    )[0]  # fmt: skip

    anna, anna_email = new_student(server, browser, "Anna Alpha", [code_a])
    bert, bert_email = new_student(server, browser, "Bert Beta", [code_b])
    cleo, cleo_email = new_student(server, browser, "Cleo Both", [code_a, code_b])

    # Each student sees exactly their courses' quizzes.
    def quiz_links(page: Page) -> set[str]:
        page.goto(server.url + "/")
        hrefs = page.locator("main a[href^='/quiz/']").evaluate_all(
            "els => els.map(e => e.getAttribute('href'))"
        )
        return {h for h in hrefs if "/attempt/" not in h}

    assert quiz_links(anna) == {f"/quiz/{ESSAY}/{topic_id}"}
    assert quiz_links(bert) == {f"/quiz/{ESSAY}/{final_id}"}
    assert quiz_links(cleo) == {f"/quiz/{ESSAY}/{topic_id}", f"/quiz/{ESSAY}/{final_id}"}
    assert anna.goto(f"{server.url}/quiz/{ESSAY}/{final_id}").status == 404  # type: ignore[union-attr]
    assert bert.goto(f"{server.url}/quiz/{ESSAY}/{topic_id}").status == 404  # type: ignore[union-attr]

    # Ines gives Anna 10 extra minutes on the 2-minute quiz.
    ines.goto(f"{server.url}/courses/{slug_a}")
    ines.get_by_text("Give a student an override").click()
    ines.get_by_label("Student", exact=True).select_option(label=f"Anna Alpha ({anna_email})")
    ines.get_by_label("Extra minutes").fill("10")
    ines.get_by_role("button", name="Save the override").click()
    expect(ines.get_by_text("Override saved")).to_be_visible()
    expect(ines.get_by_role("table", name="Overrides")).to_contain_text("10 min")

    anna_attempt = take_quiz(anna, server, topic_id)
    cleo_attempt = take_quiz(cleo, server, topic_id)
    bert_attempt = take_quiz(bert, server, final_id)
    rows = dict(server.query(
        "SELECT id, deadline FROM attempt WHERE id IN (?, ?)", anna_attempt, cleo_attempt))  # fmt: skip
    started = dict(server.query(
        "SELECT id, started_at FROM attempt WHERE id IN (?, ?)", anna_attempt, cleo_attempt))  # fmt: skip

    def as_time(value: object) -> datetime:
        if isinstance(value, datetime):
            return value if value.tzinfo else value.replace(tzinfo=UTC)
        return datetime.fromisoformat(str(value)).replace(tzinfo=UTC)

    span = {k: as_time(rows[k]) - as_time(started[k]) for k in rows}
    assert span == {anna_attempt: timedelta(minutes=12), cleo_attempt: timedelta(minutes=2)}
    # Three minutes pass (both deadlines moved back by as much): Cleo's time is up, with the
    # grace period gone; Anna has nine minutes left. The server decides, not the page.
    for attempt_id in (anna_attempt, cleo_attempt):
        server.set_deadline(attempt_id, as_time(rows[attempt_id]) - timedelta(minutes=3))
    for page in (anna, cleo):
        page.reload()
    expect(cleo.get_by_text("Time is up")).to_be_visible()
    expect(cleo.get_by_role("heading", name=re.compile("Review of attempt"))).to_be_visible()
    expect(anna.get_by_role("heading", name=re.compile(r"Question 1 of \d+"))).to_be_visible()
    anna.goto(f"{server.url}/quiz/attempt/{anna_attempt}/summary")
    anna.get_by_role("button", name="Submit all and finish").click()
    expect(anna.get_by_role("heading", name="Review of attempt 1")).to_be_visible()
    bert.goto(f"{server.url}/quiz/attempt/{bert_attempt}/summary")
    bert.get_by_role("button", name="Submit all and finish").click()
    expect(bert.get_by_role("heading", name="Review of attempt 1")).to_be_visible()
    finished = server.query(
        "SELECT count(*) FROM attempt WHERE id IN (?, ?, ?) AND submitted_at IS NOT NULL",
        anna_attempt, cleo_attempt, bert_attempt,
    )  # fmt: skip
    assert finished == [(3,)]

    # Each instructor, on every class page and in every export, sees their students only.
    views = {
        ines: (slug_a, {anna_email, cleo_email}, {bert_email}, topic_id),
        omar: (slug_b, {bert_email, cleo_email}, {anna_email}, final_id),
    }
    for page, (slug, mine, others, quiz_id) in views.items():
        page.goto(f"{server.url}/courses/{slug}")
        page.get_by_role("link", name="Class results").click()
        expect(page.get_by_role("heading", name="Class results")).to_be_visible()
        html = page.content()
        assert all(e in html for e in mine) and not any(e in html for e in others), slug
        for path in (f"/instructor/analysis/{ESSAY}/{quiz_id}", f"/instructor/memory/{ESSAY}",
                     "/instructor/reports?show=all"):  # fmt: skip
            page.goto(f"{server.url}{path}{'&' if '?' in path else '?'}course={slug}")
            assert not any(e in page.content() for e in others), (slug, path)
        page.goto(f"{server.url}/instructor/exports?course={slug}")
        for kind in ("scores", "moodle", "canvas", "json", "xlsx"):
            with page.expect_download() as info:
                page.locator(f"a[href*='/instructor/exports/{kind}']").click()
            download = info.value
            assert download.suggested_filename.startswith(f"{slug}-"), download.suggested_filename
            body = Path(download.path()).read_bytes()
            if kind == "xlsx":
                book = load_workbook(io.BytesIO(body), read_only=True)
                body = "\n".join(
                    str(c) for ws in book.worksheets for row in ws.iter_rows(values_only=True)
                    for c in row
                ).encode()  # fmt: skip
            text = body.decode("utf-8-sig")
            assert all(e in text for e in mine), (slug, kind)
            assert not any(e in text for e in others), (slug, kind)
        # the other course's student's page and review do not exist for this instructor
        (other_id,) = server.query("SELECT id FROM user WHERE email = ?", next(iter(others)))[0]
        response = page.goto(f"{server.url}/instructor/students/{other_id}?course={slug}")
        assert response is not None and response.status == 404
    for page in (anna, bert, cleo, ines, omar):
        page.context.close()
