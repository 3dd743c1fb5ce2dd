"""Findings of the outside probe (issue 14), each reproduced against the app: request size
limits, CSV formula injection through other separators, enumeration, weak passwords,
caching of personal pages, email look-alikes, file modes and headers."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from quizapp.extensions import db
from quizapp.models import Attempt

from .conftest import make_app
from .helpers import register, teach

PASSWORD = "correct horse battery"
ESSAY = "printing-press"


@pytest.fixture
def app(tmp_path: Path, tiny_dir: Path) -> Flask:
    return make_app(tmp_path, tiny_dir, WTF_CSRF_ENABLED=False)


def instructor(app: Flask) -> FlaskClient:
    result = app.test_cli_runner().invoke(
        args=["users", "create", "--role", "instructor", "--password-stdin", "t@example.org"],
        input=PASSWORD + "\n",
    )
    assert result.exit_code == 0, result.output
    teach(app, "t@example.org")
    client = app.test_client()
    r = client.post("/auth/login", data={"email": "t@example.org", "password": PASSWORD})
    assert r.status_code == 302
    return client


# --- Medium 4: request size ---------------------------------------------------------------


class CountingStream(io.RawIOBase):
    """A request body of ``size`` bytes that counts how much of it the app read."""

    def __init__(self, size: int, chunk: bytes) -> None:
        self.size, self.chunk, self.read_bytes = size, chunk, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[no-untyped-def]
        n = min(len(buffer), self.size - self.read_bytes)
        data = (self.chunk * (n // len(self.chunk) + 1))[:n]
        buffer[:n] = data
        self.read_bytes += n
        return n


@pytest.mark.parametrize(
    ("path", "content_type", "size"),
    [
        ("/auth/register", "application/x-www-form-urlencoded", 30 * 1024 * 1024),
        ("/auth/login", "multipart/form-data; boundary=XyZ", 40 * 1024 * 1024),
    ],
)
def test_a_huge_request_is_refused_unread_with_the_apps_page(
    tmp_path: Path, tiny_dir: Path, path: str, content_type: str, size: int
) -> None:
    app = make_app(tmp_path, tiny_dir)  # CSRF on: the size check comes first anyway
    body = CountingStream(
        size,
        b'--XyZ\r\nContent-Disposition: form-data; name="a"\r\n\r\nx'
        if "multipart" in content_type
        else b"name=" + b"x" * 1000,
    )
    r = app.test_client().post(
        path,
        content_type=content_type,
        environ_overrides={"wsgi.input": body, "CONTENT_LENGTH": str(size)},
    )
    assert r.status_code == 413
    page = r.get_data(as_text=True)
    assert "That was too much to send" in page and "Back to the home page" in page
    assert body.read_bytes <= 1024 * 1024, f"read {body.read_bytes:,} bytes of {size:,}"


def test_too_many_form_parts_are_refused(app: Flask) -> None:
    r = app.test_client().post(
        "/auth/login", data={f"f{i}": "1" for i in range(1000)}, content_type="multipart/form-data"
    )
    assert r.status_code == 413


def test_a_normal_form_still_fits(app: Flask) -> None:
    client = app.test_client()
    register(client)
    assert client.get("/progress/").status_code == 200


# --- Medium 5: CSV formula injection through other separators --------------------------------

HOSTILE_NAMES = [
    "Mallory;=1+2;",
    "Eve|@SUM(1+1)*cmd",
    "Trudy,-2+3",
    'Oscar";=1',
    "Wendy; +cmd|' /C calc'!A0",
    "Peggy;＝1",
    "Victor;;-1",
]
TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")


def is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def live_cells(text: str) -> list[tuple[str, str]]:
    """Cells a spreadsheet would run, parsing ``text`` with each separator it might guess."""
    found = []
    for delimiter in (",", ";", "\t", "|"):
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
            for cell in row:
                bare = cell.lstrip(' "')
                if bare.startswith(TRIGGERS) and not is_number(bare) and bare != "-":
                    found.append((repr(delimiter), cell))
    return found


def test_no_csv_export_has_a_cell_a_spreadsheet_would_run(app: Flask) -> None:
    students = []
    for i, name in enumerate(HOSTILE_NAMES):
        client = app.test_client()
        register(client, email=f"s{i}@example.org", name=name)
        r = client.post(f"/quiz/{ESSAY}/final/start")
        attempt = int(r.headers["Location"].split("/")[3])
        client.post(f"/quiz/attempt/{attempt}/submit")
        students.append(client)
    with app.app_context():
        assert db.session.execute(db.select(db.func.count(Attempt.id))).scalar_one() == len(
            HOSTILE_NAMES
        )
    teacher = instructor(app)
    exports = {
        kind: teacher.get(f"/instructor/exports/{kind}").get_data(as_text=True)
        for kind in ("scores", "moodle", "canvas")
    }
    exports["results"] = students[0].get("/progress/results.csv").get_data(as_text=True)
    for kind, text in exports.items():
        assert "Mallory" in text or kind == "results", kind
        assert live_cells(text) == [], kind
    # the names are kept readable: only an apostrophe is added
    assert "Mallory;'=1+2;" in exports["scores"]


def test_the_csv_check_bites_on_the_raw_names() -> None:
    raw = "\r\n".join(f"{name.replace(chr(34), '')},1" for name in HOSTILE_NAMES)
    assert len({cell for _, cell in live_cells(raw)}) >= len(HOSTILE_NAMES)


# --- Low 6: account enumeration ------------------------------------------------------------


def test_sign_in_takes_as_long_for_an_unknown_email(app: Flask) -> None:
    import time

    client = app.test_client()
    register(client)
    client.post("/auth/logout")

    def seconds(email: str) -> float:
        times = []
        for i in range(3):
            started = time.perf_counter()
            client.post("/auth/login", data={"email": email, "password": f"wrong {i}"})
            times.append(time.perf_counter() - started)
        return min(times)

    known, unknown = seconds("ada@example.org"), seconds("nobody@example.org")
    # both check one scrypt hash (tens of ms); without the dummy hash unknown is ~10x faster
    assert unknown > known / 3, (known, unknown)


def test_registering_a_known_email_reveals_no_more_than_a_sign_in(app: Flask) -> None:
    owner = app.test_client()
    register(owner)
    owner.post("/auth/logout")
    form = {"name": "Imposter", "email": "ada@example.org", "timezone": "UTC"}
    other = "a different passphrase here"
    r = app.test_client().post("/auth/register", data={**form, "password": other, "confirm": other})
    page = r.get_data(as_text=True)
    assert r.status_code == 200 and "exists" not in page and "already" not in page
    assert "cannot be used to register a new account" in page
    # with the account's own password the form signs in, as the sign-in form would
    same = app.test_client()
    r = same.post("/auth/register", data={**form, "password": PASSWORD, "confirm": PASSWORD})
    assert r.status_code == 302 and same.get("/progress/").status_code == 200


# --- Low 7: weak passwords -----------------------------------------------------------------


@pytest.mark.parametrize(
    "password",
    ["aaaaaaaaaa", "1234567890", "password12", "ada@example.org", "adalovelace",
     "qwertyuiop", "Password123"],
)  # fmt: skip
def test_weak_passwords_are_refused(app: Flask, password: str) -> None:
    client = app.test_client()
    r = client.post(
        "/auth/register",
        data={"name": "Ada Lovelace", "email": "ada@example.org", "password": password,
              "confirm": password, "timezone": "UTC"},
    )  # fmt: skip
    assert r.status_code == 200
    assert "too easy to guess" in r.get_data(as_text=True)


def test_a_long_passphrase_is_taken_at_once(app: Flask) -> None:
    import time

    long = "the quiet printer of mainz set forty-two lines of type by candlelight " * 2
    assert 100 < len(long) <= 200
    started = time.perf_counter()
    r = app.test_client().post(
        "/auth/register",
        data={"name": "Ada", "email": "ada@example.org", "password": long, "confirm": long,
              "timezone": "UTC"},
    )  # fmt: skip
    assert r.status_code == 302, r.get_data(as_text=True)[-500:]
    assert time.perf_counter() - started < 5


def test_weak_passwords_are_refused_on_change_and_in_the_cli(app: Flask) -> None:
    client = app.test_client()
    register(client)
    r = client.post("/auth/password", data={"current": PASSWORD, "password": "password12",
                                            "confirm": "password12"})  # fmt: skip
    assert r.status_code == 200 and "too easy to guess" in r.get_data(as_text=True)
    result = app.test_cli_runner().invoke(
        args=["users", "create", "--password-stdin", "bob@example.org"], input="bob@example.org\n"
    )
    assert result.exit_code == 1 and "too easy to guess" in result.output


# --- Low 10: caching of personal data ------------------------------------------------------


def test_personal_pages_and_downloads_are_not_stored(app: Flask) -> None:
    student = app.test_client()
    register(student)
    for path in ("/progress/", "/progress/results.csv", "/", "/cards/", "/auth/password"):
        r = student.get(path)
        assert r.status_code == 200 and r.headers.get("Cache-Control") == "no-store", path
        r.close()
    teacher = instructor(app)
    for path in ("/instructor/", "/instructor/results", "/instructor/exports/scores",
                 "/instructor/exports/xlsx"):  # fmt: skip
        r = teacher.get(path)
        assert r.status_code == 200 and r.headers.get("Cache-Control") == "no-store", path
        r.get_data()
        r.close()
    static = app.test_client().get("/static/css/app.css")
    assert "no-store" not in static.headers.get("Cache-Control", "")
    static.close()


# --- Low 11: equivalent emails -------------------------------------------------------------


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("cafe\u0301@example.org", "café@example.org"),  # NFD and NFC
        ("ada@exämple.org", "ada@xn--exmple-cua.org"),  # Unicode and punycode domain
        ("ada@example.org", "ａｄａ@example.org"),  # fullwidth letters
        ("fish@example.org", "ﬁsh@example.org"),  # the fi ligature
        ("Ada@Example.ORG", "ada@example.org"),
    ],
)
def test_equivalent_emails_are_one_account(app: Flask, first: str, second: str) -> None:
    register(app.test_client(), email=first)
    other = "another passphrase entirely"
    r = app.test_client().post(
        "/auth/register",
        data={"name": "Twin", "email": second, "password": other, "confirm": other,
              "timezone": "UTC"},
    )  # fmt: skip
    assert r.status_code == 200 and "cannot be used to register" in r.get_data(as_text=True)
    signed_in = app.test_client()
    r = signed_in.post("/auth/login", data={"email": second, "password": PASSWORD})
    assert r.status_code == 302, "the look-alike signs in to the same account"


def test_an_invalid_email_gets_a_message_saying_what_is_wrong(app: Flask) -> None:
    r = app.test_client().post(
        "/auth/register",
        data={"name": "X", "email": "ada@@example.org", "password": PASSWORD,
              "confirm": PASSWORD, "timezone": "UTC"},
    )  # fmt: skip
    page = r.get_data(as_text=True)
    assert r.status_code == 200 and "@-sign" in page
    result = app.test_cli_runner().invoke(
        args=["users", "create", "--password-stdin", "ada@@example.org"], input=PASSWORD + "\n"
    )
    assert result.exit_code == 2 and "@-sign" in result.output
    result = app.test_cli_runner().invoke(
        args=["users", "create", "--password-stdin", "ａｄａ@example.org"], input=PASSWORD + "\n"
    )
    assert result.exit_code == 0 and "ada@example.org" in result.output


# --- Low 13: file modes, HSTS --------------------------------------------------------------


def test_the_database_file_is_private(app: Flask, tmp_path: Path) -> None:
    register(app.test_client())
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    if not url.startswith("sqlite"):
        pytest.skip("a server database has no file here")
    path = Path(url.removeprefix("sqlite:///"))
    for file in (path, Path(f"{path}-wal")):
        assert file.exists() and file.stat().st_mode & 0o777 == 0o600, file


def test_hsts_only_behind_https(
    tmp_path: Path, tiny_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plain = make_app(tmp_path / "a", tiny_dir).test_client().get("/")
    assert "Strict-Transport-Security" not in plain.headers
    monkeypatch.setenv("QUIZAPP_HTTPS", "1")
    secure = make_app(tmp_path / "b", tiny_dir).test_client().get("/")
    assert secure.headers["Strict-Transport-Security"].startswith("max-age=31536000")


def test_an_account_stored_before_addresses_were_checked_still_signs_in(app: Flask) -> None:
    from quizapp import upgrade_database
    from quizapp.models import User
    from quizapp.users import hash_password

    upgrade_database(app)
    with app.app_context():
        db.session.add(User(email="admin@localhost", name="Admin", role="instructor",
                            password_hash=hash_password(PASSWORD)))  # fmt: skip
        db.session.commit()
    r = app.test_client().post(
        "/auth/login", data={"email": "Admin@localhost", "password": PASSWORD}
    )
    assert r.status_code == 302
