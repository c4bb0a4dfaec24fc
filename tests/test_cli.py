"""Every sub-command reports a usage mistake in one line with exit status 2; ``trainer serve``."""

from __future__ import annotations

import subprocess
import sys

import pytest

from trainer.cli import main, serve


@pytest.mark.parametrize(
    "argv, fragment",
    [
        ([], "the following arguments are required: COMMAND"),
        (["check", "--bogus"], "unrecognized arguments: --bogus"),
        (["simulate", "--rate", "abc"], "invalid float value: 'abc'"),
        (["size", "ecs"], "the following arguments are required: --launch-type"),
        (["export"], "the following arguments are required: output"),
        (["serve", "--port", "http"], "invalid int value: 'http'"),
    ],
)
def test_usage_mistakes_are_one_line(argv, fragment, capsys):
    with pytest.raises(SystemExit) as stop:
        main(argv)
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert fragment in err
    assert err.count("\n") == 1 and "usage:" not in err


@pytest.mark.parametrize(
    "argv, fragment",
    [
        (["serve", "--port", "0"], "--port must be between 1 and 65535"),
        (["serve", "--port", "70000"], "--port must be between 1 and 65535"),
        (["serve", "--address", " "], "--address must not be empty"),
    ],
)
def test_serve_refuses_bad_settings_in_one_line(argv, fragment, capsys):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert fragment in err and err.count("\n") == 1


def test_serve_runs_streamlit_on_the_packaged_entry_script(monkeypatch, capsys):
    calls = []
    monkeypatch.setattr(serve.os, "execv", lambda path, argv: calls.append((path, argv)))
    assert main(["serve", "--port", "8642", "--address", "0.0.0.0"]) == 0
    ((path, argv),) = calls
    assert path == sys.executable and argv[:4] == [sys.executable, "-m", "streamlit", "run"]
    script = serve.entry_script()
    assert argv[4] == str(script) and script.is_file()
    assert script.parent.name == "entry"  # its own folder: Streamlit puts it on sys.path
    settings = dict(zip(argv[5::2], argv[6::2], strict=True))
    assert settings == {
        "--server.address": "0.0.0.0",
        "--server.port": "8642",
        "--server.headless": "true",
        "--browser.gatherUsageStats": "false",
        "--server.fileWatcherType": "none",
        "--client.toolbarMode": "minimal",
        "--client.showErrorDetails": "none",  # no traceback, SQL or paths for visitors
        # The repository's .streamlit/config.toml theme (tests/test_theme.py checks they agree).
        **{f"--theme.{name}": value for name, value in serve.THEME.items()},
    }
    assert "http://0.0.0.0:8642" in capsys.readouterr().out


def test_serve_defaults_to_localhost_8501(monkeypatch, capsys):
    calls = []
    monkeypatch.setattr(serve.os, "execv", lambda path, argv: calls.append(argv))
    assert main(["serve"]) == 0
    assert "127.0.0.1" in calls[0] and "8501" in calls[0]


def test_cli_does_not_import_streamlit():
    code = "import sys, trainer.cli; sys.exit('streamlit' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0
