"""Sign-in with a real OpenID Connect provider, in Chromium.

tests/oidc/server.js runs the npm package ``oidc-provider`` on 127.0.0.1 with two people: Ana
(a maintainer, by the provider's groups claim) and Ben (a learner). Ana signs in and starts an
exam; Ben signs in afterwards in another browser and cannot open Ana's ``?attempt=`` link, does
not see her profile, and as a learner cannot open the host console or the question reports.

Needs Node.js and ``make oidc`` (npm ci in tests/oidc); without them the test skips, and in CI
(``TRAINER_REQUIRE_BROWSER=1``) it fails instead.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from tests.browser import (
    ARTIFACTS,
    CHROMIUM,
    CHROMIUM_ARGS,
    ROOT,
    free_port,
    require_browser,
    streamlit_server,
)
from trainer.access.identity import Identity
from trainer.store.engine import make_engine
from trainer.study import accounts

pytestmark = pytest.mark.browser

OIDC_DIR = ROOT / "tests" / "oidc"


def require_oidc() -> str:
    """The node executable; skip (or, in CI, fail) when Node.js or the npm packages are missing."""
    node = shutil.which("node")
    missing = []
    if node is None:
        missing.append("Node.js (apt-get install nodejs npm)")
    if not (OIDC_DIR / "node_modules" / "oidc-provider").is_dir():
        missing.append("the npm packages of tests/oidc (make oidc)")
    if missing:
        reason = "sign-in test needs " + " and ".join(missing)
        if os.environ.get("TRAINER_REQUIRE_BROWSER"):
            pytest.fail(reason)
        pytest.skip(reason)
    assert node is not None
    return node


@contextlib.contextmanager
def oidc_provider(node: str, port: int, redirect_uri: str):
    log = ARTIFACTS / f"oidc-{port}.log"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with open(log, "w") as out:
        proc = subprocess.Popen(
            [node, "server.js", str(port), redirect_uri], cwd=OIDC_DIR, stdout=out, stderr=out
        )
        try:
            issuer = f"http://127.0.0.1:{port}"
            deadline = time.time() + 30
            while time.time() < deadline:
                with contextlib.suppress(OSError):
                    urllib.request.urlopen(f"{issuer}/.well-known/openid-configuration", timeout=2).read()
                    break
                if proc.poll() is not None:
                    raise RuntimeError(f"the OIDC provider exited early; see {log}")
                time.sleep(0.2)
            else:
                raise RuntimeError(f"the OIDC provider did not start; see {log}")
            yield issuer
        finally:
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()


def auth_secrets(folder: Path, url: str, oidc_port: int, more: str = "") -> Path:
    """A secrets.toml whose ``[auth]`` signs in at the test provider on ``oidc_port`` (``more``:
    further tables, such as role rules); returns its path."""
    path = folder / "secrets.toml"
    path.write_text(
        f"""
[auth]
redirect_uri = "{url}/oauth2callback"
cookie_secret = "{secrets.token_urlsafe(32)}"
client_id = "trainer"
client_secret = "trainer-test-secret"
server_metadata_url = "http://127.0.0.1:{oidc_port}/.well-known/openid-configuration"
# Streamlit asks for prompt=select_account by default, which oidc-provider does not know.
client_kwargs = {{ prompt = "login" }}

