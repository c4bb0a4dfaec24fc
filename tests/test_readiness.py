"""The readiness check (issue 17): ``/_stcore/health`` stays Streamlit's and says only that the web
server is up; ``trainer serve`` also answers ``/_trainer/ready``, 200 only when the database
answers and the content loaded, and ``trainer db ready`` is the same check as a command."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from tests.conftest import ROOT
from trainer.cli import main

BAD_PG = "postgresql+psycopg://trainer:s3cret-pw@127.0.0.1:9/trainer"


@pytest.fixture
def content(small_bank, write_content, monkeypatch):
    monkeypatch.setenv("TRAINER_CONTENT_DIR", str(write_content.root))
    return write_content.root


def test_db_ready_exits_0_when_the_database_answers_and_the_content_loads(file_db, content, capsys):
    assert main(["db", "ready"]) == 0
    assert capsys.readouterr().out.startswith("ready: the database answers and the content has 6 cards")


def test_db_ready_exits_1_in_one_line_when_the_database_is_down(content, monkeypatch, capsys):
    monkeypatch.setenv("TRAINER_DATABASE_URL", BAD_PG)
    assert main(["db", "ready"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("not ready: ") and err.count("\n") == 1 and "s3cret-pw" not in err


def test_db_ready_exits_1_when_the_schema_is_behind(tmp_path, content, monkeypatch, capsys):
    monkeypatch.setenv("TRAINER_DATABASE_URL", f"sqlite:///{tmp_path / 'new.db'}")
    assert main(["db", "ready"]) == 1
    assert "run `trainer db upgrade`" in capsys.readouterr().err


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


@contextmanager
def served(tmp_path, database_url: str, content_dir) -> Iterator[str]:
    """``trainer serve`` in a subprocess, until its health check answers."""
    port = _free_port()
    env = {**os.environ, "TRAINER_DATABASE_URL": database_url, "TRAINER_CONTENT_DIR": str(content_dir)}
    log = open(tmp_path / f"serve-{port}.log", "wb")  # noqa: SIM115 - closed below
    proc = subprocess.Popen(
        [sys.executable, "-m", "trainer.cli", "serve", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if _get(f"{url}/_stcore/health") == (200, b"ok"):
                    break
            except OSError:
                pass
            assert proc.poll() is None, (tmp_path / f"serve-{port}.log").read_text()
            assert time.monotonic() < deadline, "the server did not start"
            time.sleep(0.5)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


def test_serve_answers_ready_beside_streamlits_health(tmp_path, file_db, content):
    with served(tmp_path, file_db, content) as url:
        status, body = _get(f"{url}/_trainer/ready")
        assert status == 200, body
        assert json.loads(body) == {"ready": True, "database": "ok", "content": "6 cards"}
        assert _get(f"{url}/")[0] == 200  # the app itself is still served


def test_serve_is_not_ready_while_the_database_is_down_though_healthy(tmp_path, content):
    with served(tmp_path, BAD_PG, content) as url:
        assert _get(f"{url}/_stcore/health") == (200, b"ok")
        status, body = _get(f"{url}/_trainer/ready")
        assert status == 503
        assert json.loads(body) == {"ready": False, "database": "unavailable", "content": "6 cards"}
        assert b"127.0.0.1" not in body and b"s3cret" not in body
