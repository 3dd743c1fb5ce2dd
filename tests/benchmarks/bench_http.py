"""Benchmark: the real server over loopback with wrk, against a hello-world ceiling.

Starts ``quizapp serve`` (gunicorn) on a temporary database seeded with a small school on the
shipped essay, and, with the same gunicorn settings (workers, --preload, access log), a bare
Flask app whose one route returns "Hello, World!": the ceiling. Signs in as a seeded student
with urllib (session cookie, CSRF token), then drives each hot path with wrk for a fixed time
at a fixed number of connections:

- quiz page: GET a question of an open attempt (target >= 30% of the ceiling's requests/s);
- answer save: POST an answer to that question (each one a real write; target >= 20%);
- flashcard review: POST a rating with the card's current ``reps`` (a Lua script walks its own
  cards and counts their reps, so each rating is a real review; target >= 20%);
- student home: GET / signed in (target >= 15%);

and prints requests/s, p50 and p99 latency (target p99 < 50 ms) and the ratio to the ceiling
(measured before and after the paths, on a noisy machine; the mean is used).

The app runs with ``QUIZAPP_TIMING=1`` (``--no-timing`` turns it off) and gunicorn writes each
response's ``Server-Timing`` header into its access log: for each path the benchmark then
prints the median number of SQL statements per request and the median milliseconds spent in
SQL, in templates and in the rest of the app (Python), and their total, as the server saw
them under that load.

    apt-get install -y wrk
    python -m tests.benchmarks.bench_http [--duration 10] [--connections 16] [--workers N]
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import re
import shlex
import shutil
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from quizapp import create_app, upgrade_database
from quizapp.bank import Item
from quizapp.cli import default_workers
from quizapp.content import snapshot
from quizapp.extensions import db
from quizapp.seed import DOMAIN, SEED_PASSWORD, Counts, seed_school

from ..helpers import right_form

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "content"
ESSAY = "russia-taliban"
# 15 attempts each: every quiz taken, some twice, so each student has attempts left.
SCHOOL = Counts(students=100, card_states=100 * 135, reviews=100 * 1_000, attempts=100 * 15)
TOKEN = re.compile(r'<input[^>]*name="csrf_token"[^>]*value="([^"]+)"')
HELLO = """from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello():
    return "Hello, World!"
"""


PRAGMAS = """# gunicorn config file: extra PRAGMAs on every SQLite connection of the app.
from sqlalchemy import event
from sqlalchemy.engine import Engine


@event.listens_for(Engine, "connect")
def _bench_pragmas(dbapi_connection, record):
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        for pragma in {pragmas!r}:
            dbapi_connection.execute("PRAGMA " + pragma)
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_up(url: str, proc: subprocess.Popen[bytes], log: Path) -> None:
    for _ in range(600):
        if proc.poll() is not None:
            sys.exit(f"server exited:\n{log.read_text()[-2000:]}")
        try:
            urllib.request.urlopen(url, timeout=2).close()
            return
        except OSError:
            time.sleep(0.1)
    sys.exit(f"server did not start:\n{log.read_text()[-2000:]}")


def start(cmd: list[str], env: dict[str, str], log: Path, cwd: Path | None = None) -> subprocess.Popen[bytes]:  # fmt: skip
    with open(log, "ab") as out:
        return subprocess.Popen(
            cmd, env=env, cwd=cwd, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )


def stop(proc: subprocess.Popen[bytes]) -> None:
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)
    except ProcessLookupError:
        pass
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


class Browser:
    def __init__(self, base: str) -> None:
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect()
        )

    def call(self, path: str, form: dict[str, object] | None = None) -> tuple[int, str, str]:
        data = urllib.parse.urlencode(form, doseq=True).encode() if form is not None else None
        try:
            with self.opener.open(self.base + path, data=data, timeout=30) as r:
                return r.status, r.headers.get("Location", ""), r.read().decode()
        except urllib.error.HTTPError as e:
            body = e.read().decode()
            e.close()
            return e.code, e.headers.get("Location", ""), body

    def token(self, path: str) -> str:
        status, _, body = self.call(path)
        match = TOKEN.search(body)
        if status != 200 or not match:
            sys.exit(f"no form at {path} ({status})")
        return match.group(1)

    def cookie(self) -> str:
        return "; ".join(f"{c.name}={c.value}" for c in self.jar)


