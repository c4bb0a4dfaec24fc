"""``trainer serve --lan`` (issue 16): a workshop on the local network listens on every interface
and prints the address people type, or TRAINER_PUBLIC_URL when one is set."""

from __future__ import annotations

import pytest

from trainer.cli import main, serve


@pytest.fixture
def execs(monkeypatch):
    calls: list[list[str]] = []
    monkeypatch.setattr(serve.os, "execv", lambda path, argv: calls.append(argv))
    # Recorded first, so whatever --lan sets is undone after the test.
    monkeypatch.setenv("TRAINER_PUBLIC_URL", "")
    return calls


def test_lan_listens_everywhere_and_prints_the_network_address(execs, monkeypatch, capsys):
    monkeypatch.delenv("TRAINER_PUBLIC_URL", raising=False)
    monkeypatch.setattr(serve, "lan_address", lambda: "192.168.1.23")
    assert main(["serve", "--lan", "--port", "8642"]) == 0
    argv = execs[0]
    assert argv[argv.index("--server.address") + 1] == "0.0.0.0"
    out = capsys.readouterr().out
    assert "http://192.168.1.23:8642" in out and "http://192.168.1.23:8642/workshop" in out
    assert serve.os.environ["TRAINER_PUBLIC_URL"] == "http://192.168.1.23:8642"  # the join link shown


def test_lan_prints_the_public_url_when_one_is_set(execs, monkeypatch, capsys):
    monkeypatch.setenv("TRAINER_PUBLIC_URL", "https://quiz.example.org/")
    monkeypatch.setattr(serve, "lan_address", lambda: "192.168.1.23")
    assert main(["serve", "--lan"]) == 0
    assert "https://quiz.example.org/workshop" in capsys.readouterr().out


def test_without_a_network_the_listening_address_is_printed(execs, monkeypatch, capsys):
    monkeypatch.delenv("TRAINER_PUBLIC_URL", raising=False)
    monkeypatch.setattr(serve, "lan_address", lambda: None)
    assert main(["serve", "--lan", "--port", "8600"]) == 0
    assert "http://0.0.0.0:8600" in capsys.readouterr().out


def test_the_lan_address_is_not_loopback():
    found = serve.lan_address()
    assert found is None or not found.startswith("127.")
