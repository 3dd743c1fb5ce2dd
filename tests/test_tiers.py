"""The test tiers: every name in conftest's SLOW list still names a test module or function
(a renamed test would otherwise silently fall back into the quick tier)."""

from __future__ import annotations

import re

from .conftest import SLOW, TESTS


def test_every_slow_entry_names_an_existing_test() -> None:
    for entry in sorted(SLOW):
        module, _, function = entry.partition("::")
        path = TESTS / module
        assert path.is_file(), entry
        if function:
            assert re.search(rf"^def {re.escape(function)}\(", path.read_text(), re.M), entry
