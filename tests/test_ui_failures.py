"""The app's error boundary through AppTest (reliability review R2): a read-only or full disk, a
database outage, an out-of-range attempt id and a deeply nested plan link each show a plain
message with a request id, never a traceback, SQL or paths; after an outage the page recovers."""

from __future__ import annotations

import base64
import sqlite3
import zlib
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import event
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT
from trainer.store.engine import get_engine

APP = str(ROOT / "app.py")


@pytest.fixture(autouse=True)
def isolated(file_db, small_bank, write_content, monkeypatch, clear_streamlit_caches):
    monkeypatch.setenv("TRAINER_CONTENT_DIR", str(write_content.root))
    return file_db


@contextmanager
def database_failing(url: str, reason: str, writes_only: bool) -> Iterator[None]:
    """Every statement (or every write) fails in the driver with ``reason``, as SQLite says it."""

    def fail(_conn, _cursor, statement, _parameters, _context, _many):
        if not writes_only or statement.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE")):
            raise sqlite3.OperationalError(reason)

    engine = get_engine(url)
    event.listen(engine, "before_cursor_execute", fail)
    try:
        yield
    finally:
        event.remove(engine, "before_cursor_execute", fail)


def studying(name: str = "Ana") -> AppTest:
    at = AppTest.from_file(APP, default_timeout=30)
    at.run()
    at.text_input(key="picker_name").input(name)
    next(b for b in at.button if b.label == "Create profile").click()
    at.run()
    assert not at.exception, at.exception
    at.button(key="show_answer").click().run()
    return at


def shown(at: AppTest) -> str:
    return "\n".join(e.value for e in at.error)


def assert_plain(text: str) -> None:
    for leak in ("SQL", "UPDATE", "INSERT", "SELECT", "sqlite3", "Traceback", "/tmp", ".py"):
        assert leak not in text, text


@pytest.mark.parametrize(
    ("reason", "words"),
    [
        ("attempt to write a readonly database", "it is read-only"),
        ("database or disk is full", "its disk is full"),
    ],
)
def test_a_rating_the_database_refuses_is_a_plain_message(isolated, reason, words, boundary_failures):
    at = studying()
    with database_failing(isolated, reason, writes_only=True):
        at.button(key="rate_good").click().run()
    assert not at.exception, at.exception
    message = shown(at)
    assert words in message and "Nothing from this step was saved" in message and "request id" in message
    assert_plain(message)
    request_id = boundary_failures[0].args[0]
    assert request_id in message
    boundary_failures.clear()
    # Fixed (space freed, file writable): Try again shows the page again, and rating works.
    next(b for b in at.button if b.label == "Try again").click().run()
    assert not at.error and not at.exception
    if not any(b.key == "rate_good" for b in at.button):
        at.button(key="show_answer").click().run()
    at.button(key="rate_good").click().run()
    assert not at.exception and not at.error


def test_a_database_outage_retries_by_itself_and_the_page_comes_back(isolated, boundary_failures):
    at = studying()
    with database_failing(isolated, "connection to server was lost", writes_only=False):
        at.button(key="rate_good").click().run()
        assert not at.exception, at.exception
        assert "cannot reach its database" in shown(at)
        assert_plain(shown(at))
        assert any("Checking the database again every" in c.value for c in at.caption)
        boundary_failures.clear()
    # The database answers again: the fragment's next look reruns the page (simulated by a run).
    at.run()
    assert not at.error and not at.exception
    assert any(m.value.startswith("### Front of") for m in at.markdown)


def test_an_attempt_id_beyond_64_bits_in_the_link_is_plain(isolated):
    at = AppTest.from_file(APP, default_timeout=30)
    at.run()
    at.text_input(key="picker_name").input("Ana")
    next(b for b in at.button if b.label == "Create profile").click()
    at.run()
    at.switch_page("trainer/ui/exam.py")
    at.query_params["attempt"] = "99999999999999999999"
    at.run()
    assert not at.exception, at.exception
    assert any("does not name an exam attempt" in e.value for e in at.error)


def test_a_plan_link_nested_100000_deep_is_a_plain_message():
    text = "[" * 100_000 + "]" * 100_000
    token = "1." + base64.urlsafe_b64encode(zlib.compress(text.encode(), 9)).decode().rstrip("=")
    at = AppTest.from_file(APP, default_timeout=30)
    at.switch_page("trainer/ui/sizing.py")
    at.query_params["plan"] = token
    at.run()
    assert not at.exception, at.exception
    assert any("Could not restore the plan from the link" in e.value for e in at.error)


def test_an_unexpected_bug_in_a_page_shows_a_request_id_not_a_traceback(monkeypatch, boundary_failures):
    from trainer.study.queue import Study

    def broken(*_args, **_kwargs):
        raise KeyError("/srv/trainer/secret/path.yaml")

    monkeypatch.setattr(Study, "sync", broken)
    at = AppTest.from_file(APP, default_timeout=30)
    at.run()
    at.text_input(key="picker_name").input("Ana")
    next(b for b in at.button if b.label == "Create profile").click()
    at.run()
    assert not at.exception
    message = shown(at)
    assert "Something went wrong on the server" in message and "request id" in message
    assert "secret" not in message
    assert_plain(message)
    assert len(boundary_failures) == 1
    boundary_failures.clear()


def test_a_postgresql_outage_mid_session_is_plain_and_recovers(pg_url, monkeypatch, boundary_failures):
    """The server goes away (new connections refused, pooled ones dropped), then comes back."""
    import psycopg

    monkeypatch.setenv("TRAINER_DATABASE_URL", pg_url)
    at = studying()
    engine = get_engine(pg_url)

    def refused(*_args, **_kwargs):
        raise psycopg.OperationalError('connection to server at "127.0.0.1", port 5432 failed: refused')

    with monkeypatch.context() as outage:
        outage.setattr(engine.dialect, "connect", refused)
        engine.dispose()
        at.button(key="rate_good").click().run()
        assert not at.exception, at.exception
        assert "cannot reach its database" in shown(at)
        assert_plain(shown(at))
        assert "5432" not in shown(at) and "127.0.0.1" not in shown(at)
        assert boundary_failures
        boundary_failures.clear()
    at.run()  # the fragment's next look, once the database answers
    assert not at.error and not at.exception
    assert any(m.value.startswith("### Front of") for m in at.markdown)


def test_a_database_down_at_the_first_visit_is_retried_until_it_answers(isolated, monkeypatch):
    monkeypatch.setenv("TRAINER_DATABASE_URL", "postgresql+psycopg://u:pw@127.0.0.1:1/none")
    at = AppTest.from_file(APP, default_timeout=30)
    at.run()
    assert not at.exception
    assert any("cannot use its database" in e.value for e in at.error)
    assert any("Checking the database again every" in c.value for c in at.caption)
    monkeypatch.setenv("TRAINER_DATABASE_URL", isolated)  # the database is back
    at.run()  # the fragment's next look
    assert not at.error and not at.exception
    assert any("Progress is kept per profile" in i.value for i in at.info)


def test_failures_in_fragments_and_callbacks_get_the_same_plain_words(boundary_failures):
    """st.App's on_script_error hook (trainer serve): logged under an id, nothing more shown."""
    from trainer.ui.boundary import on_script_error

    assert on_script_error(sqlite3.OperationalError("database or disk is full")) is True
    (record,) = boundary_failures
    assert "a fragment or callback" in record.getMessage() and record.exc_info
    boundary_failures.clear()
