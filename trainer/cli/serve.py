"""``trainer serve``: run the web app of an installed trainer.

The command turns into ``python -m streamlit run <entry script>`` (the script is
``trainer/ui/entry/serve_app.py``: the app plus a readiness route) with the server settings an
operator needs, rather than importing Streamlit here: the command line stays free of Streamlit
(only ``trainer.ui`` imports it, checked by import-linter) and uses Streamlit's public command,
not its internal bootstrap. On POSIX the process *becomes* the server (``os.execv``), so the
pid, signals and exit status that a service manager or a shell sees are the server's own;
elsewhere it waits for a child.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from importlib import resources
from pathlib import Path

DEFAULT_ADDRESS = "127.0.0.1"
DEFAULT_PORT = 8501


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "serve",
        help="start the web app",
        description="Start the trainer's web app (Streamlit), headless, with no usage statistics. "
        f"It listens on {DEFAULT_ADDRESS}:{DEFAULT_PORT} unless told otherwise; put a reverse proxy "
        "in front of it to share it (see docs/team-deployment.md).",
    )
    parser.add_argument(
        "--port", type=int, default=DEFAULT_PORT, help=f"TCP port to listen on (default {DEFAULT_PORT})"
    )
    parser.add_argument(
        "--address",
        default=DEFAULT_ADDRESS,
        help=f"address to listen on (default {DEFAULT_ADDRESS}; 0.0.0.0 listens on every interface)",
    )
    parser.set_defaults(handler=run)


def entry_script() -> Path:
    """The installed entry script, found as a file of the package (not imported: it is Streamlit's).

    ``serve_app.py`` wraps the app (``streamlit_app.py``) in ``st.App`` with the readiness route
    ``/_trainer/ready`` beside Streamlit's own (see docs/team-deployment.md).
    """
    return Path(str(resources.files("trainer.ui.entry") / "serve_app.py"))


# The repository's .streamlit/config.toml [theme], which an installed package started from any
# directory does not find. The primary colour gives white button text a contrast of 5.18:1
# (WCAG AA asks 4.5:1); tests/test_theme.py keeps the two in step.
THEME = {
    "base": "light",
    "primaryColor": "#c2410c",
    "backgroundColor": "#ffffff",
    "secondaryBackgroundColor": "#f4f6f9",
    "textColor": "#16191f",
    "font": "sans-serif",
}


def streamlit_command(port: int, address: str) -> list[str]:
    """The full command line that runs the app."""
    return [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(entry_script()),
        "--server.address",
        address,
        "--server.port",
        str(port),
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
        # An installed package does not change under the server: watching site-packages for
        # edits only costs file handles.
        "--server.fileWatcherType",
        "none",
        # Learners need no "Deploy" button or developer menu.
        "--client.toolbarMode",
        "minimal",
        # The pages' error boundary shows plain messages; whatever escapes it must not show a
        # traceback with SQL, parameters or paths to a visitor (the details are in the log).
        "--client.showErrorDetails",
        "none",
        *(arg for name, value in THEME.items() for arg in (f"--theme.{name}", value)),
    ]


def run(args: argparse.Namespace) -> int:
    from trainer.cli import UsageError

    if not 1 <= args.port <= 65535:
        raise UsageError(f"--port must be between 1 and 65535, not {args.port}")
    if not args.address.strip():
        raise UsageError("--address must not be empty")
    command = streamlit_command(args.port, args.address.strip())
    print(f"Serving the trainer on http://{args.address.strip()}:{args.port} (Ctrl-C stops it)", flush=True)
    if os.name != "posix":
        return subprocess.call(command)
    os.execv(command[0], command)
    return 0  # not reached: execv replaced this process with the server
