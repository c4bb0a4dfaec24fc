"""Build step that bundles the repository's ``content/`` and ``data/`` into the wheel.

The design card keeps ``content/`` and ``data/`` at the top of the repository, beside ``trainer/``,
so authors find them at once. A wheel holds only packages, so at build time this step copies both
folders into the built package as ``trainer/_bundled/content`` and ``trainer/_bundled/data``;
``trainer.resources`` reads them from there when the trainer runs outside a checkout. Only the
file kinds the trainer reads are copied: a local ``data/trainer.db`` never ships.

Everything else about the project is declared in ``pyproject.toml``.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
BUNDLED = ("content", "data")
BUNDLED_SUFFIXES = {".yaml", ".yml", ".md", ".json", ".csv"}


class BuildPyWithBundle(build_py):
    """``build_py`` that also copies the bundled folders into ``trainer/_bundled``."""

    def run(self) -> None:
        super().run()
        # An editable install runs from the checkout, which trainer.resources reads directly.
        if getattr(self, "editable_mode", False):
            return
        target_root = Path(self.build_lib) / "trainer" / "_bundled"
        if target_root.exists():
            shutil.rmtree(target_root)  # no stale files from an earlier build
        for folder in BUNDLED:
            source = ROOT / folder
            if not source.is_dir():
                raise SystemExit(f"cannot bundle {folder}/: no such folder beside setup.py")
            for path in sorted(source.rglob("*")):
                if path.is_file() and path.suffix in BUNDLED_SUFFIXES:
                    target = target_root / path.relative_to(ROOT)
                    target.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copyfile(path, target)


setup(cmdclass={"build_py": BuildPyWithBundle})