@dataclass
class Result:
    name: str
    rps: float
    p50: float
    p99: float
    requests: int
    bad: int
    errors: str
    split: Split | None = None


@dataclass(frozen=True)
class Split:
    """Medians over a run's requests of what their Server-Timing header said."""

    statements: float
    sql: float
    templates: float
    python: float
    total: float
    requests: int


# The access log line of each request: its request line, then its Server-Timing header
# (gunicorn escapes its quotes).
ACCESS_FORMAT = "%(r)s|timing=%({server-timing}o)s"
TIMING = re.compile(
    r'sql;dur=([\d.]+);desc=\\?"(\d+) statements\\?", tpl;dur=([\d.]+), app;dur=([\d.]+), '
    r"total;dur=([\d.]+)"
)


def split_of(log_lines: list[str]) -> Split | None:
    rows = [tuple(float(v) for v in m.groups()) for m in map(TIMING.search, log_lines) if m]
    if not rows:
        return None
    sql, statements, tpl, app, total = (statistics.median(col) for col in zip(*rows, strict=True))
    return Split(statements, sql, tpl, app, total, len(rows))


def to_ms(value: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value)
    if not match:
        raise ValueError(value)
    number, unit = float(match.group(1)), match.group(2)
    return number * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}[unit]


def run_wrk(
    name: str, url: str, script: str, args: argparse.Namespace, tmp: Path, log: Path | None = None
) -> Result:
    """Drive ``url`` with wrk; with the server's access ``log``, the run's Server-Timing split."""
    offset = log.stat().st_size if log else 0
    path = tmp / f"{re.sub(r'[^a-z]+', '-', name)}.lua"
    path.write_text(script)
    cmd = [
        "wrk", "-t", str(args.connections), "-c", str(args.connections),
        "-d", f"{args.duration}s", "--timeout", "10s", "--latency", "-s", str(path), url,
    ]  # fmt: skip
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    p50 = to_ms(re.search(r"\s50%\s+(\S+)", out).group(1))  # type: ignore[union-attr]
    p99 = to_ms(re.search(r"\s99%\s+(\S+)", out).group(1))  # type: ignore[union-attr]
    total = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: (.*)", out)
    split = None
    if log is not None:
        with open(log, "rb") as fh:
            fh.seek(offset)
            split = split_of(fh.read().decode(errors="replace").splitlines())
    return Result(
        name, rps, p50, p99, total, int(bad.group(1)) if bad else 0,
        errors.group(1) if errors else "", split,
    )  # fmt: skip


def lua_get(cookie: str) -> str:
    return f'wrk.headers["Cookie"] = {json.dumps(cookie)}\n'


def lua_post(cookie: str, body: str) -> str:
    return (
        'wrk.method = "POST"\n'
        'wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"\n'
        f'wrk.headers["Cookie"] = {json.dumps(cookie)}\n'
        f"wrk.body = {json.dumps(body)}\n"
    )


