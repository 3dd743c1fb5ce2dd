"""Shared fixtures: an app on a temporary database, its client and CLI runner.

The suite runs on SQLite by default (a file per test). With DATABASE_URL set to a PostgreSQL
URL (postgresql+psycopg://user:password@host:port/db, a role allowed to create databases), each
test gets a fresh database of its own, created from that URL and dropped when the test ends.
"""

from __future__ import annotations

import os
import secrets
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import Engine, create_engine, make_url
from sqlalchemy.pool import NullPool

from quizapp import create_app
from quizapp.extensions import db

TESTS = Path(__file__).resolve().parent
TINY = TESTS / "data" / "tiny"
SHIPPED = TESTS.parent / "content"

ADMIN_URL = os.environ.get("DATABASE_URL", "")
ON_POSTGRES = make_url(ADMIN_URL).get_backend_name() == "postgresql" if ADMIN_URL else False
sqlite_only = pytest.mark.skipif(ON_POSTGRES, reason="SQLite-specific (DATABASE_URL is PostgreSQL)")
postgres_only = pytest.mark.skipif(
    not ON_POSTGRES, reason="needs DATABASE_URL=postgresql+psycopg://..."
)

BROWSER_TESTS = TESTS / "browser"
# Slow tests (a whole module, or a test function with all its parameters): each takes
# seconds, mostly on the shipped essay, over live servers or hypothesis runs. Measured with
# `pytest --durations=0`; add a test here (or mark it @pytest.mark.slow) when it takes over
# about half a second alone, so that `pytest -m "not slow"` stays under a minute.
SLOW = frozenset(
    {
        "test_liveserver.py",
        "test_ratelimit_http.py",
        "test_simulate.py",
        "test_analysis.py::test_arbitrary_marks_do_not_raise",
        "test_analysis.py::test_figures_stay_in_range",
        "test_app.py::test_content_check_prints_a_summary",
        "test_app.py::test_help_lists_every_command",
        "test_app.py::test_serve_runs_gunicorn_and_serves_the_home_page",
        "test_app.py::test_shipped_content_meets_the_bar",
        "test_auth.py::test_change_password_signs_out_other_devices",
        "test_auth.py::test_next_only_goes_to_our_own_paths",
        "test_auth.py::test_register_rejects_duplicates_and_short_passwords",
        "test_auth.py::test_same_message_for_unknown_email_and_wrong_password",
        "test_authoring.py::test_a_common_answer_needs_a_sentence_that_reads_like_the_question",
        "test_authoring.py::test_draft_accepted_unchanged_passes_the_check_and_every_fact_makes_items",
        "test_authoring.py::test_draft_on_the_seed_essay_quotes_verbatim_and_recovers_shipped_facts",
        "test_authoring.py::test_new_on_the_seed_essay_keeps_the_shipped_paragraph_numbers",
        "test_fuzz_forms.py::test_no_crafted_form_value_gives_a_server_error",
        "test_generate.py::test_attempts_hold_no_leaks_each_fact_once_and_balanced_true_false",
        "test_generate.py::test_choice_items_are_well_formed",
        "test_generate.py::test_every_quiz_can_be_assembled_per_its_mix",
        "test_generate.py::test_false_statements_differ_from_the_truth",
        "test_generate.py::test_item_ids_and_counts_do_not_depend_on_the_seed",
        "test_generate.py::test_ordering_follows_the_dates_and_matching_pairs_are_right",
        "test_generate.py::test_select_all_key_counts_vary",
        "test_graded.py::test_an_override_is_kept_shown_and_exported",
        "test_graded.py::test_crafted_values_on_the_graded_quiz_forms_never_give_a_500",
        "test_graded.py::test_regrade_dry_run_apply_and_repeat",
        "test_grading.py::test_any_form_parses_and_grades_within_bounds",
        "test_hardening.py::test_no_csv_export_has_a_cell_a_spreadsheet_would_run",
        "test_hardening.py::test_registering_a_known_email_reveals_no_more_than_a_sign_in",
        "test_hardening.py::test_sign_in_takes_as_long_for_an_unknown_email",
        "test_instructor.py::test_every_export_reads_back",
        "test_lint.py::test_strict_check_fails_on_warnings",
        "test_lint.py::test_the_shipped_content_passes_strict",
        "test_optimizer.py::test_course_optimization_from_all_students_reviews",
        "test_optimizer.py::test_optimize_from_the_settings_page_and_reschedule",
        "test_security.py::test_forwarded_addresses_count_only_behind_a_declared_proxy",
        "test_security.py::test_fuzzed_content_only_ever_gives_the_loaders_own_errors",
        "test_security.py::test_json_sign_ins_count_toward_the_account_lockout",
        "test_security.py::test_password_change_is_throttled",
        "test_security.py::test_registration_is_rate_limited_per_address",
        "test_security.py::test_sign_in_is_rate_limited_per_account_and_per_address",
        "test_typed_answers.py::test_an_unordered_answer_is_graded_the_same_in_every_order",
        "test_typed_answers.py::test_blanks_of_one_list_are_graded_the_same_in_every_order",
    }
)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Test tiers: every test under tests/browser/ is a ``browser`` test; browser and
    ``concurrency`` tests, and those listed in ``SLOW``, are ``slow``, so that
    ``pytest -m "not slow"`` leaves them out."""
    for item in items:
        if BROWSER_TESTS in item.path.parents:
            item.add_marker(pytest.mark.browser)
        function = f"{item.path.name}::{item.name.split('[')[0]}"
        if (
            item.get_closest_marker("browser")
            or item.get_closest_marker("concurrency")
            or item.path.name in SLOW
            or function in SLOW
        ):
            item.add_marker(pytest.mark.slow)


_admin: Engine | None = None
_per_test: list[str] = []  # databases made during the running test, dropped at its end
_urls: dict[Path, str] = {}  # their URLs by the SQLite file they stand for
_apps: list[Flask] = []  # apps made during the running test: their pools are closed at its end


def _admin_engine() -> Engine:
    global _admin
    if _admin is None:
        _admin = create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    return _admin


def fresh_database_url(
    tmp_path: Path, name: str = "test", *, owner: list[str] | None = None
) -> str:
    """The URL of the database ``name`` under tmp_path: an SQLite file, or on PostgreSQL a
    database of its own, made on first use (the same for the same tmp_path and name, as the
    file would be) and dropped when the test ends (given ``owner``, by ``drop_databases``)."""
    sqlite_file = tmp_path / f"{name}.sqlite"
    if not ON_POSTGRES:
        return f"sqlite:///{sqlite_file}"
    if sqlite_file in _urls:
        return _urls[sqlite_file]
    database = f"quizapp_test_{secrets.token_hex(6)}"
    with _admin_engine().connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{database}"')
    url = make_url(ADMIN_URL).set(database=database).render_as_string(hide_password=False)
    if owner is None:
        _per_test.append(database)
        _urls[sqlite_file] = url
    else:
        owner.append(database)
    return url


def drop_databases(databases: list[str]) -> None:
    if not databases:
        return
    with _admin_engine().connect() as conn:
        while databases:
            database = databases.pop()
            # Not DROP ... WITH (FORCE): it refuses when an autovacuum worker is on the
            # database ("must be a member of the role whose process is being terminated"),
            # which only a superuser may end. So end the connections of our own role, then
            # drop: a plain DROP ends autovacuum itself and waits up to 5 s for the rest.
            conn.exec_driver_sql(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE datname = %(database)s AND usename = current_user"
                " AND pid <> pg_backend_pid()",
                {"database": database},
            )
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{database}"')


@pytest.fixture(autouse=True)
def _clean_databases() -> Iterator[None]:
    yield
    while _apps:
        app = _apps.pop()
        if "sqlalchemy" in app.extensions:
            with app.app_context():
                for engine in db.engines.values():
                    engine.dispose()
    _urls.clear()
    drop_databases(_per_test)


@pytest.fixture(scope="session", autouse=True)
def _close_admin_engine() -> Iterator[None]:
    yield
    if _admin is not None:
        _admin.dispose()


@pytest.fixture
def tiny_dir(tmp_path: Path) -> Path:
    """A private copy of the tiny test essay, safe to edit."""
    target = tmp_path / "content"
    shutil.copytree(TINY, target)
    return target


def make_app(tmp_path: Path, content_dir: Path, **config: object) -> Flask:
    if "DATABASE_URL" not in config:
        config["DATABASE_URL"] = fresh_database_url(tmp_path)
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-only-key",
            "INSTANCE_PATH": str(tmp_path / "instance"),
            "CONTENT_DIR": str(content_dir),
            # The test apps opt in to migrating before their first request (a deployment
            # runs `quizapp db upgrade` or `quizapp serve` instead).
            "AUTO_MIGRATE": True,
            **config,
        }
    )
    _apps.append(app)
    return app


@pytest.fixture
def app(tmp_path: Path, tiny_dir: Path) -> Iterator[Flask]:
    yield make_app(tmp_path, tiny_dir)


@pytest.fixture
def shipped_app(tmp_path: Path) -> Iterator[Flask]:
    yield make_app(tmp_path, SHIPPED)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    return app.test_cli_runner()
