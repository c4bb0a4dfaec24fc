"""Where the trainer finds its bundled files and keeps its database.

Run from a checkout, the content and data are the repository's own ``content/`` and ``data/``
folders, and the database defaults to ``data/trainer.db`` beside them, as the README's quick start
says. Installed from a wheel there is no checkout: content and data are read from the copy bundled
inside the package, and the database goes to the per-user data directory, never into
site-packages (which may be read-only and is replaced by every upgrade).
"""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
CHECKOUT_DIR = PACKAGE_DIR.parent


def _from_checkout() -> bool:
    """True when this package is the ``trainer/`` folder of a repository checkout."""
    return (CHECKOUT_DIR / "pyproject.toml").is_file() and (CHECKOUT_DIR / "content").is_dir()


def content_dir() -> Path:
    """The content directory: ``TRAINER_CONTENT_DIR`` if set, else the bundled content."""
    override = os.environ.get("TRAINER_CONTENT_DIR", "").strip()
    if override:
        return Path(override)
    return CHECKOUT_DIR / "content"


def data_file(name: str) -> Path:
    """A file of reference data shipped with the trainer (``data/`` in the repository)."""
    return CHECKOUT_DIR / "data" / name


def default_database_url() -> str:
    """The SQLite database used when ``TRAINER_DATABASE_URL`` is not set."""
    return f"sqlite:///{CHECKOUT_DIR / 'data' / 'trainer.db'}"