def lua_reviews(cookie: str, token: str, cards: list[tuple[str, int]], threads: int) -> str:
    """One wrk thread per connection: each owns every n-th card and sends its ratings in
    order, counting the card's reps itself, so every request is a real (not stale) review."""
    table = ",\n".join(f"  {{{json.dumps(c)}, {reps}}}" for c, reps in cards)
    prefix = urllib.parse.urlencode({"csrf_token": token, "rating": "3"})
    return f"""
local cards = {{
{table}
}}
local counter = 0
function setup(thread)
  thread:set("tid", counter)
  counter = counter + 1
end
local mine = {{}}
local i = 0
function init(args)
  for k, c in ipairs(cards) do
    if (k - 1) % {threads} == tid then table.insert(mine, {{c[1], c[2]}}) end
  end
end
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Cookie"] = {json.dumps(cookie)}
function request()
  i = i % #mine + 1
  local c = mine[i]
  local body = "{prefix}&card=" .. c[1] .. "&reps=" .. c[2]
  c[2] = c[2] + 1
  return wrk.format(nil, nil, nil, body)
end
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds per path")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=default_workers())
    parser.add_argument(
        "--gunicorn-args",
        default="",
        help='extra gunicorn settings for both servers, e.g. "--worker-class gthread --threads 4"'
        " (passed in GUNICORN_CMD_ARGS, so the app still starts with `quizapp serve`)",
    )
    parser.add_argument(
        "--sqlite-pragma",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="try a PRAGMA on every app connection (e.g. synchronous=NORMAL), through a "
        "gunicorn config file that adds an SQLAlchemy connect listener; repeatable",
    )
    parser.add_argument(
        "--no-timing",
        action="store_true",
        help="run the app without QUIZAPP_TIMING=1 (no Server-Timing split; to see its cost)",
    )
    parser.add_argument(
        "--seeded",
        type=Path,
        help="a seeded school database to start from (copied, so each run starts the same); "
        "seeded and saved there first if it does not exist",
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args()
    args.load = os.getloadavg()[0]
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed: apt-get install -y wrk")
    tmp = Path(tempfile.mkdtemp(prefix="quizapp-http-"))
    db_path = tmp / "school.sqlite"
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{db_path}",
        "CONTENT_DIR": str(SHIPPED),
        "SECRET_KEY": "bench-http",
    }
    app = create_app(
        {"INSTANCE_PATH": str(tmp / "instance"), "SECRET_KEY": "bench-http",
         "DATABASE_URL": env["DATABASE_URL"], "CONTENT_DIR": str(SHIPPED)}
    )  # fmt: skip
    if args.seeded and args.seeded.exists():
        shutil.copyfile(args.seeded, db_path)
    upgrade_database(app)
    with app.app_context():
        if not (args.seeded and args.seeded.exists()):
            seed_school(snapshot().essays, SCHOOL, datetime.now(UTC), progress=False)
            if args.seeded:
                db.session.remove()
                with sqlite3.connect(db_path) as conn, sqlite3.connect(args.seeded) as copy:
                    conn.backup(copy)
        quizzes = [q.id for q in snapshot().essays[ESSAY].quizzes if not q.time_limit]
        card_ids = [c.id for c in snapshot().bank(ESSAY).cards]

    try:
        runs = serve_and_bench(args, tmp, env, db_path, quizzes, card_ids, [args.connections])
    finally:
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)
    report(args, runs[args.connections])


def serve_and_bench(
    args: argparse.Namespace, tmp: Path, env: dict[str, str], db_path: Path,
    quizzes: list[str], card_ids: list[str], connection_counts: list[int],
    email: str = f"student000001@{DOMAIN}",
) -> dict[int, dict[str, Result | str]]:  # fmt: skip
    """Start the app (``quizapp serve`` on ``env``'s database) and the hello-world ceiling
    with the same gunicorn settings, and run every path at each number of connections."""
    (tmp / "hello.py").write_text(HELLO)
    app_port, hello_port = free_port(), free_port()
    # The flags `quizapp serve` gives gunicorn, for the ceiling too.
    gunicorn = ["--workers", str(args.workers), "--preload", "--access-logfile", "-"]
    app_args = args.gunicorn_args
    env = dict(env)
    if not args.no_timing:
        env["QUIZAPP_TIMING"] = "1"
        app_args += f" --access-logformat {shlex.quote(ACCESS_FORMAT)}"
    if args.sqlite_pragma:
        (tmp / "pragmas.py").write_text(PRAGMAS.format(pragmas=args.sqlite_pragma))
        app_args += f" --config {tmp / 'pragmas.py'}"
    server = start(
        [sys.executable, "-c", "from quizapp.cli import main; main()", "serve",
         "--port", str(app_port), "--workers", str(args.workers)],
        {**env, "GUNICORN_CMD_ARGS": app_args}, tmp / "server.log",
    )  # fmt: skip
    hello = start(
        [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{hello_port}", *gunicorn,
         "hello:app"],
        {**os.environ, "PYTHONPATH": str(tmp), "GUNICORN_CMD_ARGS": args.gunicorn_args},
        tmp / "hello.log", cwd=tmp,
    )  # fmt: skip
    base, ceiling_url = f"http://127.0.0.1:{app_port}", f"http://127.0.0.1:{hello_port}/"
    runs: dict[int, dict[str, Result | str]] = {}
    try:
        wait_up(base + "/", server, tmp / "server.log")
        wait_up(ceiling_url, hello, tmp / "hello.log")
        for connections in connection_counts:
            each = argparse.Namespace(**{**vars(args), "connections": connections})
            runs[connections] = bench(
                each, tmp, base, ceiling_url, db_path, quizzes, card_ids, email
            )
    finally:
        stop(server)
        stop(hello)
    return runs


def bench(
    args: argparse.Namespace, tmp: Path, base: str, ceiling_url: str, db_path: Path,
    quizzes: list[str], card_ids: list[str], email: str = f"student000001@{DOMAIN}",
) -> dict[str, Result | str]:  # fmt: skip
    b = Browser(base)
    token = b.token("/auth/login")
    status, _, _ = b.call(
        "/auth/login", {"csrf_token": token, "email": email, "password": SEED_PASSWORD}
    )
    if status != 302:
        sys.exit(f"sign-in failed ({status})")
    for quiz_id in quizzes:  # the first quiz with an attempt left
        token = b.token(f"/quiz/{ESSAY}/{quiz_id}")
        _, location, _ = b.call(f"/quiz/{ESSAY}/{quiz_id}/start", {"csrf_token": token})
        match = re.search(r"/quiz/attempt/(\d+)/\d+$", location)
        if match:
            attempt_id = int(match.group(1))
            break
    else:
        sys.exit("no quiz with an attempt left")
    question = f"/quiz/attempt/{attempt_id}/1"
    token = b.token(question)
    cookie = b.cookie()
    with sqlite3.connect(db_path) as conn:
        (questions,) = conn.execute(
            "SELECT questions FROM attempt WHERE id = ?", (attempt_id,)
        ).fetchone()
        user_id = conn.execute("SELECT id FROM user WHERE email = ?", (email,)).fetchone()[0]
        states, inactive = {}, set()
        for card_id, reps, active in conn.execute(
            "SELECT card_id, reps, NOT (suspended OR retired) FROM card_state "
            "WHERE user_id = ? AND essay = ?",
            (user_id, ESSAY),
        ):
            if active:
                states[card_id] = reps
            else:
                inactive.add(card_id)
    item = Item.from_dict(json.loads(questions)[0])
    save_body = urllib.parse.urlencode(
        {**right_form(item), "csrf_token": token, "action": "save"}, doseq=True
    )
    cards = [(c, states.get(c, 0)) for c in card_ids if c in states or c not in inactive]
    suspended = len(card_ids) - len(cards)

    def logs() -> int:
        with sqlite3.connect(db_path) as conn:
            return int(
                conn.execute("SELECT COUNT(*) FROM review_log WHERE user_id = ?", (user_id,))
                .fetchone()[0]
            )  # fmt: skip

    results: dict[str, Result | str] = {}
    results["ceiling (before)"] = run_wrk("ceiling before", ceiling_url, "", args, tmp)
    log = tmp / "server.log"
    results["quiz page GET"] = run_wrk(
        "quiz page", base + question, lua_get(cookie), args, tmp, log
    )
    results["answer save POST"] = run_wrk(
        "answer save", base + question, lua_post(cookie, save_body), args, tmp, log
    )
    before = logs()
    results["review POST"] = run_wrk(
        "review", f"{base}/cards/{ESSAY}/review",
        lua_reviews(cookie, token, cards, args.connections), args, tmp, log,
    )  # fmt: skip
    written = logs() - before
    review = results["review POST"]
    assert isinstance(review, Result)
    handled = log.read_text().count(f"POST /cards/{ESSAY}/review ")
    results["note"] = (
        f"reviews: wrk counted {review.requests} answered, the server logged {handled}, "
        f"{written} were new reviews written to review_log (the rest found the rating "
        f"recorded already); {suspended} suspended cards left out"
    )
    results["student home GET"] = run_wrk("home", base + "/", lua_get(cookie), args, tmp, log)
    results["ceiling (after)"] = run_wrk("ceiling after", ceiling_url, "", args, tmp)
    return results


# Issue #16's targets, as shares of the hello-world ceiling's requests/s (same run).
TARGETS = {
    "quiz page GET": 0.30,
    "answer save POST": 0.20,
    "review POST": 0.20,
    "student home GET": 0.15,
}


def report(args: argparse.Namespace, results: dict[str, Result | str]) -> None:
    before, after = results["ceiling (before)"], results["ceiling (after)"]
    assert isinstance(before, Result) and isinstance(after, Result)
    ceiling = (before.rps + after.rps) / 2
    print(
        f"\nwrk: {args.connections} connections, {args.duration} s per path, "
        f"gunicorn {args.workers} workers {args.gunicorn_args or '(sync)'}, "
        f"pragmas: {', '.join(args.sqlite_pragma) or 'as the app sets them'}, "
        f"{os.cpu_count()} cores, loopback, load average at start {args.load:.1f}, "
        f"at end {os.getloadavg()[0]:.1f}"
    )
    print(f"{'path':<20}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'ratio':>8}  targets")
    for name, r in results.items():
        if isinstance(r, str):
            continue
        ratio = r.rps / ceiling
        verdicts = []
        if name in TARGETS:
            verdicts.append(
                f">= {TARGETS[name]:.0%}: {'met' if ratio >= TARGETS[name] else 'MISSED'}"
            )
        if not name.startswith("ceiling"):
            verdicts.append(f"p99 < 50 ms: {'met' if r.p99 < 50 else 'MISSED'}")
        extra = f"  [{r.bad} non-2xx/3xx]" if r.bad else ""
        extra += f"  [socket errors: {r.errors}]" if r.errors else ""
        print(
            f"{name:<20}{r.rps:>9.1f}{r.p50:>9.2f}{r.p99:>9.2f}{ratio:>8.1%}  "
            f"{'; '.join(verdicts)}{extra}"
        )
    print(f"ceiling: mean of {before.rps:.0f} and {after.rps:.0f} req/s = {ceiling:.0f}")
    if isinstance(results.get("note"), str):
        print(results["note"])
    splits = [(n, r.split) for n, r in results.items() if isinstance(r, Result) and r.split]
    if splits:
        print(
            "\nwhere the time goes, by the Server-Timing header (medians per request, ms, "
            "under the load above):"
        )
        print(
            f"{'path':<20}{'stmts':>7}{'SQL':>8}{'tpl':>8}{'Python':>8}{'total':>8}"
            f"{'SQL%':>7}{'tpl%':>7}{'Py%':>7}{'sampled':>9}"
        )
        for name, sp in splits:
            assert sp is not None
            whole = (sp.sql + sp.templates + sp.python) or 1.0
            print(
                f"{name:<20}{sp.statements:>7.0f}{sp.sql:>8.2f}{sp.templates:>8.2f}"
                f"{sp.python:>8.2f}{sp.total:>8.2f}{sp.sql / whole:>7.0%}"
                f"{sp.templates / whole:>7.0%}{sp.python / whole:>7.0%}{sp.requests:>9}"
            )


if __name__ == "__main__":
    main()
