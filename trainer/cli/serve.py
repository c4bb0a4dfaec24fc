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
import socket
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
    parser.add_argument(
        "--lan",
        action="store_true",
        help="listen on every interface (0.0.0.0) and print the address people on the same network "
        "type (for a workshop); TRAINER_PUBLIC_URL, when set, is printed instead",
    )
    parser.set_defaults(handler=run)


def lan_address() -> str | None:
    """This machine's address on its network: the one its default route leaves from (a UDP
    socket's ``connect`` picks it without sending anything), else one its name resolves to."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))  # TEST-NET-1: never routed beyond the default route
            address = probe.getsockname()[0]
            if not address.startswith("127."):
                return str(address)
        except OSError:
            pass
    try:
        for info in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET):
            address = str(info[4][0])
            if not address.startswith("127."):
                return address
    except OSError:
        pass
    return None


def public_url(port: int, address: str, lan: bool) -> str:
    """The address to print: TRAINER_PUBLIC_URL when set; with ``--lan`` this machine's network
    address, so phones in the room can reach it; else the address listened on."""
    configured = os.environ.get("TRAINER_PUBLIC_URL", "").strip().rstrip("/")
    if configured:
        return configured
    if lan:
        found = lan_address()
        if found:
            return f"http://{found}:{port}"
    return f"http://{address}:{port}"


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
    address = "0.0.0.0" if args.lan else args.address.strip()
    command = streamlit_command(args.port, address)
    url = public_url(args.port, address, args.lan)
    if args.lan:
        # The host console shows this address (and its QR code) as the join link.
        os.environ.setdefault("TRAINER_PUBLIC_URL", url)
        print(f"Serving the trainer on your network at {url} (Ctrl-C stops it)", flush=True)
        print(f"Participants join at {url}/workshop; host at {url}/workshop-host", flush=True)
    else:
        print(f"Serving the trainer on {url} (Ctrl-C stops it)", flush=True)
    if os.name != "posix":
        return subprocess.call(command)
    os.execv(command[0], command)
    return 0  # not reached: execv replaced this process with the server
