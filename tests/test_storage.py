"""The store's set-up: an unusable database gets a plain message, never a traceback."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT
from trainer.store.engine import StorageError, make_engine


@pytest.mark.parametrize(
    "url, message",
    [
        ("not a url", "is not a database URL"),
        ("postgresql+psycopg://u:secret@127.0.0.1:1/db", "cannot open the database"),
    ],
)
def test_unusable_database_url_is_explained(url, message):
    with pytest.raises(StorageError, match=message) as info:
        make_engine(url)
    assert "secret" not in str(info.value)  # passwords are never echoed


def test_app_with_a_broken_database_url_says_so(monkeypatch, clear_streamlit_caches):
    monkeypatch.setenv("TRAINER_DATABASE_URL", "postgresql+psycopg://u:pw@127.0.0.1:1/none")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    at.run()
    assert not at.exception
    assert any("cannot use its database" in e.value for e in at.error)
