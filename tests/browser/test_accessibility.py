"""axe-core (bundled by axe-playwright-python, run in Debian's Chromium) on every page type, as
an anonymous visitor, a student and an instructor: in the light colour scheme on a desktop
screen, and many in the dark scheme and on a phone.

No violation of impact "serious" or "critical" may remain. One module fixture builds the state
the pages need (a student with a submitted topic quiz, an open topic quiz with every answer
checked, a submitted and an open final exam, a few flashcard reviews; an instructor), then each
page is a test of its own, so a failure names the page, the view and every offending node."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import BrowserContext, Page, expect

from quizapp.bank import Item

from .conftest import BROWSER_CODE, LiveServer
from .test_student_flow import answer

ESSAY = "russia-taliban"
TOPIC_SUBMITTED = "a-victory-prepared-in-moscow-quiz"  # answered, checked, submitted
TOPIC_CHECKED = "narratives-and-foresight-quiz"  # every answer checked, not submitted
TOPIC_FRESH = "realism-and-contacts-quiz"  # started, nothing answered
FINAL = "final-exam"  # deferred feedback, every question type
ALL_TYPES = (
    "single", "multiple", "true_false", "cloze", "short_answer", "ordering", "matching",
    "reason", "stance", "evidence_matching", "reasons_multiple",
)  # fmt: skip
TOPIC_TYPES = ("single", "true_false", "cloze", "short_answer", "stance", "reason")
PASSWORD = "a long enough password"
BLOCKING = {"serious", "critical"}
AXE = Axe()


@dataclass
class Site:
    """What the pages under test need: URLs found while building the state, one signed-in
    context per role and view."""

    server: LiveServer
    urls: dict[str, str] = field(default_factory=dict)
    contexts: dict[tuple[str, str], BrowserContext] = field(default_factory=dict)
    pages: dict[tuple[str, str], Page] = field(default_factory=dict)

    def url(self, name: str) -> str:
        return self.server.url + self.urls[name]


# axe leaves text it cannot measure "incomplete": SVG chart labels (it will not look through
# an <svg>) and glyph-only marks (✓ ✗). Measure those here: the text colour (fill for SVG)
# against the first opaque background behind it, 4.5:1 (3:1 for large text).
CONTRAST = """(selector) => {
  const el = document.querySelector(selector);
  if (!el) return null;
  const ctx = document.createElement("canvas").getContext("2d", {willReadFrequently: true});
  const rgba = (css) => {
    ctx.clearRect(0, 0, 1, 1);
    ctx.fillStyle = "rgba(0, 0, 0, 0)";
    ctx.fillStyle = css;
    ctx.fillRect(0, 0, 1, 1);
    const [r, g, b, a] = ctx.getImageData(0, 0, 1, 1).data;
    return [r, g, b, a / 255];
  };
  const over = (top, bottom) => top.slice(0, 3).map((c, i) => c * top[3] + bottom[i] * (1 - top[3]));
  const layers = [];
  for (let e = el; e; e = e.parentElement) {
    const bg = rgba(getComputedStyle(e).backgroundColor);
    if (bg[3] > 0) layers.push(bg);
    if (bg[3] === 1) break;
  }
  let back = [255, 255, 255];
  for (const layer of layers.reverse()) back = over(layer, back);
  const style = getComputedStyle(el);
  const fore = over(rgba(el instanceof SVGElement ? style.fill : style.color), back);
  const lum = (c) => {
    const [r, g, b] = c.map((v) => { v /= 255; return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const [hi, lo] = [lum(fore), lum(back)].sort((x, y) => y - x);
  const size = parseFloat(style.fontSize);
  const large = size >= 24 || (size >= 18.66 && parseInt(style.fontWeight) >= 700);
  return {ratio: (hi + 0.05) / (lo + 0.05), needed: large ? 3 : 4.5};
}"""


def axe_report(page: Page) -> list[str]:
    """One entry per node of every serious or critical violation on the page as it is now, and
    of every such result axe could not decide (colour contrast measured here instead)."""
    results = AXE.run(page, options={"resultTypes": ["violations", "incomplete"]}).response
    lines = []
    for verdict, found in (
        ("violation", results["violations"]),
        ("undecided", results["incomplete"]),
    ):
        for rule in found:
            if rule["impact"] not in BLOCKING:
                continue
            for node in rule["nodes"]:
                target = " ".join(map(str, node["target"]))
                if verdict == "undecided" and rule["id"] == "color-contrast":
                    measured = page.evaluate(CONTRAST, node["target"][0])
                    if measured is None or measured["ratio"] >= measured["needed"]:
                        continue
                    summary = f"contrast {measured['ratio']:.2f}:1, needs {measured['needed']}:1"
                else:
                    summary = " ".join((node.get("failureSummary") or "").split())
                lines.append(
                    f"{rule['id']} ({rule['impact']}, {verdict}): {target}"
                    f"\n    {node['html'][:160]}\n    {summary[:300]}"
                )
    return lines


def check_answers(page: Page, items: list[Item], wrong: set[int]) -> dict[str, str]:
    """Answer and check every question of an immediate-feedback attempt; the URL of the first
    question of each type, its feedback shown."""
    seen: dict[str, str] = {}
    for n, item in enumerate(items, start=1):
        answer(page, item, right=n not in wrong)
        page.get_by_role("button", name="Check answer").click()
        expect(page.locator("#feedback")).to_be_visible()
        seen.setdefault(item.type, path_of(page))
        if n < len(items):
            page.get_by_role("button", name="Next →").click()
    return seen


def start(page: Page, server: LiveServer, quiz: str) -> tuple[int, list[Item]]:
    page.goto(f"{server.url}/quiz/{ESSAY}/{quiz}")
    page.get_by_role("button", name=re.compile("attempt")).click()
    page.wait_for_url(re.compile(r"/quiz/attempt/\d+/\d+"))
    attempt_id = int(re.search(r"/quiz/attempt/(\d+)/", page.url).group(1))
    return attempt_id, server.attempt_items(attempt_id)


def path_of(page: Page) -> str:
    return re.sub(r"^https?://[^/]+", "", page.url).split("#")[0]


def build_student(page: Page, site: Site) -> str:
    server, urls = site.server, site.urls
    email = f"axe-{uuid.uuid4().hex[:8]}@example.org"
    page.goto(server.url + "/auth/register")
    page.get_by_label("Name").fill("Alex Axe")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Repeat password").fill(PASSWORD)
    page.get_by_label("Course join code").fill(BROWSER_CODE)
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("heading", name="Hello, Alex Axe")).to_be_visible()

    # A topic quiz answered (two wrong), checked and submitted: its review.
    _, items = start(page, server, TOPIC_SUBMITTED)
    check_answers(page, items, {2, 5})
    page.get_by_role("button", name="Finish…").click()
    page.get_by_role("button", name="Submit all and finish").click()
    expect(page.get_by_role("heading", name=re.compile("Review of attempt"))).to_be_visible()
    urls["review (topic quiz)"] = path_of(page)

    # Another, every answer checked (odd ones wrong) but not submitted: feedback and summary.
    _, items = start(page, server, TOPIC_CHECKED)
    for kind, url in check_answers(page, items, {1, 3, 5, 7}).items():
        urls[f"feedback shown: {kind}"] = url
    page.get_by_role("button", name="Finish…").click()
    expect(page.get_by_role("heading", name="Summary of your attempt")).to_be_visible()
    urls["summary"] = path_of(page)

    # A third, started only: a question before its answer is checked.
    start(page, server, TOPIC_FRESH)
    urls["question (immediate feedback)"] = path_of(page)
    urls["quiz overview"] = f"/quiz/{ESSAY}/{TOPIC_FRESH}"

    # The final exam, deferred feedback: one attempt answered and submitted, one open with a
    # saved answer on the first question of each type.
    _, items = start(page, server, FINAL)
    for n, item in enumerate(items, start=1):
        answer(page, item, right=n % 2 == 1)
        page.get_by_role("button", name="Next →" if n < len(items) else "Finish…").click()
    page.get_by_role("button", name="Submit all and finish").click()
    expect(page.get_by_role("heading", name=re.compile("Review of attempt"))).to_be_visible()
    urls["review (final exam)"] = path_of(page)
    attempt_id, items = start(page, server, FINAL)
    for n, item in enumerate(items, start=1):
        if f"question: {item.type}" in urls:
            continue
        urls[f"question: {item.type}"] = f"/quiz/attempt/{attempt_id}/{n}"
        page.goto(server.url + urls[f"question: {item.type}"])
        answer(page, item, right=n % 2 == 0)
        page.get_by_role("button", name="Next →" if n < len(items) else "Finish…").click()
    urls["quiz overview (attempt open)"] = f"/quiz/{ESSAY}/{FINAL}"
    for kind in ALL_TYPES:
        assert f"question: {kind}" in urls, f"the final exam drew no {kind} question"
    for kind in TOPIC_TYPES:
        assert f"feedback shown: {kind}" in urls, f"the topic quiz drew no {kind} question"

    # A few flashcard reviews, then the front and the back of the next card.
    urls["study front"] = f"/cards/{ESSAY}/study"
    page.goto(server.url + urls["study front"])
    for rating in "3143":
        page.keyboard.press("Space")
        expect(page.locator("#answer")).to_be_visible()
        page.keyboard.press(rating)
        expect(page.locator("#show-answer")).to_be_visible()
    urls["study back"] = page.locator("#show-answer").get_attribute("href")
    urls["card info"] = page.get_by_role("link", name="Card info").get_attribute("href")
    return email


def sign_in(page: Page, server: LiveServer, email: str, password: str) -> None:
    page.goto(server.url + "/auth/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name=re.compile("Hello"))).to_be_visible()


DESKTOP = {"width": 1280, "height": 900}
VIEWS = {  # how each page is looked at: colour scheme and screen
    "light": {"viewport": DESKTOP, "color_scheme": "light"},
    "dark": {"viewport": DESKTOP, "color_scheme": "dark"},
    "phone": {"viewport": {"width": 390, "height": 844}, "color_scheme": "light"},
}


@pytest.fixture(scope="module")
def site(live_server: LiveServer, browser: object) -> Iterator[Site]:
    site = Site(live_server)
    new = browser.new_context  # type: ignore[attr-defined]
    student = new(**VIEWS["light"])
    student_email = build_student(student.new_page(), site)
    (student_id,) = live_server.query("SELECT id FROM user WHERE email = ?", student_email)[0]

    instructor_email = f"ines-{uuid.uuid4().hex[:8]}@example.org"
    live_server.cli(
        "users", "create", "--role", "instructor", "--name", "Ines Axe",
        "--password-stdin", instructor_email, input="teaching is fun\n",
    )  # fmt: skip
    live_server.teach(instructor_email)
    instructor = new(**VIEWS["light"])
    sign_in(instructor.new_page(), live_server, instructor_email, "teaching is fun")
    site.urls["instructor: a student's page"] = f"/instructor/students/{student_id}"

    signed_in = {"student": student.storage_state(), "instructor": instructor.storage_state()}
    student.close()
    instructor.close()
    for role in ROLES:
        for view, options in VIEWS.items():
            context = new(**options, storage_state=signed_in.get(role))
            site.contexts[role, view] = context
            site.pages[role, view] = context.new_page()
    yield site
    for context in site.contexts.values():
        context.close()


def goto(path_or_name: str) -> Callable[[Page, Site], None]:
    def visit(page: Page, site: Site) -> None:
        url = (
            site.url(path_or_name) if path_or_name in site.urls else site.server.url + path_or_name
        )
        page.goto(url)

    return visit


def register_with_errors(page: Page, site: Site) -> None:
    page.goto(site.server.url + "/auth/register")
    page.get_by_label("Email").fill("not an email")
    page.get_by_label("Password", exact=True).fill("short")
    page.get_by_label("Repeat password").fill("different")
    page.get_by_role("button", name="Create account").click()
    expect(page.locator(".notice-error")).to_be_visible()


def sign_in_with_errors(page: Page, site: Site) -> None:
    page.goto(site.server.url + "/auth/login")
    page.get_by_label("Email").fill(f"nobody-{uuid.uuid4().hex[:6]}@example.org")
    page.get_by_label("Password").fill("wrong password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator(".field-error")).to_be_visible()


def password_with_errors(page: Page, site: Site) -> None:
    page.goto(site.server.url + "/auth/password")
    page.get_by_role("button", name=re.compile("password", re.I)).last.click()
    expect(page.locator(".field-error").first).to_be_visible()


def settings_with_errors(page: Page, site: Site) -> None:
    page.goto(site.server.url + "/cards/settings")
    page.get_by_label("New cards per day").fill("99999")
    page.get_by_label("Learning steps", exact=True).fill("soon")
    page.get_by_role("button", name="Save settings").click()
    expect(page.locator(".field-error").first).to_be_visible()


def account_with_errors(page: Page, site: Site) -> None:
    page.goto(site.server.url + "/account/")
    page.get_by_label("Your password, to confirm").fill("not the password at all")
    page.get_by_role("button", name="Delete my account").click()
    expect(page.locator(".field-error").first).to_be_visible()


def reset_link(page: Page, site: Site) -> None:
    page.goto(site.url("instructor: a student's page"))
    page.get_by_role("button", name="Make a password reset link").click()
    expect(page.get_by_label("One-time link")).to_be_visible()


def instructor_first_link(path: str, pattern: str) -> Callable[[Page, Site], None]:
    """An instructor page reached from a link on another (analysis, memory, preview)."""

    def visit(page: Page, site: Site) -> None:
        page.goto(site.url(path) if path in site.urls else site.server.url + path)
        href = page.locator(f"main a[href*='{pattern}']").first.get_attribute("href")
        page.goto(site.server.url + href)

    return visit


COMMON = {
    "essays list": goto("/essays"),
    "essay reader": goto(f"/essays/{ESSAY}"),
    "essay reader, paragraph targeted": goto(f"/essays/{ESSAY}#p6"),
    "404 page": goto("/no-such-page"),
}
ANONYMOUS = {
    "welcome": goto("/"),
    "register": goto("/auth/register"),
    "register with errors": register_with_errors,
    "sign in": goto("/auth/login"),
    "sign in with errors": sign_in_with_errors,
    "password reset link not valid": goto("/account/reset/not-a-link"),
    **COMMON,
}
SIGNED_IN = {
    "home": goto("/"),
    "progress": goto("/progress/"),
    "flashcards index": goto("/cards/"),
    "flashcard stats": goto(f"/cards/{ESSAY}/stats"),
    "flashcard settings": goto("/cards/settings"),
    "flashcard settings with errors": settings_with_errors,
    "change password": goto("/auth/password"),
    "change password with errors": password_with_errors,
    "account": goto("/account/"),
    "account with errors": account_with_errors,
    **COMMON,
}
STUDENT = {
    **SIGNED_IN,
    "quiz overview": goto("quiz overview"),
    "quiz overview (attempt open)": goto("quiz overview (attempt open)"),
    "question (immediate feedback)": goto("question (immediate feedback)"),
    **{f"question: {kind}": goto(f"question: {kind}") for kind in ALL_TYPES},
    **{f"feedback shown: {kind}": goto(f"feedback shown: {kind}") for kind in TOPIC_TYPES},
    "summary": goto("summary"),
    "review (topic quiz)": goto("review (topic quiz)"),
    "review (final exam)": goto("review (final exam)"),
    "study front": goto("study front"),
    "study back": goto("study back"),
    "card info": goto("card info"),
}
INSTRUCTOR = {
    **SIGNED_IN,
    "instructor: content": goto("/instructor/"),
    "instructor: preview": goto(f"/instructor/preview/{ESSAY}"),
    "instructor: class results": goto("/instructor/results"),
    "instructor: a student's page": goto("instructor: a student's page"),
    "instructor: a password reset link": reset_link,
    "instructor: a student's review": instructor_first_link(
        "instructor: a student's page", "/review"
    ),
    "instructor: item analysis (topic quiz)": goto(
        f"/instructor/analysis/{ESSAY}/{TOPIC_SUBMITTED}"
    ),
    "instructor: item analysis (final exam)": goto(f"/instructor/analysis/{ESSAY}/{FINAL}"),
    "instructor: class memory": goto(f"/instructor/memory/{ESSAY}"),
    "instructor: exports": goto("/instructor/exports"),
    "instructor: reported questions": goto("/instructor/reports?show=all"),
    "instructor: regrade": goto("/instructor/regrade"),
    "study front (instructor, new cards)": goto(f"/cards/{ESSAY}/study"),
}
ROLES = {"anonymous": ANONYMOUS, "student": STUDENT, "instructor": INSTRUCTOR}
# Every page in the light scheme on a desktop screen; then the dark scheme on the pages with
# the most colour (every state of feedback, charts, cards), and a phone on the widest pages.
ALSO = {
    "dark": {
        "anonymous": ["welcome", "register with errors", "essay reader, paragraph targeted"],
        "student": [
            "home", "question: single", "question: ordering", "feedback shown: single",
            "feedback shown: true_false", "feedback shown: cloze", "summary",
            "review (topic quiz)", "review (final exam)", "progress", "flashcards index",
            "study front", "study back", "card info", "flashcard stats",
            "flashcard settings with errors",
        ],
        "instructor": [
            "instructor: content", "instructor: preview", "instructor: class results",
            "instructor: a student's page", "instructor: item analysis (final exam)",
            "instructor: class memory",
        ],
    },
    "phone": {
        "anonymous": ["welcome", "register with errors", "essay reader"],
        "student": [
            "home", "quiz overview", "question: ordering", "question: matching",
            "question: evidence_matching", "feedback shown: cloze", "summary",
            "review (final exam)", "progress", "flashcards index", "study back", "card info",
            "flashcard stats",
        ],
        "instructor": [
            "instructor: content", "instructor: preview", "instructor: class results",
            "instructor: a student's page", "instructor: item analysis (final exam)",
            "instructor: class memory", "instructor: exports",
        ],
    },
}  # fmt: skip
CASES = [
    pytest.param(role, view, name, id=f"{role}-{view}-{name}")
    for role, pages in ROLES.items()
    for view in VIEWS
    for name in pages
    if view == "light" or name in ALSO[view][role]
]


def test_every_extra_view_names_a_page() -> None:
    for view, roles in ALSO.items():
        for role, names in roles.items():
            assert set(names) <= set(ROLES[role]), (view, role)


@pytest.mark.parametrize(("role", "view", "name"), CASES)
def test_no_serious_violations(site: Site, role: str, view: str, name: str) -> None:
    page = site.pages[role, view]
    ROLES[role][name](page, site)
    page.wait_for_load_state("load")
    assert page.locator("main h1").count() == 1, f"{name}: one h1 in main, as its heading"
    problems = axe_report(page)
    assert not problems, (
        f"{len(problems)} serious/critical axe violation(s) on {name} ({role}, {view}) "
        f"at {page.url}:\n" + "\n".join(problems)
    )
