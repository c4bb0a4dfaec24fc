"""Helpers for real-browser tests: a Streamlit server in a subprocess and Debian's Chromium.

In CI (``TRAINER_REQUIRE_BROWSER=1``) a missing browser fails the test instead of skipping it.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


def require_browser():
    """Skip (or, in CI, fail) when Chromium or Playwright is missing."""
    missing = []
    if not Path(CHROMIUM).exists():
        missing.append("Debian package 'chromium' (apt-get install chromium)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing.append("Python package 'playwright' (pip install -e '.[test]')")
    if missing:
        reason = "browser test needs " + " and ".join(missing)
        if os.environ.get("TRAINER_REQUIRE_BROWSER"):
            pytest.fail(reason)
        pytest.skip(reason)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def streamlit_server(
    env: dict[str, str], script: str = "app.py", port: int | None = None, args: tuple[str, ...] = ()
):
    """Run ``streamlit run`` on a free port (or ``port``) with extra command-line ``args``; yield
    its base URL; stop it afterwards."""
    port = port or free_port()
    log = ARTIFACTS / f"server-{port}.log"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    cmd = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        script,
        "--server.headless",
        "true",
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--browser.gatherUsageStats",
        "false",
        "--server.fileWatcherType",
        "none",
        *args,
    ]
    with open(log, "w") as out:
        proc = subprocess.Popen(cmd, cwd=ROOT, env={**os.environ, **env}, stdout=out, stderr=out)
        try:
            url = f"http://127.0.0.1:{port}"
            deadline = time.time() + 60
            while time.time() < deadline:
                with contextlib.suppress(OSError):
                    if urllib.request.urlopen(f"{url}/_stcore/health", timeout=2).read() == b"ok":
                        break
                if proc.poll() is not None:
                    raise RuntimeError(f"streamlit exited early; see {log}")
                time.sleep(0.3)
            else:
                raise RuntimeError(f"streamlit did not become healthy; see {log}")
            yield url
        finally:
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()


@contextlib.contextmanager
def chromium_page(width: int = 1300, height: int = 950):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": width, "height": height})
            page.set_default_timeout(30_000)
            yield page
        finally:
            browser.close()


IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/18.0 Mobile/15E148 Safari/604.1"
)
PHONE_WIDTH, PHONE_HEIGHT = 390, 844


@contextlib.contextmanager
def phone_page(timeout_ms: int = 30_000):
    """A page in Chromium as an iPhone shows it: 390x844 CSS pixels at twice the density, a touch
    screen and Safari's user agent, so Streamlit lays the page out for a phone (sidebar folded,
    columns stacked) and ``tap()`` works. The phone tests share this one setup."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(
                viewport={"width": PHONE_WIDTH, "height": PHONE_HEIGHT},
                device_scale_factor=2,
                is_mobile=True,
                has_touch=True,
                user_agent=IPHONE,
            )
            page = context.new_page()
            page.set_default_timeout(timeout_ms)
            yield page
        finally:
            browser.close()


def wait_idle(page) -> None:
    """Wait until Streamlit has finished running the script."""
    page.wait_for_selector("[data-testid=stApp][data-test-script-state=notRunning]")
    page.wait_for_timeout(300)


def open_first_library_item(page) -> None:
    """Open the Library's first listed item, unless it is open already (a single match opens by
    itself, and clicking its summary then would close it); wait for its body to be built."""
    details = page.locator("[data-testid=stExpander] details").first
    if details.get_attribute("open") is None:
        details.locator("summary").click()
    wait_idle(page)


def click_visible_text(page, text: str) -> None:
    """Click the first *visible* element with ``text`` (hidden tabs hold copies of some links)."""
    link = page.locator(f"text={text} >> visible=true").first
    link.wait_for(state="visible")
    link.click()
