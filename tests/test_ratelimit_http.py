"""Sign-in limits hold for the whole site (issue 14, Medium 2 and 3): two real servers
(`quizapp serve`, three gunicorn workers each) share one database, and requests sent at once
to both count against the same limits. Also: each server's gunicorn control socket is its
own (Low 14)."""

from __future__ import annotations

import http.cookiejar
import os
import re
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

import quizapp

from . import liveserver
from .conftest import fresh_database_url

PASSWORD = "correct horse battery"
TOKEN = re.compile(r'<input[^>]*name="csrf_token"[^>]*value="([^"]+)"')
WORKERS = 3


@dataclass
class Site:
    urls: list[str]
    procs: list[subprocess.Popen[bytes]]
    instance: Path


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, tiny_dir_module: Path) -> Iterator[Site]:
    tmp = tmp_path_factory.mktemp("ratelimit")
    owned: list[str] = []
    env = {
        **os.environ,
        "DATABASE_URL": fresh_database_url(tmp, "site", owner=owned),
        "CONTENT_DIR": str(tiny_dir_module),
        "SECRET_KEY": "rate-limit-test-key-" + "x" * 20,
        "QUIZAPP_PROXIES": "1",  # the test is the proxy: it says which client it stands for
    }
    procs: list[subprocess.Popen[bytes]] = []
    ports = [liveserver.free_port(), liveserver.free_port()]
    try:
        for port in ports:
            procs.append(liveserver.serve(port, WORKERS, env, tmp / f"server-{port}.log"))
        # `quizapp serve` uses Flask's default instance folder, beside the package
        instance = Path(quizapp.__file__).resolve().parent.parent / "instance"
        yield Site([f"http://127.0.0.1:{p}" for p in ports], procs, instance)
    finally:
        for proc in procs:
            liveserver.stop(proc)
        from .conftest import drop_databases

        drop_databases(owned)


@pytest.fixture(scope="module")
def tiny_dir_module(tmp_path_factory: pytest.TempPathFactory) -> Path:
    import shutil

    from .conftest import TINY

    target = tmp_path_factory.mktemp("content") / "content"
    shutil.copytree(TINY, target)
    return target


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


@dataclass
class Answer:
    status: int
    body: str
    headers: dict[str, str]
    seconds: float


class Browser:
    """One cookie jar, seen by the servers as coming from ``address``."""

    def __init__(self, address: str) -> None:
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), _NoRedirect()
        )
        self.opener.addheaders = [("X-Forwarded-For", address)]

    def send(self, url: str, form: dict[str, str] | None = None) -> Answer:
        data = urllib.parse.urlencode(form).encode() if form is not None else None
        started = time.monotonic()
        try:
            with self.opener.open(urllib.request.Request(url, data=data), timeout=120) as r:
                status, body, headers = r.status, r.read(), dict(r.headers)
        except urllib.error.HTTPError as e:
            with e:
                status, body, headers = e.code, e.read(), dict(e.headers)
        return Answer(status, body.decode(), headers, time.monotonic() - started)

    def token(self, base: str, path: str = "/auth/login") -> str:
        return TOKEN.search(self.send(base + path).body).group(1)  # type: ignore[union-attr]

    def sign_in(self, base: str, email: str, password: str) -> Answer:
        form = {"csrf_token": self.token(base), "email": email, "password": password}
        return self.send(base + "/auth/login", form)


def at_once(site: Site, browsers: list[Browser], jobs: list[tuple[str, str]]) -> list[Answer]:
    """Sign-ins (email, password) sent 8 at a time, alternately to the two servers."""
    for browser in browsers:  # each gets its session (and CSRF secret) before the rush
        browser.token(site.urls[0])

    def run(i: int) -> Answer:
        email, password = jobs[i]
        return browsers[i % len(browsers)].sign_in(site.urls[i % 2], email, password)

    with ThreadPoolExecutor(8) as pool:
        return list(pool.map(run, range(len(jobs))))


def checked(answer: Answer) -> bool:
    """The password was checked (and found wrong), not refused by the lockout."""
    return answer.status == 200 and "Email or password is incorrect" in answer.body


def test_the_account_lockout_holds_across_workers_and_servers(site: Site) -> None:
    owner = Browser("198.51.100.1")
    r = owner.send(site.urls[0] + "/auth/register", {
        "csrf_token": owner.token(site.urls[0], "/auth/register"), "name": "Victim",
        "email": "victim@example.org", "password": PASSWORD, "confirm": PASSWORD,
        "timezone": "UTC"})  # fmt: skip
    assert r.status == 302, r.body[-2000:]
    # 40 wrong passwords at once from 8 addresses (none over the per-address limit)
    browsers = [Browser(f"198.51.100.{10 + i}") for i in range(8)]
    answers = at_once(site, browsers, [("victim@example.org", f"guess {i}") for i in range(40)])
    outcome = Counter("checked" if checked(a) else a.status for a in answers)
    assert outcome == {"checked": 5, 429: 35}, outcome
    assert all(0 < int(a.headers["Retry-After"]) <= 60 for a in answers if a.status == 429)
    # the lockout holds for the right password too, on either server
    for url in site.urls:
        assert Browser("198.51.100.99").sign_in(url, "victim@example.org", PASSWORD).status == 429


def test_the_per_address_limit_slows_down_and_lets_a_right_password_in(site: Site) -> None:
    crowd = Browser("203.0.113.7")  # e.g. a school behind one NAT address
    owner = Browser("192.0.2.50")
    r = owner.send(site.urls[1] + "/auth/register", {
        "csrf_token": owner.token(site.urls[1], "/auth/register"), "name": "Teacher's pet",
        "email": "pet@example.org", "password": PASSWORD, "confirm": PASSWORD,
        "timezone": "UTC"})  # fmt: skip
    assert r.status == 302
    jobs = [(f"spray{i}@example.org", "Summer2026!") for i in range(40)]
    answers = at_once(site, [crowd], jobs)
    assert all(checked(a) for a in answers), Counter(a.status for a in answers)
    slowed = [a for a in answers if "X-Slowed-Down" in a.headers]
    assert len(slowed) == 10, "30 a minute from one address, counted across both servers"
    assert all(a.seconds >= 2.0 for a in slowed)
    # the right password from the same, busy address: slowed, not refused
    right = crowd.sign_in(site.urls[0], "pet@example.org", PASSWORD)
    assert right.status == 302 and right.headers["X-Slowed-Down"] == "2"
    assert right.seconds >= 2.0
    # another client behind the same proxy is not slowed (QUIZAPP_PROXIES=1 reads its address)
    other = Browser("203.0.113.8").sign_in(site.urls[1], "pet@example.org", "wrong one")
    assert checked(other) and "X-Slowed-Down" not in other.headers


def test_each_server_has_its_own_control_socket(site: Site) -> None:
    ports = [int(u.rsplit(":", 1)[1]) for u in site.urls]
    sockets = [site.instance / f"gunicorn-{p}.ctl" for p in ports]
    for path in sockets:
        assert path.is_socket(), f"no control socket at {path}"
        assert path.stat().st_mode & 0o077 == 0
    default = Path.home() / ".gunicorn" / "gunicorn.ctl"
    assert not default.exists() or all(default.stat().st_ino != s.stat().st_ino for s in sockets)
