"""Where the trainer finds its bundled files and keeps its database.

Run from a checkout (``make run``, an editable install), the content and data are the repository's
own ``content/`` and ``data/`` folders, and the database defaults to ``data/trainer.db`` beside
them, as the README's quick start says: an author's edit shows at once.

Installed from a wheel there is no checkout: the build copied ``content/`` and ``data/`` into the
package as ``trainer/_bundled/`` (see ``setup.py``), read here through ``importlib.resources``.
The database then goes to the per-user data directory (``~/.local/share/ecs-lambda-trainer`` on
Linux), never into site-packages, which may be read-only and is replaced by every upgrade.

``TRAINER_CONTENT_DIR`` and ``TRAINER_DATABASE_URL`` override either choice.
"""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

import platformdirs

APP_NAME = "ecs-lambda-trainer"
PACKAGE_DIR = Path(__file__).resolve().parent
CHECKOUT_DIR = PACKAGE_DIR.parent
BUNDLE_NAME = "_bundled"


def from_checkout() -> bool:
    """True when this package is the ``trainer/`` folder of a repository checkout."""
    return (CHECKOUT_DIR / "pyproject.toml").is_file() and (CHECKOUT_DIR / "content").is_dir()


def bundle_dir() -> Path:
    """The repository's top level when run from a checkout, else the copy inside the package.

    Both hold ``content/`` and ``data/``. An installed wheel is a folder in site-packages, so
    the bundled resources are real files; the content loader walks them as paths.
    """
    if from_checkout():
        return CHECKOUT_DIR
    # A wheel installs as a folder, so this Traversable is a real path; the readers report a
    # missing file in one line like any other, should a broken install lack the bundle.
    return Path(str(resources.files("trainer") / BUNDLE_NAME))


def content_dir() -> Path:
    """The content directory: ``TRAINER_CONTENT_DIR`` if set, else the bundled content."""
    override = os.environ.get("TRAINER_CONTENT_DIR", "").strip()
    if override:
        return Path(override)
    return bundle_dir() / "content"


def data_file(name: str) -> Path:
    """A file of reference data shipped with the trainer (``data/`` in the repository)."""
    return bundle_dir() / "data" / name


def user_data_dir() -> Path:
    """The per-user folder for the database of an installed trainer (not created here)."""
    return platformdirs.user_data_path(APP_NAME, appauthor=False)


def default_database_path() -> Path:
    """The SQLite file used when ``TRAINER_DATABASE_URL`` is not set."""
    if from_checkout():
        return CHECKOUT_DIR / "data" / "trainer.db"
    return user_data_dir() / "trainer.db"


def default_database_url() -> str:
    """The SQLite URL used when ``TRAINER_DATABASE_URL`` is not set."""
    return f"sqlite:///{default_database_path()}"
