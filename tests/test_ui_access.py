"""Sign-in through the pages (AppTest): a signed-in person of each role on every page, their own
profile only, the pages that refuse a role in plain words, guests on the workshop page, and
claiming a profile from before sign-in. The provider is not needed here: the tests replace
``trainer.ui.identity.current_identity`` (the one reader of ``st.user``) and give the app an
``[auth]`` section through ``at.secrets``; roles come from a real TRAINER_ROLES_FILE. Every test
runs on SQLite and on PostgreSQL (``app_db``; tests/test_ui_teams.py shares the fixtures)."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT, postgres_schema_url
from tests.test_exams import BIG
from tests.test_workshops import QUESTIONS
from trainer.access import claims
from trainer.access.identity import Identity
from trainer.access.permissions import Actor
from trainer.access.roles import Role
from trainer.exams.attempts import Exams
from trainer.exams.reports import report_problem
from trainer.exams.rules import SHORT_MOCK
from trainer.store import engine as store_engine
from trainer.store.engine import get_engine
from trainer.study import accounts, profiles
from trainer.workshops import links, rooms

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


@pytest.fixture(params=["sqlite", "postgresql"])
def app_db(request, monkeypatch):
    """The app's database, through TRAINER_DATABASE_URL as in production: a SQLite file, or a
    private PostgreSQL schema (its engine disposed before the schema is dropped)."""
    if request.param == "sqlite":
        yield request.getfixturevalue("file_db")
        return
    with postgres_schema_url() as url:
        monkeypatch.setenv("TRAINER_DATABASE_URL", url)
        yield url
        engine = store_engine._ENGINES.pop(url, None)
        if engine is not None:
            engine.dispose()


@pytest.fixture(autouse=True)
def isolated(app_db, small_bank, write_content, monkeypatch, clear_streamlit_caches, tmp_path):
    monkeypatch.setenv("TRAINER_CONTENT_DIR", str(write_content.root))
    roles = tmp_path / "roles.toml"
    roles.write_text(
        '[maintainer]\nemails = ["ana@example.com"]\n\n[facilitator]\ngroups = ["trainer-facilitators"]\n'
    )
    monkeypatch.setenv("TRAINER_ROLES_FILE", str(roles))
    return app_db


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


# -- every page, each role ------------------------------------------------------------------------------

# Every page of the navigation (its script) and the title it shows once a person is let in.
PAGES = {
    "study.py": "Study",
    "concept_map.py": "Concept map",
    "library.py": "Library",
    "progress.py": "Progress",
    "exam_plan.py": "Exam plan",
    "exam.py": "Exam practice",
    "workshop.py": "Workshop",
    "workshop_host.py": "Host a workshop",
    "teams.py": "Teams",
    "playground.py": "Concurrency playground",
    "sizing.py": "ENI & subnet sizing",
    "memory.py": "Memory & cost tuner",
    "aliases.py": "Aliases & canaries",
    "streams.py": "Stream event sources",
    "connections.py": "Connection reuse",
    "ecs_scaling.py": "ECS auto scaling",
    "profile.py": "Profile & settings",
    "reports.py": "Question reports",
}
# What a page shows (True) or refuses (False) by role: (text when allowed, text when refused).
ROLE_CHECKS = {
    "workshop_host.py": ("Run a live quiz for a team", "Hosting a workshop needs the facilitator role"),
    "reports.py": ("The key is wrong.", "Reading question reports needs the maintainer role"),
}
MAY = {
    "learner": {"workshop_host.py": False, "reports.py": False, "create a team": False},
    "facilitator": {"workshop_host.py": True, "reports.py": False, "create a team": True},
    "maintainer": {"workshop_host.py": True, "reports.py": True, "create a team": True},
}


@pytest.mark.parametrize("role", ["learner", "facilitator", "maintainer"])
def test_every_page_checks_the_role_of_each_signed_in_person(sign_in, isolated, role):
    engine = get_engine(isolated)
    report_problem(engine, "q-x", "The key is wrong.")
    someone = profiles.create_profile(engine, "Someone else")  # a local profile: nobody's now
    sign_in(role)
    person = PEOPLE[role]
    at = AppTest.from_file(APP, default_timeout=30)
    at.secrets["auth"] = AUTH
    at.run()
    for script, title in PAGES.items():
        at.switch_page(f"trainer/ui/{script}")
        at.run()
        assert not at.exception, (script, at.exception)
        body = texts(at)
        assert any(title in t.value for t in at.title), (script, [t.value for t in at.title])
        assert f"Signed in as **{person.name}** · {role.capitalize()}" in body, script
        assert "Local mode" not in body and someone.name not in body, script
        if script in ROLE_CHECKS:
            allowed, refused = ROLE_CHECKS[script]
            assert (allowed in body, refused in body) == (MAY[role][script], not MAY[role][script]), script
        if script == "teams.py":
            assert ("Create a team" in str(at.expander)) is MAY[role]["create a team"]
    assert accounts.bound_profile(engine, person) is not None  # made at the first page


# -- guests and signed-in participants on the workshop page ----------------------------------------------


FAY = Actor(Role.FACILITATOR, PEOPLE["facilitator"])


def workshop_room(url: str, guests: bool):
    engine = get_engine(url)
    info, secret = rooms.create_room(engine, QUESTIONS, actor=FAY, allow_guests=guests)
    return engine, info, secret


def join(at: AppTest, code: str, name: str | None = None) -> AppTest:
    at.text_input(key="ws_code").input(code).run()
    if name is not None:
        at.text_input(key="ws_name").input(name).run()
    return at


def test_a_guest_opens_only_the_workshop_page_and_joins_when_the_host_allows(sign_in, isolated):
    sign_in(None)
    engine, closed, _ = workshop_room(isolated, guests=False)
    _, open_room, _ = workshop_room(isolated, guests=True)
    at = page("workshop.py")
    assert [t.value for t in at.title] == [":material/groups: Workshop"]  # not the sign-in screen
    assert "Not signed in" in texts(at) and at.button(key="ws_signin_default").label == "Sign in"
    assert "Who is studying?" not in str(at.selectbox)  # no list of profiles for a guest
    join(at, closed.code, "Visitor")
    assert any("for signed-in participants: sign in first" in w.value for w in at.warning)
    assert at.button(key="ws_join").disabled
    join(at, open_room.code, "Visitor")
    at.button(key="ws_join").click().run()
    assert not at.exception
    assert "You are Visitor" in [t.value for t in at.text][0]
    (seat,) = rooms.participants(engine, open_room.id)
    assert seat.profile_id is None
    # Every other page still asks a guest to sign in.
    for script in ("study.py", "profile.py", "workshop_host.py"):
        assert [t.value for t in page(script).title] == [":material/lock: Sign in"]


def test_a_signed_in_participant_joins_as_their_own_profile(sign_in, isolated):
    sign_in("learner")
    engine, room, _ = workshop_room(isolated, guests=False)
    at = join(page("workshop.py"), room.code)
    assert at.text_input(key="ws_name").value == "Ben Ode"  # their name to start with
    assert "your answers count in your own study" in texts(at)
    at.button(key="ws_join").click().run()
    assert not at.exception
    (seat,) = rooms.participants(engine, room.id)
    ben = accounts.bound_profile(engine, PEOPLE["learner"])
    assert ben is not None and seat.profile_id == ben.id


def test_another_facilitator_cannot_run_a_room_with_its_host_link(sign_in, isolated):
    engine, room, secret = workshop_room(isolated, guests=False)
    token = links.issue_host_link(engine, room.id, secret, actor=FAY)
    PEOPLE["other"] = Identity("gus-4", ISSUER, "gus@example.com", "Gus", ("trainer-facilitators",))
    try:
        sign_in("other")
        at = page("workshop_host.py", room=room.code, key=token)
        assert "This room belongs to another host" in texts(at)
        assert "wh_start" not in [b.key for b in at.button]  # no console
    finally:
        del PEOPLE["other"]
    # The link was not spent on him: its host opens the console with it.
    sign_in("facilitator")
    at = page("workshop_host.py", room=room.code, key=token)
    assert "belongs to another host" not in texts(at)
    assert at.button(key="wh_start").label == "Start"


# -- claiming a profile from before sign-in ----------------------------------------------------------------


def test_a_signed_in_person_claims_the_profile_set_aside_for_them(sign_in, isolated):
    engine = get_engine(isolated)
    profiles.create_profile(engine, "Laptop Ben")
    claims.reserve(engine, "Laptop Ben", "ben@example.com")
    sign_in("learner")
    at = page("profile.py")
    assert "The operator set aside **Laptop Ben** for you" in texts(at)
    at.button(key="claim_reserved").click().run()
    assert not at.exception
    assert "Settings for Laptop Ben" in texts(at)
    assert "your progress from before sign-in is in this profile now" in at.success[0].value
    assert accounts.bound_profile(engine, PEOPLE["learner"]).name == "Laptop Ben"
    assert "Progress from before sign-in" not in texts(at)  # once


def test_claiming_by_name_is_offered_only_when_the_operator_allows_it(sign_in, isolated):
    engine = get_engine(isolated)
    profiles.create_profile(engine, "Desk")
    sign_in("learner")
    assert "Progress from before sign-in" not in texts(page("profile.py"))  # default: reserved only
    at = AppTest.from_file(APP, default_timeout=30)
    at.secrets["auth"] = AUTH
    at.secrets["trainer"] = {"claim_profiles": "by-name"}
    at.run()
    at.switch_page("trainer/ui/profile.py")
    at.run()
    at.text_input(key="claim_name").input("Nobody")  # in a form: sent with the submit
    at.button[[b.label for b in at.button].index("Claim it")].click().run()
    assert "no profile from before sign-in called 'Nobody'" in at.error[0].value
    at.text_input(key="claim_name").input("desk")
    at.button[[b.label for b in at.button].index("Claim it")].click().run()
    assert "Settings for Desk" in texts(at)
