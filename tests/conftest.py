"""Shared fixtures: an app on a temporary database, its client and CLI runner."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner

from quizapp import create_app

TESTS = Path(__file__).resolve().parent
TINY = TESTS / "data" / "tiny"
SHIPPED = TESTS.parent / "content"


@pytest.fixture
def tiny_dir(tmp_path: Path) -> Path:
    """A private copy of the tiny test essay, safe to edit."""
    target = tmp_path / "content"
    shutil.copytree(TINY, target)
    return target


def make_app(tmp_path: Path, content_dir: Path, **config: object) -> Flask:
    return create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-only-key",
            "INSTANCE_PATH": str(tmp_path / "instance"),
            "DATABASE_URL": f"sqlite:///{tmp_path / 'test.sqlite'}",
            "CONTENT_DIR": str(content_dir),
            **config,
        }
    )


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
