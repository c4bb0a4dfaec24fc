"""Sign-in through the pages (AppTest): a signed-in person of each role, their own profile only,
and the pages that refuse a role in plain words. The provider is not needed here: the tests
replace ``trainer.ui.identity.current_identity`` (the one reader of ``st.user``) and give the
app an ``[auth]`` section through ``at.secrets``; roles come from a real TRAINER_ROLES_FILE."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT
from tests.test_exams import BIG
from trainer.access.identity import Identity
from trainer.exams.attempts import Exams
from trainer.exams.reports import report_problem
from trainer.exams.rules import SHORT_MOCK
from trainer.store.engine import get_engine
from trainer.study import accounts, profiles

APP = str(ROOT / "app.py")
ISSUER = "http://127.0.0.1:9999"
AUTH = {
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": "test-cookie-secret-not-used",
    "client_id": "trainer",
    "client_secret": "secret",
    "server_metadata_url": f"{ISSUER}/.well-known/openid-configuration",
}
PEOPLE = {
    "learner": Identity("ben-2", ISSUER, "ben@example.com", "Ben Ode", email_verified=True),
    "facilitator": Identity("fay-3", ISSUER, "fay@example.com", "Fay Host", ("trainer-facilitators",)),
    "maintainer": Identity("ana-1", ISSUER, "ana@example.com", "Ana Silva", email_verified=True),
}


@pytest.fixture(autouse=True)
def isolated(file_db, small_bank, write_content, monkeypatch, clear_streamlit_caches, tmp_path):
    monkeypatch.setenv("TRAINER_CONTENT_DIR", str(write_content.root))
    roles = tmp_path / "roles.toml"
    roles.write_text(
        '[maintainer]\nemails = ["ana@example.com"]\n\n[facilitator]\ngroups = ["trainer-facilitators"]\n'
    )
    monkeypatch.setenv("TRAINER_ROLES_FILE", str(roles))
    return file_db


@pytest.fixture
def sign_in(monkeypatch):
    """sign_in(None | "learner" | ...): who the app believes is signed in from now on."""
    from trainer.ui import identity  # imported here: see the rule about trainer.ui in tests

    who: list[Identity | None] = [None]
    monkeypatch.setattr(identity, "current_identity", lambda: who[0])

    def choose(role: str | None) -> None:
        who[0] = PEOPLE[role] if role else None

    return choose


def page(script: str | None = None, signed_in: bool = True, **params: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=30)
    if signed_in:
        at.secrets["auth"] = AUTH
    if script:
        at.run()  # a page whose url_path differs from its file name resolves only after a run
        at.switch_page(f"trainer/ui/{script}")
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, at.exception
    return at


def texts(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption] + [t.value for t in at.title]
    parts += [h.value for h in at.subheader]
    parts += [e.value for e in at.error] + [i.value for i in at.info]
    return "\n".join(str(p) for p in parts)


def test_nobody_signed_in_sees_only_the_sign_in_screen(sign_in):
    sign_in(None)
    for script in (None, "exam.py", "reports.py", "library.py", "playground.py"):
        at = page(script)
        assert [t.value for t in at.title] == [":material/lock: Sign in"]
        assert [b.label for b in at.button] == ["Sign in"]
        assert "Front of" not in texts(at) and "Question reports" not in texts(at)


def test_without_auth_the_sidebar_says_it_is_local_mode(sign_in):
    at = page(signed_in=False)
    assert "Local mode" in texts(at) and "anyone who can reach this server" in texts(at)
    assert "Progress is kept per profile" in texts(at)  # the picker, as before


@pytest.mark.parametrize("role", ["learner", "facilitator", "maintainer"])
def test_a_signed_in_person_studies_as_their_own_profile(sign_in, isolated, role):
    profiles.create_profile(get_engine(isolated), "Someone else")
    sign_in(role)
    at = page()
    person = PEOPLE[role]
    assert f"Signed in as **{person.name}** · {role.capitalize()}" in texts(at)
    assert "Local mode" not in texts(at)
    assert any(m.value.startswith("### Front of") for m in at.markdown)  # straight to studying
    assert at.button(key="signout").label == "Sign out"
    assert not at.get("popover")  # no "Switch profile"
    bound = accounts.bound_profile(get_engine(isolated), person)
    assert bound is not None and bound.name == person.name
    # The profile page shows no other profile and no way to make or pick one.
    at = page("profile.py")
    assert all(s.label != "Profile" for s in at.selectbox)
    assert "Someone else" not in texts(at) and "Create a new profile" not in str(at.expander)
    assert f"Settings for {person.name}" in texts(at)


@pytest.mark.parametrize(
    ("role", "host", "reports"),
    [("learner", False, False), ("facilitator", True, False), ("maintainer", True, True)],
)
def test_each_role_opens_only_the_pages_it_may(sign_in, isolated, role, host, reports):
    engine = get_engine(isolated)
    report_problem(engine, "q-x", "The key is wrong.")
    sign_in(role)
    at = page("workshop_host.py")
    refused = "Hosting a workshop needs the facilitator role"
    assert (refused in texts(at)) is not host
    assert ("Run a live quiz for a team" in texts(at)) is host  # the create form
    at = page("reports.py")
    assert ("Reading question reports needs the maintainer role" in texts(at)) is not reports
    assert ("The key is wrong." in texts(at)) is reports


def test_another_persons_exam_link_is_refused(sign_in, isolated):
    engine = get_engine(isolated)
    ana = accounts.profile_for_identity(engine, PEOPLE["maintainer"])
    attempt = Exams(engine, ana.id).start(BIG, SHORT_MOCK, seed=1)
    sign_in("learner")
    at = page("exam.py", attempt=str(attempt.id))
    assert f"Exam attempt {attempt.id} belongs to another profile" in texts(at)
    assert not any(q.value.startswith("Stem of") for q in at.markdown)
    # Her own link opens it.
    sign_in("maintainer")
    at = page("exam.py", attempt=str(attempt.id))
    assert "belongs to another profile" not in texts(at)
