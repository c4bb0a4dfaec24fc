"""The wheel holds what an installed trainer needs, and resources.py finds it.

Installing the wheel into a fresh venv and running ``trainer check``, ``coverage``, ``simulate``,
``size``, ``db upgrade`` and ``serve`` from outside the checkout is done once, in ``.ci/run``,
which passes its wheel here as ``TRAINER_WHEEL``; these tests read the wheel's file list and
metadata (a few seconds) and build one themselves when run alone.
"""

from __future__ import annotations

import ast
import os
import re
import shutil
import subprocess
import sys
import zipfile
from email.parser import Parser
from importlib import metadata
from pathlib import Path

import pytest

from trainer import resources

ROOT = Path(__file__).resolve().parent.parent
BUILD_INPUTS = ("pyproject.toml", "setup.py", "MANIFEST.in", "README.md", "trainer", "content", "data")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> zipfile.ZipFile:
    given = os.environ.get("TRAINER_WHEEL", "").strip()
    if given:
        path = Path(given)
    else:
        # Build from a copy, so the checkout's build/ folder neither feeds nor receives files.
        source = tmp_path_factory.mktemp("source")
        for name in BUILD_INPUTS:
            if (ROOT / name).is_dir():
                shutil.copytree(
                    ROOT / name, source / name, ignore=shutil.ignore_patterns("__pycache__", "*.db*")
                )
            else:
                shutil.copy2(ROOT / name, source / name)
        out = tmp_path_factory.mktemp("dist")
        command = [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation"]
        subprocess.run([*command, "--wheel-dir", str(out), str(source)], check=True, capture_output=True)
        (path,) = out.glob("ecs_lambda_trainer-*.whl")
    with zipfile.ZipFile(path) as archive:
        yield archive


def names(wheel: zipfile.ZipFile) -> set[str]:
    return set(wheel.namelist())


def test_wheel_bundles_the_content_and_data(wheel):
    bundled = {n.removeprefix("trainer/_bundled/") for n in names(wheel) if n.startswith("trainer/_bundled/")}
    shipped = {
        str(p.relative_to(ROOT))
        for folder in ("content", "data")
        for p in (ROOT / folder).rglob("*")
        if p.is_file() and p.suffix in {".yaml", ".yml", ".md", ".json", ".csv"}
    }
    assert "content/topics.yaml" in bundled and "data/instance_limits.yaml" in bundled
    assert bundled == shipped
    assert not [n for n in names(wheel) if re.search(r"\.db(-wal|-shm)?$", n)]


def test_wheel_holds_every_module_page_and_migration(wheel):
    modules = {
        str(p.relative_to(ROOT)) for p in (ROOT / "trainer").rglob("*.py") if "__pycache__" not in p.parts
    }
    assert modules - names(wheel) == set()
    assert "trainer/ui/entry/streamlit_app.py" in names(wheel)
    assert "trainer/py.typed" in names(wheel)
    assert "trainer/ui/favicon.png" in names(wheel)  # the app serves its own favicon
    migrations = ROOT / "trainer" / "store" / "migrations"
    if migrations.is_dir():
        assert {str(p.relative_to(ROOT)) for p in migrations.glob("*.mako")} <= names(wheel)
        assert any(n.startswith("trainer/store/migrations/versions/") for n in names(wheel))
    assert not [n for n in names(wheel) if n.startswith(("tests/", "benchmarks/", "content/", "data/"))]


def _imported_distributions() -> set[str]:
    """The distributions whose modules the trainer package imports (stdlib and itself left out)."""
    top_level: set[str] = set()
    for path in (ROOT / "trainer").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                top_level.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                top_level.add(node.module.split(".")[0])
    top_level -= set(sys.stdlib_module_names) | {"trainer", "__future__"}
    providers = metadata.packages_distributions()
    missing = sorted(name for name in top_level if name not in providers)
    assert not missing, f"imported but installed by no distribution: {missing}"
    return {_normal(providers[name][0]) for name in top_level}


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def test_every_imported_distribution_is_declared(wheel):
    (meta_name,) = [n for n in names(wheel) if n.endswith(".dist-info/METADATA")]
    meta = Parser().parsestr(wheel.read(meta_name).decode())
    required = {
        _normal(re.split(r"[ ;<>=!~\[]", requirement, maxsplit=1)[0])
        for requirement in meta.get_all("Requires-Dist") or []
        if "extra ==" not in requirement
    }
    assert _imported_distributions() - required == set()
    assert {"sqlalchemy", "pandas", "alembic", "platformdirs"} <= required


def test_a_checkout_reads_its_own_folders():
    assert resources.from_checkout()
    assert resources.bundle_dir() == ROOT
    assert resources.data_file("instance_limits.yaml") == ROOT / "data" / "instance_limits.yaml"
    assert resources.default_database_path() == ROOT / "data" / "trainer.db"


def test_an_install_reads_the_bundle_and_keeps_the_database_per_user(tmp_path, monkeypatch):
    monkeypatch.setattr(resources, "CHECKOUT_DIR", tmp_path / "site-packages")  # no pyproject.toml there
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.delenv("TRAINER_CONTENT_DIR", raising=False)
    assert not resources.from_checkout()
    assert resources.content_dir() == ROOT / "trainer" / "_bundled" / "content"
    assert resources.data_file("x.yaml") == ROOT / "trainer" / "_bundled" / "data" / "x.yaml"
    assert (
        resources.default_database_url()
        == f"sqlite:///{tmp_path / 'xdg' / 'ecs-lambda-trainer' / 'trainer.db'}"
    )
    monkeypatch.setenv("TRAINER_CONTENT_DIR", str(tmp_path / "mine"))
    assert resources.content_dir() == tmp_path / "mine"
