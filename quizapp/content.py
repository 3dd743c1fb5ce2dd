"""The live content of a running app: the last good load, its errors, and reloading.

A broken edit never takes the site down: the store keeps serving the last content that
loaded without errors, and keeps the errors of the newer, broken files for instructors.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from flask import current_app

from .bank import Bank, ContentError, EssayContent, build_bank, content_mtime, load_content

T = TypeVar("T")


@dataclass(frozen=True)
class Snapshot:
    """One good load of the content folder."""

    essays: dict[str, EssayContent]
    loaded_at: datetime
    banks: dict[str, Bank] = field(default_factory=dict, compare=False)
    memo: dict[Hashable, Any] = field(default_factory=dict, compare=False)

    def bank(self, slug: str) -> Bank:
        """The essay's bank for display (seed 0), built once per snapshot."""
        if slug not in self.banks:
            self.banks[slug] = build_bank(self.essays[slug], seed=0)
        return self.banks[slug]

    def derived(self, key: Hashable, build: Callable[[], T]) -> T:
        """A value that depends on this content only (a deck's card order, topic maps...),
        built on first use and kept as long as the snapshot: once per content load, not per
        request. ``key`` names it; ``build`` must read this snapshot only."""
        try:
            return self.memo[key]  # type: ignore[no-any-return]
        except KeyError:
            value = self.memo[key] = build()
            return value


class ContentStore:
    def __init__(self, content_dir: Path, check_interval: float = 2.0) -> None:
        self.content_dir = content_dir
        self.check_interval = check_interval
        self.snapshot = Snapshot({}, datetime.now(UTC))
        self.errors: list[ContentError] = []
        self.checked_at = 0.0
        self.mtime = -1.0
        self._lock = threading.Lock()
        self.reload()

    def reload(self) -> list[ContentError]:
        """Load the folder now; keep the last good content when the new one has errors."""
        with self._lock:
            self.mtime = content_mtime(self.content_dir)
            self.checked_at = time.monotonic()
            result = load_content(self.content_dir)
            self.errors = result.errors
            if result.ok:
                self.snapshot = Snapshot(result.essays, datetime.now(UTC))
            return self.errors

    def current(self) -> Snapshot:
        """The content to serve, reloading first when a file changed (checked every few s)."""
        if self.check_interval >= 0 and time.monotonic() - self.checked_at >= self.check_interval:
            self.checked_at = time.monotonic()
            if content_mtime(self.content_dir) != self.mtime:
                self.reload()
        return self.snapshot


def store() -> ContentStore:
    return current_app.extensions["content"]  # type: ignore[no-any-return]


def snapshot() -> Snapshot:
    return store().current()
