"""Build hook: the wheel carries the site's files.

The repository keeps ``templates/``, ``static/`` and ``content/`` at its top level (where
authors and designers edit them); a built package has no top level, so ``build_py`` copies
them into the package as ``quizapp/_shipped/``. The app looks there first and falls back to
the checkout's folders (``quizapp.site_folder``). Everything else is in pyproject.toml.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
SHIPPED = ("templates", "static", "content")
SKIP = shutil.ignore_patterns(".*", "__pycache__", "*.pyc")


class build_py_with_site_files(build_py):
    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):  # an editable install reads the checkout
            return
        target = Path(self.build_lib) / "quizapp" / "_shipped"
        for name in SHIPPED:
            destination = target / name
            if destination.exists():
                shutil.rmtree(destination)
            shutil.copytree(ROOT / name, destination, ignore=SKIP)


setup(cmdclass={"build_py": build_py_with_site_files})
