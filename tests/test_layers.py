"""The import layers of pyproject's [tool.importlinter] contracts hold (`lint-imports`).

Run as its own process: import-linter configures logging with ``dictConfig``, which would
switch off the app's loggers for the rest of the test session."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_import_contracts_hold() -> None:
    lint_imports = Path(sys.executable).parent / "lint-imports"
    done = subprocess.run(
        [str(lint_imports), str(ROOT / "pyproject.toml"), "--no-cache"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 broken" in done.stdout


PACKAGE = ROOT / "quizapp"

# The services layer: called by the views and the CLI alike, so none of it may read the
# request, the session or the signed-in user (import-linter checks modules, not names).
SERVICES = (
    "accounts.py",
    "cards.py",
    "class_reports.py",
    "clock.py",
    "config.py",
    "content.py",
    "course_rules.py",
    "courses.py",
    "db.py",
    "fitting.py",
    "progress.py",
    "quiz.py",
    "regrade.py",
    "sessions.py",
    "simulation.py",
    "users.py",
)
REQUEST_BOUND = {
    "flask": {"request", "session", "g", "flash", "abort", "redirect", "render_template"},
    "flask_login": {"current_user", "login_required", "login_user", "logout_user"},
}

MAX_LINES = 600
SPLIT_ELSEWHERE: set[str] = set()  # every module is under the limit now


def _modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "migrations" not in p.parts)


def test_services_read_no_request_session_or_signed_in_user() -> None:
    found = []
    for name in SERVICES:
        tree = ast.parse((PACKAGE / name).read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module in REQUEST_BOUND:
                bound = {a.name for a in node.names} & REQUEST_BOUND[node.module]
                found += [f"{name}:{node.lineno} {node.module}.{n}" for n in sorted(bound)]
            elif (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.attr in REQUEST_BOUND.get(node.value.id, ())
            ):
                found.append(f"{name}:{node.lineno} {node.value.id}.{node.attr}")
    assert found == []


def test_no_two_classes_share_a_name() -> None:
    where: dict[str, list[str]] = {}
    for path in _modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef):
                where.setdefault(node.name, []).append(str(path.relative_to(ROOT)))
    assert {name: files for name, files in where.items() if len(files) > 1} == {}


def test_no_module_is_over_600_lines() -> None:
    long = {
        str(path.relative_to(ROOT)): n
        for path in _modules()
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
        and path.name not in SPLIT_ELSEWHERE
    }
    assert long == {}


def test_one_slugify_for_ids_slugs_and_file_names() -> None:
    """Five copies made slugs five ways ("straße" gave "stra-e" in one, "strae" in another)."""
    from quizapp.bank.text import slugify
    from quizapp.course_rules import course_slug

    assert slugify("Straße café — Ünïcode!", "x") == "strasse-cafe-unicode"
    assert slugify("Гагарин", "x") == "gagarin"
    assert slugify("  !! ", "fallback") == "fallback"
    long = slugify("Russia and the Taliban: banishing Western illusions", "essay")
    assert long == "russia-and-the-taliban-banishing-western"  # cut at a word, <= 48
    assert course_slug("Modern History", "Fall 2026") == "modern-history-fall-2026"
    copies = [p for p in _modules() if 're.sub(r"[^a-z0-9]+", "-"' in p.read_text(encoding="utf-8")]
    assert copies == []
