"""The package as installed: the built wheel carries the templates, static files and shipped
content, and the app found in it (not in a checkout) serves pages from any folder."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SITE = ("templates", "static", "content")
SOURCES = ("pyproject.toml", "setup.py", "MANIFEST.in", "README.md")
SKIP = shutil.ignore_patterns(".*", "__pycache__", "*.pyc", "*.egg-info", "_shipped")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel built offline with the venv's own setuptools, from a copy of the sources
    (so the checkout gets no build/ folder)."""
    source = tmp_path_factory.mktemp("source")
    for name in SOURCES:
        shutil.copy2(ROOT / name, source / name)
    for name in ("quizapp", *SITE):
        shutil.copytree(ROOT / name, source / name, ignore=SKIP)
    out = tmp_path_factory.mktemp("dist")
    result = subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(out)],
        cwd=source,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    (built,) = out.glob("quizapp-*.whl")
    return built


def repository_files(name: str) -> set[str]:
    return {
        p.relative_to(ROOT).as_posix()
        for p in (ROOT / name).rglob("*")
        if p.is_file()
        and not any(part.startswith(".") or part == "__pycache__" for part in p.parts)
    }


def test_the_wheel_holds_every_site_file(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for folder in SITE:
        expected = repository_files(folder)
        assert expected, folder
        missing = {f for f in expected if f"quizapp/_shipped/{f}" not in names}
        assert not missing, f"not in the wheel: {sorted(missing)[:5]}"
    assert "quizapp/_shipped/templates/base.html" in names
    assert "quizapp/_shipped/static/js/timezone.js" in names
    assert any(n.startswith("quizapp/_shipped/content/") and n.endswith("/essay.md") for n in names)
    assert "quizapp/migrations/alembic.ini" in names
    assert any(n.startswith("quizapp/migrations/versions/accounts_0001") for n in names)
    assert not any(n.startswith(("tests/", "templates/", "static/", "content/")) for n in names)


SERVE_FROM_WHEEL = """
import sys, quizapp
assert quizapp.__file__.startswith(sys.argv[1]), quizapp.__file__
app = quizapp.create_app({"TESTING": True, "SECRET_KEY": "k", "INSTANCE_PATH": sys.argv[2]})
quizapp.upgrade_database(app)  # as `quizapp db upgrade` would
client = app.test_client()
home = client.get("/")
assert home.status_code == 200 and "Essay Study" in home.text, home.status_code
assert client.get("/static/css/app.css").status_code == 200
essays = client.get("/essays").text
assert "Russia and the Taliban" in essays, "the shipped content"
print("served", app.template_folder)
"""


def test_the_installed_package_serves_from_another_folder(wheel: Path, tmp_path: Path) -> None:
    site = tmp_path / "site-packages"  # a pure-Python wheel installs by unpacking it
    zipfile.ZipFile(wheel).extractall(site)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("CONTENT_DIR", "DATABASE_URL")}
    env["PYTHONPATH"] = str(site)
    result = subprocess.run(
        [sys.executable, "-c", SERVE_FROM_WHEEL, str(site), str(tmp_path / "instance")],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"served {site}/quizapp/_shipped/templates" in result.stdout
