"""Shared fixtures: a fresh database per test, small content trees, Streamlit cache hygiene."""

from __future__ import annotations

import os
import shutil
import sqlite3
import textwrap
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from tests.pgschema import private_schema_url
from trainer.content.loader import load_bank
from trainer.content.model import Bank
from trainer.store.engine import make_engine

# Property tests check behaviour, never speed (speed goals live in benchmarks/): on a busy
# two-core CI machine one example can take longer than Hypothesis's default 200 ms deadline.
hypothesis_settings.register_profile("trainer", deadline=None)
hypothesis_settings.load_profile("trainer")

ROOT = Path(__file__).resolve().parent.parent

TOPICS = """
topics:
  - {id: alpha, title: Alpha topic, section: ECS}
  - {id: beta, title: Beta topic, section: Lambda}
outline:
  - {id: notes.one, section: ECS, text: First bullet}
  - {id: notes.two, section: Lambda, text: Second bullet}
concepts:
  - {id: base, name: Base idea, topic: alpha}
  - {id: advanced, name: Advanced idea, topic: beta, requires: [base]}
"""


def card_yaml(card_id: str, topic: str = "alpha", **extra) -> str:
    lines = [
        f"  - id: {card_id}",
        f"    front: Front of {card_id}?",
        f"    back: Back of {card_id}.",
        f"    explanation: Why {card_id} is so.",
        f"    topic: {topic}",
        "    outline: [notes.one]",
        "    references:",
        "      - {title: Docs, url: 'https://docs.aws.amazon.com/lambda/latest/dg/welcome.html'}",
    ]
    lines += [f"    {key}: {value}" for key, value in extra.items()]
    return "\n".join(lines) + "\n"


@pytest.fixture
def write_content(tmp_path):
    """Write files into a fresh content directory; returns a function (name, text) -> Path."""
    root = tmp_path / "content"
    root.mkdir()
    (root / "base.yaml").write_text(TOPICS)

    def write(name: str, text: str) -> Path:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
        return path

    write.root = root
    return write


@pytest.fixture
def small_bank(write_content) -> Bank:
    """Six cards over two topics, with one concept prerequisite between them."""
    write_content(
        "cards.yaml",
        "cards:\n"
        + card_yaml("a1", concepts="[base]")
        + card_yaml("a2")
        + card_yaml("a3")
        + card_yaml("b1", "beta", concepts="[advanced]")
        + card_yaml("b2", "beta")
        + card_yaml("b3", "beta"),
    )
    bank = load_bank([write_content.root])
    assert bank.ok, bank.problems
    return bank


def postgres_base_url() -> str:
    """The PostgreSQL server for tests; skip (or, in CI, fail) when there is none, and fail
    plainly when the variable holds something other than one URL."""
    url = os.environ.get("TRAINER_TEST_PG_URL", "")
    reason = (
        "no PostgreSQL for tests: set TRAINER_TEST_PG_URL "
        "(`.ci/postgres.sh` starts the machine's server and prints one)"
    )
    if not url:
        if os.environ.get("TRAINER_REQUIRE_POSTGRES"):
            pytest.fail(reason)
        pytest.skip(reason)
    try:
        make_url(url)
    except ArgumentError:
        pytest.fail(
            f"TRAINER_TEST_PG_URL is not a database URL: {url!r}; it should be one line "
            "like postgresql+psycopg://user:password@host:5432/db"
        )
    return url


def postgres_schema_url():
    """A URL whose connections use a fresh, private schema; dropped afterwards."""
    return private_schema_url(postgres_base_url())


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory) -> Path:
    """A SQLite file migrated to head once per test session. Running the whole migration chain
    copies several tables (SQLite's batch mode); the fixtures below copy this file instead.
    tests/test_migrations.py runs the chain itself."""
    path = tmp_path_factory.mktemp("template") / "head.db"
    make_engine(f"sqlite:///{path}").dispose()
    return path


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request, migrated_sqlite):
    """Every test of the store runs on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        engine = make_engine("sqlite://", migrate=False)
        with engine.connect() as conn, sqlite3.connect(migrated_sqlite) as template:
            template.backup(conn.connection.dbapi_connection)
        yield engine
        return
    with postgres_schema_url() as url:
        engine = make_engine(url)
        yield engine
        engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_db_url(request, tmp_path):
    """The URL of an empty database (a SQLite file, or a private PostgreSQL schema), not yet
    touched by the trainer: for tests of migrations and of races between connections."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.db'}"
        return
    with postgres_schema_url() as url:
        yield url


@pytest.fixture
def pg_url():
    """A PostgreSQL URL with a private schema, for tests that need a server URL."""
    with postgres_schema_url() as url:
        yield url


@pytest.fixture
def file_db(tmp_path, monkeypatch, migrated_sqlite):
    """A file SQLite database, used through TRAINER_DATABASE_URL as the app does (a copy of the
    migrated template, so the app finds it at head)."""
    shutil.copyfile(migrated_sqlite, tmp_path / "trainer.db")
    url = f"sqlite:///{tmp_path / 'trainer.db'}"
    monkeypatch.setenv("TRAINER_DATABASE_URL", url)
    return url


@pytest.fixture
def clear_streamlit_caches():
    import streamlit as st

    st.cache_data.clear()
    st.cache_resource.clear()
    yield
    st.cache_data.clear()
    st.cache_resource.clear()


@pytest.fixture(autouse=True)
def boundary_failures():
    """Failures the app's error boundary caught (trainer/ui/boundary.py and the CLI's main).

    The boundary turns an exception into a plain message, so ``assert not at.exception`` no
    longer sees a page that broke: any failure it logs fails the test, unless the test expects
    it and empties this list.
    """
    import logging

    caught: list[logging.LogRecord] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            caught.append(record)

    logger = logging.getLogger("trainer.failures")
    handler = Collect(level=logging.ERROR)
    logger.addHandler(handler)
    yield caught
    logger.removeHandler(handler)
    if caught:
        details = "; ".join(f"{r.getMessage()} {r.exc_info[1] if r.exc_info else ''!r}" for r in caught)
        pytest.fail(f"the error boundary caught a failure the test did not expect: {details}")