{more}"""
    )
    return path


def idle(page) -> None:
    page.wait_for_selector("[data-testid=stApp][data-test-script-state=notRunning]")
    page.wait_for_timeout(300)


def sign_in(page, url: str, login: str) -> None:
    """The whole OpenID Connect round trip: the app's Sign in, the provider's form, back."""
    from playwright.sync_api import expect

    page.goto(url)
    idle(page)
    page.locator(".st-key-signin_default button").click()
    page.wait_for_url("**/interaction/**")
    page.locator("input[name=login]").fill(login)
    page.locator("input[name=password]").fill("any")
    page.locator("button[type=submit]").click()
    page.wait_for_load_state()
    if "/interaction/" in page.url:  # the development consent screen
        page.locator("button[type=submit]").click()
    page.wait_for_url(f"{url}/**")
    idle(page)
    expect(page.locator("[data-testid=stSidebar]")).to_contain_text("Signed in as")


def test_two_people_sign_in_and_see_only_their_own(tmp_path):
    require_browser()
    node = require_oidc()
    from playwright.sync_api import expect, sync_playwright

    app_port, oidc_port = free_port(), free_port()
    url = f"http://127.0.0.1:{app_port}"
    db_url = f"sqlite:///{tmp_path / 'trainer.db'}"
    secrets_file = auth_secrets(
        tmp_path, url, oidc_port, '[trainer.roles.maintainer]\ngroups = ["trainer-maintainers"]\n'
    )
    env = {"TRAINER_DATABASE_URL": db_url}
    with (
        oidc_provider(node, oidc_port, f"{url}/oauth2callback"),
        streamlit_server(env, port=app_port, args=("--secrets.files", str(secrets_file))),
        sync_playwright() as p,
    ):
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            ana = browser.new_context(viewport={"width": 1300, "height": 950}).new_page()
            ana.set_default_timeout(30_000)
            # Nobody signed in: the sign-in screen, not a page, and no menu.
            ana.goto(url + "/exam")
            idle(ana)
            expect(ana.locator("[data-testid=stMain]")).to_contain_text("Sign in")
            expect(ana.locator("[data-testid=stMain]")).not_to_contain_text("Exam practice")
            expect(ana.locator("[data-testid=stSidebarNav]")).to_have_count(0)
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            ana.screenshot(path=str(ARTIFACTS / "signin-screen.png"))

            sign_in(ana, url, "ana")
            expect(ana.locator("[data-testid=stSidebar]")).to_contain_text("Ana Silva · Maintainer")
            ana.goto(url + "/exam")
            idle(ana)
            ana.get_by_text("Short: 20 questions, 30 minutes").click()
            idle(ana)
            ana.locator(".st-key-exam_start button").click()
            ana.locator(".st-key-exam_question").wait_for()
            idle(ana)
            assert "attempt=" in ana.url
            attempt = ana.url.split("attempt=")[1].split("&")[0]

            ben = browser.new_context(viewport={"width": 1300, "height": 950}).new_page()
            ben.set_default_timeout(30_000)
            sign_in(ben, url, "ben")
            sidebar = ben.locator("[data-testid=stSidebar]")
            expect(sidebar).to_contain_text("Ben Ode · Learner")
            # His menu leaves out what a learner cannot open (the pages still refuse, below).
            expect(sidebar).to_contain_text("Join a workshop")
            expect(sidebar).not_to_contain_text("Host a workshop")
            expect(sidebar).not_to_contain_text("Question reports")
            # Ana's exam link.
            ben.goto(f"{url}/exam?attempt={attempt}")
            idle(ben)
            main = ben.locator("[data-testid=stMain]")
            expect(main).to_contain_text(f"Exam attempt {attempt} belongs to another profile")
            expect(ben.locator(".st-key-exam_question")).to_have_count(0)
            # Ana's profile is nowhere to be seen or chosen.
            ben.goto(url + "/profile")
            idle(ben)
            expect(main).to_contain_text("Settings for Ben Ode")
            expect(ben.locator("body")).not_to_contain_text("Ana Silva")
            expect(sidebar).not_to_contain_text("Switch profile")
            # A learner opens neither the host console nor the question reports.
            ben.goto(url + "/workshop-host")
            idle(ben)
            expect(main).to_contain_text("Hosting a workshop needs the facilitator role")
            ben.goto(url + "/reports")
            idle(ben)
            expect(main).to_contain_text("Reading question reports needs the maintainer role")
            ben.screenshot(path=str(ARTIFACTS / "signin-learner-refused.png"))
            # Sign out ends the session: back to the sign-in screen.
            ben.locator(".st-key-signout button").click()
            ben.wait_for_url("**/session/end**")  # the provider asks whether to end its session too
            ben.get_by_text("Yes, sign me out").click()
            ben.wait_for_url(f"{url}/**")
            expect(ben.locator(".st-key-signin_default button")).to_be_visible(timeout=20_000)
            ben.goto(url + "/exam")
            idle(ben)
            expect(ben.locator(".st-key-signin_default button")).to_be_visible()
        finally:
            browser.close()

    engine = make_engine(db_url)
    issuer = f"http://127.0.0.1:{oidc_port}"
    ana_profile = accounts.bound_profile(engine, Identity("ana", issuer))
    ben_profile = accounts.bound_profile(engine, Identity("ben", issuer))
    assert ana_profile is not None and ana_profile.name == "Ana Silva"
    assert ben_profile is not None and ben_profile.name == "Ben Ode"


def test_a_signed_in_participants_answer_goes_to_their_profile_and_a_guest_needs_the_hosts_leave(tmp_path):
    """Ben signs in and joins Ana's room with its code: his seat is his profile's and his answer is
    listed on his Profile page. A visitor who is not signed in reaches only the workshop page and
    cannot join a room that does not take guests."""
    require_browser()
    node = require_oidc()
    from playwright.sync_api import expect, sync_playwright

    from trainer.access.permissions import Actor
    from trainer.access.roles import Role
    from trainer.content.loader import load_bank
    from trainer.workshops import history, host_actions, rooms

    app_port, oidc_port = free_port(), free_port()
    url = f"http://127.0.0.1:{app_port}"
    issuer = f"http://127.0.0.1:{oidc_port}"
    db_url = f"sqlite:///{tmp_path / 'trainer.db'}"
    engine = make_engine(db_url)
    ana = Actor(Role.MAINTAINER, Identity("ana", issuer, "ana@example.com", "Ana Silva"))
    questions = [q for q in load_bank().questions.values() if q.type == "single"][:2]
    room, secret = rooms.create_room(engine, questions, seconds=120, title="Browser room", actor=ana)
    secrets_file = auth_secrets(tmp_path, url, oidc_port)
    with (
        oidc_provider(node, oidc_port, f"{url}/oauth2callback"),
        streamlit_server(
            {"TRAINER_DATABASE_URL": db_url}, port=app_port, args=("--secrets.files", str(secrets_file))
        ),
        sync_playwright() as p,
    ):
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            guest = browser.new_context(viewport={"width": 1300, "height": 950}).new_page()
            guest.set_default_timeout(30_000)
            guest.goto(f"{url}/workshop?code={room.code}")
            idle(guest)
            main = guest.locator("[data-testid=stMain]")
            expect(main).to_contain_text("Not signed in")
            expect(main).to_contain_text("for signed-in participants: sign in first")
            expect(guest.locator(".st-key-ws_join button")).to_be_disabled()

            ben = browser.new_context(viewport={"width": 1300, "height": 950}).new_page()
            ben.set_default_timeout(30_000)
            sign_in(ben, url, "ben")
            ben.goto(f"{url}/workshop?code={room.code}")
            idle(ben)
            expect(ben.locator(".st-key-ws_name input")).to_have_value("Ben Ode")
            ben.locator(".st-key-ws_join button").click()
            expect(ben.locator("[data-testid=stMain]")).to_contain_text("You are Ben Ode")
            host_actions.start(engine, room.id, secret, actor=ana)
            right = room.questions[0].answer[0]  # as shown (the snapshot's order)
            ben.locator(f".st-key-ws_opt_{right} button").click(timeout=20_000)
            expect(ben.locator(".st-key-ws_received")).to_be_visible(timeout=20_000)
        finally:
            browser.close()
    ben_profile = accounts.bound_profile(engine, Identity("ben", issuer))
    assert ben_profile is not None
    (taken,) = history.profile_workshops(engine, ben_profile.id)
    assert (taken.title, taken.answered, taken.correct) == ("Browser room", 1, 1)
    assert [s.profile_id for s in rooms.participants(engine, room.id)] == [ben_profile.id]
